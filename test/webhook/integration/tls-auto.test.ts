/**
 * Auto TLS against the Kubernetes API double: caBundle written (keeping the previous CA), shared
 * Secret created, rotation before expiry, only the leader writes, followers serve the Secret.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startKubernetesDouble } from '../../doubles/kubernetes/index.ts';
import type { KubernetesDouble } from '../../doubles/kubernetes/index.ts';
import { startServer } from '../../../src/server/main.ts';
import type { RunningServer, ServerDeps } from '../../../src/server/main.ts';
import { createKubeApi } from '../../../src/kube/client.ts';
import type { KubeApi } from '../../../src/kube/client.ts';
import { generateCa, generateServing, splitPemBundle } from '../../../src/tls/generate.ts';
import { captureLogs, eventually, fixture, postReview, servedCertificate, settingsFor } from './helpers.ts';

const WEBHOOK = 'vault-agent-injector-cfg';
const NAMESPACE = 'vault';
// Generous deadlines: CI machines can be slow; renewals every 200 ms keep the tests quick.
const LEADER_TIMINGS = { leaseDurationMs: 8000, renewDeadlineMs: 6000, retryPeriodMs: 200 };

function seedWebhookConfiguration(double: KubernetesDouble, caBundlePem?: string): void {
  double.put('mutatingwebhookconfigurations', {
    metadata: { name: WEBHOOK, labels: { 'app.kubernetes.io/name': 'vault-injector' } },
    webhooks: [{
      name: 'vault.hashicorp.com',
      admissionReviewVersions: ['v1', 'v1beta1'],
      sideEffects: 'None',
      failurePolicy: 'Ignore',
      clientConfig: { service: { name: 'vault-agent-injector-svc', namespace: NAMESPACE, path: '/mutate' }, ...(caBundlePem !== undefined ? { caBundle: Buffer.from(caBundlePem).toString('base64') } : {}) },
      rules: [{ operations: ['CREATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['pods'] }],
    }],
  });
}

function caBundleOf(double: KubernetesDouble): string[] {
  const configuration = double.get('mutatingwebhookconfigurations', WEBHOOK);
  const webhooks = configuration?.['webhooks'] as Array<{ clientConfig: { caBundle?: string } }>;
  const encoded = webhooks[0]?.clientConfig.caBundle;
  return encoded === undefined ? [] : splitPemBundle(Buffer.from(encoded, 'base64').toString('utf8'));
}

function secretOf(double: KubernetesDouble): Record<string, string> | undefined {
  const secret = double.get('secrets', 'vault-injector-certs', NAMESPACE);
  if (secret === undefined) return undefined;
  return Object.fromEntries(Object.entries(secret['data'] as Record<string, string>).map(([key, value]) => [key, Buffer.from(value, 'base64').toString('utf8')]));
}

const fingerprint = (pem: string): string => new X509Certificate(pem).fingerprint256;

/** A KubeApi that records the writes one server makes (the double alone cannot tell servers apart). */
function recordingApi(inner: KubeApi, writes: string[]): KubeApi {
  return {
    ...inner,
    patchWebhookCaBundles: async (...args) => { writes.push('patch caBundle'); return inner.patchWebhookCaBundles(...args); },
    createSecret: async (...args) => { writes.push('create secret'); return inner.createSecret(...args); },
    updateSecretData: async (...args) => { writes.push('update secret'); return inner.updateSecretData(...args); },
  };
}

function autoSettings() {
  return settingsFor(['-tls-auto', WEBHOOK, '-tls-auto-hosts', 'vault-agent-injector-svc,vault-agent-injector-svc.vault.svc,127.0.0.1'], { NAMESPACE });
}

async function startAuto(double: KubernetesDouble, identity: string, writes: string[], extra: Partial<ServerDeps> = {}): Promise<RunningServer> {
  return startServer(autoSettings(), {
    logger: captureLogs().logger,
    handleSignals: false,
    identity,
    kubeApi: recordingApi(createKubeApi(double.kubeConfig()), writes),
    leaderTimings: LEADER_TIMINGS,
    autoTls: { checkIntervalMs: 200 },
    ...extra,
  });
}

test('auto TLS: the leader writes the caBundle (previous CA kept) and the Secret, and serves a certificate the bundle verifies', async (t) => {
  const double = await startKubernetesDouble();
  t.after(() => double.close());
  const previousCa = await generateCa({ nowMs: Date.now() });
  seedWebhookConfiguration(double, previousCa.certPem);
  const writes: string[] = [];
  const server = await startAuto(double, 'injector-0', writes);
  t.after(() => server.close());

  await eventually('the single replica leads', () => server.isLeader());
  const bundle = caBundleOf(double);
  assert.equal(bundle.length, 2, 'previous CA + new CA');
  assert.equal(fingerprint(bundle[0] ?? ''), fingerprint(previousCa.certPem), 'the previous CA comes first');
  const secret = secretOf(double);
  assert.ok(secret !== undefined);
  assert.deepEqual(Object.keys(secret).sort(), ['ca.crt', 'ca.key', 'cert', 'key']);
  assert.equal(fingerprint(bundle[1] ?? ''), fingerprint(secret['ca.crt'] ?? ''));
  const served = await servedCertificate(server.url);
  assert.equal(served.fingerprint256, fingerprint(secret['cert'] ?? ''));
  assert.equal(served.subject, 'CN=Agent Inject Service');
  assert.match(served.subjectAltName ?? '', /DNS:vault-agent-injector-svc\.vault\.svc/);
  assert.equal(served.publicKey.asymmetricKeyDetails?.namedCurve, 'prime256v1', 'ECDSA P-256');
  // The API server verifies with the bundle: so do we.
  const answer = await postReview(server.url, bundle.join(''), fixture('review-v1-job-pod.json'));
  assert.equal(answer.status, 200);
  // Another round changes nothing: no write when the bundle already holds the CA (vault-k8s GH-336).
  const writesBefore = writes.length;
  await new Promise((resolve) => setTimeout(resolve, 600));
  assert.equal(writes.length, writesBefore, writes.join(','));
  // Someone resets the caBundle (a Helm upgrade): the leader puts it back.
  seedWebhookConfiguration(double);
  await eventually('the caBundle is restored', () => caBundleOf(double).some((pem) => fingerprint(pem) === fingerprint(secret['ca.crt'] ?? '')));
});

test('auto TLS: the serving certificate is rotated before it expires, and the Secret follows', async (t) => {
  const double = await startKubernetesDouble();
  t.after(() => double.close());
  seedWebhookConfiguration(double);
  const writes: string[] = [];
  // Lifetime = 64 s + the 60 s backdate; replaced in its last half: due about 2 s after issue.
  const server = await startAuto(double, 'injector-0', writes, { autoTls: { checkIntervalMs: 200, servingValidityMs: 64_000, expiryWithin: 0.5 } });
  t.after(() => server.close());
  const first = await servedCertificate(server.url);
  await new Promise((resolve) => setTimeout(resolve, 1000));
  assert.equal((await servedCertificate(server.url)).serialNumber, first.serialNumber, 'not replaced before it is due');
  await eventually('a new serving certificate', async () => (await servedCertificate(server.url)).serialNumber !== first.serialNumber, 8000, 100);
  const second = await servedCertificate(server.url);
  assert.ok(Date.parse(first.validTo) > Date.now(), 'rotated while the old one was still valid');
  await eventually('the Secret holds the served certificate', () => fingerprint(secretOf(double)?.['cert'] ?? '') === second.fingerprint256 || fingerprint(secretOf(double)?.['cert'] ?? '') !== first.fingerprint256);
  assert.equal(caBundleOf(double).length, 1, 'same CA: the bundle is unchanged');
  assert.ok(writes.filter((write) => write === 'update secret').length >= 1);
});

test('auto TLS with two replicas: only the leader writes; the follower serves the Secret; the follower takes over', async (t) => {
  const double = await startKubernetesDouble();
  t.after(() => double.close());
  seedWebhookConfiguration(double);
  const leaderWrites: string[] = [];
  const followerWrites: string[] = [];
  const leader = await startAuto(double, 'injector-0', leaderWrites);
  let leaderClosed = false;
  t.after(() => (leaderClosed ? undefined : leader.close()));
  const follower = await startAuto(double, 'injector-1', followerWrites);
  t.after(() => follower.close());

  await eventually('the first replica leads', () => leader.isLeader());
  assert.equal(follower.isLeader(), false);
  const secret = secretOf(double);
  assert.equal((await servedCertificate(follower.url)).fingerprint256, fingerprint(secret?.['cert'] ?? ''), 'the follower serves the shared certificate');
  await new Promise((resolve) => setTimeout(resolve, 600));
  assert.deepEqual(followerWrites, [], 'the follower never writes');
  assert.ok(leaderWrites.includes('patch caBundle') && leaderWrites.includes('create secret'), leaderWrites.join(','));
  assert.equal(caBundleOf(double).length, 1);
  const lease = double.get('leases', 'vault-injector-leader', NAMESPACE);
  assert.equal((lease?.['spec'] as Record<string, unknown>)['holderIdentity'], 'injector-0');

  // The leader stops (releasing the Lease): the follower leads and keeps the same CA.
  await leader.close();
  leaderClosed = true;
  await eventually('the follower becomes the leader', () => follower.isLeader(), 5000);
  assert.equal((double.get('leases', 'vault-injector-leader', NAMESPACE)?.['spec'] as Record<string, unknown>)['holderIdentity'], 'injector-1');
  await new Promise((resolve) => setTimeout(resolve, 400));
  assert.equal(fingerprint(secretOf(double)?.['ca.crt'] ?? ''), fingerprint(secret?.['ca.crt'] ?? ''), 'the new leader keeps the CA');
  assert.equal(caBundleOf(double).length, 1, 'no CA change, no bundle change');
});

test('auto TLS: a CA change publishes [previous CA, new CA] before serving a certificate of the new CA', async (t) => {
  const double = await startKubernetesDouble();
  t.after(() => double.close());
  seedWebhookConfiguration(double);
  const writes: string[] = [];
  // The CA lives 60 s (+ 60 s backdate) and is replaced in its last 48%: a CA change about 2.4 s in.
  const server = await startAuto(double, 'injector-0', writes, { autoTls: { checkIntervalMs: 200, caValidityMs: 60_000, servingValidityMs: 3_600_000, expiryWithin: 0.48 } });
  t.after(() => server.close());
  const firstCa = secretOf(double)?.['ca.crt'] ?? '';
  await new Promise((resolve) => setTimeout(resolve, 1000));
  assert.equal(fingerprint(secretOf(double)?.['ca.crt'] ?? ''), fingerprint(firstCa), 'the CA is not replaced before it is due');
  await eventually('a new CA', () => fingerprint(secretOf(double)?.['ca.crt'] ?? firstCa) !== fingerprint(firstCa), 8000, 100);
  const bundle = caBundleOf(double).map(fingerprint);
  const newCa = secretOf(double)?.['ca.crt'] ?? '';
  assert.ok(bundle.includes(fingerprint(firstCa)), 'the previous CA is kept in the bundle');
  assert.ok(bundle.includes(fingerprint(newCa)), 'the new CA is in the bundle');
  const patchIndex = double.requests.findLastIndex((request) => request.method === 'PATCH');
  const secretIndex = double.requests.findLastIndex((request) => request.method === 'PUT' && request.path.includes('/secrets/'));
  assert.ok(patchIndex < secretIndex, 'the bundle is published before the Secret carries the new CA');
  await eventually('the server serves a certificate of the new CA', async () => (await servedCertificate(server.url)).verify(new X509Certificate(newCa).publicKey));
});

test('auto TLS: the webhook configuration missing is reported, the server still serves', async (t) => {
  const double = await startKubernetesDouble();
  t.after(() => double.close());
  const logs = captureLogs();
  const server = await startServer(autoSettings(), {
    logger: logs.logger, handleSignals: false, identity: 'injector-0', kubeApi: createKubeApi(double.kubeConfig()), leaderTimings: LEADER_TIMINGS, autoTls: { checkIntervalMs: 200 },
  });
  t.after(() => server.close());
  assert.ok(logs.lines().some((line) => line['errorCode'] === 'VI_TLS_AUTO' && /MutatingWebhookConfiguration vault-agent-injector-cfg \(tls-auto\) was not found/.test(String(line['msg']))));
  assert.equal((await postReview(server.url, secretOf(double)?.['ca.crt'], fixture('review-v1-job-pod.json'))).status, 200);
  assert.ok(!logs.text().includes('PRIVATE KEY'), 'no key material in the logs');
});

test('certificate files with -tls-auto and -tls-ca-cert-file: the leader puts that CA in the caBundle (vault-k8s GH-679)', async (t) => {
  const directory = await mkdtemp(join(tmpdir(), 'vi-tls-'));
  t.after(() => rm(directory, { recursive: true, force: true }));
  const double = await startKubernetesDouble();
  t.after(() => double.close());
  seedWebhookConfiguration(double);
  const ca = await generateCa({ nowMs: Date.now() });
  const serving = await generateServing({ ca, hosts: ['127.0.0.1'], nowMs: Date.now() });
  await writeFile(join(directory, 'tls.crt'), serving.certPem);
  await writeFile(join(directory, 'tls.key'), serving.keyPem);
  await writeFile(join(directory, 'ca.crt'), ca.certPem);
  const server = await startServer(settingsFor(['-tls-auto', WEBHOOK, '-tls-auto-hosts', '127.0.0.1', '-tls-cert-file', join(directory, 'tls.crt'), '-tls-key-file', join(directory, 'tls.key'), '-tls-ca-cert-file', join(directory, 'ca.crt')], { NAMESPACE }), {
    logger: captureLogs().logger, handleSignals: false, identity: 'injector-0', kubeApi: createKubeApi(double.kubeConfig()), leaderTimings: LEADER_TIMINGS, autoTls: { checkIntervalMs: 200 },
  });
  t.after(() => server.close());
  await eventually('the CA file is in the caBundle', () => caBundleOf(double).some((pem) => fingerprint(pem) === fingerprint(ca.certPem)));
  assert.equal(double.get('secrets', 'vault-injector-certs', NAMESPACE), undefined, 'no generated Secret with certificate files');
  assert.equal((await postReview(server.url, caBundleOf(double).join(''), fixture('review-v1-job-pod.json'))).status, 200);
});

test('a follower does not listen before the Secret holds a certificate, then serves exactly that one', async (t) => {
  const double = await startKubernetesDouble();
  t.after(() => double.close());
  seedWebhookConfiguration(double);
  // Another replica holds the Lease (8 s): this one stays a follower for the whole test.
  const now = new Date();
  const micro = (date: Date): string => date.toISOString().replace('Z', '000Z');
  double.put('leases', { metadata: { name: 'vault-injector-leader', namespace: NAMESPACE }, spec: { holderIdentity: 'injector-9', leaseDurationSeconds: 8, acquireTime: micro(now), renewTime: micro(now), leaseTransitions: 0 } });
  const writes: string[] = [];
  let started: RunningServer | undefined;
  const starting = startAuto(double, 'injector-1', writes).then((server) => { started = server; return server; });
  t.after(async () => (await starting).close());
  await new Promise((resolve) => setTimeout(resolve, 800));
  assert.equal(started, undefined, 'not listening without a certificate');

  const ca = await generateCa({ nowMs: Date.now() });
  const serving = await generateServing({ ca, hosts: ['127.0.0.1'], nowMs: Date.now() });
  const encode = (text: string): string => Buffer.from(text).toString('base64');
  double.put('secrets', { metadata: { name: 'vault-injector-certs', namespace: NAMESPACE }, data: { cert: encode(serving.certPem), key: encode(serving.keyPem), 'ca.crt': encode(ca.certPem), 'ca.key': encode(ca.keyPem) } });
  const server = await starting;
  assert.equal((await servedCertificate(server.url)).fingerprint256, fingerprint(serving.certPem));
  assert.equal(server.isLeader(), false);
  assert.deepEqual(writes, [], 'a follower writes nothing');
  assert.equal(caBundleOf(double).length, 0, 'and never touches the caBundle');
});
