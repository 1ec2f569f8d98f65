/** The tenancy policy file (loaded, reloaded, a bad change rejected) and the log leak scan. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { startServer } from '../../../src/server/main.ts';
import { createLogger } from '../../../src/logger.ts';
import { captureLogs, eventually, fixture, postReview, request1, request2, settingsFor } from './helpers.ts';

const policy = (roles: string[]): string => `version: 1
tenants:
  include: ["team-*"]
defaults:
  roles: [${roles.map((role) => JSON.stringify(role)).join(', ')}]
  paths:
    - secret/data/\${namespace}/*
    - database/creds/\${namespace}-*
`;

interface Answer { response: { allowed: boolean; status?: { message: string } } }

test('tenancy: the policy file decides, a change is picked up, an invalid change keeps the last good policy', async (t) => {
  const directory = await mkdtemp(join(tmpdir(), 'vi-tenancy-'));
  t.after(() => rm(directory, { recursive: true, force: true }));
  const file = join(directory, 'tenancy.yaml');
  await writeFile(file, policy(['web']));
  const logs = captureLogs();
  const server = await startServer(settingsFor(['-tenancy', file]), { logger: logs.logger, handleSignals: false, filePollIntervalMs: 100 });
  t.after(() => server.close());
  const ca = server.caPem();
  const allowed = async (name: string): Promise<Answer['response']> => ((await postReview(server.url, ca, fixture(name))).json() as Answer).response;

  assert.equal((await allowed('review-v1-deployment-pod.json')).allowed, true, 'role web is allowed');
  const job = await allowed('review-v1-job-pod.json');
  assert.equal(job.allowed, false, 'role pgdump is not');
  assert.match(job.status?.message ?? '', /pgdump/);

  await writeFile(file, policy(['pgdump']));
  await eventually('the new policy is in force', async () => (await allowed('review-v1-job-pod.json')).allowed);
  assert.equal((await allowed('review-v1-deployment-pod.json')).allowed, false);
  assert.ok(logs.lines().some((line) => line['msg'] === 'tenancy policy reloaded'));

  await writeFile(file, 'version: 1\ntenants: [oops\n');
  await eventually('the bad change is reported', () => logs.lines().some((line) => /tenancy policy change rejected/.test(String(line['msg']))));
  assert.equal((await allowed('review-v1-job-pod.json')).allowed, true, 'the last good policy stays');
  const rejection = logs.lines().find((line) => /tenancy policy change rejected/.test(String(line['msg'])));
  assert.ok(Array.isArray(rejection?.['problems']) && (rejection['problems'] as string[]).some((problem) => problem.includes(file)));
});

test('tenancy: an invalid policy file at start stops the start with its problems', async (t) => {
  const directory = await mkdtemp(join(tmpdir(), 'vi-tenancy-'));
  t.after(() => rm(directory, { recursive: true, force: true }));
  const file = join(directory, 'tenancy.yaml');
  await writeFile(file, 'version: 2\n');
  await assert.rejects(startServer(settingsFor(['-tenancy', file]), { logger: captureLogs().logger, handleSignals: false }), (error: unknown) => {
    assert.ok(error instanceof Error);
    assert.match(error.message, new RegExp(file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    return true;
  });
});

const JWT = 'eyJhbGciOiJSUzI1NiIsImtpZCI6InRlc3QifQ.eyJpc3MiOiJrdWJlcm5ldGVzL3NlcnZpY2VhY2NvdW50Iiwic3ViIjoic3lzdGVtOnNlcnZpY2VhY2NvdW50OnRlYW0tYTp3ZWIifQ.c2lnbmF0dXJlLW9mLXRoZS10ZXN0LXRva2Vu';
const VAULT_TOKEN = 'hvs.CAESIJ8xZ2Vu3rL2m4n5o6p7q8r9s0t1u2v3w4x5y6z7A8B9';

for (const format of ['json', 'standard'] as const) {
  test(`logs (${format}, debug level) never hold an annotation value, a token, a JWT or a request body`, async (t) => {
    let text = '';
    const destination = new Writable({ write(chunk: Buffer | string, _encoding, callback) { text += chunk.toString(); callback(); } });
    const server = await startServer(settingsFor(), { logger: createLogger({ level: 'trace', format, destination, name: 'handler' }), handleSignals: false });
    t.after(() => server.close());
    const ca = server.caPem();

    const secrets: string[] = [JWT, VAULT_TOKEN];
    const reviews = ['review-v1-deployment-pod.json', 'review-v1-job-pod.json', 'review-v1beta1-plain-pod.json'].map((name) => JSON.parse(fixture(name)) as { request: { object: { metadata: { annotations?: Record<string, string> } } } });
    const leaky = structuredClone(reviews[0]);
    assert.ok(leaky !== undefined);
    const annotations = leaky.request.object.metadata.annotations ?? {};
    annotations['vault.hashicorp.com/agent-inject-template-token'] = `{{ with secret "auth/token/lookup" }}${VAULT_TOKEN}{{ end }}`;
    annotations['vault.hashicorp.com/agent-inject-secret-token'] = 'secret/data/team-a/token';
    annotations['vault.hashicorp.com/agent-json-patch'] = `[{"op":"add","path":"/env/-","value":{"name":"JWT","value":"${JWT}"}}]`;
    const broken = structuredClone(reviews[0]);
    assert.ok(broken !== undefined);
    (broken.request.object.metadata.annotations ?? {})['vault.hashicorp.com/agent-inject-template-db-creds'] = `{{ ${JWT} }`;
    for (const review of [...reviews, leaky, broken]) {
      for (const [key, value] of Object.entries(review.request.object.metadata.annotations ?? {})) {
        // Long values and every template or secret path: the things that may carry a secret.
        if (value.length >= 12 || key.includes('-template-') || key.includes('-secret-')) secrets.push(value);
      }
      await postReview(server.url, ca, JSON.stringify(review), 1);
      await postReview(server.url, ca, JSON.stringify(review), 2);
    }
    // A token in an Authorization header and in a malformed body are not logged either.
    await request1(server.url, { method: 'POST', path: '/mutate', ca, headers: { 'content-type': 'application/json', authorization: `Bearer ${JWT}` }, body: `{"token":"${VAULT_TOKEN}"` });
    await request2(server.url, { method: 'POST', path: '/mutate', ca, headers: { 'content-type': 'text/plain', authorization: `Bearer ${JWT}` }, body: VAULT_TOKEN });

    const admissions = text.split('\n').filter((line) => line.includes('admission'));
    assert.ok(admissions.length >= 12, `one line per admission (${admissions.length})`);
    for (const secret of new Set(secrets)) {
      assert.ok(!text.includes(secret), `the log holds ${JSON.stringify(secret.slice(0, 30))}...`);
    }
    for (const fragment of ['Bearer', 'PRIVATE KEY', 'VAULT_CONFIG', '"annotations"', 'postgresql://']) {
      assert.ok(!text.includes(fragment), `the log holds ${fragment}`);
    }
  });
}
