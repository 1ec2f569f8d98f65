// auth-type jwt against REAL OpenBao's JWT auth method (role_type jwt, jwt_validation_pubkeys = the key the
// Kubernetes API double signs service-account tokens with): the agent logs in at auth/jwt/login with role and jwt,
// renders, and its token is OpenBao's; and the Vault double's JWT auth method answers the same requests with the
// same status and body as OpenBao (the double's contract).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { agentConfig, NAMESPACE, SERVICE_ACCOUNT, startAgent } from '../agent/harness.ts';
import { assertNoSecretLogged, lookupToken, startRealLab, type RealLab } from '../real/lab.ts';
import { writeKv } from '../real/setup.ts';
import { startVaultDouble, type VaultDouble } from '../doubles/vault/index.ts';
import { serviceAccountIssuer, serviceAccountSigningKeyPem } from '../doubles/vault/service-account-jwt.ts';
import { generateKeyPairSync, sign } from 'node:crypto';

const subject = `system:serviceaccount:${NAMESPACE}:${SERVICE_ACCOUNT}`;
const roles: Record<string, Record<string, unknown>> = {
  app: { role_type: 'jwt', user_claim: 'sub', bound_subject: subject, bound_audiences: [serviceAccountIssuer], token_policies: ['app'], token_ttl: 3600 },
  'vault-aud': { role_type: 'jwt', user_claim: 'sub', bound_audiences: ['vault'], token_policies: ['app'] },
  other: { role_type: 'jwt', user_claim: 'sub', bound_subject: 'system:serviceaccount:team-b:web', bound_audiences: [serviceAccountIssuer] },
  browser: { role_type: 'oidc', user_claim: 'sub', bound_audiences: ['x'], allowed_redirect_uris: ['http://127.0.0.1/callback'] },
};

describe('auth-type jwt against OpenBao', () => {
  let lab: RealLab;
  let double: VaultDouble;

  before(async () => {
    lab = await startRealLab();
    await lab.bao.call('POST', 'sys/auth/jwt', { type: 'jwt' });
    await lab.bao.call('POST', 'auth/jwt/config', { jwt_validation_pubkeys: [serviceAccountSigningKeyPem()], bound_issuer: serviceAccountIssuer });
    for (const [name, role] of Object.entries(roles)) await lab.bao.call('POST', `auth/jwt/role/${name}`, role);
    await writeKv(lab.bao, 'secret', 2, 'app/db', { password: 'jwt-real-pw-3390' });
    lab.secrets.add('jwt-real-pw-3390');

    double = await startVaultDouble();
    double.enableJwtAuth('jwt');
    for (const [name, role] of Object.entries(roles)) {
      const { allowed_redirect_uris: _ignored, ...spec } = role;
      double.writeJwtRole('jwt', name, spec as unknown as Parameters<VaultDouble['writeJwtRole']>[2]);
    }
  });
  after(async () => {
    await Promise.allSettled([lab?.close(), double?.close()]);
  });

  test('the agent logs in with the service account token at auth/jwt/login and renders', async () => {
    const destination = join(lab.dir, 'db.txt');
    const sink = join(lab.dir, 'sink', 'token');
    const agent = await startAgent(lab, agentConfig(lab, {
      mode: 'init', sinks: [{ path: sink }],
      method: { type: 'jwt', mount_path: 'auth/jwt', config: { role: 'app', path: lab.tokenFile, remove_jwt_after_reading: 'false', token_path: lab.tokenFile } },
      templates: [{ destination, contents: '{{ with secret "secret/app/db" }}{{ .Data.data.password }}{{ end }}' }],
    }));
    assert.equal((await agent.exited).code, 0, agent.lines.slice(-10).join('\n'));
    assert.equal(await readFile(destination, 'utf8'), 'jwt-real-pw-3390');
    const token = await readFile(sink, 'utf8');
    lab.secrets.add(token);
    const lookup = await lookupToken(lab, token);
    assert.equal(lookup.status, 200, lookup.errors.join('; '));
    assert.equal(lookup.data?.['path'], 'auth/jwt/login');
    assert.deepEqual(lookup.data?.['meta'], { role: 'app' });
    assertNoSecretLogged(lab);
  });

  test('the Vault double\'s JWT auth method answers as OpenBao does (status and error body)', async () => {
    const jwt = lab.jwt;
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const [header, payload] = jwt.split('.');
    const forged = `${header}.${payload}.${sign('sha256', Buffer.from(`${header}.${payload}`), { key: privateKey, dsaEncoding: 'ieee-p1363' }).toString('base64url')}`;
    const cases: Array<[string, Record<string, unknown>]> = [
      ['missing role', { jwt }],
      ['unknown role', { role: 'nobody', jwt }],
      ['oidc role', { role: 'browser', jwt }],
      ['missing jwt', { role: 'app' }],
      ['forged signature', { role: 'app', jwt: forged }],
      ['wrong audience', { role: 'vault-aud', jwt }],
      ['wrong subject', { role: 'other', jwt }],
    ];
    for (const [name, body] of cases) {
      const real = await lab.bao.request('POST', 'auth/jwt/login', body);
      const response = await fetch(`${double.address}/v1/auth/jwt/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      assert.deepEqual({ status: response.status, body: await response.json() as unknown }, { status: real.status, body: real.body }, name);
    }
  });
});
