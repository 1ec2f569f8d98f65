import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { goDuration, parseDurationSeconds } from './clock.ts';
import { startVaultDouble, type VaultDouble } from './index.ts';
import { assertShape, badTokenBody, call, fakeClock, fixture, pick, pickNumber, pickString } from './test-helpers.ts';

describe('tokens: lookup, renew, revoke, expiry', () => {
  const clock = fakeClock();
  let vault: VaultDouble;
  before(async () => {
    vault = await startVaultDouble({ now: clock.now });
    vault.enableKubernetesAuth();
    vault.writeKubernetesRole('kubernetes', 'app', {
      bound_service_account_names: ['app'], bound_service_account_namespaces: ['ns'], token_ttl: 600, token_max_ttl: 1800,
    });
  });
  after(() => vault.close());

  async function login(): Promise<string> {
    const jwt = vault.issueServiceAccountJwt({ namespace: 'ns', name: 'app' });
    const response = await call(vault, 'POST', 'auth/kubernetes/login', { body: { role: 'app', jwt } });
    assert.equal(response.status, 200);
    return pickString(response.body, 'auth.client_token');
  }

  it('lookup-self has the fixture fields (identity_policies only with identity policies)', async () => {
    const token = await login();
    clock.advance(10);
    const response = await call(vault, 'GET', 'auth/token/lookup-self', { token });
    assert.equal(response.status, 200);
    assertShape(response.body, fixture('token-lookup-self.response.json'), { skip: ['$.data.identity_policies', '$.data.meta.username'] });
    assertShape(response.body, fixture('kv2-read.full-wire.response.json'), { skip: ['$.data', '$.mount_type'] });
    assert.equal(pick(response.body, 'data.id'), token);
    assert.equal(pick(response.body, 'data.ttl'), 590);
    assert.equal(pick(response.body, 'data.creation_ttl'), 600);
    assert.equal(pick(response.body, 'data.creation_time'), Math.floor(clock.now() / 1000) - 10);
    assert.equal(pick(response.body, 'data.expire_time'), new Date(clock.now() + 590_000).toISOString().replace('.000Z', 'Z'));
    assert.deepEqual(pick(response.body, 'data.policies'), ['default']);
    assert.equal(pick(response.body, 'data.meta.service_account_namespace'), 'ns');
    assert.equal(pick(response.body, 'data.type'), 'service');
  });

  it('renew-self extends from now, then caps at max TTL with Vault\'s warning', async () => {
    const token = await login();
    clock.advance(300);
    const renewed = await call(vault, 'PUT', 'auth/token/renew-self', { token, body: { increment: 0 } });
    assert.equal(renewed.status, 200);
    assertShape(renewed.body, fixture('token-renew-self.response.json'), { skip: ['$.auth.metadata.user'] });
    assertShape(renewed.body, fixture('auth-kubernetes-login.full-wire.DERIVED.response.json'), { skip: ['$.mount_type', '$.warnings'] });
    assert.equal(pick(renewed.body, 'auth.lease_duration'), 600);
    assert.equal(pick(renewed.body, 'warnings'), null);
    assert.equal(pick(renewed.body, 'auth.client_token'), token);

    clock.advance(500); // 800s since login: 1000s left before max TTL
    const capped = await call(vault, 'POST', 'auth/token/renew-self', { token, body: { increment: '1h' } });
    assert.equal(capped.status, 200);
    assert.equal(pick(capped.body, 'auth.lease_duration'), 1000);
    assert.deepEqual(pick(capped.body, 'warnings'), ['TTL of "1h0m0s" exceeded the effective max_ttl of "16m40s"; TTL value is capped accordingly']);
    const lookup = await call(vault, 'GET', 'auth/token/lookup-self', { token });
    assert.equal(pick(lookup.body, 'data.ttl'), 1000);
    assert.equal(typeof pick(lookup.body, 'data.last_renewal_time'), 'number');

    clock.advance(1000); // exactly at max TTL: the token has expired
    const expired = await call(vault, 'GET', 'auth/token/lookup-self', { token });
    assert.equal(expired.status, 403);
    assert.deepEqual(expired.body, badTokenBody);
  });

  it('expires by the clock when not renewed', async () => {
    const token = await login();
    clock.advance(599);
    assert.equal((await call(vault, 'GET', 'auth/token/lookup-self', { token })).status, 200);
    clock.advance(1);
    const response = await call(vault, 'GET', 'auth/token/lookup-self', { token });
    assert.equal(response.status, 403);
    assert.deepEqual(response.body, badTokenBody);
  });

  it('revoke-self answers 204 with no body and kills the token', async () => {
    const token = await login();
    const revoked = await call(vault, 'POST', 'auth/token/revoke-self', { token });
    assert.equal(revoked.status, 204);
    assert.equal(revoked.text, '');
    assert.deepEqual((await call(vault, 'GET', 'auth/token/lookup-self', { token })).body, badTokenBody);
  });

  it('revokeToken() kills a token from the test side', async () => {
    const token = await login();
    vault.revokeToken(token);
    assert.equal((await call(vault, 'GET', 'auth/token/lookup-self', { token })).status, 403);
  });

  it('renewal fails once the role is deleted', async () => {
    vault.writeKubernetesRole('kubernetes', 'temp', { bound_service_account_names: ['app'], bound_service_account_namespaces: ['ns'] });
    const jwt = vault.issueServiceAccountJwt({ namespace: 'ns', name: 'app' });
    const token = pickString((await call(vault, 'POST', 'auth/kubernetes/login', { body: { role: 'temp', jwt } })).body, 'auth.client_token');
    await call(vault, 'DELETE', 'auth/kubernetes/role/temp', { token: vault.rootToken });
    const response = await call(vault, 'PUT', 'auth/token/renew-self', { token, body: {} });
    assert.equal(response.status, 500);
    assert.deepEqual(response.body, { errors: ['role temp does not exist during renewal'] });
  });

  const badTokens: Array<[string, Record<string, string>]> = [
    ['no token', {}],
    ['unknown token', { 'X-Vault-Token': 'hvs.unknownunknownunknown1' }],
    ['Authorization without Bearer', { Authorization: 'Basic abc' }],
  ];
  for (const [name, headers] of badTokens) {
    it(`403 permission denied for ${name}`, async () => {
      const response = await call(vault, 'GET', 'auth/token/lookup-self', { headers });
      assert.equal(response.status, 403);
      assert.deepEqual(response.body, badTokenBody);
    });
  }

  it('X-Vault-Token wins over Authorization: Bearer', async () => {
    const token = await login();
    const response = await call(vault, 'GET', 'auth/token/lookup-self', { headers: { 'X-Vault-Token': token, Authorization: 'Bearer hvs.bogus' } });
    assert.equal(response.status, 200);
  });

  it('root token: never expires, not renewable', async () => {
    clock.advance(10 * 365 * 24 * 3600);
    const lookup = await call(vault, 'GET', 'auth/token/lookup-self', { token: vault.rootToken });
    assert.equal(lookup.status, 200);
    assert.deepEqual(pick(lookup.body, 'data.policies'), ['root']);
    assert.equal(pick(lookup.body, 'data.expire_time'), null);
    assert.equal(pick(lookup.body, 'data.ttl'), 0);
    const renew = await call(vault, 'POST', 'auth/token/renew-self', { token: vault.rootToken });
    assert.equal(renew.status, 400);
    assert.deepEqual(renew.body, { errors: ['lease is not renewable'] });
  });

  it('auth/token/create answers the token-create fixture shape; children die with their parent', async () => {
    vault.writePolicy('web', 'path "secret/*" { capabilities = ["read"] }');
    const created = await call(vault, 'POST', 'auth/token/create', { token: vault.rootToken, body: { policies: ['web'], ttl: '1h' } });
    assert.equal(created.status, 200);
    assertShape(created.body, fixture('token-create.response.json'), { nullable: ['$.warnings', '$.auth.metadata'] });
    assert.deepEqual(pick(created.body, 'auth.policies'), ['default', 'web']);
    assert.equal(pickNumber(created.body, 'auth.lease_duration'), 3600);
    const parent = pickString(created.body, 'auth.client_token');
    vault.writePolicy('creator', 'path "auth/token/create" { capabilities = ["update"] }');
    const creatorToken = vault.createToken({ policies: ['creator', 'web'] });
    const child = await call(vault, 'POST', 'auth/token/create', { token: creatorToken, body: { policies: ['web'] } });
    assert.equal(child.status, 200);
    const notSubset = await call(vault, 'POST', 'auth/token/create', { token: creatorToken, body: { policies: ['admin'] } });
    assert.equal(notSubset.status, 400);
    assert.deepEqual(notSubset.body, { errors: ['child policies must be subset of parent'] });
    vault.revokeToken(creatorToken);
    assert.equal((await call(vault, 'GET', 'auth/token/lookup-self', { token: pickString(child.body, 'auth.client_token') })).status, 403);
    assert.equal((await call(vault, 'GET', 'auth/token/lookup-self', { token: parent })).status, 200);
  });
});

describe('duration helpers', () => {
  const formats: Array<[number, string]> = [[0, '0s'], [45, '45s'], [60, '1m0s'], [3600, '1h0m0s'], [2764800, '768h0m0s'], [3661, '1h1m1s']];
  for (const [seconds, text] of formats) it(`goDuration(${seconds}) = ${text}`, () => assert.equal(goDuration(seconds), text));
  const parses: Array<[unknown, number | undefined]> = [[30, 30], ['30', 30], ['1h', 3600], ['1h30m', 5400], ['90s', 90], ['', 0], ['1x', undefined], ['h', undefined]];
  for (const [input, expected] of parses) it(`parseDurationSeconds(${JSON.stringify(input)}) = ${expected}`, () => assert.equal(parseDurationSeconds(input), expected));
});
