// The listener's lease cache core, without sockets or timers: what is cached (Vault Agent's rules
// in lease_cache.go), the key, renewal and eviction (expiry, failed renewal, revocation, cascade),
// the cache-clear API, persistence, and the auto-auth token redaction.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LeaseCacheCore, apiPathOf, sanitizeAutoAuthAnswer, type RequestFacts, type ResponseFacts } from '../../agent/src/cache/core.ts';
import { cacheKey, type ProxiedRequest } from '../../agent/src/cache/key.ts';

function clock(start = 1_000_000) {
  const state = { now: start, random: 0.5 };
  return { state, clock: { now: () => state.now, random: () => state.random } };
}

const AUTO = 'hvs.auto-auth-token';
const json = (value: unknown): Buffer => Buffer.from(JSON.stringify(value));
const ok = (body: unknown, status = 200): ResponseFacts => ({ status, contentType: 'application/json', body: json(body) });
const leaseAnswer = (lease: string, duration = 3600, renewable = true) => ok({ lease_id: lease, renewable, lease_duration: duration, data: { username: 'u', password: 'p' } });
const tokenAnswer = (token: string, options: { orphan?: boolean; duration?: number; accessor?: string; renewable?: boolean } = {}) =>
  ok({ lease_id: '', renewable: false, lease_duration: 0, auth: { client_token: token, accessor: options.accessor ?? `acc-${token}`, renewable: options.renewable ?? true, lease_duration: options.duration ?? 3600, orphan: options.orphan ?? false } });
const request = (path: string, token = AUTO, body: unknown = undefined, method = 'GET'): RequestFacts => ({ method, path, namespace: undefined, token, body: body === undefined ? Buffer.alloc(0) : json(body) });

function withAutoAuth() {
  const { state, clock: c } = clock();
  const core = new LeaseCacheCore(c);
  core.registerAutoAuthToken(AUTO);
  return { state, core };
}

test('what is cached: renewable leases and tokens only', () => {
  const cases: Array<[string, RequestFacts, ResponseFacts, string]> = [
    ['renewable database lease', request('/v1/database/creds/app'), leaseAnswer('database/creds/app/1'), 'cached'],
    ['non-renewable lease', request('/v1/aws/creds/x'), leaseAnswer('aws/creds/x/1', 900, false), 'pass'],
    ['KV v2 read (no lease)', request('/v1/secret/data/app'), ok({ lease_id: '', renewable: false, lease_duration: 0, data: { data: { a: 1 } } }), 'pass'],
    ['KV v1 read with a TTL but no lease id', request('/v1/kv/app'), ok({ lease_id: '', renewable: false, lease_duration: 2764800, data: { a: 1 } }), 'pass'],
    ['error answer', request('/v1/database/creds/app'), { status: 403, contentType: 'application/json', body: json({ errors: ['permission denied'] }) }, 'pass'],
    ['not JSON', request('/v1/sys/metrics'), { status: 200, contentType: 'text/plain', body: Buffer.from('x 1') }, 'pass'],
    ['orphan login', request('/v1/auth/approle/login', ''), tokenAnswer('hvs.login', { orphan: true }), 'cached'],
    ['child token of the auto-auth token', request('/v1/auth/token/create'), tokenAnswer('hvs.child'), 'cached'],
    ['child token of an unknown parent', request('/v1/auth/token/create', 'hvs.stranger'), tokenAnswer('hvs.child2'), 'pass'],
    ['lease of an unknown token', request('/v1/database/creds/app', 'hvs.stranger'), leaseAnswer('database/creds/app/2'), 'pass'],
    ['non-renewable token', request('/v1/auth/token/create'), tokenAnswer('hvs.batch', { renewable: false }), 'pass'],
  ];
  for (const [name, req, res, expected] of cases) {
    const { core } = withAutoAuth();
    assert.equal(core.admit(`id-${name}`, req, res).action, expected, name);
  }
});

test('a cached answer is served until it expires; then it is gone', () => {
  const { state, core } = withAutoAuth();
  core.admit('k', request('/v1/database/creds/app'), leaseAnswer('database/creds/app/1', 60));
  assert.equal(core.lookup('k')?.lease, 'database/creds/app/1');
  state.now += 59_000;
  assert.ok(core.lookup('k'));
  state.now += 2_000;
  assert.equal(core.lookup('k'), undefined);
  assert.equal(core.size, 1, 'only the auto-auth token is left');
});

test('renewal: due at about 2/3 of the lease, extended on success, evicted on failure or at max TTL', () => {
  const { state, core } = withAutoAuth();
  core.admit('k', request('/v1/database/creds/app'), leaseAnswer('database/creds/app/1', 3600));
  assert.deepEqual(core.due(), []);
  const wake = core.nextWakeAtMs();
  assert.ok(wake !== undefined && wake > state.now + 2_000_000 && wake < state.now + 3_000_000, `wake at ${wake}`);
  state.now = wake;
  assert.deepEqual(core.due(), [{ id: 'k', kind: 'lease', lease: 'database/creds/app/1', token: AUTO, incrementSeconds: 3600 }]);
  assert.deepEqual(core.due(), [], 'handed out once');
  core.renewed('k', 3600, true);
  assert.ok(core.lookup('k'), 'still served after renewal');
  state.now += 3_000_000;
  assert.ok(core.lookup('k'), 'the renewal moved the expiry');
  // Max TTL: the renewal only gives a few seconds more; Vault's watcher stops and the entry goes.
  core.renewed('k', 5, true);
  assert.equal(core.lookup('k'), undefined);
  core.admit('k2', request('/v1/database/creds/app2'), leaseAnswer('database/creds/app2/1', 3600));
  assert.equal(core.renewalFailed('k2'), 1);
  assert.equal(core.lookup('k2'), undefined);
});

test('tokens: renewed as themselves; evicting one takes its leases and child tokens with it', () => {
  const { core } = withAutoAuth();
  core.admit('login', request('/v1/auth/approle/login', ''), tokenAnswer('hvs.app', { orphan: true }));
  core.admit('child', request('/v1/auth/token/create', 'hvs.app'), tokenAnswer('hvs.grandchild'));
  core.admit('lease-app', request('/v1/database/creds/app', 'hvs.app'), leaseAnswer('database/creds/app/1'));
  core.admit('lease-grandchild', request('/v1/database/creds/app', 'hvs.grandchild'), leaseAnswer('database/creds/app/2'));
  core.admit('lease-auto', request('/v1/database/creds/app'), leaseAnswer('database/creds/app/3'));
  assert.equal(core.size, 6);
  assert.equal(core.renewalFailed('login'), 4, 'the token, its child, and both their leases');
  assert.ok(core.lookup('lease-auto'), 'other tokens\' leases stay');
});

test('revocations through the proxy evict what they revoke', () => {
  // Vault labels its empty 204 answers application/json; Vault Agent only looks at those.
  const noContent = { status: 204, contentType: 'application/json', body: Buffer.alloc(0) };
  const setup = () => {
    const made = withAutoAuth();
    made.core.admit('login', request('/v1/auth/approle/login', ''), tokenAnswer('hvs.app', { orphan: true, accessor: 'acc-1' }));
    made.core.admit('child', request('/v1/auth/token/create', 'hvs.app'), tokenAnswer('hvs.child'));
    made.core.admit('lease', request('/v1/database/creds/app', 'hvs.app'), leaseAnswer('database/creds/app/1'));
    made.core.admit('other', request('/v1/pki/issue/x'), leaseAnswer('pki/issue/x/1'));
    return made.core;
  };
  const cases: Array<[string, RequestFacts, string[]]> = [
    ['revoke', request('/v1/auth/token/revoke', AUTO, { token: 'hvs.app' }, 'POST'), ['login', 'child', 'lease']],
    ['revoke-self', request('/v1/auth/token/revoke-self', 'hvs.app', undefined, 'POST'), ['login', 'child', 'lease']],
    ['revoke-accessor', request('/v1/auth/token/revoke-accessor', AUTO, { accessor: 'acc-1' }, 'POST'), ['login', 'child', 'lease']],
    ['revoke-orphan keeps the children', request('/v1/auth/token/revoke-orphan', AUTO, { token: 'hvs.app' }, 'POST'), ['login', 'lease']],
    ['lease revoke', request('/v1/sys/leases/revoke', AUTO, { lease_id: 'database/creds/app/1' }, 'PUT'), ['lease']],
    ['revoke-prefix', request('/v1/sys/leases/revoke-prefix/database/creds', AUTO, undefined, 'PUT'), ['lease']],
    ['revoke-force', request('/v1/sys/leases/revoke-force/pki', AUTO, undefined, 'PUT'), ['other']],
    ['namespaced path', request('/v1/team-a/sys/leases/revoke', AUTO, { lease_id: 'database/creds/app/1' }, 'PUT'), ['lease']],
  ];
  for (const [name, req, gone] of cases) {
    const core = setup();
    const outcome = core.admit('revoke-request', req, noContent);
    assert.equal(outcome.action, 'revocation', name);
    for (const id of ['login', 'child', 'lease', 'other']) assert.equal(core.lookup(id) === undefined, gone.includes(id), `${name}: ${id}`);
  }
  const unlabelled = setup();
  assert.equal(unlabelled.admit('x', request('/v1/sys/leases/revoke', AUTO, { lease_id: 'database/creds/app/1' }, 'PUT'), { status: 204, contentType: undefined, body: Buffer.alloc(0) }).action, 'pass');
  const core = setup();
  assert.equal(core.admit('x', request('/v1/auth/token/revoke', AUTO, { token: 'hvs.app' }, 'POST'), { status: 403, contentType: 'application/json', body: json({ errors: [] }) }).action, 'pass');
  assert.ok(core.lookup('login'), 'a refused revocation evicts nothing');
});

test('cache-clear: by lease, token, accessor, request path and all', () => {
  const setup = () => {
    const { core } = withAutoAuth();
    core.admit('a', request('/v1/database/creds/app'), leaseAnswer('database/creds/app/1'));
    core.admit('b', request('/v1/database/creds/other'), leaseAnswer('database/creds/other/1'));
    return core;
  };
  assert.equal(setup().clear({ type: 'lease', value: 'database/creds/app/1' }), 1);
  assert.equal(setup().clear({ type: 'request_path', namespace: undefined, path: '/v1/database/creds' }), 2);
  assert.equal(setup().clear({ type: 'request_path', namespace: 'other/', path: '/v1/database/creds' }), 0);
  assert.equal(setup().clear({ type: 'token', value: AUTO }), 3);
  assert.equal(setup().clear({ type: 'all' }), 3);
});

test('the cache key: method, path, query, headers, body and token all count; hop-by-hop headers do not', () => {
  const base: ProxiedRequest = { method: 'GET', url: '/v1/database/creds/app', headers: { 'user-agent': 'app/1' }, body: Buffer.alloc(0), token: AUTO };
  const key = cacheKey(base);
  assert.equal(cacheKey({ ...base, headers: { ...base.headers, connection: 'keep-alive', 'content-length': '0' } }), key);
  for (const variant of [
    { ...base, method: 'POST' },
    { ...base, url: '/v1/database/creds/app?x=1' },
    { ...base, headers: { ...base.headers, 'x-vault-namespace': 'team-a' } },
    { ...base, body: Buffer.from('{}') },
    { ...base, token: 'hvs.other' },
    { ...base, body: Buffer.from('a'), token: 'bc' },
  ]) assert.notEqual(cacheKey(variant), key, JSON.stringify({ ...variant, body: variant.body.toString() }));
  assert.notEqual(cacheKey({ ...base, body: Buffer.from('ab'), token: 'c' }), cacheKey({ ...base, body: Buffer.from('a'), token: 'bc' }));
});

test('persistence: a snapshot restores unexpired entries whose tokens came back', () => {
  const { state, core } = withAutoAuth();
  core.admit('login', request('/v1/auth/approle/login', ''), tokenAnswer('hvs.app', { orphan: true }));
  core.admit('lease-app', request('/v1/database/creds/app', 'hvs.app'), leaseAnswer('database/creds/app/1', 3600));
  core.admit('lease-auto', request('/v1/database/creds/app'), leaseAnswer('database/creds/app/2', 3600));
  core.admit('short', request('/v1/database/creds/short', 'hvs.app'), leaseAnswer('database/creds/short/1', 10));
  const saved = JSON.parse(JSON.stringify(core.snapshot())) as ReturnType<LeaseCacheCore['snapshot']>;
  state.now += 20_000;
  const restored = new LeaseCacheCore({ now: () => state.now, random: () => 0.5 });
  assert.deepEqual(restored.restore(saved), { restored: 3, autoAuthToken: AUTO }, 'the login, its lease and the auto-auth token\'s lease; not the expired one');
  assert.equal(restored.lookup('lease-app')?.response?.body.toString(), leaseAnswer('database/creds/app/1', 3600).body.toString());
  assert.equal(restored.lookup('lease-auto')?.response?.body.toString(), leaseAnswer('database/creds/app/2', 3600).body.toString());
  assert.equal(restored.lookup('short'), undefined);
  assert.ok(restored.nextWakeAtMs() !== undefined);
  assert.ok(restored.due().every((renewal) => renewal.token !== AUTO || renewal.kind === 'lease'), 'the agent renews its own token, not the cache');
  // The sidecar found the restored token dead: forgetting it takes the leases read with it along.
  assert.equal(restored.clear({ type: 'token', value: AUTO }), 2);
  assert.equal(restored.lookup('lease-auto'), undefined);
  assert.ok(restored.lookup('lease-app') !== undefined);
});

test('the namespace may be in the path: apiPathOf', () => {
  assert.equal(apiPathOf('/v1/sys/leases/revoke'), '/v1/sys/leases/revoke');
  assert.equal(apiPathOf('/v1/ns1/sys/leases/revoke'), '/v1/sys/leases/revoke');
  assert.equal(apiPathOf('/v1/ns1/ns2/auth/token/lookup-self'), '/v1/auth/token/lookup-self');
  assert.equal(apiPathOf('/v1/secret/data/x'), '/v1/secret/data/x');
});

test('a lookup of the auto-auth token through the proxy does not give the app the token or its accessor', () => {
  const lookup = json({ data: { id: AUTO, accessor: 'acc', policies: ['default'], ttl: 100 } });
  const redacted = sanitizeAutoAuthAnswer(request('/v1/auth/token/lookup-self'), AUTO, 200, lookup);
  assert.deepEqual(JSON.parse(String(redacted)).data, { policies: ['default'], ttl: 100 });
  assert.equal(sanitizeAutoAuthAnswer(request('/v1/auth/token/lookup-self', 'hvs.app'), AUTO, 200, lookup), undefined, 'the app\'s own token');
  assert.equal(sanitizeAutoAuthAnswer(request('/v1/auth/token/lookup', AUTO, { token: 'hvs.app' }, 'POST'), AUTO, 200, lookup), undefined);
  assert.ok(sanitizeAutoAuthAnswer(request('/v1/auth/token/lookup', 'x', { token: AUTO }, 'POST'), AUTO, 200, lookup));
  const renew = json({ auth: { client_token: AUTO, accessor: 'acc', lease_duration: 10 } });
  assert.deepEqual(JSON.parse(String(sanitizeAutoAuthAnswer(request('/v1/auth/token/renew-self'), AUTO, 200, renew))).auth, { client_token: '', accessor: '', lease_duration: 10 });
  assert.equal(sanitizeAutoAuthAnswer(request('/v1/secret/data/x'), AUTO, 200, lookup), undefined);
});
