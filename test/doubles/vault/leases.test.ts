import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startVaultDouble, type VaultDouble } from './index.ts';
import { assertShape, call, fakeClock, fixture, pick, pickString } from './test-helpers.ts';

describe('database credentials and leases', () => {
  const clock = fakeClock();
  let vault: VaultDouble;
  let token: string;
  before(async () => {
    vault = await startVaultDouble({ now: clock.now });
    vault.enableDatabase();
    vault.writeDatabaseRole('database', 'app', { default_ttl: 3600, max_ttl: 7200 });
    vault.writePolicy('db', `
      path "database/creds/app" { capabilities = ["read"] }
      path "sys/leases/revoke" { capabilities = ["update"] }
    `);
    token = vault.createToken({ policies: ['db'] });
  });
  after(() => vault.close());

  async function creds(): Promise<{ leaseId: string; body: unknown }> {
    const response = await call(vault, 'GET', 'database/creds/app', { token });
    assert.equal(response.status, 200);
    return { leaseId: pickString(response.body, 'lease_id'), body: response.body };
  }

  it('issues leased credentials in the full-wire DERIVED shape', async () => {
    const { leaseId, body } = await creds();
    assertShape(body, fixture('database-creds.full-wire.DERIVED.response.json'), { exact: true });
    assertShape(body, fixture('database-creds.response.json'));
    assert.match(leaseId, /^database\/creds\/app\/[0-9a-f-]{36}$/);
    assert.equal(pick(body, 'lease_duration'), 3600);
    assert.equal(pick(body, 'renewable'), true);
    assert.match(pickString(body, 'data.username'), /^v-kubernetes-app-[A-Za-z0-9]{20}$/);
    assert.match(pickString(body, 'data.password'), /^[A-Za-z0-9]{15}-[A-Za-z0-9]{4}$/);
    assert.ok(vault.issuedValues().includes(pickString(body, 'data.password')));
    const second = await creds();
    assert.notEqual(pick(second.body, 'data.password'), pick(body, 'data.password'));
  });

  it('renews from now, capped at max_ttl with the warning; then "past the max TTL"', async () => {
    const { leaseId } = await creds();
    clock.advance(1000);
    const renewed = await call(vault, 'PUT', 'sys/leases/renew', { token, body: { lease_id: leaseId } });
    assert.equal(renewed.status, 200);
    assertShape(renewed.body, fixture('sys-leases-renew.response.json'));
    assert.equal(pick(renewed.body, 'lease_id'), leaseId);
    assert.equal(pick(renewed.body, 'lease_duration'), 3600);
    assert.equal(pick(renewed.body, 'data'), null);
    clock.advance(3000); // 4000s in: 3200s left before max_ttl
    const capped = await call(vault, 'PUT', 'sys/leases/renew', { token, body: { lease_id: leaseId, increment: 3600 } });
    assert.equal(pick(capped.body, 'lease_duration'), 3200);
    assert.deepEqual(pick(capped.body, 'warnings'), ['TTL of "1h0m0s" exceeded the effective max_ttl of "53m20s"; TTL value is capped accordingly']);
    const lookup = await call(vault, 'PUT', 'sys/leases/lookup', { token, body: { lease_id: leaseId } });
    assert.equal(lookup.status, 200);
    assertShape(pick(lookup.body, 'data'), fixture('sys-leases-lookup.response.json'), { skip: ['$.last_renewal_time'] });
    assert.equal(pick(lookup.body, 'data.ttl'), 3200);
    assert.equal(pick(lookup.body, 'data.id'), leaseId);
    clock.advance(3200);
    const expired = await call(vault, 'PUT', 'sys/leases/renew', { token, body: { lease_id: leaseId } });
    assert.equal(expired.status, 400);
    assert.deepEqual(expired.body, fixture('sys-leases-renew.error-not-found.response.json'));
  });

  it('lease id in the path form works; the body wins over the path', async () => {
    const { leaseId } = await creds();
    const viaPath = await call(vault, 'PUT', `sys/leases/renew/${leaseId}`, { token: vault.rootToken, body: {} });
    assert.equal(viaPath.status, 200);
    const bodyWins = await call(vault, 'PUT', 'sys/leases/renew/database/creds/app/nope', { token: vault.rootToken, body: { lease_id: leaseId } });
    assert.equal(bodyWins.status, 200);
  });

  it('revoke answers 204 (sync, the default) or 202 (sync: false) and the lease is gone', async () => {
    const first = await creds();
    const unknown = await call(vault, 'PUT', 'sys/leases/revoke', { token, body: fixture('sys-leases-revoke.request.json') });
    assert.equal(unknown.status, 204, 'revoking an unknown lease is not an error');
    const revoked = await call(vault, 'PUT', 'sys/leases/revoke', { token, body: { lease_id: first.leaseId, sync: false } });
    assert.equal(revoked.status, 202);
    assert.equal(revoked.text, '');
    const renew = await call(vault, 'PUT', 'sys/leases/renew', { token, body: { lease_id: first.leaseId } });
    assert.deepEqual(renew.body, { errors: ['lease not found'] });
    const second = await creds();
    assert.equal((await call(vault, 'PUT', 'sys/leases/revoke', { token, body: { lease_id: second.leaseId } })).status, 204);
    const lookup = await call(vault, 'PUT', 'sys/leases/lookup', { token, body: { lease_id: second.leaseId } });
    assert.equal(lookup.status, 400);
    assert.deepEqual(lookup.body, { errors: ['invalid lease'] });
  });

  it('revokeLease() and revoking the token end the lease', async () => {
    const first = await creds();
    vault.revokeLease(first.leaseId);
    assert.equal((await call(vault, 'PUT', 'sys/leases/renew', { token, body: { lease_id: first.leaseId } })).status, 400);
    const child = vault.createToken({ policies: ['db'] });
    const owned = await call(vault, 'GET', 'database/creds/app', { token: child });
    vault.revokeToken(child);
    const renew = await call(vault, 'PUT', 'sys/leases/renew', { token: vault.rootToken, body: { lease_id: pickString(owned.body, 'lease_id') } });
    assert.deepEqual(renew.body, { errors: ['lease not found'] });
  });

  it('errors: unknown role, missing lease_id, revoke-prefix needs sudo', async () => {
    const unknown = await call(vault, 'GET', 'database/creds/nope', { token: vault.rootToken });
    assert.equal(unknown.status, 400);
    assert.deepEqual(unknown.body, { errors: ['unknown role: nope'] });
    const missing = await call(vault, 'PUT', 'sys/leases/renew', { token, body: {} });
    assert.deepEqual(missing.body, { errors: ['lease_id must be specified'] });
    vault.writePolicy('prefix', 'path "sys/leases/revoke-prefix/*" { capabilities = ["update"] }');
    const noSudo = await call(vault, 'PUT', 'sys/leases/revoke-prefix/database/creds/app', { token: vault.createToken({ policies: ['prefix'] }) });
    assert.equal(noSudo.status, 403);
    const { leaseId } = await creds();
    assert.equal((await call(vault, 'PUT', 'sys/leases/revoke-prefix/database/creds/app', { token: vault.rootToken })).status, 204);
    assert.equal((await call(vault, 'PUT', 'sys/leases/renew', { token, body: { lease_id: leaseId } })).status, 400);
  });

  it('database roles are managed over HTTP', async () => {
    const root = vault.rootToken;
    assert.equal((await call(vault, 'POST', 'database/roles/web', { token: root, body: { db_name: 'pg', default_ttl: '1h', max_ttl: '24h' } })).status, 204);
    const read = await call(vault, 'GET', 'database/roles/web', { token: root });
    assert.equal(pick(read.body, 'data.default_ttl'), 3600);
    assert.equal(pick(read.body, 'data.max_ttl'), 86400);
    assert.deepEqual(pick((await call(vault, 'LIST', 'database/roles', { token: root })).body, 'data.keys'), ['app', 'web']);
    const issued = await call(vault, 'GET', 'database/creds/web', { token: root });
    assert.equal(pick(issued.body, 'lease_duration'), 3600);
  });

  it('static creds have no lease; ttl counts down and the password rotates by the clock', async () => {
    vault.writeDatabaseStaticRole('database', 'static', { username: 'static-user', rotation_period: 30 });
    vault.writePolicy('static', 'path "database/static-creds/static" { capabilities = ["read"] }');
    const reader = vault.createToken({ policies: ['static'] });
    const first = await call(vault, 'GET', 'database/static-creds/static', { token: reader });
    assert.equal(first.status, 200);
    assertShape(first.body, fixture('database-static-creds.response.json'));
    assert.equal(pick(first.body, 'lease_id'), '');
    assert.equal(pick(first.body, 'data.ttl'), 30);
    assert.equal(pick(first.body, 'data.username'), 'static-user');
    clock.advance(2);
    const same = await call(vault, 'GET', 'database/static-creds/static', { token: reader });
    assert.equal(pick(same.body, 'data.ttl'), 28);
    assert.equal(pick(same.body, 'data.password'), pick(first.body, 'data.password'));
    clock.advance(28);
    const rotated = await call(vault, 'GET', 'database/static-creds/static', { token: reader });
    assert.equal(pick(rotated.body, 'data.ttl'), 30);
    assert.notEqual(pick(rotated.body, 'data.password'), pick(first.body, 'data.password'));
  });
});
