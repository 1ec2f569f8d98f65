// cache.persist against a REAL OpenBao with PostgreSQL behind the database engine: the init agent
// then the sidecar, configured as vault-k8s configures them with agent-cache-enable and an init
// container. OpenBao itself is the witness: its token accessors show the sidecar made no second
// login, its lease list shows one lease for the pod, and its lease lookup shows the sidecar
// renewing the lease the init agent read (the credentials the app saw first stay the live ones).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { agentConfig, eventually, message, startAgent } from '../agent/harness.ts';
import { assertNoSecretLogged, lookupLease, startRealLab, type RealLab } from '../real/lab.ts';
import { freePort } from '../real/process.ts';

async function tokenCount(lab: RealLab): Promise<number> {
  const response = await lab.bao.request('LIST', 'auth/token/accessors');
  assert.equal(response.status, 200);
  return ((response.body as { data?: { keys?: unknown[] } }).data?.keys ?? []).length;
}

async function appLeases(lab: RealLab): Promise<string[]> {
  const response = await lab.bao.request('LIST', 'sys/leases/lookup/database/creds/app/');
  if (response.status === 404) return [];
  assert.equal(response.status, 200);
  return ((response.body as { data?: { keys?: string[] } }).data?.keys ?? []).map((key) => `database/creds/app/${key}`);
}

test('cache.persist with OpenBao: the sidecar keeps the init agent\'s token (no second login) and renews the lease whose credentials the init agent rendered', async () => {
  const lab = await startRealLab({ database: { defaultTtl: '10s', maxTtl: '5m' } });
  try {
    const cacheDir = join(lab.dir, 'vault-agent-cache');
    const destination = join(lab.dir, 'secrets', 'db');
    const templates = [{ destination, contents: '{{ with secret "database/creds/app" }}{{ .Data.username }} {{ .Data.password }} {{ .LeaseID }}{{ end }}', perms: '0600' }];
    const port = await freePort();
    const listener = [{ type: 'tcp', address: `127.0.0.1:${port}`, tls_disable: true }];
    const cache = { use_auto_auth_token: 'true', persist: { type: 'kubernetes', path: cacheDir } };

    const tokensBefore = await tokenCount(lab);
    const init = await startAgent(lab, { ...agentConfig(lab, { mode: 'init', templates }), listener, cache });
    assert.equal((await init.exited).code, 0, init.lines.join('\n'));
    const initText = await readFile(destination, 'utf8');
    const [username, password, leaseId] = initText.split(' ');
    assert.ok(username !== undefined && password !== undefined && leaseId !== undefined);
    lab.secrets.add(password);
    assert.equal(await tokenCount(lab), tokensBefore + 1, 'the init agent logged in once');

    const sidecar = await startAgent(lab, { ...agentConfig(lab, { mode: 'sidecar', templates }), listener, cache });
    await sidecar.waitFor(message('all templates rendered'), 60_000);
    await sidecar.waitFor(message('using the token restored from the persistent cache'));
    assert.equal(await readFile(destination, 'utf8'), initText, 'the sidecar rendered the init agent\'s credentials');
    assert.equal(await tokenCount(lab), tokensBefore + 1, 'OpenBao issued no token to the sidecar');
    assert.deepEqual(await appLeases(lab), [leaseId], 'one lease for the pod in OpenBao');

    // OpenBao's own record: renewed after the sidecar started, and still the only lease.
    const startedAt = Date.now();
    await eventually(async () => {
      const lease = await lookupLease(lab, leaseId);
      const last = typeof lease.data?.['last_renewal'] === 'string' ? Date.parse(lease.data['last_renewal']) : Number.NaN;
      return lease.status === 200 && last >= startedAt - 1000 ? true : undefined;
    }, 30_000, 'OpenBao records a renewal of the init agent\'s lease by the sidecar');
    // Past the lease's first 10s TTL it is still live: only renewals keep it so.
    await new Promise((resolve) => setTimeout(resolve, 11_000));
    const lease = await lookupLease(lab, leaseId);
    assert.equal(lease.status, 200, 'the lease outlived its first TTL');
    assert.deepEqual(await appLeases(lab), [leaseId]);
    assert.equal(await readFile(destination, 'utf8'), initText);
    assert.deepEqual(await lab.postgres!.query('select current_user', { user: username, password }), [[username]], 'the credentials the app read first still log in');
    assert.equal((await sidecar.stop()).code, 0);
    assertNoSecretLogged(lab);
  } finally {
    await lab.close();
  }
});
