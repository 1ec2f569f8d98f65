/**
 * A KV v2 listing under tenancy, the way consul-template users write it: `{{ range secrets "secret/metadata/team-a/" }}`.
 * consul-template (shimKvV2ListPath) sends it to `secret/metadata/team-a`, Vault checks LIST on `secret/metadata/team-a/`;
 * admission must check that same path, and `tenants sync` must grant `list` there. The whole path: the policy
 * format, admission (check and pipeline), the synced policy in the Vault double, and our agent's own LIST.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { readFileSync } from 'node:fs';
import { loadTenancyPolicy } from '../../src/tenancy/policy.ts';
import { rulesForNamespace } from '../../src/tenancy/resolve.ts';
import { renderTenantPolicy } from '../../src/tenancy/hcl.ts';
import { runTenancySync } from '../../src/tenancy/sync.ts';
import { connectVault } from '../../src/tenancy/vault.ts';
import { tenantNamespaceLister } from '../../src/tenancy/kube.ts';
import type { TenancyCheck, TenancyPolicy, TenancyRequest } from '../../src/tenancy/types.ts';
import * as pipeline from '../../src/admission/review.ts';
import { loadSettings } from '../../src/settings.ts';
import { runRenderCommand } from '../../agent/src/commands/render.ts';
import { vaultCallFor } from '../../agent/src/secrets/paths.ts';
import { startHarness, vaultCall, type Harness } from './harness.ts';
import { listPolicyText } from './kv2-list-policy.ts';

const A = 'vault.hashicorp.com/';

function load(text = listPolicyText): { check: TenancyCheck; policy: TenancyPolicy } {
  const loaded = loadTenancyPolicy(text, 'tenancy.yaml');
  assert.ok(loaded.ok, loaded.ok ? '' : loaded.problems.join('\n'));
  return { check: loaded.check, policy: loaded.policy };
}

const listing = (namespace: string, path: string): TenancyRequest => ({
  namespace, role: namespace, annotations: {}, secretPaths: [{ annotation: `${A}agent-inject-template-keys`, path, operation: 'list' }],
});

test('the policy format: list on a KV v2 data/ pattern is granted on the matching metadata/ pattern', () => {
  const { policy } = load();
  assert.deepEqual(rulesForNamespace(policy, 'team-a').paths, [
    { pattern: 'kv/team-a/*', capabilities: ['read', 'list'] },
    { pattern: 'secret/data/team-a/*', capabilities: ['read'] },
    { pattern: 'secret/metadata/team-a/*', capabilities: ['list'] },
  ]);
  assert.deepEqual(rulesForNamespace(policy, 'team-c').paths.map((rule) => rule.pattern),
    ['kv/team-c/*', 'secret/data/team-c/*', 'secret/metadata/shared/*', 'secret/metadata/team-c/*']);
  const text = renderTenantPolicy(rulesForNamespace(policy, 'team-a'));
  assert.match(text, /path "secret\/metadata\/team-a\/\*" \{\n {2}capabilities = \["list"\]\n\}/);
  assert.match(text, /path "secret\/data\/team-a\/\*" \{\n {2}capabilities = \["read"\]\n\}/);
  // Only list moves: a data/ pattern that does not grant list gets no metadata/ stanza.
  const readOnly = load(listPolicyText.replace('capabilities: [read, list]', 'capabilities: [read]')).policy;
  assert.equal(rulesForNamespace(readOnly, 'team-a').paths.some((rule) => rule.pattern.startsWith('secret/metadata/')), false);
});

test('admission: KV v2 and KV v1 listings, allowed and denied', () => {
  const { check } = load();
  const allowed: Array<[string, string]> = [
    ['secret/metadata/team-a/', 'as consul-template users write it'],
    ['secret/metadata/team-a', 'without the slash'],
    ['secret/team-a', 'the logical path (the shim inserts metadata/)'],
    ['secret/team-a/nested/', 'a folder below'],
    ['kv/team-a', 'KV v1: LIST kv/team-a/ matches kv/team-a/*'],
  ];
  for (const [path, why] of allowed) assert.equal(check(listing('team-a', path)), undefined, `${path}: ${why}`);
  const allowedText = 'kv/team-a/* [read list], secret/data/team-a/*, secret/metadata/team-a/* [list]';
  const denied: Array<[TenancyRequest, string, string]> = [
    [listing('team-a', 'secret/metadata/team-b/'), 'TENANCY_PATH_NOT_ALLOWED',
      `namespace "team-a" may not list "secret/metadata/team-b/" in annotation ${A}agent-inject-template-keys (allowed: ${allowedText})`],
    [listing('team-a', 'secret/team-b'), 'TENANCY_PATH_NOT_ALLOWED',
      `namespace "team-a" may not list "secret/team-b" (Vault path "secret/metadata/team-b/") in annotation ${A}agent-inject-template-keys (allowed: ${allowedText})`],
    [listing('team-a', 'secret/metadata/'), 'TENANCY_PATH_NOT_ALLOWED',
      `namespace "team-a" may not list "secret/metadata/" in annotation ${A}agent-inject-template-keys (allowed: ${allowedText})`],
    [listing('team-a', 'secret/metadata/shared/'), 'TENANCY_PATH_NOT_ALLOWED',
      `namespace "team-a" may not list "secret/metadata/shared/" in annotation ${A}agent-inject-template-keys (allowed: ${allowedText})`],
    // A listing is no longer checked as a read of data/: the old rewrite would have let this through.
    [listing('team-a', 'secret/data/team-a/'), 'TENANCY_PATH_NOT_ALLOWED',
      `namespace "team-a" may not list "secret/data/team-a/" (Vault path "secret/metadata/data/team-a/") in annotation ${A}agent-inject-template-keys (allowed: ${allowedText})`],
  ];
  for (const [input, code, message] of denied) assert.deepEqual(check(input), { code, message }, input.secretPaths[0]?.path ?? '');
  assert.equal(check(listing('team-c', 'secret/metadata/shared/')), undefined, 'the exception lists the shared folder');
  const readOnly = load(listPolicyText.replaceAll('capabilities: [read, list]', 'capabilities: [read]')).check;
  assert.equal(readOnly(listing('team-a', 'secret/metadata/team-a/'))?.code, 'TENANCY_PATH_NOT_ALLOWED', 'no list granted: no metadata/ rule');
  assert.equal(readOnly(listing('team-a', 'kv/team-a'))?.code, 'TENANCY_CAPABILITY_NOT_ALLOWED', 'KV v1 path granted read only');
});

test('admission pipeline: the template annotation is parsed, its `secrets` call checked as a list', () => {
  const { check } = load();
  const loadedSettings = loadSettings([], { AGENT_INJECT_VAULT_ADDR: 'https://vault.vault.svc:8200' });
  assert.ok(loadedSettings.ok);
  const review = (namespace: string, listed: string) => {
    const body = JSON.parse(readFileSync(new URL('../fixtures/kubernetes/review-v1-deployment-pod.json', import.meta.url), 'utf8')) as {
      request: { namespace: string; object: { metadata: { namespace: string; annotations: Record<string, string> } } };
    };
    body.request.namespace = namespace;
    body.request.object.metadata.namespace = namespace;
    body.request.object.metadata.annotations = {
      [`${A}agent-inject`]: 'true', [`${A}role`]: namespace,
      [`${A}agent-inject-secret-keys`]: `secret/data/${namespace}/db`,
      [`${A}agent-inject-template-keys`]: `{{ range secrets "${listed}" }}{{ . }}\n{{ end }}`,
    };
    return body as unknown as Record<string, unknown>;
  };
  const own = pipeline.handleAdmissionReview(review('team-a', 'secret/metadata/team-a/'), loadedSettings.settings, { tenancy: check });
  assert.equal(own.decision, 'injected', JSON.stringify(own.body));
  const foreign = pipeline.handleAdmissionReview(review('team-b', 'secret/metadata/team-a/'), loadedSettings.settings, { tenancy: check });
  assert.equal(foreign.decision, 'denied');
  assert.equal(foreign.errorCode, 'TENANCY_PATH_NOT_ALLOWED');
});

test('our agent lists a KV v2 mount where consul-template does (shimKvV2ListPath)', () => {
  const cases: Array<[string, string]> = [
    ['secret/metadata/team-a', 'secret/metadata/team-a'],
    ['secret/team-a', 'secret/metadata/team-a'],
    ['secret', 'secret/metadata'],
    ['secret/metadata', 'secret/metadata'],
    ['secret/team-a/nested', 'secret/metadata/team-a/nested'],
  ];
  for (const [path, expected] of cases) assert.deepEqual(vaultCallFor({ kind: 'list', path }, 'secret/'), { method: 'list', path: expected }, path);
});

describe('the synced policy in Vault (double): team-a lists its folder, team-b cannot', () => {
  let h: Harness;
  let directory: string;
  const tokens = new Map<string, string>();

  before(async () => {
    h = await startHarness();
    directory = await mkdtemp(join(tmpdir(), 'kv2-list-'));
    const policyFile = join(directory, 'tenancy.yaml');
    await writeFile(policyFile, listPolicyText);
    const { policy } = load();
    h.label('team-a', true);
    h.label('team-b', true);
    h.vault.enableKv('secret', 2);
    h.vault.putKv('secret', 'team-a/db', { password: 'team-a-password' });
    h.vault.putKv('secret', 'team-a/api/key', { key: 'k' });
    h.vault.putKv('secret', 'team-b/db', { password: 'team-b-password' });
    const session = await connectVault({ address: h.vault.address, credentials: { kind: 'kubernetes', mount: 'kubernetes', role: 'vault-injector', jwtFile: h.injectorJwtFile } });
    await runTenancySync({ policy, listNamespaces: tenantNamespaceLister(h.kube.kubeConfig()), vault: session, dryRun: false });
    await session.close();
    for (const namespace of ['team-a', 'team-b']) {
      const jwt = h.vault.issueServiceAccountJwt({ namespace, name: 'web' });
      const login = await vaultCall(h.vault.address, 'POST', 'auth/kubernetes/login', undefined, { role: namespace, jwt });
      assert.equal(login.status, 200);
      tokens.set(namespace, (login.body as { auth: { client_token: string } }).auth.client_token);
    }
  });
  after(async () => {
    await h?.close();
    if (directory) await rm(directory, { recursive: true, force: true });
  });

  test('raw LIST: allowed for the owner, denied with Vault\'s body for the other namespace', async () => {
    const own = await vaultCall(h.vault.address, 'GET', 'secret/metadata/team-a/?list=true', tokens.get('team-a'));
    assert.equal(own.status, 200);
    assert.deepEqual((own.body as { data: { keys: string[] } }).data.keys, ['api/', 'db']);
    const other = await vaultCall(h.vault.address, 'GET', 'secret/metadata/team-a/?list=true', tokens.get('team-b'));
    assert.equal(other.status, 403);
    assert.deepEqual(other.body, { errors: ['1 error occurred:\n\t* permission denied\n\n'] });
  });

  const render = async (namespace: string, listed: string) => {
    const templateFile = join(directory, `${namespace}.tmpl`);
    await writeFile(templateFile, `{{ range secrets "${listed}" }}{{ . }}\n{{ end }}`);
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    stdout.on('data', (chunk: Buffer) => out.push(chunk));
    stderr.on('data', (chunk: Buffer) => err.push(chunk));
    const code = await runRenderCommand([templateFile], {
      stdout, stderr, cwd: directory, env: { VAULT_ADDR: h.vault.address, VAULT_TOKEN: tokens.get(namespace) },
    });
    return { code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') };
  };

  test('our agent renders the listing with team-a\'s token, as a LIST of secret/metadata/team-a', async () => {
    const before = h.vault.requests.length;
    const rendered = await render('team-a', 'secret/metadata/team-a/');
    assert.equal(rendered.code, 0, rendered.stderr);
    assert.equal(rendered.stdout, 'api/\ndb\n');
    const lists = h.vault.requests.slice(before).filter((request) => request.method === 'LIST' || request.query.includes('list=true'));
    assert.deepEqual(lists.map((request) => `${request.path} ${request.status}`), ['/v1/secret/metadata/team-a 200']);
  });

  test('team-b\'s agent listing team-a\'s folder is refused by Vault', async () => {
    const before = h.vault.requests.length;
    const rendered = await render('team-b', 'secret/metadata/team-a/');
    const lists = h.vault.requests.slice(before).filter((request) => request.method === 'LIST' || request.query.includes('list=true'));
    assert.ok(lists.length >= 1 && lists.every((request) => request.status === 403), JSON.stringify(lists));
    assert.doesNotMatch(rendered.stdout, /db/);
  });
});
