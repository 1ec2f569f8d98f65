// The injected pod (contract 3), ported in spirit from vault-k8s's container_sidecar_test.go,
// container_init_sidecar_test.go, TestInjectContainers and handler_test.go's op sequences.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import jsonpatch from 'fast-json-patch';
import { Pod as PodModel } from 'kubernetes-models/v1';
import { mutatePod } from '../../../src/mutate.ts';
import type { Container, Pod } from '../../../src/pod.ts';
import { agents, container, decodeConfig, injected, makePod, restrictedViolations, specOf } from './helpers.ts';

const names = (list: ReadonlyArray<{ name: string }> | undefined): string[] => (list ?? []).map((entry) => entry.name);
const mountsOf = (entry: Container | undefined): string[] => (entry?.volumeMounts ?? []).map((mount) => `${mount.name}:${mount.mountPath}${mount.readOnly === true ? ':ro' : ''}`);
const byName = (pod: Pod, name: string): Container | undefined =>
  [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])].find((entry) => entry.name === name);

test('the init container, exactly (TestContainerInitSidecar)', () => {
  const pod = injected(makePod({ 'agent-inject-secret-db': 'database/creds/ro' }));
  const init = byName(pod, 'vault-agent-init');
  const { env, ...rest } = init ?? { env: [] };
  assert.deepEqual(rest, {
    name: 'vault-agent-init',
    image: 'ghcr.io/vault-injector/agent:0.1.0',
    resources: { limits: { cpu: '500m', memory: '128Mi' }, requests: { cpu: '10m', memory: '48Mi' } },
    volumeMounts: [
      { name: 'home-init', mountPath: '/home/vault' },
      { name: 'kube-api-access-abcde', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', readOnly: true },
      { name: 'vault-secrets', mountPath: '/vault/secrets' },
    ],
    terminationMessagePath: '/dev/termination-log',
    terminationMessagePolicy: 'FallbackToLogsOnError',
    securityContext: {
      runAsUser: 100, runAsGroup: 1000, runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' },
    },
  });
  assert.deepEqual((env ?? []).map((entry) => entry.name), ['NAMESPACE', 'HOST_IP', 'POD_IP', 'VAULT_LOG_LEVEL', 'VAULT_LOG_FORMAT', 'VAULT_CONFIG']);
  assert.deepEqual(env?.[0], { name: 'NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } });
  assert.deepEqual(env?.slice(3, 5), [{ name: 'VAULT_LOG_LEVEL', value: 'info' }, { name: 'VAULT_LOG_FORMAT', value: 'standard' }]);
  assert.equal(decodeConfig(init).exit_after_auth, true);
  assert.equal(init?.command, undefined, 'our image\'s entrypoint runs the agent: no shell');
  assert.equal(init?.args, undefined);
});

test('the sidecar: token mount first, home second, exit_after_auth false (TestContainerSidecar, TestContainerSidecarVolume)', () => {
  const pod = injected(makePod({
    'agent-inject-secret-a': 'p', 'secret-volume-path-a': '/etc/a', 'agent-inject-secret-b': 'p', 'secret-volume-path-b': '/vault/secrets',
    'agent-extra-secret': 'extra', 'agent-copy-volume-mounts': 'web', 'tls-secret': 'vault-tls',
  }, { containers: [container('web', { volumeMounts: [{ name: 'kube-api-access-abcde', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', readOnly: true }, { name: 'data', mountPath: '/data' }] })], volumes: [{ name: 'kube-api-access-abcde', projected: { sources: [{ serviceAccountToken: { path: 'token' } }] } }, { name: 'data', emptyDir: {} }] }));
  const sidecar = byName(pod, 'vault-agent');
  assert.deepEqual(mountsOf(sidecar), [
    'kube-api-access-abcde:/var/run/secrets/kubernetes.io/serviceaccount:ro', 'home-sidecar:/home/vault', 'vault-secrets:/vault/secrets',
    'vault-secrets-custom-0:/etc/a', 'extra-secrets:/vault/custom:ro', 'data:/data', 'vault-tls-secrets:/vault/tls:ro',
  ]);
  assert.deepEqual(mountsOf(byName(pod, 'vault-agent-init')).slice(0, 2), ['home-init:/home/vault', 'kube-api-access-abcde:/var/run/secrets/kubernetes.io/serviceaccount:ro']);
  assert.equal(decodeConfig(sidecar).exit_after_auth, false);
  assert.equal(sidecar?.restartPolicy, undefined);
  assert.deepEqual(pod.spec?.volumes?.slice(2), [
    { name: 'home-init', emptyDir: { medium: 'Memory' } }, { name: 'home-sidecar', emptyDir: { medium: 'Memory' } },
    { name: 'vault-secrets', emptyDir: { medium: 'Memory' } }, { name: 'vault-secrets-custom-0', emptyDir: { medium: 'Memory' } },
    { name: 'extra-secrets', secret: { secretName: 'extra' } }, { name: 'vault-tls-secrets', secret: { secretName: 'vault-tls' } },
  ]);
  assert.deepEqual(mountsOf(byName(pod, 'web')), ['kube-api-access-abcde:/var/run/secrets/kubernetes.io/serviceaccount:ro', 'data:/data', 'vault-secrets:/vault/secrets', 'vault-secrets-custom-0:/etc/a']);
});

test('which containers get mounts, and where the agents go', () => {
  const spec = { containers: [container('foobar'), container('foo1'), container('foo2')], initContainers: [container('migrate')] };
  const cases: Array<[string, Record<string, string>, { init: string[]; containers: string[]; mounted: string[] }]> = [
    ['default: init last, sidecar last', {}, { init: ['migrate', 'vault-agent-init'], containers: ['foobar', 'foo1', 'foo2', 'vault-agent'], mounted: ['migrate', 'foobar', 'foo1', 'foo2'] }],
    ['agent-init-first', { 'agent-init-first': 'true' }, { init: ['vault-agent-init', 'migrate'], containers: ['foobar', 'foo1', 'foo2', 'vault-agent'], mounted: ['migrate', 'foobar', 'foo1', 'foo2'] }],
    ['only foo1', { 'agent-inject-containers': 'foo1' }, { init: ['migrate', 'vault-agent-init'], containers: ['foobar', 'foo1', 'foo2', 'vault-agent'], mounted: ['migrate', 'foo1'] }],
    ['pre-populate-only', { 'agent-pre-populate-only': 'true' }, { init: ['migrate', 'vault-agent-init'], containers: ['foobar', 'foo1', 'foo2'], mounted: ['migrate', 'foobar', 'foo1', 'foo2'] }],
    ['no init container: existing init containers get nothing', { 'agent-pre-populate': 'false' }, { init: ['migrate'], containers: ['foobar', 'foo1', 'foo2', 'vault-agent'], mounted: ['foobar', 'foo1', 'foo2'] }],
    ['native sidecar', { 'agent-native-sidecar': 'true' }, { init: ['migrate', 'vault-agent'], containers: ['foobar', 'foo1', 'foo2'], mounted: ['migrate', 'foobar', 'foo1', 'foo2'] }],
    ['native sidecar first', { 'agent-native-sidecar': 'true', 'agent-init-first': 'true' }, { init: ['vault-agent', 'migrate'], containers: ['foobar', 'foo1', 'foo2'], mounted: ['migrate', 'foobar', 'foo1', 'foo2'] }],
  ];
  for (const [name, annotations, expected] of cases) {
    const pod = injected(makePod(annotations, spec));
    assert.deepEqual(names(pod.spec?.initContainers), expected.init, name);
    assert.deepEqual(names(pod.spec?.containers), expected.containers, name);
    const mounted = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])]
      .filter((entry) => !entry.name.startsWith('vault-agent') && (entry.volumeMounts ?? []).some((mount) => mount.name === 'vault-secrets'))
      .map((entry) => entry.name);
    assert.deepEqual(mounted, expected.mounted, name);
  }
});

test('volumes per mode: homes only for the agents that run', () => {
  const cases: Array<[Record<string, string>, string[]]> = [
    [{}, ['home-init', 'home-sidecar', 'vault-secrets']],
    [{ 'agent-pre-populate-only': 'true' }, ['home-init', 'vault-secrets']],
    [{ 'agent-pre-populate': 'false' }, ['home-sidecar', 'vault-secrets']],
    [{ 'agent-native-sidecar': 'true' }, ['home-sidecar', 'vault-secrets']],
  ];
  for (const [annotations, expected] of cases) assert.deepEqual(names(injected(makePod(annotations)).spec?.volumes).slice(1), expected, JSON.stringify(annotations));
});

test('native sidecar: one agent, restartPolicy Always, startup probe on the ready file', () => {
  const pod = injected(makePod({ 'agent-native-sidecar': 'true', 'agent-inject-secret-a': 'p' }));
  const agent = byName(pod, 'vault-agent');
  assert.equal(agents(pod).length, 1);
  assert.equal(agent?.restartPolicy, 'Always');
  assert.deepEqual(agent?.startupProbe, { exec: { command: ['node', '/agent.js', 'probe', '/home/vault/.vault-injector-ready'] }, periodSeconds: 1, timeoutSeconds: 5, failureThreshold: 300 });
  const config = decodeConfig(agent);
  assert.equal(config.exit_after_auth, false);
  assert.equal((config.vault_injector as { ready_file?: string }).ready_file, '/home/vault/.vault-injector-ready');
});

test('resources from annotations; "" leaves the key out (TestContainerSidecarCustomResources)', () => {
  const pod = injected(makePod({ 'agent-limits-cpu': '', 'agent-limits-mem': '256Mi', 'agent-requests-cpu': '5m', 'agent-requests-ephemeral': '64Mi' }));
  for (const agent of agents(pod)) assert.deepEqual(agent.resources, { limits: { memory: '256Mi' }, requests: { cpu: '5m', memory: '48Mi', 'ephemeral-storage': '64Mi' } }, agent.name);
});

test('securityContext: off when asked; uid 0 is not runAsNonRoot', () => {
  for (const agent of agents(injected(makePod({ 'agent-set-security-context': 'false' })))) assert.equal(agent.securityContext, undefined);
  for (const agent of agents(injected(makePod({ 'agent-run-as-user': '0' })))) assert.equal(agent.securityContext?.runAsNonRoot, false);
  for (const agent of agents(injected(makePod({ 'agent-run-as-group': '0' })))) assert.equal(agent.securityContext?.runAsNonRoot, true);
});

test('json patches apply to their agent container (TestAgentJsonPatch)', () => {
  const pod = injected(makePod({
    'agent-json-patch': '[{"op":"replace","path":"/name","value":"sidecar-renamed"},{"op":"add","path":"/securityContext/readOnlyRootFilesystem","value":false}]',
    'agent-init-json-patch': '[{"op":"add","path":"/imagePullPolicy","value":"Always"}]',
  }));
  assert.deepEqual(names(pod.spec?.containers), ['web', 'sidecar-renamed']);
  assert.equal(byName(pod, 'sidecar-renamed')?.securityContext?.readOnlyRootFilesystem, false);
  assert.equal(byName(pod, 'vault-agent-init')?.imagePullPolicy, 'Always');
  const native = injected(makePod({ 'agent-native-sidecar': 'true', 'agent-json-patch': '[{"op":"add","path":"/imagePullPolicy","value":"Never"}]' }));
  assert.equal(byName(native, 'vault-agent')?.imagePullPolicy, 'Never');
});

test('a json patch that does not apply refuses the pod, naming the operation', () => {
  const pod = makePod({ 'agent-init-json-patch': '[{"op":"remove","path":"/lifecycle"}]' });
  const result = mutatePod(pod, specOf(pod));
  assert.deepEqual(result, { ok: false, problems: [{ code: 'VI_JSON_PATCH', message: 'annotation vault.hashicorp.com/agent-init-json-patch: operation 0 names a path that does not exist in the container' }] });
  const test = makePod({ 'agent-json-patch': '[{"op":"test","path":"/name","value":"other"}]' });
  assert.deepEqual(mutatePod(test, specOf(test)), { ok: false, problems: [{ code: 'VI_JSON_PATCH', message: 'annotation vault.hashicorp.com/agent-json-patch: operation 0 is a "test" that failed' }] });
});

test('names and mount paths the injector adds must be free', () => {
  const cases: Array<[Pod, string]> = [
    [makePod({}, { volumes: [{ name: 'kube-api-access-abcde', projected: { sources: [{ serviceAccountToken: { path: 'token' } }] } }, { name: 'vault-secrets', emptyDir: {} }] }), 'the pod already has a volume named "vault-secrets", which the injector adds'],
    [makePod({}, { containers: [container('web'), container('vault-agent')] }), 'the pod already has a container named "vault-agent", which the injector adds'],
    [makePod({}, { containers: [container('web', { volumeMounts: [{ name: 'kube-api-access-abcde', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' }, { name: 'cfg', mountPath: '/vault/secrets' }] })] }), 'container "web" already mounts a volume at /vault/secrets, where the injector mounts vault-secrets'],
  ];
  for (const [pod, message] of cases) assert.deepEqual(mutatePod(pod, specOf(pod)), { ok: false, problems: [{ code: 'VI_NAME_CONFLICT', message }] });
});

test('shareProcessNamespace is set when asked, in every mode', () => {
  assert.equal(injected(makePod({ 'agent-share-process-namespace': 'true' })).spec?.shareProcessNamespace, true);
  assert.equal(injected(makePod({ 'agent-share-process-namespace': 'true', 'agent-pre-populate': 'false' })).spec?.shareProcessNamespace, true);
  assert.equal(injected(makePod({ 'agent-share-process-namespace': 'false' })).spec?.shareProcessNamespace, false);
  assert.equal(injected(makePod({})).spec?.shareProcessNamespace, undefined);
});

test('the input pod is never modified; the status annotation is set', () => {
  const pod = makePod({ 'agent-inject-secret-a': 'p' }, { initContainers: [container('migrate')] });
  const before = structuredClone(pod);
  const after = injected(pod);
  assert.deepEqual(pod, before);
  assert.equal(after.metadata?.annotations?.['vault.hashicorp.com/agent-inject-status'], 'injected');
});

test('patch op sequence against the evolving document (handler_test "basic pod injection", init first)', () => {
  const ops = (annotations: Record<string, string>, spec = {}): string[] => {
    const pod = makePod(annotations, spec);
    return jsonpatch.compare(pod, injected(pod)).map((op) => `${op.op} ${op.path}`).sort();
  };
  assert.deepEqual(ops({}, { initContainers: [container('web-init')] }), [
    'add /metadata/annotations/vault.hashicorp.com~1agent-inject-status',
    'add /spec/containers/0/volumeMounts/1',
    'add /spec/containers/1',
    'add /spec/initContainers/0/volumeMounts/1',
    'add /spec/initContainers/1',
    'add /spec/volumes/1', 'add /spec/volumes/2', 'add /spec/volumes/3',
  ]);
  // A pod without volumes or init containers: each array is added once, never replaced (vault-k8s's quirk fixed).
  const bare = ops({ 'agent-service-account-token-volume-name': 'tok' }, {
    volumes: [{ name: 'tok', projected: { sources: [{ serviceAccountToken: { path: 'token' } }] } }],
    containers: [{ name: 'web', image: 'web:1' }],
  });
  assert.deepEqual(bare.filter((op) => /^add \/spec\/(initContainers|containers\/0\/volumeMounts)$/.test(op)), ['add /spec/containers/0/volumeMounts', 'add /spec/initContainers']);
});

test('every injected pod shape validates against the Kubernetes schema and the restricted standard', () => {
  const cases: Array<Record<string, string>> = [
    {}, { 'agent-pre-populate-only': 'true' }, { 'agent-pre-populate': 'false' }, { 'agent-native-sidecar': 'true' },
    { 'agent-inject-secret-a': 'p', 'secret-volume-path-a': '/etc/a', 'agent-extra-secret': 'x', 'tls-secret': 'y', 'agent-inject-token': 'true', 'agent-share-process-namespace': 'true' },
  ];
  for (const annotations of cases) {
    const pod = injected(makePod(annotations, { initContainers: [container('migrate')] }));
    new PodModel(pod as ConstructorParameters<typeof PodModel>[0]).validate();
    for (const agent of agents(pod)) assert.deepEqual(restrictedViolations(pod, agent), [], `${agent.name} ${JSON.stringify(annotations)}`);
  }
});

test('the restricted check itself catches an agent without the securityContext', () => {
  const pod = injected(makePod({ 'agent-set-security-context': 'false' }));
  assert.deepEqual(restrictedViolations(pod, agents(pod)[0] ?? { name: 'none' }), [
    'allowPrivilegeEscalation != false', 'capabilities.drop lacks ALL', 'runAsNonRoot != true', 'seccompProfile not RuntimeDefault/Localhost',
  ]);
});
