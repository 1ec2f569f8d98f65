// The verdict cache (src/admission/cache.ts): replicas are answered from memory with the same
// answer the pipeline gives, under their own uid and apiVersion; anything that could change the
// verdict (pod, namespace, settings, tenancy policy) misses; memory stays bounded.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { handleAdmissionReview } from '../../../src/admission/review.ts';
import type { AdmissionOutcome } from '../../../src/admission/review.ts';
import { VerdictCache } from '../../../src/admission/cache.ts';
import { BoundedCache } from '../../../src/admission/lru.ts';
import type { TenancyCheck } from '../../../src/tenancy/types.ts';
import type { Pod } from '../../../src/pod.ts';
import { fixture, makePod, settings } from './helpers.ts';

function review(pod: unknown, uid: string, extra: { namespace?: string; version?: string } = {}): unknown {
  return {
    apiVersion: extra.version ?? 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: { uid, kind: { group: '', version: 'v1', kind: 'Pod' }, namespace: extra.namespace ?? 'team-a', operation: 'CREATE', object: structuredClone(pod) },
  };
}

const annotated = (): Pod => makePod({
  'vault.hashicorp.com/agent-inject': 'true',
  'vault.hashicorp.com/role': 'web',
  'vault.hashicorp.com/agent-inject-secret-db': 'database/creds/web',
});

const withoutUid = (outcome: AdmissionOutcome): unknown => {
  const body = structuredClone(outcome.body) as { response: { uid?: string } };
  delete body.response.uid;
  const { uid: _uid, body: _body, ...rest } = outcome;
  return { ...rest, body };
};

test('a replica is answered from the cache with the pipeline\'s own answer, under its uid', () => {
  const cache = new VerdictCache();
  const config = settings();
  const first = handleAdmissionReview(review(annotated(), 'uid-1'), config, { verdicts: cache });
  const second = handleAdmissionReview(review(annotated(), 'uid-2'), config, { verdicts: cache });
  const uncached = handleAdmissionReview(review(annotated(), 'uid-2'), config);
  assert.equal(first.decision, 'injected');
  assert.deepEqual({ hits: cache.hits, misses: cache.misses }, { hits: 1, misses: 1 });
  assert.deepEqual(second, uncached, 'the cached answer is the uncached answer');
  assert.equal((second.body as { response: { uid: string } }).response.uid, 'uid-2');
  assert.deepEqual(withoutUid(first), withoutUid(second));
});

test('the cached verdict is sent in each request\'s apiVersion', () => {
  const cache = new VerdictCache();
  const config = settings();
  handleAdmissionReview(review(annotated(), 'uid-1'), config, { verdicts: cache });
  const old = handleAdmissionReview(review(annotated(), 'uid-2', { version: 'admission.k8s.io/v1beta1' }), config, { verdicts: cache });
  assert.equal(cache.hits, 1);
  assert.equal((old.body as { apiVersion: string }).apiVersion, 'admission.k8s.io/v1beta1');
});

test('the fixtures give the same outcome with and without the cache, on the first and the second sighting', () => {
  const cache = new VerdictCache();
  const config = settings();
  for (const name of ['review-v1-deployment-pod.json', 'review-v1-job-pod.json', 'review-v1beta1-plain-pod.json']) {
    const body = fixture(name);
    const plain = handleAdmissionReview(structuredClone(body), config);
    assert.deepEqual(handleAdmissionReview(structuredClone(body), config, { verdicts: cache }), plain, `${name}, first`);
    assert.deepEqual(handleAdmissionReview(structuredClone(body), config, { verdicts: cache }), plain, `${name}, second`);
  }
  assert.equal(cache.hits, 2, 'the two annotated fixtures hit on their second sighting; the plain pod never reaches the cache');
});

test('denials are remembered too, with the same message', () => {
  const cache = new VerdictCache();
  const pod = makePod({ 'vault.hashicorp.com/agent-inject': 'true', 'vault.hashicorp.com/role': 'web', 'vault.hashicorp.com/agent-inject-template-x': '{{ .Broken' });
  const config = settings();
  const first = handleAdmissionReview(review(pod, 'uid-1'), config, { verdicts: cache });
  const second = handleAdmissionReview(review(pod, 'uid-2'), config, { verdicts: cache });
  assert.equal(first.decision, 'denied');
  assert.equal(cache.hits, 1);
  assert.deepEqual(withoutUid(first), withoutUid(second));
});

test('another namespace, or a pod that differs in one value, is not the same pod', () => {
  const cache = new VerdictCache();
  const config = settings();
  handleAdmissionReview(review(annotated(), 'uid-1'), config, { verdicts: cache });
  const elsewhere = handleAdmissionReview(review(annotated(), 'uid-2', { namespace: 'team-b' }), config, { verdicts: cache });
  assert.equal(elsewhere.namespace, 'team-b');
  const changed = annotated();
  changed.metadata = { ...changed.metadata, annotations: { ...changed.metadata?.annotations, 'vault.hashicorp.com/role': 'other' } };
  handleAdmissionReview(review(changed, 'uid-3'), config, { verdicts: cache });
  assert.deepEqual({ hits: cache.hits, misses: cache.misses }, { hits: 0, misses: 3 });
});

test('a new tenancy policy (a new check) or new settings drop every remembered verdict', () => {
  const cache = new VerdictCache();
  const config = settings();
  const allowAll: TenancyCheck = () => undefined;
  const denyAll: TenancyCheck = () => ({ code: 'TENANCY_ROLE', message: 'role "web" is not allowed in namespace team-a' });
  assert.equal(handleAdmissionReview(review(annotated(), 'uid-1'), config, { verdicts: cache, tenancy: allowAll }).decision, 'injected');
  assert.equal(handleAdmissionReview(review(annotated(), 'uid-2'), config, { verdicts: cache, tenancy: allowAll }).decision, 'injected');
  assert.equal(cache.hits, 1);
  // The policy file was reloaded: the same pod must now be judged by the new policy.
  const denied = handleAdmissionReview(review(annotated(), 'uid-3'), config, { verdicts: cache, tenancy: denyAll });
  assert.equal(denied.decision, 'denied');
  assert.equal(denied.errorCode, 'TENANCY_ROLE');
  assert.equal(cache.hits, 1);
  const other = settings({ defaultTemplate: 'json' });
  handleAdmissionReview(review(annotated(), 'uid-4'), other, { verdicts: cache, tenancy: denyAll });
  assert.equal(cache.hits, 1, 'other settings: recomputed');
  assert.equal(cache.size, 1);
});

test('memory is bounded by entries and by characters; an entry larger than the budget is not kept', () => {
  const lru = new BoundedCache<string>(3, 100);
  lru.set('a', 'A', 40);
  lru.set('b', 'B', 40);
  lru.set('c', 'C', 40);
  assert.equal(lru.get('a'), undefined, 'the oldest went when the weight passed 100');
  assert.deepEqual([lru.size, lru.weight], [2, 80]);
  lru.set('huge', 'H', 101);
  assert.equal(lru.get('huge'), undefined);
  assert.deepEqual([lru.size, lru.weight], [2, 80]);
  lru.set('b', 'B2', 10);
  assert.deepEqual([lru.get('b'), lru.weight], ['B2', 50], 'replacing an entry replaces its weight');
  lru.set('d', 'D', 1);
  lru.set('e', 'E', 1);
  assert.equal(lru.size, 3, 'at most maxEntries');

  const cache = new VerdictCache({ maxEntries: 100, maxChars: 30_000 });
  const config = settings();
  for (let index = 0; index < 20; index += 1) {
    const pod = annotated();
    pod.metadata = { ...pod.metadata, labels: { replicaSet: `web-${index}` } };
    handleAdmissionReview(review(pod, `uid-${index}`), config, { verdicts: cache });
  }
  assert.ok(cache.size > 0 && cache.size < 20, `kept ${cache.size} of 20 within 30,000 characters`);
});
