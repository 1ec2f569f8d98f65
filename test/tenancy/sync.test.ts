import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { runTenancySync } from '../../src/tenancy/sync.ts';
import { connectVault, TenancySyncError, type TenancyVault } from '../../src/tenancy/vault.ts';
import { tenantNamespaceLister } from '../../src/tenancy/kube.ts';
import { startTenancyController } from '../../src/tenancy/controller.ts';
import { runTenantsCommand } from '../../src/tenancy/cli.ts';
import { startHarness, vaultCall, type Harness } from './harness.ts';

const expectedTeamAPolicy = `# Vault policy for Kubernetes namespace "team-a", written by vault-injector \`tenants sync\` from the tenancy policy.
# Changes made here are overwritten; the policy is removed when the namespace loses the vault-injector.io/tenant label.
# vault-injector.io/managed-by: tenants-sync
# vault-injector.io/namespace: team-a

path "database/creds/team-a-*" {
  capabilities = ["read"]
}

path "pki/issue/team-a" {
  capabilities = ["create", "update"]
}

path "secret/data/team-a/*" {
  capabilities = ["read"]
}
`;

async function run(argv: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on('data', (chunk: Buffer) => out.push(chunk));
  stderr.on('data', (chunk: Buffer) => err.push(chunk));
  const code = await runTenantsCommand(argv, { stdout, stderr, env, cwd: process.cwd() });
  return { code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') };
}

describe('tenants sync against the Vault double', () => {
  let h: Harness;
  let vault: TenancyVault;
  before(async () => {
    h = await startHarness();
    h.label('team-a', true);
    h.label('team-b', true);
    h.label('team-c', false);
    // The injector's own Kubernetes-auth login, as the controller does it.
    vault = await connectVault({ address: h.vault.address, credentials: { kind: 'kubernetes', mount: 'kubernetes', role: 'vault-injector', jwtFile: h.injectorJwtFile } });
  });
  after(async () => {
    await vault.close();
    await h.close();
  });
  const sync = (dryRun = false) => runTenancySync({ policy: h.policy, listNamespaces: tenantNamespaceLister(h.kube.kubeConfig()), vault, dryRun });

  test('a dry run changes nothing and says what it would do', async () => {
    const mark = h.vault.requests.length;
    const result = await sync(true);
    assert.deepEqual(h.writesSince(mark), []);
    assert.deepEqual(result.applied, []);
    assert.deepEqual(result.plan.changes.map((change) => `${change.kind} ${change.name}`),
      ['write-policy tenant-team-a', 'write-role team-a', 'write-policy tenant-team-b', 'write-role team-b']);
  });

  test('writes the policy text and role for each labelled namespace, with the injector\'s own role only', async () => {
    const mark = h.vault.requests.length;
    await sync();
    assert.deepEqual(h.writesSince(mark), [
      'POST /v1/sys/policies/acl/tenant-team-a', 'POST /v1/auth/kubernetes/role/team-a',
      'POST /v1/sys/policies/acl/tenant-team-b', 'POST /v1/auth/kubernetes/role/team-b',
    ]);
    const policy = await vaultCall(h.vault.address, 'GET', 'sys/policies/acl/tenant-team-a', h.vault.rootToken);
    assert.equal(policy.status, 200);
    assert.equal((policy.body as { data: { policy: string } }).data.policy, expectedTeamAPolicy);
    const role = await vaultCall(h.vault.address, 'GET', 'auth/kubernetes/role/team-a', h.vault.rootToken);
    const data = (role.body as { data: Record<string, unknown> }).data;
    assert.deepEqual(
      [data.bound_service_account_names, data.bound_service_account_namespaces, data.token_policies, data.token_ttl, data.token_max_ttl],
      [['*'], ['team-a'], ['tenant-team-a'], 3600, 14400],
    );
    const unlabelled = await vaultCall(h.vault.address, 'GET', 'auth/kubernetes/role/team-c', h.vault.rootToken);
    assert.equal(unlabelled.status, 404);
  });

  test('a second run is idempotent: reads only, no writes in the double\'s request log', async () => {
    const mark = h.vault.requests.length;
    const result = await sync();
    assert.deepEqual(h.writesSince(mark), []);
    assert.ok(h.vault.requests.length > mark, 'it did read');
    assert.deepEqual(result.plan.unchanged, ['team-a', 'team-b']);
  });

  test('a hand edit of a managed policy or role is put back', async () => {
    await vaultCall(h.vault.address, 'PUT', 'sys/policies/acl/tenant-team-b', h.vault.rootToken,
      { policy: '# vault-injector.io/managed-by: tenants-sync\n# vault-injector.io/namespace: team-b\npath "secret/*" { capabilities = ["read"] }\n' });
    await vaultCall(h.vault.address, 'POST', 'auth/kubernetes/role/team-a', h.vault.rootToken,
      { bound_service_account_names: ['*'], bound_service_account_namespaces: ['team-a', 'team-b'], token_policies: ['tenant-team-a'], token_ttl: 3600, token_max_ttl: 14400 });
    const mark = h.vault.requests.length;
    await sync();
    assert.deepEqual(h.writesSince(mark), ['POST /v1/auth/kubernetes/role/team-a', 'POST /v1/sys/policies/acl/tenant-team-b']);
  });

  test('removes what it created when the label goes, and nothing else', async () => {
    h.label('team-b', false);
    const mark = h.vault.requests.length;
    await sync();
    assert.deepEqual(h.writesSince(mark), ['DELETE /v1/auth/kubernetes/role/team-b', 'DELETE /v1/sys/policies/acl/tenant-team-b']);
    assert.equal((await vaultCall(h.vault.address, 'GET', 'sys/policies/acl/tenant-team-b', h.vault.rootToken)).status, 404);
    assert.equal((await vaultCall(h.vault.address, 'GET', 'auth/kubernetes/role/team-b', h.vault.rootToken)).status, 404);
    assert.equal((await vaultCall(h.vault.address, 'GET', 'sys/policies/acl/tenant-team-a', h.vault.rootToken)).status, 200);
    assert.equal((await vaultCall(h.vault.address, 'GET', 'sys/policies/acl/vault-injector-tenancy', h.vault.rootToken)).status, 200);
    const again = h.vault.requests.length;
    await sync();
    assert.deepEqual(h.writesSince(again), []);
  });

  test('a policy or role it did not write is a conflict and left alone', async () => {
    h.vault.writePolicy('tenant-team-d', 'path "secret/data/*" { capabilities = ["read"] }\n');
    h.vault.writeKubernetesRole('kubernetes', 'team-e', { bound_service_account_names: ['app'], bound_service_account_namespaces: ['team-e'], token_policies: ['hand-made'] });
    h.label('team-d', true);
    h.label('team-e', true);
    const mark = h.vault.requests.length;
    const result = await sync();
    assert.deepEqual(h.writesSince(mark), ['POST /v1/sys/policies/acl/tenant-team-e']);
    assert.deepEqual(result.plan.conflicts, [
      'policy "tenant-team-d" exists and was not written by tenants sync; namespace "team-d" is not provisioned (delete or rename that policy)',
      'role "team-e" at auth/kubernetes exists and was not written by tenants sync; it is left alone (namespace "team-e" gets its policy but no role)',
    ]);
    h.label('team-d', false);
    h.label('team-e', false);
    const cleanup = h.vault.requests.length;
    await sync();
    // the hand-made role stays; only the policy sync wrote goes
    assert.deepEqual(h.writesSince(cleanup), ['DELETE /v1/sys/policies/acl/tenant-team-e']);
    assert.equal((await vaultCall(h.vault.address, 'GET', 'sys/policies/acl/tenant-team-d', h.vault.rootToken)).status, 200);
  });

  test('a failed namespace listing changes nothing (no mass removal)', async () => {
    h.kube.failNext(403);
    const mark = h.vault.requests.length;
    await assert.rejects(sync(), (error: unknown) => {
      assert.ok(error instanceof TenancySyncError);
      assert.equal(error.code, 'TENANCY_SYNC_KUBERNETES_FAILED');
      assert.match(error.message, /^cannot list namespaces labelled vault-injector\.io\/tenant=true from the Kubernetes API at https:\/\/127\.0\.0\.1:\d+: HTTP 403$/);
      return true;
    });
    assert.deepEqual(h.writesSince(mark), []);
  });

  test('the controller reconciles only on the leader, and only with a policy in force', async () => {
    let leader = false;
    let policy: typeof h.policy | undefined = h.policy;
    const results: unknown[] = [];
    const scheduled: Array<() => void> = [];
    const controller = startTenancyController({
      currentPolicy: () => policy,
      isLeader: () => leader,
      listNamespaces: tenantNamespaceLister(h.kube.kubeConfig()),
      connectVault: () => connectVault({ address: h.vault.address, credentials: { kind: 'kubernetes', mount: 'kubernetes', role: 'vault-injector', jwtFile: h.injectorJwtFile } }),
      intervalMs: 1000,
      onResult: (result) => results.push(result),
      timers: { setTimeout: (run) => { scheduled.push(run); return scheduled.length; }, clearTimeout: () => undefined },
    });
    assert.equal(await controller.runOnce(), undefined, 'a follower does nothing');
    h.label('team-f', true);
    leader = true;
    const mark = h.vault.requests.length;
    const result = await controller.runOnce();
    assert.deepEqual(result?.applied.map((change) => `${change.kind} ${change.name}`), ['write-policy tenant-team-f', 'write-role team-f']);
    assert.ok(h.writesSince(mark).length === 2);
    policy = undefined;
    assert.equal(await controller.runOnce(), undefined, 'tenancy off: nothing');
    assert.ok(scheduled.length >= 1, 'the next round is scheduled');
    await controller.stop();
    assert.equal(results.length, 1);
    // every round logged in and gave its token back
    assert.ok(h.vault.requests.some((request) => request.path === '/v1/auth/token/revoke-self' && request.status === 204));
  });
});

describe('tenants command line', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
    h.label('team-a', true);
  });
  after(async () => h.close());

  test('sync --dry-run prints the changes and makes none; sync with the injector\'s login makes them; no credential is printed', async () => {
    const env = { VAULT_TOKEN: h.vault.rootToken, VAULT_ADDR: h.vault.address, KUBECONFIG: h.kubeconfigFile };
    const mark = h.vault.requests.length;
    const dry = await run(['sync', '--dry-run', '--tenancy', h.policyFile], env);
    assert.equal(dry.code, 0, dry.stderr);
    assert.deepEqual(h.writesSince(mark), []);
    const lines = dry.stdout.split('\n');
    assert.equal(lines[0], 'tenants sync --dry-run: 2 changes would be made');
    assert.equal(lines[1], 'would create policy tenant-team-a (namespace team-a)');
    assert.ok(dry.stdout.includes('    path "secret/data/team-a/*" {\n      capabilities = ["read"]\n    }'));
    assert.ok(lines.includes('would create role auth/kubernetes/role/team-a (bound to namespace team-a, service accounts *, policies tenant-team-a)'));

    const real = await run(['sync', '--tenancy', h.policyFile, '--vault-addr', h.vault.address, '--vault-role', 'vault-injector', '--jwt-file', h.injectorJwtFile, '--kubeconfig', h.kubeconfigFile, '--output', 'json'], {});
    assert.equal(real.code, 0, real.stderr);
    const report = JSON.parse(real.stdout) as { changes: Array<{ description: string; applied: boolean }> };
    assert.deepEqual(report.changes.map((change) => [change.description, change.applied]), [
      ['create policy tenant-team-a (namespace team-a)', true],
      ['create role auth/kubernetes/role/team-a (bound to namespace team-a, service accounts *, policies tenant-team-a)', true],
    ]);
    const again = await run(['sync', '--tenancy', h.policyFile], env);
    assert.equal(again.stdout, 'tenants sync: 0 changes made\nunchanged: team-a\n');
    for (const output of [dry, real, again]) {
      for (const secret of [h.vault.rootToken, h.injectorJwt, h.kube.token, ...h.vault.issuedValues()]) {
        assert.equal(`${output.stdout}${output.stderr}`.includes(secret), false, 'no token or JWT in the output');
      }
    }
  });

  test('errors are one clear line with a code, never a stack or a token', async () => {
    const cases: Array<[string[], NodeJS.ProcessEnv, number, RegExp]> = [
      [['sync'], {}, 2, /^error TENANCY_CLI_USAGE: no tenancy policy: give --tenancy FILE or set AGENT_INJECT_TENANCY_POLICY_FILE\n/],
      [['sync', '--tenancy', h.policyFile], {}, 2, /^error TENANCY_CLI_USAGE: no Vault address: give --vault-addr URL or set VAULT_ADDR\n/],
      [['sync', '--tenancy', h.policyFile, '--vault-addr', h.vault.address], {}, 2, /^error TENANCY_CLI_USAGE: no Vault credentials: set VAULT_TOKEN or give --vault-role ROLE \(Kubernetes auth\)\n/],
      [['sync', '--bogus'], {}, 2, /^error TENANCY_CLI_USAGE: Unknown option '--bogus'/],
      [['frobnicate'], {}, 2, /^error TENANCY_CLI_USAGE: unknown command "frobnicate"/],
      [['check', '--tenancy', '/nonexistent/tenancy.yaml'], {}, 1, /^error TENANCY_POLICY_INVALID: \/nonexistent\/tenancy\.yaml: cannot read the tenancy policy file \(ENOENT\)\n$/],
      [['sync', '--tenancy', h.policyFile, '--vault-addr', h.vault.address, '--kubeconfig', h.kubeconfigFile], { VAULT_TOKEN: 'hvs.not-a-real-token-0123456789' }, 1,
        /^error TENANCY_SYNC_VAULT_REFUSED: Vault at http:\/\/127\.0\.0\.1:\d+ refused to list ACL policies: HTTP 403 "permission denied"\n$/],
      [['sync', '--tenancy', h.policyFile, '--vault-addr', h.vault.address, '--vault-role', 'team-a', '--jwt-file', h.injectorJwtFile, '--kubeconfig', h.kubeconfigFile], {}, 1,
        /^error TENANCY_SYNC_VAULT_REFUSED: Vault at http:\/\/127\.0\.0\.1:\d+ refused to log in with Kubernetes auth \(auth\/kubernetes, role "team-a"\): HTTP 403 "namespace not authorized"\n$/],
      [['sync', '--tenancy', h.policyFile, '--vault-addr', h.vault.address, '--vault-role', 'vault-injector', '--jwt-file', '/dev/null', '--kubeconfig', h.kubeconfigFile], {}, 1,
        /^error TENANCY_SYNC_VAULT_REFUSED: the service account token file \/dev\/null is empty; cannot log in to Vault\n$/],
      [['sync', '--tenancy', h.policyFile, '--vault-addr', h.vault.address, '--vault-role', 'vault-injector', '--jwt-file', '/nonexistent/token', '--kubeconfig', h.kubeconfigFile], {}, 1,
        /^error TENANCY_SYNC_VAULT_REFUSED: cannot read the service account token file \/nonexistent\/token for the Vault login\n$/],
      [['sync', '--tenancy', h.policyFile, '--vault-addr', 'http://127.0.0.1:9', '--kubeconfig', h.kubeconfigFile], { VAULT_TOKEN: 'hvs.not-a-real-token-0123456789' }, 1,
        /^error TENANCY_SYNC_VAULT_UNREACHABLE: cannot reach Vault at http:\/\/127\.0\.0\.1:9 to list ACL policies: ECONNREFUSED\n$/],
    ];
    for (const [argv, env, code, stderr] of cases) {
      const result = await run(argv, env);
      assert.equal(result.code, code, `${argv.join(' ')}: ${result.stderr}`);
      assert.match(result.stderr, stderr, argv.join(' '));
      assert.equal(result.stderr.includes('hvs.not-a-real-token'), false);
      assert.equal(result.stderr.includes('    at '), false, 'no stack trace');
    }
  });

  test('check, show and admin-policy', async () => {
    const check = await run(['check', '--tenancy', h.policyFile], {});
    assert.equal(check.code, 0);
    assert.equal(check.stdout, `tenancy policy ${h.policyFile} is valid: tenants team-* except team-platform; 2 role patterns, 3 path patterns, 19 locked settings, 1 exceptions\n`);
    const show = await run(['show', '--namespace', 'team-legacy'], { AGENT_INJECT_TENANCY_POLICY_FILE: h.policyFile });
    assert.equal(show.code, 0);
    assert.match(show.stdout, /^namespace team-legacy: a tenant at admission\nroles: team-legacy, team-legacy-\*, legacy-app\n/);
    assert.ok(show.stdout.includes('path "secret/data/shared/legacy/*" {'));
    const admin = await run(['admin-policy'], {});
    assert.ok(admin.stdout.includes('path "sys/policies/acl/tenant-*" {'));
    const help = await run(['--help'], {});
    assert.equal(help.code, 0);
    assert.match(help.stdout, /^Usage: webhook tenants <command>/);
  });
});
