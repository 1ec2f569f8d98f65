// The three bugs the hostile suite found, pinned one by one (each crashed the pipeline or took
// seconds before its fix in src/admission/review.ts and src/pod.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { handleAdmissionReview, MAX_ANNOTATIONS_BYTES, MAX_REVIEW_DEPTH } from '../../src/admission/review.ts';
import { loadSettings } from '../../src/settings.ts';

const loaded = loadSettings(['-vault-address', 'https://vault.vault.svc:8200'], {});
if (!loaded.ok) throw new Error(loaded.problems.join('; '));
const settings = loaded.settings;

const tokenMount = { name: 'sa', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' };
function review(extraAnnotations: Record<string, string>, container: Record<string, unknown> = { name: 'web', image: 'web:1', volumeMounts: [tokenMount] }, extraRequest: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview',
    request: {
      uid: 'r-1', kind: { group: '', version: 'v1', kind: 'Pod' }, namespace: 'team-a', operation: 'CREATE', ...extraRequest,
      object: {
        metadata: { name: 'p', annotations: { 'vault.hashicorp.com/agent-inject': 'true', 'vault.hashicorp.com/role': 'web', 'vault.hashicorp.com/agent-inject-secret-db': 'secret/data/db', ...extraAnnotations } },
        spec: { volumes: [{ name: 'sa', projected: { sources: [{ serviceAccountToken: { path: 'token' } }] } }], containers: [container] },
      },
    },
  };
}
const responseOf = (body: unknown) => (body as { response: { allowed: boolean; status?: { code: number; message: string } } }).response;

test('deep nesting: refused as a 400 beyond the depth limit (was a stack overflow, HTTP 500); a pod just under it is served', () => {
  for (const depth of [MAX_REVIEW_DEPTH + 1, 5_000, 100_000]) {
    const text = JSON.stringify(review({})).replace('"spec":{', `"spec":{"deep":${'['.repeat(depth)}${']'.repeat(depth)},`);
    const outcome = handleAdmissionReview(text, settings);
    assert.equal(outcome.httpStatus, 400, `depth ${depth}`);
    assert.match(JSON.stringify(outcome.body), new RegExp(`nests deeper than ${MAX_REVIEW_DEPTH} levels`));
  }
  const shallow = JSON.stringify(review({})).replace('"spec":{', `"spec":{"deep":${'['.repeat(80)}${']'.repeat(80)},`);
  assert.equal(handleAdmissionReview(shallow, settings).httpStatus, 200);
});

test('annotations over Kubernetes\' 256 KiB are denied before any template is parsed, naming metadata.annotations', () => {
  const big = `{{ with secret "secret/data/db" }}${'{{ .Data.data.x }}'.repeat(MAX_ANNOTATIONS_BYTES / 18)}{{ end }}`;
  const started = process.hrtime.bigint();
  const outcome = handleAdmissionReview(review({ 'vault.hashicorp.com/agent-inject-template-db': big }), settings);
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  assert.equal(outcome.decision, 'denied');
  assert.equal(outcome.errorCode, 'VI_ANNOTATION_INVALID');
  assert.match(responseOf(outcome.body).status?.message ?? '', /metadata\.annotations: too long: \d+ bytes, Kubernetes allows at most 262144/);
  assert.ok(ms < 2000, `denied without parsing the template (${ms.toFixed(0)} ms)`);
  // Just under the limit is still served (and parsed).
  const fits = `{{ with secret "secret/data/db" }}${'x'.repeat(100_000)}{{ end }}`;
  assert.equal(handleAdmissionReview(review({ 'vault.hashicorp.com/agent-inject-template-db': fits }), settings).decision, 'injected');
});

test('a container without a name, or a mount without name or mountPath, is refused naming the field (was a TypeError, HTTP 500)', () => {
  const cases: Array<[Record<string, unknown>, RegExp]> = [
    [{ name: 'web', image: 'w', volumeMounts: [{ name: 'sa' }] }, /spec\.containers\[0\]\.volumeMounts\[0\] needs a name and a mountPath/],
    [{ name: 'web', image: 'w', volumeMounts: [{ mountPath: '/x' }, tokenMount] }, /volumeMounts\[0\] needs a name and a mountPath/],
    [{ name: 'web', image: 'w', volumeMounts: [null] }, /volumeMounts\[0\] needs a name and a mountPath/],
    [{ name: 'web', image: 'w', volumeMounts: 'sa' }, /spec\.containers\[0\]\.volumeMounts is not a list/],
    [{ image: 'w', volumeMounts: [tokenMount] }, /spec\.containers\[0\]\.name is not a string/],
  ];
  for (const [container, message] of cases) {
    const outcome = handleAdmissionReview(review({}, container), settings);
    assert.equal(outcome.decision, 'denied', JSON.stringify(container));
    assert.equal(outcome.errorCode, 'VI_POD_INVALID');
    assert.match(responseOf(outcome.body).status?.message ?? '', message);
  }
});
