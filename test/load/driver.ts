// Fixed-rate (open-loop) load against the webhook in a child process: request i leaves at
// start + i/rate whatever happened to the earlier ones, so a slow server shows up as latency and
// never as a politely slowed-down client. Every answer is checked against what its pod should get.
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { checkAnswer, review } from './pods.ts';
import { WEBHOOK_NODE_FLAGS } from '../../src/runtime-flags.ts';

export interface Memory { heapUsed: number; rss: number; gc: boolean }

export interface Target {
  url: string;
  ca: string;
  child: ChildProcess;
  memory(): Promise<Memory>;
  /** VmRSS of the server process from /proc, without forcing a GC. */
  rssNow(): Promise<number>;
  /** Stops the server and returns its whole log. */
  close(): Promise<string>;
}

export async function startTarget(): Promise<Target> {
  const dir = await mkdtemp(join(tmpdir(), 'load-'));
  const logFile = join(dir, 'webhook.log');
  const child = fork(join(import.meta.dirname, 'target.ts'), [], {
    // The image's Node flags: they bound the young generation, and with it the process's RSS.
    execArgv: [...WEBHOOK_NODE_FLAGS, '--import', 'tsx', '--expose-gc'],
    env: { PATH: process.env['PATH'], LOG_FILE: logFile },
    stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
  const [ready] = await Promise.race([
    once(child, 'message') as Promise<[{ url: string; ca: string }]>,
    once(child, 'exit').then(() => { throw new Error(`the webhook exited before listening: ${stderr}`); }),
  ]);
  const request = <T>(message: string): Promise<T> => new Promise((resolve) => {
    child.once('message', (answer) => resolve(answer as T));
    child.send(message);
  });
  return {
    url: ready.url,
    ca: ready.ca,
    child,
    memory: () => request<Memory>('memory'),
    async rssNow() {
      const status = await readFile(`/proc/${child.pid}/status`, 'utf8');
      return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN) * 1024;
    },
    async close() {
      if (child.exitCode === null) {
        child.send('close');
        await once(child, 'exit');
      }
      const log = await readFile(logFile, 'utf8').catch(() => '');
      await rm(dir, { recursive: true, force: true });
      return `${log}\n${stderr}`;
    },
  };
}

export interface LoadResult {
  sent: number;
  answered: number;
  /** Network errors and timeouts: requests that got no HTTP answer. */
  dropped: number;
  /** Answers that were not what the pod should get (wrong status, uid, decision). */
  wrong: number;
  problems: string[];
  byExpect: Record<string, number>;
  latenciesMs: number[];
  achievedRate: number;
  elapsedS: number;
}

export function percentile(sorted: readonly number[], fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1))] ?? Number.NaN;
}

/**
 * Sends `rate` admissions per second for `seconds`, cycling through the mixed pods from `firstIndex`.
 * `onSecond` is called about once a second (for memory sampling) without pausing the load.
 */
export async function runLoad(target: Target, options: { rate: number; seconds: number; firstIndex?: number; timeoutMs?: number; onSecond?: (second: number) => void }): Promise<LoadResult> {
  const agent = new https.Agent({ keepAlive: true, maxSockets: 64, ca: target.ca });
  const total = Math.round(options.rate * options.seconds);
  const first = options.firstIndex ?? 0;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const result: LoadResult = { sent: 0, answered: 0, dropped: 0, wrong: 0, problems: [], byExpect: {}, latenciesMs: [], achievedRate: 0, elapsedS: 0 };
  // Bodies are built before the clock starts so building them is not part of the pacing.
  const bodies = Array.from({ length: Math.min(total, 4096) }, (_, index) => review(first + index));
  const pending = new Set<Promise<void>>();
  const note = (problem: string): void => {
    if (result.problems.length < 20) result.problems.push(problem);
  };
  const send = (index: number): void => {
    const base = bodies[index % bodies.length]!;
    // A unique uid per request even when bodies are reused.
    const uid = `${base.uid.slice(0, -12)}${index.toString(16).padStart(12, '0')}`;
    const body = Buffer.from(base.body.replace(base.uid, uid));
    const startedAt = performance.now();
    const done = new Promise<void>((resolve) => {
      const outgoing = https.request(`${target.url}/mutate?timeout=10s`, { method: 'POST', agent, timeout: timeoutMs, headers: { 'content-type': 'application/json', 'content-length': String(body.length) } }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          result.latenciesMs.push(performance.now() - startedAt);
          result.answered += 1;
          const wrong = checkAnswer(response.statusCode ?? 0, Buffer.concat(chunks).toString('utf8'), uid, base.expect);
          if (wrong !== undefined) {
            result.wrong += 1;
            note(`${uid} (${base.expect}): ${wrong}`);
          }
          result.byExpect[base.expect] = (result.byExpect[base.expect] ?? 0) + 1;
          resolve();
        });
        response.on('error', (error) => { result.dropped += 1; note(`${uid}: ${error.message}`); resolve(); });
      });
      outgoing.on('timeout', () => outgoing.destroy(new Error(`no answer within ${timeoutMs} ms`)));
      outgoing.on('error', (error) => { result.dropped += 1; note(`${uid}: ${error.message}`); resolve(); });
      outgoing.end(body);
    });
    pending.add(done);
    void done.then(() => pending.delete(done));
  };
  const begin = performance.now();
  let lastSecond = 0;
  await new Promise<void>((resolve) => {
    const tick = (): void => {
      const elapsed = performance.now() - begin;
      const due = Math.min(total, Math.floor((elapsed / 1000) * options.rate));
      while (result.sent < due) {
        send(result.sent);
        result.sent += 1;
      }
      const second = Math.floor(elapsed / 1000);
      if (second > lastSecond) {
        lastSecond = second;
        options.onSecond?.(second);
      }
      if (result.sent >= total) resolve();
      else setTimeout(tick, 1);
    };
    tick();
  });
  const sendingS = (performance.now() - begin) / 1000;
  await Promise.all(pending);
  result.elapsedS = (performance.now() - begin) / 1000;
  result.achievedRate = result.sent / sendingS;
  agent.destroy();
  return result;
}

export const MiB = 1024 * 1024;
