/** Readiness, metrics, TLS versions and protocol negotiation of the real server. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import tls from 'node:tls';
import { startServer } from '../../../src/server/main.ts';
import { captureLogs, fixture, postReview, request1, request2, settingsFor } from './helpers.ts';

function metricValue(text: string, name: string, labels = ''): number | undefined {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${name}${labels} `) || (labels === '' && candidate.startsWith(`${name} `)));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

test('readiness is 200 over HTTP/1.1 and HTTP/2 once the certificate is served; after close nothing listens', async () => {
  const server = await startServer(settingsFor(), { logger: captureLogs().logger, handleSignals: false });
  const ca = server.caPem();
  const ready = await request1(server.url, { path: '/health/ready', ca });
  assert.equal(ready.status, 200);
  assert.deepEqual(ready.json(), { status: 'ready' });
  const overH2 = await request2(server.url, { path: '/health/ready', ca });
  assert.equal(overH2.status, 200);
  await server.close();
  await assert.rejects(request1(server.url, { path: '/health/ready', ca }), /ECONNREFUSED/);
});

test('metrics: vault-k8s names, queue length, duration histogram, injections and failures by namespace', async () => {
  const server = await startServer(settingsFor(), { logger: captureLogs().logger, handleSignals: false });
  try {
    const ca = server.caPem();
    await postReview(server.url, ca, fixture('review-v1-deployment-pod.json'));
    await postReview(server.url, ca, fixture('review-v1-job-pod.json'));
    await postReview(server.url, ca, fixture('review-v1beta1-plain-pod.json'));
    const denied = JSON.parse(fixture('review-v1-job-pod.json')) as { request: { namespace: string; object: { metadata: { annotations: Record<string, string> } } } };
    denied.request.object.metadata.annotations['vault.hashicorp.com/agent-pre-populate-only'] = 'maybe';
    await postReview(server.url, ca, JSON.stringify(denied));
    await request1(server.url, { method: 'POST', path: '/mutate', ca, headers: { 'content-type': 'application/json' }, body: '{' });

    const metrics = await request1(server.url, { path: '/metrics', ca });
    assert.equal(metrics.status, 200);
    assert.match(String(metrics.headers['content-type']), /^text\/plain; version=0\.0\.4/);
    const text = metrics.text;
    assert.match(text, /# TYPE vault_agent_injector_request_queue_length gauge/);
    assert.equal(metricValue(text, 'vault_agent_injector_request_queue_length'), 0, 'nothing in flight once answered');
    assert.match(text, /# TYPE vault_agent_injector_request_processing_duration_ms histogram/);
    assert.equal(metricValue(text, 'vault_agent_injector_request_processing_duration_ms_count'), 5);
    assert.equal(metricValue(text, 'vault_agent_injector_request_processing_duration_ms_bucket', '{le="10000"}'), 5);
    for (const bucket of [5, 10, 25, 50, 75, 100, 250, 500, 1000, 2500, 5000, 7500, 10000]) {
      assert.ok(text.includes(`vault_agent_injector_request_processing_duration_ms_bucket{le="${bucket}"}`), `bucket ${bucket}`);
    }
    const deploymentNamespace = (JSON.parse(fixture('review-v1-deployment-pod.json')) as { request: { namespace: string } }).request.namespace;
    const injected = text.split('\n').filter((line) => line.startsWith('vault_agent_injector_injections_by_namespace_total{'));
    assert.ok(injected.some((line) => line.includes(`namespace="${deploymentNamespace}"`) && line.includes('injection_type="init_and_sidecar"') && line.endsWith(' 1')), injected.join('\n'));
    const totalInjected = injected.reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
    assert.equal(totalInjected, 2, 'the plain pod passes through and is not counted (GH-716)');
    const failed = text.split('\n').filter((line) => line.startsWith('vault_agent_injector_failed_injections_by_namespace_total{'));
    const jobNamespace = denied.request.namespace;
    assert.ok(failed.some((line) => line.includes(`namespace="${jobNamespace}"`) && line.endsWith(' 1')), failed.join('\n'));
    assert.ok(failed.some((line) => line.includes('namespace=""') && line.endsWith(' 1')), 'an unreadable body has no namespace');
  } finally {
    await server.close();
  }
});

test('TLS: 1.1 is refused, 1.2 and 1.3 accepted; -tls-min-version tls13 refuses 1.2', async () => {
  const connect = (url: string, version: tls.SecureVersion): Promise<string> => new Promise((resolve, reject) => {
    const { hostname, port } = new URL(url);
    const socket = tls.connect({ host: hostname, port: Number(port), rejectUnauthorized: false, minVersion: version, maxVersion: version }, () => {
      const protocol = socket.getProtocol() ?? '';
      socket.end();
      resolve(protocol);
    });
    socket.on('error', reject);
  });
  const server = await startServer(settingsFor(), { logger: captureLogs().logger, handleSignals: false });
  const strict = await startServer(settingsFor(['-tls-min-version', 'tls13']), { logger: captureLogs().logger, handleSignals: false });
  try {
    await assert.rejects(connect(server.url, 'TLSv1.1'));
    assert.equal(await connect(server.url, 'TLSv1.2'), 'TLSv1.2');
    assert.equal(await connect(server.url, 'TLSv1.3'), 'TLSv1.3');
    await assert.rejects(connect(strict.url, 'TLSv1.2'));
    assert.equal(await connect(strict.url, 'TLSv1.3'), 'TLSv1.3');
  } finally {
    await server.close();
    await strict.close();
  }
});

test('ALPN offers h2 and http/1.1; the generated certificate verifies against the CA for localhost and 127.0.0.1', async () => {
  const server = await startServer(settingsFor(), { logger: captureLogs().logger, handleSignals: false });
  try {
    const { port } = new URL(server.url);
    const negotiate = (protocols: string[], servername: string): Promise<string> => new Promise((resolve, reject) => {
      const socket = tls.connect({ host: '127.0.0.1', port: Number(port), servername, ca: server.caPem(), ALPNProtocols: protocols }, () => {
        const chosen = socket.alpnProtocol;
        socket.end();
        resolve(typeof chosen === 'string' ? chosen : '');
      });
      socket.on('error', reject);
    });
    assert.equal(await negotiate(['h2', 'http/1.1'], 'localhost'), 'h2');
    assert.equal(await negotiate(['http/1.1'], 'localhost'), 'http/1.1');
  } finally {
    await server.close();
  }
});

test('a listen address that does not parse stops the start with a message', async () => {
  await assert.rejects(startServer({ ...settingsFor(), listen: 'localhost' }, { logger: captureLogs().logger, handleSignals: false }), /listen address "localhost" is not HOST:PORT or :PORT/);
});

test('a port already in use stops the start with a message naming -listen', async () => {
  const first = await startServer(settingsFor(), { logger: captureLogs().logger, handleSignals: false });
  try {
    const port = new URL(first.url).port;
    await assert.rejects(startServer({ ...settingsFor(), listen: `127.0.0.1:${port}` }, { logger: captureLogs().logger, handleSignals: false }), new RegExp(`cannot listen on 127\\.0\\.0\\.1:${port} \\(-listen\\): EADDRINUSE`));
  } finally {
    await first.close();
  }
});

test('AGENT_INJECT_TELEMETRY_PATH (vault-k8s\'s -telemetry-path) serves the metrics at that path too', async () => {
  const server = await startServer(settingsFor([], { AGENT_INJECT_TELEMETRY_PATH: '/vault/metrics' }), { logger: captureLogs().logger, handleSignals: false });
  try {
    const ca = server.caPem();
    const second = await request1(server.url, { path: '/vault/metrics', ca });
    assert.equal(second.status, 200);
    assert.match(second.text, /# TYPE vault_agent_injector_request_queue_length gauge/);
    assert.equal((await request1(server.url, { path: '/metrics', ca })).status, 200);
    assert.equal((await request1(server.url, { path: '/other/metrics', ca })).status, 404);
  } finally {
    await server.close();
  }
});
