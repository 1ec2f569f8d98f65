import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { parseSeed } from './seed.ts';
import { call, pick, pickString } from './test-helpers.ts';

const mainPath = fileURLToPath(new URL('./main.ts', import.meta.url));

function run(args: string[]): { child: ReturnType<typeof spawn>; firstLine: Promise<string>; exit: Promise<number | null>; stderr: () => string } {
  const child = spawn(process.execPath, ['--import', 'tsx', mainPath, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
  const lines = createInterface({ input: child.stdout! });
  const firstLine = new Promise<string>((resolve, reject) => {
    lines.once('line', resolve);
    child.once('exit', () => reject(new Error(`exited before printing: ${stderr}`)));
  });
  firstLine.catch(() => undefined); // awaited only by tests that expect the ready line
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, firstLine, exit, stderr: () => stderr };
}

describe('standalone runner main.ts', () => {
  it('serves a seeded double, prints address/rootToken/jwts/tokens, exits on SIGTERM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vault-double-'));
    const seedFile = join(dir, 'seed.json');
    writeFileSync(seedFile, JSON.stringify({
      policies: { app: 'path "secret/data/app/*" { capabilities = ["read"] }' },
      kubernetes: [{ roles: { app: { bound_service_account_names: ['app'], bound_service_account_namespaces: ['team-a'], token_policies: ['app'] } } }],
      serviceAccounts: [{ namespace: 'team-a', name: 'app' }],
      kv: [{ mount: 'secret', version: 2, data: { 'app/db': { user: 'app' } } }],
      database: [{ roles: { app: { default_ttl: 60, max_ttl: 120 } } }],
      tokens: [{ name: 'reader', policies: ['app'] }],
    }).replace('{"user":"app"}', '{"user":"app","port":5432.0}'));
    const runner = run(['--seed', seedFile]);
    try {
      const ready = JSON.parse(await runner.firstLine) as Record<string, unknown>;
      const target = { address: pickString(ready, 'address') };
      assert.match(target.address, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.match(pickString(ready, 'rootToken'), /^hvs\./);
      const jwts = pick(ready, 'jwts') as Record<string, string>;
      const login = await call(target, 'POST', 'auth/kubernetes/login', { body: { role: 'app', jwt: jwts['team-a/app'] } });
      assert.equal(login.status, 200);
      const read = await call(target, 'GET', 'secret/data/app/db', { token: pickString(login.body, 'auth.client_token') });
      // KV v2 returns numbers as float64, as OpenBao does (contract.test.ts).
      assert.match(read.text, /"data":\{"port":5432,"user":"app"\}/);
      const reader = pickString(ready, 'tokens.reader');
      assert.equal((await call(target, 'GET', 'secret/data/app/db', { token: reader })).status, 200);
      assert.equal((await call(target, 'GET', 'database/creds/app', { token: pickString(ready, 'rootToken') })).status, 200);
      runner.child.kill('SIGTERM');
      assert.equal(await runner.exit, 0);
    } finally {
      runner.child.kill('SIGKILL');
    }
  });

  it('refuses an invalid seed with a message naming the field, exit code 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vault-double-'));
    const seedFile = join(dir, 'seed.json');
    writeFileSync(seedFile, JSON.stringify({ kv: [{ mount: 'secret', version: 3 }] }));
    const runner = run(['--seed', seedFile]);
    assert.equal(await runner.exit, 2);
    assert.match(runner.stderr(), /invalid seed:\n {2}.*seed\.json: kv\.0\.version: /);
  });
});

describe('seed parsing', () => {
  const invalid: Array<[string, RegExp]> = [
    ['not json', /not valid JSON/],
    ['{"unknown": 1}', /Unrecognized key/],
    ['{"serviceAccounts": [{"namespace": "a"}]}', /serviceAccounts\.0\.name/],
    ['{"policies": {"x": 1}}', /policies\.x/],
  ];
  for (const [text, message] of invalid) {
    it(`rejects ${text}`, () => {
      const parsed = parseSeed(text, 'seed.json');
      assert.equal(parsed.ok, false);
      assert.match(parsed.ok ? '' : parsed.problems.join('\n'), message);
    });
  }
  it('keeps the text of each KV entry', () => {
    const parsed = parseSeed('{"kv": [{"mount": "s", "version": 1, "data": {"a": {"n": 1.50}}}]}', 'seed.json');
    assert.ok(parsed.ok);
    assert.equal(parsed.ok ? parsed.kvTexts.get('0/a') : '', '{"n":1.50}');
  });
});
