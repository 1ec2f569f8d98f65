/** SIGTERM and SIGINT: stop accepting, finish the request in flight, exit 0. A real child process. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import https from 'node:https';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { fixture, request1 } from './helpers.ts';

const CHILD = fileURLToPath(new URL('./serve-child.ts', import.meta.url));

/** The --import flags this process runs with (tsx), so the child loads TypeScript the same way. */
function importFlags(): string[] {
  const flags: string[] = [];
  process.execArgv.forEach((argument, index) => {
    if (argument === '--import' && process.execArgv[index + 1] !== undefined) flags.push(argument, process.execArgv[index + 1] as string);
    else if (argument.startsWith('--import=')) flags.push(argument);
  });
  return flags.length > 0 ? flags : ['--import', 'tsx'];
}

describe('signals', { concurrency: true }, () => {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    test(`${signal}: the request in flight is answered, new connections are refused, the process exits 0`, async () => {
      const child = spawn(process.execPath, [...importFlags(), CHILD], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
      try {
        const [line] = await once(child.stdout, 'data') as [Buffer];
        const { url, ca } = JSON.parse(line.toString().split('\n')[0] ?? '') as { url: string; ca: string };
        assert.equal((await request1(url, { path: '/health/ready', ca })).status, 200);

        // Start a request and send only half of its body: it is in flight when the signal arrives.
        const body = Buffer.from(fixture('review-v1-job-pod.json'));
        const answered = new Promise<{ status: number; text: string }>((resolve, reject) => {
          const outgoing = https.request(`${url}/mutate`, { method: 'POST', ca, agent: false, headers: { 'content-type': 'application/json', 'content-length': String(body.length) } }, (response) => {
            let text = '';
            response.on('data', (chunk: Buffer) => { text += chunk.toString(); });
            response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
          });
          outgoing.on('error', reject);
          outgoing.write(body.subarray(0, 100));
          setTimeout(() => {
            child.kill(signal);
            setTimeout(() => outgoing.end(body.subarray(100)), 400);
          }, 200);
        });
        // While draining, a new connection is refused.
        await new Promise((resolve) => setTimeout(resolve, 400));
        await assert.rejects(request1(url, { path: '/health/ready', ca }), /ECONNREFUSED|ECONNRESET|socket hang up/);
        const result = await answered;
        assert.equal(result.status, 200, result.text);
        assert.equal((JSON.parse(result.text) as { response: { uid: string } }).response.uid, (JSON.parse(body.toString()) as { request: { uid: string } }).request.uid);
        const [code] = await once(child, 'exit') as [number | null];
        assert.equal(code, 0, stderr);
        assert.match(stderr, new RegExp(`"signal":"${signal}"`));
        assert.match(stderr, /"msg":"stopped"/);
      } finally {
        if (child.exitCode === null) child.kill('SIGKILL');
      }
    });
  }
});
