/**
 * A tiny Kubernetes API double for what `tenants sync` reads: `GET /api/v1/namespaces` with a label
 * selector and limit/continue paging, answered as the API server does (NamespaceList; items without
 * kind/apiVersion as in a typed list; `Status` bodies for errors; 401 without the bearer token). HTTPS on
 * 127.0.0.1 with its own CA, since @kubernetes/client-node talks TLS.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { KubeConfig } from '@kubernetes/client-node';
import { generateCa, generateServing } from '../../src/tls/generate.ts';

export interface NamespacesDouble {
  readonly url: string;
  readonly token: string;
  readonly caPem: string;
  readonly requests: ReadonlyArray<{ method: string; path: string; status: number }>;
  setNamespace(name: string, labels: Record<string, string>): void;
  deleteNamespace(name: string): void;
  /** The next `count` list requests fail with this status. */
  failNext(status: 403 | 500, count?: number): void;
  kubeConfig(): KubeConfig;
  /** A kubeconfig file's YAML text pointing at the double (for the CLI). */
  kubeconfigYaml(): string;
  close(): Promise<void>;
}

interface Requirement { key: string; op: '=' | '!=' | 'exists' | '!exists'; value?: string }

/** Equality-based selectors (`k=v`, `k==v`, `k!=v`, `k`, `!k`, comma = AND); set-based ones are refused. */
function parseSelector(text: string): Requirement[] | string {
  if (text.trim() === '') return [];
  const requirements: Requirement[] = [];
  for (const part of text.split(',').map((item) => item.trim())) {
    let match: RegExpExecArray | null;
    if ((match = /^([A-Za-z0-9./_-]+)\s*(==|=|!=)\s*([A-Za-z0-9._-]*)$/.exec(part)) !== null) {
      requirements.push({ key: match[1] ?? '', op: match[2] === '!=' ? '!=' : '=', value: match[3] ?? '' });
    } else if ((match = /^!([A-Za-z0-9./_-]+)$/.exec(part)) !== null) {
      requirements.push({ key: match[1] ?? '', op: '!exists' });
    } else if ((match = /^([A-Za-z0-9./_-]+)$/.exec(part)) !== null) {
      requirements.push({ key: match[1] ?? '', op: 'exists' });
    } else {
      return `unable to parse requirement: ${part}`;
    }
  }
  return requirements;
}

function selects(requirements: Requirement[], labels: Record<string, string>): boolean {
  return requirements.every((requirement) => {
    const value = labels[requirement.key];
    switch (requirement.op) {
      case '=': return value === requirement.value;
      case '!=': return value !== requirement.value;
      case 'exists': return value !== undefined;
      case '!exists': return value === undefined;
    }
  });
}

const status = (code: number, reason: string, message: string): unknown =>
  ({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code });

export async function startNamespacesDouble(): Promise<NamespacesDouble> {
  const token = `double-${randomUUID()}`;
  const namespaces = new Map<string, { uid: string; resourceVersion: string; created: string; labels: Record<string, string> }>();
  const requests: Array<{ method: string; path: string; status: number }> = [];
  let version = 100;
  let failures: { status: 403 | 500; count: number } | undefined;

  const answer = (request: IncomingMessage): { code: number; body: unknown } => {
    const url = new URL(request.url ?? '/', 'https://double');
    if (request.headers.authorization !== `Bearer ${token}`) return { code: 401, body: status(401, 'Unauthorized', 'Unauthorized') };
    if (url.pathname !== '/api/v1/namespaces' || request.method !== 'GET') {
      return { code: 404, body: status(404, 'NotFound', 'the server could not find the requested resource') };
    }
    if (failures !== undefined && failures.count > 0) {
      failures.count -= 1;
      return failures.status === 403
        ? { code: 403, body: status(403, 'Forbidden', 'namespaces is forbidden: User "system:serviceaccount:vault:vault-injector" cannot list resource "namespaces" in API group "" at the cluster scope') }
        : { code: 500, body: status(500, 'InternalError', 'Internal error occurred: etcdserver: request timed out') };
    }
    const selector = parseSelector(url.searchParams.get('labelSelector') ?? '');
    if (typeof selector === 'string') return { code: 400, body: status(400, 'BadRequest', selector) };
    const names = [...namespaces.keys()].sort().filter((name) => selects(selector, namespaces.get(name)?.labels ?? {}));
    const start = Number(url.searchParams.get('continue') ?? '0') || 0;
    const limit = Number(url.searchParams.get('limit') ?? '0') || names.length;
    const page = names.slice(start, start + limit);
    const next = start + limit < names.length ? String(start + limit) : undefined;
    return {
      code: 200,
      body: {
        kind: 'NamespaceList',
        apiVersion: 'v1',
        metadata: { resourceVersion: String(version), ...(next ? { continue: next, remainingItemCount: names.length - start - limit } : {}) },
        items: page.map((name) => {
          const stored = namespaces.get(name)!;
          return {
            metadata: {
              name, uid: stored.uid, resourceVersion: stored.resourceVersion, creationTimestamp: stored.created,
              labels: { 'kubernetes.io/metadata.name': name, ...stored.labels },
            },
            spec: { finalizers: ['kubernetes'] },
            status: { phase: 'Active' },
          };
        }),
      },
    };
  };

  const ca = await generateCa({ nowMs: Date.now() });
  const serving = await generateServing({ ca, hosts: ['127.0.0.1'], nowMs: Date.now() });
  const server = createServer({ key: serving.keyPem, cert: serving.certPem }, (request: IncomingMessage, response: ServerResponse) => {
    request.resume();
    request.on('end', () => {
      const { code, body } = answer(request);
      requests.push({ method: request.method ?? '', path: request.url ?? '', status: code });
      response.writeHead(code, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const caData = Buffer.from(ca.certPem).toString('base64');

  return {
    url, token, caPem: ca.certPem, requests,
    setNamespace(name, labels) {
      version += 1;
      const existing = namespaces.get(name);
      namespaces.set(name, { uid: existing?.uid ?? randomUUID(), created: existing?.created ?? '2026-11-23T00:00:00Z', resourceVersion: String(version), labels: { ...labels } });
    },
    deleteNamespace(name) {
      version += 1;
      namespaces.delete(name);
    },
    failNext(code, count = 1) {
      failures = { status: code, count };
    },
    kubeConfig() {
      const config = new KubeConfig();
      config.loadFromOptions({
        clusters: [{ name: 'double', server: url, caData, skipTLSVerify: false }],
        users: [{ name: 'injector', token }],
        contexts: [{ name: 'double', cluster: 'double', user: 'injector' }],
        currentContext: 'double',
      });
      return config;
    },
    kubeconfigYaml() {
      return [
        'apiVersion: v1', 'kind: Config', 'current-context: double',
        'clusters:', `- name: double`, '  cluster:', `    server: ${url}`, `    certificate-authority-data: ${caData}`,
        'users:', '- name: injector', '  user:', `    token: ${token}`,
        'contexts:', '- name: double', '  context:', '    cluster: double', '    user: injector', '',
      ].join('\n');
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
