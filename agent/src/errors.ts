// Every failure the agent can report, declared once with a stable code and a message template.
// Users (and the README's troubleshooting table) search for the code; tests assert the code.
// Messages name the field, path or template and the reason, never a secret value: the values the
// agent could leak (tokens, JWTs, secret data) are never parameters here.

interface Catalog {
  AGENT_USAGE: { detail: string };
  AGENT_CONFIG_UNREADABLE: { source: string; reason: string };
  AGENT_CONFIG_INVALID: { source: string; problems: string };
  AGENT_CONFIG_FILE: { field: string; file: string; reason: string };
  AGENT_ENVIRONMENT_INVALID: { problems: string };
  AGENT_JWT_UNREADABLE: { tokenPath: string; field: string; reason: string };
  AGENT_VAULT_UNREACHABLE: { address: string; reason: string };
  AGENT_LOGIN_DENIED: { address: string; method: string; loginPath: string; role: string; serviceAccount: string; status: number; vaultError: string };
  AGENT_TOKEN_INVALID: { address: string; vaultError: string };
  AGENT_SECRET_FORBIDDEN: { address: string; template: string; path: string; role: string; vaultError: string };
  AGENT_SECRET_MISSING: { address: string; template: string; path: string };
  AGENT_SECRET_FAILED: { address: string; template: string; path: string; status: number; vaultError: string };
  AGENT_TEMPLATE_SOURCE: { template: string; source: string; reason: string };
  AGENT_TEMPLATE_PARSE: { template: string; reason: string };
  AGENT_TEMPLATE_EXEC: { template: string; reason: string };
  AGENT_TEMPLATE_INCOMPLETE: { template: string; paths: string };
  AGENT_FILE_WRITE: { destination: string; reason: string };
  AGENT_SINK_WRITE: { sink: string; reason: string };
  AGENT_RETRY_EXHAUSTED: { seconds: number; cause: string };
  AGENT_LISTENER: { address: string; reason: string };
  AGENT_CACHE_RESTORE: { path: string; reason: string };
}

const templates: { [Code in keyof Catalog]: (params: Catalog[Code]) => string } = {
  AGENT_USAGE: (p) => p.detail,
  AGENT_CONFIG_UNREADABLE: (p) => `cannot read the agent config from ${p.source}: ${p.reason}`,
  AGENT_CONFIG_INVALID: (p) => `invalid agent config in ${p.source}: ${p.problems}`,
  AGENT_ENVIRONMENT_INVALID: (p) => `invalid Vault client environment: ${p.problems}`,
  AGENT_CONFIG_FILE: (p) => `${p.field}: cannot read ${JSON.stringify(p.file)}: ${p.reason}`,
  AGENT_JWT_UNREADABLE: (p) => `cannot read the JWT at ${p.tokenPath} (${p.field}): ${p.reason}`,
  AGENT_VAULT_UNREACHABLE: (p) => `cannot reach Vault at ${p.address}: ${p.reason}`,
  AGENT_LOGIN_DENIED: (p) =>
    `Vault at ${p.address} refused the ${p.method} login at ${p.loginPath} for role "${p.role}" and service account ${p.serviceAccount}: ${p.status} ${p.vaultError}`,
  AGENT_TOKEN_INVALID: (p) => `Vault at ${p.address} no longer accepts the agent's token: ${p.vaultError}`,
  AGENT_SECRET_FORBIDDEN: (p) =>
    `template ${p.template}: Vault at ${p.address} denied access to "${p.path}" for role "${p.role}": 403 ${p.vaultError}`,
  AGENT_SECRET_MISSING: (p) => `template ${p.template}: no secret exists at "${p.path}" in Vault at ${p.address}`,
  AGENT_SECRET_FAILED: (p) => `template ${p.template}: Vault at ${p.address} failed to serve "${p.path}": ${p.status} ${p.vaultError}`,
  AGENT_TEMPLATE_SOURCE: (p) => `template ${p.template}: cannot read its source ${JSON.stringify(p.source)}: ${p.reason}`,
  AGENT_TEMPLATE_PARSE: (p) => `template ${p.template}: ${p.reason}`,
  AGENT_TEMPLATE_EXEC: (p) => `template ${p.template}: ${p.reason}`,
  AGENT_TEMPLATE_INCOMPLETE: (p) => `template ${p.template}: still waiting for ${p.paths}`,
  AGENT_FILE_WRITE: (p) => `cannot write ${p.destination}: ${p.reason}`,
  AGENT_SINK_WRITE: (p) => `cannot write the token sink ${p.sink}: ${p.reason}`,
  AGENT_RETRY_EXHAUSTED: (p) => `gave up after ${p.seconds}s of retries: ${p.cause}`,
  AGENT_LISTENER: (p) => `cannot listen on ${p.address} (listener): ${p.reason}`,
  AGENT_CACHE_RESTORE: (p) => `cannot restore the persisted cache from ${p.path} (cache.persist, exit_on_err): ${p.reason}`,
};

export type AgentErrorCode = keyof Catalog;

export class AgentError<Code extends AgentErrorCode = AgentErrorCode> extends Error {
  readonly code: Code;
  readonly params: Catalog[Code];
  /** Whether retrying can help (Vault down, 5xx, missing secret) or not (bad config). */
  readonly retryable: boolean;

  constructor(code: Code, params: Catalog[Code], options: { retryable?: boolean } = {}) {
    super(templates[code](params));
    this.name = 'AgentError';
    this.code = code;
    this.params = params;
    this.retryable = options.retryable ?? false;
  }
}

export function agentError<Code extends AgentErrorCode>(code: Code, params: Catalog[Code], options?: { retryable?: boolean }): AgentError<Code> {
  return new AgentError(code, params, options);
}

export function isAgentError(value: unknown): value is AgentError {
  return value instanceof AgentError;
}

/** Vault's error list as one readable phrase: the ACL multierror `1 error occurred:\n\t* permission denied\n\n` becomes `permission denied`. */
export function describeVaultErrors(errors: ReadonlyArray<string>): string {
  const parts = errors
    .flatMap((error) => {
      const multi = /^\d+ errors? occurred:\s*([\s\S]*)$/.exec(error);
      if (multi?.[1] === undefined) return [error];
      return multi[1].split(/\n\t\* /).map((line) => line.replace(/^\t?\* /, ''));
    })
    .map((text) => text.replace(/\s+/g, ' ').trim())
    .filter((text) => text !== '');
  return parts.length === 0 ? '(no error text)' : parts.join('; ');
}

/** A Node network error as words (`ECONNREFUSED` → `connection refused`), never a stack. */
export function describeNetworkError(error: unknown): string {
  const code = typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : '';
  const known: Record<string, string> = {
    ECONNREFUSED: 'connection refused',
    ECONNRESET: 'connection reset',
    ENOTFOUND: 'host not found',
    EAI_AGAIN: 'host name lookup failed',
    ETIMEDOUT: 'connection timed out',
    EHOSTUNREACH: 'host unreachable',
    ENETUNREACH: 'network unreachable',
    EPIPE: 'connection closed',
    UND_ERR_SOCKET: 'connection closed',
    ERR_TLS_CERT_SIGNATURE_ALGORITHM_UNSUPPORTED: 'TLS: unsupported certificate signature algorithm',
    AGENT_REQUEST_TIMEOUT: 'request timed out',
    DEPTH_ZERO_SELF_SIGNED_CERT: 'TLS: self-signed certificate (set vault.ca_cert)',
    SELF_SIGNED_CERT_IN_CHAIN: 'TLS: self-signed certificate in chain (set vault.ca_cert)',
    UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'TLS: cannot verify the server certificate (set vault.ca_cert)',
    ERR_TLS_CERT_ALTNAME_INVALID: 'TLS: the server certificate does not match the host name (set vault.tls_server_name)',
    CERT_HAS_EXPIRED: 'TLS: the server certificate has expired',
  };
  if (code !== '' && known[code] !== undefined) return known[code];
  if (code !== '') return `network error ${code}`;
  return 'network error';
}
