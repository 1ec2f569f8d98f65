/**
 * A Kubernetes API server double for exactly what the webhook calls:
 * MutatingWebhookConfigurations (get, create, replace, patch: JSON patch, merge patch, strategic
 * merge patch on `webhooks` by name), Secrets and Leases (get, create, replace, delete).
 * It behaves as the real API server does on these paths: resourceVersion on every write, optimistic
 * concurrency (a stale resourceVersion is 409 Conflict), 409 AlreadyExists on create, 404 NotFound,
 * 401 without the bearer token, all as `Status` bodies (kind Status, apiVersion v1, status Failure,
 * reason, code, details). Serves HTTPS on 127.0.0.1 only, with its own CA (client-node refuses plain
 * HTTP unless TLS verification is switched off, which the webhook never does).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import fastJsonPatch from 'fast-json-patch';
import type { Operation } from 'fast-json-patch';
import { KubeConfig } from '@kubernetes/client-node';
import { generateCa, generateServing } from '../../../src/tls/generate.ts';
import { ServiceAccountIssuer, type ServiceAccountRef } from '../vault/service-account-jwt.ts';
import { TOKEN_REVIEW_PATH, reviewToken } from './token-review.ts';

type KubeObject = Record<string, unknown> & { metadata: Record<string, unknown> };

interface ResourceKind {
  /** plural resource name, as in URLs and Status details */
  plural: string;
  group: string;
  kind: string;
  apiVersion: string;
  namespaced: boolean;
}

const RESOURCES: Readonly<Record<string, ResourceKind>> = {
  mutatingwebhookconfigurations: { plural: 'mutatingwebhookconfigurations', group: 'admissionregistration.k8s.io', kind: 'MutatingWebhookConfiguration', apiVersion: 'admissionregistration.k8s.io/v1', namespaced: false },
  secrets: { plural: 'secrets', group: '', kind: 'Secret', apiVersion: 'v1', namespaced: true },
  leases: { plural: 'leases', group: 'coordination.k8s.io', kind: 'Lease', apiVersion: 'coordination.k8s.io/v1', namespaced: true },
};

export interface RecordedRequest {
  method: string;
  path: string;
  contentType: string | undefined;
  status: number;
  /** Lease holder written by this request (PUT/POST on leases), for leader assertions. */
  body: unknown;
}

export interface KubernetesStatus {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure';
  message: string;
  reason: string;
  details?: { name?: string; group?: string; kind?: string };
  code: number;
}

export interface KubernetesDouble {
  readonly url: string;
  readonly token: string;
  /** PEM of the CA that signed the double's serving certificate. */
  readonly caPem: string;
  readonly requests: ReadonlyArray<RecordedRequest>;
  /** A KubeConfig (loadFromOptions) that points @kubernetes/client-node at this double. */
  kubeConfig(): KubeConfig;
  /** Stores an object as a client would create it (metadata filled in). Returns the stored copy. */
  put(resource: keyof typeof RESOURCES, object: Record<string, unknown>): KubeObject;
  get(resource: keyof typeof RESOURCES, name: string, namespace?: string): KubeObject | undefined;
  remove(resource: keyof typeof RESOURCES, name: string, namespace?: string): void;
  /** A service account token (JWT) that this double's TokenReview authenticates until revoked. */
  issueServiceAccountToken(account: ServiceAccountRef, lifetimeSeconds?: number): string;
  revokeServiceAccountToken(jwt: string): void;
  /** The next `count` requests matching are answered with this status (500 InternalError, 403 Forbidden, 503 ServiceUnavailable). */
  failRequests(spec: { status: 403 | 500 | 503; count?: number; method?: string; pathIncludes?: string }): void;
  close(): Promise<void>;
}

function status(code: number, reason: string, message: string, details?: KubernetesStatus['details']): KubernetesStatus {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, ...(details !== undefined ? { details } : {}), code };
}

function qualified(resource: ResourceKind): string {
  return resource.group === '' ? resource.plural : `${resource.plural}.${resource.group}`;
}

function details(resource: ResourceKind, name: string): KubernetesStatus['details'] {
  return { name, ...(resource.group !== '' ? { group: resource.group } : {}), kind: resource.plural };
}

export function notFound(resource: ResourceKind, name: string): KubernetesStatus {
  return status(404, 'NotFound', `${qualified(resource)} "${name}" not found`, details(resource, name));
}

export function conflict(resource: ResourceKind, name: string): KubernetesStatus {
  return status(409, 'Conflict', `Operation cannot be fulfilled on ${qualified(resource)} "${name}": the object has been modified; please apply your changes to the latest version and try again`, details(resource, name));
}

function alreadyExists(resource: ResourceKind, name: string): KubernetesStatus {
  return status(409, 'AlreadyExists', `${qualified(resource)} "${name}" already exists`, details(resource, name));
}

function badRequest(message: string): KubernetesStatus {
  return status(400, 'BadRequest', message);
}

function invalid(resource: ResourceKind, name: string, message: string): KubernetesStatus {
  return status(422, 'Invalid', `${resource.kind} "${name}" is invalid: ${message}`, { name, ...(resource.group !== '' ? { group: resource.group } : {}), kind: resource.kind });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** RFC 7386 JSON merge patch. */
function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return patch;
  const result: Record<string, unknown> = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergePatch(result[key], value);
  }
  return result;
}

/** Strategic merge patch, for the one list the webhook could touch: `webhooks`, merged by `name`. */
function strategicMergePatch(target: unknown, patch: unknown, path: string): unknown {
  if (!isObject(patch)) return patch;
  const result: Record<string, unknown> = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) {
      delete result[key];
    } else if (path === '' && key === 'webhooks' && Array.isArray(value) && Array.isArray(result[key])) {
      const merged = [...(result[key] as unknown[])];
      for (const item of value) {
        const name = isObject(item) ? item['name'] : undefined;
        const index = merged.findIndex((existing) => isObject(existing) && existing['name'] === name);
        if (index >= 0) merged[index] = strategicMergePatch(merged[index], item, `${path}/${key}/*`);
        else merged.push(item);
      }
      result[key] = merged;
    } else {
      result[key] = strategicMergePatch(result[key], value, `${path}/${key}`);
    }
  }
  return result;
}

function validate(resource: ResourceKind, object: KubeObject): string | undefined {
  if (resource.plural === 'secrets') {
    const data = object['data'];
    if (data !== undefined && !isObject(data)) return 'data: Invalid value: must be a map of base64 strings';
    for (const [key, value] of Object.entries((data ?? {}) as Record<string, unknown>)) {
      if (typeof value !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(value)) return `data[${key}]: Invalid value: illegal base64 data`;
      if (!/^[-._a-zA-Z0-9]+$/.test(key)) return `data[${key}]: Invalid value: a valid config key must consist of alphanumeric characters, '-', '_' or '.'`;
    }
  }
  if (resource.plural === 'mutatingwebhookconfigurations') {
    const webhooks = object['webhooks'];
    if (webhooks !== undefined && !Array.isArray(webhooks)) return 'webhooks: Invalid value: must be a list';
    for (const [index, webhook] of ((webhooks ?? []) as unknown[]).entries()) {
      const bundle = isObject(webhook) && isObject(webhook['clientConfig']) ? webhook['clientConfig']['caBundle'] : undefined;
      if (bundle !== undefined && (typeof bundle !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(bundle))) return `webhooks[${index}].clientConfig.caBundle: Invalid value: illegal base64 data`;
    }
  }
  if (resource.plural === 'leases') {
    const spec = object['spec'];
    if (spec !== undefined && !isObject(spec)) return 'spec: Invalid value: must be an object';
    for (const field of ['acquireTime', 'renewTime'] as const) {
      const value = isObject(spec) ? spec[field] : undefined;
      if (value !== undefined && (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/.test(value))) {
        return `spec.${field}: Invalid value: must be an RFC 3339 MicroTime`;
      }
    }
  }
  return undefined;
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startKubernetesDouble(options: { token?: string } = {}): Promise<KubernetesDouble> {
  const token = options.token ?? `double-token-${randomUUID()}`;
  const store = new Map<string, KubeObject>();
  const requests: RecordedRequest[] = [];
  const faults: Array<{ status: 403 | 500 | 503; remaining: number; method?: string; pathIncludes?: string }> = [];
  let resourceVersion = 1000;
  const serviceAccounts = new ServiceAccountIssuer(Date.now);

  const keyOf = (resource: ResourceKind, name: string, namespace: string | undefined): string => `${resource.plural}/${namespace ?? ''}/${name}`;

  const stamp = (resource: ResourceKind, object: Record<string, unknown>, name: string, namespace: string | undefined, existing: KubeObject | undefined): KubeObject => {
    const metadata = isObject(object['metadata']) ? { ...object['metadata'] } : {};
    resourceVersion += 1;
    const stored: KubeObject = {
      ...object,
      apiVersion: resource.apiVersion,
      kind: resource.kind,
      metadata: {
        ...metadata,
        name,
        ...(resource.namespaced ? { namespace } : {}),
        uid: existing?.metadata['uid'] ?? randomUUID(),
        resourceVersion: String(resourceVersion),
        creationTimestamp: existing?.metadata['creationTimestamp'] ?? new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
      },
    };
    if (resource.plural === 'secrets' && stored['type'] === undefined) stored['type'] = 'Opaque';
    return stored;
  };

  const route = (path: string): { resource: ResourceKind; namespace: string | undefined; name: string | undefined } | undefined => {
    const clusterScoped = /^\/apis\/admissionregistration\.k8s\.io\/v1\/(mutatingwebhookconfigurations)(?:\/([^/]+))?$/.exec(path);
    if (clusterScoped !== null) return { resource: RESOURCES['mutatingwebhookconfigurations'] as ResourceKind, namespace: undefined, name: clusterScoped[2] };
    const core = /^\/api\/v1\/namespaces\/([^/]+)\/(secrets)(?:\/([^/]+))?$/.exec(path);
    if (core !== null) return { resource: RESOURCES['secrets'] as ResourceKind, namespace: core[1], name: core[3] };
    const coordination = /^\/apis\/coordination\.k8s\.io\/v1\/namespaces\/([^/]+)\/(leases)(?:\/([^/]+))?$/.exec(path);
    if (coordination !== null) return { resource: RESOURCES['leases'] as ResourceKind, namespace: coordination[1], name: coordination[3] };
    return undefined;
  };

  const handle = async (request: IncomingMessage, bodyText: string): Promise<{ code: number; body: unknown }> => {
    const method = request.method ?? 'GET';
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    if (request.headers.authorization !== `Bearer ${token}`) return { code: 401, body: status(401, 'Unauthorized', 'Unauthorized') };
    const fault = faults.find((candidate) => candidate.remaining > 0 && (candidate.method === undefined || candidate.method === method) && (candidate.pathIncludes === undefined || path.includes(candidate.pathIncludes)));
    if (fault !== undefined) {
      fault.remaining -= 1;
      if (fault.status === 403) return { code: 403, body: status(403, 'Forbidden', `${path} is forbidden: User "system:serviceaccount:vault:vault-injector" cannot ${method.toLowerCase()} this resource`) };
      if (fault.status === 503) return { code: 503, body: status(503, 'ServiceUnavailable', 'the server is currently unable to handle the request') };
      return { code: 500, body: status(500, 'InternalError', 'Internal error occurred: etcdserver: request timed out') };
    }
    if (path === TOKEN_REVIEW_PATH) {
      if (method !== 'POST') return { code: 405, body: status(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource') };
      let review: unknown;
      try {
        review = JSON.parse(bodyText);
      } catch {
        return { code: 400, body: badRequest('the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf') };
      }
      return reviewToken(serviceAccounts, review);
    }
    const target = route(path);
    if (target === undefined) return { code: 404, body: status(404, 'NotFound', 'the server could not find the requested resource') };
    const { resource, namespace } = target;
    let parsed: unknown;
    if (method === 'POST' || method === 'PUT' || method === 'PATCH') {
      try {
        parsed = JSON.parse(bodyText);
      } catch {
        return { code: 400, body: badRequest(`the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf`) };
      }
    }

    if (target.name === undefined) {
      if (method !== 'POST') return { code: 405, body: status(405, 'MethodNotAllowed', `the server does not allow this method on the requested resource`) };
      if (!isObject(parsed)) return { code: 400, body: badRequest('the request body is not an object') };
      const name = isObject(parsed['metadata']) ? parsed['metadata']['name'] : undefined;
      if (typeof name !== 'string' || name === '') return { code: 422, body: invalid(resource, '', 'metadata.name: Required value: name or generateName is required') };
      const bodyNamespace = isObject(parsed['metadata']) ? parsed['metadata']['namespace'] : undefined;
      if (resource.namespaced && bodyNamespace !== undefined && bodyNamespace !== namespace) {
        return { code: 400, body: badRequest('the namespace of the provided object does not match the namespace sent on the request') };
      }
      const key = keyOf(resource, name, namespace);
      if (store.has(key)) return { code: 409, body: alreadyExists(resource, name) };
      const stored = stamp(resource, parsed, name, namespace, undefined);
      const problem = validate(resource, stored);
      if (problem !== undefined) return { code: 422, body: invalid(resource, name, problem) };
      store.set(key, stored);
      return { code: 201, body: stored };
    }

    const name = target.name;
    const key = keyOf(resource, name, namespace);
    const existing = store.get(key);
    switch (method) {
      case 'GET':
        return existing === undefined ? { code: 404, body: notFound(resource, name) } : { code: 200, body: existing };
      case 'DELETE':
        if (existing === undefined) return { code: 404, body: notFound(resource, name) };
        store.delete(key);
        return { code: 200, body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details: details(resource, name) } };
      case 'PUT': {
        if (existing === undefined) return { code: 404, body: notFound(resource, name) };
        if (!isObject(parsed)) return { code: 400, body: badRequest('the request body is not an object') };
        const metadata = isObject(parsed['metadata']) ? parsed['metadata'] : {};
        if (metadata['name'] !== undefined && metadata['name'] !== name) {
          return { code: 400, body: badRequest(`the name of the object (${String(metadata['name'])}) does not match the name on the URL (${name})`) };
        }
        const sentVersion = metadata['resourceVersion'];
        if (sentVersion !== undefined && sentVersion !== '' && sentVersion !== existing.metadata['resourceVersion']) {
          return { code: 409, body: conflict(resource, name) };
        }
        const stored = stamp(resource, parsed, name, namespace, existing);
        const problem = validate(resource, stored);
        if (problem !== undefined) return { code: 422, body: invalid(resource, name, problem) };
        store.set(key, stored);
        return { code: 200, body: stored };
      }
      case 'PATCH': {
        if (existing === undefined) return { code: 404, body: notFound(resource, name) };
        const contentType = (request.headers['content-type'] ?? '').split(';')[0]?.trim();
        let patched: unknown;
        if (contentType === 'application/json-patch+json') {
          if (!Array.isArray(parsed)) return { code: 400, body: badRequest('json: cannot unmarshal object into Go value of type jsonpatch.Patch') };
          const operations = parsed as Operation[];
          const failure = fastJsonPatch.validate(operations, structuredClone(existing));
          if (failure !== undefined) return { code: 422, body: invalid(resource, name, `the JSON patch cannot be applied: ${failure.name}`) };
          patched = fastJsonPatch.applyPatch(structuredClone(existing), operations, false, false).newDocument;
        } else if (contentType === 'application/merge-patch+json') {
          patched = mergePatch(existing, parsed);
        } else if (contentType === 'application/strategic-merge-patch+json') {
          patched = strategicMergePatch(existing, parsed, '');
        } else {
          return { code: 415, body: status(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json`) };
        }
        if (!isObject(patched)) return { code: 422, body: invalid(resource, name, 'the patched object is not an object') };
        const stored = stamp(resource, patched, name, namespace, existing);
        const problem = validate(resource, stored);
        if (problem !== undefined) return { code: 422, body: invalid(resource, name, problem) };
        store.set(key, stored);
        return { code: 200, body: stored };
      }
      default:
        return { code: 405, body: status(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource') };
    }
  };

  const ca = await generateCa({ nowMs: Date.now() });
  const serving = await generateServing({ ca, hosts: ['127.0.0.1'], nowMs: Date.now() });
  const server: Server = createServer({ key: serving.keyPem, cert: serving.certPem }, (request: IncomingMessage, response: ServerResponse) => {
    readBody(request).then(async (bodyText) => {
      const { code, body } = await handle(request, bodyText);
      let parsedBody: unknown;
      try {
        parsedBody = bodyText === '' ? undefined : JSON.parse(bodyText);
      } catch {
        parsedBody = bodyText;
      }
      requests.push({ method: request.method ?? 'GET', path: (request.url ?? '/').split('?')[0] ?? '/', contentType: request.headers['content-type'], status: code, body: parsedBody });
      const text = JSON.stringify(body);
      response.writeHead(code, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
      response.end(text);
    }).catch(() => {
      response.writeHead(500, { 'content-type': 'application/json' });
      response.end(JSON.stringify(status(500, 'InternalError', 'double failed')));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    token,
    caPem: ca.certPem,
    requests,
    kubeConfig() {
      const kubeConfig = new KubeConfig();
      kubeConfig.loadFromOptions({
        clusters: [{ name: 'double', server: url, caData: Buffer.from(ca.certPem).toString('base64'), skipTLSVerify: false }],
        users: [{ name: 'webhook', token }],
        contexts: [{ name: 'double', cluster: 'double', user: 'webhook', namespace: 'vault' }],
        currentContext: 'double',
      });
      return kubeConfig;
    },
    put(resourceName, object) {
      const resource = RESOURCES[resourceName] as ResourceKind;
      const metadata = isObject(object['metadata']) ? object['metadata'] : {};
      const name = String(metadata['name']);
      const namespace = resource.namespaced ? String(metadata['namespace'] ?? 'default') : undefined;
      const key = keyOf(resource, name, namespace);
      const stored = stamp(resource, object, name, namespace, store.get(key));
      store.set(key, stored);
      return structuredClone(stored);
    },
    get(resourceName, name, namespace) {
      const resource = RESOURCES[resourceName] as ResourceKind;
      const found = store.get(keyOf(resource, name, resource.namespaced ? namespace ?? 'default' : undefined));
      return found === undefined ? undefined : structuredClone(found);
    },
    remove(resourceName, name, namespace) {
      const resource = RESOURCES[resourceName] as ResourceKind;
      store.delete(keyOf(resource, name, resource.namespaced ? namespace ?? 'default' : undefined));
    },
    issueServiceAccountToken(account, lifetimeSeconds) {
      return serviceAccounts.issue(account, lifetimeSeconds);
    },
    revokeServiceAccountToken(jwt) {
      serviceAccounts.revoke(jwt);
    },
    failRequests(spec) {
      faults.push({ status: spec.status, remaining: spec.count ?? 1, ...(spec.method !== undefined ? { method: spec.method } : {}), ...(spec.pathIncludes !== undefined ? { pathIncludes: spec.pathIncludes } : {}) });
    },
    close() {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
