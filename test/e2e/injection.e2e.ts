// End to end against a real kube-apiserver (issue 14): the chart installed with real `helm install`,
// workloads applied with real kubectl, the pods the controllers made and the API server stored read
// back. The webhook runs as a local process (no kubelet here) with the environment the chart gives
// its container, reached through the chart's `webhook.url`, auto TLS through the real API.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { createServer } from 'node:net';
import { startControlPlane } from '../real/controlplane.ts';
import { freePort } from '../real/process.ts';
import type { ControlPlane } from '../real/controlplane.ts';
import { chartDir } from '../chart/helm.ts';
import { applyObjects, createNamespace, eventually, getJson, helmCommand, kubeFor, kubectl, kubectlOk } from './kube.ts';
import type { Kube } from './kube.ts';
import { helmManifest } from './webhook.ts';
import { caBundleOf, FULLNAME, installInjector, RELEASE, RELEASE_NAMESPACE, WEBHOOK_NAME } from './install.ts';
import type { WebhookProcess } from './webhook.ts';
import { annotated, assertInjected, podTemplate } from './pods.ts';
import type { Expected, StoredPod } from './pods.ts';

const VAULT_ADDRESS = 'https://openbao.example:8200';
const APPS = 'payments';
const LOCKED = 'payments-restricted';

let plane: ControlPlane | undefined;
let kube: Kube;
let webhook: WebhookProcess | undefined;
let agentImage: string;

function expected(role: string, secrets: Record<string, string>, shape: Expected['shape']): Expected {
  return { role, secrets, shape, vaultAddress: VAULT_ADDRESS, agentImage };
}

async function podsOf(namespace: string, selector: string): Promise<StoredPod[]> {
  return (await getJson<{ items: StoredPod[] }>(kube, ['pods', '-n', namespace, '-l', selector])).items;
}

async function onePod(namespace: string, selector: string, timeoutMs?: number): Promise<StoredPod> {
  return eventually(`a pod ${selector} in ${namespace}`, async () => (await podsOf(namespace, selector))[0], timeoutMs);
}

function admitted(podName: string): number {
  return (webhook?.admissions() ?? []).filter((entry) => entry.pod === podName).length;
}

before(async () => {
  plane = await startControlPlane();
  process.stderr.write(`# control plane ready in ${plane.startupMs} ms\n`);
  kube = kubeFor(plane.kubeconfigPath, plane.dir);
  const installed = await installInjector(plane, kube, { vaultAddress: VAULT_ADDRESS });
  webhook = installed.webhook;
  agentImage = installed.env['AGENT_INJECT_VAULT_IMAGE'] ?? '';
  await createNamespace(kube, APPS);
  await createNamespace(kube, LOCKED, { 'pod-security.kubernetes.io/enforce': 'restricted', 'pod-security.kubernetes.io/enforce-version': 'latest' });
  // The CronJob controller starts a Job on the next minute: create it first, assert it last.
  const cron = await applyObjects(kube, [{
    apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'nightly-report', namespace: APPS },
    spec: { schedule: '* * * * *', concurrencyPolicy: 'Forbid', jobTemplate: { spec: { template: podTemplate('nightly-report', annotated('reports', { report: 'secret/data/reports' }, { 'vault.hashicorp.com/agent-native-sidecar': 'true' }), 'Never') } } },
  }]);
  assert.equal(cron.status, 0, cron.stderr);
});

after(async () => {
  await webhook?.stop();
  await plane?.stop();
});

describe('the chart, installed with helm into a real API server', () => {
  test('every object the chart renders was accepted and is stored', async () => {
    const manifest = await helmManifest(kube, RELEASE, RELEASE_NAMESPACE);
    assert.ok(manifest.length >= 8, `${manifest.length} objects`);
    for (const object of manifest) {
      const args = object.metadata.namespace !== undefined ? ['-n', object.metadata.namespace] : [];
      const group = object.apiVersion.includes('/') ? `.${object.apiVersion.split('/')[0]}` : '';
      const stored = await kubectl(kube, ['get', `${object.kind}${group}`, object.metadata.name, ...args, '-o', 'name']);
      assert.equal(stored.status, 0, `${object.kind}/${object.metadata.name} is stored: ${stored.stderr}`);
    }
    const status = await helmCommand(kube, ['status', RELEASE, '--namespace', RELEASE_NAMESPACE, '-o', 'json']);
    assert.equal((JSON.parse(status.stdout) as { info: { status: string } }).info.status, 'deployed');
  });

  test('the webhook, with the chart\'s service account only, won the Lease and keeps the caBundle that verifies its certificate', async () => {
    const lease = await getJson<{ spec: { holderIdentity?: string } }>(kube, ['lease', 'vault-injector-leader', '-n', RELEASE_NAMESPACE]);
    assert.equal(lease.spec.holderIdentity, `${FULLNAME}-local-0`);
    const bundle = await caBundleOf(kube);
    const secret = await getJson<{ data: Record<string, string> }>(kube, ['secret', 'vault-injector-certs', '-n', RELEASE_NAMESPACE]);
    const served = new X509Certificate(Buffer.from(secret.data['cert'] ?? '', 'base64'));
    assert.ok(bundle.split('-----END CERTIFICATE-----').some((pem) => pem.includes('BEGIN') && served.verify(new X509Certificate(`${pem.trim()}\n-----END CERTIFICATE-----\n`).publicKey)));
    assert.ok(served.checkIP('127.0.0.1'), 'the certificate names the URL\'s host');
  });
});

describe('workloads applied with kubectl produce injected pods, as stored by the API server', () => {
  test('a Deployment: the ReplicaSet\'s pod has the init container and the sidecar', async () => {
    const applied = await applyObjects(kube, [{
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: APPS },
      spec: { replicas: 1, selector: { matchLabels: { app: 'web' } }, template: podTemplate('web', annotated('web', { 'config.json': 'secret/data/web/config', 'db-creds': 'database/creds/web' })) },
    }]);
    assert.equal(applied.status, 0, applied.stderr);
    const pod = await onePod(APPS, 'app=web');
    assert.equal(pod.metadata.ownerReferences?.[0]?.kind, 'ReplicaSet', 'made by the ReplicaSet controller');
    assertInjected(pod, expected('web', { 'config.json': 'secret/data/web/config', 'db-creds': 'database/creds/web' }, 'init and sidecar'));
    assert.equal(pod.status?.phase, 'Pending', 'no scheduler: the pod stays Pending');
  });

  test('a Job with agent-pre-populate-only: the Job controller\'s pod has only the init container', async () => {
    const applied = await applyObjects(kube, [{
      apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'migrate', namespace: APPS },
      spec: { backoffLimit: 0, template: podTemplate('migrate', annotated('migrations', { dsn: 'database/creds/migrate' }, { 'vault.hashicorp.com/agent-pre-populate-only': 'true' }), 'Never') },
    }]);
    assert.equal(applied.status, 0, applied.stderr);
    const pod = await onePod(APPS, 'app=migrate');
    assert.equal(pod.metadata.ownerReferences?.[0]?.kind, 'Job');
    assertInjected(pod, expected('migrations', { dsn: 'database/creds/migrate' }, 'init only'));
  });

  test('a bare Pod', async () => {
    const applied = await applyObjects(kube, [{ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'debug', namespace: APPS, ...podTemplate('debug', annotated('debug', { token: 'secret/data/debug' })).metadata }, spec: podTemplate('debug', {}).spec }]);
    assert.equal(applied.status, 0, applied.stderr);
    assertInjected(await getJson<StoredPod>(kube, ['pod', 'debug', '-n', APPS]), expected('debug', { token: 'secret/data/debug' }, 'init and sidecar'));
  });

  test('in a namespace enforcing PodSecurity restricted, the injected pod is admitted (and a non-compliant one is not)', async () => {
    const compliant = podTemplate('locked', annotated('locked', { key: 'secret/data/locked' }));
    const applied = await applyObjects(kube, [{ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'locked', namespace: LOCKED, ...compliant.metadata }, spec: { ...compliant.spec, securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } } } }]);
    assert.equal(applied.status, 0, applied.stderr);
    assertInjected(await getJson<StoredPod>(kube, ['pod', 'locked', '-n', LOCKED]), expected('locked', { key: 'secret/data/locked' }, 'init and sidecar'));
    // The control: the same namespace refuses a pod that is not restricted, so the check above was live.
    const loose = await applyObjects(kube, [{ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'loose', namespace: LOCKED }, spec: { containers: [{ name: 'app', image: 'registry.example/app:1' }] } }]);
    assert.notEqual(loose.status, 0);
    assert.match(loose.stderr, /violates PodSecurity "restricted:latest"/);
  });

  test('a CronJob: the Job its controller started has a pod with the native sidecar', { timeout: 240_000 }, async () => {
    const pod = await onePod(APPS, 'app=nightly-report', 180_000);
    assert.equal(pod.metadata.ownerReferences?.[0]?.kind, 'Job');
    const job = await getJson<{ metadata: { ownerReferences?: Array<{ kind: string; name: string }> } }>(kube, ['job', pod.metadata.ownerReferences?.[0]?.name ?? '', '-n', APPS]);
    assert.deepEqual(job.metadata.ownerReferences?.map((owner) => `${owner.kind}/${owner.name}`), ['CronJob/nightly-report']);
    assertInjected(pod, expected('reports', { report: 'secret/data/reports' }, 'native sidecar'));
  });
});

describe('what reaches the webhook, and what the user sees', () => {
  test('a refused pod fails kubectl apply with our one-sentence message', async () => {
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'no-role', namespace: APPS, annotations: { 'vault.hashicorp.com/agent-inject': 'true', 'vault.hashicorp.com/agent-inject-secret-x': 'secret/data/x' } }, spec: podTemplate('no-role', {}).spec };
    const result = await applyObjects(kube, [pod]);
    assert.notEqual(result.status, 0);
    // Exactly what the user reads: kubectl's prefix, the API server's, then our sentence naming the
    // annotation and the reason (the ServiceAccount admission had added the token mount, so the
    // missing role is the only problem).
    assert.equal(result.stderr, `Error from server: error when creating "STDIN": admission webhook "${WEBHOOK_NAME}" denied the request: `
      + 'annotation vault.hashicorp.com/role: is required: the Vault Kubernetes auth role the agent logs in with\n');
    assert.equal((await kubectl(kube, ['get', 'pod', 'no-role', '-n', APPS])).status, 1, 'the pod was not stored');
  });

  test('matchConditions keep unannotated pods away; UPDATEs are not sent', async () => {
    const plain = await applyObjects(kube, [{ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'plain', namespace: APPS }, spec: podTemplate('plain', {}).spec }]);
    assert.equal(plain.status, 0, plain.stderr);
    const marker = podTemplate('marker', annotated('marker', { m: 'secret/data/m' }));
    const created = await applyObjects(kube, [{ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'marker', namespace: APPS, ...marker.metadata }, spec: marker.spec }]);
    assert.equal(created.status, 0, created.stderr);
    await eventually('the marker pod\'s admission in the webhook log', async () => (admitted('marker') === 1 ? true : undefined), 30_000);
    // `plain` was stored before `marker` was sent; had it reached the webhook, its log line
    // (written as the answer went out) would precede the marker's on the same stream.
    assert.equal(admitted('plain'), 0, 'the unannotated pod never reached the webhook');
    await kubectlOk(kube, ['annotate', 'pod', 'marker', '-n', APPS, 'e2e/touched=yes']);
    await kubectlOk(kube, ['label', 'pod', 'debug', '-n', APPS, 'e2e-touched=yes']);
    const second = podTemplate('marker-2', annotated('marker', { m: 'secret/data/m' }));
    assert.equal((await applyObjects(kube, [{ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'marker-2', namespace: APPS, ...second.metadata }, spec: second.spec }])).status, 0);
    await eventually('the second marker\'s admission', async () => (admitted('marker-2') === 1 ? true : undefined), 30_000);
    assert.equal(admitted('marker'), 1, 'the UPDATE of an injected pod was not sent');
    assert.equal(admitted('debug'), 1);
    const decisions = new Set(webhook?.admissions().map((entry) => entry.decision));
    assert.ok(!decisions.has('invalid'), 'every request the API server sent was a valid AdmissionReview');
  });

  test('failurePolicy Fail: with the webhook unreachable an annotated pod is refused, an unannotated one still created', async () => {
    const closed = await freePort();
    const upgrade = await helmCommand(kube, ['upgrade', RELEASE, chartDir, '--namespace', RELEASE_NAMESPACE, '--reuse-values', '--set', `webhook.url=https://127.0.0.1:${closed}/mutate`]);
    assert.equal(upgrade.status, 0, upgrade.stderr);
    await eventually('the new URL in the configuration', async () => ((await getJson<{ webhooks: Array<{ clientConfig: { url?: string } }> }>(kube, ['mutatingwebhookconfiguration', FULLNAME])).webhooks[0]?.clientConfig.url?.includes(`:${closed}/`) ? true : undefined));
    const refused = podTemplate('unreachable', annotated('web', { a: 'secret/data/a' }));
    const result = await applyObjects(kube, [{ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'unreachable', namespace: APPS, ...refused.metadata }, spec: refused.spec }]);
    assert.notEqual(result.status, 0);
    assert.match(result.stderr, new RegExp(`failed calling webhook "${WEBHOOK_NAME.replace(/\./g, '\\.')}"`));
    const unannotated = await applyObjects(kube, [{ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'unannotated', namespace: APPS }, spec: podTemplate('x', {}).spec }]);
    assert.equal(unannotated.status, 0, `matchConditions: ${unannotated.stderr}`);

    const ignore = await helmCommand(kube, ['upgrade', RELEASE, chartDir, '--namespace', RELEASE_NAMESPACE, '--reuse-values', '--set', 'webhook.failurePolicy=Ignore']);
    assert.equal(ignore.status, 0, ignore.stderr);
    await eventually('failurePolicy Ignore in the configuration', async () => ((await getJson<{ webhooks: Array<{ failurePolicy: string }> }>(kube, ['mutatingwebhookconfiguration', FULLNAME])).webhooks[0]?.failurePolicy === 'Ignore' ? true : undefined));
    const ignored = await applyObjects(kube, [{ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'unreachable', namespace: APPS, ...refused.metadata }, spec: refused.spec }]);
    assert.equal(ignored.status, 0, ignored.stderr);
    const stored = await getJson<StoredPod>(kube, ['pod', 'unreachable', '-n', APPS]);
    assert.deepEqual(stored.spec.containers.map((container) => container.name), ['app'], 'Ignore: created without secrets, as documented');
  });

  test('timeoutSeconds: a webhook that never answers is given up after the configured time', async () => {
    let connections = 0;
    // Accepts TCP and never speaks TLS: the API server's call can only end by its timeout.
    const silent = createServer((socket) => { connections += 1; socket.on('error', () => undefined); });
    await new Promise<void>((resolveListen) => silent.listen(0, '127.0.0.1', resolveListen));
    const port = (silent.address() as { port: number }).port;
    try {
      const upgrade = await helmCommand(kube, ['upgrade', RELEASE, chartDir, '--namespace', RELEASE_NAMESPACE, '--reuse-values', '--set', `webhook.url=https://127.0.0.1:${port}/mutate`, '--set', 'webhook.failurePolicy=Fail', '--set', 'webhook.timeoutSeconds=2']);
      assert.equal(upgrade.status, 0, upgrade.stderr);
      await eventually('timeoutSeconds 2 in the configuration', async () => ((await getJson<{ webhooks: Array<{ timeoutSeconds: number; clientConfig: { url?: string } }> }>(kube, ['mutatingwebhookconfiguration', FULLNAME])).webhooks[0]?.clientConfig.url?.includes(`:${port}/`) ? true : undefined));
      const pod = podTemplate('slow', annotated('web', { a: 'secret/data/a' }));
      const result = await applyObjects(kube, [{ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'slow', namespace: APPS, ...pod.metadata }, spec: pod.spec }]);
      assert.notEqual(result.status, 0);
      assert.match(result.stderr, /failed calling webhook[\s\S]*(context deadline exceeded|timeout|Timeout)/);
      assert.ok(connections >= 1, 'the API server did call the silent webhook');
    } finally {
      silent.close();
    }
  });
});
