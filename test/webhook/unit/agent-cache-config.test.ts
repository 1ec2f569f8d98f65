// agent-cache-*, agent-enable-quit and agent-telemetry-* → the listener, cache and telemetry stanzas
// (vault-k8s config_test.go: TestConfigVaultAgentCacheNotEnabledByDefault, TestConfigVaultAgentCache,
// TestConfigVaultAgentCache_persistent, TestConfigAgentQuit, TestConfigTelemetry; annotations_test.go
// for the value grammar), plus the volume and mounts of the persistent cache.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateAgentConfig } from '../../../agent/src/config/schema.ts';
import { buildAgentConfig, encodedAgentConfig } from '../../../src/agent-config.ts';
import { agents, decodeConfig, injected, makePod, problemsOf, specOf } from './helpers.ts';

const listener = (port: string, quit = false): unknown[] => [{ type: 'tcp', address: `127.0.0.1:${port}`, tls_disable: true, ...(quit ? { agent_api: { enable_quit: true } } : {}) }];

test('no listener and no cache by default (TestConfigVaultAgentCacheNotEnabledByDefault)', () => {
  const spec = specOf(makePod({}));
  for (const role of ['init', 'sidecar'] as const) {
    const config = buildAgentConfig(spec, role);
    assert.equal(config.listener, undefined);
    assert.equal(config.cache, undefined);
  }
});

test('cache with force and a port, sidecar only (TestConfigVaultAgentCache)', () => {
  const spec = specOf(makePod({ 'agent-cache-enable': 'true', 'agent-cache-use-auto-auth-token': 'force', 'agent-cache-listener-port': '8100', 'agent-pre-populate': 'false' }));
  const config = buildAgentConfig(spec, 'sidecar');
  assert.deepEqual(config.listener, listener('8100'));
  assert.deepEqual(config.cache, { use_auto_auth_token: 'force' });
});

test('persistent and memory caches by pod shape (TestConfigVaultAgentCache_persistent)', () => {
  const persistent = { use_auto_auth_token: 'true', persist: { type: 'kubernetes', path: '/vault/agent-cache' } };
  const cases: Array<{ name: string; annotations: Record<string, string>; init: unknown; sidecar: unknown; listeners: unknown }> = [
    { name: 'cache defaults', annotations: { 'agent-cache-enable': 'true' }, init: persistent, sidecar: persistent, listeners: listener('8200') },
    {
      name: 'exit on err', annotations: { 'agent-cache-enable': 'true', 'agent-cache-exit-on-err': 'true' },
      init: { use_auto_auth_token: 'true', persist: { type: 'kubernetes', path: '/vault/agent-cache', exit_on_err: true } },
      sidecar: { use_auto_auth_token: 'true', persist: { type: 'kubernetes', path: '/vault/agent-cache', exit_on_err: true } },
      listeners: listener('8200'),
    },
    { name: 'just memory cache when only sidecar', annotations: { 'agent-cache-enable': 'true', 'agent-pre-populate': 'false' }, init: undefined, sidecar: { use_auto_auth_token: 'true' }, listeners: listener('8200') },
    { name: 'no cache at all with only init container', annotations: { 'agent-cache-enable': 'true', 'agent-pre-populate-only': 'true' }, init: undefined, sidecar: undefined, listeners: undefined },
  ];
  for (const entry of cases) {
    const spec = specOf(makePod(entry.annotations));
    const init = buildAgentConfig(spec, 'init');
    const sidecar = buildAgentConfig(spec, 'sidecar');
    assert.deepEqual(init.cache, entry.init, `${entry.name}: init cache`);
    assert.deepEqual(init.listener, entry.init === undefined ? undefined : entry.listeners, `${entry.name}: init listener`);
    assert.deepEqual(sidecar.cache, entry.sidecar, `${entry.name}: sidecar cache`);
    assert.deepEqual(sidecar.listener, entry.sidecar === undefined ? undefined : entry.listeners, `${entry.name}: sidecar listener`);
  }
});

test('the native sidecar (one agent) gets a memory cache, no persistence', () => {
  const spec = specOf(makePod({ 'agent-cache-enable': 'true', 'agent-native-sidecar': 'true' }));
  const config = buildAgentConfig(spec, 'native-sidecar');
  assert.deepEqual(config.cache, { use_auto_auth_token: 'true' });
  assert.deepEqual(config.listener, listener('8200'));
});

test('agent-enable-quit on the listener, or a listener and an empty cache of its own (TestConfigAgentQuit)', () => {
  const cases: Array<{ name: string; annotations: Record<string, string>; listeners: unknown; cache: unknown }> = [
    { name: 'quit alone', annotations: { 'agent-enable-quit': 'true' }, listeners: listener('8200', true), cache: {} },
    { name: 'quit with a port', annotations: { 'agent-enable-quit': 'true', 'agent-cache-listener-port': '1234' }, listeners: listener('1234', true), cache: {} },
    { name: 'quit and cache', annotations: { 'agent-enable-quit': 'true', 'agent-cache-enable': 'true', 'agent-pre-populate': 'false' }, listeners: listener('8200', true), cache: { use_auto_auth_token: 'true' } },
    { name: 'quit off', annotations: { 'agent-enable-quit': 'false' }, listeners: undefined, cache: undefined },
  ];
  for (const entry of cases) {
    const config = buildAgentConfig(specOf(makePod(entry.annotations)), 'sidecar');
    assert.deepEqual(config.listener, entry.listeners, entry.name);
    assert.deepEqual(config.cache, entry.cache, entry.name);
  }
  // As vault-k8s, the init agent of a Job (pre-populate-only) gets the quit listener too.
  const job = buildAgentConfig(specOf(makePod({ 'agent-enable-quit': 'true', 'agent-pre-populate-only': 'true' })), 'init');
  assert.deepEqual(job.listener, listener('8200', true));
});

test('stanza order as vault-k8s writes them: template, listener, cache, template_config, telemetry', () => {
  const spec = specOf(makePod({ 'agent-cache-enable': 'true', 'agent-pre-populate': 'false', 'agent-inject-secret-foo': 'secret/foo', 'agent-telemetry-prometheus_retention_time': '24h' }));
  const keys = Object.keys(buildAgentConfig(spec, 'sidecar'));
  assert.deepEqual(keys, ['auto_auth', 'exit_after_auth', 'pid_file', 'vault', 'template', 'listener', 'cache', 'template_config', 'telemetry', 'vault_injector']);
});

test('telemetry annotations: dashes to underscores, JSON-decoded values (TestConfigTelemetry)', () => {
  const spec = specOf(makePod({
    'agent-telemetry-usage_gauge_period': '10m',
    'agent-telemetry-maximum_gauge_cardinality': '100',
    'agent-telemetry-disable-hostname': 'true',
    'agent-telemetry-enable_hostname_label': 'true',
    'agent-telemetry-lease_metrics_epsilon': '1h',
    'agent-telemetry-num_lease_metrics_buckets': '10',
    'agent-telemetry-add_lease_metrics_namespace_labels': 'true',
    'agent-telemetry-filter_default': 'false',
    'agent-telemetry-prefix_filter': '["+vault.agent", "-vault.agent.cache"]',
    'agent-telemetry-prometheus_retention_time': '5h',
  }));
  const config = buildAgentConfig(spec, 'sidecar');
  assert.deepEqual(config.telemetry, {
    add_lease_metrics_namespace_labels: true,
    disable_hostname: true,
    enable_hostname_label: true,
    filter_default: false,
    lease_metrics_epsilon: '1h',
    maximum_gauge_cardinality: 100,
    num_lease_metrics_buckets: 10,
    prefix_filter: ['+vault.agent', '-vault.agent.cache'],
    prometheus_retention_time: '5h',
    usage_gauge_period: '10m',
  });
  assert.ok(validateAgentConfig(config).ok);
  assert.equal(buildAgentConfig(specOf(makePod({})), 'sidecar').telemetry, undefined);
});

test('bad values are refused with the annotation named', () => {
  const cases: Array<[Record<string, string>, RegExp]> = [
    [{ 'agent-cache-enable': 'yes' }, /VI_ANNOTATION_INVALID .*agent-cache-enable/],
    [{ 'agent-cache-enable': 'tRuE' }, /agent-cache-enable/],
    [{ 'agent-cache-exit-on-err': 'maybe' }, /agent-cache-exit-on-err/],
    [{ 'agent-enable-quit': 'please' }, /agent-enable-quit/],
    [{ 'agent-cache-use-auto-auth-token': 'always' }, /agent-cache-use-auto-auth-token.*"always" is not true, false or force/],
    [{ 'agent-cache-listener-port': 'http' }, /agent-cache-listener-port.*not a TCP port/],
    [{ 'agent-cache-listener-port': '70000' }, /agent-cache-listener-port/],
    [{ 'agent-cache-listener-port': '0' }, /agent-cache-listener-port/],
    [{ 'agent-telemetry-statsd_address': '127.0.0.1:8125' }, /VI_ANNOTATION_UNSUPPORTED .*agent-telemetry-statsd_address.*push sink/],
    [{ 'agent-telemetry-dogstatsd-addr': 'x' }, /VI_ANNOTATION_UNSUPPORTED .*agent-telemetry-dogstatsd-addr/],
    [{ 'agent-telemetry-prometheus-retention': '1h' }, /agent-telemetry-prometheus-retention.*"prometheus_retention" is not a telemetry parameter/],
    [{ 'agent-telemetry-disable_hostname': 'sure' }, /agent-telemetry-disable_hostname/],
    [{ 'agent-telemetry-prometheus_retention_time': 'forever' }, /agent-telemetry-prometheus_retention_time.*not a duration/],
    [{ 'agent-telemetry-prefix_filter': '["vault.agent"]' }, /agent-telemetry-prefix_filter.*must start with/],
  ];
  for (const [annotations, pattern] of cases) {
    const problems = problemsOf(makePod(annotations));
    assert.ok(problems.some((entry) => pattern.test(entry)), `${JSON.stringify(annotations)}: ${problems.join(' | ')}`);
  }
});

test('the value grammar vault-k8s and Vault Agent accept', () => {
  for (const value of ['true', 'false', 'force', 'FORCE', 'Force', '1', '0', 't', 'F']) {
    assert.equal(specOf(makePod({ 'agent-cache-use-auto-auth-token': value })).agentCache.useAutoAuthToken, value);
  }
  assert.equal(specOf(makePod({ 'agent-cache-enable': '' })).agentCache.enabled, false);
  assert.equal(specOf(makePod({ 'agent-cache-enable': 'T' })).agentCache.enabled, true);
  assert.deepEqual(specOf(makePod({})).agentCache, { enabled: false, useAutoAuthToken: 'true', listenerPort: '8200', exitOnErr: false });
});

test('every config built is valid for the agent, and VAULT_CONFIG carries the stanzas', () => {
  const shapes: Array<Record<string, string>> = [
    { 'agent-cache-enable': 'true' },
    { 'agent-cache-enable': 'true', 'agent-cache-use-auto-auth-token': 'false', 'agent-cache-exit-on-err': 'true' },
    { 'agent-cache-enable': 'true', 'agent-pre-populate': 'false', 'agent-enable-quit': 'true' },
    { 'agent-enable-quit': 'true', 'agent-pre-populate-only': 'true' },
  ];
  for (const annotations of shapes) {
    const spec = specOf(makePod(annotations));
    for (const role of ['init', 'sidecar'] as const) {
      const result = encodedAgentConfig(spec, role);
      assert.ok(result.ok, result.ok ? '' : result.reason);
    }
  }
  const pod = injected(makePod({ 'agent-cache-enable': 'true' }));
  for (const agent of agents(pod)) assert.deepEqual(decodeConfig(agent).listener, listener('8200'), agent.name);
});

test('the persistent cache volume: in memory, mounted in both agents only', () => {
  const pod = injected(makePod({ 'agent-cache-enable': 'true' }));
  assert.deepEqual(pod.spec?.volumes?.find((volume) => volume.name === 'vault-agent-cache'), { name: 'vault-agent-cache', emptyDir: { medium: 'Memory' } });
  const withCache = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])]
    .filter((entry) => (entry.volumeMounts ?? []).some((mount) => mount.name === 'vault-agent-cache'))
    .map((entry) => entry.name);
  assert.deepEqual(withCache.sort(), ['vault-agent', 'vault-agent-init']);
  const without: Array<Record<string, string>> = [{}, { 'agent-cache-enable': 'true', 'agent-pre-populate': 'false' }, { 'agent-cache-enable': 'true', 'agent-pre-populate-only': 'true' }];
  for (const annotations of without) {
    const other = injected(makePod(annotations));
    assert.equal(other.spec?.volumes?.some((volume) => volume.name === 'vault-agent-cache'), false, JSON.stringify(annotations));
  }
});
