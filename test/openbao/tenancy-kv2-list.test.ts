// The KV v2 listing under tenancy against REAL OpenBao: `tenants sync` writes its policies and roles into
// OpenBao, a team-a pod's agent lists secret/metadata/team-a/ with its own login (the Kubernetes auth method
// reviewing the token with the Kubernetes API double), team-b's login is refused the same listing, and for a
// table of listings the admission check and OpenBao's ACLs agree.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { startOpenBao, type OpenBao } from '../real/openbao.ts';
import { enableKubernetesAuth, enableKv, writeKv } from '../real/setup.ts';
import { startKubernetesDouble, type KubernetesDouble } from '../doubles/kubernetes/index.ts';
import { startNamespacesDouble, type NamespacesDouble } from '../tenancy/namespaces-double.ts';
import { listPolicyText } from '../tenancy/kv2-list-policy.ts';
import { loadTenancyPolicy } from '../../src/tenancy/policy.ts';
import { runTenancySync } from '../../src/tenancy/sync.ts';
import { connectVault } from '../../src/tenancy/vault.ts';
import { tenantNamespaceLister } from '../../src/tenancy/kube.ts';
import { tenantLabel } from '../../src/tenancy/hcl.ts';
import type { TenancyCheck } from '../../src/tenancy/types.ts';
import { runRenderCommand } from '../../agent/src/commands/render.ts';
import { vaultCallFor } from '../../agent/src/secrets/paths.ts';

describe('KV v2 listing under tenancy, against OpenBao', () => {
  let bao: OpenBao;
  let kube: KubernetesDouble;
  let namespaces: NamespacesDouble;
  let directory: string;
  let check: TenancyCheck;
  const tokens = new Map<string, string>();

  before(async () => {
    directory = await mkdtemp(join(tmpdir(), 'openbao-kv2-list-'));
    bao = await startOpenBao();
    kube = await startKubernetesDouble();
    namespaces = await startNamespacesDouble();
    for (const namespace of ['team-a', 'team-b']) namespaces.setNamespace(namespace, { [tenantLabel]: 'true' });
    await enableKv(bao, 'secret', 2);
    await enableKubernetesAuth(bao, { url: kube.url, caPem: kube.caPem, token: kube.token });
    await writeKv(bao, 'secret', 2, 'team-a/db', { password: 'team-a-pw-4417' });
    await writeKv(bao, 'secret', 2, 'team-a/api/key', { key: 'k-1' });
    await writeKv(bao, 'secret', 2, 'team-b/db', { password: 'team-b-pw-9902' });

    const loaded = loadTenancyPolicy(listPolicyText, 'tenancy.yaml');
    assert.ok(loaded.ok, loaded.ok ? '' : loaded.problems.join('\n'));
    check = loaded.check;
    const session = await connectVault({ address: bao.addr, credentials: { kind: 'token', token: bao.rootToken } });
    await runTenancySync({ policy: loaded.policy, listNamespaces: tenantNamespaceLister(namespaces.kubeConfig()), vault: session, dryRun: false });
    await session.close();

    for (const namespace of ['team-a', 'team-b']) {
      const jwt = kube.issueServiceAccountToken({ namespace, name: 'web' });
      const login = await bao.request('POST', 'auth/kubernetes/login', { role: namespace, jwt });
      assert.equal(login.status, 200, JSON.stringify(login.body));
      tokens.set(namespace, (login.body as { auth: { client_token: string } }).auth.client_token);
    }
  });
  after(async () => {
    await Promise.allSettled([bao?.stop(), kube?.close(), namespaces?.close()]);
    if (directory) await rm(directory, { recursive: true, force: true });
  });

  test('the synced policy holds list on secret/metadata/team-a/* and read on secret/data/team-a/*', async () => {
    const policy = await bao.call('GET', 'sys/policies/acl/tenant-team-a');
    const text = (policy.body as { data: { policy: string } }).data.policy;
    assert.match(text, /path "secret\/metadata\/team-a\/\*" \{\n {2}capabilities = \["list"\]\n\}/);
    assert.match(text, /path "secret\/data\/team-a\/\*" \{\n {2}capabilities = \["read"\]\n\}/);
  });

  const render = async (namespace: string, listed: string) => {
    const templateFile = join(directory, `${namespace}-${listed.replaceAll('/', '_')}.tmpl`);
    await writeFile(templateFile, `{{ range secrets "${listed}" }}{{ . }}\n{{ end }}`);
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    stdout.on('data', (chunk: Buffer) => out.push(chunk));
    stderr.on('data', (chunk: Buffer) => err.push(chunk));
    const code = await runRenderCommand([templateFile], { stdout, stderr, cwd: directory, env: { VAULT_ADDR: bao.addr, VAULT_TOKEN: tokens.get(namespace) } });
    return { code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') };
  };

  test('our agent lists team-a\'s folder with team-a\'s token, as consul-template users write it', async () => {
    for (const listed of ['secret/metadata/team-a/', 'secret/team-a']) {
      const rendered = await render('team-a', listed);
      assert.equal(rendered.code, 0, rendered.stderr);
      assert.equal(rendered.stdout, 'api/\ndb\n', listed);
    }
  });

  test('team-b is refused team-a\'s listing by OpenBao, and at admission', async () => {
    const listing = await bao.request('LIST', 'secret/metadata/team-a/', undefined, { token: tokens.get('team-b') });
    assert.equal(listing.status, 403);
    assert.deepEqual(listing.body, { errors: ['1 error occurred:\n\t* permission denied\n\n'] });
    const rendered = await render('team-b', 'secret/metadata/team-a/');
    assert.doesNotMatch(rendered.stdout, /db/);
    const denial = check({ namespace: 'team-b', role: 'team-b', annotations: {}, secretPaths: [{ annotation: 'vault.hashicorp.com/agent-inject-template-x', path: 'secret/metadata/team-a/', operation: 'list' }] });
    assert.equal(denial?.code, 'TENANCY_PATH_NOT_ALLOWED');
  });

  test('admission and OpenBao agree on a table of listings and reads, sent where our agent sends them (team-a\'s token)', async () => {
    const cases: Array<[path: string, operation: 'list' | 'read']> = [
      ['secret/metadata/team-a', 'list'], ['secret/team-a', 'list'], ['secret/metadata/team-a/api', 'list'], ['secret/metadata/team-b', 'list'],
      ['secret/metadata', 'list'], ['secret', 'list'], ['secret/metadata/team-ab', 'list'], ['secret/data/team-a', 'list'],
      ['secret/team-a/db', 'read'], ['secret/data/team-a/db', 'read'], ['secret/team-b/db', 'read'], ['secret/metadata/team-a/db', 'read'],
    ];
    for (const [path, operation] of cases) {
      const admitted = check({ namespace: 'team-a', role: 'team-a', annotations: {}, secretPaths: [{ annotation: 'a', path, operation }] }) === undefined;
      const call = vaultCallFor({ kind: operation, path }, 'secret/');
      const answer = await bao.request(operation === 'list' ? 'LIST' : 'GET', call.path, undefined, { token: tokens.get('team-a') });
      // 404 (nothing there) is allowed by the ACL; only 403 is a denial.
      assert.equal(answer.status !== 403, admitted, `${operation} ${path}: admission ${admitted ? 'allows' : 'denies'}, OpenBao answered ${answer.status}`);
    }
  });
});
