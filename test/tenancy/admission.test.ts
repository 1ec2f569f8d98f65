/**
 * End to end through The admission pipeline: handleAdmissionReview with hooks.tenancy, and `webhook mutate --tenancy`.
 * Every attack vector is denied with its message; the same pod without the attack is injected.
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { PassThrough, Readable } from 'node:stream';
import { loadTenancyPolicy } from '../../src/tenancy/policy.ts';
import type { TenancyCheck } from '../../src/tenancy/types.ts';
import { attackVectors, policyFile, policyText } from './vectors.ts';

import * as pipeline from '../../src/admission/review.ts';
import * as commands from '../../src/commands.ts';
import { loadSettings } from '../../src/settings.ts';

type Commands = typeof commands;

const A = 'vault.hashicorp.com/';
const injectorEnv = { AGENT_INJECT_VAULT_ADDR: 'https://vault.vault.svc:8200' };

function review(namespace: string, annotations: Record<string, string>): Record<string, unknown> {
  const body = JSON.parse(readFileSync(new URL('../fixtures/kubernetes/review-v1-deployment-pod.json', import.meta.url), 'utf8')) as {
    request: { namespace: string; object: { metadata: { namespace: string; annotations: Record<string, string> } } };
  };
  body.request.namespace = namespace;
  body.request.object.metadata.namespace = namespace;
  body.request.object.metadata.annotations = { [`${A}agent-inject`]: 'true', [`${A}role`]: 'team-a', ...annotations };
  return body as unknown as Record<string, unknown>;
}

interface ResponseBody { response: { uid: string; allowed: boolean; status?: { code: number; message: string } } }

describe('tenancy through the admission pipeline ', () => {
  let check: TenancyCheck;

  before(async () => {
    const loaded = loadTenancyPolicy(policyText, policyFile);
    assert.ok(loaded.ok);
    check = loaded.check;
  });

  const settings = () => {
    const loaded = loadSettings([], injectorEnv);
    assert.ok(loaded.ok, loaded.ok ? '' : loaded.problems.join('; '));
    return loaded.settings;
  };

  test('every attack vector is denied with its message', () => {
    for (const vector of attackVectors) {
      const body = review('team-a', vector.annotations);
      const outcome = pipeline.handleAdmissionReview(body, settings(), { tenancy: check });
      assert.equal(outcome.decision, 'denied', vector.name);
      assert.equal(outcome.errorCode, vector.code, vector.name);
      const response = (outcome.body as ResponseBody).response;
      assert.equal(response.allowed, false);
      assert.equal(response.uid, (body.request as { uid: string }).uid);
      assert.deepEqual(response.status, { code: 403, message: vector.message }, vector.name);
    }
  });

  test('pkiCert is checked like the write form of secret (it issues through pki/issue)', () => {
    const foreign = review('team-a', {
      [`${A}agent-inject-secret-cert`]: 'pki/issue/team-a',
      [`${A}agent-inject-template-cert`]: '{{ with pkiCert "pki/issue/team-b" "common_name=web.team-b.svc" }}{{ .Cert }}{{ end }}',
    });
    const denied = pipeline.handleAdmissionReview(foreign, settings(), { tenancy: check });
    assert.equal(denied.decision, 'denied');
    assert.equal(denied.errorCode, 'TENANCY_PATH_NOT_ALLOWED');
    assert.match((denied.body as ResponseBody).response.status?.message ?? '', /"pki\/issue\/team-b"/);
    const own = review('team-a', {
      [`${A}agent-inject-secret-cert`]: 'pki/issue/team-a',
      [`${A}agent-inject-template-cert`]: '{{ with pkiCert "pki/issue/team-a" "common_name=web.team-a.svc" }}{{ .Cert }}{{ end }}',
    });
    assert.equal(pipeline.handleAdmissionReview(own, settings(), { tenancy: check }).decision, 'injected');
  });

  test('the same pod without the attack is injected, and a namespace that is not a tenant is left alone', () => {
    const clean = {
      [`${A}agent-inject-secret-db`]: 'secret/data/team-a/db',
      [`${A}agent-inject-template-db`]: '{{ with secret "secret/data/team-a/db" }}{{ .Data.data.password }}{{ end }}',
      [`${A}agent-inject-secret-cert`]: 'pki/issue/team-a',
      [`${A}agent-inject-template-cert`]: '{{ with secret "pki/issue/team-a" "common_name=web.team-a.svc" }}{{ .Data.certificate }}{{ end }}',
      [`${A}tls-skip-verify`]: 'false',
    };
    const injected = pipeline.handleAdmissionReview(review('team-a', clean), settings(), { tenancy: check });
    assert.equal(injected.decision, 'injected', JSON.stringify((injected.body as ResponseBody).response.status));
    const outsider = pipeline.handleAdmissionReview(review('shop', { ...attackVectors[4]!.annotations, [`${A}role`]: 'shop' }), settings(), { tenancy: check });
    assert.equal(outsider.decision, 'injected');
  });

  test('webhook mutate --tenancy applies the same policy', async () => {
    const run = async (annotations: Record<string, string>) => {
      const stdout = new PassThrough();
      const chunks: Buffer[] = [];
      stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
      const stderr = new PassThrough();
      const code = await commands.runCli(['mutate', '--tenancy', policyFile], {
        stdin: Readable.from([JSON.stringify(review('team-a', annotations))]), stdout, stderr, env: injectorEnv, cwd: process.cwd(),
      } as Parameters<Commands['runCli']>[1]);
      return { code, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as ResponseBody };
    };
    const vector = attackVectors.find((candidate) => candidate.name === 'path in a template')!;
    const denied = await run(vector.annotations);
    assert.deepEqual(denied.body.response.status, { code: 403, message: vector.message });
    const allowed = await run({ [`${A}agent-inject-secret-db`]: 'secret/data/team-a/db' });
    assert.equal(allowed.body.response.allowed, true);
  });

  test('webhook tenants ... is dispatched to the tenancy command line', async () => {
    const stdout = new PassThrough();
    const chunks: Buffer[] = [];
    stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    const code = await commands.runCli(['tenants', 'check', '--tenancy', policyFile], {
      stdin: Readable.from([]), stdout, stderr: new PassThrough(), env: {}, cwd: process.cwd(),
    } as Parameters<Commands['runCli']>[1]);
    assert.equal(code, 0);
    assert.match(Buffer.concat(chunks).toString('utf8'), /^tenancy policy .*tenancy\.yaml is valid: tenants team-\* except team-platform;/);
  });
});
