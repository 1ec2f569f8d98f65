// The admission fast paths (src/admission/diff.ts, the template and agent-config caches, mutatePod's
// copy-on-write build) must change nothing a user sees: the same patch as fast-json-patch's
// compare on a deep copy, the same denials, the same config; and every config the builder makes
// must pass the agent's schema, so the schema's verdict cache never hides a bad config.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import jsonpatch from 'fast-json-patch';
import { diffDocuments } from '../../../src/admission/diff.ts';
import { handleAdmissionReview } from '../../../src/admission/review.ts';
import { checkTemplates } from '../../../src/admission/templates.ts';
import { BoundedCache } from '../../../src/admission/lru.ts';
import { buildAgentConfig, encodedAgentConfig } from '../../../src/agent-config.ts';
import { parseAnnotations } from '../../../src/annotations/parse.ts';
import { mutatePod } from '../../../src/mutate.ts';
import { validateAgentConfig } from '../../../agent/src/config/schema.ts';
import type { Pod } from '../../../src/pod.ts';
import { container, fixture, makePod, settings, specOf } from './helpers.ts';

/** Annotation sets covering every pod-wide and per-secret annotation, with edge values of each grammar. */
const ANNOTATION_CASES: Array<Record<string, string>> = [
  {},
  { 'agent-inject-secret-a': 'secret/a' },
  { 'agent-inject-secret-DB': 'database/creds/ro', 'preserve-secret-case': 'true', 'agent-inject-default-template': 'json' },
  { 'agent-inject-secret-a': 'secret/a', 'agent-inject-template-a': '[[ with secret "secret/a" ]][[ .Data.x ]][[ end ]]', 'agent-template-left-delim-a': '[[', 'agent-template-right-delim-a': ']]', 'error-on-missing-key-a': 'true' },
  { 'agent-inject-template-file-a': '/etc/tpl/a.ctmpl', 'agent-inject-perms-a': '0400', 'agent-inject-command-a': 'kill -HUP 1', 'agent-inject-file-a': 'sub/dir/a.txt' },
  { 'agent-inject-secret-a': 'secret/a', 'secret-volume-path-a': '/custom/path', 'agent-inject-secret-b': 'secret/b', 'secret-volume-path-b': '/other' },
  { 'agent-inject-secret-a': 'secret/a', 'agent-native-sidecar': 'true', 'agent-revoke-on-shutdown': 'true', 'agent-revoke-grace': '0', 'agent-inject-token': 'true' },
  { 'agent-pre-populate-only': 'true', 'agent-init-first': 'true', 'agent-auto-auth-exit-on-err': 'true' },
  { 'agent-pre-populate': 'false', 'agent-share-process-namespace': 'true' },
  { 'auth-min-backoff': '0', 'auth-max-backoff': '1h30m', 'template-static-secret-render-interval': '250μs', 'template-lease-renewal-threshold': '0.5', 'template-max-connections-per-host': '7', 'template-config-exit-on-retry-failure': 'false' },
  { 'auth-min-backoff': '1.5s', 'template-lease-renewal-threshold': '0', 'template-max-connections-per-host': '0' },
  { service: 'http://vault:8200', 'tls-skip-verify': 'true', 'tls-server-name': 'vault.internal', 'ca-cert': '/vault/tls/ca.crt', 'ca-key': '/vault/tls', 'client-cert': '/c', 'client-key': '/k', 'tls-secret': 'vault-tls', namespace: 'team/a' },
  { 'auth-path': 'kubernetes-team', 'auth-config-token-path': '/var/run/token', 'log-level': 'WARNING', 'log-format': 'json', 'agent-image': 'registry/agent:2' },
  { 'agent-limits-cpu': '', 'agent-limits-mem': '1Gi', 'agent-limits-ephemeral': '2G', 'agent-requests-cpu': '0.5', 'agent-requests-mem': '1e3', 'agent-requests-ephemeral': '+1Ki' },
  { 'agent-run-as-user': '2000', 'agent-run-as-group': '0', 'agent-set-security-context': 'false' },
  { 'agent-extra-secret': 'extra', 'agent-copy-volume-mounts': 'web' },
  { 'agent-json-patch': '[{"op":"add","path":"/env/-","value":{"name":"X","value":"1"}},{"op":"remove","path":"/resources/limits"}]', 'agent-init-json-patch': '[{"op":"replace","path":"/image","value":"other"}]' },
  { 'auth-config-role': 'from-auth-config' },
];

const SETTINGS_CASES = [
  {},
  { nativeSidecar: true, revokeOnShutdown: true, defaultTemplate: 'json' as const },
  { vaultNamespace: 'ns', authMinBackoff: '5s', authMaxBackoff: '10s', templateStaticSecretRenderInterval: '1m', templateLeaseRenewalThreshold: 0.9, templateMaxConnectionsPerHost: 3, ephemeralLimit: '1Gi', ephemeralRequest: '1Mi' },
];

function pods(): Pod[] {
  const result: Pod[] = [];
  for (const annotations of ANNOTATION_CASES) {
    result.push(makePod(annotations));
    result.push(makePod(annotations, {
      initContainers: [container('migrate')],
      containers: [container('web', { env: [{ name: 'A', value: 'a/b~c' }] }), container('log~/shipper')],
    }));
  }
  return result;
}

test('every agent config the builder makes passes the agent\'s schema (all roles, annotation and settings cases)', () => {
  let checked = 0;
  for (const overrides of SETTINGS_CASES) {
    for (const pod of pods()) {
      const parsed = parseAnnotations(pod, 'team-a', settings(overrides));
      assert.ok(parsed.ok, parsed.ok ? '' : parsed.problems.map((entry) => entry.message).join('; '));
      if (!parsed.ok) continue;
      for (const role of ['init', 'sidecar', 'native-sidecar'] as const) {
        const config = buildAgentConfig(parsed.spec, role);
        const verdict = validateAgentConfig(JSON.parse(JSON.stringify(config)));
        assert.ok(verdict.ok, verdict.ok ? '' : JSON.stringify(verdict.problems));
        checked += 1;
      }
    }
  }
  assert.equal(checked, SETTINGS_CASES.length * ANNOTATION_CASES.length * 2 * 3);
});

test('the admission patch equals fast-json-patch compare(pod, deep copy of the mutated pod), operation for operation', () => {
  for (const overrides of SETTINGS_CASES) {
    for (const pod of pods()) {
      const before = JSON.stringify(pod);
      const spec = specOf(pod, overrides);
      const mutated = mutatePod(pod, spec);
      assert.ok(mutated.ok);
      if (!mutated.ok) continue;
      assert.equal(JSON.stringify(pod), before, 'mutatePod never writes to its input');
      const reference = jsonpatch.compare(pod, structuredClone(mutated.pod));
      assert.equal(JSON.stringify(diffDocuments(pod, mutated.pod)), JSON.stringify(reference));
    }
  }
});

test('diffDocuments matches compare on removals, replacements, type changes, escaped keys and array shrinking', () => {
  const cases: Array<[unknown, unknown]> = [
    [{ a: 1, b: { c: [1, 2, 3] }, 'x/y~z': 1 }, { a: 2, b: { c: [1, 5] }, 'x/y~z': 2, d: { e: null } }],
    [{ a: [1, 2], b: { c: 1 }, s: 'x' }, { a: { 0: 1 }, b: [1], s: { t: 1 } }],
    [{ a: { b: 1, c: 2 } }, { a: { c: 2 } }],
    [{ a: [1, { b: 2 }] }, { a: [1, { b: 2, c: undefined }, 3] }],
    [{ a: 1, b: 2 }, { a: undefined, b: 2, c: undefined }],
  ];
  for (const [before, after] of cases) {
    const reference = jsonpatch.compare(before as object, after as object);
    assert.equal(JSON.stringify(diffDocuments(before as object, after as object)), JSON.stringify(reference), JSON.stringify([before, after]));
  }
});

test('a cached template parse gives the same secret paths and the same denial as the first parse', () => {
  const good = specOf(makePod({ 'agent-inject-secret-a': 'secret/a', 'agent-inject-template-a': '{{ with secret "kv/x" }}{{ end }}{{ with secret "pki/issue/r" "common_name=a" }}{{ end }}' }));
  const first = checkTemplates(good);
  assert.deepEqual(checkTemplates(good), first);
  assert.deepEqual(first, { ok: true, secretPaths: [
    { annotation: 'vault.hashicorp.com/agent-inject-secret-a', path: 'secret/a' },
    { annotation: 'vault.hashicorp.com/agent-inject-template-a', path: 'kv/x' },
    { annotation: 'vault.hashicorp.com/agent-inject-template-a', path: 'pki/issue/r', operation: 'write' },
  ] });
  // Same text under another name: the error names its own template, not the cached one's.
  for (const name of ['a', 'b', 'a']) {
    const bad = specOf(makePod({ [`agent-inject-template-${name}`]: '{{ if }}' }));
    const result = checkTemplates(bad);
    assert.equal(result.ok, false);
    if (!result.ok) assert.match(result.problems[0]?.message ?? '', new RegExp(`^annotation vault.hashicorp.com/agent-inject-template-${name}: template: ${name}:1:`));
  }
  // Same text, other delimiters: parsed on its own terms.
  const plain = specOf(makePod({ 'agent-inject-template-a': '[[ if ]]' }));
  assert.equal(checkTemplates(plain).ok, true);
  const delimited = specOf(makePod({ 'agent-inject-template-a': '[[ if ]]', 'agent-template-left-delim-a': '[[', 'agent-template-right-delim-a': ']]' }));
  assert.equal(checkTemplates(delimited).ok, false);
});

test('a config the schema refuses is refused again when it comes back (the verdict cache keeps denials)', () => {
  const spec = specOf(makePod({ 'agent-inject-secret-a': 'secret/a' }));
  const broken = { ...spec, role: '' };
  for (let round = 0; round < 2; round += 1) {
    assert.deepEqual(encodedAgentConfig(broken, 'init'), { ok: false, reason: 'auto_auth.method.config.role: role must not be empty' });
  }
  assert.equal(encodedAgentConfig(spec, 'init').ok, true);
});

test('the bounded cache evicts the least recently used entry', () => {
  const cache = new BoundedCache<number>(2);
  cache.set('a', 1);
  cache.set('b', 2);
  assert.equal(cache.get('a'), 1);
  cache.set('c', 3);
  assert.equal(cache.get('b'), undefined);
  assert.equal(cache.get('a'), 1);
  assert.equal(cache.get('c'), 3);
  assert.equal(cache.size, 2);
});

test('the same review admitted twice gives byte-identical responses (caches warm the second time)', () => {
  const review = fixture('review-v1-deployment-pod.json');
  const first = JSON.stringify(handleAdmissionReview(structuredClone(review), settings()));
  const second = JSON.stringify(handleAdmissionReview(structuredClone(review), settings()));
  assert.equal(second, first);
  assert.match(first, /"decision":"injected"/);
});

test('the annotation size limit counts UTF-8 bytes exactly (the cheap upper bound only skips the count)', () => {
  const review = (value: string): Record<string, unknown> => {
    const base = fixture('review-v1-deployment-pod.json') as { request: { object: { metadata: { annotations: Record<string, string> } } } };
    base.request.object.metadata.annotations['example.com/blob'] = value;
    return base as unknown as Record<string, unknown>;
  };
  const annotationBytes = (extra: string): number => {
    const annotations = (fixture('review-v1-deployment-pod.json') as { request: { object: { metadata: { annotations: Record<string, string> } } } }).request.object.metadata.annotations;
    annotations['example.com/blob'] = extra;
    return Object.entries(annotations).reduce((sum, [key, value]) => sum + Buffer.byteLength(key) + Buffer.byteLength(value), 0);
  };
  // A euro sign is 1 UTF-16 unit and 3 UTF-8 bytes: near the limit the bound is not enough and the exact count decides.
  const under = '€'.repeat(86_000);
  assert.ok(annotationBytes(under) <= 256 * 1024);
  assert.equal(handleAdmissionReview(review(under), settings()).decision, 'injected');
  const over = '€'.repeat(88_000);
  const bytes = annotationBytes(over);
  assert.ok(bytes > 256 * 1024 && over.length * 3 > 256 * 1024);
  const outcome = handleAdmissionReview(review(over), settings());
  assert.equal(outcome.decision, 'denied');
  assert.match(JSON.stringify(outcome.body), new RegExp(`metadata.annotations: too long: ${bytes} bytes, Kubernetes allows at most 262144`));
});
