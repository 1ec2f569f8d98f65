// The `render` command: through the agent CLI as a child process, and through runRenderCommand
// with an in-memory IO (fixtures, data, delimiters, missing keys, errors, and a real Vault double).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { runRenderCommand } from '../../agent/src/commands/render.ts';
import { startVaultDouble } from '../doubles/vault/index.ts';
import type { VaultDouble } from '../doubles/vault/index.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'render-test-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

async function render(argv: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk: Buffer) => { out += chunk.toString('utf8'); });
  stderr.on('data', (chunk: Buffer) => { err += chunk.toString('utf8'); });
  const code = await runRenderCommand(argv, { stdout, stderr, env, cwd: dir });
  return { code, stdout: out, stderr: err };
}

const kv2Body = '{"request_id":"r1","lease_id":"","renewable":false,"lease_duration":0,"data":{"data":{"username":"app","password":"s3cr3t","port":5432.0},"metadata":{"version":3}},"warnings":null}';
const dbBody = '{"lease_id":"database/creds/ro/abc","renewable":true,"lease_duration":3600,"data":{"username":"v-ro-x","password":"A1a-xyz"}}';
const fixtures = file('fixtures.json', `{\n  "secret/data/app": ${kv2Body},\n  "database/creds/ro": ${dbBody},\n  "secret/metadata/": {"data": {"keys": ["b", "a/", "c"]}}\n}\n`);

describe('render command (in process)', () => {
  const cases: Array<{ name: string; template: string; args?: string[]; env?: NodeJS.ProcessEnv; code: number; stdout: string; stderr?: RegExp }> = [
    { name: 'kv2 secret, json.Number kept verbatim, no newline added', template: '{{ with secret "secret/data/app" }}{{ .Data.data.username }}:{{ .Data.data.password }}@{{ .Data.data.port }} v{{ .Data.metadata.version }}{{ end }}', code: 0, stdout: 'app:s3cr3t@5432.0 v3' },
    { name: 'dynamic secret lease fields', template: '{{ with secret "database/creds/ro" }}{{ .Data.username }} {{ .LeaseID }} {{ .LeaseDuration }} {{ .Renewable }}{{ end }}\n', code: 0, stdout: 'v-ro-x database/creds/ro/abc 3600 true\n' },
    { name: 'secrets lists sorted keys (path normalised)', template: '{{ range secrets "/secret/metadata/" }}{{ . }};{{ end }}', code: 0, stdout: 'a/;b;c;' },
    { name: 'missing fixture renders nothing and warns naming the path', template: 'x{{ with secret "secret/data/nope" }}{{ .Data }}{{ end }}y', code: 0, stdout: 'xy', stderr: /no fixture for secret "secret\/data\/nope"/ },
    { name: 'missing key renders <no value> (missingkey=zero)', template: '{{ with secret "secret/data/app" }}{{ .Data.data.nope }}{{ end }}', code: 0, stdout: '<no value>' },
    { name: '--error-on-missing-key fails with Go\'s message', template: '{{ with secret "secret/data/app" }}{{ .Data.data.nope }}{{ end }}', args: ['--error-on-missing-key'], code: 1, stdout: '', stderr: /^template: t\.tpl:1:43: executing "t\.tpl" at <\.Data\.data\.nope>: map has no entry for key "nope"\n$/ },
    { name: 'parse error with position', template: 'line1\n{{ if }}', code: 1, stdout: '', stderr: /^template: t\.tpl:2: missing value for if\n$/ },
    { name: 'custom delimiters', template: '[[ with secret "secret/data/app" ]][[ .Data.data.username ]][[ end ]] {{ literal }}', args: ['--left-delimiter', '[[', '--right-delimiter', ']]'], code: 0, stdout: 'app {{ literal }}' },
    { name: 'env reads the process environment', template: '{{ env "APP_ENV" }}', env: { APP_ENV: 'prod' }, code: 0, stdout: 'prod' },
    { name: 'nil dot without --data', template: '{{ . }}', code: 0, stdout: '<no value>' },
    { name: 'write form reads the fixture of its path', template: '{{ with secret "database/creds/ro" "ttl=1h" }}{{ .Data.username }}{{ end }}', code: 0, stdout: 'v-ro-x' },
    { name: 'function errors name the function', template: '{{ base64Decode "!!" }}', code: 1, stdout: '', stderr: /error calling base64Decode: base64Decode: illegal base64 data at input byte 0/ },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const template = file('t.tpl', c.template);
      const result = await render([template, '--secrets', fixtures, ...(c.args ?? [])], c.env ?? {});
      assert.equal(result.stdout, c.stdout);
      assert.equal(result.code, c.code, result.stderr);
      if (c.stderr !== undefined) assert.match(result.stderr, c.stderr);
      else assert.equal(result.stderr, '');
    });
  }

  it('uses --data as the dot, numbers float64', async () => {
    const template = file('d.tpl', '{{ .name }} {{ .n }} {{ printf "%T" .n }} {{ .big }}');
    const data = file('d.json', '{"name": "x", "n": 5432.0, "big": 1000000}');
    const result = await render([template, '--data', data, '--secrets', fixtures]);
    assert.deepEqual(result, { code: 0, stdout: 'x 5432 float64 1e+06', stderr: '' });
  });

  const usage: Array<{ name: string; argv: string[]; code: number; stderr: RegExp }> = [
    { name: 'no template file', argv: [], code: 2, stderr: /render needs a TEMPLATE_FILE/ },
    { name: 'two template files', argv: ['a', 'b'], code: 2, stderr: /one TEMPLATE_FILE, got 2/ },
    { name: 'unknown flag', argv: ['a', '--nope'], code: 2, stderr: /Unknown option '--nope'/ },
    { name: 'no secrets source', argv: ['t.tpl'], code: 2, stderr: /give --secrets FIXTURES\.json, or set VAULT_ADDR/ },
    { name: 'unreadable template', argv: ['missing.tpl', '--secrets', 'fixtures.json'], code: 1, stderr: /cannot read its source "missing\.tpl": no such file or directory/ },
    { name: 'fixtures not JSON', argv: ['t.tpl', '--secrets', file('bad.json', '{"a": ')], code: 1, stderr: /--secrets: cannot read .*unexpected end of JSON input/ },
    { name: 'fixture not a body', argv: ['t.tpl', '--secrets', file('bad2.json', '{"a": 1}')], code: 1, stderr: /fixture for "a" is not a Vault response body/ },
    { name: 'data not JSON', argv: ['t.tpl', '--secrets', 'fixtures.json', '--data', file('bad3.json', 'nope')], code: 1, stderr: /--data: cannot read .*invalid character 'o' in literal null/ },
  ];
  for (const c of usage) {
    it(`usage: ${c.name}`, async () => {
      file('t.tpl', 'x');
      const result = await render(c.argv);
      assert.equal(result.code, c.code);
      assert.equal(result.stdout, '');
      assert.match(result.stderr, c.stderr);
    });
  }
});

describe('render command against a Vault (VAULT_ADDR/VAULT_TOKEN)', () => {
  let vault: VaultDouble;
  before(async () => {
    vault = await startVaultDouble();
    vault.enableKv('secret', 2);
    vault.putKv('secret', 'app', '{"username":"app","port":5432.0}');
    vault.enableKv('kv', 1);
    vault.putKv('kv', 'legacy', { foo: 'bar' });
  });
  after(async () => { await vault.close(); });

  it('reads KV v2 (path rewritten) and KV v1, following secrets found at run time', async () => {
    const template = file('v.tpl', '{{ with secret "secret/app" }}{{ .Data.data.username }}:{{ .Data.data.port }}{{ end }} {{ with secret (printf "kv/%s" "legacy") }}{{ .Data.foo }}{{ end }}');
    const result = await render([template], { VAULT_ADDR: vault.address, VAULT_TOKEN: vault.rootToken });
    // A KV v2 server answers 5432.0 as 5432 (float64), as OpenBao does; render prints what it got.
    assert.deepEqual(result, { code: 0, stdout: 'app:5432 bar', stderr: '' });
  });

  it('fails naming the path when no secret exists there', async () => {
    const template = file('v2.tpl', '{{ with secret "kv/none" }}{{ .Data.foo }}{{ end }}');
    const result = await render([template], { VAULT_ADDR: vault.address, VAULT_TOKEN: vault.rootToken });
    assert.equal(result.code, 1);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /no secret exists at "kv\/none"/);
    assert.ok(!result.stderr.includes(vault.rootToken), 'the token never appears in messages');
  });

  it('needs VAULT_TOKEN', async () => {
    const template = file('v3.tpl', 'x');
    const result = await render([template], { VAULT_ADDR: vault.address });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /VAULT_TOKEN is not set/);
  });
});

describe('render command (child process through the agent CLI)', () => {
  it('prints exactly the rendered text and exits 0', async () => {
    const template = file('c.tpl', '{{ with secret "secret/data/app" }}{{ .Data.data | toJSON }}{{ end }}');
    const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>((done) => {
      execFile(join(root, 'node_modules/.bin/node'), ['--import', 'tsx', 'agent/src/cli.ts', 'render', template, '--secrets', fixtures], { cwd: root }, (error, out, err) => {
        done({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, stdout: out, stderr: err });
      });
    });
    assert.equal(stderr, '');
    assert.equal(code, 0);
    assert.equal(stdout, '{"password":"s3cr3t","port":5432.0,"username":"app"}');
  });

  it('exits non-zero with Go\'s error on stderr', async () => {
    const template = file('e.tpl', 'ok\n{{ index "abc" 9 }}');
    const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>((done) => {
      execFile(join(root, 'node_modules/.bin/node'), ['--import', 'tsx', 'agent/src/cli.ts', 'render', template, '--secrets', fixtures], { cwd: root }, (error, out, err) => {
        done({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, stdout: out, stderr: err });
      });
    });
    assert.equal(code, 1);
    assert.equal(stdout, '');
    assert.equal(stderr, 'template: e.tpl:2:3: executing "e.tpl" at <index "abc" 9>: error calling index: index out of range: 9\n');
  });
});
