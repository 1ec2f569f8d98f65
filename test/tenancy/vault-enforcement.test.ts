/**
 * The webhook bypassed: a hand-crafted agent in namespace team-a talks to Vault directly after `tenants sync`
 * provisioned it. Every attack vector is refused by the Vault double with Vault's own error body, and for a
 * table of requests the admission check and Vault's ACLs agree exactly.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { runTenancySync } from '../../src/tenancy/sync.ts';
import { connectVault } from '../../src/tenancy/vault.ts';
import { tenantNamespaceLister } from '../../src/tenancy/kube.ts';
import { loadTenancyPolicy } from '../../src/tenancy/policy.ts';
import type { SecretOperation, TenancyCheck } from '../../src/tenancy/types.ts';
import { startHarness, vaultCall, type Harness } from './harness.ts';
import { attackVectors, policyText } from './vectors.ts';

const fixture = (name: string): unknown => JSON.parse(readFileSync(new URL(`../doubles/vault/fixtures/${name}`, import.meta.url), 'utf8'));
const aclDenied = fixture('error-permission-denied-acl.response.json');
const namespaceNotAuthorized = fixture('auth-kubernetes-login.error-namespace-not-authorized.response.json');

describe('Vault refuses every vector when the webhook is bypassed', () => {
  let h: Harness;
  let teamAJwt: string;
  let teamAToken: string;
  let check: TenancyCheck;

  before(async () => {
    h = await startHarness();
    h.label('team-a', true);
    h.label('team-b', true);
    const { vault } = h;
    vault.enableKv('secret', 2);
    vault.putKv('secret', 'team-a/db', { password: 'team-a-password' });
    vault.putKv('secret', 'team-b/db', { password: 'team-b-password' });
    vault.enableDatabase('database');
    for (const role of ['team-a-ro', 'team-b-ro']) vault.writeDatabaseRole('database', role, { default_ttl: 3600, max_ttl: 7200 });
    vault.enablePki('pki');
    for (const role of ['team-a', 'team-b']) vault.writePkiRole('pki', role, { ttl: 3600, max_ttl: 7200, key_type: 'ec' });
    // A second auth mount for the platform team, with a broad policy: the auth-path override's target.
    vault.enableKubernetesAuth('kubernetes-platform');
    vault.writePolicy('platform', 'path "secret/*" {\n  capabilities = ["read", "list"]\n}\n');
    vault.writeKubernetesRole('kubernetes-platform', 'platform', { bound_service_account_names: ['*'], bound_service_account_namespaces: ['platform'], token_policies: ['platform'] });

    const session = await connectVault({ address: vault.address, credentials: { kind: 'kubernetes', mount: 'kubernetes', role: 'vault-injector', jwtFile: h.injectorJwtFile } });
    await runTenancySync({ policy: h.policy, listNamespaces: tenantNamespaceLister(h.kube.kubeConfig()), vault: session, dryRun: false });
    await session.close();

    teamAJwt = vault.issueServiceAccountJwt({ namespace: 'team-a', name: 'web' });
    const login = await vaultCall(vault.address, 'POST', 'auth/kubernetes/login', undefined, { role: 'team-a', jwt: teamAJwt });
    assert.equal(login.status, 200, 'team-a logs in with its own role (the control case)');
    teamAToken = (login.body as { auth: { client_token: string; policies: string[] } }).auth.client_token;
    assert.deepEqual((login.body as { auth: { policies: string[] } }).auth.policies, ['default', 'tenant-team-a']);
    const own = await vaultCall(vault.address, 'GET', 'secret/data/team-a/db', teamAToken);
    assert.equal(own.status, 200, 'and reads its own secret (the control case)');

    const loaded = loadTenancyPolicy(policyText, 'tenancy.yaml');
    assert.ok(loaded.ok);
    check = loaded.check;
  });
  after(async () => h.close());

  for (const vector of attackVectors) {
    test(`${vector.name}: refused by Vault with its own error body`, async () => {
      const attempt = vector.vault;
      if (attempt.kind === 'login') {
        const login = await vaultCall(h.vault.address, 'POST', `auth/${attempt.mount}/login`, undefined, { role: attempt.role, jwt: teamAJwt });
        assert.equal(login.status, 403);
        assert.deepEqual(login.body, namespaceNotAuthorized);
      } else {
        const read = await vaultCall(h.vault.address, 'GET', attempt.path, teamAToken);
        assert.equal(read.status, 403);
        assert.deepEqual(read.body, aclDenied);
      }
    });
  }

  test('admission and Vault agree on every request of the table (the policy grants exactly what admission allows)', async () => {
    const cases: Array<[path: string, operation: SecretOperation, allowed: boolean]> = [
      ['secret/data/team-a/db', 'read', true],
      ['secret/data/team-a/nested/deeper', 'read', true],
      ['secret/data/team-a', 'read', false],
      ['secret/data/team-ab/db', 'read', false],
      ['secret/data/team-b/db', 'read', false],
      ['secret/metadata/team-a/db', 'read', false],
      ['secret/data/team-a/db', 'write', false],
      ['database/creds/team-a-ro', 'read', true],
      ['database/creds/team-b-ro', 'read', false],
      ['database/creds/team-a', 'read', false],
      ['pki/issue/team-a', 'write', true],
      ['pki/issue/team-a', 'read', false],
      ['pki/issue/team-b', 'write', false],
      ['pki/issue/team-a/x', 'write', false],
    ];
    for (const [path, operation, allowed] of cases) {
      const denial = check({ namespace: 'team-a', annotations: {}, role: 'team-a', secretPaths: [{ annotation: 'vault.hashicorp.com/agent-inject-template-x', path, operation }] });
      assert.equal(denial === undefined, allowed, `admission: ${operation} ${path}`);
      const response = operation === 'write'
        ? await vaultCall(h.vault.address, 'POST', path, teamAToken, { common_name: 'web.team-a.svc', data: { a: 'b' } })
        : await vaultCall(h.vault.address, 'GET', path, teamAToken);
      assert.equal(response.status !== 403, allowed, `Vault: ${operation} ${path} answered ${response.status}`);
      if (!allowed) assert.deepEqual(response.body, aclDenied);
    }
  });

  test('another namespace\'s service account cannot use team-a\'s role either', async () => {
    const teamBJwt = h.vault.issueServiceAccountJwt({ namespace: 'team-b', name: 'web' });
    const login = await vaultCall(h.vault.address, 'POST', 'auth/kubernetes/login', undefined, { role: 'team-a', jwt: teamBJwt });
    assert.equal(login.status, 403);
    assert.deepEqual(login.body, namespaceNotAuthorized);
  });
});
