// The whole admission pipeline, pure: AdmissionReview in, AdmissionReview response (or a 400) out.
// filter (Pod CREATE, annotated, not injected, Pending) → annotations → templates → tenancy →
// mutated pod → JSON patch = compare(pod, mutated) (diff.ts: fast-json-patch's compare, without its clones). The server and `mutate` both call this.
import type { InjectorSettings } from '../settings.ts';
import type { TenancyCheck } from '../tenancy/types.ts';
import { annotationProblem, joinProblems, problem } from '../errors.ts';
import type { AdmissionProblem } from '../errors.ts';
import { annotations as table } from '../annotations/table.ts';
import { parseAnnotations } from '../annotations/parse.ts';
import { annotationsOf, podDisplayName, podShapeProblem } from '../pod.ts';
import type { Pod } from '../pod.ts';
import type { AgentMode } from '../spec.ts';
import { mutatePod, STATUS_ANNOTATION, STATUS_INJECTED } from '../mutate.ts';
import { checkTemplates } from './templates.ts';
import { diffDocuments } from './diff.ts';
import type { VerdictCache } from './cache.ts';

export interface AdmissionOutcome {
  httpStatus: 200 | 400;
  /** AdmissionReview response (in the request's apiVersion, with its uid) or a 400 Status body. */
  body: unknown;
  decision: 'injected' | 'skipped' | 'denied' | 'invalid';
  uid?: string;
  namespace?: string;
  podName?: string;
  errorCode?: string;
  /** For the injections counter's `injection_type` label (set when decision is 'injected'). */
  injectionType?: InjectionType;
}

export type InjectionType = 'init_and_sidecar' | 'init_only' | 'sidecar_only' | 'native_sidecar';

const INJECTION_TYPES: Readonly<Record<AgentMode, InjectionType>> = {
  'init-and-sidecar': 'init_and_sidecar', 'init-only': 'init_only', 'sidecar-only': 'sidecar_only', 'native-sidecar': 'native_sidecar',
};

export interface AdmissionHooks {
  tenancy?: TenancyCheck;
  /** Remembers verdicts on pods to inject: replicas of a Deployment arrive as the same object. */
  verdicts?: VerdictCache;
}

/**
 * What an admission decides about one pod, without the request's uid and apiVersion: the part that
 * is the same for every request carrying the same pod into the same namespace.
 */
export interface Verdict {
  decision: 'injected' | 'skipped' | 'denied';
  namespace?: string;
  podName?: string;
  errorCode?: string;
  injectionType?: InjectionType;
  /** The AdmissionReview response's fields after `uid`. */
  response: Readonly<Record<string, unknown>>;
}

export const ADMISSION_VERSIONS = ['admission.k8s.io/v1', 'admission.k8s.io/v1beta1'] as const;
type AdmissionVersion = (typeof ADMISSION_VERSIONS)[number];

/** Namespaces vault-k8s refuses to inject into. */
export const SYSTEM_NAMESPACES: ReadonlySet<string> = new Set(['kube-system', 'kube-public']);

interface AdmissionRequest {
  uid: string;
  kind?: { group?: string; version?: string; kind?: string };
  subResource?: string;
  namespace?: string;
  operation?: string;
  object?: unknown;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * No real AdmissionReview nests anywhere near this deep (a pod's managedFields reach ~15 levels);
 * deeper input would overflow the stack of the recursive steps after parsing (JSON patch diff,
 * clones), so it is refused as invalid up front. Measured without recursion.
 */
export const MAX_REVIEW_DEPTH = 100;
/** Kubernetes' own limit on a pod's annotations (apimachinery TotalAnnotationSizeLimitB). */
export const MAX_ANNOTATIONS_BYTES = 256 * 1024;

function nestsDeeperThan(value: unknown, limit: number): boolean {
  // Two parallel stacks instead of one {value, depth} object per node: this runs on every request.
  const values: unknown[] = [value];
  const depths: number[] = [0];
  while (values.length > 0) {
    const next = values.pop() as object | null;
    const depth = depths.pop() as number;
    if (typeof next !== 'object' || next === null) continue;
    if (depth >= limit) return true;
    if (Array.isArray(next)) {
      for (const child of next) {
        if (typeof child === 'object' && child !== null) { values.push(child); depths.push(depth + 1); }
      }
    } else {
      for (const key in next) {
        if (!Object.prototype.hasOwnProperty.call(next, key)) continue;
        const child: unknown = (next as Record<string, unknown>)[key];
        if (typeof child === 'object' && child !== null) { values.push(child); depths.push(depth + 1); }
      }
    }
  }
  return false;
}

function annotationsBytes(values: Readonly<Record<string, string>>): number {
  let total = 0;
  for (const [key, value] of Object.entries(values)) total += Buffer.byteLength(key) + Buffer.byteLength(value);
  return total;
}

/** A UTF-16 code unit is at most 3 UTF-8 bytes: below this many code units no exact count is needed. */
function annotationsCertainlyFit(values: Readonly<Record<string, string>>, limitBytes: number): boolean {
  let units = 0;
  for (const key in values) units += key.length + (values[key] as string).length;
  return units * 3 <= limitBytes;
}

function invalid(message: string): AdmissionOutcome {
  return {
    httpStatus: 400,
    decision: 'invalid',
    errorCode: 'VI_REVIEW_INVALID',
    // The same shape as the server's own 400s (src/server/app.ts).
    body: { error: { code: 'VI_REVIEW_INVALID', message } },
  };
}

function readReview(requestBody: unknown): { ok: true; version: AdmissionVersion; request: AdmissionRequest } | { ok: false; message: string } {
  let review = requestBody;
  if (typeof review === 'string' || Buffer.isBuffer(review)) {
    const text = review.toString();
    if (text.trim() === '') return { ok: false, message: 'empty request body: expected an AdmissionReview' };
    try {
      review = JSON.parse(text);
    } catch {
      return { ok: false, message: 'the request body is not valid JSON: expected an AdmissionReview' };
    }
  }
  if (!isRecord(review)) return { ok: false, message: 'the request body is not a JSON object: expected an AdmissionReview' };
  if (nestsDeeperThan(review, MAX_REVIEW_DEPTH)) return { ok: false, message: `the AdmissionReview nests deeper than ${MAX_REVIEW_DEPTH} levels` };
  if (review['kind'] !== 'AdmissionReview') return { ok: false, message: `kind is ${JSON.stringify(review['kind'] ?? null)}, not "AdmissionReview"` };
  const version = review['apiVersion'];
  if (typeof version !== 'string' || !(ADMISSION_VERSIONS as readonly string[]).includes(version)) {
    return { ok: false, message: `apiVersion ${JSON.stringify(version ?? null)} is not admission.k8s.io/v1 or admission.k8s.io/v1beta1` };
  }
  const request = review['request'];
  if (!isRecord(request)) return { ok: false, message: 'the AdmissionReview has no request' };
  if (typeof request['uid'] !== 'string' || request['uid'] === '') return { ok: false, message: 'request.uid is missing' };
  return { ok: true, version: version as AdmissionVersion, request: request as unknown as AdmissionRequest };
}

function isPodCreate(request: AdmissionRequest): boolean {
  const kind = request.kind;
  return request.operation === 'CREATE' && isRecord(kind) && kind.kind === 'Pod' && (kind.group ?? '') === ''
    && (request.subResource === undefined || request.subResource === '');
}

function respond(version: AdmissionVersion, response: Record<string, unknown>): unknown {
  return { apiVersion: version, kind: 'AdmissionReview', response };
}

function outcomeOf(verdict: Verdict, uid: string, version: AdmissionVersion): AdmissionOutcome {
  const { response, ...accounting } = verdict;
  return { httpStatus: 200, uid, ...accounting, body: respond(version, { uid, ...response }) };
}

const ALLOWED: Readonly<Record<string, unknown>> = Object.freeze({ allowed: true });

function skip(identity: { namespace?: string; podName?: string } = {}): Verdict {
  return { decision: 'skipped', ...identity, response: ALLOWED };
}

function deny(problems: ReadonlyArray<AdmissionProblem>, namespace: string, pod: Pod | undefined): Verdict {
  return {
    decision: 'denied',
    namespace,
    ...(pod === undefined ? {} : { podName: podDisplayName(pod) }),
    errorCode: problems[0]?.code ?? 'VI_POD_INVALID',
    response: { allowed: false, status: { code: 403, message: joinProblems(problems) } },
  };
}

/** Runs the pipeline on one request body (parsed JSON, or its text). Never throws on bad input. */
export function handleAdmissionReview(requestBody: unknown, settings: InjectorSettings, hooks: AdmissionHooks = {}): AdmissionOutcome {
  const review = readReview(requestBody);
  if (!review.ok) return invalid(review.message);
  const { version, request } = review;
  return outcomeOf(decide(request, settings, hooks), request.uid, version);
}

function decide(request: AdmissionRequest, settings: InjectorSettings, hooks: AdmissionHooks): Verdict {
  if (!isPodCreate(request)) return skip(typeof request.namespace === 'string' ? { namespace: request.namespace } : {});

  const requestNamespace = typeof request.namespace === 'string' ? request.namespace : '';
  if (!isRecord(request.object)) return deny([problem('VI_POD_INVALID', 'cannot read the pod: the request carries no pod object')], requestNamespace, undefined);
  const pod = request.object as unknown as Pod;
  const namespace = requestNamespace !== '' ? requestNamespace : pod.metadata?.namespace ?? '';
  const identity = { namespace, podName: podDisplayName(pod) };

  const values = annotationsOf(pod);
  const injectRaw = values[`vault.hashicorp.com/${table.inject.name}`];
  if (injectRaw === undefined) return skip(identity);
  const inject = table.inject.parse(injectRaw, settings);
  if (!inject.ok) return deny([annotationProblem('VI_ANNOTATION_INVALID', table.inject.name, inject.reason)], namespace, pod);
  if (!inject.value) return skip(identity);
  if (values[STATUS_ANNOTATION] === STATUS_INJECTED) return skip(identity);
  const phase: string | undefined = pod.status?.phase;
  if (phase !== undefined && phase !== '' && phase !== 'Pending') return skip(identity);

  // Everything from here on depends only on the pod, its namespace, the settings and the tenancy
  // policy; the cache checks the last two itself.
  const cache = hooks.verdicts;
  const key = cache?.keyOf(namespace, pod);
  if (cache !== undefined && key !== undefined) {
    const remembered = cache.get(key, settings, hooks.tenancy);
    if (remembered !== undefined) return remembered;
  }
  const verdict = decideInjection(pod, values, namespace, identity, settings, hooks);
  if (cache !== undefined && key !== undefined) cache.set(key, verdict, settings, hooks.tenancy);
  return verdict;
}

function decideInjection(pod: Pod, values: Readonly<Record<string, string>>, namespace: string, identity: { namespace: string; podName: string }, settings: InjectorSettings, hooks: AdmissionHooks): Verdict {
  const annotationsSize = annotationsCertainlyFit(values, MAX_ANNOTATIONS_BYTES) ? 0 : annotationsBytes(values);
  if (annotationsSize > MAX_ANNOTATIONS_BYTES) {
    return deny([problem('VI_ANNOTATION_INVALID', `metadata.annotations: too long: ${annotationsSize} bytes, Kubernetes allows at most ${MAX_ANNOTATIONS_BYTES}`)], namespace, pod);
  }
  // Only a pod we are asked to inject must have the shape the mutation relies on.
  const shape = podShapeProblem(pod);
  if (shape !== undefined) return deny([problem('VI_POD_INVALID', `cannot read the pod: ${shape}`)], namespace, pod);
  if (namespace === '') return deny([problem('VI_NAMESPACE_MISSING', 'namespace missing from request')], namespace, pod);
  if (SYSTEM_NAMESPACES.has(namespace)) {
    return deny([problem('VI_SYSTEM_NAMESPACE', `error with request namespace: cannot inject into system namespaces: ${namespace}`)], namespace, pod);
  }

  const parsed = parseAnnotations(pod, namespace, settings);
  if (!parsed.ok) return deny(parsed.problems, namespace, pod);
  const spec = parsed.spec;

  const templates = checkTemplates(spec);
  if (!templates.ok) return deny(templates.problems, namespace, pod);

  if (hooks.tenancy !== undefined) {
    const denial = hooks.tenancy({ namespace, annotations: spec.annotations, role: spec.role, secretPaths: templates.secretPaths });
    if (denial !== undefined) return deny([{ code: denial.code, message: denial.message }], namespace, pod);
  }

  const mutated = mutatePod(pod, spec);
  if (!mutated.ok) return deny(mutated.problems, namespace, pod);

  const patch = diffDocuments(pod, mutated.pod);
  return {
    decision: 'injected',
    injectionType: INJECTION_TYPES[spec.mode],
    ...identity,
    response: { allowed: true, patchType: 'JSONPatch', patch: Buffer.from(JSON.stringify(patch)).toString('base64') },
  };
}

/**
 * Runs one synthetic pod through the whole pipeline so the first real admission does not pay for
 * lazy compilation (schemas, template function tables, JIT). For the server to call once at start.
 */
export function warmUp(settings: InjectorSettings): AdmissionOutcome['decision'] {
  const pod = {
    apiVersion: 'v1', kind: 'Pod',
    metadata: {
      name: 'warm-up', namespace: 'warm-up',
      annotations: {
        'vault.hashicorp.com/agent-inject': 'true', 'vault.hashicorp.com/role': 'warm-up',
        'vault.hashicorp.com/agent-inject-secret-a': 'secret/data/a',
        'vault.hashicorp.com/agent-inject-template-b': '{{ with secret "secret/data/b" }}{{ .Data.data | toJSON }}{{ end }}',
      },
    },
    spec: {
      volumes: [{ name: 'token', projected: { sources: [{ serviceAccountToken: { path: 'token' } }] } }],
      containers: [{ name: 'app', image: 'app', volumeMounts: [{ name: 'token', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' }] }],
    },
  };
  return handleAdmissionReview({
    apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview',
    request: { uid: 'warm-up', kind: { group: '', version: 'v1', kind: 'Pod' }, operation: 'CREATE', namespace: 'warm-up', object: pod },
  }, settings).decision;
}
