/**
 * Admission benchmark (`npm run -s bench:admission`; not a test): the real webhook beside a bare
 * fastify HTTPS echo of the same body, in the same run, on loopback, over keep-alive HTTP/1.1.
 *
 * 1. Concurrent load (autocannon, closed loop, CONNECTIONS connections): mean and p99 latency and
 *    throughput of each; target: webhook throughput ≥ 50% of the echo's. The webhook is measured
 *    twice: with one pod sent again and again (replicas of a Deployment, answered from its verdict
 *    cache after the first) and with every pod a new one (the cache never answers).
 * 2. A fixed rate of 1,000 requests/s (open loop, evenly paced; autocannon's own rate limit sends
 *    each second's quota in a burst, which is not a fixed rate) over HTTP/2 (how the API server
 *    calls webhooks) and over HTTP/1.1: p99; target ≤ 2 ms.
 *    Beside the client's latency, the webhook's own time per admission (the durationMs of its
 *    admission log lines: from reading the request to finishing the answer), which leaves out
 *    the network, the generator and the wait before the server reads the request.
 *
 * Each server runs in its own process so the load generator never shares its event loop; the
 * server's CPU time per request (from /proc) is reported too, since wall-clock figures on a shared
 * machine swing with whatever else runs. The fixed-rate generator runs in this process, so its own
 * GC pauses count as latency: `npm run bench:admission` starts it with a small young generation
 * (--max-semi-space-size=2), which keeps them short.
 * Every measurement is taken in BENCH_ROUNDS rounds (default 5) interleaved between the targets
 * (echo, webhook, echo, webhook, ...), so that a slow spell of a shared machine hits all alike.
 * Environment: BENCH_DURATION (seconds per measurement, default 10), BENCH_ROUNDS,
 * BENCH_CONNECTIONS (default 10), BENCH_RATE (default 1000). Prints a table and one JSON line.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import https from 'node:https';
import http2 from 'node:http2';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { WEBHOOK_NODE_FLAGS } from '../../src/runtime-flags.ts';
import { STDOUT_FLUSH_INTERVAL_MS } from '../../src/logger.ts';

interface AutocannonResult {
  latency: { mean: number; p50: number; p99: number; max: number };
  requests: { average: number; total: number };
  throughput: { average: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}
type Autocannon = (options: Record<string, unknown>) => Promise<AutocannonResult>;
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

const DURATION_S = Number(process.env['BENCH_DURATION'] ?? 10);
/** Each measurement is split into this many rounds, interleaved between the targets. */
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 5);
const CONNECTIONS = Number(process.env['BENCH_CONNECTIONS'] ?? 10);
const RATE = Number(process.env['BENCH_RATE'] ?? 1000);
const TARGET = fileURLToPath(new URL('./admission-target.ts', import.meta.url));
/** BENCH_FIXTURE=review-v1beta1-plain-pod.json measures the shell alone (a pod passed through untouched). */
const FIXTURE = process.env['BENCH_FIXTURE'] ?? 'review-v1-deployment-pod.json';
const REVIEW = readFileSync(new URL(`../fixtures/kubernetes/${FIXTURE}`, import.meta.url), 'utf8');
const EXPECT_PATCH = FIXTURE !== 'review-v1beta1-plain-pod.json';

interface Target {
  url: string;
  child: ChildProcess;
  /** The webhook's own durationMs (onRequest to onResponse) from the admission log lines since the last call. */
  loggedDurations(): number[];
  /** Forgets the log so far, unread. */
  dropLog(): void;
}

/** Both servers run with the webhook image's Node flags, so the reference gets the same runtime. */
async function startTarget(kind: 'webhook' | 'echo'): Promise<Target> {
  const child = spawn(process.execPath, [...WEBHOOK_NODE_FLAGS, '--import', 'tsx', TARGET, kind], { stdio: ['ignore', kind === 'webhook' ? 'pipe' : 'ignore', 'inherit', 'ipc'] });
  // The log is kept as text while the load runs and parsed only when asked, off the clock.
  let logged: Buffer[] = [];
  child.stdout?.on('data', (chunk: Buffer) => logged.push(chunk));
  const url = await new Promise<string>((resolve, reject) => {
    child.once('message', (message) => resolve((message as { url: string }).url));
    child.once('exit', (code) => reject(new Error(`the ${kind} target exited (code ${String(code)}) before listening`)));
  });
  const loggedDurations = (): number[] => {
    const text = Buffer.concat(logged).toString('utf8');
    logged = [];
    const durations: number[] = [];
    for (const line of text.split('\n')) {
      if (!line.includes('"msg":"admission"')) continue;
      const duration = (JSON.parse(line) as { durationMs?: unknown }).durationMs;
      if (typeof duration === 'number') durations.push(duration);
    }
    return durations;
  };
  return { url, child, loggedDurations, dropLog: () => { logged = []; } };
}

/** The webhook's log is written in batches (src/logger.ts): wait for a round's last lines. */
const logSettled = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, STDOUT_FLUSH_INTERVAL_MS + 150));

/** CPU seconds (user + system) the process has used, from /proc (Linux); undefined elsewhere. */
function cpuSeconds(pid: number | undefined): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[11] and [12] are utime and stime (fields 14 and 15 of stat(5)), in clock ticks (100/s).
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

/** Server CPU per request over a run: robust to a busy machine, unlike wall-clock throughput. */
async function measured<T extends { requests: number }>(pid: number | undefined, run: () => Promise<T>): Promise<T & { cpuMicrosPerRequest: number | undefined }> {
  const before = cpuSeconds(pid);
  const result = await run();
  const after = cpuSeconds(pid);
  const cpu = before !== undefined && after !== undefined && result.requests > 0 ? ((after - before) * 1e6) / result.requests : undefined;
  return { ...result, cpuMicrosPerRequest: cpu };
}

async function stopTarget(target: { child: ChildProcess }): Promise<void> {
  target.child.kill('SIGTERM');
  if (target.child.exitCode === null) await once(target.child, 'exit');
}

/** One request to check the answer is what we think we measure. */
function probe(url: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const outgoing = https.request(`${url}/mutate`, { method: 'POST', rejectUnauthorized: false, headers: { 'content-type': 'application/json' } }, (response) => {
      let text = '';
      response.on('data', (chunk: Buffer) => { text += chunk.toString(); });
      response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
    });
    outgoing.on('error', reject);
    outgoing.end(REVIEW);
  });
}

/**
 * The same review with a label that changes per request: every request then carries a pod the
 * webhook has not seen, so its verdict cache (src/admission/cache.ts) never answers. Replicas of one
 * Deployment send identical pods; this measures the other extreme, every pod a new one.
 */
const DISTINCT_MARK = 'bench-distinct-0000000000';
const DISTINCT_REVIEW = (() => {
  const review = JSON.parse(REVIEW) as { request: { object: { metadata: { labels?: Record<string, string> } } } };
  const metadata = review.request.object.metadata;
  metadata.labels = { ...metadata.labels, 'bench-distinct': DISTINCT_MARK };
  return JSON.stringify(review);
})();
let distinctSerial = 0;
const distinctBody = (): string => DISTINCT_REVIEW.replace(DISTINCT_MARK, `bench-distinct-${String(distinctSerial++).padStart(10, '0')}`);

async function concurrent(url: string, pods: 'same' | 'distinct', seconds: number): Promise<AutocannonResult> {
  return autocannon({
    url: `${url}/mutate`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    ...(pods === 'same' ? { body: REVIEW } : { requests: [{ setupRequest: (request: Record<string, unknown>) => ({ ...request, body: distinctBody() }) }] }),
    connections: CONNECTIONS,
    pipelining: 1,
    duration: seconds,
  });
}

function percentile(sorted: readonly number[], fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)] ?? Number.NaN;
}

interface Sender {
  /** `failure` names what went wrong (HTTP status or error code) when the request did not succeed. */
  send(onDone: (ok: boolean, failure?: string) => void): void;
  close(): void;
}

/** HTTP/1.1 over keep-alive TLS connections (a pool of up to 64). */
function http1Sender(url: string): Sender {
  const agent = new https.Agent({ keepAlive: true, maxSockets: 64, rejectUnauthorized: false });
  const body = Buffer.from(REVIEW);
  return {
    send(onDone) {
      const outgoing = https.request(`${url}/mutate`, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': String(body.length) } }, (response) => {
        response.on('data', () => undefined);
        response.on('end', () => onDone(response.statusCode === 200, `HTTP ${response.statusCode}`));
      });
      outgoing.on('error', (error: NodeJS.ErrnoException) => onDone(false, error.code ?? error.message));
      outgoing.end(body);
    },
    close: () => agent.destroy(),
  };
}

/** HTTP/2: one TLS connection, one stream per request, as the Kubernetes API server calls webhooks. */
function http2Sender(url: string): Sender {
  // A backlog of queued streams must not trip the client's own 10 MB session limit (the default).
  const session = http2.connect(url, { rejectUnauthorized: false, maxSessionMemory: 256 });
  session.on('error', () => undefined);
  const body = Buffer.from(REVIEW);
  return {
    send(onDone) {
      const stream = session.request({ ':method': 'POST', ':path': '/mutate', 'content-type': 'application/json', 'content-length': String(body.length) });
      let status = 0;
      stream.on('response', (headers) => { status = Number(headers[':status']); });
      stream.on('data', () => undefined);
      stream.on('end', () => onDone(status === 200, `HTTP ${status}`));
      stream.on('error', (error: NodeJS.ErrnoException) => onDone(false, error.code ?? error.message));
      stream.end(body);
    },
    close: () => session.close(),
  };
}

interface RateResult { protocol: string; sent: number; ok: number; failed: number; failures: Record<string, number>; meanMs: number; p50Ms: number; p99Ms: number; maxMs: number; achievedRate: number; latencies: number[]; elapsedS: number }

/** Open loop: request i is sent at start + i/rate whatever happened to the earlier ones. */
async function fixedRate(url: string, protocol: 'http/1.1' | 'h2', rate: number, seconds: number): Promise<RateResult> {
  const sender = protocol === 'h2' ? http2Sender(url) : http1Sender(url);
  const latencies: number[] = [];
  let failed = 0;
  const failures: Record<string, number> = {};
  let sent = 0;
  const total = rate * seconds;
  let outstanding = 0;
  let drained: (() => void) | undefined;
  const send = (): void => {
    const startedAt = performance.now();
    outstanding += 1;
    sender.send((ok, failure) => {
      if (ok) latencies.push(performance.now() - startedAt);
      else {
        failed += 1;
        failures[failure ?? 'unknown'] = (failures[failure ?? 'unknown'] ?? 0) + 1;
      }
      outstanding -= 1;
      if (outstanding === 0) drained?.();
    });
  };
  // Warm the connections up so their setup is not measured as admission latency.
  await Promise.all(Array.from({ length: 8 }, () => new Promise<void>((resolve) => sender.send(() => resolve()))));
  const begin = performance.now();
  await new Promise<void>((resolve) => {
    const tick = (): void => {
      const due = Math.min(total, Math.floor(((performance.now() - begin) / 1000) * rate));
      while (sent < due) {
        send();
        sent += 1;
      }
      if (sent >= total) resolve();
      // A 1 ms timer, not a setImmediate spin: the generator must not take a core from the server.
      else setTimeout(tick, 1);
    };
    tick();
  });
  if (outstanding > 0) await new Promise<void>((resolve) => { drained = resolve; });
  const elapsedS = (performance.now() - begin) / 1000;
  sender.close();
  const sorted = [...latencies].sort((a, b) => a - b);
  const mean = sorted.reduce((sum, value) => sum + value, 0) / Math.max(1, sorted.length);
  return { protocol, sent, ok: latencies.length, failed, failures, meanMs: mean, p50Ms: percentile(sorted, 0.5), p99Ms: percentile(sorted, 0.99), maxMs: sorted.at(-1) ?? Number.NaN, achievedRate: sent / elapsedS, latencies, elapsedS };
}

/** Rounds of one target pooled into one result: every latency counts once. */
function pooled(protocol: string, rounds: readonly RateResult[]): RateResult {
  const latencies = rounds.flatMap((result) => result.latencies);
  const sorted = [...latencies].sort((a, b) => a - b);
  const failures: Record<string, number> = {};
  for (const result of rounds) for (const [failure, count] of Object.entries(result.failures)) failures[failure] = (failures[failure] ?? 0) + count;
  const sent = rounds.reduce((sum, result) => sum + result.sent, 0);
  const elapsedS = rounds.reduce((sum, result) => sum + result.elapsedS, 0);
  return {
    protocol, sent, ok: latencies.length, failed: rounds.reduce((sum, result) => sum + result.failed, 0), failures,
    meanMs: sorted.reduce((sum, value) => sum + value, 0) / Math.max(1, sorted.length),
    p50Ms: percentile(sorted, 0.5), p99Ms: percentile(sorted, 0.99), maxMs: sorted.at(-1) ?? Number.NaN,
    achievedRate: sent / elapsedS, latencies, elapsedS,
  };
}

interface LoadResult { result: AutocannonResult; requests: number; cpuMicrosPerRequest: number | undefined }

/** Rounds of one closed-loop load pooled: throughput over all of them, p99 the rounds' median. */
function pooledLoad(rounds: readonly LoadResult[]): LoadResult {
  const requests = rounds.reduce((sum, round) => sum + round.requests, 0);
  const seconds = rounds.reduce((sum, round) => sum + round.result.requests.total / Math.max(1e-9, round.result.requests.average), 0);
  const p99s = rounds.map((round) => round.result.latency.p99).sort((a, b) => a - b);
  const cpu = rounds.every((round) => round.cpuMicrosPerRequest !== undefined)
    ? rounds.reduce((sum, round) => sum + (round.cpuMicrosPerRequest ?? 0) * round.requests, 0) / Math.max(1, requests) : undefined;
  const weighted = (pick: (result: AutocannonResult) => number): number => rounds.reduce((sum, round) => sum + pick(round.result) * round.requests, 0) / Math.max(1, requests);
  return {
    requests,
    cpuMicrosPerRequest: cpu,
    result: {
      latency: { mean: weighted((result) => result.latency.mean), p50: weighted((result) => result.latency.p50), p99: p99s[Math.floor(p99s.length / 2)] ?? Number.NaN, max: Math.max(...rounds.map((round) => round.result.latency.max)) },
      requests: { average: requests / seconds, total: requests },
      throughput: { average: weighted((result) => result.throughput.average) },
      non2xx: rounds.reduce((sum, round) => sum + round.result.non2xx, 0),
      errors: rounds.reduce((sum, round) => sum + round.result.errors, 0),
      timeouts: rounds.reduce((sum, round) => sum + round.result.timeouts, 0),
    },
  };
}

const round = (value: number, digits = 2): number => Math.round(value * 10 ** digits) / 10 ** digits;

async function main(): Promise<void> {
  console.log(`admission benchmark: ${DURATION_S}s per measurement in ${ROUNDS} interleaved rounds, ${CONNECTIONS} connections, fixed rate ${RATE}/s, body ${Buffer.byteLength(REVIEW)} bytes (${FIXTURE})`);
  const results: Record<string, unknown> = {};

  const echo = await startTarget('echo');
  const webhook = await startTarget('webhook');
  try {
    const webhookProbe = await probe(webhook.url);
    const patched = (JSON.parse(webhookProbe.text) as { response?: { allowed?: boolean; patch?: string } }).response;
    if (webhookProbe.status !== 200 || patched?.allowed !== true || (EXPECT_PATCH && patched.patch === undefined)) {
      throw new Error(`the webhook did not inject the benchmark pod (HTTP ${webhookProbe.status})`);
    }
    const echoProbe = await probe(echo.url);
    if (echoProbe.status !== 200) throw new Error(`the echo answered HTTP ${echoProbe.status}`);

    // Warm-up (JIT) for both, then the measured runs.
    await autocannon({ url: `${echo.url}/mutate`, method: 'POST', headers: { 'content-type': 'application/json' }, body: REVIEW, connections: CONNECTIONS, duration: 2 });
    await autocannon({ url: `${webhook.url}/mutate`, method: 'POST', headers: { 'content-type': 'application/json' }, body: REVIEW, connections: CONNECTIONS, duration: 2 });

    // Interleaved rounds, so that a slow spell of a shared machine hits every target alike.
    const roundSeconds = DURATION_S / ROUNDS;
    const load = (target: { url: string; child: ChildProcess }, pods: 'same' | 'distinct'): Promise<LoadResult> =>
      measured(target.child.pid, async () => { const result = await concurrent(target.url, pods, roundSeconds); return { result, requests: result.requests.total }; });
    const loadRounds: Record<'echo' | 'webhook' | 'distinct', LoadResult[]> = { echo: [], webhook: [], distinct: [] };
    for (let index = 0; index < ROUNDS; index++) {
      loadRounds.echo.push(await load(echo, 'same'));
      loadRounds.webhook.push(await load(webhook, 'same'));
      loadRounds.distinct.push(await load(webhook, 'distinct'));
      webhook.dropLog();
    }
    const echoMeasured = pooledLoad(loadRounds.echo);
    const webhookMeasured = pooledLoad(loadRounds.webhook);
    const distinctMeasured = pooledLoad(loadRounds.distinct);
    const echoLoad = echoMeasured.result;
    const webhookLoad = webhookMeasured.result;
    const distinctLoad = distinctMeasured.result;
    const rates: Array<{ target: 'echo' | 'webhook'; result: RateResult }> = [];
    // The webhook's own time per admission at the fixed rate, from its log: what the server spends
    // between reading a request and finishing its answer, without the network and the generator.
    const serverSide: Record<string, number[]> = {};
    for (const protocol of ['h2', 'http/1.1'] as const) {
      const rateRounds: Record<'echo' | 'webhook', RateResult[]> = { echo: [], webhook: [] };
      const durations: number[] = [];
      for (let index = 0; index < ROUNDS; index++) {
        rateRounds.echo.push(await fixedRate(echo.url, protocol, RATE, roundSeconds));
        await logSettled();
        webhook.dropLog();
        rateRounds.webhook.push(await fixedRate(webhook.url, protocol, RATE, roundSeconds));
        await logSettled();
        durations.push(...webhook.loggedDurations());
      }
      rates.push({ target: 'echo', result: pooled(protocol, rateRounds.echo) });
      rates.push({ target: 'webhook', result: pooled(protocol, rateRounds.webhook) });
      serverSide[protocol] = durations.sort((a, b) => a - b);
    }

    const summary = (result: AutocannonResult) => ({
      requestsPerSecond: round(result.requests.average, 0),
      meanMs: round(result.latency.mean),
      p99Ms: round(result.latency.p99),
      non2xx: result.non2xx,
      errors: result.errors + result.timeouts,
    });
    const cpuRatio = echoMeasured.cpuMicrosPerRequest !== undefined && webhookMeasured.cpuMicrosPerRequest !== undefined
      ? echoMeasured.cpuMicrosPerRequest / webhookMeasured.cpuMicrosPerRequest : undefined;
    results['concurrent'] = {
      echo: { ...summary(echoLoad), serverCpuMicrosPerRequest: round(echoMeasured.cpuMicrosPerRequest ?? Number.NaN, 0) },
      webhook: { ...summary(webhookLoad), serverCpuMicrosPerRequest: round(webhookMeasured.cpuMicrosPerRequest ?? Number.NaN, 0) },
      throughputRatio: round(webhookLoad.requests.average / echoLoad.requests.average, 3),
      cpuCostRatio: cpuRatio === undefined ? null : round(cpuRatio, 3),
      distinctPods: {
        ...summary(distinctLoad),
        serverCpuMicrosPerRequest: round(distinctMeasured.cpuMicrosPerRequest ?? Number.NaN, 0),
        throughputRatio: round(distinctLoad.requests.average / echoLoad.requests.average, 3),
      },
    };
    const rateSummary = (result: RateResult) => ({
      sent: result.sent, failed: result.failed, failures: result.failures, achievedRate: round(result.achievedRate, 0), meanMs: round(result.meanMs, 3), p50Ms: round(result.p50Ms, 3), p99Ms: round(result.p99Ms, 3), maxMs: round(result.maxMs, 3),
    });
    const serverSummary = (durations: readonly number[]) => ({ admissions: durations.length, p50Ms: round(percentile(durations, 0.5), 3), p99Ms: round(percentile(durations, 0.99), 3), maxMs: round(durations.at(-1) ?? Number.NaN, 3) });
    results['fixedRate'] = {
      rate: RATE,
      runs: rates.map(({ target, result }) => ({ target, protocol: result.protocol, ...rateSummary(result) })),
      webhookServerSide: Object.fromEntries(Object.entries(serverSide).map(([protocol, durations]) => [protocol, serverSummary(durations)])),
    };

    const ratio = webhookLoad.requests.average / echoLoad.requests.average;
    console.log('');
    const distinctRatio = distinctLoad.requests.average / echoLoad.requests.average;
    const column = (echoValue: number, webhookValue: number, distinctValue: number): string =>
      `${String(echoValue).padStart(10)} ${String(webhookValue).padStart(14)} ${String(distinctValue).padStart(16)}`;
    console.log('concurrent load            echo        webhook  webhook, every');
    console.log('                                 (replicas: one pod)   pod a new one');
    console.log(`  requests/s          ${column(round(echoLoad.requests.average, 0), round(webhookLoad.requests.average, 0), round(distinctLoad.requests.average, 0))}`);
    console.log(`  mean latency ms     ${column(round(echoLoad.latency.mean), round(webhookLoad.latency.mean), round(distinctLoad.latency.mean))}`);
    console.log(`  p99 latency ms      ${column(round(echoLoad.latency.p99), round(webhookLoad.latency.p99), round(distinctLoad.latency.p99))}`);
    console.log(`  server CPU µs/req   ${column(round(echoMeasured.cpuMicrosPerRequest ?? Number.NaN, 0), round(webhookMeasured.cpuMicrosPerRequest ?? Number.NaN, 0), round(distinctMeasured.cpuMicrosPerRequest ?? Number.NaN, 0))}`);
    console.log(`  webhook/echo throughput, replicas: ${round(ratio * 100, 1)}% (target ≥ 50%) ${ratio >= 0.5 ? 'MET' : 'NOT MET'}`);
    console.log(`  webhook/echo throughput, every pod a new one: ${round(distinctRatio * 100, 1)}% (target ≥ 50%) ${distinctRatio >= 0.5 ? 'MET' : 'NOT MET'}`);
    if (cpuRatio !== undefined) console.log(`  echo/webhook server CPU per request: ${round(cpuRatio * 100, 1)}% (the throughput ratio a CPU-bound server would reach; robust to a busy machine)`);
    console.log(`fixed rate ${RATE}/s (open loop)`);
    for (const { target, result } of rates) {
      const verdict = target === 'webhook' ? ` — p99 target ≤ 2 ms: ${result.p99Ms <= 2 ? 'MET' : 'NOT MET'}` : '';
      console.log(`  ${target.padEnd(8)} ${result.protocol.padEnd(9)} achieved ${round(result.achievedRate, 0)}/s, p50 ${round(result.p50Ms, 3)} ms, p99 ${round(result.p99Ms, 3)} ms, max ${round(result.maxMs, 3)} ms, ${result.failed} failed${result.failed > 0 ? ` ${JSON.stringify(result.failures)}` : ''}${verdict}`);
      const own = serverSide[result.protocol];
      if (target === 'webhook' && own !== undefined) {
        const summary = serverSummary(own);
        console.log(`           its own time per admission (log durationMs, ${summary.admissions} admissions): p50 ${summary.p50Ms} ms, p99 ${summary.p99Ms} ms, max ${summary.maxMs} ms`);
      }
    }
    console.log(JSON.stringify(results));
  } finally {
    await stopTarget(webhook);
    await stopTarget(echo);
  }
}

await main();
