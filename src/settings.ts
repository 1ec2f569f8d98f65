// Injector-wide settings: the flags and AGENT_INJECT_* environment variables of vault-k8s
// (subcommand/injector/flags.go), plus ours. One table drives parsing, defaults, validation and
// the `--help` text. As in vault-k8s, a non-empty environment variable wins over the flag.
import {
  parseBool, parseConnectionFeatures, parseDuration, parseFloat64, parseLogFormat, parseLogLevel, parseNonNegativeInt,
  parseProxyAddress, parseQuantity, parseVaultAddress, fail, ok,
} from './annotations/values.ts';
import type { Parsed } from './annotations/values.ts';
import { authMethodTypes, type AuthMethodType, type ConnectionFeature } from '../agent/src/config/schema.ts';
import { parseVaultCaCertBytes } from './vault-ca.ts';

export type DefaultTemplate = 'map' | 'json';

export interface InjectorSettings {
  listen: string;
  tlsCertFile?: string;
  tlsKeyFile?: string;
  /** CA of the served certificate, written into the caBundle when tlsAuto is also set. */
  tlsCaCertFile?: string;
  /** MutatingWebhookConfiguration name: enables auto TLS. */
  tlsAuto?: string;
  tlsAutoHosts: string[];
  tlsMinVersion: 'tls12' | 'tls13';
  useLeaderElector: boolean;
  logLevel: 'trace' | 'debug' | 'info' | 'warn' | 'error';
  logFormat: 'json' | 'standard';
  /** NAMESPACE env of the injector pod (Leases and the certificate Secret). */
  podNamespace: string;
  /** POD_NAME env of the injector pod (Lease holder identity). */
  podName?: string;
  tenancyPolicyFile?: string;
  /** Second path the metrics are served at (vault-k8s's -telemetry-path); /metrics always is. */
  telemetryPath?: string;
  // agent defaults (each overridable per pod by its annotation)
  vaultAddress: string;
  vaultImage: string;
  /** Default of the auth-type annotation. */
  vaultAuthType: AuthMethodType;
  vaultAuthPath: string;
  vaultNamespace?: string;
  /** PEM bundle every agent container gets as VAULT_CACERT_BYTES (decoded when given as base64). */
  vaultCaCertBytes?: string;
  /** Default of the proxy-address annotation (HTTPS_PROXY in the agent containers). */
  proxyAddress?: string;
  /** Defaults of agent-disable-idle-connections / agent-disable-keep-alives. */
  disableIdleConnections: ConnectionFeature[];
  disableKeepAlives: ConnectionFeature[];
  revokeOnShutdown: boolean;
  runAsUser: number;
  runAsGroup: number;
  runAsSameUser: boolean;
  setSecurityContext: boolean;
  defaultTemplate: DefaultTemplate;
  cpuRequest?: string;
  memoryRequest?: string;
  cpuLimit?: string;
  memoryLimit?: string;
  ephemeralRequest?: string;
  ephemeralLimit?: string;
  templateConfigExitOnRetryFailure: boolean;
  templateStaticSecretRenderInterval?: string;
  templateMaxConnectionsPerHost?: number;
  templateLeaseRenewalThreshold?: number;
  authMinBackoff?: string;
  authMaxBackoff?: string;
  /** Inject one native sidecar (restartPolicy: Always init container) by default. */
  nativeSidecar: boolean;
}

/** Our agent image (built from Dockerfile.agent); the chart sets AGENT_INJECT_VAULT_IMAGE. */
export const DEFAULT_AGENT_IMAGE = 'ghcr.io/vault-injector/agent:0.1.0';

type Key = keyof InjectorSettings;

interface SettingDefinition {
  key: Key;
  flag: string;
  env?: string;
  /** Shown in `--help`; undefined means "unset". */
  defaultText?: string;
  description: string;
  /** Bool flags may stand alone (`-use-leader-elector`). */
  isBool?: boolean;
  parse(text: string): Parsed<unknown>;
}

const text = (value: string): Parsed<unknown> => ok(value === '' ? undefined : value);
const list = (value: string): Parsed<unknown> => ok(value.split(',').map((item) => item.trim()).filter((item) => item !== ''));
const quantity = (value: string): Parsed<unknown> => parseQuantity(value);
const optionalDuration = (value: string): Parsed<unknown> => (value === '' ? ok(undefined) : parseDuration(value));

export const settingDefinitions: ReadonlyArray<SettingDefinition> = [
  { key: 'listen', flag: 'listen', env: 'AGENT_INJECT_LISTEN', defaultText: ':8080', description: 'Address to listen on (HOST:PORT or :PORT).',
    parse: (value) => (/^[^\s]*:\d{1,5}$/.test(value) && Number(value.slice(value.lastIndexOf(':') + 1)) <= 65535 ? ok(value) : fail(`"${value}" is not an address such as ":8080" or "127.0.0.1:8443"`)) },
  { key: 'logLevel', flag: 'log-level', env: 'AGENT_INJECT_LOG_LEVEL', defaultText: 'info', description: 'Webhook log level: trace, debug, info, warn or error.', parse: parseLogLevel },
  { key: 'logFormat', flag: 'log-format', env: 'AGENT_INJECT_LOG_FORMAT', defaultText: 'standard', description: 'Webhook log format: standard or json.', parse: parseLogFormat },
  { key: 'tlsCertFile', flag: 'tls-cert-file', env: 'AGENT_INJECT_TLS_CERT_FILE', description: 'PEM certificate file to serve (reloaded when it changes).', parse: text },
  { key: 'tlsKeyFile', flag: 'tls-key-file', env: 'AGENT_INJECT_TLS_KEY_FILE', description: 'PEM private key file of the certificate.', parse: text },
  { key: 'tlsCaCertFile', flag: 'tls-ca-cert-file', env: 'AGENT_INJECT_TLS_CA_CERT_FILE', description: 'CA certificate file written to the caBundle with -tls-auto.', parse: text },
  { key: 'tlsAuto', flag: 'tls-auto', env: 'AGENT_INJECT_TLS_AUTO', description: 'MutatingWebhookConfiguration name: generate a CA and certificate and keep its caBundle current.', parse: text },
  { key: 'tlsAutoHosts', flag: 'tls-auto-hosts', env: 'AGENT_INJECT_TLS_AUTO_HOSTS', defaultText: '', description: 'Comma-separated names and IPs of the generated certificate.', parse: list },
  { key: 'tlsMinVersion', flag: 'tls-min-version', env: 'AGENT_INJECT_TLS_MIN_VERSION', defaultText: 'tls12', description: 'Minimum TLS version: tls12 or tls13.',
    parse: (value) => (value === 'tls12' || value === 'tls13' ? ok(value) : fail(`"${value}" is not a supported TLS version (tls12 or tls13; older versions are refused)`)) },
  { key: 'useLeaderElector', flag: 'use-leader-elector', env: 'AGENT_INJECT_USE_LEADER_ELECTOR', defaultText: 'false', isBool: true, description: 'With several replicas, only the Lease holder writes the caBundle and certificate Secret.', parse: parseBool },
  { key: 'telemetryPath', flag: 'telemetry-path', env: 'AGENT_INJECT_TELEMETRY_PATH', description: 'A second path for the metrics, such as /vault/metrics (GET /metrics is always served).',
    parse: (value) => {
      if (value === '') return ok(undefined);
      if (!/^\/[A-Za-z0-9._~\/-]*$/.test(value)) return fail(`"${value}" is not a URL path starting with /`);
      return value === '/mutate' || value === '/health/ready' ? fail(`"${value}" is already a route of the webhook`) : ok(value);
    } },
  { key: 'tenancyPolicyFile', flag: 'tenancy', env: 'AGENT_INJECT_TENANCY_POLICY_FILE', description: 'YAML tenancy policy file (ours): what each namespace may use.', parse: text },
  { key: 'vaultAddress', flag: 'vault-address', env: 'AGENT_INJECT_VAULT_ADDR', description: 'Vault address the agents use (required).',
    parse: (value) => (value === '' ? ok('') : parseVaultAddress(value)) },
  { key: 'vaultImage', flag: 'vault-image', env: 'AGENT_INJECT_VAULT_IMAGE', defaultText: DEFAULT_AGENT_IMAGE, description: 'Agent image.',
    parse: (value) => (value.trim() === '' ? fail('must not be empty') : ok(value)) },
  { key: 'vaultAuthType', flag: 'vault-auth-type', env: 'AGENT_INJECT_VAULT_AUTH_TYPE', defaultText: 'kubernetes', description: 'Default auto-auth method type of the agents: kubernetes or jwt (annotation auth-type overrides).',
    parse: (value) => ((authMethodTypes as readonly string[]).includes(value) ? ok(value as AuthMethodType) : fail(`"${value}" is not supported (${authMethodTypes.map((type) => JSON.stringify(type)).join(' or ')})`)) },
  { key: 'vaultAuthPath', flag: 'vault-auth-path', env: 'AGENT_INJECT_VAULT_AUTH_PATH', defaultText: 'auth/kubernetes', description: 'Mount path of the Kubernetes auth method.',
    parse: (value) => (value.trim() === '' ? fail('must not be empty') : ok(value)) },
  { key: 'vaultCaCertBytes', flag: 'vault-cacert-bytes', env: 'AGENT_INJECT_VAULT_CACERT_BYTES', description: 'PEM CA certificate(s) the agents trust for Vault, optionally base64-encoded; every agent container gets it as VAULT_CACERT_BYTES.', parse: parseVaultCaCertBytes },
  { key: 'proxyAddress', flag: 'proxy-address', env: 'AGENT_INJECT_PROXY_ADDR', description: 'HTTP(S) proxy between the agents and Vault (HTTPS_PROXY in the agent containers; annotation proxy-address overrides).', parse: parseProxyAddress },
  { key: 'disableIdleConnections', flag: 'disable-idle-connections', env: 'AGENT_INJECT_DISABLE_IDLE_CONNECTIONS', defaultText: '', description: 'Agent clients without idle connections: comma list of auto-auth, templating, caching, proxying (disable_idle_connections).', parse: parseConnectionFeatures },
  { key: 'disableKeepAlives', flag: 'disable-keep-alives', env: 'AGENT_INJECT_DISABLE_KEEP_ALIVES', defaultText: '', description: 'Agent clients without keep-alives: comma list of auto-auth, templating, caching, proxying (disable_keep_alives).', parse: parseConnectionFeatures },
  { key: 'vaultNamespace', flag: 'vault-namespace', env: 'AGENT_INJECT_VAULT_NAMESPACE', description: 'Vault Enterprise namespace for auto-auth.', parse: text },
  { key: 'revokeOnShutdown', flag: 'revoke-on-shutdown', env: 'AGENT_INJECT_REVOKE_ON_SHUTDOWN', defaultText: 'false', isBool: true, description: 'Sidecar agents revoke their token when the pod stops.', parse: parseBool },
  { key: 'runAsUser', flag: 'run-as-user', env: 'AGENT_INJECT_RUN_AS_USER', defaultText: '100', description: 'uid of the agent containers.', parse: parseNonNegativeInt },
  { key: 'runAsGroup', flag: 'run-as-group', env: 'AGENT_INJECT_RUN_AS_GROUP', defaultText: '1000', description: 'gid of the agent containers.', parse: parseNonNegativeInt },
  { key: 'runAsSameUser', flag: 'run-as-same-user', env: 'AGENT_INJECT_RUN_AS_SAME_USER', defaultText: 'false', isBool: true, description: 'Run the agents as the first container\'s runAsUser.', parse: parseBool },
  { key: 'setSecurityContext', flag: 'set-security-context', env: 'AGENT_INJECT_SET_SECURITY_CONTEXT', defaultText: 'true', isBool: true, description: 'Emit the restricted securityContext on the agent containers.', parse: parseBool },
  { key: 'defaultTemplate', flag: 'default-template', env: 'AGENT_INJECT_DEFAULT_TEMPLATE', defaultText: 'map', description: 'Default template: map or json.',
    parse: (value) => { const word = value.toLowerCase(); return word === 'map' || word === 'json' ? ok(word) : fail(`invalid default template type "${value}" (map or json)`); } },
  { key: 'cpuRequest', flag: 'cpu-request', env: 'AGENT_INJECT_CPU_REQUEST', defaultText: '10m', description: 'CPU request of the agent containers ("" for none).', parse: quantity },
  { key: 'memoryRequest', flag: 'memory-request', env: 'AGENT_INJECT_MEM_REQUEST', defaultText: '48Mi', description: 'Memory request of the agent containers.', parse: quantity },
  { key: 'cpuLimit', flag: 'cpu-limit', env: 'AGENT_INJECT_CPU_LIMIT', defaultText: '500m', description: 'CPU limit of the agent containers.', parse: quantity },
  { key: 'memoryLimit', flag: 'memory-limit', env: 'AGENT_INJECT_MEM_LIMIT', defaultText: '128Mi', description: 'Memory limit of the agent containers.', parse: quantity },
  { key: 'ephemeralRequest', flag: 'ephemeral-storage-request', env: 'AGENT_INJECT_EPHEMERAL_REQUEST', description: 'Ephemeral storage request of the agent containers.', parse: quantity },
  { key: 'ephemeralLimit', flag: 'ephemeral-storage-limit', env: 'AGENT_INJECT_EPHEMERAL_LIMIT', description: 'Ephemeral storage limit of the agent containers.', parse: quantity },
  { key: 'templateConfigExitOnRetryFailure', flag: 'template-config-exit-on-retry-failure', env: 'AGENT_INJECT_TEMPLATE_CONFIG_EXIT_ON_RETRY_FAILURE', defaultText: 'true', isBool: true, description: 'template_config.exit_on_retry_failure.', parse: parseBool },
  { key: 'templateStaticSecretRenderInterval', flag: 'template-static-secret-render-interval', env: 'AGENT_INJECT_TEMPLATE_STATIC_SECRET_RENDER_INTERVAL', description: 'template_config.static_secret_render_interval.', parse: optionalDuration },
  { key: 'templateMaxConnectionsPerHost', flag: 'template-max-connections-per-host', env: 'AGENT_INJECT_TEMPLATE_MAX_CONNECTIONS_PER_HOST', description: 'template_config.max_connections_per_host (0: unset).',
    parse: (value) => { const parsed = parseNonNegativeInt(value); return parsed.ok ? ok(parsed.value === 0 ? undefined : parsed.value) : parsed; } },
  { key: 'templateLeaseRenewalThreshold', flag: 'template-lease-renewal-threshold', env: 'AGENT_INJECT_TEMPLATE_LEASE_RENEWAL_THRESHOLD', description: 'template_config.lease_renewal_threshold, between 0 and 1 (applied, unlike vault-k8s).',
    parse: (value) => { if (value === '') return ok(undefined); const parsed = parseFloat64(value); if (!parsed.ok) return parsed; if (parsed.value === 0) return ok(undefined); return parsed.value > 0 && parsed.value < 1 ? parsed : fail(`${value} is not between 0 and 1`); } },
  { key: 'authMinBackoff', flag: 'auth-min-backoff', env: 'AGENT_INJECT_AUTH_MIN_BACKOFF', description: 'auto_auth.method.min_backoff.', parse: optionalDuration },
  { key: 'authMaxBackoff', flag: 'auth-max-backoff', env: 'AGENT_INJECT_AUTH_MAX_BACKOFF', description: 'auto_auth.method.max_backoff.', parse: optionalDuration },
  { key: 'nativeSidecar', flag: 'native-sidecar', env: 'AGENT_INJECT_NATIVE_SIDECAR', defaultText: 'false', isBool: true, description: 'Inject one native sidecar agent by default (ours; annotation agent-native-sidecar overrides).', parse: parseBool },
];

function defaults(env: NodeJS.ProcessEnv): InjectorSettings {
  return {
    listen: ':8080',
    tlsAutoHosts: [],
    tlsMinVersion: 'tls12',
    useLeaderElector: false,
    logLevel: 'info',
    logFormat: 'standard',
    podNamespace: env['NAMESPACE'] !== undefined && env['NAMESPACE'] !== '' ? env['NAMESPACE'] : 'default',
    ...(env['POD_NAME'] !== undefined && env['POD_NAME'] !== '' ? { podName: env['POD_NAME'] } : {}),
    vaultAddress: '',
    vaultImage: DEFAULT_AGENT_IMAGE,
    vaultAuthType: 'kubernetes',
    vaultAuthPath: 'auth/kubernetes',
    disableIdleConnections: [],
    disableKeepAlives: [],
    revokeOnShutdown: false,
    runAsUser: 100,
    runAsGroup: 1000,
    runAsSameUser: false,
    setSecurityContext: true,
    defaultTemplate: 'map',
    cpuRequest: '10m',
    memoryRequest: '48Mi',
    cpuLimit: '500m',
    memoryLimit: '128Mi',
    templateConfigExitOnRetryFailure: true,
    nativeSidecar: false,
  };
}

/** vault-k8s settings we cannot honour: refused at start with the reason, never ignored. */
export interface RefusedSetting {
  flag: string;
  env: string;
  reason: string;
}

export const refusedSettings: ReadonlyArray<RefusedSetting> = [
  { flag: 'tls-cipher-suites', env: 'AGENT_INJECT_TLS_CIPHER_SUITES',
    reason: 'is not supported: the webhook serves with Node\'s default OpenSSL cipher list, whose names differ from Go\'s; -tls-min-version=tls13 limits it to the TLS 1.3 suites' },
];

const byFlag = new Map(settingDefinitions.map((definition) => [definition.flag, definition]));
const refusedByFlag = new Map(refusedSettings.map((setting) => [setting.flag, setting]));

export type SettingsResult = { ok: true; settings: InjectorSettings } | { ok: false; problems: string[] };

/**
 * Flags (`-name=value`, `-name value`, `--name ...`; a bool flag may stand alone) and then the
 * AGENT_INJECT_* environment variables, which win when non-empty. Every problem is reported.
 */
export function loadSettings(argv: string[], env: NodeJS.ProcessEnv): SettingsResult {
  const draft: Record<string, unknown> = { ...defaults(env) };
  const problems: string[] = [];
  const apply = (definition: SettingDefinition, value: string, source: string): void => {
    const parsed = definition.parse(value);
    if (parsed.ok) draft[definition.key] = parsed.value;
    else problems.push(`${source}: ${parsed.reason}`);
  };

  for (let index = 0; index < argv.length; index += 1) {
    const argument = argv[index] ?? '';
    const match = /^--?([a-z0-9-]+)(=([\s\S]*))?$/.exec(argument);
    if (match === null) {
      problems.push(`unexpected argument "${argument}" (flags look like -vault-address=https://vault:8200)`);
      continue;
    }
    const name = match[1] ?? '';
    const definition = byFlag.get(name);
    if (definition === undefined) {
      const refused = refusedByFlag.get(name);
      problems.push(refused !== undefined ? `flag -${name} ${refused.reason}` : `unknown flag -${name}`);
      if (refused !== undefined && match[3] === undefined && argv[index + 1] !== undefined && !argv[index + 1]?.startsWith('-')) index += 1;
      continue;
    }
    let value = match[3];
    if (value === undefined) {
      const next = argv[index + 1];
      if (definition.isBool === true) value = 'true';
      else if (next === undefined) {
        problems.push(`flag -${name} needs a value`);
        continue;
      } else {
        value = next;
        index += 1;
      }
    }
    apply(definition, value, `flag -${name}`);
  }

  for (const definition of settingDefinitions) {
    if (definition.env === undefined) continue;
    const value = env[definition.env];
    if (value !== undefined && value !== '') apply(definition, value, definition.env);
  }
  for (const refused of refusedSettings) {
    const value = env[refused.env];
    if (value !== undefined && value !== '') problems.push(`${refused.env} ${refused.reason}`);
  }

  const settings = draft as unknown as InjectorSettings;
  if (settings.vaultAddress === '' && !problems.some((entry) => entry.includes('-vault-address') || entry.includes('AGENT_INJECT_VAULT_ADDR'))) {
    problems.push('no Vault address configured: set -vault-address or AGENT_INJECT_VAULT_ADDR (such as https://vault.vault.svc:8200)');
  }
  if ((settings.tlsCertFile === undefined) !== (settings.tlsKeyFile === undefined)) {
    problems.push('-tls-cert-file and -tls-key-file (AGENT_INJECT_TLS_CERT_FILE, AGENT_INJECT_TLS_KEY_FILE) must be given together');
  }
  if (settings.tlsAuto !== undefined && settings.tlsAutoHosts.length === 0) {
    problems.push('-tls-auto needs -tls-auto-hosts (AGENT_INJECT_TLS_AUTO_HOSTS): the names the API server calls the webhook by');
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, settings };
}

/** Settings from defaults only (plus a Vault address): for tests and the mutate command's examples. */
export function settingsWith(overrides: Partial<InjectorSettings> & { vaultAddress: string }): InjectorSettings {
  return { ...defaults({}), ...overrides };
}

export function renderSettingsHelp(): string {
  const lines: string[] = [];
  for (const definition of settingDefinitions) {
    const shown = definition.defaultText === undefined ? '' : ` (default ${JSON.stringify(definition.defaultText)})`;
    lines.push(`  -${definition.flag}${definition.env === undefined ? '' : ` / ${definition.env}`}${shown}\n      ${definition.description}`);
  }
  for (const refused of refusedSettings) lines.push(`  -${refused.flag} / ${refused.env} (refused)\n      The setting ${refused.reason}.`);
  return `${lines.join('\n')}\n`;
}
