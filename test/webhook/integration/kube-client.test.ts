/** src/kube against the Kubernetes API double: the wrappers' results, Status bodies, leader election. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import https from 'node:https';
import { ApiException, CoreV1Api } from '@kubernetes/client-node';
import { startKubernetesDouble } from '../../doubles/kubernetes/index.ts';
import { createKubeApi } from '../../../src/kube/client.ts';
import { LeaderElector, decideLease } from '../../../src/kube/leader.ts';
import type { LeaseRecord } from '../../../src/kube/client.ts';

const TIMINGS = { leaseDurationMs: 3000, renewDeadlineMs: 2000, retryPeriodMs: 500 };

test('the double answers a missing Secret with a real NotFound Status body', async (t) => {
  const double = await startKubernetesDouble();
  t.after(() => double.close());
  const core = double.kubeConfig().makeApiClient(CoreV1Api);
  await assert.rejects(core.readNamespacedSecret({ name: 'absent', namespace: 'vault' }), (error: unknown) => {
    assert.ok(error instanceof ApiException);
    assert.equal(error.code, 404);
    const body = typeof error.body === 'string' ? JSON.parse(error.body) : error.body;
    assert.deepEqual(body, {
      kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'secrets "absent" not found',
      reason: 'NotFound', details: { name: 'absent', kind: 'secrets' }, code: 404,
    });
    return true;
  });
});

test('a request without the bearer token is 401 Unauthorized', async (t) => {
  const double = await startKubernetesDouble();
  t.after(() => double.close());
  const { status, body } = await new Promise<{ status: number; body: unknown }>((resolve, reject) => {
    https.get(`${double.url}/api/v1/namespaces/vault/secrets/x`, { ca: double.caPem }, (response) => {
      let text = '';
      response.on('data', (chunk: Buffer) => { text += chunk.toString(); });
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: JSON.parse(text) }));
    }).on('error', reject);
  });
  assert.equal(status, 401);
  assert.deepEqual(body, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 });
});

test('Secrets: create, conflict on create, update keeps labels and annotations, stale resourceVersion is a conflict', async (t) => {
  const double = await startKubernetesDouble();
  t.after(() => double.close());
  const api = createKubeApi(double.kubeConfig());
  assert.equal(await api.readSecret('vault', 'certs'), undefined);
  assert.equal(await api.createSecret('vault', 'certs', { cert: 'A', key: 'B' }), 'ok');
  assert.equal(await api.createSecret('vault', 'certs', { cert: 'A', key: 'B' }), 'conflict');
  const created = double.get('secrets', 'certs', 'vault');
  assert.deepEqual(created?.['data'], { cert: Buffer.from('A').toString('base64'), key: Buffer.from('B').toString('base64') });
  // Someone (Helm) labels the Secret: our update must keep that (vault-k8s GH-401).
  double.put('secrets', { ...created, metadata: { ...created?.metadata, labels: { app: 'x' }, annotations: { note: 'keep' } } });
  const read = await api.readSecret('vault', 'certs');
  assert.ok(read !== undefined);
  assert.deepEqual(read.data, { cert: 'A', key: 'B' });
  assert.equal(await api.updateSecretData('vault', 'certs', { cert: 'C', key: 'D' }, read.resourceVersion), 'ok');
  const updated = double.get('secrets', 'certs', 'vault');
  assert.deepEqual((updated?.metadata as Record<string, unknown>)['annotations'], { note: 'keep' });
  assert.deepEqual((updated?.metadata as Record<string, unknown>)['labels'], { app: 'x' });
  assert.equal(await api.updateSecretData('vault', 'certs', { cert: 'E', key: 'F' }, read.resourceVersion), 'conflict');
  const conflict = double.requests.at(-1);
  assert.equal(conflict?.status, 409);
  assert.equal(await api.updateSecretData('vault', 'gone', { cert: 'E' }, '1'), 'missing');
});

test('MutatingWebhookConfiguration: caBundle read and set on every webhook with a JSON patch', async (t) => {
  const double = await startKubernetesDouble();
  t.after(() => double.close());
  const api = createKubeApi(double.kubeConfig());
  assert.equal(await api.readWebhookCaBundles('vault-agent-injector-cfg'), undefined);
  double.put('mutatingwebhookconfigurations', {
    metadata: { name: 'vault-agent-injector-cfg' },
    webhooks: [
      { name: 'vault.hashicorp.com', clientConfig: { service: { name: 'svc', namespace: 'vault', path: '/mutate' } }, admissionReviewVersions: ['v1'], sideEffects: 'None' },
      { name: 'second.example.com', clientConfig: { caBundle: Buffer.from('OLD').toString('base64'), service: { name: 'svc', namespace: 'vault' } }, admissionReviewVersions: ['v1'], sideEffects: 'None' },
    ],
  });
  assert.deepEqual(await api.readWebhookCaBundles('vault-agent-injector-cfg'), ['', 'OLD']);
  await api.patchWebhookCaBundles('vault-agent-injector-cfg', 'NEW PEM', 2);
  assert.deepEqual(await api.readWebhookCaBundles('vault-agent-injector-cfg'), ['NEW PEM', 'NEW PEM']);
  const patch = double.requests.find((request) => request.method === 'PATCH');
  assert.equal(patch?.contentType, 'application/json-patch+json');
  assert.deepEqual(patch?.body, [
    { op: 'add', path: '/webhooks/0/clientConfig/caBundle', value: Buffer.from('NEW PEM').toString('base64') },
    { op: 'add', path: '/webhooks/1/clientConfig/caBundle', value: Buffer.from('NEW PEM').toString('base64') },
  ]);
  // Unrelated fields survive the patch.
  const stored = double.get('mutatingwebhookconfigurations', 'vault-agent-injector-cfg');
  assert.equal(((stored?.['webhooks'] as Array<Record<string, unknown>>)[0]?.['clientConfig'] as Record<string, unknown>)['service'] !== undefined, true);
});

test('a server error from the API is a KubeError naming the call, not a body', async (t) => {
  const double = await startKubernetesDouble();
  t.after(() => double.close());
  const api = createKubeApi(double.kubeConfig());
  double.failRequests({ status: 403, pathIncludes: '/secrets/' });
  await assert.rejects(api.readSecret('vault', 'certs'), /^KubeError: Kubernetes API call get secrets\/certs in vault failed with HTTP 403 \(Forbidden\)$/);
});

const lease = (fields: Partial<LeaseRecord>): LeaseRecord => ({ resourceVersion: '1', holderIdentity: 'other', leaseDurationSeconds: 3, acquireTimeMs: 0, renewTimeMs: 0, leaseTransitions: 0, ...fields });

test('decideLease: the table of client-go cases', () => {
  const cases: Array<{ name: string; record: LeaseRecord | undefined; previous?: { key: string; observedAtMs: number }; nowMs: number; expected: string }> = [
    { name: 'no lease: create it', record: undefined, nowMs: 10_000, expected: 'create' },
    { name: 'ours: renew', record: lease({ holderIdentity: 'me' }), nowMs: 10_000, expected: 'update:renew' },
    { name: 'held by another, first seen now: wait', record: lease({}), nowMs: 10_000, expected: 'wait' },
    { name: 'held by another, unchanged for less than the duration: wait', record: lease({}), previous: { key: '1|other|0', observedAtMs: 8_000 }, nowMs: 10_000, expected: 'wait' },
    { name: 'held by another, unchanged for the whole duration: take it', record: lease({}), previous: { key: '1|other|0', observedAtMs: 7_000 }, nowMs: 10_000, expected: 'update:acquire' },
    { name: 'held by another, renewed since we looked: wait (their clock is not trusted)', record: lease({ resourceVersion: '2', renewTimeMs: 1 }), previous: { key: '1|other|0', observedAtMs: 0 }, nowMs: 10_000, expected: 'wait' },
    { name: 'released (empty holder): take it at once', record: lease({ holderIdentity: undefined }), nowMs: 10_000, expected: 'update:acquire' },
  ];
  for (const { name, record, previous, nowMs, expected } of cases) {
    const decision = decideLease({ record, previous, identity: 'me', nowMs, timings: TIMINGS });
    const summary = decision.action === 'update' ? `update:${decision.acquiring ? 'acquire' : 'renew'}` : decision.action;
    assert.equal(summary, expected, name);
  }
  const taken = decideLease({ record: lease({ leaseTransitions: 4 }), previous: { key: '1|other|0', observedAtMs: 0 }, identity: 'me', nowMs: 10_000, timings: TIMINGS });
  assert.ok(taken.action === 'update');
  assert.equal(taken.spec.leaseTransitions, 5);
  assert.equal(taken.spec.holderIdentity, 'me');
});

test('two electors on one Lease: exactly one leads, the other takes over after release', async (t) => {
  const double = await startKubernetesDouble();
  t.after(() => double.close());
  const api = createKubeApi(double.kubeConfig());
  const a = new LeaderElector(api, { namespace: 'vault', name: 'vault-injector-leader' }, 'replica-a', TIMINGS, Date.now);
  const b = new LeaderElector(api, { namespace: 'vault', name: 'vault-injector-leader' }, 'replica-b', TIMINGS, Date.now);
  await Promise.all([a.attempt(), b.attempt()]);
  assert.equal([a.isLeader(), b.isLeader()].filter(Boolean).length, 1, 'exactly one leader');
  const [leader, follower] = a.isLeader() ? [a, b] : [b, a];
  await follower.attempt();
  assert.equal(follower.isLeader(), false);
  const stored = double.get('leases', 'vault-injector-leader', 'vault');
  const spec = stored?.['spec'] as Record<string, unknown>;
  assert.match(String(spec['renewTime']), /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/, 'MicroTime with six digits');
  await leader.stop();
  assert.equal(leader.isLeader(), false);
  await follower.attempt();
  assert.equal(follower.isLeader(), true);
  assert.equal((double.get('leases', 'vault-injector-leader', 'vault')?.['spec'] as Record<string, unknown>)['leaseTransitions'], 0);
  await follower.stop();
});

function raw(double: Awaited<ReturnType<typeof startKubernetesDouble>>, method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<{ status: number; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const outgoing = https.request(`${double.url}${path}`, { method, ca: double.caPem, headers: { authorization: `Bearer ${double.token}`, 'content-type': contentType } }, (response) => {
      let text = '';
      response.on('data', (chunk: Buffer) => { text += chunk.toString(); });
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: JSON.parse(text) as Record<string, unknown> }));
    });
    outgoing.on('error', reject);
    outgoing.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

test('the double: Lease conflicts and AlreadyExists as real Status bodies; merge and strategic merge patches', async (t) => {
  const double = await startKubernetesDouble();
  t.after(() => double.close());
  const leases = '/apis/coordination.k8s.io/v1/namespaces/vault/leases';
  const lease = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'l' }, spec: { holderIdentity: 'a', leaseDurationSeconds: 15 } };
  const created = await raw(double, 'POST', leases, lease);
  assert.equal(created.status, 201);
  const version = (created.body['metadata'] as Record<string, string>)['resourceVersion'];
  assert.deepEqual((await raw(double, 'POST', leases, lease)).body, {
    kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'leases.coordination.k8s.io "l" already exists',
    reason: 'AlreadyExists', details: { name: 'l', group: 'coordination.k8s.io', kind: 'leases' }, code: 409,
  });
  assert.equal((await raw(double, 'PUT', `${leases}/l`, { ...lease, metadata: { name: 'l', resourceVersion: version }, spec: { holderIdentity: 'b' } })).status, 200);
  const stale = await raw(double, 'PUT', `${leases}/l`, { ...lease, metadata: { name: 'l', resourceVersion: version }, spec: { holderIdentity: 'c' } });
  assert.equal(stale.status, 409);
  assert.deepEqual(stale.body, {
    kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure',
    message: 'Operation cannot be fulfilled on leases.coordination.k8s.io "l": the object has been modified; please apply your changes to the latest version and try again',
    reason: 'Conflict', details: { name: 'l', group: 'coordination.k8s.io', kind: 'leases' }, code: 409,
  });
  assert.equal((await raw(double, 'PUT', `${leases}/l`, { ...lease, spec: { renewTime: '2026-01-01T00:00:00Z-bad' } })).status, 422);

  double.put('mutatingwebhookconfigurations', { metadata: { name: 'm' }, webhooks: [{ name: 'a', clientConfig: { url: 'https://a' } }, { name: 'b', clientConfig: { url: 'https://b' } }] });
  const path = '/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations/m';
  const merged = await raw(double, 'PATCH', path, { metadata: { labels: { x: 'y' } } }, 'application/merge-patch+json');
  assert.equal(merged.status, 200);
  assert.deepEqual((merged.body['metadata'] as Record<string, unknown>)['labels'], { x: 'y' });
  const strategic = await raw(double, 'PATCH', path, { webhooks: [{ name: 'b', clientConfig: { caBundle: 'Q0E=' } }] }, 'application/strategic-merge-patch+json');
  assert.equal(strategic.status, 200);
  assert.deepEqual(strategic.body['webhooks'], [{ name: 'a', clientConfig: { url: 'https://a' } }, { name: 'b', clientConfig: { url: 'https://b', caBundle: 'Q0E=' } }], 'merged by name');
  assert.equal((await raw(double, 'PATCH', path, [{ op: 'add', path: '/webhooks/0/clientConfig/caBundle', value: 'not base64!' }], 'application/json-patch+json')).status, 422);
  assert.equal((await raw(double, 'PATCH', path, [{ op: 'replace', path: '/nope/0', value: 1 }], 'application/json-patch+json')).status, 422);
  assert.equal((await raw(double, 'PATCH', path, {}, 'text/plain')).status, 415);
  assert.equal((await raw(double, 'GET', '/api/v1/namespaces/vault/configmaps/x')).status, 404);
});
