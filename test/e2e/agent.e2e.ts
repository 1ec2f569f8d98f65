// The agent logged in for real (issue 14): a pod injected by the webhook and stored by a real
// kube-apiserver; a service account token for that pod from the TokenRequest API, bound to it;
// our agent run as a child process with the init container's env and args as stored, against
// real OpenBao whose Kubernetes auth method reviews tokens with this API server (a reviewer
// service account bound to system:auth-delegator). The files appear; a pod of another namespace
// is refused by OpenBao's own role binding. The only thing changed is what a kubelet would do:
// the pod's paths (/vault/secrets, /home/vault, the token mount) become directories here, and the
// downward-API variables get the values a kubelet would give them.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startControlPlane } from '../real/controlplane.ts';
import type { ControlPlane } from '../real/controlplane.ts';
import { startOpenBao } from '../real/openbao.ts';
import type { OpenBao } from '../real/openbao.ts';
import { enableKubernetesAuth, enableKv, writeKubernetesRole, writeKv, writePolicy } from '../real/setup.ts';
import { applyObjects, createNamespace, getJson, kubeFor, kubectlOk } from './kube.ts';
import type { Kube } from './kube.ts';
import { installInjector, RELEASE_NAMESPACE } from './install.ts';
import type { InstalledInjector } from './install.ts';
import { annotated, podTemplate, runStoredProgram, vaultConfigOf } from './pods.ts';
import type { StoredContainer, StoredPod } from './pods.ts';

const TEAM = 'team-a';
const OTHER = 'team-b';
const ROLE = 'team-a-web';
const PASSWORD = 'correct-horse-battery-staple';

let plane: ControlPlane | undefined;
let bao: OpenBao | undefined;
let kube: Kube;
let injector: InstalledInjector | undefined;

before(async () => {
  [plane, bao] = await Promise.all([startControlPlane(), startOpenBao()]);
  kube = kubeFor(plane.kubeconfigPath, plane.dir);
  injector = await installInjector(plane, kube, { vaultAddress: bao.addr });
  // OpenBao's reviewer: a service account allowed to create TokenReviews, and nothing else.
  await kubectlOk(kube, ['create', 'serviceaccount', 'openbao-reviewer', '-n', RELEASE_NAMESPACE]);
  await kubectlOk(kube, ['create', 'clusterrolebinding', 'openbao-reviewer', '--clusterrole=system:auth-delegator', `--serviceaccount=${RELEASE_NAMESPACE}:openbao-reviewer`]);
  const reviewerToken = (await kubectlOk(kube, ['create', 'token', 'openbao-reviewer', '-n', RELEASE_NAMESPACE, '--duration=2h'])).trim();
  await enableKubernetesAuth(bao, { url: plane.server, caPem: plane.caCertPem, token: reviewerToken });
  await enableKv(bao, 'secret', 2);
  await writeKv(bao, 'secret', 2, `${TEAM}/web`, { password: PASSWORD });
  await writePolicy(bao, TEAM, `path "secret/data/${TEAM}/*" { capabilities = ["read"] }`);
  await writeKubernetesRole(bao, ROLE, { bound_service_account_names: ['web'], bound_service_account_namespaces: [TEAM], token_policies: [TEAM], token_ttl: '10m' });
  for (const namespace of [TEAM, OTHER]) {
    await createNamespace(kube, namespace);
    await kubectlOk(kube, ['create', 'serviceaccount', 'web', '-n', namespace]);
  }
});

after(async () => {
  await injector?.webhook.stop();
  await Promise.all([plane?.stop(), bao?.stop()]);
});

async function injectedPod(namespace: string): Promise<StoredPod> {
  const template = podTemplate('web', annotated(ROLE, { 'config.txt': `secret/data/${TEAM}/web` }, {
    'vault.hashicorp.com/agent-inject-template-config.txt': `{{ with secret "secret/data/${TEAM}/web" }}password={{ .Data.data.password }}{{ end }}`,
    // A refused login ends the init container instead of retrying for ever.
    'vault.hashicorp.com/agent-auto-auth-exit-on-err': 'true',
  }));
  const applied = await applyObjects(kube, [{ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace, ...template.metadata }, spec: { ...template.spec, serviceAccountName: 'web' } }]);
  assert.equal(applied.status, 0, applied.stderr);
  return getJson<StoredPod & { metadata: { uid: string } }>(kube, ['pod', 'web', '-n', namespace]);
}

interface AgentRun { code: number; output: string; secretsDir: string; terminationMessage: string }

/** Runs the stored init container the way a kubelet would, with the agent from this checkout. */
async function runInitContainer(pod: StoredPod & { metadata: { uid?: string } }): Promise<AgentRun> {
  if (plane === undefined) throw new Error('no control plane');
  const container = pod.spec.initContainers?.find((c) => c.name === 'vault-agent-init') as StoredContainer;
  assert.ok(container, 'the stored pod has the init container');
  const root = join(plane.dir, `kubelet-${pod.metadata.namespace}`);
  const secretsDir = join(root, 'vault-secrets');
  const home = join(root, 'home');
  const tokenDir = join(root, 'serviceaccount');
  for (const dir of [secretsDir, home, tokenDir]) mkdirSync(dir, { recursive: true });
  // TokenRequest bound to this pod, as the kubelet's projected volume obtains it.
  const token = (await kubectlOk(kube, ['create', 'token', pod.spec.serviceAccountName ?? 'default', '-n', pod.metadata.namespace,
    '--bound-object-kind=Pod', `--bound-object-name=${pod.metadata.name}`, `--bound-object-uid=${pod.metadata.uid ?? ''}`, '--duration=1h'])).trim();
  writeFileSync(join(tokenDir, 'token'), token, { mode: 0o600 });
  const mounts: Array<[string, string]> = [['/vault/secrets', secretsDir], ['/home/vault', home], ['/var/run/secrets/kubernetes.io/serviceaccount', tokenDir]];
  const onHost = (path: string): string => {
    for (const [inPod, here] of mounts) if (path === inPod || path.startsWith(`${inPod}/`)) return here + path.slice(inPod.length);
    return path;
  };
  for (const mount of container.volumeMounts ?? []) assert.ok(mounts.some(([inPod]) => inPod === mount.mountPath), `the test maps ${mount.mountPath}`);

  // The stored VAULT_CONFIG with only its paths moved onto this machine.
  const config = vaultConfigOf(container);
  const method = config.auto_auth?.method;
  const moved = {
    ...config,
    ...(config.auto_auth !== undefined ? {
      auto_auth: {
        ...config.auto_auth,
        ...(method !== undefined ? { method: { ...method, config: { ...method.config, token_path: onHost(String((method.config as { token_path?: string }).token_path)) } } } : {}),
        ...(config.auto_auth.sink !== undefined ? { sink: config.auto_auth.sink.map((sink) => ({ ...sink, config: { ...sink.config, path: onHost(sink.config.path) } })) } : {}),
      },
    } : {}),
    ...(config.pid_file !== undefined ? { pid_file: onHost(config.pid_file) } : {}),
    template: (config.template ?? []).map((template) => ({ ...template, destination: onHost(template.destination) })),
    vault_injector: { ...config.vault_injector, termination_message_path: join(root, 'termination-log') },
  };
  const downward: Record<string, string> = { 'metadata.namespace': pod.metadata.namespace, 'metadata.name': pod.metadata.name, 'status.hostIP': '127.0.0.1', 'status.podIP': '127.0.0.1' };
  const env: Record<string, string> = { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: home };
  for (const variable of container.env ?? []) {
    if (variable.name === 'VAULT_CONFIG') env[variable.name] = Buffer.from(JSON.stringify(moved)).toString('base64');
    else if (variable.value !== undefined) env[variable.name] = variable.value;
    else if (variable.valueFrom?.fieldRef !== undefined) env[variable.name] = downward[variable.valueFrom.fieldRef.fieldPath] ?? '';
  }
  // The image's ENTRYPOINT is node on the agent bundle, CMD ["run"] (Dockerfile.agent): the stored
  // command/args, when the webhook set them, replace those as a kubelet would.
  const args = container.command !== undefined ? container.command.slice(1).concat(container.args ?? []) : container.args ?? ['run'];
  const { code, output } = await runStoredProgram('agent', args, env);
  const terminationPath = join(root, 'termination-log');
  return { code, output, secretsDir, terminationMessage: existsSync(terminationPath) ? readFileSync(terminationPath, 'utf8') : '' };
}

describe('the agent of a stored pod, logged in to real OpenBao with a bound token of this API server', () => {
  test('the pod\'s own namespace: login through TokenReview, the file is rendered, the init container exits 0', { timeout: 180_000 }, async () => {
    const pod = await injectedPod(TEAM);
    const run = await runInitContainer(pod);
    assert.equal(run.code, 0, run.output);
    assert.equal(readFileSync(join(run.secretsDir, 'config.txt'), 'utf8'), `password=${PASSWORD}`);
    assert.ok(!run.output.includes(PASSWORD), 'the secret value never reaches the log');
  });

  test('a pod of another namespace with the same role: OpenBao refuses the login, no file, the reason in the termination message', { timeout: 180_000 }, async (t) => {
    const pod = await injectedPod(OTHER);
    const run = await runInitContainer(pod);
    t.diagnostic(`termination message: ${run.terminationMessage}`);
    assert.notEqual(run.code, 0);
    assert.equal(existsSync(join(run.secretsDir, 'config.txt')), false);
    // The Kubernetes auth plugin's own words for a token whose namespace the role does not bind.
    assert.match(run.terminationMessage, /namespace not authorized/);
  });
});
