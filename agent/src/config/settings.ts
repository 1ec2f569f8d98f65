// From a validated AgentConfig to the settings the agent runs with: every default applied in one
// place, durations in milliseconds. Pure: no file system, no environment.
import { durationToSeconds, type AgentConfig, type ConnectionFeature, type TemplateConfig } from './schema.ts';

export const DEFAULT_TOKEN_PATH = '/var/run/secrets/kubernetes.io/serviceaccount/token';
export const DEFAULT_TERMINATION_MESSAGE_PATH = '/dev/termination-log';

export interface TemplateSettings {
  /** Index in the config's template list; with the destination it names the template in messages. */
  index: number;
  /** How messages name it: the destination path. */
  name: string;
  destination: string;
  contents: string | undefined;
  source: string | undefined;
  /** undefined: keep an existing file's mode, 0644 for a new file (Vault Agent's rule). */
  perms: number | undefined;
  command: { argv: string[] } | { shell: string } | undefined;
  commandTimeoutMs: number;
  leftDelimiter: string | undefined;
  rightDelimiter: string | undefined;
  errorOnMissingKey: boolean;
  createDestDirs: boolean;
  /** Function names (`*` globs) that fail when called: function_denylist + function_blacklist. */
  functionDenylist: string[];
}

export interface TlsSettings {
  caCertFile: string | undefined;
  caPath: string | undefined;
  clientCertFile: string | undefined;
  clientKeyFile: string | undefined;
  serverName: string | undefined;
  skipVerify: boolean;
}

/** How one of the agent's Vault clients treats its connections (Vault Agent's per-client switches). */
export interface ConnectionPolicy {
  /** false: no idle connection is kept for reuse (`disable_idle_connections`). */
  idleConnections: boolean;
  /** false: every request asks for `Connection: close` (`disable_keep_alives`). */
  keepAlives: boolean;
}

export interface ConnectionPolicies {
  /** Login, token renewal and revocation. */
  autoAuth: ConnectionPolicy;
  /** Secret reads, lease renewals and mount look-ups for templates. */
  templating: ConnectionPolicy;
  /** The API proxy's client (`caching`/`proxying`), for the cache listener. */
  apiProxy: ConnectionPolicy;
}

/** use_auto_auth_token: never add the agent's token, add it when the request has none, or always. */
export type AutoAuthTokenUse = 'off' | 'when-absent' | 'force';

export interface ListenerSettings {
  host: string;
  port: number;
  enableQuit: boolean;
  autoAuthToken: AutoAuthTokenUse;
  /** The lease cache (a `cache` stanza); without it the listener only proxies. */
  cache: boolean;
  /** cache.persist: the init agent leaves its cache here, the sidecar picks it up. */
  persist: { path: string; exitOnErr: boolean; keepAfterImport: boolean } | undefined;
}

export interface TelemetrySettings {
  /** 0: Prometheus disabled (`prometheus_retention_time = 0`); default 24h once a telemetry stanza exists. */
  prometheusRetentionMs: number;
  disableHostname: boolean;
  enableHostnameLabel: boolean;
  filterDefault: boolean;
  prefixFilter: string[];
}

export interface AgentSettings {
  mode: 'init' | 'sidecar';
  vaultAddress: string;
  vaultNamespace: string | undefined;
  tls: TlsSettings;
  /** Login path without the leading `/v1/`, e.g. `auth/kubernetes/login`. */
  loginPath: string;
  role: string;
  /** The file holding the JWT the agent logs in with (kubernetes: token_path; jwt: path). */
  tokenPath: string;
  /** How the JWT file is read: kubernetes re-reads it at every login; jwt as Vault Agent's jwt method does. */
  auth: { type: 'kubernetes' } | { type: 'jwt'; removeAfterReading: boolean; removeFollowsSymlinks: boolean; readPeriodMs: number };
  sinks: Array<{ path: string; mode: number }>;
  minBackoffMs: number;
  maxBackoffMs: number;
  /** Before the first complete render: give up (exit non-zero) instead of retrying forever. */
  exitOnRetryFailure: boolean;
  /** auto_auth.method.exit_on_err: a refused login ends the agent at once instead of retrying. */
  exitOnAuthError: boolean;
  /** template_config.max_connections_per_host (default 10, as Vault Agent). */
  maxConnectionsPerHost: number;
  /** How long the first render may keep retrying before giving up (with exitOnRetryFailure). */
  retryTimeoutMs: number;
  staticSecretRenderIntervalMs: number;
  leaseRenewalThreshold: number;
  templates: TemplateSettings[];
  connections: ConnectionPolicies;
  revokeOnShutdown: boolean;
  revokeGraceMs: number;
  terminationMessagePath: string;
  readyFile: string | undefined;
  /** Where writeToFile may write (vault_injector.secrets_volumes); empty: nowhere. */
  secretsVolumes: string[];
  pidFile: string | undefined;
  listener: ListenerSettings | undefined;
  telemetry: TelemetrySettings | undefined;
}

const seconds = (value: number | string | undefined, fallbackSeconds: number): number =>
  Math.round((value === undefined ? fallbackSeconds : durationToSeconds(value)) * 1000);

/** `auth/kubernetes` (what vault-k8s writes), `/auth/x/`, or the bare mount name `kubernetes`.
 *  A path with an `auth/` segment further in is a mount in a child Vault namespace
 *  (`team-a/auth/kubernetes`, vault-k8s's cross-namespace set-up): Vault Agent logs in at it as
 *  written, so no `auth/` goes in front of it. */
export function loginPathFor(mountPath: string | undefined): string {
  const trimmed = (mountPath ?? 'auth/kubernetes').replace(/^\/+|\/+$/g, '');
  const mount = trimmed === '' ? 'auth/kubernetes' : trimmed.startsWith('auth/') || trimmed.includes('/auth/') ? trimmed : `auth/${trimmed}`;
  return `${mount}/login`;
}

export function commandOf(command: TemplateConfig['command']): TemplateSettings['command'] {
  if (command === undefined) return undefined;
  if (typeof command === 'string') return command.trim() === '' ? undefined : { shell: command };
  return { argv: [...command] };
}

export function resolveTemplate(template: TemplateConfig, index: number): TemplateSettings {
  return {
    index,
    name: template.destination,
    destination: template.destination,
    contents: template.source !== undefined && template.source !== '' ? undefined : (template.contents ?? ''),
    source: template.source !== undefined && template.source !== '' ? template.source : undefined,
    perms: template.perms === undefined ? undefined : parseInt(template.perms, 8),
    command: commandOf(template.command),
    commandTimeoutMs: seconds(template.command_timeout, 30),
    leftDelimiter: template.left_delimiter === '' ? undefined : template.left_delimiter,
    rightDelimiter: template.right_delimiter === '' ? undefined : template.right_delimiter,
    errorOnMissingKey: template.error_on_missing_key ?? false,
    createDestDirs: template.create_dest_dirs ?? true,
    functionDenylist: [...nameList(template.function_denylist), ...nameList(template.function_blacklist)],
  };
}

/** mapstructure's string-to-slice hook: "a,b" is ["a", "b"], "" is none. */
function nameList(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  if (typeof value !== 'string') return [...value];
  return value === '' ? [] : value.split(',');
}

const goTrue = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
const configBool = (value: boolean | string | undefined, fallback: boolean): boolean =>
  value === undefined ? fallback : typeof value === 'boolean' ? value : goTrue.has(value);

/** Vault Agent's jwt method defaults: remove the JWT after reading it; re-read every minute, or every 500 ms when
 *  the file is removed (then only a new file is read). */
function authSettings(method: AgentConfig['auto_auth']['method']): AgentSettings['auth'] {
  if (method.type !== 'jwt') return { type: 'kubernetes' };
  const removeAfterReading = configBool(method.config.remove_jwt_after_reading, true);
  const readPeriodMs = method.config.jwt_read_period !== undefined ? Math.round(durationToSeconds(method.config.jwt_read_period) * 1000)
    : removeAfterReading ? 500 : 60_000;
  return { type: 'jwt', removeAfterReading, removeFollowsSymlinks: configBool(method.config.remove_jwt_follows_symlinks, false), readPeriodMs };
}

export function resolveSettings(config: AgentConfig): AgentSettings {
  const method = config.auto_auth.method;
  const extension = config.vault_injector ?? {};
  const templateConfig = config.template_config ?? {};
  const namespace = method.namespace?.trim();
  return {
    mode: config.exit_after_auth ? 'init' : 'sidecar',
    vaultAddress: config.vault.address.replace(/\/+$/, ''),
    vaultNamespace: namespace === undefined || namespace === '' ? undefined : namespace,
    tls: {
      caCertFile: emptyToUndefined(config.vault.ca_cert),
      caPath: emptyToUndefined(config.vault.ca_path),
      clientCertFile: emptyToUndefined(config.vault.client_cert),
      clientKeyFile: emptyToUndefined(config.vault.client_key),
      serverName: emptyToUndefined(config.vault.tls_server_name),
      skipVerify: config.vault.tls_skip_verify ?? false,
    },
    loginPath: loginPathFor(method.mount_path),
    role: method.config.role,
    tokenPath: method.type === 'jwt' ? method.config.path : emptyToUndefined(method.config.token_path) ?? DEFAULT_TOKEN_PATH,
    auth: authSettings(method),
    sinks: (config.auto_auth.sink ?? []).map((sink) => ({ path: sink.config.path, mode: sink.config.mode ?? 0o640 })),
    minBackoffMs: seconds(method.min_backoff, 1),
    maxBackoffMs: Math.max(seconds(method.max_backoff, 300), seconds(method.min_backoff, 1)),
    exitOnRetryFailure: templateConfig.exit_on_retry_failure ?? true,
    exitOnAuthError: method.exit_on_err ?? false,
    maxConnectionsPerHost: templateConfig.max_connections_per_host ?? 10,
    retryTimeoutMs: seconds(extension.retry_timeout, 120),
    staticSecretRenderIntervalMs: seconds(templateConfig.static_secret_render_interval, 300),
    leaseRenewalThreshold: templateConfig.lease_renewal_threshold ?? 0.9,
    templates: (config.template ?? []).map(resolveTemplate),
    connections: connectionPolicies(config.disable_idle_connections ?? [], config.disable_keep_alives ?? []),
    revokeOnShutdown: extension.revoke_on_shutdown ?? false,
    revokeGraceMs: (extension.revoke_grace ?? 0) * 1000,
    terminationMessagePath: extension.termination_message_path ?? DEFAULT_TERMINATION_MESSAGE_PATH,
    readyFile: emptyToUndefined(extension.ready_file),
    secretsVolumes: [...(extension.secrets_volumes ?? [])],
    pidFile: emptyToUndefined(config.pid_file),
    listener: resolveListener(config),
    telemetry: config.telemetry === undefined ? undefined : {
      prometheusRetentionMs: seconds(config.telemetry.prometheus_retention_time, 24 * 3600),
      disableHostname: config.telemetry.disable_hostname ?? false,
      enableHostnameLabel: config.telemetry.enable_hostname_label ?? false,
      filterDefault: config.telemetry.filter_default ?? true,
      prefixFilter: config.telemetry.prefix_filter ?? [],
    },
  };
}

/** Vault Agent's parse of use_auto_auth_token: a boolean word, or "force" in any case. */
export function autoAuthTokenUse(value: boolean | string | undefined): AutoAuthTokenUse {
  if (value === undefined || value === false) return 'off';
  if (value === true) return 'when-absent';
  if (value.toLowerCase() === 'force') return 'force';
  return /^(1|t|T|TRUE|true|True)$/.test(value) ? 'when-absent' : 'off';
}

function resolveListener(config: AgentConfig): ListenerSettings | undefined {
  const [listener] = config.listener ?? [];
  if (listener === undefined) return undefined;
  const [host = '127.0.0.1', port = '8200'] = listener.address.split(':');
  const persist = config.cache?.persist;
  return {
    host,
    port: Number(port),
    enableQuit: listener.agent_api?.enable_quit ?? false,
    // api_proxy's setting wins; a cache stanza's is the older place for it (the schema refuses both).
    autoAuthToken: autoAuthTokenUse(config.api_proxy?.use_auto_auth_token ?? config.cache?.use_auto_auth_token),
    cache: config.cache !== undefined,
    persist: persist === undefined ? undefined : { path: persist.path, exitOnErr: persist.exit_on_err ?? false, keepAfterImport: persist.keep_after_import ?? false },
  };
}

export function connectionPolicies(noIdle: readonly ConnectionFeature[], noKeepAlive: readonly ConnectionFeature[]): ConnectionPolicies {
  const policy = (...features: ConnectionFeature[]): ConnectionPolicy => ({
    idleConnections: !features.some((feature) => noIdle.includes(feature)),
    keepAlives: !features.some((feature) => noKeepAlive.includes(feature)),
  });
  return { autoAuth: policy('auto-auth'), templating: policy('templating'), apiProxy: policy('caching', 'proxying') };
}

function emptyToUndefined(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
