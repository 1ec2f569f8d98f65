// The workloads the end-to-end tests apply, and the assertions on the pods the API server stored.
// The expectations are written out field by field from the README's reference (names, paths,
// security context, resources), not read back from the webhook, so a wrong injection fails here.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from '../chart/helm.ts';
import { agentConfigSchema } from '../../agent/src/config/schema.ts';
import type { AgentConfig } from '../../agent/src/config/schema.ts';

export const APP_IMAGE = 'registry.example/payments:1.4.2';

/** What PodSecurity `restricted` demands of every container; our agents must carry the same. */
export const RESTRICTED_CONTAINER = {
  runAsNonRoot: true,
  allowPrivilegeEscalation: false,
  capabilities: { drop: ['ALL'] },
  seccompProfile: { type: 'RuntimeDefault' },
};

export interface PodTemplate {
  metadata: { labels: Record<string, string>; annotations: Record<string, string> };
  spec: Record<string, unknown>;
}

export function podTemplate(app: string, annotations: Record<string, string>, restartPolicy?: 'Never' | 'OnFailure'): PodTemplate {
  return {
    metadata: { labels: { app }, annotations },
    spec: {
      ...(restartPolicy !== undefined ? { restartPolicy } : {}),
      containers: [{ name: 'app', image: APP_IMAGE, securityContext: { ...RESTRICTED_CONTAINER, runAsUser: 1000 } }],
    },
  };
}

export function annotated(role: string, secrets: Record<string, string>, extra: Record<string, string> = {}): Record<string, string> {
  const annotations: Record<string, string> = { 'vault.hashicorp.com/agent-inject': 'true', 'vault.hashicorp.com/role': role, ...extra };
  for (const [name, path] of Object.entries(secrets)) annotations[`vault.hashicorp.com/agent-inject-secret-${name}`] = path;
  return annotations;
}

export interface StoredContainer {
  name: string;
  image: string;
  args?: string[];
  command?: string[];
  env?: Array<{ name: string; value?: string; valueFrom?: { fieldRef?: { fieldPath: string } } }>;
  volumeMounts?: Array<{ name: string; mountPath: string; readOnly?: boolean }>;
  securityContext?: Record<string, unknown>;
  resources?: { limits?: Record<string, string>; requests?: Record<string, string> };
  restartPolicy?: string;
  startupProbe?: unknown;
}

export interface StoredPod {
  metadata: { name: string; namespace: string; annotations?: Record<string, string>; ownerReferences?: Array<{ kind: string; name: string }> };
  spec: {
    containers: StoredContainer[];
    initContainers?: StoredContainer[];
    volumes?: Array<{ name: string; emptyDir?: { medium?: string }; projected?: unknown }>;
    serviceAccountName?: string;
  };
  status?: { phase?: string };
}

export interface Expected {
  role: string;
  vaultAddress: string;
  agentImage: string;
  /** secret name → Vault path */
  secrets: Record<string, string>;
  shape: 'init and sidecar' | 'init only' | 'native sidecar';
}

export function vaultConfigOf(container: StoredContainer): AgentConfig {
  const encoded = container.env?.find((variable) => variable.name === 'VAULT_CONFIG')?.value;
  assert.ok(encoded, `${container.name} has VAULT_CONFIG`);
  // The agent's own schema: what the stored pod would hand the agent is a config it accepts.
  return agentConfigSchema.parse(JSON.parse(Buffer.from(encoded, 'base64').toString('utf8')));
}

function assertAgent(container: StoredContainer, expected: Expected, exitAfterAuth: boolean): void {
  assert.equal(container.image, expected.agentImage, `${container.name} image`);
  const envNames = (container.env ?? []).map((variable) => variable.name);
  for (const name of ['NAMESPACE', 'HOST_IP', 'POD_IP', 'VAULT_LOG_LEVEL', 'VAULT_LOG_FORMAT', 'VAULT_CONFIG']) {
    assert.ok(envNames.includes(name), `${container.name} env ${name}`);
  }
  assert.deepEqual(container.env?.find((variable) => variable.name === 'NAMESPACE')?.valueFrom, { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } },
    'the API server defaulted the fieldRef apiVersion: the downward API value is stored as Kubernetes reads it');
  const config = vaultConfigOf(container);
  assert.equal(config.exit_after_auth, exitAfterAuth, `${container.name} exit_after_auth`);
  assert.equal(config.vault?.address, expected.vaultAddress);
  const method = config.auto_auth?.method;
  assert.equal(method?.type, 'kubernetes');
  assert.equal(method?.mount_path, 'auth/kubernetes');
  assert.equal((method?.config as { role?: string } | undefined)?.role, expected.role);
  assert.equal((method?.config as { token_path?: string } | undefined)?.token_path, '/var/run/secrets/kubernetes.io/serviceaccount/token');
  assert.deepEqual((config.template ?? []).map((template) => template.destination).sort(),
    Object.keys(expected.secrets).map((name) => `/vault/secrets/${name}`).sort());
  for (const [name, path] of Object.entries(expected.secrets)) {
    const template = config.template?.find((entry) => entry.destination === `/vault/secrets/${name}`);
    assert.match(template?.contents ?? '', new RegExp(`secret "${path.replace(/[/.]/g, '\\$&')}"`), `the template of ${name} reads ${path}`);
  }
  const mounts = new Map((container.volumeMounts ?? []).map((mount) => [mount.mountPath, mount]));
  assert.equal(mounts.get('/vault/secrets')?.name, 'vault-secrets');
  assert.ok(mounts.get('/home/vault')?.name.startsWith('home-'), `${container.name} has its own home volume`);
  const token = mounts.get('/var/run/secrets/kubernetes.io/serviceaccount');
  assert.ok(token?.name.startsWith('kube-api-access-'), `${container.name} mounts the projected token the ServiceAccount admission added`);
  assert.equal(token?.readOnly, true);
  // The chart's agent.runAsUser/runAsGroup (the agent image's user), not the webhook's own 100/1000.
  assert.deepEqual(container.securityContext, { ...RESTRICTED_CONTAINER, runAsUser: 65532, runAsGroup: 65532, readOnlyRootFilesystem: true });
  assert.deepEqual(container.resources, { limits: { cpu: '500m', memory: '128Mi' }, requests: { cpu: '10m', memory: '48Mi' } });
}

/** The pod as stored: our containers, volumes, mounts and VAULT_CONFIG, and the app container untouched but for the mount. */
export function assertInjected(pod: StoredPod, expected: Expected): void {
  const where = `${pod.metadata.namespace}/${pod.metadata.name}`;
  assert.equal(pod.metadata.annotations?.['vault.hashicorp.com/agent-inject-status'], 'injected', `${where} is marked injected`);
  const initNames = (pod.spec.initContainers ?? []).map((container) => container.name);
  const names = pod.spec.containers.map((container) => container.name);
  const init = pod.spec.initContainers?.find((container) => container.name === 'vault-agent-init');
  const sidecar = pod.spec.containers.find((container) => container.name === 'vault-agent');
  switch (expected.shape) {
    case 'init and sidecar':
      assert.deepEqual(initNames, ['vault-agent-init'], `${where} init containers`);
      assert.deepEqual(names, ['app', 'vault-agent'], `${where} containers`);
      assertAgent(init as StoredContainer, expected, true);
      assertAgent(sidecar as StoredContainer, expected, false);
      break;
    case 'init only':
      assert.deepEqual(initNames, ['vault-agent-init'], `${where} init containers`);
      assert.deepEqual(names, ['app'], `${where} containers: no sidecar in a pre-populate-only pod`);
      assertAgent(init as StoredContainer, expected, true);
      break;
    case 'native sidecar': {
      assert.deepEqual(names, ['app'], `${where} containers`);
      assert.equal(initNames.length, 1, `${where}: one native sidecar in initContainers`);
      const native = pod.spec.initContainers?.[0] as StoredContainer;
      assert.equal(native.restartPolicy, 'Always', 'a native sidecar is an init container with restartPolicy Always');
      assert.ok(native.startupProbe !== undefined, 'the native sidecar holds the app back until the secrets are rendered');
      assertAgent(native, expected, false);
      break;
    }
  }
  const app = pod.spec.containers.find((container) => container.name === 'app');
  assert.equal(app?.image, APP_IMAGE);
  assert.deepEqual(app?.volumeMounts?.filter((mount) => mount.name === 'vault-secrets'), [{ name: 'vault-secrets', mountPath: '/vault/secrets' }]);
  const volumes = new Map((pod.spec.volumes ?? []).map((volume) => [volume.name, volume]));
  assert.deepEqual(volumes.get('vault-secrets')?.emptyDir, { medium: 'Memory' });
  for (const container of [...(pod.spec.initContainers ?? []), ...pod.spec.containers]) {
    for (const mount of container.volumeMounts ?? []) assert.ok(volumes.has(mount.name), `${container.name} mounts ${mount.name}, which exists`);
  }
}

/** Runs one of our programs (`agent/src/cli.ts`, `src/cli.ts`) with a stored container's args and
 *  env, as a kubelet would run the image, until it exits (killed after two minutes). */
export async function runStoredProgram(program: 'agent' | 'webhook', args: string[], env: Record<string, string>): Promise<{ code: number; output: string }> {
  const entry = program === 'agent' ? join(repoRoot, 'agent', 'src', 'cli.ts') : join(repoRoot, 'src', 'cli.ts');
  const child = spawn(join(repoRoot, 'node_modules', '.bin', 'node'), ['--import', 'tsx', entry, ...args], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => { output += chunk; });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => { output += chunk; });
  // E2E_DEBUG=1 shows the child's own log as it runs (it is in the failure message otherwise).
  if (process.env['E2E_DEBUG'] === '1') {
    child.stdout.pipe(process.stderr);
    child.stderr.pipe(process.stderr);
  }
  const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
  const code = await new Promise<number>((resolveExit) => child.on('exit', (exitCode) => resolveExit(exitCode ?? -1)));
  clearTimeout(timer);
  return { code, output };
}
