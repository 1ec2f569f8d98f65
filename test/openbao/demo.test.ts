// `npm run demo -- --vault openbao`: the README's demo on a real OpenBao and PostgreSQL must run the
// whole flow and exit 0; the rendered database user really logs in.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

function demo(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolveRun) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'demo/demo.ts', ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), 230_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolveRun({ code, stdout, stderr });
    });
  });
}

test('npm run demo -- --vault openbao: injects, renders from OpenBao, the database user logs in, re-renders, exits 0', { timeout: 240_000 }, async () => {
  const run = await demo(['--vault', 'openbao']);
  assert.equal(run.code, 0, `demo failed:\n${run.stdout}\n${run.stderr}`);
  assert.match(run.stdout, /OpenBao 2\.7\.2 \(bao server -dev\) at http:\/\/127\.0\.0\.1:\d+, with PostgreSQL on 127\.0\.0\.1:\d+/);
  assert.match(run.stdout, /allowed, \d+ JSON patch operations/);
  assert.match(run.stdout, /\/vault\/secrets\/app\.env {2}\(mode 0640\)\n\s+export API_KEY=demo-key-1\n\s+export PORT=5432\n/);
  const url = /postgresql:\/\/(v-[A-Za-z0-9-]+):[^@]+@postgres\.team-a\.svc:5432\/app/.exec(run.stdout);
  assert.ok(url !== null, 'a database URL with a user OpenBao made');
  assert.match(run.stdout, new RegExp(`PostgreSQL: the rendered user logs in \\(current_user = ${url[1]}\\); pg_roles has it: yes`));
  assert.match(run.stdout, /app\.env re-rendered:\n\s+export API_KEY=demo-key-2/);
  assert.match(run.stdout, /sidecar stopped on SIGTERM with exit code 0/);
});

test('npm run demo -- --vault nonsense: exit 2 naming the choices', async () => {
  const run = await demo(['--vault', 'nonsense']);
  assert.equal(run.code, 2);
  assert.match(run.stderr, /--vault "nonsense" is not one of: double \(the default, needs nothing but Node\), openbao/);
});
