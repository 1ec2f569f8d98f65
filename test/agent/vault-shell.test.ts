// The agent's Vault shell in-process against the double: node-vault over our transport (raw body
// text kept), Kubernetes login, KV v2 detection and path rewriting, failure classification.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pino } from 'pino';
import { createVaultClient, VaultFailure } from '../../agent/src/vault/client.ts';
import { SecretStore } from '../../agent/src/secrets/store.ts';
import { SecretRegistry } from '../../agent/src/logger.ts';
import type { TlsSettings } from '../../agent/src/config/settings.ts';
import { countRequests, NAMESPACE, ROLE, SERVICE_ACCOUNT, startLab } from './harness.ts';

const noTls: TlsSettings = { caCertFile: undefined, caPath: undefined, clientCertFile: undefined, clientKeyFile: undefined, serverName: undefined, skipVerify: false };

test('client: login, raw body text with number text kept, failures as data', async () => {
  const lab = await startLab();
  const client = createVaultClient({ address: lab.vault.address, namespace: undefined, tls: noTls });
  try {
    lab.vault.putKv('kv', 'app/raw', '{"port":5432.0,"big":12345678901234567890}');
    const login = await client.login('auth/kubernetes/login', ROLE, lab.jwt);
    assert.ok(lab.vault.issuedValues().includes(login.token));
    assert.equal(login.renewable, true);
    assert.ok(login.policies.includes('app'));
    const answer = await client.read('kv/app/raw');
    assert.equal(answer.status, 200);
    assert.match(answer.rawText, /"port":\s*5432\.0/, 'the exact number text survives');
    assert.match(answer.rawText, /12345678901234567890/);

    await assert.rejects(client.read('kv/app/none'), (error: unknown) => error instanceof VaultFailure && error.status === 404);
    await assert.rejects(client.read('secret/data/other/x'), (error: unknown) => error instanceof VaultFailure && error.status === 403 && /permission denied/.test(error.vaultErrors.join()));
    const wrongSa = lab.vault.issueServiceAccountJwt({ namespace: NAMESPACE, name: `${SERVICE_ACCOUNT}-other` });
    await assert.rejects(client.login('auth/kubernetes/login', ROLE, wrongSa), (error: unknown) => error instanceof VaultFailure && error.status === 403 && error.vaultErrors[0] === 'service account name not authorized');
    const mount = await client.mountInfo('secret/app/db');
    assert.deepEqual(mount, { path: 'secret/', type: 'kv', version: '2' });
    await lab.vault.stop();
    await assert.rejects(client.read('kv/app/raw'), (error: unknown) => error instanceof VaultFailure && error.unreachable && error.networkReason === 'connection refused');
  } finally {
    client.close();
    await lab.close();
  }
});

test('store: KV v2 shim, one fetch per path, 403 told apart from a dead token', async () => {
  const lab = await startLab();
  const client = createVaultClient({ address: lab.vault.address, namespace: undefined, tls: noTls });
  let tokenRejected = 0;
  const secrets = new SecretRegistry();
  const store = new SecretStore({
    client,
    logger: pino({ level: 'silent' }),
    secrets,
    now: Date.now,
    random: () => 0.5,
    staticIntervalMs: 300_000,
    leaseRenewalThreshold: 0.9,
    minBackoffMs: 100,
    maxBackoffMs: 400,
    onChange: () => undefined,
    onTokenRejected: () => tokenRejected++,
  });
  try {
    lab.vault.putKv('secret', 'app/db', { password: 'pw-store-7731' });
    lab.vault.putKv('secret', 'app/other', { password: 'pw-store-other-1' });
    const token = (await client.login('auth/kubernetes/login', ROLE, lab.jwt)).token;
    const failures = await store.fetchAll([{ kind: 'read', path: 'secret/app/db' }, { kind: 'read', path: 'secret/app/db' }, { kind: 'read', path: 'secret/app/other' }]);
    assert.equal(failures.size, 0);
    assert.equal(countRequests(lab, 'GET', '/v1/sys/internal/ui/mounts/'), 1, 'one mount lookup for paths of one mount');
    assert.match(store.lookup({ kind: 'read', path: 'secret/app/db' }) ?? '', /pw-store-7731/);
    assert.equal(countRequests(lab, 'GET', '/v1/secret/data/app/db'), 1, 'rewritten to data/ and fetched once');
    assert.equal(secrets.scrub('x pw-store-7731 y'), 'x [REDACTED] y', 'fetched values are registered for scrubbing');

    const denied = await store.fetchAll([{ kind: 'read', path: 'secret/other/db' }]);
    assert.equal([...denied.values()][0]?.kind, 'forbidden');
    assert.equal([...denied.values()][0]?.vaultPath, 'secret/data/other/db');
    assert.equal(tokenRejected, 0);

    const missing = await store.fetchAll([{ kind: 'read', path: 'secret/app/nothing' }]);
    assert.equal([...missing.values()][0]?.kind, 'missing');

    lab.vault.revokeToken(token);
    const dead = await store.fetchAll([{ kind: 'read', path: 'kv/app/x' }]);
    assert.equal([...dead.values()][0]?.kind, 'token');
    assert.equal(tokenRejected, 1);
  } finally {
    store.stop();
    client.close();
    await lab.close();
  }
});

test('client: X-Vault-Namespace is sent when a namespace is set (Community Edition refuses it)', async () => {
  const lab = await startLab();
  const plain = createVaultClient({ address: lab.vault.address, namespace: undefined, tls: noTls });
  const namespaced = createVaultClient({ address: lab.vault.address, namespace: 'team-a/', tls: noTls });
  try {
    await plain.login('auth/kubernetes/login', ROLE, lab.jwt);
    await assert.rejects(namespaced.login('auth/kubernetes/login', ROLE, lab.jwt), (error: unknown) => error instanceof VaultFailure && error.status === 403 && error.vaultErrors[0] === 'namespaces feature not enabled');
  } finally {
    plain.close();
    namespaced.close();
    await lab.close();
  }
});

test('client: TLS files named in the config must be readable, and the error names the field', () => {
  const cases: Array<[Partial<TlsSettings>, string]> = [
    [{ caCertFile: '/nonexistent/ca.pem' }, 'vault.ca_cert: cannot read "/nonexistent/ca.pem": no such file or directory'],
    [{ clientCertFile: '/nonexistent/tls.crt' }, 'vault.client_cert: cannot read "/nonexistent/tls.crt": no such file or directory'],
    [{ caPath: '/nonexistent/cas' }, 'vault.ca_path: cannot read "/nonexistent/cas": no such file or directory'],
  ];
  for (const [tls, expected] of cases) {
    assert.throws(() => createVaultClient({ address: 'https://vault:8200', namespace: undefined, tls: { ...noTls, ...tls } }), (error: unknown) => error instanceof Error && error.message === expected);
  }
});

test('client: TLS with ca_cert and tls_server_name; verification on unless tls_skip_verify', async () => {
  const { generateCa, generateServing } = await import('../../src/tls/generate.ts');
  const https = await import('node:https');
  const http = await import('node:http');
  const { writeFile } = await import('node:fs/promises');
  const { join } = await import('node:path');
  const lab = await startLab();
  const ca = await generateCa({ nowMs: Date.now() });
  const serving = await generateServing({ ca, hosts: ['vault.test'], nowMs: Date.now() });
  const target = new URL(lab.vault.address);
  // A TLS front for the (plain HTTP) double, as a real Vault listener would be.
  const server = https.createServer({ cert: serving.certPem, key: serving.keyPem }, (request, response) => {
    const forward = http.request({ host: target.hostname, port: target.port, path: request.url, method: request.method, headers: request.headers }, (answer) => {
      response.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(response);
    });
    request.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = `https://127.0.0.1:${(server.address() as { port: number }).port}`;
  const caFile = join(lab.dir, 'ca.pem');
  await writeFile(caFile, ca.certPem);
  const clients: Array<ReturnType<typeof createVaultClient>> = [];
  const client = (tls: Partial<TlsSettings>) => {
    const created = createVaultClient({ address, namespace: undefined, tls: { ...noTls, ...tls } });
    clients.push(created);
    return created;
  };
  try {
    const verified = await client({ caCertFile: caFile, serverName: 'vault.test' }).login('auth/kubernetes/login', ROLE, lab.jwt);
    assert.ok(lab.vault.issuedValues().includes(verified.token));
    await assert.rejects(client({}).login('auth/kubernetes/login', ROLE, lab.jwt), (error: unknown) => error instanceof VaultFailure && error.unreachable && /^TLS: /.test(error.networkReason ?? ''));
    await assert.rejects(client({ caCertFile: caFile }).login('auth/kubernetes/login', ROLE, lab.jwt), (error: unknown) => error instanceof VaultFailure && error.networkReason === 'TLS: the server certificate does not match the host name (set vault.tls_server_name)');
    const skipped = await client({ skipVerify: true }).login('auth/kubernetes/login', ROLE, lab.jwt);
    assert.ok(skipped.token.length > 0);
  } finally {
    for (const created of clients) created.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await lab.close();
  }
});
