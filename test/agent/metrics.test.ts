// The agent's metrics module: Vault Agent's names, go-metrics' prefix filter, the Prometheus
// retention, the hostname label, Prometheus off without a telemetry stanza, the JSON summary.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hostname } from 'node:os';
import { AgentMetrics, metricAllowed, prometheusName } from '../../agent/src/telemetry/metrics.ts';
import type { TelemetrySettings } from '../../agent/src/config/settings.ts';

const telemetry = (overrides: Partial<TelemetrySettings> = {}): TelemetrySettings => ({ prometheusRetentionMs: 3_600_000, disableHostname: true, enableHostnameLabel: false, filterDefault: true, prefixFilter: [], ...overrides });

test('names: dots become underscores, counters appear on first use', async () => {
  const metrics = await AgentMetrics.create(telemetry(), () => 0);
  assert.doesNotMatch((await metrics.prometheus()).body, /vault_agent/);
  metrics.increment('agent', 'auth', 'success');
  metrics.increment('agent', 'proxy', 'client_error');
  metrics.increment('agent', 'proxy', 'client_error');
  const text = (await metrics.prometheus()).body;
  assert.match(text, /^# TYPE vault_agent_auth_success counter$/m);
  assert.match(text, /^vault_agent_auth_success 1$/m);
  assert.match(text, /^vault_agent_proxy_client_error 2$/m);
  assert.equal(prometheusName('vault.agent.cache.hit'), 'vault_agent_cache_hit');
});

test('retention: a counter not updated for prometheus_retention_time is dropped, and comes back on use', async () => {
  let now = 0;
  const metrics = await AgentMetrics.create(telemetry({ prometheusRetentionMs: 60_000 }), () => now);
  metrics.increment('agent', 'cache', 'hit');
  now = 59_000;
  assert.match((await metrics.prometheus()).body, /^vault_agent_cache_hit 1$/m);
  now = 61_000;
  assert.doesNotMatch((await metrics.prometheus()).body, /vault_agent_cache_hit/);
  metrics.increment('agent', 'cache', 'hit');
  assert.match((await metrics.prometheus()).body, /^vault_agent_cache_hit 1$/m);
});

test('prefix_filter: the longest matching prefix decides, else filter_default', async () => {
  const rules = { filterDefault: false, prefixFilter: ['+vault.agent', '-vault.agent.cache', '+vault.agent.cache.hit'] };
  assert.equal(metricAllowed('vault.agent.auth.success', rules), true);
  assert.equal(metricAllowed('vault.agent.cache.miss', rules), false);
  assert.equal(metricAllowed('vault.agent.cache.hit', rules), true);
  assert.equal(metricAllowed('vault.runtime.alloc_bytes', rules), false);
  assert.equal(metricAllowed('vault.runtime.alloc_bytes', { filterDefault: true, prefixFilter: [] }), true);
  const metrics = await AgentMetrics.create(telemetry(rules), () => 0);
  metrics.increment('agent', 'cache', 'miss');
  metrics.increment('agent', 'proxy', 'success');
  const text = (await metrics.prometheus()).body;
  assert.doesNotMatch(text, /cache_miss/);
  assert.match(text, /^vault_agent_proxy_success 1$/m);
});

test('enable_hostname_label adds host=<hostname>', async () => {
  const metrics = await AgentMetrics.create(telemetry({ enableHostnameLabel: true }), () => 0);
  metrics.increment('agent', 'auth', 'success');
  assert.match((await metrics.prometheus()).body, new RegExp(`^vault_agent_auth_success\\{host="${hostname()}"\\} 1$`, 'm'));
});

test('no telemetry stanza, or a zero retention: Prometheus is off, the JSON summary is on', async () => {
  for (const settings of [undefined, telemetry({ prometheusRetentionMs: 0 })]) {
    const metrics = await AgentMetrics.create(settings, () => 25_000);
    metrics.increment('agent', 'auth', 'success');
    assert.deepEqual(await metrics.prometheus(), { status: 400, contentType: 'text/plain', body: 'prometheus is not enabled' });
    const summary = JSON.parse(metrics.summary().body) as { Counters: Array<{ Name: string; Count: number }> };
    assert.deepEqual(summary.Counters.map((counter) => [counter.Name, counter.Count]), [['vault.agent.auth.success', 1]]);
  }
});
