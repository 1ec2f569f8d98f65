import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startVaultDouble, type VaultDouble } from './index.ts';
import { globMatch } from './kubernetes-auth.ts';
import { readServiceAccountJwt } from './service-account-jwt.ts';
import { assertShape, call, fakeClock, fixture, pick, pickString } from './test-helpers.ts';

describe('kubernetes auth: login', () => {
  const clock = fakeClock();
  let vault: VaultDouble;
  before(async () => {
    vault = await startVaultDouble({ now: clock.now });
    vault.enableKubernetesAuth();
    vault.writePolicy('tenant-a', 'path "secret/data/tenant-a/*" { capabilities = ["read"] }');
    vault.writeKubernetesRole('kubernetes', 'tenant-a', {
      bound_service_account_names: ['app', 'worker-*'], bound_service_account_namespaces: ['tenant-a', 'team-*'],
      token_policies: ['tenant-a'], token_ttl: 3600, token_max_ttl: 7200,
    });
    vault.writeKubernetesRole('kubernetes', 'any', { bound_service_account_names: ['*'], bound_service_account_namespaces: ['*'] });
  });
  after(() => vault.close());

  it('answers the full wire envelope of the DERIVED fixture, with the kubernetes metadata keys', async () => {
    const jwt = vault.issueServiceAccountJwt({ namespace: 'tenant-a', name: 'app', uid: '11111111-2222-3333-4444-555555555555' });
    const response = await call(vault, 'POST', 'auth/kubernetes/login', { body: { role: 'tenant-a', jwt } });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'application/json');
    assertShape(response.body, fixture('auth-kubernetes-login.full-wire.DERIVED.response.json'), { skip: ['$.mount_type'] });
    assertShape(response.body, fixture('auth-kubernetes-login.response.json'));
    assert.equal(pick(response.body, 'mount_type'), 'kubernetes');
    assert.match(pickString(response.body, 'auth.client_token'), /^hvs\.[A-Za-z0-9]{24}$/);
    assert.deepEqual(pick(response.body, 'auth.policies'), ['default', 'tenant-a']);
    assert.deepEqual(pick(response.body, 'auth.token_policies'), ['default', 'tenant-a']);
    assert.deepEqual(pick(response.body, 'auth.metadata'), {
      role: 'tenant-a', service_account_name: 'app', service_account_namespace: 'tenant-a',
      service_account_secret_name: '', service_account_uid: '11111111-2222-3333-4444-555555555555',
    });
    assert.equal(pick(response.body, 'auth.lease_duration'), 3600);
    assert.equal(pick(response.body, 'auth.renewable'), true);
    assert.equal(pick(response.body, 'auth.orphan'), true);
    assert.equal(pick(response.body, 'lease_duration'), 0);
    assert.equal(pick(response.body, 'data'), null);
  });

  it('reuses one identity entity per service account across logins', async () => {
    const jwt = vault.issueServiceAccountJwt({ namespace: 'team-x', name: 'worker-1' });
    const first = await call(vault, 'POST', 'auth/kubernetes/login', { body: { role: 'tenant-a', jwt } });
    const second = await call(vault, 'POST', 'auth/kubernetes/login', { body: { role: 'tenant-a', jwt } });
    assert.equal(first.status, 200);
    assert.notEqual(pickString(first.body, 'auth.client_token'), pickString(second.body, 'auth.client_token'));
    assert.equal(pickString(first.body, 'auth.entity_id'), pickString(second.body, 'auth.entity_id'));
  });

  const errorCases: Array<{ name: string; body: () => Record<string, unknown>; status: number; fixtureName?: string; errors?: string[] }> = [
    { name: 'missing jwt', body: () => ({ role: 'tenant-a' }), status: 400, fixtureName: 'auth-kubernetes-login.error-missing-jwt.response.json' },
    { name: 'missing role', body: () => ({ jwt: 'x' }), status: 400, errors: ['missing role'] },
    {
      name: 'unknown role', status: 400, fixtureName: 'auth-kubernetes-login.error-invalid-role.response.json',
      body: () => ({ role: 'no-such-role', jwt: vault.issueServiceAccountJwt({ namespace: 'tenant-a', name: 'app' }) }),
    },
    {
      name: 'service account name not bound', status: 403, fixtureName: 'auth-kubernetes-login.error-sa-name-not-authorized.response.json',
      body: () => ({ role: 'tenant-a', jwt: vault.issueServiceAccountJwt({ namespace: 'tenant-a', name: 'intruder' }) }),
    },
    {
      name: 'namespace not bound', status: 403, fixtureName: 'auth-kubernetes-login.error-namespace-not-authorized.response.json',
      body: () => ({ role: 'tenant-a', jwt: vault.issueServiceAccountJwt({ namespace: 'tenant-b', name: 'app' }) }),
    },
    {
      name: 'namespace glob is a prefix glob, not a substring', status: 403, errors: ['namespace not authorized'],
      body: () => ({ role: 'tenant-a', jwt: vault.issueServiceAccountJwt({ namespace: 'myteam-a', name: 'app' }) }),
    },
    {
      name: 'JWT the double never issued (TokenReview rejects)', status: 403, fixtureName: 'auth-kubernetes-login.error-tokenreview-failed.response.json',
      body: () => {
        const real = vault.issueServiceAccountJwt({ namespace: 'tenant-a', name: 'app' });
        const [header, payload] = real.split('.');
        return { role: 'tenant-a', jwt: `${header}.${payload}.forged-signature` };
      },
    },
    {
      name: 'claims edited to another account (TokenReview rejects)', status: 403, errors: ['permission denied'],
      body: () => {
        const real = vault.issueServiceAccountJwt({ namespace: 'tenant-a', name: 'app' });
        const [header, payload, signature] = real.split('.');
        const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString()) as Record<string, unknown>;
        (claims['kubernetes.io'] as { serviceaccount: { name: string } }).serviceaccount.name = 'worker-2';
        return { role: 'tenant-a', jwt: `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}` };
      },
    },
    {
      name: 'revoked JWT', status: 403, errors: ['permission denied'],
      body: () => {
        const jwt = vault.issueServiceAccountJwt({ namespace: 'tenant-a', name: 'app' });
        vault.revokeServiceAccountJwt(jwt);
        return { role: 'tenant-a', jwt };
      },
    },
    { name: 'not a JWT', body: () => ({ role: 'tenant-a', jwt: 'not-a-jwt' }), status: 403, errors: ['permission denied'] },
  ];
  for (const testCase of errorCases) {
    it(`rejects: ${testCase.name}`, async () => {
      const response = await call(vault, 'POST', 'auth/kubernetes/login', { body: testCase.body() });
      assert.equal(response.status, testCase.status);
      assert.deepEqual(response.body, testCase.fixtureName !== undefined ? fixture(testCase.fixtureName) : { errors: testCase.errors });
    });
  }

  it('rejects an expired JWT with the go-jose claim error, after the leeway', async () => {
    const jwt = vault.issueServiceAccountJwt({ namespace: 'tenant-a', name: 'app', lifetimeSeconds: 600 });
    clock.advance(600 + 100);
    assert.equal((await call(vault, 'POST', 'auth/kubernetes/login', { body: { role: 'tenant-a', jwt } })).status, 200);
    clock.advance(100);
    const response = await call(vault, 'POST', 'auth/kubernetes/login', { body: { role: 'tenant-a', jwt } });
    assert.equal(response.status, 403);
    assert.deepEqual(response.body, { errors: ['go-jose/go-jose/jwt: validation failed, token is expired (exp)'] });
  });

  it('accepts any account with "*" bindings and a token from Authorization: Bearer works afterwards', async () => {
    const jwt = vault.issueServiceAccountJwt({ namespace: 'elsewhere', name: 'whoever' });
    const login = await call(vault, 'POST', 'auth/kubernetes/login', { body: { role: 'any', jwt } });
    assert.equal(login.status, 200);
    assert.deepEqual(pick(login.body, 'auth.policies'), ['default']);
    const lookup = await call(vault, 'GET', 'auth/token/lookup-self', { headers: { Authorization: `Bearer ${pickString(login.body, 'auth.client_token')}` } });
    assert.equal(lookup.status, 200);
    assert.equal(pick(lookup.body, 'data.display_name'), 'kubernetes-elsewhere-whoever');
    assert.equal(pick(lookup.body, 'data.path'), 'auth/kubernetes/login');
  });

  it('serves a second kubernetes mount at its own path', async () => {
    vault.enableKubernetesAuth('k8s-east');
    vault.writeKubernetesRole('k8s-east', 'r', { bound_service_account_names: ['app'], bound_service_account_namespaces: ['east'] });
    const jwt = vault.issueServiceAccountJwt({ namespace: 'east', name: 'app' });
    const login = await call(vault, 'POST', 'auth/k8s-east/login', { body: { role: 'r', jwt } });
    assert.equal(login.status, 200);
    const lookup = await call(vault, 'GET', 'auth/token/lookup-self', { token: pickString(login.body, 'auth.client_token') });
    assert.equal(pick(lookup.body, 'data.path'), 'auth/k8s-east/login');
    assert.equal((await call(vault, 'POST', 'auth/k8s-east/login', { body: { role: 'tenant-a', jwt } })).status, 400);
  });
});

describe('kubernetes auth: issued JWTs', () => {
  it('carry Kubernetes projected-token claims, an ES256 header and a JOSE-form signature', async () => {
    const clock = fakeClock();
    const vault = await startVaultDouble({ now: clock.now });
    try {
      const jwt = vault.issueServiceAccountJwt({ namespace: 'ns1', name: 'sa1', uid: 'u-1' });
      const [header, payload] = jwt.split('.');
      assert.equal(JSON.parse(Buffer.from(header ?? '', 'base64url').toString()).alg, 'ES256');
      assert.equal(Buffer.from(jwt.split('.')[2] ?? '', 'base64url').length, 64, 'JOSE ES256 signatures are r||s, 64 bytes');
      const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString()) as Record<string, unknown>;
      assert.equal(claims['sub'], 'system:serviceaccount:ns1:sa1');
      assert.equal(claims['iss'], 'https://kubernetes.default.svc.cluster.local');
      assert.deepEqual(claims['kubernetes.io'], { namespace: 'ns1', serviceaccount: { name: 'sa1', uid: 'u-1' } });
      assert.equal(claims['iat'], Math.floor(clock.now() / 1000));
      assert.ok(typeof claims['exp'] === 'number' && claims['exp'] > (claims['iat'] as number));
      assert.deepEqual(readServiceAccountJwt(jwt), { namespace: 'ns1', name: 'sa1', uid: 'u-1', secretName: '', exp: claims['exp'], nbf: claims['nbf'], aud: ['https://kubernetes.default.svc.cluster.local'] });
      assert.ok(vault.issuedValues().includes(jwt));
    } finally {
      await vault.close();
    }
  });
});

describe('kubernetes auth: roles over HTTP', () => {
  let vault: VaultDouble;
  before(async () => {
    vault = await startVaultDouble();
    vault.enableKubernetesAuth();
  });
  after(() => vault.close());

  it('creates, reads, lists and deletes roles', async () => {
    const token = vault.rootToken;
    assert.equal((await call(vault, 'LIST', 'auth/kubernetes/role', { token })).status, 404);
    const write = await call(vault, 'POST', 'auth/kubernetes/role/dev-role', { token, body: fixture('auth-kubernetes-role.request.json') });
    assert.equal(write.status, 204);
    assert.equal(write.text, '');
    await call(vault, 'POST', 'auth/kubernetes/role/prod-role', {
      token, body: { bound_service_account_names: ['a', 'b'], bound_service_account_namespaces: 'x,y', token_policies: 'p1,p2', token_ttl: '1h', token_max_ttl: '2h' },
    });
    const list = await call(vault, 'LIST', 'auth/kubernetes/role', { token });
    assert.equal(list.status, 200);
    assertShape(list.body, fixture('auth-kubernetes-role-list.response.json'));
    assert.deepEqual(pick(list.body, 'data.keys'), ['dev-role', 'prod-role']);
    const listByQuery = await call(vault, 'GET', 'auth/kubernetes/role?list=true', { token });
    assert.deepEqual(pick(listByQuery.body, 'data.keys'), ['dev-role', 'prod-role']);

    const legacy = await call(vault, 'GET', 'auth/kubernetes/role/dev-role', { token });
    assert.equal(legacy.status, 200);
    // Current plugin code returns lists for the bindings; legacy fields appear because they were set.
    const expected = fixture('auth-kubernetes-role-read.response.json') as { data: Record<string, unknown> };
    assertShape(legacy.body, expected, { skip: ['$.data.bound_service_account_names', '$.data.bound_service_account_namespaces', '$.data.ttl', '$.data.period'] });
    assert.deepEqual(pick(legacy.body, 'data.bound_service_account_names'), ['vault-auth']);
    assert.deepEqual(pick(legacy.body, 'data.policies'), ['dev', 'prod']);
    assert.equal(pick(legacy.body, 'data.max_ttl'), 1800000);
    assert.equal(pick(legacy.body, 'data.token_max_ttl'), 1800000);

    const modern = await call(vault, 'GET', 'auth/kubernetes/role/prod-role', { token });
    assert.deepEqual(pick(modern.body, 'data.bound_service_account_namespaces'), ['x', 'y']);
    assert.deepEqual(pick(modern.body, 'data.token_policies'), ['p1', 'p2']);
    assert.equal(pick(modern.body, 'data.token_ttl'), 3600);
    assert.equal(pick(modern.body, 'data.token_max_ttl'), 7200);
    assert.equal(pick(modern.body, 'data.policies'), undefined);

    assert.equal((await call(vault, 'DELETE', 'auth/kubernetes/role/dev-role', { token })).status, 204);
    assert.equal((await call(vault, 'GET', 'auth/kubernetes/role/dev-role', { token })).status, 404);
  });

  const invalid: Array<[string, Record<string, unknown>, string]> = [
    ['no names', { bound_service_account_namespaces: ['a'] }, '"bound_service_account_names" can not be empty'],
    ['no namespaces', { bound_service_account_names: ['a'] }, '"bound_service_account_namespaces" can not be empty if "bound_service_account_namespace_selector" is not set'],
    ['"*" mixed', { bound_service_account_names: ['*', 'a'], bound_service_account_namespaces: ['a'] }, 'can not mix "*" with values'],
    ['ttl above max', { bound_service_account_names: ['a'], bound_service_account_namespaces: ['a'], token_ttl: 100, token_max_ttl: 50 }, 'token ttl should not be greater than token max ttl'],
  ];
  for (const [name, body, message] of invalid) {
    it(`rejects a role with ${name}`, async () => {
      const response = await call(vault, 'POST', 'auth/kubernetes/role/bad', { token: vault.rootToken, body });
      assert.equal(response.status, 400);
      assert.deepEqual(response.body, { errors: [message] });
    });
  }

  it('needs a token for role management', async () => {
    const response = await call(vault, 'GET', 'auth/kubernetes/role/any');
    assert.equal(response.status, 403);
    assert.deepEqual(response.body, fixture('error-permission-denied-bad-token.response.json'));
  });
});

describe('go-glob matching used for bindings', () => {
  const cases: Array<[string, string, boolean]> = [
    ['*', 'anything', true], ['app', 'app', true], ['app', 'app2', false], ['app-*', 'app-1', true], ['app-*', 'app-', true],
    ['app-*', 'xapp-1', false], ['*-prod', 'web-prod', true], ['*-prod', 'web-prod2', false], ['a*b*c', 'aXXbYYc', true], ['a*b*c', 'acb', false],
  ];
  for (const [pattern, value, expected] of cases) {
    it(`${pattern} ${expected ? 'matches' : 'does not match'} ${value}`, () => assert.equal(globMatch(pattern, value), expected));
  }
});
