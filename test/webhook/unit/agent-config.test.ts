// InjectionSpec → agent config (vault-k8s config_test.go: TestNewConfig, TestInjectTokenSink,
// TestConfigVaultAgentTemplateConfig, TestAgentJsonPatch's decoded VAULT_CONFIG).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateAgentConfig } from '../../../agent/src/config/schema.ts';
import { buildAgentConfig, encodedAgentConfig } from '../../../src/agent-config.ts';
import { makePod, specOf } from './helpers.ts';

test('the init config is vault-k8s\'s shape, with our extensions (TestAgentJsonPatch\'s VAULT_CONFIG)', () => {
  const spec = specOf(makePod({ 'auth-path': 'test', service: 'http://foobar:1234', role: 'role' }));
  assert.equal(JSON.stringify(buildAgentConfig(spec, 'init')), JSON.stringify({
    auto_auth: {
      method: { type: 'kubernetes', mount_path: 'test', config: { role: 'role', token_path: '/var/run/secrets/kubernetes.io/serviceaccount/token' } },
      sink: [{ type: 'file', config: { path: '/home/vault/.vault-token' } }],
    },
    exit_after_auth: true,
    pid_file: '/home/vault/.pid',
    vault: { address: 'http://foobar:1234' },
    template_config: { exit_on_retry_failure: true },
    vault_injector: { log_level: 'info', log_format: 'standard', secrets_volumes: ['/vault/secrets'], termination_message_path: '/dev/termination-log' },
  }));
  const sidecar = buildAgentConfig(spec, 'sidecar');
  assert.equal(sidecar.exit_after_auth, false);
  assert.deepEqual(sidecar.vault_injector, { log_level: 'info', log_format: 'standard', secrets_volumes: ['/vault/secrets'] });
});

test('templates in name order with destinations, delimiters, perms, command, source (TestNewConfig)', () => {
  const spec = specOf(makePod({
    'agent-inject-secret-foo': 'db/creds/foo',
    'agent-inject-template-foo': '{{ with secret "db/creds/foo" }}{{ .Data.password }}{{ end }}',
    'agent-inject-secret-bar': 'secret/bar',
    'agent-inject-secret-different-path': 'different/path',
    'secret-volume-path-different-path': '/etc/container_environment',
    'agent-inject-template-file-from-file': '/vault/custom/tmpl',
    'agent-inject-template-just-template': '{{ with secret "x" }}{{ end }}',
    'secret-volume-path-just-template': '/custom/path',
    'agent-inject-file-just-template': '.env',
    'agent-inject-perms-just-template': '0600',
    'agent-inject-command-just-template': 'pkill -HUP app',
    'agent-inject-template-with-delims': '[[ with secret "y" ]][[ end ]]',
    'agent-template-left-delim-with-delims': '[[',
    'agent-template-right-delim-with-delims': ']]',
    'error-on-missing-key-with-delims': 'true',
  }));
  assert.deepEqual(buildAgentConfig(spec, 'init').template, [
    { destination: '/vault/secrets/bar', contents: '{{ with secret "secret/bar" }}{{ range $k, $v := .Data }}{{ $k }}: {{ $v }}\n{{ end }}{{ end }}', left_delimiter: '{{', right_delimiter: '}}' },
    { destination: '/etc/container_environment/different-path', contents: '{{ with secret "different/path" }}{{ range $k, $v := .Data }}{{ $k }}: {{ $v }}\n{{ end }}{{ end }}', left_delimiter: '{{', right_delimiter: '}}' },
    { destination: '/vault/secrets/foo', contents: '{{ with secret "db/creds/foo" }}{{ .Data.password }}{{ end }}', left_delimiter: '{{', right_delimiter: '}}' },
    { destination: '/vault/secrets/from-file', source: '/vault/custom/tmpl', left_delimiter: '{{', right_delimiter: '}}' },
    { destination: '/custom/path/.env', contents: '{{ with secret "x" }}{{ end }}', left_delimiter: '{{', right_delimiter: '}}', perms: '0600', command: 'pkill -HUP app' },
    { destination: '/vault/secrets/with-delims', contents: '[[ with secret "y" ]][[ end ]]', left_delimiter: '[[', right_delimiter: ']]', error_on_missing_key: true },
  ]);
});

test('token sink for agent-inject-token, at the secrets volume path (TestInjectTokenSink)', () => {
  const cases: Array<[Record<string, string>, string[]]> = [
    [{}, ['/home/vault/.vault-token']],
    [{ 'agent-inject-token': 'true' }, ['/home/vault/.vault-token', '/vault/secrets/token']],
    [{ 'agent-inject-token': 'true', 'secret-volume-path': '/new/secrets' }, ['/home/vault/.vault-token', '/new/secrets/token']],
  ];
  for (const [annotations, expected] of cases) {
    const sinks = buildAgentConfig(specOf(makePod(annotations)), 'sidecar').auto_auth.sink ?? [];
    assert.deepEqual(sinks.map((sink) => sink.config.path), expected);
  }
});

test('template_config, auth backoffs, exit on error, vault TLS fields, namespace', () => {
  const config = buildAgentConfig(specOf(makePod({
    'template-config-exit-on-retry-failure': 'false', 'template-static-secret-render-interval': '10s', 'template-lease-renewal-threshold': '0.75',
    'template-max-connections-per-host': '5', 'auth-min-backoff': '1s', 'auth-max-backoff': '30s', 'agent-auto-auth-exit-on-err': 'true',
    'tls-skip-verify': 'true', 'ca-cert': '/vault/tls/ca.crt', 'ca-key': '/vault/tls', 'client-cert': '/c', 'client-key': '/k', 'tls-server-name': 'vault.local', namespace: 'ns1',
  })), 'init');
  assert.deepEqual(config.template_config, { exit_on_retry_failure: false, static_secret_render_interval: '10s', max_connections_per_host: 5, lease_renewal_threshold: 0.75 });
  assert.deepEqual(config.auto_auth.method, {
    type: 'kubernetes', mount_path: 'auth/kubernetes', config: { role: 'web', token_path: '/var/run/secrets/kubernetes.io/serviceaccount/token' },
    namespace: 'ns1', min_backoff: '1s', max_backoff: '30s', exit_on_err: true,
  });
  assert.deepEqual(config.vault, { address: 'https://vault.vault.svc:8200', ca_cert: '/vault/tls/ca.crt', ca_path: '/vault/tls', tls_skip_verify: true, tls_server_name: 'vault.local', client_cert: '/c', client_key: '/k' });
});

test('revoke on shutdown goes to the long-running agent only; native sidecar gets the ready file', () => {
  const spec = specOf(makePod({ 'agent-revoke-on-shutdown': 'true', 'agent-revoke-grace': '10', 'log-level': 'debug', 'log-format': 'json' }));
  const volumes = { secrets_volumes: ['/vault/secrets'] };
  assert.deepEqual(buildAgentConfig(spec, 'init').vault_injector, { log_level: 'debug', log_format: 'json', ...volumes, termination_message_path: '/dev/termination-log' });
  assert.deepEqual(buildAgentConfig(spec, 'sidecar').vault_injector, { log_level: 'debug', log_format: 'json', ...volumes, revoke_on_shutdown: true, revoke_grace: 10 });
  assert.deepEqual(buildAgentConfig(spec, 'native-sidecar').vault_injector, {
    log_level: 'debug', log_format: 'json', ...volumes, revoke_on_shutdown: true, revoke_grace: 10, ready_file: '/home/vault/.vault-injector-ready', termination_message_path: '/dev/termination-log',
  });
  assert.equal(buildAgentConfig(spec, 'native-sidecar').exit_after_auth, false);
});

test('writeToFile may write in every secrets volume: the main one first, then per-secret mount paths', () => {
  const spec = specOf(makePod({ 'agent-inject-secret-a': 'secret/a', 'agent-inject-secret-b': 'secret/b', 'secret-volume-path-b': '/etc/app', 'secret-volume-path': '/vault/out' }));
  assert.deepEqual(buildAgentConfig(spec, 'sidecar').vault_injector?.secrets_volumes, ['/vault/out', '/etc/app']);
});

test('every config the webhook builds passes the agent\'s own schema, and VAULT_CONFIG is its base64 JSON', () => {
  const spec = specOf(makePod({ 'agent-inject-secret-a': 'secret/a', 'agent-inject-perms-a': '0640', 'agent-inject-token': 'true' }));
  for (const role of ['init', 'sidecar', 'native-sidecar'] as const) {
    const encoded = encodedAgentConfig(spec, role);
    assert.ok(encoded.ok);
    if (!encoded.ok) continue;
    const decoded: unknown = JSON.parse(Buffer.from(encoded.encoded, 'base64').toString('utf8'));
    assert.deepEqual(decoded, encoded.config);
    assert.equal(validateAgentConfig(decoded).ok, true, role);
  }
});

test('a config the agent would refuse is reported with its field', () => {
  const spec = specOf(makePod({ 'agent-inject-secret-a': 'secret/a' }));
  const broken = { ...spec, role: '' };
  assert.deepEqual(encodedAgentConfig(broken, 'init'), { ok: false, reason: 'auto_auth.method.config.role: role must not be empty' });
});

test('the agent reads the VAULT_CONFIG the webhook writes, as the webhook meant it', async () => {
  const { readConfigSource } = await import('../../../agent/src/config/load.ts');
  const { resolveSettings } = await import('../../../agent/src/config/settings.ts');
  const { injected, agents } = await import('./helpers.ts');
  const pod = injected(makePod({
    'agent-inject-secret-db': 'database/creds/ro', 'agent-inject-perms-db': '0600', 'agent-native-sidecar': 'true',
    'agent-revoke-on-shutdown': 'true', 'agent-inject-token': 'true', 'auth-path': 'kubernetes-team', namespace: 'ns1',
  }));
  const env = Object.fromEntries((agents(pod)[0]?.env ?? []).flatMap((entry) => (entry.value === undefined ? [] : [[entry.name, entry.value]])));
  const loaded = await readConfigSource(undefined, env);
  assert.ok(loaded.ok, loaded.ok ? '' : loaded.error.message);
  if (!loaded.ok) return;
  const resolved = resolveSettings(loaded.config);
  assert.deepEqual({
    mode: resolved.mode, loginPath: resolved.loginPath, role: resolved.role, tokenPath: resolved.tokenPath, vaultNamespace: resolved.vaultNamespace,
    sinks: resolved.sinks.map((sink) => sink.path), readyFile: resolved.readyFile, revokeOnShutdown: resolved.revokeOnShutdown, revokeGraceMs: resolved.revokeGraceMs,
    destinations: resolved.templates.map((template) => template.destination),
  }, {
    mode: 'sidecar', loginPath: 'auth/kubernetes-team/login', role: 'web', tokenPath: '/var/run/secrets/kubernetes.io/serviceaccount/token', vaultNamespace: 'ns1',
    sinks: ['/home/vault/.vault-token', '/vault/secrets/token'], readyFile: '/home/vault/.vault-injector-ready', revokeOnShutdown: true, revokeGraceMs: 5000,
    destinations: ['/vault/secrets/db'],
  });
});
