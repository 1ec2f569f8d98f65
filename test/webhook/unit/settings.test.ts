// Flags and AGENT_INJECT_* variables (vault-k8s flags.go, TestCommandEnvs/EnvBools/LogLevel).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadSettings, renderSettingsHelp, settingDefinitions, DEFAULT_AGENT_IMAGE } from '../../../src/settings.ts';

const base = { AGENT_INJECT_VAULT_ADDR: 'https://vault:8200' };

function load(argv: string[], env: Record<string, string> = base) {
  const result = loadSettings(argv, env);
  assert.ok(result.ok, result.ok ? '' : result.problems.join('; '));
  return result.settings;
}

function problems(argv: string[], env: Record<string, string> = base): string[] {
  const result = loadSettings(argv, env);
  assert.equal(result.ok, false);
  return result.ok ? [] : result.problems;
}

test('defaults are vault-k8s\'s, except our image and lower requests', () => {
  const settings = load([]);
  assert.deepEqual(settings, {
    listen: ':8080', tlsAutoHosts: [], tlsMinVersion: 'tls12', useLeaderElector: false, logLevel: 'info', logFormat: 'standard',
    podNamespace: 'default', vaultAddress: 'https://vault:8200', vaultImage: DEFAULT_AGENT_IMAGE, vaultAuthType: 'kubernetes',
    vaultAuthPath: 'auth/kubernetes', revokeOnShutdown: false, runAsUser: 100, runAsGroup: 1000, runAsSameUser: false,
    setSecurityContext: true, defaultTemplate: 'map', cpuRequest: '10m', memoryRequest: '48Mi', cpuLimit: '500m', memoryLimit: '128Mi',
    templateConfigExitOnRetryFailure: true, nativeSidecar: false, disableIdleConnections: [], disableKeepAlives: [],
  });
});

test('every environment variable sets its setting', () => {
  const settings = load([], {
    AGENT_INJECT_LISTEN: ':9443', AGENT_INJECT_LOG_LEVEL: 'DEBUG', AGENT_INJECT_LOG_FORMAT: 'json',
    AGENT_INJECT_VAULT_ADDR: 'http://vault:8200', AGENT_INJECT_VAULT_IMAGE: 'agent:2', AGENT_INJECT_VAULT_AUTH_PATH: 'auth/k8s',
    AGENT_INJECT_VAULT_NAMESPACE: 'ns1', AGENT_INJECT_REVOKE_ON_SHUTDOWN: 'true', AGENT_INJECT_RUN_AS_USER: '1001',
    AGENT_INJECT_RUN_AS_GROUP: '1002', AGENT_INJECT_RUN_AS_SAME_USER: 'T', AGENT_INJECT_SET_SECURITY_CONTEXT: 'false',
    AGENT_INJECT_DEFAULT_TEMPLATE: 'JSON', AGENT_INJECT_CPU_REQUEST: '1', AGENT_INJECT_MEM_REQUEST: '1Gi', AGENT_INJECT_CPU_LIMIT: '2',
    AGENT_INJECT_MEM_LIMIT: '2Gi', AGENT_INJECT_EPHEMERAL_REQUEST: '1Gi', AGENT_INJECT_EPHEMERAL_LIMIT: '2Gi',
    AGENT_INJECT_TEMPLATE_CONFIG_EXIT_ON_RETRY_FAILURE: 'false', AGENT_INJECT_TEMPLATE_STATIC_SECRET_RENDER_INTERVAL: '10s',
    AGENT_INJECT_TEMPLATE_MAX_CONNECTIONS_PER_HOST: '7', AGENT_INJECT_TEMPLATE_LEASE_RENEWAL_THRESHOLD: '0.75',
    AGENT_INJECT_AUTH_MIN_BACKOFF: '1s', AGENT_INJECT_AUTH_MAX_BACKOFF: '1m', AGENT_INJECT_TLS_CERT_FILE: '/c', AGENT_INJECT_TLS_KEY_FILE: '/k',
    AGENT_INJECT_TLS_CA_CERT_FILE: '/ca', AGENT_INJECT_TLS_AUTO: 'cfg', AGENT_INJECT_TLS_AUTO_HOSTS: 'svc, svc.ns,svc.ns.svc',
    AGENT_INJECT_TLS_MIN_VERSION: 'tls13', AGENT_INJECT_USE_LEADER_ELECTOR: 'true', AGENT_INJECT_TENANCY_POLICY_FILE: '/etc/tenancy.yaml',
    AGENT_INJECT_NATIVE_SIDECAR: '1', AGENT_INJECT_PROXY_ADDR: 'http://proxy:3128', AGENT_INJECT_DISABLE_IDLE_CONNECTIONS: 'auto-auth,templating',
    AGENT_INJECT_DISABLE_KEEP_ALIVES: 'templating', AGENT_INJECT_TELEMETRY_PATH: '/vault/metrics', NAMESPACE: 'vault', POD_NAME: 'injector-0',
  });
  assert.deepEqual(settings, {
    listen: ':9443', logLevel: 'debug', logFormat: 'json', vaultAddress: 'http://vault:8200', vaultImage: 'agent:2', vaultAuthType: 'kubernetes',
    vaultAuthPath: 'auth/k8s', vaultNamespace: 'ns1', revokeOnShutdown: true, runAsUser: 1001, runAsGroup: 1002, runAsSameUser: true,
    setSecurityContext: false, defaultTemplate: 'json', cpuRequest: '1', memoryRequest: '1Gi', cpuLimit: '2', memoryLimit: '2Gi',
    ephemeralRequest: '1Gi', ephemeralLimit: '2Gi', templateConfigExitOnRetryFailure: false, templateStaticSecretRenderInterval: '10s',
    templateMaxConnectionsPerHost: 7, templateLeaseRenewalThreshold: 0.75, authMinBackoff: '1s', authMaxBackoff: '1m',
    tlsCertFile: '/c', tlsKeyFile: '/k', tlsCaCertFile: '/ca', tlsAuto: 'cfg', tlsAutoHosts: ['svc', 'svc.ns', 'svc.ns.svc'],
    tlsMinVersion: 'tls13', useLeaderElector: true, tenancyPolicyFile: '/etc/tenancy.yaml', nativeSidecar: true,
    proxyAddress: 'http://proxy:3128', disableIdleConnections: ['auto-auth', 'templating'], disableKeepAlives: ['templating'],
    telemetryPath: '/vault/metrics', podNamespace: 'vault', podName: 'injector-0',
  });
});

test('flag forms: -x=v, --x=v, -x v, bare bool; a non-empty env var wins over the flag', () => {
  const settings = load(['-listen=:1', '--log-level', 'warn', '-use-leader-elector', '-vault-image', 'flag:1'], { ...base, AGENT_INJECT_VAULT_IMAGE: 'env:1', AGENT_INJECT_LISTEN: '' });
  assert.equal(settings.listen, ':1');
  assert.equal(settings.logLevel, 'warn');
  assert.equal(settings.useLeaderElector, true);
  assert.equal(settings.vaultImage, 'env:1');
  assert.equal(load(['-cpu-request=']).cpuRequest, undefined, 'an empty quantity flag removes the request');
});

const invalid: Array<[string, string[], Record<string, string>, string]> = [
  ['no Vault address', [], {}, 'no Vault address configured: set -vault-address or AGENT_INJECT_VAULT_ADDR'],
  ['bad log level', ['-log-level=loud'], base, 'flag -log-level: "loud" is not a log level'],
  ['bad env bool', [], { ...base, AGENT_INJECT_REVOKE_ON_SHUTDOWN: 'yes' }, 'AGENT_INJECT_REVOKE_ON_SHUTDOWN: "yes" is not a boolean'],
  ['bad duration', [], { ...base, AGENT_INJECT_AUTH_MIN_BACKOFF: 'x' }, 'AGENT_INJECT_AUTH_MIN_BACKOFF: "x" is not a duration'],
  ['bad quantity', ['-memory-limit=128mb'], base, 'flag -memory-limit: "128mb" is not a Kubernetes quantity'],
  ['bad default template', [], { ...base, AGENT_INJECT_DEFAULT_TEMPLATE: 'foobar' }, 'invalid default template type "foobar"'],
  ['old TLS', ['-tls-min-version=tls11'], base, 'flag -tls-min-version: "tls11" is not a supported TLS version'],
  ['unknown flag', ['-frobnicate'], base, 'unknown flag -frobnicate'],
  ['missing value', ['-listen'], base, 'flag -listen needs a value'],
  ['stray argument', ['extra'], base, 'unexpected argument "extra"'],
  ['cert without key', ['-tls-cert-file=/c'], base, '-tls-cert-file and -tls-key-file'],
  ['auto TLS without hosts', ['-tls-auto=cfg'], base, '-tls-auto needs -tls-auto-hosts'],
  ['other auth type', ['-vault-auth-type=approle'], base, '"approle" is not supported ("kubernetes" or "jwt")'],
  ['bad address', ['-vault-address=vault:8200'], {}, 'flag -vault-address: "vault:8200" is not an http or https URL'],
  ['bad listen', ['-listen=8080'], base, 'flag -listen: "8080" is not an address'],
  ['threshold out of range', [], { ...base, AGENT_INJECT_TEMPLATE_LEASE_RENEWAL_THRESHOLD: '1.5' }, '1.5 is not between 0 and 1'],
];
for (const [name, argv, env, expected] of invalid) {
  test(`settings problem: ${name}`, () => {
    const found = problems(argv, env);
    assert.ok(found.some((entry) => entry.includes(expected)), `${found.join(' | ')} should include ${expected}`);
  });
}

test('an invalid address is not also reported as missing', () => {
  assert.equal(problems(['-vault-address=vault:8200'], {}).length, 1);
});

test('every problem is reported at once', () => {
  assert.equal(problems(['-log-level=x', '-log-format=y'], {}).length, 3);
});

test('help lists every flag with its environment variable', () => {
  const help = renderSettingsHelp();
  for (const definition of settingDefinitions) {
    assert.ok(help.includes(`-${definition.flag}`), definition.flag);
    if (definition.env !== undefined) assert.ok(help.includes(definition.env), definition.env);
  }
});
