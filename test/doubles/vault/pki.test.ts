import assert from 'node:assert/strict';
import { X509Certificate, createPrivateKey, createPublicKey } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { startVaultDouble, type VaultDouble } from './index.ts';
import { assertShape, call, fixture, pick, pickNumber, pickString } from './test-helpers.ts';

describe('PKI issue', () => {
  let vault: VaultDouble;
  let token: string;
  before(async () => {
    vault = await startVaultDouble();
    vault.enablePki();
    vault.writePkiRole('pki', 'web', { ttl: 3600, max_ttl: 7200 });
    vault.writePkiRole('pki', 'leased', { ttl: 600, max_ttl: 600, generate_lease: true, key_type: 'ec' });
    vault.writePolicy('issuer', 'path "pki/issue/*" { capabilities = ["create", "update"] }');
    token = vault.createToken({ policies: ['issuer'] });
  });
  after(() => vault.close());

  it('issues a real certificate and key signed by the mount CA, shaped like the fixture', async () => {
    const response = await call(vault, 'POST', 'pki/issue/web', { token, body: { common_name: 'app.example.com', alt_names: 'alt.example.com', ip_sans: '10.0.0.1' } });
    assert.equal(response.status, 200);
    // The doc sample writes expiration as a string; Vault's code (and consul-template) use a number.
    assertShape(response.body, fixture('pki-issue.response.json'), { skip: ['$.data.expiration', '$.warnings'] });
    assert.equal(typeof pick(response.body, 'data.expiration'), 'number');
    assert.equal(pick(response.body, 'lease_id'), '', 'no lease unless the role sets generate_lease');
    assert.equal(pick(response.body, 'private_key_type'), undefined);
    assert.equal(pick(response.body, 'data.private_key_type'), 'rsa');
    const certificate = new X509Certificate(pickString(response.body, 'data.certificate'));
    const ca = new X509Certificate(pickString(response.body, 'data.issuing_ca'));
    assert.ok(certificate.verify(ca.publicKey), 'leaf is signed by the issuing CA');
    assert.ok(certificate.checkIssued(ca));
    assert.equal(ca.ca, true);
    assert.equal(certificate.subject, 'CN=app.example.com');
    assert.match(certificate.subjectAltName ?? '', /DNS:app\.example\.com, DNS:alt\.example\.com, IP Address:10\.0\.0\.1/);
    assert.deepEqual(pick(response.body, 'data.ca_chain'), [pickString(response.body, 'data.issuing_ca')]);
    assert.equal(pickNumber(response.body, 'data.expiration'), Math.floor(Date.parse(certificate.validTo) / 1000));
    assert.ok(Math.abs(pickNumber(response.body, 'data.expiration') - (Date.now() / 1000 + 3600)) < 5);
    const serial = pickString(response.body, 'data.serial_number');
    assert.match(serial, /^([0-9a-f]{2}:){19}[0-9a-f]{2}$/);
    assert.equal(serial.replace(/:/g, ''), certificate.serialNumber.toLowerCase());
    const privateKeyPem = pickString(response.body, 'data.private_key');
    assert.match(privateKeyPem, /^-----BEGIN RSA PRIVATE KEY-----\n/);
    const derivedPublic = createPublicKey(createPrivateKey(privateKeyPem)).export({ type: 'spki', format: 'pem' });
    assert.equal(derivedPublic, certificate.publicKey.export({ type: 'spki', format: 'pem' }), 'the key matches the certificate');
    assert.ok(vault.issuedValues().includes(privateKeyPem));
    assert.equal(await vault.pkiCaPem(), pickString(response.body, 'data.issuing_ca'));
  });

  it('caps ttl at max_ttl and leases only with generate_lease', async () => {
    const capped = await call(vault, 'POST', 'pki/issue/web', { token, body: { common_name: 'a.example.com', ttl: '5h' } });
    assert.ok(Math.abs(pickNumber(capped.body, 'data.expiration') - (Date.now() / 1000 + 7200)) < 5);
    assert.equal((pick(capped.body, 'warnings') as string[]).length, 1);
    const leased = await call(vault, 'POST', 'pki/issue/leased', { token, body: { common_name: 'b.example.com' } });
    assert.match(pickString(leased.body, 'lease_id'), /^pki\/issue\/leased\//);
    assert.equal(pick(leased.body, 'lease_duration'), 600);
    assert.equal(pick(leased.body, 'renewable'), false);
    assert.equal(pick(leased.body, 'data.private_key_type'), 'ec');
    assert.match(pickString(leased.body, 'data.private_key'), /^-----BEGIN EC PRIVATE KEY-----\n/);
    const renew = await call(vault, 'PUT', 'sys/leases/renew', { token: vault.rootToken, body: { lease_id: pickString(leased.body, 'lease_id') } });
    assert.equal(renew.status, 400);
    assert.deepEqual(renew.body, fixture('sys-leases-renew.error-not-renewable.response.json'));
  });

  const errors: Array<[string, string, Record<string, unknown>, number, string]> = [
    ['unknown role', 'pki/issue/nope', { common_name: 'x' }, 400, 'unknown role: nope'],
    ['missing common_name', 'pki/issue/web', {}, 400, 'the common_name field is required, or must be provided in a CSR with "use_csr_common_name" set to true, unless "require_cn" is set to false'],
  ];
  for (const [name, path, body, status, message] of errors) {
    it(`rejects: ${name}`, async () => {
      const response = await call(vault, 'POST', path, { token: vault.rootToken, body });
      assert.equal(response.status, status);
      assert.deepEqual(response.body, { errors: [message] });
    });
  }

  it('a GET is not allowed on issue (405) and the policy needs update (POST)', async () => {
    assert.equal((await call(vault, 'GET', 'pki/issue/web', { token: vault.rootToken })).status, 405);
    vault.writePolicy('reader', 'path "pki/issue/*" { capabilities = ["read"] }');
    assert.equal((await call(vault, 'POST', 'pki/issue/web', { token: vault.createToken({ policies: ['reader'] }), body: { common_name: 'x' } })).status, 403);
  });
});
