// The agent's client (node-vault) against the double: proves the client understands its answers.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import nodeVault from 'node-vault';
import { startVaultDouble, type VaultDouble } from './index.ts';
import { fakeClock, pick, pickString } from './test-helpers.ts';

describe('node-vault against the double', () => {
  const clock = fakeClock();
  let vault: VaultDouble;
  before(async () => {
    vault = await startVaultDouble({ now: clock.now });
    vault.enableKubernetesAuth();
    vault.enableKv('secret', 2);
    vault.enableKv('kv', 1);
    vault.enableDatabase();
    vault.writeDatabaseRole('database', 'app', { default_ttl: 600, max_ttl: 1200 });
    vault.enablePki();
    vault.writePkiRole('pki', 'web', { ttl: 3600, max_ttl: 3600 });
    vault.putKv('secret', 'app/config', '{"user":"app","port":5432.0}');
    vault.putKv('kv', 'app/legacy', { user: 'legacy' });
    vault.writePolicy('app', `
      path "secret/data/app/*" { capabilities = ["read", "create", "update"] }
      path "secret/metadata/app/*" { capabilities = ["list"] }
      path "kv/app/*" { capabilities = ["read", "list"] }
      path "database/creds/app" { capabilities = ["read"] }
      path "pki/issue/web" { capabilities = ["create", "update"] }
      path "sys/leases/revoke" { capabilities = ["update"] }
    `);
    vault.writeKubernetesRole('kubernetes', 'app', {
      bound_service_account_names: ['app'], bound_service_account_namespaces: ['team-a'], token_policies: ['app'], token_ttl: 300, token_max_ttl: 600,
    });
  });
  after(() => vault.close());

  function client(token?: string, options: Record<string, unknown> = {}): nodeVault.client {
    return nodeVault({ endpoint: vault.address, ...(token === undefined ? {} : { token }), ...options });
  }

  async function login(): Promise<nodeVault.client> {
    const vaultClient = client();
    const jwt = vault.issueServiceAccountJwt({ namespace: 'team-a', name: 'app' });
    // node-vault 0.12 never fills {{kubernetesPath}} in its login path: without mount_point it
    // posts to auth//login. The agent must pass mount_point.
    const result: unknown = await vaultClient.kubernetesLogin({ role: 'app', jwt, mount_point: 'kubernetes' });
    assert.match(pickString(result, 'auth.client_token'), /^hvs\./);
    assert.equal(vaultClient.token, pickString(result, 'auth.client_token'), 'node-vault adopts the login token');
    return vaultClient;
  }

  it('kubernetesLogin, tokenLookupSelf, tokenRenewSelf', async () => {
    const vaultClient = await login();
    clock.advance(100);
    const lookup: unknown = await vaultClient.tokenLookupSelf();
    assert.equal(pick(lookup, 'data.ttl'), 200);
    assert.deepEqual(pick(lookup, 'data.policies'), ['app', 'default']);
    const renewed: unknown = await vaultClient.tokenRenewSelf({ increment: 900 });
    assert.equal(pick(renewed, 'auth.lease_duration'), 500, '600s max TTL minus the 100s gone');
    assert.equal((pick(renewed, 'warnings') as string[]).length, 1);
  });

  it('reads and writes KV v2 and v1, lists with LIST and with ?list=1', async () => {
    const vaultClient = await login();
    const read: unknown = await vaultClient.read('secret/data/app/config');
    assert.deepEqual(pick(read, 'data.data'), { user: 'app', port: 5432 });
    const written: unknown = await vaultClient.write('secret/data/app/new', { data: { a: 'b' } });
    assert.equal(pick(written, 'data.version'), 1);
    const listed: unknown = await vaultClient.list('secret/metadata/app');
    assert.deepEqual(pick(listed, 'data.keys'), ['config', 'new']);
    const listedByQuery: unknown = await client(vaultClient.token, { noCustomHTTPVerbs: true }).list('kv/app');
    assert.deepEqual(pick(listedByQuery, 'data.keys'), ['legacy']);
    const legacy: unknown = await vaultClient.read('kv/app/legacy');
    assert.deepEqual(pick(legacy, 'data'), { user: 'legacy' });
  });

  it('surfaces Vault errors as ApiResponseError with the status and first message', async () => {
    const vaultClient = await login();
    await assert.rejects(vaultClient.read('secret/data/other'), (error: Error & { response?: { statusCode: number; body: unknown } }) => {
      assert.equal(error.message, '1 error occurred:\n\t* permission denied\n\n');
      assert.equal(error.response?.statusCode, 403);
      return true;
    });
    await assert.rejects(vaultClient.read('secret/data/app/missing'), (error: Error & { response?: { statusCode: number } }) => {
      assert.equal(error.message, 'Status 404', 'a 404 {"errors":[]} has no message');
      assert.equal(error.response?.statusCode, 404);
      return true;
    });
    await assert.rejects(client('hvs.bogusbogusbogusbogus12').tokenLookupSelf(), /permission denied/);
    await assert.rejects(client().kubernetesLogin({ role: 'nope', jwt: 'x', mount_point: 'kubernetes' }), /invalid role name "nope"/);
    const jwt = vault.issueServiceAccountJwt({ namespace: 'team-a', name: 'app' });
    await assert.rejects(client().kubernetesLogin({ role: 'app', jwt }), /permission denied/, 'auth//login is no login path');
    assert.equal(vault.requests.at(-1)?.path, '/v1/auth//login');
  });

  it('database creds, lease renew, and revoke (204, as OpenBao answers)', async () => {
    const vaultClient = await login();
    const creds: unknown = await vaultClient.read('database/creds/app');
    const leaseId = pickString(creds, 'lease_id');
    const renewed: unknown = await client(vault.rootToken).renew({ lease_id: leaseId, increment: 60 });
    assert.equal(pick(renewed, 'lease_duration'), 60);
    await vaultClient.revoke({ lease_id: leaseId });
    await assert.rejects(client(vault.rootToken).renew({ lease_id: leaseId }), /lease not found/);
  });

  it('PKI issue through write()', async () => {
    const vaultClient = await login();
    const issued: unknown = await vaultClient.write('pki/issue/web', { common_name: 'web.example.com' });
    assert.match(pickString(issued, 'data.certificate'), /^-----BEGIN CERTIFICATE-----/);
    assert.equal(typeof pick(issued, 'data.expiration'), 'number');
  });

  it('health and tokenRevokeSelf', async () => {
    const health: unknown = await client().health();
    assert.equal(pick(health, 'sealed'), false);
    const vaultClient = await login();
    await vaultClient.tokenRevokeSelf();
    await assert.rejects(vaultClient.tokenLookupSelf(), /permission denied/);
  });
});
