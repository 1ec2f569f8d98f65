// THE annotation table: every `vault.hashicorp.com/` key the webhook reads, with its default, its
// value grammar, its description and whether vault-k8s has it. Parsing (parse.ts), defaults and the
// README reference (renderAnnotationReference) are all derived from these entries.
import type { InjectorSettings, DefaultTemplate } from '../settings.ts';
import {
  fail, ok, parseBool, parseDuration, parseFileMode, parseFloat64, parseLogFormat, parseLogLevel,
  parseNonNegativeInt, parseQuantity, parseUint, parseVaultAddress, parseConnectionFeatures, parseProxyAddress,
  parseDurationSecond, parseOptionalUint, parseProcessorCount,
} from './values.ts';
import type { ConnectionFeature } from '../../agent/src/config/schema.ts';
import type { AgentLogLevel, Parsed } from './values.ts';
import { parseJsonPatch } from './json-patch.ts';
import type { JsonPatch } from './json-patch.ts';

export type Origin = 'vault-k8s' | 'ours';

export interface AnnotationDefinition<T> {
  /** Key after `vault.hashicorp.com/`; for per-secret annotations the part before NAME, e.g. `agent-inject-secret-`. */
  name: string;
  /** `prefix`: a family of keys `NAME-PARAM` (agent-telemetry-PARAM), each parsed on its own. */
  scope: 'pod' | 'secret' | 'prefix';
  origin: Origin;
  /** Default as the README shows it. */
  defaultText: string;
  description: string;
  /** The value when the annotation is absent. */
  fallback(settings: InjectorSettings): T;
  parse(raw: string, settings: InjectorSettings): Parsed<T>;
  /** How the README names the part after a prefix (default NAME, the secret's name). */
  suffixText?: string;
}

/** A vault-k8s annotation we do not implement: refused unless its value means "off". */
export interface UnsupportedAnnotation {
  /** Exact key, or a prefix when `isPrefix`. */
  name: string;
  isPrefix: boolean;
  /** True when the value asks for nothing (so ignoring it changes nothing). */
  inert(raw: string): boolean;
  reason: string;
}

function define<T>(definition: AnnotationDefinition<T>): AnnotationDefinition<T> {
  return definition;
}

const asString = (raw: string): Parsed<string> => ok(raw);
const optionalString = (raw: string): Parsed<string | undefined> => ok(raw === '' ? undefined : raw);
const nonEmpty = (raw: string): Parsed<string> => (raw.trim() === '' ? fail('must not be empty') : ok(raw));
function absolutePath(raw: string): Parsed<string> {
  if (!raw.startsWith('/') || raw.split('/').includes('..')) return fail(`${JSON.stringify(raw)} is not an absolute path without ".."`);
  const trimmed = raw.replace(/\/+$/, '');
  return trimmed === '' ? fail('"/" would mount the secrets over the root of the container') : ok(trimmed);
}
const optionalDuration = (raw: string): Parsed<string | undefined> => (raw === '' ? ok(undefined) : parseDuration(raw));
const quantity = (raw: string): Parsed<string | undefined> => parseQuantity(raw);
const none = (): undefined => undefined;

function defaultTemplate(raw: string): Parsed<DefaultTemplate> {
  const word = raw.toLowerCase();
  return word === 'map' || word === 'json' ? ok(word) : fail(`invalid default template type ${JSON.stringify(raw)} (map or json)`);
}

function leaseThreshold(raw: string): Parsed<number | undefined> {
  if (raw === '') return ok(undefined);
  const parsed = parseFloat64(raw);
  if (!parsed.ok) return parsed;
  if (parsed.value === 0) return ok(undefined);
  return parsed.value > 0 && parsed.value < 1 ? ok(parsed.value) : fail(`${raw} is not between 0 and 1`);
}

function maxConnections(raw: string): Parsed<number | undefined> {
  const parsed = parseNonNegativeInt(raw);
  if (!parsed.ok) return parsed;
  return ok(parsed.value === 0 ? undefined : parsed.value);
}

/** vault-k8s passes the value through; Vault Agent accepts its boolean words or "force". */
function useAutoAuthToken(raw: string): Parsed<string> {
  return /^(1|t|T|TRUE|true|True|0|f|F|FALSE|false|False)$/.test(raw) || raw.toLowerCase() === 'force'
    ? ok(raw)
    : fail(`${JSON.stringify(raw)} is not true, false or force`);
}

function listenerPort(raw: string): Parsed<string> {
  return /^\d{1,5}$/.test(raw) && Number(raw) >= 1 && Number(raw) <= 65535 ? ok(raw) : fail(`${JSON.stringify(raw)} is not a TCP port (1-65535)`);
}

/** As vault-k8s: the value is JSON when it decodes (`true`, `500`, `["+vault.agent"]`), else the text. */
function telemetryValue(raw: string): Parsed<unknown> {
  try {
    return ok(JSON.parse(raw) as unknown);
  } catch {
    return ok(raw);
  }
}

function containerList(raw: string): Parsed<string[] | undefined> {
  const names = raw.split(',').map((name) => name.trim()).filter((name) => name !== '');
  return ok(names);
}

export const authTypes = ['kubernetes', 'jwt'] as const;
export type AuthType = (typeof authTypes)[number];

const absoluteFile = (raw: string): Parsed<string> =>
  (raw.startsWith('/') && !raw.split('/').includes('..') ? ok(raw) : fail(`${JSON.stringify(raw)} is not an absolute path without ".."`));
const goBool = (raw: string): Parsed<string> => (parseBool(raw).ok ? ok(raw) : fail(`${JSON.stringify(raw)} is not a boolean (true, false, 1, 0, t, f)`));
const goDuration = (raw: string): Parsed<string> => (/^\d+$/.test(raw) ? ok(raw) : parseDuration(raw).ok ? ok(raw) : fail(`${JSON.stringify(raw)} is not a duration (seconds, or a Go duration such as 30s)`));

/**
 * The auth-config-* keys each method accepts, as its config key (`-` already `_`) and a check of the string value:
 * what Vault Agent's kubernetes and jwt auto-auth methods read. `role` and `token_path` are read by their own rows.
 */
export const authConfigKeys: Readonly<Record<AuthType, Readonly<Record<string, (raw: string) => Parsed<string>>>>> = {
  kubernetes: {},
  jwt: { path: absoluteFile, remove_jwt_after_reading: goBool, remove_jwt_follows_symlinks: goBool, jwt_read_period: goDuration },
};

/** A default that an injector-wide flag sets: shown with its environment variable. */
const flag = (text: string, env: string): string => `${/^[a-z' ]+$/.test(text) && text.includes(' ') || text === '-' ? text : `\`${text}\``} (\`${env}\`)`;

export const annotations = {
  // injection control
  inject: define<boolean>({ name: 'agent-inject', scope: 'pod', origin: 'vault-k8s', defaultText: 'false', description: 'Inject the agent into this pod.', fallback: () => false, parse: parseBool }),
  status: define<string>({ name: 'agent-inject-status', scope: 'pod', origin: 'vault-k8s', defaultText: '-', description: 'Set to `injected` by the webhook; a pod already `injected` is left alone.', fallback: () => '', parse: asString }),
  prePopulate: define<boolean>({ name: 'agent-pre-populate', scope: 'pod', origin: 'vault-k8s', defaultText: 'true', description: 'Add the `vault-agent-init` init container, which renders every file before the app starts.', fallback: () => true, parse: parseBool }),
  prePopulateOnly: define<boolean>({ name: 'agent-pre-populate-only', scope: 'pod', origin: 'vault-k8s', defaultText: 'false', description: 'Only the init container, no `vault-agent` sidecar (for Jobs and CronJobs).', fallback: () => false, parse: parseBool }),
  initFirst: define<boolean>({ name: 'agent-init-first', scope: 'pod', origin: 'vault-k8s', defaultText: 'false', description: 'Put the agent init container first among init containers (last by default).', fallback: () => false, parse: parseBool }),
  nativeSidecar: define<boolean>({ name: 'agent-native-sidecar', scope: 'pod', origin: 'ours', defaultText: flag('false', 'AGENT_INJECT_NATIVE_SIDECAR'), description: 'Inject one agent as a Kubernetes native sidecar (init container with `restartPolicy: Always` and a startup probe) instead of an init container plus a sidecar. Applies when both would be injected.', fallback: (settings) => settings.nativeSidecar, parse: parseBool }),
  injectContainers: define<string[] | undefined>({ name: 'agent-inject-containers', scope: 'pod', origin: 'vault-k8s', defaultText: 'all containers', description: 'Comma-separated names of the app containers that get the secrets volume. A name the pod does not have is refused.', fallback: none, parse: containerList }),
  injectToken: define<boolean>({ name: 'agent-inject-token', scope: 'pod', origin: 'vault-k8s', defaultText: 'false', description: 'Also write the agent\'s Vault token to `<secret-volume-path>/token`.', fallback: () => false, parse: parseBool }),
  defaultTemplate: define<DefaultTemplate>({ name: 'agent-inject-default-template', scope: 'pod', origin: 'vault-k8s', defaultText: flag('map', 'AGENT_INJECT_DEFAULT_TEMPLATE'), description: 'Template for secrets without one: `map` (one `key: value` line per key) or `json`.', fallback: (settings) => settings.defaultTemplate, parse: defaultTemplate }),
  secretVolumePath: define<string>({ name: 'secret-volume-path', scope: 'pod', origin: 'vault-k8s', defaultText: '/vault/secrets', description: 'Where the `vault-secrets` volume is mounted in the app and agent containers.', fallback: () => '/vault/secrets', parse: absolutePath }),
  preserveSecretCase: define<boolean>({ name: 'preserve-secret-case', scope: 'pod', origin: 'vault-k8s', defaultText: 'false', description: 'Keep the case of secret names in file names (lower-cased by default).', fallback: () => false, parse: parseBool }),
  // Vault connection and auth
  role: define<string>({ name: 'role', scope: 'pod', origin: 'vault-k8s', defaultText: 'required', description: 'Vault role of the auth method (`auto_auth.method.config.role`).', fallback: () => '', parse: nonEmpty }),
  authConfigRole: define<string | undefined>({ name: 'auth-config-role', scope: 'pod', origin: 'vault-k8s', defaultText: '-', description: 'Role when `role` is absent.', fallback: none, parse: optionalString }),
  authConfigTokenPath: define<string | undefined>({ name: 'auth-config-token-path', scope: 'pod', origin: 'vault-k8s', defaultText: 'the discovered service account token', description: 'Path of the service account token the agent logs in with.', fallback: none, parse: optionalString }),
  authType: define<AuthType>({ name: 'auth-type', scope: 'pod', origin: 'vault-k8s', defaultText: flag('kubernetes', 'AGENT_INJECT_VAULT_AUTH_TYPE'), description: 'Auto-auth method: `kubernetes`, or `jwt` (the service account token sent to a JWT/OIDC auth method, as external Vaults often use; set `auth-path`, e.g. `auth/jwt`).', fallback: (settings) => settings.vaultAuthType, parse: (raw) => (authTypes.includes(raw as AuthType) ? ok(raw as AuthType) : fail(`${JSON.stringify(raw)} is not supported (${authTypes.map((type) => JSON.stringify(type)).join(' or ')})`)) }),
  authConfig: define<string>({ name: 'auth-config-', scope: 'secret', suffixText: 'KEY', origin: 'vault-k8s', defaultText: '-', description: 'Key KEY of the auth method\'s config, `-` read as `_`, the value kept as a string (as vault-k8s). kubernetes: `role`, `token-path`. jwt: also `path` (the JWT file; default: the service account token, with `remove-jwt-after-reading` then defaulting to `false`), `remove-jwt-after-reading`, `remove-jwt-follows-symlinks`, `jwt-read-period`. Any other key is refused.', fallback: () => '', parse: asString }),
  authPath: define<string>({ name: 'auth-path', scope: 'pod', origin: 'vault-k8s', defaultText: flag('auth/kubernetes', 'AGENT_INJECT_VAULT_AUTH_PATH'), description: 'Mount path of the Kubernetes auth method (`auto_auth.method.mount_path`).', fallback: (settings) => settings.vaultAuthPath, parse: nonEmpty }),
  vaultNamespace: define<string | undefined>({ name: 'namespace', scope: 'pod', origin: 'vault-k8s', defaultText: flag('-', 'AGENT_INJECT_VAULT_NAMESPACE'), description: 'Vault Enterprise namespace (`auto_auth.method.namespace`).', fallback: (settings) => settings.vaultNamespace, parse: optionalString }),
  service: define<string>({ name: 'service', scope: 'pod', origin: 'vault-k8s', defaultText: flag('the injector\'s Vault address', 'AGENT_INJECT_VAULT_ADDR'), description: 'Vault address (`vault.address`).', fallback: (settings) => settings.vaultAddress, parse: parseVaultAddress }),
  authMinBackoff: define<string | undefined>({ name: 'auth-min-backoff', scope: 'pod', origin: 'vault-k8s', defaultText: flag('-', 'AGENT_INJECT_AUTH_MIN_BACKOFF'), description: 'Minimum backoff between login attempts (Go duration).', fallback: (settings) => settings.authMinBackoff, parse: optionalDuration }),
  authMaxBackoff: define<string | undefined>({ name: 'auth-max-backoff', scope: 'pod', origin: 'vault-k8s', defaultText: flag('-', 'AGENT_INJECT_AUTH_MAX_BACKOFF'), description: 'Maximum backoff between login attempts (Go duration).', fallback: (settings) => settings.authMaxBackoff, parse: optionalDuration }),
  autoAuthExitOnErr: define<boolean>({ name: 'agent-auto-auth-exit-on-err', scope: 'pod', origin: 'vault-k8s', defaultText: 'false', description: 'Exit when login fails instead of retrying (`auto_auth.method.exit_on_err`).', fallback: () => false, parse: parseBool }),
  tlsSkipVerify: define<boolean>({ name: 'tls-skip-verify', scope: 'pod', origin: 'vault-k8s', defaultText: 'false', description: 'Do not verify Vault\'s certificate.', fallback: () => false, parse: parseBool }),
  tlsSecret: define<string | undefined>({ name: 'tls-secret', scope: 'pod', origin: 'vault-k8s', defaultText: '-', description: 'Kubernetes Secret mounted read-only at `/vault/tls` in the agent containers (volume `vault-tls-secrets`).', fallback: none, parse: optionalString }),
  tlsServerName: define<string | undefined>({ name: 'tls-server-name', scope: 'pod', origin: 'vault-k8s', defaultText: '-', description: 'Server name to verify Vault\'s certificate against.', fallback: none, parse: optionalString }),
  caCert: define<string | undefined>({ name: 'ca-cert', scope: 'pod', origin: 'vault-k8s', defaultText: '-', description: 'CA certificate file in the agent container (`vault.ca_cert`), e.g. `/vault/tls/ca.crt`.', fallback: none, parse: optionalString }),
  caKey: define<string | undefined>({ name: 'ca-key', scope: 'pod', origin: 'vault-k8s', defaultText: '-', description: 'CA directory (`vault.ca_path`; the name is historical).', fallback: none, parse: optionalString }),
  clientCert: define<string | undefined>({ name: 'client-cert', scope: 'pod', origin: 'vault-k8s', defaultText: '-', description: 'Client certificate file for Vault (`vault.client_cert`).', fallback: none, parse: optionalString }),
  clientKey: define<string | undefined>({ name: 'client-key', scope: 'pod', origin: 'vault-k8s', defaultText: '-', description: 'Client key file for Vault (`vault.client_key`).', fallback: none, parse: optionalString }),
  proxyAddress: define<string | undefined>({ name: 'proxy-address', scope: 'pod', origin: 'vault-k8s', defaultText: flag('-', 'AGENT_INJECT_PROXY_ADDR'), description: 'HTTP(S) proxy between the agent and Vault, set as `HTTPS_PROXY` in the agent containers (an https Vault is reached through a CONNECT tunnel; `NO_PROXY` and loopback addresses bypass it, as in Go).', fallback: (settings) => settings.proxyAddress, parse: parseProxyAddress }),
  clientTimeout: define<string | undefined>({ name: 'client-timeout', scope: 'pod', origin: 'vault-k8s', defaultText: '60s (the agent\'s)', description: 'Timeout of each request to Vault (`VAULT_CLIENT_TIMEOUT`): seconds or a Go duration; `0` for none.', fallback: none, parse: parseDurationSecond }),
  clientMaxRetries: define<number | undefined>({ name: 'client-max-retries', scope: 'pod', origin: 'vault-k8s', defaultText: '0 (the agent retries its work with backoff)', description: 'Extra attempts per request on a network error, 412, 429 or 5xx (`VAULT_MAX_RETRIES`; Vault Agent\'s default is 2).', fallback: none, parse: parseOptionalUint }),
  disableIdleConnections: define<ConnectionFeature[]>({ name: 'agent-disable-idle-connections', scope: 'pod', origin: 'vault-k8s', defaultText: flag('-', 'AGENT_INJECT_DISABLE_IDLE_CONNECTIONS'), description: 'Comma list of agent clients that keep no idle connection (`disable_idle_connections`): `auto-auth`, `templating`, `caching`, `proxying`.', fallback: (settings) => settings.disableIdleConnections, parse: parseConnectionFeatures }),
  disableKeepAlives: define<ConnectionFeature[]>({ name: 'agent-disable-keep-alives', scope: 'pod', origin: 'vault-k8s', defaultText: flag('-', 'AGENT_INJECT_DISABLE_KEEP_ALIVES'), description: 'Comma list of agent clients that send `Connection: close` (`disable_keep_alives`): `auto-auth`, `templating`, `caching`, `proxying`.', fallback: (settings) => settings.disableKeepAlives, parse: parseConnectionFeatures }),
  // agent containers
  goMaxProcs: define<number | undefined>({ name: 'go-max-procs', scope: 'pod', origin: 'vault-k8s', defaultText: 'unset', description: 'Caps the agent\'s threads as `GOMAXPROCS` caps Vault Agent\'s: sets `GOMAXPROCS`, `UV_THREADPOOL_SIZE` (libuv\'s pool: file, DNS and crypto work) and `NODE_OPTIONS=--v8-pool-size=N` (V8\'s GC and compiler threads). A positive integer.', fallback: none, parse: parseProcessorCount }),
  image: define<string>({ name: 'agent-image', scope: 'pod', origin: 'vault-k8s', defaultText: flag('our agent image', 'AGENT_INJECT_VAULT_IMAGE'), description: 'Image of the agent containers.', fallback: (settings) => settings.vaultImage, parse: nonEmpty }),
  limitsCpu: define<string | undefined>({ name: 'agent-limits-cpu', scope: 'pod', origin: 'vault-k8s', defaultText: flag('500m', 'AGENT_INJECT_CPU_LIMIT'), description: 'CPU limit (Kubernetes quantity; `""` for none).', fallback: (settings) => settings.cpuLimit, parse: quantity }),
  limitsMem: define<string | undefined>({ name: 'agent-limits-mem', scope: 'pod', origin: 'vault-k8s', defaultText: flag('128Mi', 'AGENT_INJECT_MEM_LIMIT'), description: 'Memory limit.', fallback: (settings) => settings.memoryLimit, parse: quantity }),
  limitsEphemeral: define<string | undefined>({ name: 'agent-limits-ephemeral', scope: 'pod', origin: 'vault-k8s', defaultText: flag('-', 'AGENT_INJECT_EPHEMERAL_LIMIT'), description: 'Ephemeral storage limit.', fallback: (settings) => settings.ephemeralLimit, parse: quantity }),
  requestsCpu: define<string | undefined>({ name: 'agent-requests-cpu', scope: 'pod', origin: 'vault-k8s', defaultText: flag('10m', 'AGENT_INJECT_CPU_REQUEST'), description: 'CPU request (vault-k8s: 250m; our agent idles near zero).', fallback: (settings) => settings.cpuRequest, parse: quantity }),
  requestsMem: define<string | undefined>({ name: 'agent-requests-mem', scope: 'pod', origin: 'vault-k8s', defaultText: flag('48Mi', 'AGENT_INJECT_MEM_REQUEST'), description: 'Memory request (vault-k8s: 64Mi).', fallback: (settings) => settings.memoryRequest, parse: quantity }),
  requestsEphemeral: define<string | undefined>({ name: 'agent-requests-ephemeral', scope: 'pod', origin: 'vault-k8s', defaultText: flag('-', 'AGENT_INJECT_EPHEMERAL_REQUEST'), description: 'Ephemeral storage request.', fallback: (settings) => settings.ephemeralRequest, parse: quantity }),
  runAsUser: define<number>({ name: 'agent-run-as-user', scope: 'pod', origin: 'vault-k8s', defaultText: flag('100', 'AGENT_INJECT_RUN_AS_USER'), description: 'uid of the agent containers.', fallback: (settings) => settings.runAsUser, parse: parseNonNegativeInt }),
  runAsGroup: define<number>({ name: 'agent-run-as-group', scope: 'pod', origin: 'vault-k8s', defaultText: flag('1000', 'AGENT_INJECT_RUN_AS_GROUP'), description: 'gid of the agent containers.', fallback: (settings) => settings.runAsGroup, parse: parseNonNegativeInt }),
  runAsSameUser: define<boolean>({ name: 'agent-run-as-same-user', scope: 'pod', origin: 'vault-k8s', defaultText: flag('false', 'AGENT_INJECT_RUN_AS_SAME_USER'), description: 'Run the agents as the first container\'s `securityContext.runAsUser` (must be set and not 0).', fallback: (settings) => settings.runAsSameUser, parse: parseBool }),
  setSecurityContext: define<boolean>({ name: 'agent-set-security-context', scope: 'pod', origin: 'vault-k8s', defaultText: flag('true', 'AGENT_INJECT_SET_SECURITY_CONTEXT'), description: 'Emit the restricted securityContext (non-root, read-only root, no privilege escalation, drop ALL, seccomp RuntimeDefault).', fallback: (settings) => settings.setSecurityContext, parse: parseBool }),
  shareProcessNamespace: define<boolean | undefined>({ name: 'agent-share-process-namespace', scope: 'pod', origin: 'vault-k8s', defaultText: 'unset', description: 'Set `spec.shareProcessNamespace` (so `agent-inject-command` can signal the app).', fallback: none, parse: parseBool }),
  revokeOnShutdown: define<boolean>({ name: 'agent-revoke-on-shutdown', scope: 'pod', origin: 'vault-k8s', defaultText: flag('false', 'AGENT_INJECT_REVOKE_ON_SHUTDOWN'), description: 'The sidecar revokes its token when the pod stops.', fallback: (settings) => settings.revokeOnShutdown, parse: parseBool }),
  revokeGrace: define<number>({ name: 'agent-revoke-grace', scope: 'pod', origin: 'vault-k8s', defaultText: '5', description: 'Seconds to wait before revoking on shutdown.', fallback: () => 5, parse: parseUint }),
  serviceAccountTokenVolumeName: define<string | undefined>({ name: 'agent-service-account-token-volume-name', scope: 'pod', origin: 'vault-k8s', defaultText: 'the mount whose path contains `serviceaccount`', description: 'Projected volume holding the service account token to log in with.', fallback: none, parse: optionalString }),
  configMap: define<string | undefined>({ name: 'agent-configmap', scope: 'pod', origin: 'vault-k8s', defaultText: '-', description: 'ConfigMap with the agent\'s own Vault Agent config, `config-init.hcl` (init agent) and `config.hcl` (sidecar), mounted read-only at `/vault/configs` (volume `vault-config`); the agent reads it as HCL, and the annotations\' config (role, templates, ...) is not used. The Vault connection comes as `VAULT_ADDR`, `VAULT_CACERT`, ... unless the file has a `vault` stanza. Not with `agent-native-sidecar`.', fallback: none, parse: optionalString }),
  extraSecret: define<string | undefined>({ name: 'agent-extra-secret', scope: 'pod', origin: 'vault-k8s', defaultText: '-', description: 'Kubernetes Secret mounted read-only at `/vault/custom` in the agent containers (volume `extra-secrets`).', fallback: none, parse: optionalString }),
  copyVolumeMounts: define<string | undefined>({ name: 'agent-copy-volume-mounts', scope: 'pod', origin: 'vault-k8s', defaultText: '-', description: 'Container whose volume mounts are copied onto the agent containers (service account mounts skipped).', fallback: none, parse: optionalString }),
  jsonPatch: define<JsonPatch>({ name: 'agent-json-patch', scope: 'pod', origin: 'vault-k8s', defaultText: '-', description: 'RFC 6902 JSON patch applied to the sidecar (or native sidecar) container, paths relative to the container; a patch that does not apply refuses the pod.', fallback: () => [], parse: parseJsonPatch }),
  initJsonPatch: define<JsonPatch>({ name: 'agent-init-json-patch', scope: 'pod', origin: 'vault-k8s', defaultText: '-', description: 'RFC 6902 JSON patch applied to the `vault-agent-init` container.', fallback: () => [], parse: parseJsonPatch }),
  logLevel: define<AgentLogLevel>({ name: 'log-level', scope: 'pod', origin: 'vault-k8s', defaultText: 'info', description: 'Agent log level (`VAULT_LOG_LEVEL`).', fallback: () => 'info', parse: parseLogLevel }),
  logFormat: define<'json' | 'standard'>({ name: 'log-format', scope: 'pod', origin: 'vault-k8s', defaultText: 'standard', description: 'Agent log format (`VAULT_LOG_FORMAT`): standard or json.', fallback: () => 'standard', parse: parseLogFormat }),
  // cache, listener, quit, telemetry
  cacheEnable: define<boolean>({ name: 'agent-cache-enable', scope: 'pod', origin: 'vault-k8s', defaultText: 'false', description: 'Serve Vault\'s API on `127.0.0.1:<agent-cache-listener-port>` in the agent (`listener`, `cache`): requests are proxied to Vault, with the agent\'s token added, and leased secrets and tokens are cached and renewed. With both an init container and a sidecar the init agent hands its cache to the sidecar (`cache.persist`, volume `vault-agent-cache`). See "The agent\'s listener".', fallback: () => false, parse: parseBool }),
  cacheUseAutoAuthToken: define<string>({ name: 'agent-cache-use-auto-auth-token', scope: 'pod', origin: 'vault-k8s', defaultText: 'true', description: '`cache.use_auto_auth_token`: `true` adds the agent\'s token to requests that carry none, `force` replaces any token the app sends, `false` never adds it.', fallback: () => 'true', parse: useAutoAuthToken }),
  cacheListenerPort: define<string>({ name: 'agent-cache-listener-port', scope: 'pod', origin: 'vault-k8s', defaultText: '8200', description: 'Port of the agent\'s listener on 127.0.0.1 (plain HTTP, `tls_disable`).', fallback: () => '8200', parse: listenerPort }),
  cacheExitOnErr: define<boolean>({ name: 'agent-cache-exit-on-err', scope: 'pod', origin: 'vault-k8s', defaultText: 'false', description: '`cache.persist.exit_on_err`: the sidecar exits when the init container\'s persisted cache cannot be restored, instead of starting empty.', fallback: () => false, parse: parseBool }),
  enableQuit: define<boolean>({ name: 'agent-enable-quit', scope: 'pod', origin: 'vault-k8s', defaultText: 'false', description: '`listener.agent_api.enable_quit`: a `POST` to `http://127.0.0.1:<port>/agent/v1/quit` stops the agent (so a Job\'s app can end the sidecar). Creates the listener when the cache is off.', fallback: () => false, parse: parseBool }),
  telemetry: define<unknown>({ name: 'agent-telemetry-', scope: 'prefix', origin: 'vault-k8s', defaultText: '-', description: 'The `telemetry` stanza, PARAM with `-` as `_` and the value JSON-decoded when it can be (`agent-telemetry-prometheus_retention_time: 24h`). The listener serves the metrics at `/agent/v1/metrics?format=prometheus` with Vault Agent\'s names (`vault_agent_auth_success`, `vault_agent_proxy_success`, `vault_agent_cache_hit`, ...). The push sinks (statsd, statsite, dogstatsd, circonus, stackdriver) are refused: scrape the endpoint instead.', fallback: () => undefined, parse: telemetryValue }),
  // template_config
  exitOnRetryFailure: define<boolean>({ name: 'template-config-exit-on-retry-failure', scope: 'pod', origin: 'vault-k8s', defaultText: flag('true', 'AGENT_INJECT_TEMPLATE_CONFIG_EXIT_ON_RETRY_FAILURE'), description: '`template_config.exit_on_retry_failure`.', fallback: (settings) => settings.templateConfigExitOnRetryFailure, parse: parseBool }),
  staticSecretRenderInterval: define<string | undefined>({ name: 'template-static-secret-render-interval', scope: 'pod', origin: 'vault-k8s', defaultText: flag('-', 'AGENT_INJECT_TEMPLATE_STATIC_SECRET_RENDER_INTERVAL'), description: '`template_config.static_secret_render_interval` (Go duration).', fallback: (settings) => settings.templateStaticSecretRenderInterval, parse: optionalDuration }),
  leaseRenewalThreshold: define<number | undefined>({ name: 'template-lease-renewal-threshold', scope: 'pod', origin: 'vault-k8s', defaultText: flag('-', 'AGENT_INJECT_TEMPLATE_LEASE_RENEWAL_THRESHOLD'), description: '`template_config.lease_renewal_threshold`, between 0 and 1.', fallback: (settings) => settings.templateLeaseRenewalThreshold, parse: leaseThreshold }),
  maxConnectionsPerHost: define<number | undefined>({ name: 'template-max-connections-per-host', scope: 'pod', origin: 'vault-k8s', defaultText: flag('-', 'AGENT_INJECT_TEMPLATE_MAX_CONNECTIONS_PER_HOST'), description: '`template_config.max_connections_per_host`.', fallback: (settings) => settings.templateMaxConnectionsPerHost, parse: maxConnections }),
  // per secret
  secretPath: define<string>({ name: 'agent-inject-secret-', scope: 'secret', origin: 'vault-k8s', defaultText: '-', description: 'Vault path of secret NAME, rendered with the default template unless NAME has a template.', fallback: () => '', parse: asString }),
  template: define<string>({ name: 'agent-inject-template-', scope: 'secret', origin: 'vault-k8s', defaultText: 'the default template', description: 'Inline template of NAME; parsed at admission (a syntax error refuses the pod).', fallback: () => '', parse: asString }),
  templateFile: define<string>({ name: 'agent-inject-template-file-', scope: 'secret', origin: 'vault-k8s', defaultText: '-', description: 'Template file in the agent container (ignored when an inline template is set).', fallback: () => '', parse: asString }),
  file: define<string | undefined>({ name: 'agent-inject-file-', scope: 'secret', origin: 'vault-k8s', defaultText: 'NAME', description: 'File name or relative path under the volume; a name that leaves the volume is refused.', fallback: none, parse: optionalString }),
  perms: define<string | undefined>({ name: 'agent-inject-perms-', scope: 'secret', origin: 'vault-k8s', defaultText: '-', description: 'File mode of the rendered file, such as `0600`.', fallback: none, parse: parseFileMode }),
  command: define<string | undefined>({ name: 'agent-inject-command-', scope: 'secret', origin: 'vault-k8s', defaultText: '-', description: 'Command run in the agent container after each render.', fallback: none, parse: optionalString }),
  leftDelimiter: define<string>({ name: 'agent-template-left-delim-', scope: 'secret', origin: 'vault-k8s', defaultText: '{{', description: 'Left template delimiter.', fallback: () => '{{', parse: (raw) => ok(raw === '' ? '{{' : raw) }),
  rightDelimiter: define<string>({ name: 'agent-template-right-delim-', scope: 'secret', origin: 'vault-k8s', defaultText: '}}', description: 'Right template delimiter.', fallback: () => '}}', parse: (raw) => ok(raw === '' ? '}}' : raw) }),
  errorOnMissingKey: define<boolean>({ name: 'error-on-missing-key-', scope: 'secret', origin: 'vault-k8s', defaultText: 'false', description: 'Fail the render when a map key is missing instead of printing `<no value>`.', fallback: () => false, parse: parseBool }),
  secretVolumePathOf: define<string | undefined>({ name: 'secret-volume-path-', scope: 'secret', origin: 'vault-k8s', defaultText: 'secret-volume-path', description: 'Mount path for NAME\'s file; each distinct path gets its own in-memory volume `vault-secrets-custom-N`.', fallback: none, parse: absolutePath }),
  preserveSecretCaseOf: define<boolean | undefined>({ name: 'preserve-secret-case-', scope: 'secret', origin: 'vault-k8s', defaultText: 'preserve-secret-case', description: 'Keep the case of NAME in its file name.', fallback: none, parse: parseBool }),
} as const;

export type AnnotationName = keyof typeof annotations;

/** Per-secret prefixes in the order vault-k8s tests them (template-file before template). */
export const secretDiscoveryPrefixes = [annotations.secretPath, annotations.templateFile, annotations.template] as const;

const isOff = (raw: string): boolean => { const parsed = parseBool(raw); return parsed.ok && !parsed.value; };
const isEmpty = (raw: string): boolean => raw.trim() === '';

export const unsupportedAnnotations: ReadonlyArray<UnsupportedAnnotation> = [
];

/** The README's annotation reference, generated from the table. */
export function renderAnnotationReference(): string {
  const rows = Object.values(annotations).map((definition) => {
    const key = definition.scope === 'secret' ? `${definition.name}${definition.suffixText ?? 'NAME'}` : definition.scope === 'prefix' ? `${definition.name}PARAM` : definition.name;
    const origin = definition.origin === 'ours' ? '**ours**' : 'vault-k8s';
    const text = definition.defaultText;
    const isProse = text.includes('`') || text.includes(' ') || text === '-' || text === 'required' || text === 'unset';
    return `| \`vault.hashicorp.com/${key}\` | ${isProse ? text : `\`${text}\``} | ${origin} | ${definition.description} |`;
  });
  const unsupported = unsupportedAnnotations.map((entry) => `| \`vault.hashicorp.com/${entry.name}${entry.isPrefix ? '*' : ''}\` | refused when set | vault-k8s | Not supported: ${entry.reason}. |`);
  return [
    '| annotation | default | from | meaning |',
    '|---|---|---|---|',
    ...rows,
    ...unsupported,
    '',
    'Booleans accept `true/false/TRUE/FALSE/True/False/t/f/T/F/1/0`; `""` means false. Other keys under `vault.hashicorp.com/` are ignored, as vault-k8s does.',
    '',
  ].join('\n');
}
