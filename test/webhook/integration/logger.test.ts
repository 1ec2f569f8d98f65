/** The webhook logger's censor: redacted field names at any depth, secret-shaped strings anywhere. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { createLogger, formatStandardLine, redactFields, scrubText, STDOUT_FLUSH_INTERVAL_MS } from '../../../src/logger.ts';

const JWT = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQ6YTpiIn0.c2ln';
const PEM = '-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg\n-----END PRIVATE KEY-----';

test('scrubText: the secret shapes, and plain identifiers untouched', () => {
  const cases: Array<[string, string]> = [
    [`token ${JWT} end`, 'token [REDACTED] end'],
    ['hvs.CAESIJ8xZ2Vu3rL2m4n5o6p7q8r9s0t', '[REDACTED]'],
    ['s.abcdefghijklmnopqrstuvwx', '[REDACTED]'],
    ['Authorization: Bearer abc.def-ghi', 'Authorization: [REDACTED]'],
    [`key=${PEM}`, 'key=[REDACTED]'],
    ['-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEI (cut)', '[REDACTED]'],
    ['3c8a4b2e-9f1d-4e6a-b7c5-2d1e0f9a8b7c', '3c8a4b2e-9f1d-4e6a-b7c5-2d1e0f9a8b7c'],
    ['web-7d9f8b6c5d-*', 'web-7d9f8b6c5d-*'],
  ];
  for (const [input, expected] of cases) assert.equal(scrubText(input), expected, input);
});

test('redactFields: names at any depth, case-insensitive, nothing copied when clean', () => {
  const clean = { uid: 'u', namespace: 'n', nested: { pod: 'p' } };
  assert.equal(redactFields(clean), clean, 'same object when nothing to censor');
  assert.deepEqual(redactFields({ a: { b: { c: { Authorization: 'x', VAULT_CONFIG: 'e30=' } } }, list: [{ token: 't' }, 'ok'] }), {
    a: { b: { c: { Authorization: '[REDACTED]', VAULT_CONFIG: '[REDACTED]' } } }, list: [{ token: '[REDACTED]' }, 'ok'],
  });
  assert.deepEqual(redactFields({ metadata: { annotations: { 'vault.hashicorp.com/agent-inject-template-x': '{{ secret }}' } } }), { metadata: { annotations: '[REDACTED]' } });
  const error = redactFields({ err: Object.assign(new Error(`failed with ${JWT}`), { token: 'x' }) }).err as unknown as Record<string, unknown>;
  assert.equal(error['type'], 'Error');
  assert.equal(error['message'], 'failed with [REDACTED]');
  assert.equal(error['token'], '[REDACTED]');
  assert.ok(!String(error['stack']).includes(JWT));
});

test('createLogger: json and standard lines carry no secret; invalid levels are refused', () => {
  for (const format of ['json', 'standard'] as const) {
    let text = '';
    const destination = new Writable({ write(chunk: Buffer | string, _encoding, callback) { text += chunk.toString(); callback(); } });
    const logger = createLogger({ level: 'debug', format, destination, name: 'handler' });
    logger.info({ uid: 'u1', body: { request: { object: {} } }, headers: { authorization: `Bearer ${JWT}` }, keyPem: PEM }, `received ${JWT}`);
    logger.child({ token: 'child-token' }).warn('from a child');
    logger.error({ err: new Error(`cannot use ${PEM}`) }, 'failed');
    assert.ok(!text.includes(JWT) && !text.includes('child-token') && !text.includes('PRIVATE KEY') && !text.includes('Bearer'), text);
    assert.match(text, /u1/);
    if (format === 'standard') assert.match(text, /^\d{4}-\d{2}-\d{2}T\S+ \[INFO\]  handler: received \[REDACTED\]: uid=u1/m);
    else assert.equal(JSON.parse(text.split('\n')[0] ?? '{}').uid, 'u1');
  }
  assert.throws(() => createLogger({ level: 'verbose', format: 'json', name: 'x' }), /log level "verbose" is not one of/);
});

test('formatStandardLine: quotes values with spaces, keeps a line that is not JSON', () => {
  assert.equal(formatStandardLine('{"level":40,"time":0,"name":"handler","msg":"m","reason":"two words","n":1}'), '1970-01-01T00:00:00.000Z [WARN]  handler: m: reason="two words" n=1\n');
  assert.equal(formatStandardLine('not json'), 'not json\n');
});

/** A child process whose logger has no destination: stdout, buffered as `serve` runs it. */
function runLoggingChild(script: string): Promise<{ lines: Array<{ atMs: number; text: string }>; exitedAtMs: number }> {
  const started = performance.now();
  const loggerUrl = new URL('../../../src/logger.ts', import.meta.url).href;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', `import { createLogger } from ${JSON.stringify(loggerUrl)};\n${script}`], { stdio: ['ignore', 'pipe', 'ignore'] });
  const lines: Array<{ atMs: number; text: string }> = [];
  let pending = '';
  child.stdout.on('data', (chunk: Buffer) => {
    pending += chunk.toString();
    const parts = pending.split('\n');
    pending = parts.pop() ?? '';
    for (const text of parts) lines.push({ atMs: performance.now() - started, text });
  });
  return new Promise((resolve) => child.on('close', () => resolve({ lines, exitedAtMs: performance.now() - started })));
}

test('stdout is written in batches, yet a line waits at most the flush interval and none is lost at exit', async () => {
  // One line, then 1.5 s of idling: the line must arrive long before the process ends.
  const idle = await runLoggingChild(`const log = createLogger({ level: 'info', format: 'json', name: 't' });
log.info({ token: 'hvs.CAESIJ8xZ2Vu3rL2m4n5o6p7q8r9s0t', n: 1 }, 'first');
setTimeout(() => process.exit(0), 1500);`);
  assert.equal(idle.lines.length, 1);
  const [first] = idle.lines;
  assert.ok(first !== undefined && idle.exitedAtMs - first.atMs > 1500 - STDOUT_FLUSH_INTERVAL_MS - 400, `written while the process still ran (${first?.atMs.toFixed(0)} ms, exit at ${idle.exitedAtMs.toFixed(0)} ms)`);
  assert.doesNotMatch(first.text, /hvs\./, 'still censored');
  assert.equal((JSON.parse(first.text) as { token: string }).token, '[REDACTED]');

  // 500 lines, then an immediate exit (no event loop turn to write them), then one after a crash.
  const exiting = await runLoggingChild(`const log = createLogger({ level: 'info', format: 'standard', name: 't' });
for (let n = 0; n < 500; n += 1) log.info({ n }, 'line');
process.exit(3);`);
  assert.equal(exiting.lines.length, 500);
  assert.match(exiting.lines[499]?.text ?? '', /\[INFO\] +t: line: n=499$/);
  const crashing = await runLoggingChild(`const log = createLogger({ level: 'info', format: 'json', name: 't' });
log.error({ n: 1 }, 'before the crash');
setImmediate(() => { throw new Error('boom'); });`);
  assert.equal(crashing.lines.length, 1);
  assert.match(crashing.lines[0]?.text ?? '', /before the crash/);
});
