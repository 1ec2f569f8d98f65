// The chart as real Helm renders it, in every certificate mode and profile: each object must pass
// the Kubernetes schemas, and the security, RBAC and webhook-selection properties the chart promises
// are asserted on the rendered objects.
import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { findObject, kinds, render, releaseName, releaseNamespace } from './helm.ts';
import type { KubeObject, RenderOptions } from './helm.ts';
import { validateObject } from './validate.ts';

// A real PEM CA, base64-encoded as the MWC's caBundle expects.
const caBundle = Buffer.from('-----BEGIN CERTIFICATE-----\nMIIBdzCCAR2gAwIBAgIBATAKBggqhkjOPQQDAjAAMB4XDTI2MDEwMTAwMDAwMFoXDTM2MDEwMTAwMDAwMFowADBZ\n-----END CERTIFICATE-----\n').toString('base64');

const fullname = `${releaseName}-vault-injector`;
// Cluster-scoped, so the name carries the namespace, unless the fullname already ends with it.
const webhookConfigurationName = fullname;

interface Scenario { name: string; options: RenderOptions }

const scenarios: Scenario[] = [
  { name: 'defaults (auto TLS)', options: {} },
  { name: 'certManager, chart-made CA', options: { set: ['certificates.mode=certManager'] } },
  { name: 'certManager, ClusterIssuer', options: { set: ['certificates.mode=certManager', 'certificates.certManager.issuerRef.name=corp-ca', 'certificates.certManager.issuerRef.kind=ClusterIssuer', 'certificates.extraHosts={10.0.0.9,injector.example.com}'] } },
  { name: 'existing Secret', options: { set: ['certificates.mode=secret', 'certificates.secret.name=injector-tls', `certificates.secret.caBundle=${caBundle}`] } },
  { name: 'tenant profile (values-tenant.yaml)', options: { valuesFiles: ['charts/vault-injector/values-tenant.yaml'] } },
  { name: 'tenant profile with the tenant controller', options: { set: ['profile=tenant', 'tenancy.controller.enabled=true'] } },
  { name: 'out-of-cluster webhook URL', options: { set: ['webhook.url=https://127.0.0.1:8443/mutate'] } },
  { name: 'one replica, matchConditions off, Kubernetes 1.27', options: { set: ['replicas=1', 'webhook.matchConditions.enabled=false', 'webhook.failurePolicy=Ignore'], kubeVersion: '1.27.3' } },
  {
    name: 'hostNetwork, strategy and security context overrides (vault-helm injector values)',
    options: {
      set: [
        'hostNetwork=true', 'strategy.type=RollingUpdate', 'strategy.rollingUpdate.maxUnavailable=1', 'strategy.rollingUpdate.maxSurge=0',
        'securityContext.pod.runAsUser=null', 'securityContext.pod.runAsGroup=null', 'securityContext.pod.fsGroup=null',
        'securityContext.pod.supplementalGroups={4000}', 'securityContext.container.runAsUser=null', 'securityContext.container.runAsGroup=null',
        'securityContext.container.seLinuxOptions.level=s0:c123\\,c456', 'tenancy.enabled=true', 'tenancy.controller.enabled=true',
      ],
    },
  },
  {
    name: 'every optional value',
    options: {
      set: [
        'metrics.serviceMonitor.enabled=true', 'metrics.serviceMonitor.labels.release=prom', 'priorityClassName=system-cluster-critical',
        'tolerations[0].key=dedicated', 'tolerations[0].operator=Exists', 'nodeSelector.kubernetes\\.io/os=linux',
        'affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].key=kubernetes.io/arch',
        'affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].operator=In',
        'affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].values={amd64}',
        'podAnnotations.team=platform', 'podLabels.tier=security', 'extraEnv[0].name=EXTRA',
        'image.digest=sha256:0000000000000000000000000000000000000000000000000000000000000000', 'imagePullSecrets[0].name=regcred',
        'vault.namespace=admin', 'agent.ephemeralStorage.request=16Mi', 'agent.ephemeralStorage.limit=64Mi', 'agent.nativeSidecar=true',
        'agent.templateConfig.staticSecretRenderInterval=5m', 'agent.authMinBackoff=1s', 'agent.authMaxBackoff=1m',
        'webhook.namespaceSelector.matchLabels.vault-injection=enabled', 'webhook.objectSelector.matchExpressions[0].key=skip-vault',
        'webhook.objectSelector.matchExpressions[0].operator=DoesNotExist', 'webhook.annotations.owner=platform',
        'service.annotations.a=b', 'serviceAccount.annotations.c=d', 'tenancy.enabled=true', 'tenancy.existingConfigMap=my-policy',
      ],
      setString: ['extraEnv[0].value=1'],
    },
  },
];

const rendered = new Map<string, KubeObject[]>();
before(() => {
  for (const scenario of scenarios) rendered.set(scenario.name, render(scenario.options));
});
const objectsOf = (name: string): KubeObject[] => {
  const objects = rendered.get(name);
  assert.ok(objects, `scenario ${name} was rendered`);
  return objects;
};

type Container = {
  name: string; image: string; args?: string[]; env?: Array<{ name: string; value?: string; valueFrom?: unknown }>;
  ports?: Array<{ name: string; containerPort: number }>; securityContext?: Record<string, unknown>;
  volumeMounts?: Array<{ name: string; mountPath: string }>; resources?: unknown;
  readinessProbe?: Probe; livenessProbe?: Probe; startupProbe?: Probe;
};
type Probe = { httpGet?: { path: string; port: string | number; scheme: string } };
type PodSpec = {
  containers: Container[]; securityContext?: Record<string, unknown>; volumes?: Array<Record<string, unknown> & { name: string }>;
  automountServiceAccountToken?: boolean; serviceAccountName?: string; topologySpreadConstraints?: unknown[];
  priorityClassName?: string; tolerations?: unknown[]; nodeSelector?: unknown; affinity?: unknown;
  hostNetwork?: boolean; dnsPolicy?: string;
};
type Deployment = KubeObject & { spec: { replicas: number; strategy?: unknown; selector: { matchLabels: Record<string, string> }; template: { metadata: { labels: Record<string, string>; annotations?: Record<string, string> }; spec: PodSpec } } };
type Selector = { matchLabels?: Record<string, string>; matchExpressions?: Array<{ key: string; operator: string; values?: string[] }> };
type Webhook = {
  name: string; admissionReviewVersions: string[]; sideEffects: string; failurePolicy: string; timeoutSeconds: number;
  clientConfig: { service?: { name: string; namespace: string; path: string; port: number }; url?: string; caBundle?: string };
  rules: Array<{ operations: string[]; apiGroups: string[]; apiVersions: string[]; resources: string[] }>;
  namespaceSelector: Selector; objectSelector: Selector; matchConditions?: Array<{ name: string; expression: string }>;
};
type Rule = { apiGroups: string[]; resources: string[]; verbs: string[]; resourceNames?: string[] };

const deploymentOf = (objects: KubeObject[]): Deployment => findObject(objects, 'Deployment') as Deployment;
type CronJob = KubeObject & { spec: { schedule: string; concurrencyPolicy: string; jobTemplate: { spec: { template: { metadata: { labels: Record<string, string> }; spec: PodSpec & { restartPolicy: string } } } } } };
const cronJobOf = (objects: KubeObject[]): CronJob => findObject(objects, 'CronJob') as CronJob;
const cronJobPod = (objects: KubeObject[]): PodSpec & { restartPolicy: string } => cronJobOf(objects).spec.jobTemplate.spec.template.spec;
const webhookContainer = (objects: KubeObject[]): Container => {
  const container = deploymentOf(objects).spec.template.spec.containers.find((c) => c.name === 'webhook');
  assert.ok(container, 'the Deployment has a webhook container');
  return container;
};
const webhookOf = (objects: KubeObject[]): Webhook => {
  const configuration = findObject(objects, 'MutatingWebhookConfiguration') as KubeObject & { webhooks: Webhook[] };
  assert.equal(configuration.webhooks.length, 1);
  return configuration.webhooks[0] as Webhook;
};
const envOf = (objects: KubeObject[]): Map<string, string | undefined> => new Map((webhookContainer(objects).env ?? []).map((e) => [e.name, e.value]));

/** Kubernetes label-selector semantics (matchLabels AND every matchExpression). */
function selects(selector: Selector, labels: Record<string, string>): boolean {
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) if (labels[key] !== value) return false;
  for (const expression of selector.matchExpressions ?? []) {
    const present = Object.hasOwn(labels, expression.key);
    const value = labels[expression.key];
    const inValues = present && (expression.values ?? []).includes(value ?? '');
    const ok = expression.operator === 'In' ? inValues
      : expression.operator === 'NotIn' ? !inValues
        : expression.operator === 'Exists' ? present
          : expression.operator === 'DoesNotExist' ? !present : false;
    if (!ok) return false;
  }
  return true;
}

describe('every rendered object is valid Kubernetes', () => {
  for (const scenario of scenarios) {
    test(scenario.name, async () => {
      const objects = objectsOf(scenario.name);
      assert.ok(objects.length >= 4, `rendered ${objects.length} objects`);
      const problems = (await Promise.all(objects.map(validateObject))).flat();
      assert.deepEqual(problems, []);
      const clusterScoped = new Set(['ClusterRole', 'ClusterRoleBinding', 'MutatingWebhookConfiguration']);
      for (const object of objects) {
        if (clusterScoped.has(object.kind)) assert.equal(object.metadata.namespace, undefined, `${object.kind} is cluster-scoped`);
        else assert.equal(object.metadata.namespace, releaseNamespace, `${object.kind}/${object.metadata.name} is in the release namespace`);
        assert.equal(object.metadata.labels?.['app.kubernetes.io/instance'], releaseName);
      }
      const names = objects.map((o) => `${o.kind}/${o.metadata.name}`);
      assert.equal(new Set(names).size, names.length, 'no object is rendered twice');
    });
  }
});

test('the longest release name Helm allows still gives valid names everywhere', () => {
  const release = 'a-very-long-release-name-for-the-vault-injector-chart'.slice(0, 53);
  const objects = render({ release, set: ['profile=tenant', 'tenancy.controller.enabled=true'] });
  const dnsLabel = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
  const limits: Record<string, number> = { Service: 63, CronJob: 52 };
  for (const object of objects) {
    const name = object.metadata.name;
    assert.ok(name.length <= (limits[object.kind] ?? 253), `${object.kind}/${name} is ${name.length} characters`);
    assert.ok(name.split('.').every((part) => dnsLabel.test(part)), `${object.kind}/${name} is a DNS name`);
    for (const [key, value] of Object.entries(object.metadata.labels ?? {})) assert.ok(value.length <= 63, `label ${key}=${value}`);
  }
  const webhook = (findObject(objects, 'MutatingWebhookConfiguration') as KubeObject & { webhooks: Array<{ clientConfig: { service: { name: string } } }> }).webhooks[0];
  assert.equal(webhook?.clientConfig.service.name, findObject(objects, 'Service').metadata.name);
});

describe('the validator itself rejects bad objects', () => {
  const good = deploymentOf;
  test('a wrong type fails the kubernetes-models schema', async () => {
    const deployment = structuredClone(good(objectsOf('defaults (auto TLS)')));
    (deployment.spec as Record<string, unknown>)['replicas'] = 'two';
    const problems = await validateObject(deployment);
    assert.match(problems.join('\n'), /replicas must be integer/);
  });
  test('a misspelt field is reported as unknown', async () => {
    const deployment = structuredClone(good(objectsOf('defaults (auto TLS)')));
    const container = deployment.spec.template.spec.containers[0] as Container;
    (container.securityContext as Record<string, unknown>)['readOnlyRootFileSystem'] = true;
    const problems = await validateObject(deployment);
    assert.deepEqual(problems, [`Deployment/${fullname}: spec.template.spec.containers[0].securityContext.readOnlyRootFileSystem: unknown field of V1SecurityContext`]);
  });
  test('a Certificate without dnsNames fails the hand check', async () => {
    const certificate = structuredClone(findObject(objectsOf('certManager, chart-made CA'), 'Certificate', '-serving'));
    delete (certificate['spec'] as Record<string, unknown>)['dnsNames'];
    assert.match((await validateObject(certificate)).join('\n'), /spec.dnsNames must be a non-empty list/);
  });
});

describe('Deployment', () => {
  test('runs 2 replicas spread over nodes, with a PodDisruptionBudget', () => {
    const objects = objectsOf('defaults (auto TLS)');
    const deployment = deploymentOf(objects);
    assert.equal(deployment.spec.replicas, 2);
    assert.deepEqual(deployment.spec.template.spec.topologySpreadConstraints, [{
      maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'DoNotSchedule', nodeTaintsPolicy: 'Honor',
      labelSelector: { matchLabels: deployment.spec.selector.matchLabels }, matchLabelKeys: ['pod-template-hash'],
    }]);
    const pdb = findObject(objects, 'PodDisruptionBudget') as KubeObject & { spec: { minAvailable: number; selector: Selector } };
    assert.equal(pdb.spec.minAvailable, 1);
    assert.ok(selects(pdb.spec.selector, deployment.spec.template.metadata.labels), 'the PDB selects the webhook pods');
  });

  test('one replica: no PodDisruptionBudget (it would block every drain) and no spread constraint', () => {
    const objects = objectsOf('one replica, matchConditions off, Kubernetes 1.27');
    assert.equal(objects.filter((o) => o.kind === 'PodDisruptionBudget').length, 0);
    assert.equal(deploymentOf(objects).spec.template.spec.topologySpreadConstraints, undefined);
  });

  for (const scenario of scenarios.filter((candidate) => !candidate.name.startsWith('hostNetwork'))) {
    test(`restricted security context: ${scenario.name}`, () => {
      const objects = objectsOf(scenario.name);
      const pods = [
        deploymentOf(objects).spec.template.spec,
        ...(objects.some((o) => o.kind === 'CronJob') ? [cronJobPod(objects)] : []),
        (findObject(objects, 'Pod', '-test-connection') as KubeObject & { spec: PodSpec }).spec,
      ];
      for (const pod of pods) assertRestricted(pod);
    });
  }

  function assertRestricted(pod: PodSpec): void {
    {
      assert.deepEqual(pod.securityContext, { runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, fsGroup: 65532, seccompProfile: { type: 'RuntimeDefault' } });
      for (const container of pod.containers) {
        assert.deepEqual(container.securityContext, {
          runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true,
          privileged: false, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' },
        });
      }
      for (const volume of pod.volumes ?? []) {
        assert.ok(['emptyDir', 'secret', 'configMap'].some((type) => type in volume), `volume ${volume.name} is of a type the restricted standard allows`);
      }
    }
  }

  test('defaults: pod network, the chart\'s rolling update (never fewer serving replicas)', () => {
    const deployment = deploymentOf(objectsOf('defaults (auto TLS)'));
    assert.equal(deployment.spec.template.spec.hostNetwork, undefined);
    assert.equal(deployment.spec.template.spec.dnsPolicy, undefined);
    assert.deepEqual(deployment.spec.strategy, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } });
  });

  test('hostNetwork, strategy and security context overrides reach every pod the chart makes', () => {
    const objects = objectsOf('hostNetwork, strategy and security context overrides (vault-helm injector values)');
    const deployment = deploymentOf(objects);
    const pod = deployment.spec.template.spec;
    assert.equal(pod.hostNetwork, true);
    assert.equal(pod.dnsPolicy, 'ClusterFirstWithHostNet', 'cluster names still resolve from the host network');
    assert.deepEqual(deployment.spec.strategy, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } });
    // OpenShift-style: the ids removed (the SCC assigns them), the rest of the restricted defaults kept.
    const podContext = { runAsNonRoot: true, supplementalGroups: [4000], seccompProfile: { type: 'RuntimeDefault' } };
    const containerContext = {
      runAsNonRoot: true, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, privileged: false,
      capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' }, seLinuxOptions: { level: 's0:c123,c456' },
    };
    for (const spec of [pod, cronJobPod(objects), (findObject(objects, 'Pod', '-test-connection') as KubeObject & { spec: PodSpec }).spec]) {
      assert.deepEqual(spec.securityContext, podContext);
      for (const container of spec.containers) assert.deepEqual(container.securityContext, containerContext, container.name);
    }
    assert.equal(cronJobPod(objects).hostNetwork, undefined, 'only the webhook needs to be reachable from the API server');
  });

  test('Recreate replaces the rolling update entirely', () => {
    const deployment = deploymentOf(render({ set: ['strategy.type=Recreate'] }));
    assert.deepEqual(deployment.spec.strategy, { type: 'Recreate' });
  });

  test('probes GET /health/ready over HTTPS on the named webhook port; the Service maps 443 to it', () => {
    const objects = objectsOf('defaults (auto TLS)');
    const container = webhookContainer(objects);
    assert.deepEqual(container.ports, [{ name: 'https', containerPort: 8080, protocol: 'TCP' }]);
    for (const probe of [container.startupProbe, container.readinessProbe, container.livenessProbe]) {
      assert.deepEqual(probe?.httpGet, { path: '/health/ready', port: 'https', scheme: 'HTTPS' });
    }
    assert.deepEqual(container.args, ['serve']);
    const service = findObject(objects, 'Service') as KubeObject & { spec: { selector: Record<string, string>; ports: unknown[] } };
    assert.deepEqual(service.spec.ports, [{ name: 'https', port: 443, targetPort: 'https', protocol: 'TCP' }]);
    assert.ok(selects({ matchLabels: service.spec.selector }, deploymentOf(objects).spec.template.metadata.labels));
    assert.equal(envOf(objects).get('AGENT_INJECT_LISTEN'), ':8080');
  });

  test('a different port moves the listener, the container port and the probes together', () => {
    const objects = render({ set: ['port=9443'] });
    const container = webhookContainer(objects);
    assert.equal(container.ports?.[0]?.containerPort, 9443);
    assert.equal(envOf(objects).get('AGENT_INJECT_LISTEN'), ':9443');
    assert.equal(container.readinessProbe?.httpGet?.port, 'https');
  });

  test('helm test: a hook pod GETs /health/ready through the Service, and is not itself sent to the webhook', () => {
    const objects = objectsOf('defaults (auto TLS)');
    const pod = findObject(objects, 'Pod', '-test-connection') as KubeObject & { spec: PodSpec & { restartPolicy: string } };
    assert.equal(pod.metadata.annotations?.['helm.sh/hook'], 'test');
    assert.equal(pod.spec.restartPolicy, 'Never');
    const container = pod.spec.containers[0] as Container & { command?: string[] };
    assert.equal(container.image, webhookContainer(objects).image);
    assert.deepEqual(container.command, ['/nodejs/bin/node', '-e']);
    assert.equal(container.env?.find((e) => e.name === 'TARGET')?.value, `https://${fullname}.${releaseNamespace}.svc:443/health/ready`);
    assert.equal(selects(webhookOf(objects).objectSelector, pod.metadata.labels ?? {}), false);
    assert.equal(selects({ matchLabels: (findObject(objects, 'Service') as KubeObject & { spec: { selector: Record<string, string> } }).spec.selector }, pod.metadata.labels ?? {}), false, 'not a Service endpoint');
  });

  test('NAMESPACE and POD_NAME come from the downward API', () => {
    const env = webhookContainer(objectsOf('defaults (auto TLS)')).env ?? [];
    assert.deepEqual(env.find((e) => e.name === 'NAMESPACE')?.valueFrom, { fieldRef: { fieldPath: 'metadata.namespace' } });
    assert.deepEqual(env.find((e) => e.name === 'POD_NAME')?.valueFrom, { fieldRef: { fieldPath: 'metadata.name' } });
  });

  test('optional placement and metadata values reach the pod', () => {
    const objects = objectsOf('every optional value');
    const deployment = deploymentOf(objects);
    const pod = deployment.spec.template.spec;
    assert.equal(pod.priorityClassName, 'system-cluster-critical');
    assert.deepEqual(pod.tolerations, [{ key: 'dedicated', operator: 'Exists' }]);
    assert.deepEqual(pod.nodeSelector, { 'kubernetes.io/os': 'linux' });
    assert.ok(pod.affinity !== undefined);
    assert.equal(deployment.spec.template.metadata.annotations?.['team'], 'platform');
    assert.equal(deployment.spec.template.metadata.labels['tier'], 'security');
    assert.equal(webhookContainer(objects).image, 'ghcr.io/vault-injector/webhook@sha256:0000000000000000000000000000000000000000000000000000000000000000');
    assert.equal(envOf(objects).get('EXTRA'), '1');
    const monitor = findObject(objects, 'ServiceMonitor') as KubeObject & { spec: { endpoints: Array<Record<string, unknown>> } };
    assert.equal(monitor.metadata.labels?.['release'], 'prom');
    assert.equal(monitor.spec.endpoints[0]?.['path'], '/metrics');
    assert.equal(monitor.spec.endpoints[0]?.['scheme'], 'https');
  });
});

describe('RBAC: least privilege', () => {
  const rulesOf = (objects: KubeObject[], kind: 'ClusterRole' | 'Role'): Rule[] => (findObject(objects, kind) as KubeObject & { rules: Rule[] }).rules;

  for (const scenario of scenarios) {
    test(`no wildcard and no write without a resource name: ${scenario.name}`, () => {
      for (const role of objectsOf(scenario.name).filter((o) => o.kind === 'Role' || o.kind === 'ClusterRole')) {
        for (const rule of (role as KubeObject & { rules: Rule[] }).rules) {
          for (const field of [rule.apiGroups, rule.resources, rule.verbs]) assert.ok(!field.includes('*'), `${role.kind} has no wildcard`);
          const writes = rule.verbs.filter((verb) => !['get', 'list', 'watch'].includes(verb));
          // "create" cannot be limited by name (the name is not known at authorization); allowed for Leases only.
          if (writes.length > 0 && rule.resourceNames === undefined) assert.deepEqual({ resources: rule.resources, writes }, { resources: ['leases'], writes: ['create'] });
        }
      }
    });
  }

  test('auto TLS: only its own webhook configuration, certificate Secret and Lease', () => {
    const objects = objectsOf('defaults (auto TLS)');
    assert.deepEqual(rulesOf(objects, 'ClusterRole'), [
      { apiGroups: ['admissionregistration.k8s.io'], resources: ['mutatingwebhookconfigurations'], resourceNames: [webhookConfigurationName], verbs: ['get', 'patch'] },
    ]);
    assert.deepEqual(rulesOf(objects, 'Role'), [
      { apiGroups: [''], resources: ['secrets'], resourceNames: ['vault-injector-certs'], verbs: ['get', 'update'] },
      { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['create'] },
      { apiGroups: ['coordination.k8s.io'], resources: ['leases'], resourceNames: ['vault-injector-leader'], verbs: ['get', 'update'] },
    ]);
    assert.equal(findObject(objects, 'MutatingWebhookConfiguration').metadata.name, webhookConfigurationName);
    // "vi-vault-injector" contains "vault" but does not end with it: the namespace is added.
    assert.equal(findObject(render({ namespace: 'vault' }), 'MutatingWebhookConfiguration').metadata.name, `${fullname}-vault`);
    const elsewhere = render({ namespace: 'security' });
    assert.equal(findObject(elsewhere, 'MutatingWebhookConfiguration').metadata.name, `${fullname}-security`);
    assert.deepEqual((findObject(elsewhere, 'ClusterRole') as KubeObject & { rules: Rule[] }).rules[0]?.resourceNames, [`${fullname}-security`]);
    assert.equal(envOf(elsewhere).get('AGENT_INJECT_TLS_AUTO'), `${fullname}-security`);
    const role = findObject(objects, 'Role');
    assert.equal(role.metadata.namespace, releaseNamespace, 'Secrets and Leases only in the release namespace');
    // The chart creates the Secret the webhook fills, so the webhook needs no create on Secrets.
    assert.equal(findObject(objects, 'Secret').metadata.name, 'vault-injector-certs');
    for (const binding of ['ClusterRoleBinding', 'RoleBinding']) {
      const subjects = (findObject(objects, binding) as KubeObject & { subjects: unknown[] }).subjects;
      assert.deepEqual(subjects, [{ kind: 'ServiceAccount', name: fullname, namespace: releaseNamespace }]);
    }
    assert.equal(deploymentOf(objects).spec.template.spec.automountServiceAccountToken, true);
  });

  for (const name of ['certManager, chart-made CA', 'certManager, ClusterIssuer', 'existing Secret']) {
    test(`no API access at all when the webhook needs none: ${name}`, () => {
      const objects = objectsOf(name);
      assert.deepEqual(objects.filter((o) => /Role/.test(o.kind)).map((o) => o.kind), []);
      assert.equal(deploymentOf(objects).spec.template.spec.automountServiceAccountToken, false);
      assert.equal((findObject(objects, 'ServiceAccount') as KubeObject & { automountServiceAccountToken: boolean }).automountServiceAccountToken, false);
    });
  }

  test('the tenant controller has its own service account with namespace read access, nothing more', () => {
    const objects = objectsOf('tenant profile with the tenant controller');
    const role = findObject(objects, 'ClusterRole', '-tenants') as KubeObject & { rules: Rule[] };
    assert.deepEqual(role.rules, [{ apiGroups: [''], resources: ['namespaces'], verbs: ['get', 'list', 'watch'] }]);
    const binding = findObject(objects, 'ClusterRoleBinding', '-tenants') as KubeObject & { subjects: unknown[]; roleRef: { name: string } };
    assert.deepEqual(binding.subjects, [{ kind: 'ServiceAccount', name: `${fullname}-tenants`, namespace: releaseNamespace }]);
    assert.equal(binding.roleRef.name, role.metadata.name);
    const job = cronJobPod(objects);
    assert.equal(job.serviceAccountName, `${fullname}-tenants`);
    // The webhook's own role gains nothing.
    const webhookRole = objects.filter((o) => o.kind === 'ClusterRole' && !o.metadata.name.endsWith('-tenants')) as Array<KubeObject & { rules: Rule[] }>;
    assert.ok(webhookRole.every((r) => r.rules.every((rule) => !rule.resources.includes('namespaces'))));
    assert.equal(objects.filter((o) => o.kind === 'CronJob').length, 1);
    assert.equal(objectsOf('tenant profile (values-tenant.yaml)').filter((o) => o.kind === 'CronJob' || o.metadata.name.endsWith('-tenants')).length, 0);
  });
});

describe('MutatingWebhookConfiguration', () => {
  test('pods, CREATE only, sideEffects None, v1 reviews, 10 s, Fail by default, /mutate on the Service', () => {
    const webhook = webhookOf(objectsOf('defaults (auto TLS)'));
    assert.deepEqual(webhook.rules, [{ operations: ['CREATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['pods'], scope: 'Namespaced' }]);
    assert.equal(webhook.sideEffects, 'None');
    assert.deepEqual(webhook.admissionReviewVersions, ['v1']);
    assert.equal(webhook.timeoutSeconds, 10);
    assert.equal(webhook.failurePolicy, 'Fail');
    assert.equal(webhook.name, `${fullname}.${releaseNamespace}.svc`);
    assert.deepEqual(webhook.clientConfig.service, { name: fullname, namespace: releaseNamespace, path: '/mutate', port: 443 });
    assert.equal(webhook.clientConfig.caBundle, undefined, 'auto TLS: the webhook writes the caBundle');
  });

  test('failurePolicy and timeoutSeconds are configurable', () => {
    const webhook = webhookOf(render({ set: ['webhook.failurePolicy=Ignore', 'webhook.timeoutSeconds=5'] }));
    assert.equal(webhook.failurePolicy, 'Ignore');
    assert.equal(webhook.timeoutSeconds, 5);
  });

  test('webhook.url: the API server calls that URL instead of the Service (an injector outside the cluster)', () => {
    const webhook = webhookOf(objectsOf('out-of-cluster webhook URL'));
    assert.deepEqual(webhook.clientConfig, { url: 'https://127.0.0.1:8443/mutate' }, 'no service, and auto TLS still writes the caBundle');
    assert.equal(webhookOf(objectsOf('defaults (auto TLS)')).clientConfig.url, undefined, 'the Service by default');
  });

  const namespaceCases: Array<[string, boolean]> = [
    ['kube-system', false], ['kube-public', false], [releaseNamespace, false], ['default', true], ['team-a', true], ['kube-node-lease', true],
  ];
  for (const [namespace, sent] of namespaceCases) {
    test(`namespaceSelector: pods in ${namespace} are ${sent ? '' : 'not '}sent`, () => {
      const webhook = webhookOf(objectsOf('defaults (auto TLS)'));
      // Kubernetes labels every namespace with kubernetes.io/metadata.name.
      assert.equal(selects(webhook.namespaceSelector, { 'kubernetes.io/metadata.name': namespace }), sent);
    });
  }

  test('an extra namespaceSelector is ANDed with the exclusions', () => {
    const webhook = webhookOf(objectsOf('every optional value'));
    assert.equal(selects(webhook.namespaceSelector, { 'kubernetes.io/metadata.name': 'team-a' }), false);
    assert.equal(selects(webhook.namespaceSelector, { 'kubernetes.io/metadata.name': 'team-a', 'vault-injection': 'enabled' }), true);
    assert.equal(selects(webhook.namespaceSelector, { 'kubernetes.io/metadata.name': 'kube-system', 'vault-injection': 'enabled' }), false);
  });

  test('objectSelector leaves out the injector\'s own pods and nothing else', () => {
    for (const name of ['defaults (auto TLS)', 'every optional value']) {
      const objects = objectsOf(name);
      const webhook = webhookOf(objects);
      assert.equal(selects(webhook.objectSelector, deploymentOf(objects).spec.template.metadata.labels), false, 'own pods are not sent');
      assert.equal(selects(webhook.objectSelector, { app: 'payments', 'app.kubernetes.io/name': 'payments' }), true, 'an app pod is sent');
    }
    assert.equal(selects(webhookOf(objectsOf('every optional value')).objectSelector, { app: 'x', 'skip-vault': 'yes' }), false);
  });

  test('matchConditions (on by default) send only pods annotated with agent-inject', () => {
    const webhook = webhookOf(objectsOf('defaults (auto TLS)'));
    assert.deepEqual(webhook.matchConditions, [{
      name: 'vault-agent-inject-annotated',
      expression: "has(object.metadata.annotations) && 'vault.hashicorp.com/agent-inject' in object.metadata.annotations",
    }]);
  });

  test('matchConditions can be turned off for clusters older than 1.28', () => {
    const objects = objectsOf('one replica, matchConditions off, Kubernetes 1.27');
    assert.equal(webhookOf(objects).matchConditions, undefined);
    assert.equal(webhookOf(objects).failurePolicy, 'Ignore');
  });
});

describe('certificates', () => {
  test('auto: the webhook patches this release\'s configuration and serves the Service\'s names', () => {
    const objects = objectsOf('defaults (auto TLS)');
    const env = envOf(objects);
    assert.equal(env.get('AGENT_INJECT_TLS_AUTO'), webhookConfigurationName);
    assert.deepEqual(env.get('AGENT_INJECT_TLS_AUTO_HOSTS')?.split(','), [
      fullname, `${fullname}.${releaseNamespace}`, `${fullname}.${releaseNamespace}.svc`, `${fullname}.${releaseNamespace}.svc.cluster.local`,
    ]);
    assert.equal(env.get('AGENT_INJECT_USE_LEADER_ELECTOR'), 'true', 'two replicas elect the one that writes the caBundle');
    assert.equal(env.has('AGENT_INJECT_TLS_CERT_FILE'), false);
    assert.equal(envOf(objectsOf('one replica, matchConditions off, Kubernetes 1.27')).has('AGENT_INJECT_USE_LEADER_ELECTOR'), false);
  });

  test('certManager: self-signed root, CA Issuer, serving Certificate mounted, caBundle injected from it', () => {
    const objects = objectsOf('certManager, chart-made CA');
    assert.deepEqual(kinds(objects).filter((k) => /Issuer|Certificate/.test(k)), [
      `Certificate/${fullname}-ca`, `Certificate/${fullname}-serving`, `Issuer/${fullname}-ca`, `Issuer/${fullname}-selfsigned`,
    ]);
    const serving = findObject(objects, 'Certificate', '-serving') as KubeObject & { spec: { secretName: string; dnsNames: string[]; issuerRef: { name: string } } };
    assert.ok(serving.spec.dnsNames.includes(`${fullname}.${releaseNamespace}.svc`));
    assert.equal(serving.spec.issuerRef.name, `${fullname}-ca`);
    const caIssuer = findObject(objects, 'Issuer', '-ca') as KubeObject & { spec: { ca: { secretName: string } } };
    const caCert = findObject(objects, 'Certificate', '-ca') as KubeObject & { spec: { secretName: string; isCA: boolean; issuerRef: { name: string } } };
    assert.equal(caIssuer.spec.ca.secretName, caCert.spec.secretName);
    assert.equal(caCert.spec.isCA, true);
    assert.equal(caCert.spec.issuerRef.name, `${fullname}-selfsigned`);
    const configuration = findObject(objects, 'MutatingWebhookConfiguration');
    assert.equal(configuration.metadata.annotations?.['cert-manager.io/inject-ca-from'], `${releaseNamespace}/${serving.metadata.name}`);
    assertMountedCertificate(objects, serving.spec.secretName);
  });

  test('certManager with an existing ClusterIssuer: no chart-made CA; extra hosts split into names and IPs', () => {
    const objects = objectsOf('certManager, ClusterIssuer');
    assert.equal(objects.filter((o) => o.kind === 'Issuer').length, 0);
    const serving = findObject(objects, 'Certificate') as KubeObject & { spec: { dnsNames: string[]; ipAddresses: string[]; issuerRef: unknown } };
    assert.deepEqual(serving.spec.issuerRef, { name: 'corp-ca', kind: 'ClusterIssuer', group: 'cert-manager.io' });
    assert.ok(serving.spec.dnsNames.includes('injector.example.com'));
    assert.deepEqual(serving.spec.ipAddresses, ['10.0.0.9']);
  });

  test('existing Secret: mounted, and its CA written into the caBundle', () => {
    const objects = objectsOf('existing Secret');
    assert.equal(webhookOf(objects).clientConfig.caBundle, caBundle);
    assert.equal(findObject(objects, 'MutatingWebhookConfiguration').metadata.annotations, undefined);
    assertMountedCertificate(objects, 'injector-tls');
    assert.equal(objects.filter((o) => o.kind === 'Secret' || o.kind === 'Certificate').length, 0, 'the chart does not create the Secret');
  });

  function assertMountedCertificate(objects: KubeObject[], secretName: string): void {
    const env = envOf(objects);
    const pod = deploymentOf(objects).spec.template.spec;
    const volume = pod.volumes?.find((v) => v.name === 'tls') as { secret: { secretName: string; items: Array<{ path: string }> } } | undefined;
    assert.equal(volume?.secret.secretName, secretName);
    const mount = webhookContainer(objects).volumeMounts?.find((m) => m.name === 'tls');
    assert.ok(mount, 'the certificate volume is mounted');
    assert.equal(env.get('AGENT_INJECT_TLS_CERT_FILE'), `${mount.mountPath}/${volume?.secret.items[0]?.path}`);
    assert.equal(env.get('AGENT_INJECT_TLS_KEY_FILE'), `${mount.mountPath}/${volume?.secret.items[1]?.path}`);
    assert.equal(env.has('AGENT_INJECT_TLS_AUTO'), false);
  }
});

describe('tenancy', () => {
  test('off by default: no ConfigMap, no policy file setting', () => {
    const objects = objectsOf('defaults (auto TLS)');
    assert.equal(objects.filter((o) => o.kind === 'ConfigMap').length, 0);
    assert.equal(envOf(objects).has('AGENT_INJECT_TENANCY_POLICY_FILE'), false);
  });

  for (const name of ['tenant profile (values-tenant.yaml)', 'tenant profile with the tenant controller']) {
    test(`${name}: the policy ConfigMap is mounted where AGENT_INJECT_TENANCY_POLICY_FILE points`, () => {
      const objects = objectsOf(name);
      const configMap = findObject(objects, 'ConfigMap') as KubeObject & { data: Record<string, string> };
      const volume = deploymentOf(objects).spec.template.spec.volumes?.find((v) => v.name === 'tenancy') as { configMap: { name: string; items: Array<{ key: string; path: string }> } } | undefined;
      assert.equal(volume?.configMap.name, configMap.metadata.name);
      const mount = webhookContainer(objects).volumeMounts?.find((m) => m.name === 'tenancy');
      assert.equal(envOf(objects).get('AGENT_INJECT_TENANCY_POLICY_FILE'), `${mount?.mountPath}/${volume?.configMap.items[0]?.path}`);
      assert.ok(Object.hasOwn(configMap.data, volume?.configMap.items[0]?.key ?? ''), 'the mounted key exists');
      assert.match(deploymentOf(objects).spec.template.metadata.annotations?.['checksum/tenancy-policy'] ?? '', /^[0-9a-f]{64}$/);
    });
  }

  test('the tenant controller: tenants sync on a schedule, with the same policy, Vault address and auth path as the webhook', () => {
    const objects = objectsOf('tenant profile with the tenant controller');
    const cronJob = cronJobOf(objects);
    assert.equal(cronJob.spec.schedule, '*/5 * * * *');
    assert.equal(cronJob.spec.concurrencyPolicy, 'Forbid', 'rounds never overlap');
    const pod = cronJobPod(objects);
    assert.equal(pod.restartPolicy, 'Never');
    const container = pod.containers[0] as Container;
    assert.equal(container.image, webhookContainer(objects).image, 'the webhook image runs the sync');
    assert.deepEqual(container.args, ['tenants', 'sync', '--vault-auth-path', 'auth/kubernetes']);
    const env = new Map((container.env ?? []).map((e) => [e.name, e.value]));
    assert.equal(env.get('AGENT_INJECT_TENANCY_POLICY_FILE'), envOf(objects).get('AGENT_INJECT_TENANCY_POLICY_FILE'));
    assert.equal(env.get('VAULT_ADDR'), envOf(objects).get('AGENT_INJECT_VAULT_ADDR'));
    assert.equal(env.get('AGENT_INJECT_TENANCY_VAULT_ROLE'), 'vault-injector-tenants');
    assert.equal(env.has('VAULT_CACERT'), false);
    const volume = pod.volumes?.find((v) => v.name === 'tenancy') as { configMap: { name: string } } | undefined;
    assert.equal(volume?.configMap.name, findObject(objects, 'ConfigMap').metadata.name);
    // Its pods are not sent to the webhook either.
    assert.equal(selects(webhookOf(objects).objectSelector, cronJobOf(objects).spec.jobTemplate.spec.template.metadata.labels), false);
    // Nor are they selected by the webhook's Service, PDB or Deployment.
    assert.equal(selects(deploymentOf(objects).spec.selector, cronJobOf(objects).spec.jobTemplate.spec.template.metadata.labels), false);
  });

  test('the tenant controller trusts a private Vault CA from a Secret', () => {
    const objects = render({ set: ['profile=tenant', 'tenancy.controller.enabled=true', 'tenancy.controller.vaultCaSecret=vault-ca', 'tenancy.controller.schedule=@hourly'] });
    const pod = cronJobPod(objects);
    const container = pod.containers[0] as Container;
    const mount = container.volumeMounts?.find((m) => m.name === 'vault-ca');
    const env = new Map((container.env ?? []).map((e) => [e.name, e.value]));
    assert.equal(env.get('VAULT_CACERT'), `${mount?.mountPath}/ca.crt`);
    assert.deepEqual((pod.volumes?.find((v) => v.name === 'vault-ca') as { secret: unknown } | undefined)?.secret, { secretName: 'vault-ca', items: [{ key: 'ca.crt', path: 'ca.crt' }] });
    assert.equal(cronJobOf(objects).spec.schedule, '@hourly');
  });

  test('an existing ConfigMap is mounted instead of a rendered one', () => {
    const objects = objectsOf('every optional value');
    assert.equal(objects.filter((o) => o.kind === 'ConfigMap').length, 0);
    const volume = deploymentOf(objects).spec.template.spec.volumes?.find((v) => v.name === 'tenancy') as { configMap: { name: string } } | undefined;
    assert.equal(volume?.configMap.name, 'my-policy');
  });
});
