// Hostile admission input (issue 7): 10,000 seeded bodies (malformed JSON, wrong kinds, huge
// annotations, deep nesting, invalid UTF-8, __proto__/constructor/prototype keys, path traversal,
// template bombs, weird values, randomly mutated reviews) through the pure pipeline, and a sample
// of them over real HTTPS. Each answer is a valid AdmissionReview or a 400; nothing throws, no 500,
// no prototype is polluted, and time per request and live heap stay bounded.
// Replay a failure: hostileCase(SEED, index) from ./generate.ts.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import https from 'node:https';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Writable } from 'node:stream';
import { handleAdmissionReview } from '../../src/admission/review.ts';
import { loadSettings } from '../../src/settings.ts';
import { startServer, type RunningServer } from '../../src/server/main.ts';
import { createLogger } from '../../src/logger.ts';
import { generateHostile, HOSTILE_CATEGORIES, hostileCase, type Scale } from './generate.ts';
import { checkHostileAnswer, prototypeSnapshot } from './check.ts';

const SEED = Number(process.env['HOSTILE_SEED'] ?? 20261123);
const COUNT = Number(process.env['HOSTILE_COUNT'] ?? 10_000);
/** 'long' (admission.long.ts): full-size bodies (1 MB annotations, 100,000-deep nesting). */
const SCALE: Scale = process.env['HOSTILE_SCALE'] === 'long' ? 'long' : 'short';
const HTTPS_EVERY = 40;
/** A hang detector, not a performance assertion: the slowest single request must finish within it. */
const MAX_REQUEST_MS = 10_000;
const HEAP_GROWTH_BOUND = 64 * 1024 * 1024;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const liveHeap = (): number => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};

const loaded = loadSettings(['-listen', '127.0.0.1:0', '-vault-address', 'https://vault.vault.svc:8200'], {});
if (!loaded.ok) throw new Error(loaded.problems.join('; '));
const settings = loaded.settings;

let logText = '';
let server: RunningServer;
before(async () => {
  const destination = new Writable({ write(chunk: Buffer, _encoding, callback) { logText += chunk.toString(); callback(); } });
  server = await startServer(settings, { logger: createLogger({ level: 'info', format: 'json', name: 'handler', destination }), handleSignals: false });
});
after(() => server.close());

test(`hostile: ${COUNT} seeded ${SCALE} bodies (seed ${SEED}) through handleAdmissionReview: valid review or 400, no throw, bounded`, () => {
  const pristine = prototypeSnapshot();
  const heapBefore = liveHeap();
  const failures: string[] = [];
  const perCategory: Record<string, { tried: number; ok200: number; bad400: number; maxMs: number }> = {};
  let slowest = { ms: 0, index: -1, category: '' };
  for (const hostile of generateHostile(SEED, COUNT, SCALE)) {
    const stats = (perCategory[hostile.category] ??= { tried: 0, ok200: 0, bad400: 0, maxMs: 0 });
    stats.tried += 1;
    const startedAt = performance.now();
    let problem: string | undefined;
    try {
      const outcome = handleAdmissionReview(hostile.body, settings);
      problem = checkHostileAnswer({ status: outcome.httpStatus, body: outcome.body }, hostile.uid);
      if (outcome.httpStatus === 200) stats.ok200 += 1;
      else stats.bad400 += 1;
    } catch (error) {
      problem = `threw ${error instanceof Error ? `${error.name}: ${error.message.slice(0, 200)}` : String(error)}`;
    }
    const ms = performance.now() - startedAt;
    stats.maxMs = Math.max(stats.maxMs, ms);
    if (ms > slowest.ms) slowest = { ms, index: hostile.index, category: hostile.category };
    if (problem === undefined && prototypeSnapshot() !== pristine) problem = 'a prototype was modified';
    if (problem !== undefined && failures.length < 15) failures.push(`#${hostile.index} ${hostile.category}: ${problem}`);
    if (problem === 'a prototype was modified') break;
  }
  const growth = liveHeap() - heapBefore;
  console.log(`HOSTILE-PURE ${JSON.stringify({ seed: SEED, count: COUNT, scale: SCALE, slowest: { ...slowest, ms: +slowest.ms.toFixed(1) }, heapGrowthMiB: +(growth / 2 ** 20).toFixed(1), perCategory })}`);
  assert.deepEqual(failures, []);
  assert.deepEqual(Object.keys(perCategory).sort(), [...HOSTILE_CATEGORIES].sort(), 'every category was tried');
  for (const [category, stats] of Object.entries(perCategory)) assert.ok(stats.tried >= COUNT / HOSTILE_CATEGORIES.length - 1, category);
  assert.ok(slowest.ms < MAX_REQUEST_MS, `case #${slowest.index} (${slowest.category}) took ${slowest.ms.toFixed(0)} ms`);
  assert.ok(growth < HEAP_GROWTH_BOUND, `live heap grew ${(growth / 2 ** 20).toFixed(1)} MiB`);
});

function post(body: Buffer): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const outgoing = https.request(`${server.url}/mutate`, { method: 'POST', ca: server.caPem(), agent: false, headers: { 'content-type': 'application/json', 'content-length': String(body.length) } }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
    });
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

test(`hostile over HTTPS: every ${HTTPS_EVERY}th body (${Math.ceil(COUNT / HTTPS_EVERY)}) to the real server: 200 review or 400, server alive after`, async () => {
  const failures: string[] = [];
  const statuses: Record<number, number> = {};
  const pristine = prototypeSnapshot();
  // Eight at a time: the same bodies, but with the server's parser and error handling in the path.
  const indexes = Array.from({ length: Math.ceil(COUNT / HTTPS_EVERY) }, (_, i) => i * HTTPS_EVERY + (i % HTTPS_EVERY));
  for (let start = 0; start < indexes.length; start += 8) {
    await Promise.all(indexes.slice(start, start + 8).map(async (index) => {
      const hostile = hostileCase(SEED, index, SCALE);
      const answer = await post(hostile.body).catch((error: Error) => ({ status: -1, text: error.message }));
      statuses[answer.status] = (statuses[answer.status] ?? 0) + 1;
      let body: unknown;
      try {
        body = JSON.parse(answer.text);
      } catch {
        body = answer.text;
      }
      const problem = checkHostileAnswer({ status: answer.status, body }, hostile.uid);
      if (problem !== undefined && failures.length < 15) failures.push(`#${index} ${hostile.category}: ${problem}`);
    }));
  }
  console.log(`HOSTILE-HTTPS ${JSON.stringify({ seed: SEED, sent: indexes.length, statuses })}`);
  assert.deepEqual(failures, []);
  assert.equal(prototypeSnapshot(), pristine);
  const healthy = await post(Buffer.from(JSON.stringify({
    apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview',
    request: { uid: 'after-hostile', kind: { group: '', version: 'v1', kind: 'Pod' }, namespace: 'team-a', operation: 'CREATE', object: { metadata: { name: 'p', annotations: { 'vault.hashicorp.com/agent-inject': 'true', 'vault.hashicorp.com/role': 'r', 'vault.hashicorp.com/agent-inject-secret-a': 'secret/data/a' } }, spec: { volumes: [{ name: 'sa', projected: { sources: [{ serviceAccountToken: { path: 'token' } }] } }], containers: [{ name: 'a', image: 'a', volumeMounts: [{ name: 'sa', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' }] }] } } },
  })));
  assert.equal(healthy.status, 200);
  const healthyResponse = (JSON.parse(healthy.text) as { response: { allowed: boolean; patch?: string } }).response;
  assert.equal(healthyResponse.allowed, true, healthy.text);
  assert.equal(typeof healthyResponse.patch, 'string', 'the server still injects');
  assert.doesNotMatch(logText, /"level":60/, 'no fatal log line');
  assert.doesNotMatch(logText, /TypeError|RangeError|Maximum call stack/, 'no exception text in the log');
});
