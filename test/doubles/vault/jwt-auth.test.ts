import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { generateKeyPairSync, sign } from 'node:crypto';
import { startVaultDouble, type VaultDouble } from './index.ts';
import { assertShape, call, fakeClock, fixture, pick } from './test-helpers.ts';

const subject = 'system:serviceaccount:team-a:app';

describe('jwt auth: config, roles and login in OpenBao\'s order', () => {
  const clock = fakeClock();
  let vault: VaultDouble;
  before(async () => {
    vault = await startVaultDouble({ now: clock.now });
    vault.enableJwtAuth('jwt');
    vault.writePolicy('team-a', 'path "secret/data/team-a/*" { capabilities = ["read"] }');
    vault.writeJwtRole('jwt', 'team-a', { role_type: 'jwt', user_claim: 'sub', bound_subject: subject, bound_audiences: ['https://kubernetes.default.svc.cluster.local'], token_policies: ['team-a'], token_ttl: 600 });
    vault.writeJwtRole('jwt', 'browser', { role_type: 'oidc', user_claim: 'sub' });
  });
  after(() => vault.close());

  it('a service-account JWT logs in: the envelope of a login, policies, ttl, metadata role', async () => {
    const jwt = vault.issueServiceAccountJwt({ namespace: 'team-a', name: 'app' });
    const response = await call(vault, 'POST', 'auth/jwt/login', { body: { role: 'team-a', jwt } });
    assert.equal(response.status, 200);
    assertShape(response.body, fixture('auth-kubernetes-login.response.json'), { skip: ['$.auth.metadata'] });
    assert.deepEqual(pick(response.body, 'auth.policies'), ['default', 'team-a']);
    assert.deepEqual(pick(response.body, 'auth.metadata'), { role: 'team-a' });
    assert.equal(pick(response.body, 'auth.lease_duration'), 600);
    assert.equal(pick(response.body, 'mount_type'), 'jwt');
  });

  it('refusals, each with the plugin\'s (or cap\'s) error text', async () => {
    const jwt = vault.issueServiceAccountJwt({ namespace: 'team-a', name: 'app' });
    const other = vault.issueServiceAccountJwt({ namespace: 'team-b', name: 'app' });
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const [header, payload] = jwt.split('.');
    const forged = `${header}.${payload}.${sign('sha256', Buffer.from(`${header}.${payload}`), { key: privateKey, dsaEncoding: 'ieee-p1363' }).toString('base64url')}`;
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ jwt }, 'missing role'],
      [{ role: 'nobody', jwt }, 'role "nobody" could not be found'],
      [{ role: 'browser', jwt }, 'role with oidc role_type is not allowed'],
      [{ role: 'team-a' }, 'missing token'],
      [{ role: 'team-a', jwt: forged }, 'error validating token: error verifying token signature: no known key successfully validated the token signature'],
      [{ role: 'team-a', jwt: other }, 'error validating token: invalid subject (sub) claim'],
    ];
    for (const [body, error] of cases) {
      const response = await call(vault, 'POST', 'auth/jwt/login', { body });
      assert.equal(response.status, 400, error);
      assert.deepEqual(response.body, { errors: [error] }, error);
    }
    clock.advance(2 * 365 * 24 * 3600);
    const expired = await call(vault, 'POST', 'auth/jwt/login', { body: { role: 'team-a', jwt } });
    assert.deepEqual(expired.body, { errors: ['error validating token: invalid expiration time (exp) claim: token is expired'] });
  });

  it('roles: validation messages, read back, list', async () => {
    const missingClaim = await call(vault, 'POST', 'auth/jwt/role/x', { body: { role_type: 'jwt', bound_audiences: ['a'] }, token: vault.rootToken });
    assert.deepEqual(missingClaim.body, { errors: ['a user claim must be defined on the role'] });
    const unbound = await call(vault, 'POST', 'auth/jwt/role/x', { body: { role_type: 'jwt', user_claim: 'sub' }, token: vault.rootToken });
    assert.deepEqual(unbound.body, { errors: ['must have at least one bound constraint when creating/updating a role'] });
    const read = await call(vault, 'GET', 'auth/jwt/role/team-a', { token: vault.rootToken });
    assert.equal(pick(read.body, 'data.role_type'), 'jwt');
    assert.deepEqual(pick(read.body, 'data.bound_audiences'), ['https://kubernetes.default.svc.cluster.local']);
    const list = await call(vault, 'LIST', 'auth/jwt/role', { token: vault.rootToken });
    assert.deepEqual(pick(list.body, 'data.keys'), ['browser', 'team-a']);
  });
});
