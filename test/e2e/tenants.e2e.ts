// The tenant controller against this API server and real OpenBao (issue 14): the chart's CronJob
// (profile tenant, tenancy.controller.enabled) as stored, run as a local process the way a kubelet
// would run its container: its args and env, a TokenRequest token of the chart's tenants service
// account both for the Kubernetes API (namespace reads only) and for OpenBao's Kubernetes login,
// the tenancy ConfigMap as the policy file. Labelling a namespace gets it a policy and a role;
// removing the label removes them.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startControlPlane } from '../real/controlplane.ts';
import type { ControlPlane } from '../real/controlplane.ts';
import { startOpenBao } from '../real/openbao.ts';
import type { OpenBao } from '../real/openbao.ts';
import { enableKubernetesAuth, writeKubernetesRole, writePolicy } from '../real/setup.ts';
import { chartDir, repoRoot } from '../chart/helm.ts';
import { createNamespace, getJson, helmCommand, kubeFor, kubectlOk } from './kube.ts';
import type { Kube } from './kube.ts';
import { RELEASE, RELEASE_NAMESPACE } from './install.ts';
import { serviceAccountKubeconfig } from './webhook.ts';
import { runStoredProgram } from './pods.ts';
import type { StoredContainer } from './pods.ts';

const TENANT = 'shop';

let plane: ControlPlane | undefined;
let bao: OpenBao | undefined;
let kube: Kube;

interface StoredCronJob {
  spec: { jobTemplate: { spec: { template: { spec: { serviceAccountName: string; containers: StoredContainer[] } } } } };
}

before(async () => {
  [plane, bao] = await Promise.all([startControlPlane(), startOpenBao()]);
  kube = kubeFor(plane.kubeconfigPath, plane.dir);
  await createNamespace(kube, RELEASE_NAMESPACE);
  // No webhook process here: tenant sync does not need one, and only annotated pods would be sent.
  const install = await helmCommand(kube, ['install', RELEASE, chartDir, '--namespace', RELEASE_NAMESPACE, '--set', 'profile=tenant',
    '--set', 'tenancy.controller.enabled=true', '--set', `vault.address=${bao.addr}`, '--set', 'webhook.url=https://127.0.0.1:9/mutate']);
  assert.equal(install.status, 0, install.stderr);
  await kubectlOk(kube, ['create', 'serviceaccount', 'openbao-reviewer', '-n', RELEASE_NAMESPACE]);
  await kubectlOk(kube, ['create', 'clusterrolebinding', 'openbao-reviewer', '--clusterrole=system:auth-delegator', `--serviceaccount=${RELEASE_NAMESPACE}:openbao-reviewer`]);
  const reviewerToken = (await kubectlOk(kube, ['create', 'token', 'openbao-reviewer', '-n', RELEASE_NAMESPACE, '--duration=2h'])).trim();
  await enableKubernetesAuth(bao, { url: plane.server, caPem: plane.caCertPem, token: reviewerToken });
  await createNamespace(kube, TENANT);
});

after(async () => {
  await Promise.all([plane?.stop(), bao?.stop()]);
});

/** One run of the stored CronJob's container, as a kubelet would run it; returns its exit code and output. */
async function runSync(): Promise<{ code: number; output: string }> {
  if (plane === undefined || bao === undefined) throw new Error('not started');
  const cron = await getJson<StoredCronJob>(kube, ['cronjob', '-n', RELEASE_NAMESPACE, '-l', 'app.kubernetes.io/component=tenants-sync']).then((list) => (list as unknown as { items: StoredCronJob[] }).items[0]);
  assert.ok(cron, 'the chart created the tenants-sync CronJob');
  const pod = cron.spec.jobTemplate.spec.template.spec;
  const container = pod.containers[0] as StoredContainer;
  const dir = join(plane.dir, 'tenants-kubelet');
  mkdirSync(dir, { recursive: true });
  const configMap = await getJson<{ data: Record<string, string> }>(kube, ['configmap', '-n', RELEASE_NAMESPACE, '-l', 'app.kubernetes.io/instance=vi'])
    .then((list) => (list as unknown as { items: Array<{ metadata: { name: string }; data: Record<string, string> }> }).items.find((item) => item.metadata.name.endsWith('-tenancy')));
  assert.ok(configMap?.data['policy.yaml'], 'the tenancy ConfigMap holds policy.yaml');
  const policyFile = join(dir, 'policy.yaml');
  writeFileSync(policyFile, configMap.data['policy.yaml'] ?? '');
  const tokenFile = join(dir, 'token');
  writeFileSync(tokenFile, (await kubectlOk(kube, ['create', 'token', pod.serviceAccountName, '-n', RELEASE_NAMESPACE, '--duration=1h'])).trim(), { mode: 0o600 });
  const kubeconfigPath = await serviceAccountKubeconfig(kube, { server: plane.server, caCertPem: plane.caCertPem, namespace: RELEASE_NAMESPACE, serviceAccount: pod.serviceAccountName, path: join(dir, 'kubeconfig') });
  const env: Record<string, string> = { PATH: process.env['PATH'] ?? '/usr/bin:/bin' };
  for (const variable of container.env ?? []) if (variable.value !== undefined) env[variable.name] = variable.value;
  assert.equal(env['VAULT_ADDR'], bao.addr);
  // The kubelet's part: the ConfigMap mount, the service account token, the in-cluster API.
  env['AGENT_INJECT_TENANCY_POLICY_FILE'] = policyFile;
  const args = [...(container.args ?? []), '--jwt-file', tokenFile, '--kubeconfig', kubeconfigPath];
  return runStoredProgram('webhook', args, env);
}

describe('the tenant controller, run as the chart stores it, against this API server and real OpenBao', () => {
  test('its Vault role, given the admin policy the webhook prints, lets it log in with the chart\'s service account', async () => {
    if (bao === undefined) throw new Error('not started');
    const adminPolicy = spawn(join(repoRoot, 'node_modules', '.bin', 'node'), ['--import', 'tsx', join(repoRoot, 'src', 'cli.ts'), 'tenants', 'admin-policy'], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] });
    let hcl = '';
    adminPolicy.stdout.setEncoding('utf8').on('data', (chunk: string) => { hcl += chunk; });
    assert.equal(await new Promise<number>((resolveExit) => adminPolicy.on('exit', (code) => resolveExit(code ?? -1))), 0);
    await writePolicy(bao, 'vault-injector-tenants', hcl);
    const cron = (await getJson<{ items: StoredCronJob[] }>(kube, ['cronjob', '-n', RELEASE_NAMESPACE])).items[0];
    await writeKubernetesRole(bao, 'vault-injector-tenants', {
      bound_service_account_names: [cron?.spec.jobTemplate.spec.template.spec.serviceAccountName ?? ''], bound_service_account_namespaces: [RELEASE_NAMESPACE], token_policies: ['vault-injector-tenants'],
    });
  });

  test('a namespace labelled tenant gets its policy and role; without the label they are removed', { timeout: 240_000 }, async () => {
    if (bao === undefined) throw new Error('not started');
    await kubectlOk(kube, ['label', 'namespace', TENANT, 'vault-injector.io/tenant=true']);
    const first = await runSync();
    assert.equal(first.code, 0, first.output);
    const policy = await bao.request('GET', `sys/policies/acl/tenant-${TENANT}`);
    assert.equal(policy.status, 200, JSON.stringify(policy.body));
    assert.match((policy.body as { data: { policy: string } }).data.policy, new RegExp(TENANT));
    const role = await bao.request('GET', `auth/kubernetes/role/${TENANT}`);
    assert.equal(role.status, 200, JSON.stringify(role.body));
    assert.deepEqual((role.body as { data: { bound_service_account_namespaces: string[] } }).data.bound_service_account_namespaces, [TENANT]);

    await kubectlOk(kube, ['label', 'namespace', TENANT, 'vault-injector.io/tenant-']);
    const second = await runSync();
    assert.equal(second.code, 0, second.output);
    assert.equal((await bao.request('GET', `sys/policies/acl/tenant-${TENANT}`)).status, 404);
    assert.equal((await bao.request('GET', `auth/kubernetes/role/${TENANT}`)).status, 404);
  });
});
