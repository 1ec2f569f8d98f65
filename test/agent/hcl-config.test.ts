// The agent reads its config file as HCL, as Vault Agent does, with HashiCorp's HCL 1 library (js-hcl-parser),
// held against the configs of Vault's documentation (test/agent/fixtures/hcl/README.md), then runs one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readConfigSource } from '../../agent/src/config/load.ts';
import { normaliseHclConfig } from '../../agent/src/config/hcl.ts';
import { agentConfig, assertNothingSecretLogged, startAgent, startLab } from './harness.ts';

const fixture = (name: string): string => new URL(`./fixtures/hcl/${name}`, import.meta.url).pathname;

test('the Vault tutorial\'s Kubernetes config: blocks, labels, heredoc; the address from VAULT_ADDR as vault-k8s hands it over', async () => {
  const loaded = await readConfigSource(fixture('k8s-tutorial.hcl'), { VAULT_ADDR: 'https://vault.vault.svc:8200', VAULT_SKIP_VERIFY: 'false', VAULT_CACERT: '/vault/tls/ca.crt' });
  assert.ok(loaded.ok, loaded.ok ? '' : loaded.error.message);
  if (!loaded.ok) return;
  assert.deepEqual(loaded.config.auto_auth, {
    method: { type: 'kubernetes', mount_path: 'auth/kubernetes', config: { role: 'example' } },
    sink: [{ type: 'file', config: { path: '/home/vault/.vault-token' } }],
  });
  assert.equal(loaded.config.exit_after_auth, true);
  assert.equal(loaded.config.pid_file, '/home/vault/pidfile');
  assert.deepEqual(loaded.config.vault, { address: 'https://vault.vault.svc:8200', ca_cert: '/vault/tls/ca.crt', tls_skip_verify: false });
  assert.equal(loaded.config.template?.length, 1);
  assert.match(loaded.config.template?.[0]?.contents ?? '', /^ {2}<html>\n {2}<body>\n/);
  // HCL 1 keeps the indentation before an indented `EOT` (HCL 2 drops it): what Vault Agent renders.
  assert.match(loaded.config.template?.[0]?.contents ?? '', /<\/html>\n {2}$/);
});

test('the Templates page: source and contents templates, perms, template_config', async () => {
  const loaded = await readConfigSource(fixture('templates.hcl'), {});
  assert.ok(loaded.ok, loaded.ok ? '' : loaded.error.message);
  if (!loaded.ok) return;
  assert.deepEqual(loaded.config.template, [
    { source: '/tmp/agent/template.ctmpl', destination: '/tmp/agent/render.txt' },
    { contents: '{{ with secret "secret/my-secret" }}{{ .Data.data.foo }}{{ end }}', destination: '/tmp/agent/render-content.txt', perms: '0640', error_on_missing_key: true },
  ]);
  assert.deepEqual(loaded.config.template_config, { static_secret_render_interval: '10m', exit_on_retry_failure: true, max_connections_per_host: 20 });
  assert.equal(loaded.config.vault.address, 'https://127.0.0.1:8200', 'the file wins over VAULT_ADDR');
});

test('the JWT method page, and the `method { type = ... }` form', async () => {
  const jwt = await readConfigSource(fixture('jwt.hcl'), {});
  assert.ok(jwt.ok, jwt.ok ? '' : jwt.error.message);
  if (jwt.ok) assert.deepEqual(jwt.config.auto_auth.method, { type: 'jwt', mount_path: 'auth/jwt', config: { path: '/path/to/jwt', role: 'my-role', remove_jwt_after_reading: false } });
  const typed = await readConfigSource(fixture('method-type-form.hcl'), {});
  assert.ok(typed.ok, typed.ok ? '' : typed.error.message);
  if (typed.ok) assert.deepEqual(typed.config.auto_auth.method, { type: 'kubernetes', mount_path: 'auth/kubernetes', config: { role: 'my-role' } });
});

test('what is refused, with the file, line and reason', async () => {
  const dir = (await import('node:os')).tmpdir();
  const write = async (name: string, text: string): Promise<string> => {
    const path = join(dir, `hcl-config-${process.pid}-${name}`);
    await writeFile(path, text);
    return path;
  };
  const head = 'vault {\n  address = "http://127.0.0.1:1"\n}\n';
  const kubernetes = 'auto_auth {\n  method "kubernetes" {\n    config = { role = "a" }\n  }\n}\n';
  const cases: Array<[string, string, RegExp]> = [
    ['unclosed.hcl', 'auto_auth {\n', /^cannot read the agent config from .*unclosed\.hcl: not valid HCL \(.*unclosed\.hcl: At 2:2: object expected closing RBRACE got: EOF\)$/],
    ['two-methods.hcl', `${head}auto_auth {\n  method "kubernetes" {\n    config = { role = "a" }\n  }\n  method "jwt" {\n    config = { role = "a", path = "/j" }\n  }\n}\n`, /auto_auth\.method: exactly one auto_auth method is allowed \(found 2\)/],
    ['unknown.hcl', `${head}${kubernetes}template_confg {\n  exit_on_retry_failure = true\n}\n`, /invalid agent config in .*unknown\.hcl: template_confg: is not a supported field/],
    ['approle.hcl', `${head}auto_auth {\n  method "approle" {\n    config = { role_id_file_path = "/r" }\n  }\n}\n`, /auto_auth\.method\.type: auth method "approle" is not supported/],
  ];
  for (const [name, text, expected] of cases) {
    const loaded = await readConfigSource(await write(name, text), {});
    assert.equal(loaded.ok, false, name);
    if (!loaded.ok) assert.match(loaded.error.message, expected, name);
  }
});

test('the injector\'s ConfigMap example: quoted argument names and `=` objects (HCL 1, which HCL 2 refuses)', async () => {
  const loaded = await readConfigSource(fixture('injector-configmap.hcl'), {});
  assert.ok(loaded.ok, loaded.ok ? '' : loaded.error.message);
  if (!loaded.ok) return;
  assert.deepEqual(loaded.config.auto_auth, {
    method: { type: 'kubernetes', config: { role: 'db-app' } },
    sink: [{ type: 'file', config: { path: '/home/vault/.token' } }],
  });
  assert.equal(loaded.config.exit_after_auth, false);
  assert.deepEqual(loaded.config.vault, { address: 'https://vault.demo.svc.cluster.local:8200', ca_cert: '/vault/tls/ca.crt', client_cert: '/vault/tls/client.crt', client_key: '/vault/tls/client.key' });
  assert.equal(loaded.config.template?.[0]?.destination, '/vault/secrets/db-creds');
  // HCL 1 also takes a nested block on one line.
  const oneLine = join((await import('node:os')).tmpdir(), `hcl-config-${process.pid}-one-line.hcl`);
  await writeFile(oneLine, 'vault {\n  address = "http://127.0.0.1:1"\n}\nauto_auth { method "kubernetes" { config = { role = "a" } } }\n');
  const read = await readConfigSource(oneLine, {});
  assert.ok(read.ok, read.ok ? '' : read.error.message);
});

test('normalising hcl2json\'s shapes: lists of one block, labels as type, config as a block', () => {
  assert.deepEqual(normaliseHclConfig({
    auto_auth: [{ method: { kubernetes: [{ config: [{ role: 'r' }] }] }, sink: { file: [{ config: { path: '/a' } }, { config: { path: '/b' } }] } }],
    vault: [{ address: 'http://x' }],
    template: [{ destination: '/d', contents: 'c' }],
  }), {
    auto_auth: { method: { type: 'kubernetes', config: { role: 'r' } }, sink: [{ type: 'file', config: { path: '/a' } }, { type: 'file', config: { path: '/b' } }] },
    vault: { address: 'http://x' },
    template: [{ destination: '/d', contents: 'c' }],
  });
  assert.throws(() => normaliseHclConfig({ vault: [{ address: 'a' }, { address: 'b' }] }), /vault: only one vault stanza is allowed/);
  assert.throws(() => normaliseHclConfig({ auto_auth: [{ method: { kubernetes: [{ type: 'jwt' }] } }] }), /type "jwt" contradicts the label/);
});

test('the agent runs from an HCL config file against the Vault double', async () => {
  const lab = await startLab();
  try {
    lab.vault.putKv('secret', 'app/db', { password: 'hcl-pw-7781' });
    const destination = join(lab.dir, 'db.txt');
    const json = agentConfig(lab, { mode: 'init', templates: [] }) as { vault_injector: { termination_message_path: string } };
    const file = join(lab.dir, 'config-init.hcl');
    await writeFile(file, `
exit_after_auth = true
auto_auth {
  method "kubernetes" {
    mount_path = "auth/kubernetes"
    config = {
      role       = "app"
      token_path = "${lab.tokenFile}"
    }
  }
}
template {
  destination = "${destination}"
  contents    = <<EOT
{{ with secret "secret/data/app/db" }}{{ .Data.data.password }}{{ end }}
EOT
}
vault_injector {
  termination_message_path = "${json.vault_injector.termination_message_path}"
}
`);
    const agent = await startAgent(lab, {}, { VAULT_ADDR: lab.vault.address }, { configFile: file });
    assert.equal((await agent.exited).code, 0, agent.lines.slice(-8).join('\n'));
    assert.equal(await readFile(destination, 'utf8'), 'hcl-pw-7781\n');
    assertNothingSecretLogged(lab);
  } finally {
    await lab.close();
  }
});
