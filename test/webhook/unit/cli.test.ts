// The `mutate` command as a child process on the fixture files: the same response as the server.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { handleAdmissionReview } from '../../../src/admission/review.ts';
import { runCli } from '../../../src/commands.ts';
import { FIXTURES, settings } from './helpers.ts';

const root = new URL('../../../', import.meta.url).pathname;
const node = join(root, 'node_modules/.bin/node');

function webhook(args: string[], input: string, env: Record<string, string> = {}) {
  const result = spawnSync(node, ['--import', 'tsx', 'src/cli.ts', ...args], {
    cwd: root, input, encoding: 'utf8', env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', ...env }, timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The same commands in-process (src/cli.ts only wires process streams to runCli). */
async function inProcess(args: string[], input: string, env: Record<string, string> = {}) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const collected = { stdout: '', stderr: '' };
  stdout.on('data', (chunk: Buffer) => { collected.stdout += chunk.toString(); });
  stderr.on('data', (chunk: Buffer) => { collected.stderr += chunk.toString(); });
  const code = await runCli(args, { stdin: Readable.from([Buffer.from(input)]), stdout, stderr, env, cwd: root });
  return { code, ...collected };
}

test('mutate prints the response handleAdmissionReview gives for the same request', () => {
  const input = readFileSync(`${FIXTURES}/review-v1-deployment-pod.json`, 'utf8');
  const run = webhook(['mutate', '-vault-address=https://vault.vault.svc:8200'], input);
  assert.equal(run.code, 0, run.stderr);
  assert.deepEqual(JSON.parse(run.stdout), handleAdmissionReview(input, settings({ vaultAddress: 'https://vault.vault.svc:8200' })).body);
  assert.equal(run.stderr, '');
});

test('mutate reads AGENT_INJECT_* variables like the server', async () => {
  const input = readFileSync(`${FIXTURES}/review-v1-job-pod.json`, 'utf8');
  const run = await inProcess(['mutate'], input, { AGENT_INJECT_VAULT_ADDR: 'https://vault:8200', AGENT_INJECT_VAULT_IMAGE: 'agent:test' });
  assert.equal(run.code, 0, run.stderr);
  const response = (JSON.parse(run.stdout) as { response: { patch: string } }).response;
  assert.match(Buffer.from(response.patch, 'base64').toString('utf8'), /"image":"agent:test"/);
});

test('mutate with a tenancy policy file: allowed and refused as the policy says', async () => {
  const directory = mkdtempSync(join(tmpdir(), 'vi-mutate-'));
  const input = readFileSync(`${FIXTURES}/review-v1-deployment-pod.json`, 'utf8');
  const run = async (policyText: string) => {
    const policy = join(directory, `tenancy-${Math.random().toString(36).slice(2)}.yaml`);
    writeFileSync(policy, policyText);
    return inProcess(['mutate', '-vault-address=https://vault:8200', `-tenancy=${policy}`], input);
  };
  const strict = await run('version: 1\ntenants:\n  include: ["team-*"]\ndefaults:\n  roles: ["${namespace}"]\n  paths:\n    - "secret/data/${namespace}/*"\n');
  assert.equal(strict.code, 0, strict.stderr);
  const refused = (JSON.parse(strict.stdout) as { response: { allowed: boolean; status: { message: string } } }).response;
  assert.equal(refused.allowed, false);
  assert.match(refused.status.message, /team-a/);
  const open = await run('version: 1\ntenants:\n  include: ["team-*"]\ndefaults:\n  roles: ["web"]\n  paths:\n    - "secret/data/${namespace}/*"\n    - "database/creds/${namespace}-*"\n');
  assert.equal(open.code, 0, open.stderr);
  assert.equal((JSON.parse(open.stdout) as { response: { allowed: boolean } }).response.allowed, true, open.stdout);
  const broken = await run('version: 1\ndefaults: [\n');
  assert.equal(broken.code, 2);
  assert.match(broken.stderr, /^error VI_SETTINGS_INVALID: invalid tenancy policy:\n {2}- /);
});

test('mutate reports bad settings (child process: exit code and stderr)', () => {
  const missing = webhook(['mutate'], '{}');
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /^error VI_SETTINGS_INVALID: invalid settings:\n {2}- no Vault address configured/);
});

test('mutate reports input that is not a review, and unknown commands', async () => {
  const notReview = await inProcess(['mutate', '-vault-address=https://vault:8200'], '{"kind":"Pod"}');
  assert.equal(notReview.code, 1);
  assert.deepEqual(JSON.parse(notReview.stdout), { error: { code: 'VI_REVIEW_INVALID', message: 'kind is "Pod", not "AdmissionReview"' } });
  assert.match(notReview.stderr, /^error VI_REVIEW_INVALID: /);
  const unknown = await inProcess(['frobnicate'], '');
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /unknown command "frobnicate"/);
});
