// InjectionSpec → the agent's config (contract 2), for the init agent (exit_after_auth: true) and
// the long-running agent (sidecar or native sidecar). The agent owns the format: every config is
// checked with its validateAgentConfig before it leaves the webhook (once per distinct config text).
import { validateAgentConfig, formatConfigProblems } from '../agent/src/config/schema.ts';
import type { AgentConfig, TemplateConfig } from '../agent/src/config/schema.ts';
import type { InjectionSpec } from './spec.ts';
import { BoundedCache } from './admission/lru.ts';
import { CACHE_VOLUME_PATH, persistsCache } from './containers/volumes.ts';

export const AGENT_HOME = '/home/vault';
export const TOKEN_SINK_PATH = `${AGENT_HOME}/.vault-token`;
export const PID_FILE = `${AGENT_HOME}/.pid`;
/** Created by the native sidecar agent after its first complete render; its startup probe checks it. */
export const READY_FILE = `${AGENT_HOME}/.vault-injector-ready`;
/** Kubernetes' default terminationMessagePath: `kubectl describe pod` shows what the agent writes there. */
export const TERMINATION_MESSAGE_PATH = '/dev/termination-log';

export type AgentRole = 'init' | 'sidecar' | 'native-sidecar';

function templates(spec: InjectionSpec): TemplateConfig[] {
  return spec.secrets.map((secret) => {
    const template: TemplateConfig = { destination: secret.destination };
    if (secret.contents !== undefined) template.contents = secret.contents;
    if (secret.source !== undefined) template.source = secret.source;
    template.left_delimiter = secret.leftDelimiter;
    template.right_delimiter = secret.rightDelimiter;
    if (secret.perms !== undefined) template.perms = secret.perms;
    if (secret.command !== undefined) template.command = secret.command;
    if (secret.errorOnMissingKey) template.error_on_missing_key = true;
    return template;
  });
}

/** vault-k8s marshals the method config from a Go map: encoding/json writes its keys sorted. */
function sortedKeys<T extends Record<string, unknown>>(config: T): T {
  return Object.fromEntries(Object.entries(config).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) as T;
}

type Listener = NonNullable<AgentConfig['listener']>[number];

const cacheListener = (port: string): Listener => ({ type: 'tcp', address: `127.0.0.1:${port}`, tls_disable: true });

/**
 * The listener and cache stanzas as vault-k8s's newConfig writes them: a persistent cache in both
 * agents when there is an init container and a sidecar; a memory cache in the long-running agent
 * only when there is no init container; nothing for an init-only pod. agent-enable-quit adds
 * agent_api to the listener, creating the listener (and an empty cache) when there is none.
 */
function listenerAndCache(spec: InjectionSpec, role: AgentRole): Pick<AgentConfig, 'listener' | 'cache'> {
  const stanzas: Pick<AgentConfig, 'listener' | 'cache'> = {};
  if (persistsCache(spec)) {
    const persist: NonNullable<NonNullable<AgentConfig['cache']>['persist']> = { type: 'kubernetes', path: CACHE_VOLUME_PATH };
    if (spec.agentCache.exitOnErr) persist.exit_on_err = true;
    stanzas.listener = [cacheListener(spec.agentCache.listenerPort)];
    stanzas.cache = { use_auto_auth_token: spec.agentCache.useAutoAuthToken, persist };
  } else if (spec.agentCache.enabled && spec.mode !== 'init-only' && role !== 'init') {
    stanzas.listener = [cacheListener(spec.agentCache.listenerPort)];
    stanzas.cache = { use_auto_auth_token: spec.agentCache.useAutoAuthToken };
  }
  if (spec.enableQuit) {
    const [first] = stanzas.listener ?? [];
    if (first !== undefined) first.agent_api = { enable_quit: true };
    else stanzas.listener = [{ ...cacheListener(spec.agentCache.listenerPort), agent_api: { enable_quit: true } }];
    stanzas.cache ??= {};
  }
  return stanzas;
}

/** The config as JSON-ready data (not yet validated). */
export function buildAgentConfig(spec: InjectionSpec, role: AgentRole): AgentConfig {
  const method: AgentConfig['auto_auth']['method'] = spec.authType === 'jwt'
    ? { type: 'jwt', mount_path: spec.authPath, config: sortedKeys({ ...spec.authConfig, role: spec.role, token_path: spec.tokenPath, path: spec.authConfig['path'] ?? spec.tokenPath }) }
    : { type: 'kubernetes', mount_path: spec.authPath, config: sortedKeys({ ...spec.authConfig, role: spec.role, token_path: spec.tokenPath }) };
  if (spec.vaultNamespace !== undefined) method.namespace = spec.vaultNamespace;
  if (spec.authMinBackoff !== undefined) method.min_backoff = spec.authMinBackoff;
  if (spec.authMaxBackoff !== undefined) method.max_backoff = spec.authMaxBackoff;
  if (spec.autoAuthExitOnErr) method.exit_on_err = true;

  const sink: NonNullable<AgentConfig['auto_auth']['sink']> = [{ type: 'file', config: { path: TOKEN_SINK_PATH } }];
  if (spec.injectToken) sink.push({ type: 'file', config: { path: `${spec.secretVolumePath}/token` } });

  const vault: AgentConfig['vault'] = { address: spec.vault.address };
  if (spec.vault.caCert !== undefined) vault.ca_cert = spec.vault.caCert;
  if (spec.vault.caPath !== undefined) vault.ca_path = spec.vault.caPath;
  if (spec.vault.tlsSkipVerify) vault.tls_skip_verify = true;
  if (spec.vault.tlsServerName !== undefined) vault.tls_server_name = spec.vault.tlsServerName;
  if (spec.vault.clientCert !== undefined) vault.client_cert = spec.vault.clientCert;
  if (spec.vault.clientKey !== undefined) vault.client_key = spec.vault.clientKey;

  const templateConfig: NonNullable<AgentConfig['template_config']> = { exit_on_retry_failure: spec.templateConfig.exitOnRetryFailure };
  if (spec.templateConfig.staticSecretRenderInterval !== undefined) templateConfig.static_secret_render_interval = spec.templateConfig.staticSecretRenderInterval;
  if (spec.templateConfig.maxConnectionsPerHost !== undefined) templateConfig.max_connections_per_host = spec.templateConfig.maxConnectionsPerHost;
  if (spec.templateConfig.leaseRenewalThreshold !== undefined) templateConfig.lease_renewal_threshold = spec.templateConfig.leaseRenewalThreshold;

  const extension: NonNullable<AgentConfig['vault_injector']> = { log_level: spec.logLevel, log_format: spec.logFormat };
  // where a template's writeToFile may write: the volumes the agent renders into
  extension.secrets_volumes = [spec.secretVolumePath, ...spec.customVolumePaths];
  if (role === 'init') extension.termination_message_path = TERMINATION_MESSAGE_PATH;
  if (role !== 'init' && spec.revokeOnShutdown) {
    extension.revoke_on_shutdown = true;
    extension.revoke_grace = spec.revokeGrace;
  }
  if (role === 'native-sidecar') {
    extension.ready_file = READY_FILE;
    extension.termination_message_path = TERMINATION_MESSAGE_PATH;
  }

  // Key order as vault-k8s's encoding/json writes its struct; `template` only when there are secrets.
  const rendered = templates(spec);
  return {
    auto_auth: { method, sink },
    exit_after_auth: role === 'init',
    pid_file: PID_FILE,
    vault,
    ...(rendered.length > 0 ? { template: rendered } : {}),
    ...listenerAndCache(spec, role),
    template_config: templateConfig,
    ...(spec.disableIdleConnections.length > 0 ? { disable_idle_connections: [...spec.disableIdleConnections] } : {}),
    ...(spec.disableKeepAlives.length > 0 ? { disable_keep_alives: [...spec.disableKeepAlives] } : {}),
    ...(spec.telemetry !== undefined ? { telemetry: { ...spec.telemetry } } : {}),
    vault_injector: extension,
  };
}

export type AgentConfigResult = { ok: true; config: AgentConfig; encoded: string } | { ok: false; reason: string };

/**
 * Validation outcomes by config JSON text. Validation is pure, and the replicas of a Deployment
 * (every pod of one template) yield the same config text, so the agent's schema runs once per
 * distinct config instead of once per pod. Bounded like the template cache.
 */
const validated = new BoundedCache<{ ok: true } | { ok: false; reason: string }>(512);
const CACHED_CONFIG_MAX_CHARS = 64 * 1024;

/** Builds, validates with the agent's schema, and base64-encodes (VAULT_CONFIG) one agent's config. */
export function encodedAgentConfig(spec: InjectionSpec, role: AgentRole): AgentConfigResult {
  const config = buildAgentConfig(spec, role);
  const json = JSON.stringify(config);
  let verdict = json.length <= CACHED_CONFIG_MAX_CHARS ? validated.get(json) : undefined;
  if (verdict === undefined) {
    const checked = validateAgentConfig(config);
    verdict = checked.ok ? { ok: true } : { ok: false, reason: formatConfigProblems(checked.problems) };
    if (json.length <= CACHED_CONFIG_MAX_CHARS) validated.set(json, verdict);
  }
  if (!verdict.ok) return { ok: false, reason: verdict.reason };
  return { ok: true, config, encoded: Buffer.from(json).toString('base64') };
}
