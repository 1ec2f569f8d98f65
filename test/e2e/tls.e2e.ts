// Certificates against a real kube-apiserver (issue 14): auto TLS with two webhook processes that
// elect a leader through a real coordination.k8s.io Lease, forced rotations (short lifetimes) and a
// leader failover while pods are being created, counting failed admissions (zero); then the
// certificate-files mode, reloaded the way cert-manager's Secret reaches a pod (kubelet's
// `..data` symlink swap), with the caBundle trusting only the new CA at the end.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { mkdirSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { connect } from 'node:tls';
import { join } from 'node:path';
import { startControlPlane } from '../real/controlplane.ts';
import type { ControlPlane } from '../real/controlplane.ts';
import { chartDir, repoRoot } from '../chart/helm.ts';
import { generateCa, generateServing } from '../../src/tls/generate.ts';
import { applyObjects, createNamespace, eventually, getJson, helmCommand, kubeFor } from './kube.ts';
import type { Kube } from './kube.ts';
import { freePort } from '../real/process.ts';
import { chartWebhookEnv, serviceAccountKubeconfig, startWebhook } from './webhook.ts';
import type { WebhookProcess } from './webhook.ts';
import { annotated, assertInjected, podTemplate } from './pods.ts';
import type { StoredPod } from './pods.ts';

const RELEASE = 'vi';
const RELEASE_NAMESPACE = 'vault-injector';
const FULLNAME = `${RELEASE}-vault-injector`;
const APPS = 'shop';
const VAULT_ADDRESS = 'https://openbao.example:8200';
// Certificates are backdated 60 s and replaced at half their lifetime: with these figures the
// serving certificate is replaced at every 1 s check and the CA about every 10 s, a rotation storm.
const SHORT_CERTS = {
  caValidityMs: 80_000, servingValidityMs: 40_000, expiryWithin: 0.5, checkIntervalMs: 1_000,
  leaderTimings: { leaseDurationMs: 8_000, renewDeadlineMs: 6_000, retryPeriodMs: 1_000 },
};

let plane: ControlPlane | undefined;
let kube: Kube;
const webhooks: WebhookProcess[] = [];
let podCounter = 0;

async function servedFingerprint(port: number): Promise<string> {
  return new Promise((resolveFingerprint, reject) => {
    const socket = connect({ host: '127.0.0.1', port, rejectUnauthorized: false, servername: 'localhost' }, () => {
      const fingerprint = socket.getPeerX509Certificate()?.fingerprint256 ?? '';
      socket.end();
      resolveFingerprint(fingerprint);
    });
    socket.on('error', reject);
  });
}

async function caBundle(): Promise<string[]> {
  const configuration = await getJson<{ webhooks: Array<{ clientConfig: { caBundle?: string } }> }>(kube, ['mutatingwebhookconfiguration', FULLNAME]);
  const pem = Buffer.from(configuration.webhooks[0]?.clientConfig.caBundle ?? '', 'base64').toString('utf8');
  return pem.split(/(?<=-----END CERTIFICATE-----)\s*/).filter((part) => part.includes('BEGIN CERTIFICATE'));
}

/** Creates one annotated pod; returns the error text when the API server refused it. */
async function admitOne(): Promise<string | undefined> {
  podCounter += 1;
  const name = `order-${podCounter}`;
  const template = podTemplate(name, annotated('shop', { db: 'secret/data/shop/db' }));
  const result = await applyObjects(kube, [{ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: APPS, ...template.metadata }, spec: template.spec }]);
  if (result.status !== 0) return `${name}: ${result.stderr.trim()}`;
  const pod = await getJson<StoredPod>(kube, ['pod', name, '-n', APPS]);
  return pod.spec.containers.some((container) => container.name === 'vault-agent') ? undefined : `${name}: stored without the agent`;
}

/** Creates pods one after another for `durationMs`; every failure is returned. */
async function admitDuring(durationMs: number, alongside: () => Promise<void> = async () => undefined): Promise<{ created: number; failures: string[] }> {
  const failures: string[] = [];
  let created = 0;
  const end = Date.now() + durationMs;
  while (Date.now() < end) {
    const failure = await admitOne();
    if (failure !== undefined) failures.push(failure);
    created += 1;
    await alongside();
  }
  return { created, failures };
}

async function setWebhook(values: string[], extraArgs: string[] = []): Promise<void> {
  const upgrade = await helmCommand(kube, ['upgrade', RELEASE, chartDir, '--namespace', RELEASE_NAMESPACE, '--reuse-values', ...extraArgs, ...values.flatMap((value) => ['--set', value])]);
  assert.equal(upgrade.status, 0, upgrade.stderr);
}

before(async () => {
  plane = await startControlPlane();
  kube = kubeFor(plane.kubeconfigPath, plane.dir);
  await createNamespace(kube, RELEASE_NAMESPACE);
  await createNamespace(kube, APPS);
});

after(async () => {
  for (const webhook of webhooks) await webhook.stop();
  await plane?.stop();
});

describe('auto TLS: two webhook processes, one Lease', () => {
  let leader: WebhookProcess;
  let follower: WebhookProcess;
  const followerPort = { value: 0 };

  before(async () => {
    if (plane === undefined) throw new Error('no control plane');
    followerPort.value = await freePort();
    // The API server calls the follower: it serves what the leader wrote into the Secret.
    const install = await helmCommand(kube, ['install', RELEASE, chartDir, '--namespace', RELEASE_NAMESPACE,
      '--set', `webhook.url=https://127.0.0.1:${followerPort.value}/mutate`, '--set', `vault.address=${VAULT_ADDRESS}`]);
    assert.equal(install.status, 0, install.stderr);
    const kubeconfigPath = await serviceAccountKubeconfig(kube, { server: plane.server, caCertPem: plane.caCertPem, namespace: RELEASE_NAMESPACE, serviceAccount: FULLNAME, path: join(plane.dir, 'webhook.kubeconfig') });
    const entry = join(repoRoot, 'test', 'e2e', 'webhook-short-certs.ts');
    const envOf = async (pod: string): Promise<Record<string, string>> => ({
      ...await chartWebhookEnv(kube, RELEASE, RELEASE_NAMESPACE, pod),
      AGENT_INJECT_TLS_AUTO_HOSTS: '127.0.0.1',
      VI_E2E_AUTO_TLS: JSON.stringify(SHORT_CERTS),
    });
    leader = await startWebhook({ env: await envOf('webhook-a'), kubeconfigPath, entry });
    webhooks.push(leader);
    follower = await startWebhook({ env: await envOf('webhook-b'), kubeconfigPath, entry, port: followerPort.value });
    webhooks.push(follower);
  });

  test('the first process holds the Lease, wrote the Secret and the caBundle; the follower serves the same certificate', async () => {
    const lease = await getJson<{ spec: { holderIdentity?: string } }>(kube, ['lease', 'vault-injector-leader', '-n', RELEASE_NAMESPACE]);
    assert.equal(lease.spec.holderIdentity, 'webhook-a');
    const secret = await getJson<{ data: Record<string, string> }>(kube, ['secret', 'vault-injector-certs', '-n', RELEASE_NAMESPACE]);
    const ca = new X509Certificate(Buffer.from(secret.data['ca.crt'] ?? '', 'base64'));
    assert.ok((await caBundle()).some((pem) => new X509Certificate(pem).fingerprint256 === ca.fingerprint256), 'the caBundle trusts the Secret\'s CA');
    await eventually('the follower serving the Secret\'s certificate', async () => {
      const stored = await getJson<{ data: Record<string, string> }>(kube, ['secret', 'vault-injector-certs', '-n', RELEASE_NAMESPACE]);
      const cert = new X509Certificate(Buffer.from(stored.data['cert'] ?? '', 'base64'));
      return (await servedFingerprint(followerPort.value)) === cert.fingerprint256 ? true : undefined;
    });
    assert.equal(await admitOne(), undefined);
    const pod = await getJson<StoredPod>(kube, ['pod', `order-${podCounter}`, '-n', APPS]);
    assertInjected(pod, { role: 'shop', secrets: { db: 'secret/data/shop/db' }, shape: 'init and sidecar', vaultAddress: VAULT_ADDRESS, agentImage: pod.spec.containers[1]?.image ?? '' });
  });

  test('forced rotations of the CA and the serving certificate: admissions keep working, zero failures', { timeout: 300_000 }, async (t) => {
    const fingerprints = new Set<string>();
    const cas = new Set<string>();
    const { created, failures } = await admitDuring(100_000, async () => {
      fingerprints.add(await servedFingerprint(followerPort.value));
      for (const pem of await caBundle()) cas.add(new X509Certificate(pem).fingerprint256);
    });
    t.diagnostic(`${created} admissions, ${cas.size} CAs and ${fingerprints.size} serving certificates seen`);
    assert.deepEqual(failures, [], `${failures.length} of ${created} admissions failed`);
    assert.ok(cas.size >= 2, `the CA rotated (${cas.size} CAs seen in the caBundle)`);
    assert.ok(fingerprints.size >= 3, `the served certificate rotated (${fingerprints.size} seen)`);
    const written = leader.logLines().filter((line) => line['msg'] === 'generated a new certificate authority').length;
    assert.ok(written >= 2, `the leader generated ${written} CAs`);
  });

  test('the leader stops: the follower takes the Lease and goes on rotating, zero failures', { timeout: 300_000 }, async (t) => {
    await leader.stop();
    const { created, failures } = await admitDuring(60_000);
    t.diagnostic(`${created} admissions across the failover`);
    assert.deepEqual(failures, [], `${failures.length} of ${created} admissions failed`);
    const lease = await getJson<{ spec: { holderIdentity?: string } }>(kube, ['lease', 'vault-injector-leader', '-n', RELEASE_NAMESPACE]);
    assert.equal(lease.spec.holderIdentity, 'webhook-b');
    assert.ok(follower.logLines().some((line) => line['msg'] === 'became the leader'));
    assert.ok(follower.logLines().some((line) => line['msg'] === 'wrote the certificate Secret'), 'the new leader rotated and shared the certificate');
  });
});

describe('certificate files (cert-manager style), reloaded on change', () => {
  test('the webhook serves the files, reloads them on a ..data swap, and the API server trusts the new CA alone', { timeout: 300_000 }, async () => {
    for (const webhook of webhooks.splice(0)) await webhook.stop();
    if (plane === undefined) throw new Error('no control plane');
    const nowMs = Date.now();
    const hosts = ['127.0.0.1'];
    const ca1 = await generateCa({ nowMs });
    const ca2 = await generateCa({ nowMs });
    const serving1 = await generateServing({ ca: ca1, hosts, nowMs });
    const serving2 = await generateServing({ ca: ca2, hosts, nowMs });
    // The layout kubelet gives a mounted Secret: files are symlinks through `..data`, swapped atomically.
    const mount = join(plane.dir, 'tls-mount');
    const writeVersion = (name: string, pair: { certPem: string; keyPem: string }, ca: string): void => {
      mkdirSync(join(mount, name), { recursive: true });
      writeFileSync(join(mount, name, 'tls.crt'), pair.certPem);
      writeFileSync(join(mount, name, 'tls.key'), pair.keyPem, { mode: 0o600 });
      writeFileSync(join(mount, name, 'ca.crt'), ca);
    };
    writeVersion('..v1', serving1, ca1.certPem);
    symlinkSync('..v1', join(mount, '..data'));
    for (const file of ['tls.crt', 'tls.key', 'ca.crt']) symlinkSync(join('..data', file), join(mount, file));

    const port = await freePort();
    const bundle = (...pems: string[]): string => Buffer.from(pems.map((pem) => `${pem.trim()}\n`).join('')).toString('base64');
    // Helm 4 applies server-side: the caBundle belongs to the auto-TLS webhook's field manager
    // until this upgrade takes it over (chart README, Certificates).
    await setWebhook(['certificates.mode=secret', 'certificates.secret.name=injector-tls', `certificates.secret.caBundle=${bundle(ca1.certPem)}`, `webhook.url=https://127.0.0.1:${port}/mutate`], ['--force-conflicts']);
    const env: Record<string, string> = {
      ...await chartWebhookEnv(kube, RELEASE, RELEASE_NAMESPACE, 'webhook-files'),
      AGENT_INJECT_TLS_CERT_FILE: join(mount, 'tls.crt'),
      AGENT_INJECT_TLS_KEY_FILE: join(mount, 'tls.key'),
    };
    assert.equal(env['AGENT_INJECT_TLS_AUTO'], undefined, 'secret mode: no auto TLS');
    const files = await startWebhook({ env, port });
    webhooks.push(files);
    assert.equal(await servedFingerprint(files.port), new X509Certificate(serving1.certPem).fingerprint256);
    await eventually('an admission through the file certificate', async () => ((await admitOne()) === undefined ? true : undefined), 60_000);

    // cert-manager's order: the caBundle trusts both CAs, then the Secret (our files) changes.
    await setWebhook([`certificates.secret.caBundle=${bundle(ca1.certPem, ca2.certPem)}`]);
    writeVersion('..v2', serving2, ca2.certPem);
    symlinkSync('..v2', join(mount, '..data_tmp'));
    renameSync(join(mount, '..data_tmp'), join(mount, '..data'));
    await eventually('the reloaded certificate being served', async () => ((await servedFingerprint(files.port)) === new X509Certificate(serving2.certPem).fingerprint256 ? true : undefined), 60_000);
    assert.equal(await admitOne(), undefined);

    // Only the new CA: admissions can only succeed on the reloaded certificate.
    await setWebhook([`certificates.secret.caBundle=${bundle(ca2.certPem)}`]);
    await eventually('an admission trusted through the new CA alone', async () => ((await admitOne()) === undefined ? true : undefined), 60_000);
    const failuresAfter = (await admitDuring(5_000)).failures;
    assert.deepEqual(failuresAfter, []);
  });
});
