/**
 * The real server over real HTTPS (HTTP/1.1 and HTTP/2) with the AdmissionReview fixtures as the
 * API server sends them; the returned patch applied to the request pod must be a valid Pod.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import diagnosticsChannel from 'node:diagnostics_channel';
import type { Socket } from 'node:net';
import fastJsonPatch from 'fast-json-patch';
import type { Operation } from 'fast-json-patch';
import { Pod } from 'kubernetes-models/v1';
import { startServer } from '../../../src/server/main.ts';
import type { RunningServer } from '../../../src/server/main.ts';
import { captureLogs, fixture, postReview, request1, request2, settingsFor } from './helpers.ts';

let server: RunningServer;
let ca: string | undefined;
const logs = captureLogs('info');

before(async () => {
  server = await startServer(settingsFor(), { logger: logs.logger, handleSignals: false });
  ca = server.caPem();
});
after(() => server.close());

interface ReviewResponse {
  apiVersion: string;
  kind: string;
  response: { uid: string; allowed: boolean; patchType?: string; patch?: string; status?: { code: number; message: string } };
}

const mutationCases = [
  { file: 'review-v1-deployment-pod.json', protocol: 1 as const, expectPatch: true },
  { file: 'review-v1-deployment-pod.json', protocol: 2 as const, expectPatch: true },
  { file: 'review-v1-job-pod.json', protocol: 1 as const, expectPatch: true },
  { file: 'review-v1-job-pod.json', protocol: 2 as const, expectPatch: true },
  { file: 'review-v1beta1-plain-pod.json', protocol: 1 as const, expectPatch: false },
  { file: 'review-v1beta1-plain-pod.json', protocol: 2 as const, expectPatch: false },
];

for (const { file, protocol, expectPatch } of mutationCases) {
  test(`${file} over HTTP/${protocol}: answered in the request's version with its uid${expectPatch ? '; the patched pod is a valid Pod' : ', untouched'}`, async () => {
    const review = JSON.parse(fixture(file)) as { apiVersion: string; request: { uid: string; object: Record<string, unknown> } };
    const answer = await postReview(server.url, ca, JSON.stringify(review), protocol);
    assert.equal(answer.protocol, protocol === 2 ? 'h2' : 'http/1.1');
    assert.equal(answer.status, 200, answer.text);
    const body = answer.json() as ReviewResponse;
    assert.equal(body.apiVersion, review.apiVersion);
    assert.equal(body.kind, 'AdmissionReview');
    assert.equal(body.response.uid, review.request.uid);
    assert.equal(body.response.allowed, true, body.response.status?.message);
    if (!expectPatch) {
      assert.equal(body.response.patch, undefined);
      return;
    }
    assert.equal(body.response.patchType, 'JSONPatch');
    const operations = JSON.parse(Buffer.from(body.response.patch ?? '', 'base64').toString('utf8')) as Operation[];
    assert.ok(operations.length > 0);
    const pod = fastJsonPatch.applyPatch(structuredClone(review.request.object), operations, true, false).newDocument as Record<string, unknown>;
    // kubernetes-models carries the Pod OpenAPI schema; validate() throws on any violation.
    assert.doesNotThrow(() => new Pod(pod as ConstructorParameters<typeof Pod>[0]).validate());
    const metadata = pod['metadata'] as { annotations: Record<string, string> };
    assert.equal(metadata.annotations['vault.hashicorp.com/agent-inject-status'], 'injected');
  });
}

test('a denied pod is allowed: false with a 403 status and a message naming the annotation', async () => {
  const review = JSON.parse(fixture('review-v1-deployment-pod.json')) as { request: { uid: string; object: { metadata: { annotations: Record<string, string> } } } };
  review.request.object.metadata.annotations['vault.hashicorp.com/agent-inject-template-db-creds'] = '{{ with secret "x" }}{{ .Data }';
  const answer = await postReview(server.url, ca, JSON.stringify(review));
  assert.equal(answer.status, 200);
  const body = answer.json() as ReviewResponse;
  assert.equal(body.response.allowed, false);
  assert.equal(body.response.status?.code, 403);
  assert.match(body.response.status?.message ?? '', /agent-inject-template-db-creds/);
});

const badBodies: Array<{ name: string; headers: Record<string, string>; body: string | Buffer | undefined; status: number; message: RegExp }> = [
  { name: 'wrong content type', headers: { 'content-type': 'text/plain' }, body: fixture('review-v1-job-pod.json'), status: 400, message: /content-type/i },
  { name: 'no content type', headers: {}, body: fixture('review-v1-job-pod.json'), status: 400, message: /content-type/i },
  { name: 'empty body', headers: { 'content-type': 'application/json' }, body: '', status: 400, message: /empty/i },
  { name: 'no body at all', headers: {}, body: undefined, status: 400, message: /empty|content-type/i },
  { name: 'malformed JSON', headers: { 'content-type': 'application/json' }, body: '{"kind": "AdmissionReview",', status: 400, message: /JSON/ },
  { name: 'JSON array', headers: { 'content-type': 'application/json' }, body: '[]', status: 400, message: /AdmissionReview/ },
  { name: 'JSON string', headers: { 'content-type': 'application/json' }, body: '"AdmissionReview"', status: 400, message: /AdmissionReview/ },
  { name: 'JSON null', headers: { 'content-type': 'application/json' }, body: 'null', status: 400, message: /AdmissionReview/ },
  { name: 'another kind', headers: { 'content-type': 'application/json' }, body: '{"kind":"Pod","apiVersion":"v1"}', status: 400, message: /AdmissionReview/ },
  { name: 'AdmissionReview without request', headers: { 'content-type': 'application/json' }, body: '{"kind":"AdmissionReview","apiVersion":"admission.k8s.io/v1"}', status: 400, message: /request/ },
  { name: 'prototype pollution attempt', headers: { 'content-type': 'application/json' }, body: '{"__proto__":{"x":1},"kind":"AdmissionReview"}', status: 400, message: /./ },
  { name: 'body above the 4 MiB limit', headers: { 'content-type': 'application/json' }, body: Buffer.alloc(4 * 1024 * 1024 + 10, 0x20), status: 413, message: /too large/ },
];

for (const { name, headers, body, status, message } of badBodies) {
  for (const protocol of [1, 2] as const) {
    test(`bad request over HTTP/${protocol}: ${name} → ${status} with a message, never a 500`, async () => {
      const send = protocol === 2 ? request2 : request1;
      const options = { method: 'POST', path: '/mutate', ca, headers, ...(body !== undefined ? { body: body as string } : {}) };
      const answer = await send(server.url, options);
      assert.equal(answer.status, status, answer.text);
      const error = (answer.json() as { error: { code: string; message: string } }).error;
      assert.equal(error.code, 'VI_REVIEW_INVALID');
      assert.match(error.message, message);
    });
  }
}

test('after every bad body the server still answers admissions', async () => {
  const answer = await postReview(server.url, ca, fixture('review-v1-job-pod.json'));
  assert.equal(answer.status, 200);
});

test('the API server\'s ?timeout= query on /mutate is accepted', async () => {
  const answer = await request1(server.url, { method: 'POST', path: '/mutate?timeout=10s', ca, headers: { 'content-type': 'application/json' }, body: fixture('review-v1-job-pod.json') });
  assert.equal(answer.status, 200);
  assert.equal((answer.json() as ReviewResponse).response.allowed, true);
});

test('admission calls no address: not Vault, not one taken from the pod', async () => {
  // Every client socket this process opens is reported here; the only ones allowed are ours to the server.
  const destinations: string[] = [];
  const onSocket = (message: unknown): void => {
    const socket = (message as { socket: Socket }).socket;
    socket.once('connect', () => destinations.push(`${socket.remoteAddress}:${socket.remotePort}`));
    socket.once('error', () => destinations.push('failed connection attempt'));
  };
  diagnosticsChannel.subscribe('net.client.socket', onSocket);
  try {
    const review = JSON.parse(fixture('review-v1-deployment-pod.json')) as { request: { object: { metadata: { annotations: Record<string, string> } } } };
    Object.assign(review.request.object.metadata.annotations, {
      'vault.hashicorp.com/service': 'https://127.0.0.1:9',
      'vault.hashicorp.com/tls-server-name': 'vault.internal',
      'vault.hashicorp.com/agent-inject-secret-remote': 'secret/data/team-a/remote',
    });
    const answer = await postReview(server.url, ca, JSON.stringify(review));
    assert.equal(answer.status, 200);
    await postReview(server.url, ca, fixture('review-v1-job-pod.json'), 2);
    await new Promise((resolve) => setTimeout(resolve, 200));
  } finally {
    diagnosticsChannel.unsubscribe('net.client.socket', onSocket);
  }
  const serverPort = new URL(server.url).port;
  assert.ok(destinations.length >= 2, 'the test client\'s own connections are seen');
  assert.deepEqual(destinations.filter((destination) => !destination.endsWith(`:${serverPort}`)), []);
});

test('unknown routes are 404 with a message naming the routes served', async () => {
  const answer = await request1(server.url, { path: '/nope', ca });
  assert.equal(answer.status, 404);
  assert.match((answer.json() as { error: { message: string } }).error.message, /POST \/mutate/);
});

test('one log line per admission with uid, namespace, pod, decision and duration', () => {
  const admissions = logs.lines().filter((line) => line['msg'] === 'admission');
  const deployment = admissions.find((line) => line['uid'] === '3c8a4b2e-9f1d-4e6a-b7c5-2d1e0f9a8b7c' && line['decision'] === 'injected');
  assert.ok(deployment !== undefined, 'a line for the deployment pod');
  assert.equal(deployment['namespace'], 'team-a');
  assert.match(String(deployment['pod']), /^web-7d9f8b6c5d-/, 'generateName when the pod has no name yet');
  assert.equal(typeof deployment['durationMs'], 'number');
  assert.equal(deployment['status'], 200);
  const invalid = admissions.filter((line) => line['decision'] === 'invalid');
  assert.ok(invalid.length >= badBodies.length, 'bad bodies are logged too');
  assert.ok(invalid.every((line) => line['errorCode'] === 'VI_REVIEW_INVALID'));
});
