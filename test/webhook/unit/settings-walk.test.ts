// Every AGENT_INJECT_* variable vault-k8s's injector reads must be applied by ours or refused at
// start with a message naming it: a setting that is silently dropped fails this test (issue 16).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isDeepStrictEqual } from 'node:util';
import { loadSettings, refusedSettings, settingDefinitions } from '../../../src/settings.ts';
import { generateCa } from '../../../src/tls/generate.ts';

/**
 * Read from hashicorp/vault-k8s v1.7.6, subcommand/injector/flags.go: the fields of
 * `Specification` (envconfig prefix agent_inject), each with a value a vault-k8s user could set
 * that differs from the default. `alongside` is set too, for settings that only make sense in pairs.
 */
const VAULT_K8S_ENV: ReadonlyArray<{ env: string; example: string; alongside?: Record<string, string> }> = [
  { env: 'AGENT_INJECT_LISTEN', example: ':9090' },
  { env: 'AGENT_INJECT_LOG_LEVEL', example: 'debug' },
  { env: 'AGENT_INJECT_LOG_FORMAT', example: 'json' },
  { env: 'AGENT_INJECT_TEMPLATE_CONFIG_EXIT_ON_RETRY_FAILURE', example: 'false' },
  { env: 'AGENT_INJECT_TEMPLATE_STATIC_SECRET_RENDER_INTERVAL', example: '10s' },
  { env: 'AGENT_INJECT_TEMPLATE_MAX_CONNECTIONS_PER_HOST', example: '5' },
  { env: 'AGENT_INJECT_TEMPLATE_LEASE_RENEWAL_THRESHOLD', example: '0.5' },
  { env: 'AGENT_INJECT_TLS_AUTO', example: 'vault-agent-injector-cfg', alongside: { AGENT_INJECT_TLS_AUTO_HOSTS: 'injector.vault.svc' } },
  { env: 'AGENT_INJECT_TLS_AUTO_HOSTS', example: 'injector.vault.svc' },
  { env: 'AGENT_INJECT_TLS_CA_CERT_FILE', example: '/etc/webhook/certs/ca.crt' },
  { env: 'AGENT_INJECT_TLS_CERT_FILE', example: '/etc/webhook/certs/tls.crt', alongside: { AGENT_INJECT_TLS_KEY_FILE: '/etc/webhook/certs/tls.key' } },
  { env: 'AGENT_INJECT_TLS_KEY_FILE', example: '/etc/webhook/certs/tls.key', alongside: { AGENT_INJECT_TLS_CERT_FILE: '/etc/webhook/certs/tls.crt' } },
  { env: 'AGENT_INJECT_VAULT_ADDR', example: 'https://vault.other.svc:8200' },
  { env: 'AGENT_INJECT_VAULT_CACERT_BYTES', example: 'CA_PEM' },
  { env: 'AGENT_INJECT_PROXY_ADDR', example: 'http://proxy.corp:3128' },
  { env: 'AGENT_INJECT_VAULT_IMAGE', example: 'hashicorp/vault:2.0.4' },
  { env: 'AGENT_INJECT_VAULT_AUTH_TYPE', example: 'jwt' },
  { env: 'AGENT_INJECT_VAULT_AUTH_PATH', example: 'auth/k8s' },
  { env: 'AGENT_INJECT_VAULT_NAMESPACE', example: 'team-a' },
  { env: 'AGENT_INJECT_REVOKE_ON_SHUTDOWN', example: 'true' },
  { env: 'AGENT_INJECT_RUN_AS_USER', example: '1001' },
  { env: 'AGENT_INJECT_RUN_AS_GROUP', example: '1001' },
  { env: 'AGENT_INJECT_RUN_AS_SAME_USER', example: 'true' },
  { env: 'AGENT_INJECT_SET_SECURITY_CONTEXT', example: 'false' },
  { env: 'AGENT_INJECT_TELEMETRY_PATH', example: '/vault/metrics' },
  { env: 'AGENT_INJECT_USE_LEADER_ELECTOR', example: 'true' },
  { env: 'AGENT_INJECT_DEFAULT_TEMPLATE', example: 'json' },
  { env: 'AGENT_INJECT_CPU_REQUEST', example: '250m' },
  { env: 'AGENT_INJECT_MEM_REQUEST', example: '64Mi' },
  { env: 'AGENT_INJECT_EPHEMERAL_REQUEST', example: '1Gi' },
  { env: 'AGENT_INJECT_CPU_LIMIT', example: '1' },
  { env: 'AGENT_INJECT_MEM_LIMIT', example: '256Mi' },
  { env: 'AGENT_INJECT_EPHEMERAL_LIMIT', example: '2Gi' },
  { env: 'AGENT_INJECT_TLS_MIN_VERSION', example: 'tls13' },
  { env: 'AGENT_INJECT_TLS_CIPHER_SUITES', example: 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256' },
  { env: 'AGENT_INJECT_AUTH_MIN_BACKOFF', example: '2s' },
  { env: 'AGENT_INJECT_AUTH_MAX_BACKOFF', example: '1m' },
  { env: 'AGENT_INJECT_DISABLE_IDLE_CONNECTIONS', example: 'auto-auth,templating' },
  { env: 'AGENT_INJECT_DISABLE_KEEP_ALIVES', example: 'templating' },
];

/** The flags of the same file (c.flagSet in Command.init). */
const VAULT_K8S_FLAGS = [
  'listen', 'log-level', 'log-format', 'template-config-exit-on-retry-failure', 'template-static-secret-render-interval',
  'tls-auto', 'tls-auto-hosts', 'tls-ca-cert-file', 'tls-cert-file', 'tls-key-file', 'vault-image', 'vault-address',
  'vault-cacert-bytes', 'proxy-address', 'vault-auth-type', 'vault-auth-path', 'vault-namespace', 'revoke-on-shutdown',
  'run-as-user', 'run-as-group', 'run-as-same-user', 'set-security-context', 'telemetry-path', 'use-leader-elector',
  'default-template', 'cpu-request', 'memory-request', 'ephemeral-storage-request', 'cpu-limit', 'memory-limit',
  'ephemeral-storage-limit', 'auth-min-backoff', 'auth-max-backoff', 'disable-idle-connections', 'disable-keep-alives',
  'tls-min-version', 'tls-cipher-suites',
];

const BASE = { AGENT_INJECT_VAULT_ADDR: 'https://vault.vault.svc:8200' };

type Verdict = 'applied' | 'refused' | 'ignored';

/** Applied: the settings differ from the same start without it. Refused: the start fails naming it. */
function verdictOf(env: string, value: string, alongside: Record<string, string> = {}): { verdict: Verdict; detail: string } {
  const withoutIt = loadSettings([], { ...BASE, ...alongside });
  const baseline = withoutIt.ok ? withoutIt : loadSettings([], BASE);
  const trial = loadSettings([], { ...BASE, ...alongside, [env]: value });
  if (!trial.ok) {
    const naming = trial.problems.filter((problem) => problem.includes(env));
    return naming.length > 0 ? { verdict: 'refused', detail: naming.join('; ') } : { verdict: 'ignored', detail: `start failed without naming it: ${trial.problems.join('; ')}` };
  }
  assert.ok(baseline.ok);
  return isDeepStrictEqual(trial.settings, baseline.settings) ? { verdict: 'ignored', detail: 'the settings are the same with and without it' } : { verdict: 'applied', detail: '' };
}

test('every AGENT_INJECT_* variable of vault-k8s is applied or refused at start with a message naming it', async () => {
  const ca = await generateCa({ nowMs: Date.now() });
  const verdicts = VAULT_K8S_ENV.map(({ env, example, alongside }) => ({ env, ...verdictOf(env, example === 'CA_PEM' ? ca.certPem : example, alongside) }));
  const ignored = verdicts.filter((entry) => entry.verdict === 'ignored');
  assert.deepEqual(ignored.map((entry) => `${entry.env}: ${entry.detail}`), []);
  // The refusals are the ones we decided on; a new refusal must be a decision too.
  assert.deepEqual(verdicts.filter((entry) => entry.verdict === 'refused').map((entry) => entry.env).sort(), ['AGENT_INJECT_TLS_CIPHER_SUITES']);
  for (const entry of verdicts.filter((item) => item.verdict === 'refused')) assert.match(entry.detail, /not supported/, `${entry.env} is refused with its reason`);
});

test('the walk tells an ignored variable apart (the check can fail)', () => {
  assert.equal(verdictOf('AGENT_INJECT_NOT_A_SETTING', 'x').verdict, 'ignored');
  // The empty value is vault-k8s's "unset": nothing changes, nothing is refused.
  assert.equal(verdictOf('AGENT_INJECT_PROXY_ADDR', '').verdict, 'ignored');
});

test('every flag of vault-k8s is ours or refused with its reason, never "unknown flag"', () => {
  const known = new Set(settingDefinitions.map((definition) => definition.flag));
  const refused = new Set(refusedSettings.map((setting) => setting.flag));
  assert.deepEqual(VAULT_K8S_FLAGS.filter((flag) => !known.has(flag) && !refused.has(flag)), []);
  const result = loadSettings(['-tls-cipher-suites', 'TLS_AES_128_GCM_SHA256', '-vault-address=https://vault:8200'], {});
  assert.equal(result.ok, false);
  assert.deepEqual(result.ok ? [] : result.problems, [`flag -tls-cipher-suites ${refusedSettings[0]?.reason ?? ''}`]);
});
