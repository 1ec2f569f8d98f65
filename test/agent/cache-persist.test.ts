// cache.persist carrying what vault-k8s relies on: the init agent's templates read through its
// lease cache, the sidecar restores it, keeps the init agent's token (no second login) and renders
// the SAME database credentials from the restored lease, which it then keeps renewing. A restored
// token Vault no longer takes is dropped with its leases and the sidecar logs in as usual.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { agentConfig, assertNothingSecretLogged, countRequests, eventually, message, startAgent, startLab, type Lab } from './harness.ts';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

const logins = (lab: Lab): number => lab.vault.requests.filter((request) => request.path.startsWith('/v1/auth/kubernetes/login')).length;

/** The init agent then the sidecar, as vault-k8s configures them with agent-cache-enable and an init container. */
async function initThenSidecar(lab: Lab, beforeSidecar: (cacheDir: string) => Promise<void> = async () => undefined) {
  lab.vault.writeDatabaseRole('database', 'app', { default_ttl: 3, max_ttl: 120 });
  const cacheDir = join(lab.dir, 'vault-agent-cache');
  const destination = join(lab.dir, 'secrets', 'db-creds');
  const templates = [{ destination, contents: '{{ with secret "database/creds/app" }}{{ .Data.username }}:{{ .Data.password }}{{ end }}' }];
  // Both agents listen on the same port, as in the pod: the request (Host included) is the cache key.
  const port = await freePort();
  const listener = [{ type: 'tcp', address: `127.0.0.1:${port}`, tls_disable: true }];
  const cache = { use_auto_auth_token: 'true', persist: { type: 'kubernetes', path: cacheDir } };
  const init = await startAgent(lab, { ...agentConfig(lab, { mode: 'init', templates }), listener, cache });
  assert.equal((await init.exited).code, 0, init.lines.join('\n'));
  const initCreds = await readFile(destination, 'utf8');
  assert.match(initCreds, /^.+:.+$/);
  const loginsAfterInit = logins(lab);
  await beforeSidecar(cacheDir);
  const sidecar = await startAgent(lab, { ...agentConfig(lab, { mode: 'sidecar', templates }), listener, cache });
  await sidecar.waitFor(message('all templates rendered'), 20_000);
  return { initCreds, destination, loginsAfterInit, sidecar, port };
}

test('cache.persist: the sidecar keeps the init agent\'s token and renders the same database credentials, then keeps renewing that lease', async () => {
  const lab = await startLab();
  try {
    const { initCreds, destination, loginsAfterInit, sidecar } = await initThenSidecar(lab);
    assert.equal(loginsAfterInit, 1);
    await sidecar.waitFor(message('using the token restored from the persistent cache'));
    assert.equal(await readFile(destination, 'utf8'), initCreds, 'the sidecar\'s first render is the init render');
    assert.equal(logins(lab), 1, 'the sidecar did not log in again');
    assert.equal(countRequests(lab, 'GET', '/v1/database/creds/app'), 1, 'one lease for the pod, read by the init agent');
    const renewalsAtStart = countRequests(lab, 'PUT', '/v1/sys/leases/renew');
    // A 3s lease outlives several renewal rounds only if the sidecar renews the restored one.
    await eventually(() => (countRequests(lab, 'PUT', '/v1/sys/leases/renew') >= renewalsAtStart + 3 ? true : undefined), 20_000, 'renewals of the restored lease');
    assert.equal(await readFile(destination, 'utf8'), initCreds, 'still the same credentials after renewals');
    assert.equal(countRequests(lab, 'GET', '/v1/database/creds/app'), 1);
    assert.equal(logins(lab), 1);
    assert.equal((await sidecar.stop()).code, 0);
    assertNothingSecretLogged(lab);
  } finally {
    await lab.close();
  }
});

test('cache.persist: a restored token Vault no longer takes is dropped with its leases; the sidecar logs in and reads new credentials', async () => {
  const lab = await startLab();
  try {
    const { initCreds, destination, sidecar } = await initThenSidecar(lab, async (cacheDir) => {
      const saved = JSON.parse(await readFile(join(cacheDir, 'vault-agent-cache.json'), 'utf8')) as { entries: Array<{ kind: string; token?: string; response?: unknown }> };
      const autoAuth = saved.entries.find((entry) => entry.kind === 'token' && entry.response === undefined);
      assert.ok(autoAuth?.token !== undefined, 'the init agent persisted its auto-auth token');
      const revoked = await fetch(`${lab.vault.address}/v1/auth/token/revoke-self`, { method: 'PUT', headers: { 'x-vault-token': autoAuth.token } });
      assert.equal(revoked.status, 204);
    });
    await sidecar.waitFor(message('the token restored from the persistent cache is not valid; logging in'));
    assert.equal(logins(lab), 2);
    assert.equal(countRequests(lab, 'GET', '/v1/database/creds/app'), 2);
    assert.notEqual(await readFile(destination, 'utf8'), initCreds);
    assert.equal((await sidecar.stop()).code, 0);
    assertNothingSecretLogged(lab);
  } finally {
    await lab.close();
  }
});
