// Hostile AdmissionReview bodies from a seeded PRNG (same seed, same bodies: a failure names its
// seed and index and is replayed with generateHostile(seed, index + 1)). Each body is raw bytes,
// as the API server (or an attacker who reaches the port) would send them.
export interface HostileCase {
  index: number;
  category: string;
  body: Buffer;
  /** The uid a 200 answer must carry, when the body is a readable review with one. */
  uid?: string;
}

import { prng } from '../support/prng.ts';

export { prng };

type Random = () => number;
const int = (random: Random, max: number): number => Math.floor(random() * max);
const pick = <T>(random: Random, items: readonly T[]): T => items[int(random, items.length)]!;

const PREFIX = 'vault.hashicorp.com/';
const tokenVolume = { name: 'kube-api-access-x1', projected: { sources: [{ serviceAccountToken: { path: 'token' } }] } };
const tokenMount = { name: 'kube-api-access-x1', readOnly: true, mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' };

function basePod(annotations: Record<string, unknown>): Record<string, unknown> {
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name: 'web-1', namespace: 'team-a', annotations },
    spec: { volumes: [tokenVolume], containers: [{ name: 'web', image: 'web:1', volumeMounts: [tokenMount] }] },
  };
}

const injectAnnotations = (extra: Record<string, unknown>): Record<string, unknown> => ({
  [`${PREFIX}agent-inject`]: 'true', [`${PREFIX}role`]: 'web', [`${PREFIX}agent-inject-secret-db`]: 'secret/data/db', ...extra,
});

function envelope(uid: string, object: unknown, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview',
    request: { uid, kind: { group: '', version: 'v1', kind: 'Pod' }, namespace: 'team-a', operation: 'CREATE', object, ...overrides },
  };
}

const SECRET_ANNOTATIONS = ['agent-inject-secret-', 'agent-inject-template-', 'agent-inject-file-', 'agent-inject-perms-', 'agent-inject-command-', 'secret-volume-path-', 'template-left-delim-', 'template-right-delim-', 'error-on-missing-key-'];
const GLOBAL_ANNOTATIONS = ['agent-inject', 'role', 'agent-pre-populate', 'agent-pre-populate-only', 'secret-volume-path', 'agent-limits-cpu', 'agent-requests-mem', 'agent-run-as-user', 'agent-inject-containers', 'agent-json-patch', 'agent-init-json-patch', 'agent-copy-volume-mounts', 'agent-inject-token', 'agent-configmap', 'agent-inject-default-template', 'auth-path', 'service', 'namespace', 'agent-revoke-grace', 'template-static-secret-render-interval', 'agent-cache-enable', 'agent-enable-quit', 'agent-inject-status', 'agent-extra-secret', 'tls-secret', 'ca-cert', 'agent-telemetry-prometheus_retention_time'];

const TRAVERSALS = ['../../etc/passwd', '..', '.', '/etc/shadow', 'a/../../b', '..\\..\\x', '%2e%2e%2fx', 'x/../../../../vault/secrets/../x', '/', '', ' ', 'a\u0000b', '~/.ssh/id_rsa', '/proc/self/environ', 'secrets/../..', '\u202e../x', 'con', 'a'.repeat(300)];

const WEIRD_VALUES = ['', ' ', '\u0000', '\ud800', '\udfff\ud800', '{{', '}}', '${HOME}', '$(id)', '`id`', 'null', 'true', '-1', '1e309', 'NaN', '0x10', '[]', '{}', '{"op":"remove","path":"/spec"}', '[{"op":"add","path":"/spec/containers/-","value":{"name":"x"}}]', '[{"op":"replace","path":"/metadata/__proto__/polluted","value":1}]', 'é/ü/字', '\r\n\t', '\u2028\u2029', '🔑'.repeat(100)];

function templateBomb(random: Random, f: number): string {
  const n = (count: number): number => Math.max(2, Math.round(count * f));
  switch (int(random, 12)) {
    case 0: { const depth = n(50 + int(random, 5000)); return `${'{{ if true }}'.repeat(depth)}x${'{{ end }}'.repeat(depth)}`; }
    case 1: return '{{ define "a" }}{{ template "a" . }}{{ end }}{{ template "a" . }}';
    case 2: return '{{ define "a" }}{{ template "b" . }}{{ template "b" . }}{{ end }}{{ define "b" }}{{ template "a" . }}{{ template "a" . }}{{ end }}{{ template "a" . }}';
    case 3: return `{{ range sprig_until ${pick(random, ['1000000000', '99999999999', '-1', '9223372036854775807'])} }}{{ range sprig_until 1000000000 }}x{{ end }}{{ end }}`;
    case 4: { const count = n(100 + int(random, 3000)); return Array.from({ length: count }, (_, i) => `{{ define "t${i}" }}{{ template "t${i + 1}" . }}{{ template "t${i + 1}" . }}{{ end }}`).join('') + '{{ template "t0" . }}'; }
    case 5: { const depth = n(100 + int(random, 20_000)); return `{{ ${'('.repeat(depth)}1${')'.repeat(depth)} }}`; }
    case 6: { const depth = n(100 + int(random, 5000)); return `{{ ${'print ('.repeat(depth)}"x"${')'.repeat(depth)} }}`; }
    case 7: return `{{ ${'x'.repeat(n(10_000 + int(random, 100_000)))} }}`;
    case 8: return '{{ with secret "secret/data/db" }}'.repeat(n(1000 + int(random, 4000)));
    case 9: return `{{ range $i, $e := . }}${'{{ $i }}'.repeat(n(2000))}{{ end }}{{ /* ${'*'.repeat(n(50_000))} */ }}`;
    case 10: return `{{ define "x" }}${'{{ block "y" . }}'.repeat(n(500))}${'{{ end }}'.repeat(n(500))}{{ end }}`;
    default: return `{{ printf "%0${int(random, 1_000_000_000)}d" 1 }}{{ sprig_repeat 2147483647 "x" }}{{ "${'\\x'.repeat(n(3000))}" }}`;
  }
}

function deepValue(depth: number, asArray: boolean): unknown {
  let value: unknown = 'leaf';
  for (let i = 0; i < depth; i++) value = asArray ? [value] : { a: value };
  return value;
}

/** Nested JSON as text (the object would be too deep to JSON.stringify with a small stack). */
function deepText(depth: number, asArray: boolean): string {
  return asArray ? `${'['.repeat(depth)}1${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
}

const PROTO_KEYS = ['__proto__', 'constructor', 'prototype'];

function protoPolluted(random: Random, uid: string): string {
  const key = pick(random, PROTO_KEYS);
  const payload = `{"${key}":{"polluted":"yes","prototype":{"polluted":"yes"},"toString":"x","hasOwnProperty":1}}`;
  const where = int(random, 7);
  const pod = (annotations: string, extra = ''): string =>
    `{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","namespace":"team-a","annotations":${annotations}${extra}},"spec":{"volumes":[${JSON.stringify(tokenVolume)}],"containers":[{"name":"web","image":"web:1","volumeMounts":[${JSON.stringify(tokenMount)}]}]}}`;
  const inject = `"vault.hashicorp.com/agent-inject":"true","vault.hashicorp.com/role":"web","vault.hashicorp.com/agent-inject-secret-db":"secret/data/db"`;
  const review = (request: string): string => `{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":${request}}`;
  const request = (object: string, extra = ''): string => `{"uid":"${uid}","kind":{"group":"","version":"v1","kind":"Pod"},"namespace":"team-a","operation":"CREATE","object":${object}${extra}}`;
  switch (where) {
    case 0: return review(request(pod(`{${inject},"${key}":{"vault.hashicorp.com/agent-inject-secret-x":"y"}}`)));
    case 1: return review(request(pod(`{${inject},"vault.hashicorp.com/agent-inject-secret-${key}":"secret/data/x","vault.hashicorp.com/agent-inject-file-${key}":"../${key}"}`)));
    case 2: return review(request(pod(`{${inject}}`, `,"labels":${payload}`), `,"${key}":${payload}`));
    case 3: return `{"${key}":${payload},"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":${request(pod(`{${inject}}`))}}`;
    case 4: return review(request(pod(`{${inject},"vault.hashicorp.com/agent-json-patch":"[{\\"op\\":\\"add\\",\\"path\\":\\"/${key}/polluted\\",\\"value\\":\\"yes\\"}]"}`)));
    case 5: return review(request(`{"${key}":${payload},"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","annotations":{${inject}}},"spec":{"containers":[{"name":"a","image":"a","${key}":{"polluted":1}}]}}`));
    default: return review(request(pod(`{${inject},"vault.hashicorp.com/agent-inject-containers":"${key}","vault.hashicorp.com/agent-copy-volume-mounts":"${key}"}`), `,"kind":{"${key}":{"kind":"Pod"}}`));
  }
}

function invalidUtf8(random: Random, valid: string): Buffer {
  const bytes = Buffer.from(valid);
  const bad = [[0xff], [0xc0, 0x80], [0xed, 0xa0, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80], [0x80], [0xe2, 0x82]];
  // Splice bad sequences into string values (after a quote) so the JSON stays otherwise well-formed.
  const parts: Buffer[] = [];
  let last = 0;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] === 0x22 && random() < 0.05) {
      parts.push(bytes.subarray(last, i + 1), Buffer.from(pick(random, bad)));
      last = i + 1;
    }
  }
  parts.push(bytes.subarray(last));
  return Buffer.concat(parts);
}

function mutateValue(random: Random): unknown {
  return pick(random, [null, 0, -1, 1.5, true, false, '', 'x', [], {}, [null], { '': '' }, 'a'.repeat(1000), 1e308, -0]);
}

/** Replaces one random node of a JSON value by a value of another type. */
function mutateTree(random: Random, value: unknown): unknown {
  if (random() < 0.15 || value === null || typeof value !== 'object') return mutateValue(random);
  const clone: Record<string, unknown> | unknown[] = Array.isArray(value) ? [...value] : { ...(value as Record<string, unknown>) };
  const keys = Object.keys(clone);
  if (keys.length === 0) return mutateValue(random);
  const key = pick(random, keys);
  (clone as Record<string, unknown>)[key] = mutateTree(random, (clone as Record<string, unknown>)[key]);
  return clone;
}

const CATEGORIES = ['malformed-json', 'wrong-kind', 'huge-annotations', 'deep-nesting', 'invalid-utf8', 'prototype-keys', 'path-traversal', 'template-bomb', 'weird-annotation-values', 'mutated-review'] as const;
export type Category = (typeof CATEGORIES)[number];

/**
 * 'long' uses the full sizes (annotations up to 1 MB, nesting 100,000 deep, templates of 100,000
 * actions); 'short' (inside npm test) keeps every shape but at about a tenth of the size, plus a
 * few cases over each limit, so 10,000 bodies run in seconds on a small machine.
 */
export type Scale = 'short' | 'long';

export function hostileCase(seed: number, index: number, scale: Scale = 'short'): HostileCase {
  const f = scale === 'long' ? 1 : 0.1;
  const random = prng((seed ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0);
  const category = CATEGORIES[index % CATEGORIES.length]!;
  const uid = `h-${seed}-${index}`;
  const json = (value: unknown, withUid = true): HostileCase => ({ index, category, body: Buffer.from(JSON.stringify(value)), ...(withUid ? { uid } : {}) });
  switch (category) {
    case 'malformed-json': {
      const valid = JSON.stringify(envelope(uid, basePod(injectAnnotations({}))));
      const forms = [
        () => valid.slice(0, int(random, valid.length)),
        () => `${valid}${pick(random, ['}', ']', ',', 'x', '\u0000', '{"a":1}'])}`,
        () => valid.replace(/"/g, () => (random() < 0.02 ? "'" : '"')),
        () => valid.replace(/:/, ':NaN,'),
        () => Buffer.from(Array.from({ length: int(random, 4096) }, () => int(random, 256))).toString('latin1'),
        () => pick(random, ['', ' ', 'null', '0', '"AdmissionReview"', '[]', '[{}]', 'true', '{', '}', '{"kind":', '\ufeff{}', '{"a":1,"a":2}', '1e99999']),
        () => valid.replace(/,/g, () => (random() < 0.1 ? ',,' : ',')),
      ];
      return { index, category, body: Buffer.from(pick(random, forms)(), 'utf8') };
    }
    case 'wrong-kind': {
      const forms: Array<() => unknown> = [
        () => envelope(uid, basePod(injectAnnotations({})), { kind: { group: 'apps', version: 'v1', kind: 'Deployment' } }),
        () => envelope(uid, basePod(injectAnnotations({})), { operation: pick(random, ['DELETE', 'UPDATE', 'CONNECT', '', 'create', null, 7]) }),
        () => envelope(uid, basePod(injectAnnotations({})), { subResource: pick(random, ['status', 'ephemeralcontainers', 'exec']) }),
        () => ({ ...envelope(uid, basePod(injectAnnotations({}))), apiVersion: pick(random, ['admission.k8s.io/v2', 'v1', '', null, 1]) }),
        () => ({ ...envelope(uid, basePod(injectAnnotations({}))), kind: pick(random, ['Pod', 'AdmissionResponse', '', null, ['AdmissionReview']]) }),
        () => ({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', request: pick(random, [null, [], 'x', 1, {}, { uid: 7 }, { uid: '' }, { uid: ['a'] }]) }),
        () => envelope(uid, pick(random, [null, 'pod', 1, [], [basePod({})], { kind: 'Pod' }, { metadata: null }, { metadata: { annotations: null } }, { metadata: { annotations: [] } }, { metadata: { annotations: { [`${PREFIX}agent-inject`]: 'true' } }, spec: null }])),
        () => envelope(uid, { ...basePod(injectAnnotations({})), kind: 'Secret', data: { a: 'b' } }),
        () => ({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response: { uid, allowed: true } }),
      ];
      const value = pick(random, forms)();
      return json(value, typeof ((value as { request?: { uid?: unknown } }).request?.uid) === 'string');
    }
    case 'huge-annotations': {
      const size = pick(random, scale === 'long' ? [10_000, 100_000, 250_000, 500_000, 1_000_000] : [2_000, 10_000, 300_000]);
      const annotations: Record<string, unknown> = injectAnnotations({});
      const form = int(random, 4);
      if (form === 0) annotations[`${PREFIX}agent-inject-template-db`] = `{{ with secret "secret/data/db" }}${'{{ .Data.data.x }}'.repeat(size / 20)}{{ end }}`;
      else if (form === 1) annotations[`${PREFIX}${pick(random, GLOBAL_ANNOTATIONS)}`] = 'x'.repeat(size);
      else if (form === 2) for (let i = 0; i < (size * f) / 200; i++) annotations[`${PREFIX}agent-inject-secret-s${i}`] = `secret/data/s${i}`;
      else annotations[`${PREFIX}agent-inject-secret-${'n'.repeat(size / 10)}`] = 'secret/data/x';
      return json(envelope(uid, basePod(annotations)));
    }
    case 'deep-nesting': {
      const depth = pick(random, scale === 'long' ? [50, 100, 1000, 5000, 20_000, 100_000] : [20, 99, 101, 1000, 20_000]);
      const asArray = random() < 0.5;
      const nested = deepText(depth, asArray);
      const holder = JSON.stringify(envelope(uid, basePod(injectAnnotations({}))));
      const where = pick(random, ['"labels":', '"spec":{"nested":', '"request":{"nested":', '"annotations":{"x":']);
      let text: string;
      if (where === '"labels":') text = holder.replace('"annotations":', `"labels":${nested},"annotations":`);
      else if (where === '"spec":{"nested":') text = holder.replace('"spec":{', `"spec":{"nested":${nested},`);
      else if (where === '"request":{"nested":') text = holder.replace('"request":{', `"request":{"nested":${nested},`);
      else text = holder.replace('"annotations":{', `"annotations":{"x":${depth <= 1000 ? JSON.stringify(deepValue(depth, asArray)) : nested},`);
      return { index, category, body: Buffer.from(text), uid };
    }
    case 'invalid-utf8': {
      const body = invalidUtf8(random, JSON.stringify(envelope(uid, basePod(injectAnnotations({ [`${PREFIX}agent-inject-template-db`]: '{{ with secret "secret/data/db" }}{{ .Data.data.password }}{{ end }}' })))));
      // A bad byte may land in the uid itself: the answer must then carry the uid as decoded (U+FFFD).
      let decodedUid: unknown;
      try {
        decodedUid = (JSON.parse(body.toString('utf8')) as { request?: { uid?: unknown } }).request?.uid;
      } catch {
        decodedUid = undefined;
      }
      return { index, category, body, ...(typeof decodedUid === 'string' ? { uid: decodedUid } : {}) };
    }
    case 'prototype-keys':
      return { index, category, body: Buffer.from(protoPolluted(random, uid)), uid };
    case 'path-traversal': {
      const traversal = pick(random, TRAVERSALS);
      const forms: Array<Record<string, unknown>> = [
        { [`${PREFIX}agent-inject-file-db`]: traversal },
        { [`${PREFIX}agent-inject-secret-${traversal}`]: 'secret/data/x' },
        { [`${PREFIX}secret-volume-path`]: traversal },
        { [`${PREFIX}secret-volume-path-db`]: traversal },
        { [`${PREFIX}agent-inject-secret-db`]: traversal },
        { [`${PREFIX}agent-inject-template-file-db`]: traversal },
        { [`${PREFIX}agent-inject-token`]: 'true', [`${PREFIX}secret-volume-path`]: traversal },
        { [`${PREFIX}agent-inject-file-db`]: `${traversal}/${traversal}`, [`${PREFIX}agent-inject-secret-db2`]: 'secret/data/y', [`${PREFIX}agent-inject-file-db2`]: traversal },
      ];
      return json(envelope(uid, basePod(injectAnnotations(pick(random, forms)))));
    }
    case 'template-bomb': {
      const key = random() < 0.8 ? `${PREFIX}agent-inject-template-db` : `${PREFIX}agent-inject-template-other`;
      const extra: Record<string, unknown> = { [key]: templateBomb(random, f) };
      if (random() < 0.2) Object.assign(extra, { [`${PREFIX}template-left-delim-db`]: pick(random, ['', '{', '[[', '{{{{', '\u0000']), [`${PREFIX}template-right-delim-db`]: pick(random, ['', '}', ']]', '}}}}']) });
      return json(envelope(uid, basePod(injectAnnotations(extra))));
    }
    case 'weird-annotation-values': {
      const extra: Record<string, unknown> = {};
      for (let i = 0, n = 1 + int(random, 6); i < n; i++) {
        const name = random() < 0.5 ? pick(random, GLOBAL_ANNOTATIONS) : `${pick(random, SECRET_ANNOTATIONS)}${pick(random, ['db', 'x', '', 'DB', '-', '.'])}`;
        extra[`${PREFIX}${name}`] = random() < 0.9 ? pick(random, WEIRD_VALUES) : mutateValue(random);
      }
      return json(envelope(uid, basePod(injectAnnotations(extra))));
    }
    default: {
      // A valid injectable review with one random node replaced by a value of another type.
      let value: unknown = envelope(uid, basePod(injectAnnotations({ [`${PREFIX}agent-inject-template-db`]: '{{ with secret "secret/data/db" }}{{ .Data.data | toJSON }}{{ end }}' })));
      // Mostly inside the pod (the envelope alone would mostly give 400s), sometimes anywhere.
      const review = value as { request: { object: unknown } };
      for (let i = 0, n = 1 + int(random, 3); i < n; i++) {
        if (random() < 0.8) review.request.object = mutateTree(random, review.request.object);
        else value = mutateTree(random, value);
      }
      const uidKept = (value as { request?: { uid?: unknown } } | null)?.request?.uid === uid;
      return json(value, uidKept);
    }
  }
}

export function* generateHostile(seed: number, count: number, scale: Scale = 'short'): Generator<HostileCase> {
  for (let index = 0; index < count; index++) yield hostileCase(seed, index, scale);
}

export const HOSTILE_CATEGORIES = CATEGORIES;
