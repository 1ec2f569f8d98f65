// The environment variables of Vault's API client that the webhook hands to the agent containers
// as vault-k8s does (container_env.go): VAULT_CACERT_BYTES (the injector's -vault-cacert-bytes),
// VAULT_CLIENT_TIMEOUT (client-timeout), VAULT_MAX_RETRIES (client-max-retries) and the proxy
// variables (proxy-address sets HTTPS_PROXY). Read as Vault's api.ReadEnvironment reads them: a
// value that does not parse stops the agent with the variable's name, as it stops Vault Agent.
// Pure: the environment comes in as a parameter.
import { X509Certificate } from 'node:crypto';
import { proxyForVault } from '../vault/proxy.ts';

export interface ClientEnvironment {
  /** PEM certificates from VAULT_CACERT_BYTES, trusted besides vault.ca_cert / vault.ca_path. */
  caCertificates: string[];
  /** VAULT_CLIENT_TIMEOUT in ms (Vault's default 60s); 0 means no timeout, as in Go's http.Client. */
  timeoutMs: number;
  /** VAULT_MAX_RETRIES: extra attempts per request on a network error, 412, 429 or 5xx (not 501). */
  maxRetries: number;
  /** The proxy for the Vault address, if any. */
  proxy: URL | undefined;
}

export type ClientEnvironmentResult = { ok: true; environment: ClientEnvironment } | { ok: false; problems: string[] };

export const DEFAULT_CLIENT_TIMEOUT_MS = 60_000;

/**
 * Our agent retries at the level of its work (login, each secret, each renewal) with backoff, so
 * without VAULT_MAX_RETRIES a request is not retried on its own; Vault's client would retry twice.
 */
export const DEFAULT_MAX_RETRIES = 0;

const GO_DURATION = /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/;
const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** parseutil.ParseDurationSecond: a whole number is seconds, else a Go duration. */
export function parseDurationSecondMs(text: string): number | undefined {
  const trimmed = text.trim().replaceAll('μ', 'µ');
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  if (!GO_DURATION.test(trimmed)) return undefined;
  let total = 0;
  for (const match of trimmed.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)) total += Number(match[1]) * (UNIT_MS[match[2] ?? 's'] ?? 0);
  return Math.round(total);
}

/** The PEM blocks of VAULT_CACERT_BYTES, each checked to be a certificate. */
export function parseCaCertBytes(text: string): { ok: true; certificates: string[] } | { ok: false; reason: string } {
  const blocks = text.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? [];
  if (blocks.length === 0) return { ok: false, reason: 'holds no PEM certificate (-----BEGIN CERTIFICATE-----)' };
  for (const [index, block] of blocks.entries()) {
    try {
      new X509Certificate(block);
    } catch {
      return { ok: false, reason: `certificate ${index + 1} of ${blocks.length} is not a valid X.509 certificate` };
    }
  }
  return { ok: true, certificates: blocks.map((block) => `${block}\n`) };
}

export function readClientEnvironment(env: NodeJS.ProcessEnv, vaultAddress: string): ClientEnvironmentResult {
  const problems: string[] = [];
  const value = (name: string): string | undefined => {
    const text = env[name];
    return text === undefined || text === '' ? undefined : text;
  };

  let caCertificates: string[] = [];
  const caBytes = value('VAULT_CACERT_BYTES');
  if (caBytes !== undefined) {
    const parsed = parseCaCertBytes(caBytes);
    if (parsed.ok) caCertificates = parsed.certificates;
    else problems.push(`VAULT_CACERT_BYTES ${parsed.reason}`);
  }

  let timeoutMs = DEFAULT_CLIENT_TIMEOUT_MS;
  const timeout = value('VAULT_CLIENT_TIMEOUT');
  if (timeout !== undefined) {
    const parsed = parseDurationSecondMs(timeout);
    if (parsed === undefined) problems.push(`VAULT_CLIENT_TIMEOUT: ${JSON.stringify(timeout)} is not a duration (seconds, or a Go duration such as "30s")`);
    else timeoutMs = parsed;
  }

  let maxRetries = DEFAULT_MAX_RETRIES;
  const retries = value('VAULT_MAX_RETRIES');
  if (retries !== undefined) {
    if (!/^\d+$/.test(retries.trim()) || !Number.isSafeInteger(Number(retries.trim()))) problems.push(`VAULT_MAX_RETRIES: ${JSON.stringify(retries)} is not an unsigned integer`);
    else maxRetries = Number(retries.trim());
  }

  const proxy = proxyForVault(vaultAddress, env);
  if (!proxy.ok) problems.push(proxy.reason);

  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, environment: { caCertificates, timeoutMs, maxRetries, proxy: proxy.ok ? proxy.proxy : undefined } };
}

/** A proxy URL as logs may show it: without user name and password. */
export function describeProxy(proxy: URL): string {
  return `${proxy.protocol}//${proxy.host}`;
}
