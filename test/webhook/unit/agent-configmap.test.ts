// agent-configmap, ported in spirit from vault-k8s's TestContainerSidecarConfigMap and the "configmap pod
// injection" handler case: the ConfigMap is mounted read-only at /vault/configs as volume vault-config, the agents
// run config-init.hcl / config.hcl from it, there is no VAULT_CONFIG but the connection variables, and no role is
// needed. The agent reading those files is test/agent/hcl-config.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { agents, injected, makePod, problemsOf, specOf } from './helpers.ts';

test('mounted as vault-k8s mounts it; the agents run its HCL; the connection as VAULT_* variables', () => {
  const pod = makePod({ 'agent-configmap': 'my-agent-config', 'tls-skip-verify': 'true', 'ca-cert': '/vault/tls/ca.crt', 'tls-secret': 'vault-tls' });
  delete pod.metadata?.annotations?.['vault.hashicorp.com/role'];
  const result = injected(pod);
  const volume = result.spec?.volumes?.find((entry) => entry.name === 'vault-config');
  assert.deepEqual(volume, { name: 'vault-config', configMap: { name: 'my-agent-config' } });
  const names = (result.spec?.volumes ?? []).map((entry) => entry.name);
  assert.ok(names.indexOf('vault-config') < names.indexOf('vault-tls-secrets'), 'before the TLS secret, as vault-k8s orders them');
  const [init, sidecar] = agents(result);
  assert.ok(init !== undefined && sidecar !== undefined);
  assert.deepEqual(init.args, ['run', '--config', '/vault/configs/config-init.hcl']);
  assert.deepEqual(sidecar.args, ['run', '--config', '/vault/configs/config.hcl']);
  for (const agent of [init, sidecar]) {
    const mounts = agent.volumeMounts ?? [];
    assert.deepEqual(mounts.find((mount) => mount.name === 'vault-config'), { name: 'vault-config', mountPath: '/vault/configs', readOnly: true });
    assert.ok(mounts.findIndex((mount) => mount.name === 'vault-config') < mounts.findIndex((mount) => mount.name === 'vault-tls-secrets'));
    const env = Object.fromEntries((agent.env ?? []).filter((entry) => entry.value !== undefined).map((entry) => [entry.name, entry.value]));
    assert.equal(env['VAULT_CONFIG'], undefined);
    assert.equal(env['VAULT_ADDR'], 'https://vault.vault.svc:8200');
    assert.equal(env['VAULT_CACERT'], '/vault/tls/ca.crt');
    assert.equal(env['VAULT_SKIP_VERIFY'], 'true');
  }
});

test('VAULT_SKIP_VERIFY is always there, "false" by default; the role is not required', () => {
  const pod = makePod({ 'agent-configmap': 'cfg' });
  delete pod.metadata?.annotations?.['vault.hashicorp.com/role'];
  assert.equal(specOf(pod).configMap, 'cfg');
  const env = agents(injected(pod))[0]?.env ?? [];
  assert.deepEqual(env.find((entry) => entry.name === 'VAULT_SKIP_VERIFY'), { name: 'VAULT_SKIP_VERIFY', value: 'false' });
});

test('refused with the native sidecar (its startup probe needs the generated config)', () => {
  assert.deepEqual(problemsOf(makePod({ 'agent-configmap': 'cfg', 'agent-native-sidecar': 'true' })), [
    'VI_ANNOTATION_INVALID annotation vault.hashicorp.com/agent-configmap: cannot be used with vault.hashicorp.com/agent-native-sidecar: the native sidecar\'s startup probe needs the generated config; use the init container and sidecar',
  ]);
});
