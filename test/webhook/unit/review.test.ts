// handleAdmissionReview end to end: the fixtures' AdmissionReviews as the API server sends them,
// the patch applied to the request pod, the result validated with kubernetes-models and the
// restricted Pod Security Standard; the envelope rules and denials of handler_test.go.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import jsonpatch from 'fast-json-patch';
import type { Operation } from 'fast-json-patch';
import { Pod as PodModel } from 'kubernetes-models/v1';
import { handleAdmissionReview } from '../../../src/admission/review.ts';
import type { AdmissionOutcome } from '../../../src/admission/review.ts';
import type { TenancyRequest } from '../../../src/tenancy/types.ts';
import type { Pod } from '../../../src/pod.ts';
import { agents, container, decodeConfig, fixture, makePod, restrictedViolations, settings } from './helpers.ts';

interface ReviewResponse {
  apiVersion: string;
  kind: string;
  response: { uid: string; allowed: boolean; patchType?: string; patch?: string; status?: { code: number; message: string } };
}

const responseOf = (outcome: AdmissionOutcome): ReviewResponse => outcome.body as ReviewResponse;

function review(pod: Pod, overrides: { namespace?: string; operation?: string; kind?: string; version?: string } = {}): unknown {
  return {
    apiVersion: overrides.version ?? 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: {
      uid: 'a1b2c3', kind: { group: '', version: 'v1', kind: overrides.kind ?? 'Pod' }, resource: { group: '', version: 'v1', resource: 'pods' },
      namespace: overrides.namespace ?? 'team-a', operation: overrides.operation ?? 'CREATE', object: pod, oldObject: null, dryRun: false,
    },
  };
}

/** The request pod with the response's patch applied. */
function patched(requestBody: unknown, outcome: AdmissionOutcome): Pod {
  const response = responseOf(outcome).response;
  assert.equal(response.patchType, 'JSONPatch');
  const operations = JSON.parse(Buffer.from(response.patch ?? '', 'base64').toString('utf8')) as Operation[];
  const pod = (requestBody as { request: { object: Pod } }).request.object;
  return jsonpatch.applyPatch(structuredClone(pod), operations, true, false).newDocument;
}

function assertValidInjectedPod(pod: Pod): void {
  new PodModel(pod as ConstructorParameters<typeof PodModel>[0]).validate();
  assert.ok(agents(pod).length > 0, 'agents injected');
  for (const agent of agents(pod)) assert.deepEqual(restrictedViolations(pod, agent), [], agent.name);
  assert.equal(pod.metadata?.annotations?.['vault.hashicorp.com/agent-inject-status'], 'injected');
}

test('fixture: Deployment pod, v1 — init and sidecar, templates in name order, valid pod', () => {
  const body = fixture('review-v1-deployment-pod.json');
  const outcome = handleAdmissionReview(body, settings());
  assert.equal(outcome.httpStatus, 200);
  assert.equal(outcome.decision, 'injected');
  assert.equal(outcome.injectionType, 'init_and_sidecar');
  assert.deepEqual({ uid: outcome.uid, namespace: outcome.namespace, podName: outcome.podName }, { uid: '3c8a4b2e-9f1d-4e6a-b7c5-2d1e0f9a8b7c', namespace: 'team-a', podName: 'web-7d9f8b6c5d-*' });
  const response = responseOf(outcome);
  assert.deepEqual(Object.keys(response.response), ['uid', 'allowed', 'patchType', 'patch']);
  assert.equal(response.apiVersion, 'admission.k8s.io/v1');
  const pod = patched(body, outcome);
  assertValidInjectedPod(pod);
  assert.deepEqual(pod.spec?.initContainers?.map((entry) => entry.name), ['vault-agent-init']);
  assert.deepEqual(pod.spec?.containers.map((entry) => entry.name), ['web', 'vault-agent']);
  const templates = decodeConfig(pod.spec?.initContainers?.[0]).template as Array<{ destination: string; contents: string }>;
  assert.deepEqual(templates.map((entry) => entry.destination), ['/vault/secrets/config.json', '/vault/secrets/db-creds']);
  assert.equal(templates[0]?.contents, '{{ with secret "secret/data/team-a/web" }}{{ .Data | toJSON }}\n{{ end }}');
});

test('fixture: Job pod with pre-populate-only — init only, perms kept', () => {
  const body = fixture('review-v1-job-pod.json');
  const outcome = handleAdmissionReview(body, settings());
  assert.equal(outcome.decision, 'injected');
  assert.equal(outcome.injectionType, 'init_only');
  const pod = patched(body, outcome);
  assertValidInjectedPod(pod);
  assert.deepEqual(pod.spec?.containers.map((entry) => entry.name), ['pgdump']);
  assert.deepEqual(pod.spec?.initContainers?.map((entry) => entry.name), ['vault-agent-init']);
  const templates = decodeConfig(pod.spec?.initContainers?.[0]).template as Array<{ destination: string; perms: string }>;
  assert.deepEqual(templates.map((entry) => [entry.destination, entry.perms]), [['/vault/secrets/pgpass', '0600']]);
});

test('fixture: plain pod in a v1beta1 envelope — allowed untouched, answered in v1beta1 with its uid', () => {
  const outcome = handleAdmissionReview(fixture('review-v1beta1-plain-pod.json'), settings());
  assert.equal(outcome.decision, 'skipped');
  assert.deepEqual(outcome.body, { apiVersion: 'admission.k8s.io/v1beta1', kind: 'AdmissionReview', response: { uid: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d', allowed: true } });
});

test('v1beta1 injected response keeps the request version', () => {
  const outcome = handleAdmissionReview(review(makePod({}), { version: 'admission.k8s.io/v1beta1' }), settings());
  assert.equal(responseOf(outcome).apiVersion, 'admission.k8s.io/v1beta1');
  assert.equal(outcome.decision, 'injected');
});

test('a native sidecar pod from the fixture is valid too', () => {
  const body = fixture('review-v1-deployment-pod.json') as { request: { object: Pod } };
  const outcome = handleAdmissionReview(body, settings({ nativeSidecar: true }));
  assert.equal(outcome.injectionType, 'native_sidecar');
  const pod = patched(body, outcome);
  assertValidInjectedPod(pod);
  assert.deepEqual(pod.spec?.initContainers?.map((entry) => [entry.name, entry.restartPolicy]), [['vault-agent', 'Always']]);
});

test('what passes untouched (TestShouldInject, handler_test pass-through rows)', () => {
  const running = makePod({});
  running.status = { phase: 'Running' };
  const injectedAlready = makePod({ 'agent-inject-status': 'injected' });
  const plain = makePod({});
  delete plain.metadata?.annotations;
  const cases: Array<[string, unknown]> = [
    ['no annotations', review(plain)],
    ['agent-inject false', review(makePod({ 'agent-inject': 'false' }))],
    ['agent-inject ""', review(makePod({ 'agent-inject': '' }))],
    ['already injected', review(injectedAlready)],
    ['phase Running', review(running)],
    ['UPDATE', review(makePod({}), { operation: 'UPDATE' })],
    ['DELETE', review(makePod({}), { operation: 'DELETE' })],
    ['not a Pod', review(makePod({}), { kind: 'Deployment' })],
    ['plain pod in kube-system', review(plain, { namespace: 'kube-system' })],
    ['un-annotated pod of an odd shape', review({ apiVersion: 'v1', kind: 'Pod', metadata: { annotations: 'not-a-map' as unknown as Record<string, string> } } as Pod)],
  ];
  for (const [name, body] of cases) {
    const outcome = handleAdmissionReview(body, settings());
    assert.equal(outcome.decision, 'skipped', name);
    assert.deepEqual(responseOf(outcome).response, { uid: 'a1b2c3', allowed: true }, name);
  }
  const update = makePod({ 'agent-inject-status': 'update' });
  update.status = { phase: 'Pending' };
  assert.equal(handleAdmissionReview(review(update), settings()).decision, 'injected', 'status "update" and Pending still inject');
});

function denial(body: unknown, hooks = {}): { code: string | undefined; message: string } {
  const outcome = handleAdmissionReview(body, settings(), hooks);
  assert.equal(outcome.decision, 'denied');
  assert.equal(outcome.httpStatus, 200);
  const response = responseOf(outcome).response;
  assert.equal(response.allowed, false);
  assert.equal(response.uid, 'a1b2c3');
  assert.equal(response.status?.code, 403);
  assert.equal(response.patch, undefined);
  return { code: outcome.errorCode, message: response.status?.message ?? '' };
}

test('denials, each naming the annotation and the reason', () => {
  const cases: Array<[string, unknown, string, string]> = [
    ['kube-system', review(makePod({}), { namespace: 'kube-system' }), 'VI_SYSTEM_NAMESPACE', 'error with request namespace: cannot inject into system namespaces: kube-system'],
    ['kube-public', review(makePod({}), { namespace: 'kube-public' }), 'VI_SYSTEM_NAMESPACE', 'error with request namespace: cannot inject into system namespaces: kube-public'],
    ['bad agent-inject', review(makePod({ 'agent-inject': 'yes' })), 'VI_ANNOTATION_INVALID', 'annotation vault.hashicorp.com/agent-inject: "yes" is not a boolean (use true or false)'],
    ['invalid default template', review(makePod({ 'agent-inject-secret-a': 'p', 'agent-inject-default-template': 'foobar' })), 'VI_ANNOTATION_INVALID', 'annotation vault.hashicorp.com/agent-inject-default-template: invalid default template type "foobar" (map or json)'],
    ['file escape', review(makePod({ 'agent-inject-secret-a': 'p', 'agent-inject-file-a': '../../etc/x' })), 'VI_FILE_ESCAPES_VOLUME', 'annotation vault.hashicorp.com/agent-inject-file-a: "../../etc/x" would write /etc/x, outside the volume mounted at /vault/secrets'],
    ['no pod', { apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', request: { uid: 'a1b2c3', kind: { group: '', version: 'v1', kind: 'Pod' }, operation: 'CREATE', namespace: 'team-a' } }, 'VI_POD_INVALID', 'cannot read the pod: the request carries no pod object'],
    ['annotated pod without containers', review({ apiVersion: 'v1', kind: 'Pod', metadata: { annotations: { 'vault.hashicorp.com/agent-inject': 'true' } }, spec: { containers: [] } }), 'VI_POD_INVALID', 'cannot read the pod: the pod has no containers'],
    ['two problems joined', review(makePod({ 'agent-limits-cpu': 'lots', 'log-level': 'loud' })), 'VI_ANNOTATION_INVALID', 'annotation vault.hashicorp.com/agent-limits-cpu: "lots" is not a Kubernetes quantity (such as "250m", "64Mi" or "1"); annotation vault.hashicorp.com/log-level: "loud" is not a log level (trace, debug, info, warn or error)'],
  ];
  for (const [name, body, code, message] of cases) assert.deepEqual(denial(body), { code, message }, name);
});

test('a template that does not parse denies with the annotation, Go\'s position and reason', () => {
  const body = review(makePod({ 'agent-inject-template-db-creds': '{{ with secret "database/creds/x" }}\n{{ .Data.password }\n{{ end }}' }));
  const found = denial(body);
  // Exactly the shape of fixtures/kubernetes/response-v1-denied.shape.json.
  assert.deepEqual(found, { code: 'VI_TEMPLATE_PARSE', message: 'annotation vault.hashicorp.com/agent-inject-template-db-creds: template: db-creds:2: unexpected "}" in operand' });
  const unknownFunction = denial(review(makePod({ 'agent-inject-template-a': '{{ nosuchfunc "x" }}' })));
  assert.equal(unknownFunction.message, 'annotation vault.hashicorp.com/agent-inject-template-a: template: a:1: function "nosuchfunc" not defined');
  const delimiters = denial(review(makePod({ 'agent-inject-template-a': '[[ .Data ]', 'agent-template-left-delim-a': '[[', 'agent-template-right-delim-a': ']]' })));
  assert.equal(delimiters.code, 'VI_TEMPLATE_PARSE');
  assert.match(delimiters.message, /^annotation vault\.hashicorp\.com\/agent-inject-template-a: template: a:1: /);
});

test('a template calling a Consul or Nomad function denies: Vault Agent has neither', () => {
  const consul = denial(review(makePod({ 'agent-inject-template-a': 'x\n{{ with secret "s" }}{{ key "app/config" }}{{ end }}' })));
  assert.deepEqual(consul, { code: 'VI_TEMPLATE_UNAVAILABLE_FUNCTION', message: 'annotation vault.hashicorp.com/agent-inject-template-a: template: a:2:24: function "key" needs Consul, which Vault Agent does not connect to (it renders Vault secrets only)' });
  const nomad = denial(review(makePod({ 'agent-inject-template-b': '{{ range nomadService "web" }}{{ .Address }}{{ end }}' })));
  assert.equal(nomad.code, 'VI_TEMPLATE_UNAVAILABLE_FUNCTION');
  assert.match(nomad.message, /template: b:1:9: function "nomadService" needs Nomad/);
  const piped = denial(review(makePod({ 'agent-inject-template-c': '{{ service "db" | byTag }}' })));
  assert.match(piped.message, /function "service" needs Consul/);
});

test('a template calling spew_dump or spew_printf denies: they print to the agent\'s log', () => {
  const dump = denial(review(makePod({ 'agent-inject-template-a': '{{ with secret "s" }}\n  {{ spew_dump .Data }}{{ end }}' })));
  assert.deepEqual(dump, { code: 'VI_TEMPLATE_STDOUT_FUNCTION', message: 'annotation vault.hashicorp.com/agent-inject-template-a: template: a:2:5: function "spew_dump" writes to the agent\'s log (its standard output), which vault-injector keeps free of secret values: use spew_sdump and render its result into the file instead' });
  const printf = denial(review(makePod({ 'agent-inject-template-b': '{{ secret "s" | spew_printf "%v" }}' })));
  assert.equal(printf.code, 'VI_TEMPLATE_STDOUT_FUNCTION');
  assert.match(printf.message, /template: b:1:16: function "spew_printf" writes to the agent's log .*use spew_sprintf/);
  const allowed = handleAdmissionReview(review(makePod({ 'agent-inject-template-c': '{{ with secret "s" }}{{ spew_sdump .Data }}{{ spew_sprintf "%v" .Data }}{{ end }}' })), settings());
  assert.equal(allowed.decision, 'injected', JSON.stringify(allowed.body));
});

test('a literal writeToFile path outside the secrets volume denies, naming the annotation and the path', () => {
  const outside = denial(review(makePod({ 'agent-inject-template-a': '{{ with secret "s" }}{{ .Data.x | writeToFile "/etc/app/x" "" "" "0644" }}{{ end }}' })));
  assert.deepEqual(outside, { code: 'VI_TEMPLATE_WRITE_OUTSIDE_VOLUME', message: 'annotation vault.hashicorp.com/agent-inject-template-a: template: a:1:34: writeToFile: "/etc/app/x" is outside the secrets volume (/vault/secrets); a template may only write files inside it' });
  const climbing = denial(review(makePod({ 'agent-inject-template-b': '{{ writeToFile "/vault/secrets/../x" "" "" "0644" "c" }}' })));
  assert.equal(climbing.code, 'VI_TEMPLATE_WRITE_OUTSIDE_VOLUME');
  assert.match(climbing.message, /template: b:1:3: writeToFile: "\/vault\/secrets\/\.\.\/x" has a "\.\." segment/);
  const inside = handleAdmissionReview(review(makePod({
    'agent-inject-template-c': '{{ "x" | writeToFile "/vault/secrets/extra/x.txt" "" "" "0600" }}{{ "y" | writeToFile "rel.txt" "" "" "0600" "append" }}{{ "z" | writeToFile (env "P") "" "" "0600" }}',
    'agent-inject-template-d': '{{ "x" | writeToFile "/etc/app/y" "" "" "0600" }}', 'agent-inject-secret-d': 's', 'secret-volume-path-d': '/etc/app',
  })), settings());
  assert.equal(inside.decision, 'injected', JSON.stringify(inside.body));
});

test('consul-template and sprig functions parse; custom delimiters are honoured', () => {
  const outcome = handleAdmissionReview(review(makePod({
    'agent-inject-template-a': '{{ with secret "kv/data/a" }}{{ .Data.data.x | toJSON | base64Encode }}{{ sprig_upper "x" }}{{ env "POD_IP" }}{{ end }}',
    'agent-inject-template-b': '[[ with secret "kv/b" ]][[ .Data ]][[ end ]]', 'agent-template-left-delim-b': '[[', 'agent-template-right-delim-b': ']]',
  })), settings());
  assert.equal(outcome.decision, 'injected', JSON.stringify(outcome.body));
});

test('tenancy: called with namespace, role, annotations and every secret path; its denial refuses the pod', () => {
  const seen: TenancyRequest[] = [];
  const body = review(makePod({
    'agent-inject-secret-a': 'kv/data/team-a/a',
    'agent-inject-secret-b': 'kv/data/team-a/b',
    'agent-inject-template-b': '{{ with secret "kv/data/team-b/x" }}{{ end }}{{ with secret (printf "kv/%s" "y") }}{{ end }}{{ with secret "pki/issue/web" "common_name=a" }}{{ end }}',
  }));
  const outcome = handleAdmissionReview(body, settings(), { tenancy: (request) => { seen.push(request); return undefined; } });
  assert.equal(outcome.decision, 'injected');
  assert.equal(seen.length, 1);
  assert.equal(seen[0]?.namespace, 'team-a');
  assert.equal(seen[0]?.role, 'web');
  assert.equal(seen[0]?.annotations['vault.hashicorp.com/agent-inject-secret-a'], 'kv/data/team-a/a');
  assert.deepEqual(seen[0]?.secretPaths, [
    { annotation: 'vault.hashicorp.com/agent-inject-secret-a', path: 'kv/data/team-a/a' },
    { annotation: 'vault.hashicorp.com/agent-inject-secret-b', path: 'kv/data/team-a/b' },
    { annotation: 'vault.hashicorp.com/agent-inject-template-b', path: 'kv/data/team-b/x' },
    { annotation: 'vault.hashicorp.com/agent-inject-template-b', path: null },
    { annotation: 'vault.hashicorp.com/agent-inject-template-b', path: 'pki/issue/web', operation: 'write' },
  ]);
  const refused = denial(body, { tenancy: () => ({ code: 'TENANCY_PATH_DENIED', message: 'namespace team-a may not read kv/data/team-b/x' }) });
  assert.deepEqual(refused, { code: 'TENANCY_PATH_DENIED', message: 'namespace team-a may not read kv/data/team-b/x' });
});

test('tenancy is not consulted for pods that are not injected', () => {
  let calls = 0;
  handleAdmissionReview(fixture('review-v1beta1-plain-pod.json'), settings(), { tenancy: () => { calls += 1; return undefined; } });
  assert.equal(calls, 0);
});

test('bodies that are not AdmissionReviews get a 400 with a message', () => {
  const cases: Array<[unknown, string]> = [
    ['', 'empty request body: expected an AdmissionReview'],
    ['{not json', 'the request body is not valid JSON: expected an AdmissionReview'],
    [[1, 2], 'the request body is not a JSON object: expected an AdmissionReview'],
    [{ kind: 'Pod' }, 'kind is "Pod", not "AdmissionReview"'],
    [{ kind: 'AdmissionReview', apiVersion: 'admission.k8s.io/v2' }, 'apiVersion "admission.k8s.io/v2" is not admission.k8s.io/v1 or admission.k8s.io/v1beta1'],
    [{ kind: 'AdmissionReview', apiVersion: 'admission.k8s.io/v1' }, 'the AdmissionReview has no request'],
    [{ kind: 'AdmissionReview', apiVersion: 'admission.k8s.io/v1', request: { kind: { kind: 'Pod' } } }, 'request.uid is missing'],
  ];
  for (const [body, message] of cases) {
    assert.deepEqual(handleAdmissionReview(body, settings()), {
      httpStatus: 400, decision: 'invalid', errorCode: 'VI_REVIEW_INVALID', body: { error: { code: 'VI_REVIEW_INVALID', message } },
    }, message);
  }
});

test('the review may come as JSON text (the mutate command\'s path)', () => {
  const body = JSON.stringify(fixture('review-v1-job-pod.json'));
  assert.equal(handleAdmissionReview(body, settings()).decision, 'injected');
  assert.equal(handleAdmissionReview(Buffer.from(body), settings()).decision, 'injected');
});

test('denial messages never carry template text or a JavaScript exception', () => {
  const secretLooking = 'hvs.CAESIJ0123456789abcdefghijklmnopqrstuv';
  const found = denial(review(makePod({ 'agent-inject-template-a': `${secretLooking} {{ if }}` })));
  assert.ok(!found.message.includes(secretLooking), found.message);
  assert.ok(!/TypeError|ReferenceError|at Object\./.test(found.message));
});

test('with agent-init-first, the patched pod has the agent first and the pod\'s init container keeps its spec plus the mounts', () => {
  const body = review(makePod({ 'agent-inject-secret-a': 'p', 'agent-init-first': 'true' }, { initContainers: [container('web-init')] }));
  const outcome = handleAdmissionReview(body, settings());
  const pod = patched(body, outcome);
  assert.deepEqual(pod.spec?.initContainers?.map((entry) => entry.name), ['vault-agent-init', 'web-init']);
  const { volumeMounts, ...rest } = pod.spec?.initContainers?.[1] ?? { volumeMounts: [] };
  const { volumeMounts: originalMounts, ...original } = container('web-init');
  assert.deepEqual(rest, original);
  assert.deepEqual(volumeMounts, [...(originalMounts ?? []), { name: 'vault-secrets', mountPath: '/vault/secrets' }]);
});

test('responses have exactly the fields of the fixtures\' two response shapes', () => {
  const keysOf = (value: unknown): unknown => (typeof value === 'object' && value !== null && !Array.isArray(value)
    ? Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, keysOf(inner)]))
    : typeof value);
  const patchShape = fixture('response-v1-patch.shape.json');
  const deniedShape = fixture('response-v1-denied.shape.json');
  const injectedBody = handleAdmissionReview(fixture('review-v1-deployment-pod.json'), settings()).body;
  assert.deepEqual(keysOf(injectedBody), keysOf(patchShape));
  const denied = fixture('review-v1-deployment-pod.json') as { request: { object: Pod } };
  denied.request.object.metadata = { ...denied.request.object.metadata, annotations: { ...denied.request.object.metadata?.annotations, 'vault.hashicorp.com/agent-inject-template-db-creds': '{{ .Data.password }' } };
  const deniedBody = handleAdmissionReview(denied, settings()).body as ReviewResponse;
  assert.deepEqual(keysOf(deniedBody), keysOf(deniedShape));
  assert.equal(deniedBody.response.uid, (deniedShape as unknown as ReviewResponse).response.uid);
});

test('warmUp runs the whole pipeline (its synthetic pod is injected)', async () => {
  const { warmUp } = await import('../../../src/admission/review.ts');
  assert.equal(warmUp(settings()), 'injected');
  const outcome = handleAdmissionReview(fixture('review-v1-job-pod.json'), settings());
  assert.equal(outcome.decision, 'injected');
});
