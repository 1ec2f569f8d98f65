// The chart's least-privilege RBAC is also enough: the real webhook server (src/server/main.ts),
// configured from the rendered Deployment's environment, runs auto TLS against the Kubernetes API
// double seeded with the rendered MutatingWebhookConfiguration and Secret; every request it makes
// must be allowed by the rendered Role and ClusterRole, evaluated with Kubernetes RBAC rules.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findObject, releaseNamespace, render } from './helm.ts';
import type { KubeObject } from './helm.ts';
import { loadSettings } from '../../src/settings.ts';
import { startServer } from '../../src/server/main.ts';
import { createLogger } from '../../src/logger.ts';
import { startKubernetesDouble } from '../doubles/kubernetes/index.ts';

interface Rule { apiGroups: string[]; resources: string[]; verbs: string[]; resourceNames?: string[] }
interface Attributes { verb: string; apiGroup: string; resource: string; namespace?: string; name?: string }

const verbs: Record<string, string> = { GET: 'get', POST: 'create', PUT: 'update', PATCH: 'patch', DELETE: 'delete' };

/** RBAC request attributes of a REST call, as the API server's authorizer sees them. */
export function attributesOf(method: string, url: string): Attributes {
  const path = url.split('?')[0] ?? '';
  const match = /^\/(?:api\/v1|apis\/([^/]+)\/[^/]+)(?:\/namespaces\/([^/]+))?\/([^/]+)(?:\/([^/]+))?$/.exec(path);
  if (match === null) throw new Error(`not a resource path: ${path}`);
  const verb = verbs[method];
  if (verb === undefined) throw new Error(`unexpected method ${method}`);
  const attributes: Attributes = { verb, apiGroup: match[1] ?? '', resource: match[3] ?? '' };
  if (match[2] !== undefined) attributes.namespace = match[2];
  if (match[4] !== undefined) attributes.name = match[4];
  return attributes;
}

/** Kubernetes RBAC: a rule allows when group, resource and verb match, and resourceNames (if any) holds the name. */
export function allowedBy(rules: readonly Rule[], request: Attributes): boolean {
  return rules.some((rule) => rule.apiGroups.some((g) => g === '*' || g === request.apiGroup)
    && rule.resources.some((r) => r === '*' || r === request.resource)
    && rule.verbs.some((v) => v === '*' || v === request.verb)
    && (rule.resourceNames === undefined || rule.resourceNames.length === 0 || (request.name !== undefined && rule.resourceNames.includes(request.name))));
}

test('the RBAC evaluator itself', () => {
  const rules: Rule[] = [{ apiGroups: [''], resources: ['secrets'], resourceNames: ['mine'], verbs: ['get'] }, { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['create'] }];
  assert.deepEqual(attributesOf('GET', '/api/v1/namespaces/ns/secrets/mine'), { verb: 'get', apiGroup: '', resource: 'secrets', namespace: 'ns', name: 'mine' });
  assert.deepEqual(attributesOf('POST', '/apis/coordination.k8s.io/v1/namespaces/ns/leases'), { verb: 'create', apiGroup: 'coordination.k8s.io', resource: 'leases', namespace: 'ns' });
  assert.equal(allowedBy(rules, attributesOf('GET', '/api/v1/namespaces/ns/secrets/mine')), true);
  assert.equal(allowedBy(rules, attributesOf('GET', '/api/v1/namespaces/ns/secrets/other')), false);
  assert.equal(allowedBy(rules, attributesOf('PUT', '/api/v1/namespaces/ns/secrets/mine')), false);
  assert.equal(allowedBy(rules, attributesOf('POST', '/apis/coordination.k8s.io/v1/namespaces/ns/leases')), true);
  assert.equal(allowedBy(rules, attributesOf('POST', '/api/v1/namespaces/ns/secrets')), false);
});

test('auto TLS with the chart\'s RBAC: every API call the webhook makes is allowed', async (t) => {
  const objects = render();
  const deployment = findObject(objects, 'Deployment') as KubeObject & { spec: { template: { spec: { containers: Array<{ env: Array<{ name: string; value?: string }> }> } } } };
  const environment: Record<string, string> = { NAMESPACE: releaseNamespace, POD_NAME: 'vi-vault-injector-0' };
  for (const variable of deployment.spec.template.spec.containers[0]?.env ?? []) if (variable.value !== undefined) environment[variable.name] = variable.value;
  environment['AGENT_INJECT_LISTEN'] = '127.0.0.1:0';
  const loaded = loadSettings([], environment);
  assert.ok(loaded.ok, loaded.ok ? '' : loaded.problems.join('\n'));

  const double = await startKubernetesDouble();
  t.after(() => double.close());
  // What `helm install` creates before the webhook starts.
  const configuration = findObject(objects, 'MutatingWebhookConfiguration');
  const secret = findObject(objects, 'Secret');
  double.put('mutatingwebhookconfigurations', structuredClone(configuration));
  double.put('secrets', structuredClone(secret));

  const server = await startServer(loaded.settings, {
    kubeConfig: double.kubeConfig(),
    handleSignals: false,
    identity: 'vi-vault-injector-0',
    leaderTimings: { leaseDurationMs: 2000, renewDeadlineMs: 1500, retryPeriodMs: 200 },
    autoTls: { checkIntervalMs: 200 },
    logger: createLogger({ level: 'error', format: 'json', name: 'handler', destination: { write: () => true } as unknown as NodeJS.WritableStream }),
  });
  t.after(() => server.close());

  const deadline = Date.now() + 20_000;
  const caBundle = (): string | undefined => {
    const stored = double.get('mutatingwebhookconfigurations', configuration.metadata.name) as { webhooks?: Array<{ clientConfig?: { caBundle?: string } }> } | undefined;
    return stored?.webhooks?.[0]?.clientConfig?.caBundle;
  };
  const secretData = (): Record<string, string> | undefined => (double.get('secrets', secret.metadata.name, releaseNamespace) as { data?: Record<string, string> } | undefined)?.data;
  while ((caBundle() === undefined || Object.keys(secretData() ?? {}).length === 0) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.ok(caBundle(), 'the leader wrote the caBundle of the chart\'s webhook configuration');
  assert.ok(Object.keys(secretData() ?? {}).length > 0, 'the leader wrote the chart\'s certificate Secret');
  await server.close();

  const clusterRules = (findObject(objects, 'ClusterRole') as KubeObject & { rules: Rule[] }).rules;
  const role = findObject(objects, 'Role') as KubeObject & { rules: Rule[] };
  const calls = double.requests.map((request) => ({ call: `${request.method} ${request.path}`, attributes: attributesOf(request.method, request.path) }));
  assert.ok(calls.length >= 4, calls.map((c) => c.call).join('\n'));
  const denied = calls.filter(({ attributes }) => {
    if (allowedBy(clusterRules, attributes)) return false;
    // A Role only grants inside its own namespace.
    return !(attributes.namespace === role.metadata.namespace && allowedBy(role.rules, attributes));
  });
  assert.deepEqual(denied.map((d) => d.call), [], 'calls the chart\'s RBAC would refuse');
  const made = new Set(calls.map(({ attributes }) => `${attributes.verb} ${attributes.resource}`));
  for (const expected of ['get mutatingwebhookconfigurations', 'patch mutatingwebhookconfigurations', 'get secrets', 'update secrets', 'get leases']) {
    assert.ok(made.has(expected), `the webhook did ${expected} (made: ${[...made].join(', ')})`);
  }
});
