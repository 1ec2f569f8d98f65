// The Vault client settings vault-k8s hands to its agents, against a REAL OpenBao serving TLS with
// a private CA (issue 16): the injector-wide CA bytes alone make the agent trust it, an HTTPS proxy
// carries every request through a CONNECT tunnel, and the pod the real webhook (`mutate`) makes
// runs as it is: its env vars, its config, only the file paths moved into the test directory.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import jsonpatch from 'fast-json-patch';
import { agentConfig, message, repoRoot, startAgent } from '../agent/harness.ts';
import { freePort } from '../real/process.ts';
import { assertNoSecretLogged, startRealLab, type RealLab } from '../real/lab.ts';
import { writeKv } from '../real/setup.ts';
import { generateCa } from '../../src/tls/generate.ts';
import { startConnectProxy } from '../support/proxy.ts';
import type { Container, Pod } from '../../src/pod.ts';

const TEMPLATE = '{{ with secret "secret/app/db" }}{{ .Data.data.username }}:{{ .Data.data.password }}{{ end }}';

async function seeded(lab: RealLab): Promise<void> {
  await writeKv(lab.bao, 'secret', 2, 'app/db', { username: 'db-user-51c0', password: 'pw-Hq2!v<8>' });
  lab.secrets.add('pw-Hq2!v<8>');
}

const portOf = (address: string): string => new URL(address).port;

test('TLS with a private CA: VAULT_CACERT_BYTES alone is trusted; without it the agent names the TLS failure; beside a ca_cert of another CA it still works', async () => {
  const lab = await startRealLab({ tls: true });
  try {
    await seeded(lab);
    const caPem = lab.bao.caCertPem;
    assert.ok(caPem !== undefined);
    const out = join(lab.dir, 'db');
    const config = agentConfig(lab, { mode: 'init', templates: [{ destination: out, contents: TEMPLATE }] });
    config['vault'] = { address: lab.vaultAddress };

    const untrusted = await startAgent(lab, config);
    const failed = await untrusted.exited;
    assert.notEqual(failed.code, 0);
    assert.match(await readFile(join(lab.dir, 'termination-log'), 'utf8'), /TLS/);

    const trusted = await startAgent(lab, config, { VAULT_CACERT_BYTES: caPem });
    assert.equal((await trusted.exited).code, 0, trusted.lines.slice(-8).join('\n'));
    assert.equal(await readFile(out, 'utf8'), 'db-user-51c0:pw-Hq2!v<8>');

    const otherCa = join(lab.dir, 'other-ca.pem');
    await writeFile(otherCa, (await generateCa({ nowMs: Date.now() })).certPem);
    const both = structuredClone(config);
    both['vault'] = { address: lab.vaultAddress, ca_cert: otherCa };
    const alongside = await startAgent(lab, both, { VAULT_CACERT_BYTES: caPem });
    assert.equal((await alongside.exited).code, 0, alongside.lines.slice(-8).join('\n'));
    assertNoSecretLogged(lab);
  } finally {
    await lab.close();
  }
});

test('proxy: every request to an https Vault goes through the HTTPS_PROXY CONNECT tunnel (the proxy alone knows the name)', async () => {
  const lab = await startRealLab({ tls: true });
  const port = portOf(lab.vaultAddress);
  const proxy = await startConnectProxy({ 'vault.test': '127.0.0.1' });
  try {
    await seeded(lab);
    const out = join(lab.dir, 'db');
    const config = agentConfig(lab, { mode: 'init', templates: [{ destination: out, contents: TEMPLATE }] });
    // vault.test resolves nowhere but in the proxy; the certificate's name is localhost.
    config['vault'] = { address: `https://vault.test:${port}`, tls_server_name: 'localhost' };
    const agent = await startAgent(lab, config, { VAULT_CACERT_BYTES: lab.bao.caCertPem ?? '', HTTPS_PROXY: proxy.url });
    assert.equal((await agent.exited).code, 0, agent.lines.slice(-8).join('\n'));
    assert.equal(await readFile(out, 'utf8'), 'db-user-51c0:pw-Hq2!v<8>');
    assert.ok(proxy.tunnels.length >= 1, 'at least one tunnel');
    assert.deepEqual([...new Set(proxy.tunnels)], [`vault.test:${port}`]);
    assert.deepEqual(proxy.refused, []);
    assert.ok(agent.lines.some((line) => line.includes('reaching Vault through a proxy') && line.includes(proxy.url.replace('http://', ''))));

    // NO_PROXY takes the name out of the proxy's hands: the agent must resolve it, and cannot.
    const before = proxy.tunnels.length;
    const bypass = await startAgent(lab, config, { VAULT_CACERT_BYTES: lab.bao.caCertPem ?? '', HTTPS_PROXY: proxy.url, NO_PROXY: '.test' });
    assert.notEqual((await bypass.exited).code, 0);
    assert.equal(proxy.tunnels.length, before, 'no tunnel with NO_PROXY');

    // A proxy that is down: the reason says the agent went through it (user:password never shown).
    const down = await startAgent(lab, config, { VAULT_CACERT_BYTES: lab.bao.caCertPem ?? '', HTTPS_PROXY: 'http://user:pa55-word@127.0.0.1:9' });
    assert.notEqual((await down.exited).code, 0);
    assert.match(await readFile(join(lab.dir, 'termination-log'), 'utf8'), /connection refused \(through the proxy http:\/\/127\.0\.0\.1:9\)/);
    assert.ok(down.lines.every((line) => !line.includes('pa55-word')), 'the proxy password is not logged');
    assertNoSecretLogged(lab);
  } finally {
    await proxy.stop();
    await lab.close();
  }
});

test('the real webhook\'s pod runs as made: AGENT_INJECT_VAULT_CACERT_BYTES (base64) and AGENT_INJECT_PROXY_ADDR reach the init agent, which renders through the proxy', async () => {
  const lab = await startRealLab({ tls: true });
  const port = portOf(lab.vaultAddress);
  const proxy = await startConnectProxy({ 'vault.test': '127.0.0.1' });
  try {
    await seeded(lab);
    const review = JSON.parse(readFileSync(join(repoRoot, 'test/fixtures/kubernetes/review-v1-job-pod.json'), 'utf8')) as { request: { object: Pod } };
    const pod = review.request.object;
    pod.metadata = { ...pod.metadata, annotations: {
      'vault.hashicorp.com/agent-inject': 'true',
      'vault.hashicorp.com/role': 'app',
      'vault.hashicorp.com/agent-pre-populate-only': 'true',
      'vault.hashicorp.com/agent-inject-template-db': TEMPLATE,
      'vault.hashicorp.com/tls-server-name': 'localhost',
      'vault.hashicorp.com/client-timeout': '20s',
      'vault.hashicorp.com/client-max-retries': '1',
    } };
    const run = spawnSync(join(repoRoot, 'node_modules/.bin/node'), ['--import', 'tsx', 'src/cli.ts', 'mutate'], {
      cwd: repoRoot, input: JSON.stringify(review), encoding: 'utf8', timeout: 60_000,
      env: {
        PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '',
        AGENT_INJECT_VAULT_ADDR: `https://vault.test:${port}`,
        AGENT_INJECT_VAULT_CACERT_BYTES: Buffer.from(lab.bao.caCertPem ?? '').toString('base64'),
        AGENT_INJECT_PROXY_ADDR: proxy.url,
      },
    });
    assert.equal(run.status, 0, run.stderr);
    const response = JSON.parse(run.stdout) as { response: { allowed: boolean; patch?: string; status?: { message?: string } } };
    assert.equal(response.response.allowed, true, response.response.status?.message);
    const patch = JSON.parse(Buffer.from(response.response.patch ?? '', 'base64').toString('utf8')) as jsonpatch.Operation[];
    const mutated = jsonpatch.applyPatch(structuredClone(pod), patch).newDocument;
    const init = (mutated.spec?.initContainers ?? []).find((entry: Container) => entry.name === 'vault-agent-init');
    assert.ok(init !== undefined);
    const env = Object.fromEntries((init.env ?? []).filter((entry) => entry.value !== undefined).map((entry) => [entry.name, entry.value ?? '']));
    assert.equal(env['VAULT_CACERT_BYTES'], lab.bao.caCertPem, 'decoded from base64, as vault-k8s does');
    assert.equal(env['HTTPS_PROXY'], proxy.url);
    assert.equal(env['VAULT_CLIENT_TIMEOUT'], '20s');
    assert.equal(env['VAULT_MAX_RETRIES'], '1');

    // No kubelet: the config's paths (token, secrets volume, home) move into the test directory.
    const config = JSON.parse(Buffer.from(env['VAULT_CONFIG'] ?? '', 'base64').toString('utf8')) as Record<string, any>;
    config['auto_auth']['method']['config']['token_path'] = lab.tokenFile;
    for (const sink of config['auto_auth']['sink'] ?? []) sink['config']['path'] = join(lab.dir, 'sink-token');
    config['pid_file'] = join(lab.dir, 'pid');
    for (const template of config['template'] ?? []) template['destination'] = join(lab.dir, 'secrets', String(template['destination']).split('/').pop() ?? 'x');
    config['vault_injector'] = { ...config['vault_injector'], termination_message_path: join(lab.dir, 'termination-log'), retry_timeout: '10s' };
    delete env['VAULT_CONFIG'];
    const agent = await startAgent(lab, config, env, { viaEnv: true });
    assert.equal((await agent.exited).code, 0, agent.lines.slice(-8).join('\n'));
    assert.equal(await readFile(join(lab.dir, 'secrets', 'db'), 'utf8'), 'db-user-51c0:pw-Hq2!v<8>');
    assert.ok(proxy.tunnels.length >= 1);
    lab.secrets.add(await readFile(join(lab.dir, 'sink-token'), 'utf8'));
    assertNoSecretLogged(lab);
  } finally {
    await proxy.stop();
    await lab.close();
  }
});

test('the listener\'s API proxy reaches OpenBao the way the agent does: CA bytes, HTTPS_PROXY tunnel', async () => {
  const lab = await startRealLab({ tls: true });
  const port = portOf(lab.vaultAddress);
  const proxy = await startConnectProxy({ 'vault.test': '127.0.0.1' });
  try {
    await seeded(lab);
    const listenPort = await freePort();
    const config = {
      ...agentConfig(lab, { mode: 'sidecar', templates: [{ destination: join(lab.dir, 'db'), contents: TEMPLATE }] }),
      vault: { address: `https://vault.test:${port}`, tls_server_name: 'localhost' },
      listener: [{ type: 'tcp', address: `127.0.0.1:${listenPort}`, tls_disable: true }],
      cache: { use_auto_auth_token: 'true' },
      disable_keep_alives: ['proxying'],
    };
    const agent = await startAgent(lab, config, { VAULT_CACERT_BYTES: lab.bao.caCertPem ?? '', HTTPS_PROXY: proxy.url });
    await agent.waitFor(message('listener started'));
    await agent.waitFor(message('all templates rendered'));
    const before = proxy.tunnels.length;
    const response = await fetch(`http://127.0.0.1:${listenPort}/v1/secret/data/app/db`);
    const body = (await response.json()) as { data?: { data?: Record<string, string> } };
    assert.equal(response.status, 200);
    assert.equal(body.data?.data?.['username'], 'db-user-51c0');
    assert.ok(proxy.tunnels.length > before, 'the app\'s request went through the proxy too');
    await agent.stop();
    assertNoSecretLogged(lab);
  } finally {
    await proxy.stop();
    await lab.close();
  }
});
