import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateAgentConfig, formatConfigProblems, durationToSeconds } from '../../agent/src/config/schema.ts';

const base = {
  auto_auth: { method: { type: 'kubernetes', mount_path: 'kubernetes', config: { role: 'app' } } },
  exit_after_auth: true,
  vault: { address: 'https://vault.vault.svc:8200' },
};

function problemsOf(input: unknown): string {
  const result = validateAgentConfig(input);
  assert.equal(result.ok, false);
  return result.ok ? '' : formatConfigProblems(result.problems);
}

test('a vault-k8s style config is valid', () => {
  const result = validateAgentConfig({ ...base, template: [{ destination: '/vault/secrets/db', contents: '{{ with secret "x" }}{{ end }}', perms: '0600' }] });
  assert.equal(result.ok, true);
});

const invalid: Array<[string, unknown, string]> = [
  ['bad perms', { ...base, template: [{ destination: '/a', contents: 'x' }, { destination: '/b', contents: 'x' }, { destination: '/c', contents: 'x', perms: '0999' }] }, 'template[2].perms: "0999" is not an octal file mode'],
  ['unknown field', { ...base, auto_auth_cache: {} }, 'auto_auth_cache: is not a supported field'],
  ['listener off loopback', { ...base, listener: [{ type: 'tcp', address: '0.0.0.0:8200', tls_disable: true }] }, 'listener[0].address: "0.0.0.0:8200" is not a loopback address'],
  ['listener with TLS', { ...base, listener: [{ type: 'tcp', address: '127.0.0.1:8200', tls_disable: false }] }, 'listener[0].tls_disable: the listener serves plain HTTP'],
  ['unix listener', { ...base, listener: [{ type: 'unix', address: '/tmp/s', tls_disable: true }] }, 'listener[0].type: listener type "unix" is not supported'],
  ['bad use_auto_auth_token', { ...base, cache: { use_auto_auth_token: 'sometimes' } }, 'cache.use_auto_auth_token: use_auto_auth_token can be either true/false/force, "sometimes" is an invalid option'],
  ['use_auto_auth_token twice', { ...base, api_proxy: { use_auto_auth_token: true }, cache: { use_auto_auth_token: 'force' } }, 'cache.use_auto_auth_token: use_auto_auth_token defined in both api_proxy and cache config'],
  ['persist type', { ...base, cache: { persist: { type: 'file', path: '/x' } } }, 'cache.persist.type: persist type "file" is not supported'],
  ['telemetry push sink', { ...base, telemetry: { statsd_address: '127.0.0.1:8125' } }, 'telemetry.statsd_address: is not a supported field'],
  ['missing role', { ...base, auto_auth: { method: { type: 'kubernetes', config: {} } } }, 'auto_auth.method.config.role: is required'],
  ['other auth type', { ...base, auto_auth: { method: { type: 'approle', config: { role: 'x' } } } }, 'auto_auth.method.type: auth method "approle" is not supported ("kubernetes" or "jwt")'],
  ['source and contents', { ...base, template: [{ destination: '/a', contents: 'x', source: '/t' }] }, "template[0]: cannot specify both 'source' and 'contents'"],
  ['bad duration', { ...base, template_config: { static_secret_render_interval: 'soon' } }, 'template_config.static_secret_render_interval: "soon" is not a duration'],
];

for (const [name, input, expected] of invalid) {
  test(`rejects ${name} with its path`, () => {
    assert.match(problemsOf(input), new RegExp(expected.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  });
}

test('durations in seconds', () => {
  assert.equal(durationToSeconds('5m'), 300);
  assert.equal(durationToSeconds('1h30m'), 5400);
  assert.equal(durationToSeconds(42), 42);
  assert.equal(durationToSeconds('250ms'), 0.25);
});
