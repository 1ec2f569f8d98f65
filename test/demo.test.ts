// The README's demo command is a contract with newcomers: it must run the whole flow and exit 0.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

test('npm run demo injects, renders, re-renders after a rotation and exits 0', { timeout: 240_000 }, () => {
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'demo/demo.ts'], { cwd: root, encoding: 'utf8', timeout: 230_000 });
  assert.equal(run.status, 0, `demo failed:\n${run.stdout}\n${run.stderr}`);
  assert.match(run.stdout, /allowed, \d+ JSON patch operations/);
  assert.match(run.stdout, /add\s+\/spec\/initContainers\s+vault-agent-init/);
  assert.match(run.stdout, /\/vault\/secrets\/app\.env {2}\(mode 0640\)\n\s+export API_KEY=demo-key-1\n\s+export PORT=5432/);
  assert.match(run.stdout, /postgresql:\/\/v-kubernetes-team-a-ro-[A-Za-z0-9]+:[^@]+@postgres\.team-a\.svc:5432\/app/);
  assert.match(run.stdout, /app\.env re-rendered:\n\s+export API_KEY=demo-key-2/);
  assert.match(run.stdout, /sidecar stopped on SIGTERM with exit code 0/);
});
