// Where the config comes from: `--config FILE`, or VAULT_CONFIG (base64 JSON, as vault-k8s hands it
// over). The parsing and validation are pure; only readConfigSource touches the file system.
import { readFile } from 'node:fs/promises';
import { agentError, type AgentError } from '../errors.ts';
import { formatConfigProblems, validateAgentConfig, type AgentConfig } from './schema.ts';
import { parseHclConfig } from './hcl.ts';

/** On failure, `raw` is the parsed JSON when there was some: the termination message path can
 *  still be honoured for a config that is otherwise invalid. */
export type LoadResult = { ok: true; config: AgentConfig; source: string } | { ok: false; error: AgentError; raw?: unknown };

/** vault_injector.termination_message_path of an unvalidated config, if it is a string. */
export function rawTerminationPath(raw: unknown): string | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const extension = (raw as Record<string, unknown>)['vault_injector'];
  if (typeof extension !== 'object' || extension === null) return undefined;
  const path = (extension as Record<string, unknown>)['termination_message_path'];
  return typeof path === 'string' && path !== '' ? path : undefined;
}

/** VAULT_CONFIG is base64 of the JSON; plain JSON is accepted too (it cannot be valid base64 of JSON). */
export function decodeVaultConfigEnv(value: string): { ok: true; text: string } | { ok: false; reason: string } {
  const trimmed = value.trim();
  if (trimmed === '') return { ok: false, reason: 'VAULT_CONFIG is empty' };
  if (trimmed.startsWith('{')) return { ok: true, text: trimmed };
  if (!/^[A-Za-z0-9+/_-]+=*$/.test(trimmed.replace(/\s+/g, ''))) return { ok: false, reason: 'VAULT_CONFIG is neither base64 nor JSON' };
  return { ok: true, text: Buffer.from(trimmed, 'base64').toString('utf8') };
}

/** Parses and validates config text; `source` names where it came from in messages. */
export function parseAgentConfig(text: string, source: string): LoadResult {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    const detail = error instanceof SyntaxError ? error.message : 'not JSON';
    return { ok: false, error: agentError('AGENT_CONFIG_UNREADABLE', { source, reason: `not valid JSON (${detail})` }) };
  }
  return validateParsed(parsed, source);
}

function validateParsed(parsed: unknown, source: string): LoadResult {
  const validated = validateAgentConfig(parsed);
  if (!validated.ok) return { ok: false, error: agentError('AGENT_CONFIG_INVALID', { source, problems: formatConfigProblems(validated.problems) }), raw: parsed };
  return { ok: true, config: validated.config, source };
}

/** Vault Agent's file format leaves exit_after_auth out when it is false (its default); our JSON form states it. */
function withVaultAgentDefaults(config: unknown): unknown {
  if (typeof config !== 'object' || config === null || Array.isArray(config) || 'exit_after_auth' in config) return config;
  return { ...(config as Record<string, unknown>), exit_after_auth: false };
}

/**
 * A config file from an agent-configmap may leave the `vault` stanza out: vault-k8s then hands the connection over in
 * VAULT_ADDR, VAULT_CACERT, VAULT_CAPATH, VAULT_CLIENT_CERT, VAULT_CLIENT_KEY, VAULT_SKIP_VERIFY and
 * VAULT_TLS_SERVER_NAME, which Vault Agent's API client reads as defaults; the file's own fields win.
 */
export function withVaultEnv(config: unknown, env: NodeJS.ProcessEnv): unknown {
  if (typeof config !== 'object' || config === null || Array.isArray(config)) return config;
  const given = (config as Record<string, unknown>)['vault'];
  const vault: Record<string, unknown> = typeof given === 'object' && given !== null && !Array.isArray(given) ? { ...given } : {};
  const fromEnv: Array<[string, string]> = [
    ['address', 'VAULT_ADDR'], ['ca_cert', 'VAULT_CACERT'], ['ca_path', 'VAULT_CAPATH'], ['client_cert', 'VAULT_CLIENT_CERT'],
    ['client_key', 'VAULT_CLIENT_KEY'], ['tls_server_name', 'VAULT_TLS_SERVER_NAME'],
  ];
  for (const [field, name] of fromEnv) {
    const value = env[name];
    if (vault[field] === undefined && value !== undefined && value !== '') vault[field] = value;
  }
  const skip = env['VAULT_SKIP_VERIFY'];
  if (vault['tls_skip_verify'] === undefined && skip !== undefined && skip !== '') vault['tls_skip_verify'] = ['1', 't', 'T', 'TRUE', 'true', 'True'].includes(skip);
  return { ...(config as Record<string, unknown>), vault };
}

export async function readConfigSource(configFile: string | undefined, env: NodeJS.ProcessEnv): Promise<LoadResult> {
  if (configFile !== undefined) {
    let text: string;
    try {
      text = await readFile(configFile, 'utf8');
    } catch (error) {
      return { ok: false, error: agentError('AGENT_CONFIG_UNREADABLE', { source: configFile, reason: fileErrorReason(error) }) };
    }
    // Vault Agent reads its config file as HCL, of which JSON is a subset: JSON stays on the fast path.
    if (text.trimStart().startsWith('{') || configFile.endsWith('.json')) return parseAgentConfig(text, configFile);
    const hcl = await parseHclConfig(text, configFile);
    if (!hcl.ok) return { ok: false, error: agentError('AGENT_CONFIG_UNREADABLE', { source: configFile, reason: hcl.reason }) };
    return validateParsed(withVaultAgentDefaults(withVaultEnv(hcl.value, env)), configFile);
  }
  const fromEnv = env['VAULT_CONFIG'];
  if (fromEnv === undefined) {
    return { ok: false, error: agentError('AGENT_CONFIG_UNREADABLE', { source: 'VAULT_CONFIG', reason: 'neither --config FILE nor the VAULT_CONFIG environment variable is set' }) };
  }
  const decoded = decodeVaultConfigEnv(fromEnv);
  if (!decoded.ok) return { ok: false, error: agentError('AGENT_CONFIG_UNREADABLE', { source: 'VAULT_CONFIG', reason: decoded.reason }) };
  return parseAgentConfig(decoded.text, 'VAULT_CONFIG');
}

/** `ENOENT` → `no such file`; the words a user needs, without a stack or the errno number. */
export function fileErrorReason(error: unknown): string {
  const code = typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : '';
  const reasons: Record<string, string> = {
    ENOENT: 'no such file or directory',
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    EISDIR: 'is a directory',
    ENOTDIR: 'a parent is not a directory',
    EROFS: 'read-only file system',
    ENOSPC: 'no space left on device',
    EEXIST: 'already exists',
  };
  return reasons[code] ?? (code === '' ? 'unknown error' : `error ${code}`);
}
