// Value grammars shared by annotations and settings, as vault-k8s parses them (Go's parseutil,
// strconv, time.ParseDuration and Kubernetes' resource.ParseQuantity). Each parser returns the
// value or a reason phrased to follow the annotation name in a message.

import { CONNECTION_FEATURES, type ConnectionFeature } from '../../agent/src/config/schema.ts';

export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

export const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
export const fail = <T>(reason: string): Parsed<T> => ({ ok: false, reason });

const quoted = (text: string): string => JSON.stringify(text);

const TRUE_WORDS = new Set(['true', 'TRUE', 'True', 't', 'T', '1']);
const FALSE_WORDS = new Set(['false', 'FALSE', 'False', 'f', 'F', '0', '']);

/** Go's strconv.ParseBool plus `""` = false (parseutil.ParseBool through mapstructure). */
export function parseBool(text: string): Parsed<boolean> {
  if (TRUE_WORDS.has(text)) return ok(true);
  if (FALSE_WORDS.has(text)) return ok(false);
  return fail(`${quoted(text)} is not a boolean (use true or false)`);
}

/** parseutil.ParseInt for ids: base 10, `""` is 0; negative ids are refused (Kubernetes would). */
export function parseNonNegativeInt(text: string): Parsed<number> {
  if (text === '') return ok(0);
  if (!/^[+]?\d+$/.test(text)) return fail(`${quoted(text)} is not a non-negative integer`);
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value > 2147483647) return fail(`${quoted(text)} is out of range`);
  return ok(value);
}

/** strconv.ParseUint (base 10, `01` allowed, `""` refused). */
export function parseUint(text: string): Parsed<number> {
  if (!/^\d+$/.test(text)) return fail(`${quoted(text)} is not an unsigned integer`);
  const value = Number(text);
  if (!Number.isSafeInteger(value)) return fail(`${quoted(text)} is out of range`);
  return ok(value);
}

const DURATION = /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/;

/**
 * A Go duration (`30s`, `1h30m`, `250ms`), non-negative, in the form the agent's config schema
 * takes. `0` is allowed as Go allows it. The Greek mu is normalised to the micro sign.
 */
export function parseDuration(text: string): Parsed<string> {
  const normalised = text.replaceAll('μ', 'µ');
  if (normalised === '0' || DURATION.test(normalised)) return ok(normalised);
  return fail(`${quoted(text)} is not a duration (use a Go duration such as "30s", "5m" or "1h30m")`);
}

/** strconv.ParseFloat on a decimal number. */
export function parseFloat64(text: string): Parsed<number> {
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(text)) return fail(`${quoted(text)} is not a number`);
  return ok(Number(text));
}

// Kubernetes resource.Quantity: sign, number, then a binary suffix (Ki..Ei), a decimal suffix
// (n u m k M G T P E) or a decimal exponent. `500mi`, `128g`, `128mb` are not quantities.
const QUANTITY = /^[+-]?(\d+(\.\d*)?|\.\d+)((Ki|Mi|Gi|Ti|Pi|Ei)|[numkMGTPE]|[eE][+-]?\d+)?$/;

/** A Kubernetes quantity for a resource; `""` means "not set" (returned as undefined). */
export function parseQuantity(text: string): Parsed<string | undefined> {
  if (text === '') return ok(undefined);
  if (!QUANTITY.test(text)) return fail(`${quoted(text)} is not a Kubernetes quantity (such as "250m", "64Mi" or "1")`);
  if (text.startsWith('-')) return fail(`${quoted(text)} is negative`);
  return ok(text);
}

/** An http(s) URL such as the agent's config schema accepts for `vault.address`. */
export function parseVaultAddress(text: string): Parsed<string> {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return fail(`${quoted(text)} is not a URL (use https://HOST:PORT)`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return fail(`${quoted(text)} is not an http or https URL`);
  return ok(text);
}

export type AgentLogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error';

/** hclog's level names as vault-k8s accepts them, case- and space-insensitive; `""` is info, as
 *  vault-k8s's logLevel() and Vault Agent read it. */
export function parseLogLevel(text: string): Parsed<AgentLogLevel> {
  const word = text.trim().toLowerCase();
  const levels: Record<string, AgentLogLevel> = {
    '': 'info', trace: 'trace', debug: 'debug', info: 'info', notice: 'info', warn: 'warn', warning: 'warn', err: 'error', error: 'error',
  };
  const level = levels[word];
  return level === undefined ? fail(`${quoted(text)} is not a log level (trace, debug, info, warn or error)`) : ok(level);
}

export function parseLogFormat(text: string): Parsed<'json' | 'standard'> {
  const word = text.trim().toLowerCase();
  if (word === 'json' || word === 'standard') return ok(word);
  return fail(`${quoted(text)} is not a log format (standard or json)`);
}

/** An octal file mode as Vault Agent reads `perms` (`0600`, `644`). */
export function parseFileMode(text: string): Parsed<string> {
  if (/^0?[0-7]{1,4}$/.test(text) && parseInt(text, 8) <= 0o7777) return ok(text);
  return fail(`${quoted(text)} is not an octal file mode (such as "0600")`);
}

/**
 * A comma list of Vault Agent client names for disable_idle_connections / disable_keep_alives
 * (`auto-auth,templating`). vault-k8s splits on commas and leaves checking to Vault Agent, which
 * refuses an unknown name at start; we refuse it at admission. Empty items are skipped, as Vault does.
 */
export function parseConnectionFeatures(text: string): Parsed<ConnectionFeature[]> {
  const features: ConnectionFeature[] = [];
  for (const item of text.split(',').map((part) => part.trim()).filter((part) => part !== '')) {
    const known = CONNECTION_FEATURES.find((feature) => feature === item);
    if (known === undefined) return fail(`${quoted(item)} is not one of ${CONNECTION_FEATURES.join(', ')}`);
    if (!features.includes(known)) features.push(known);
  }
  return ok(features);
}

/**
 * An HTTP(S) proxy address, as Go reads HTTPS_PROXY: a URL, or HOST:PORT taken as http://HOST:PORT.
 * The text is kept as given (it becomes HTTPS_PROXY); `""` means none. socks proxies are refused:
 * our agent tunnels with HTTP CONNECT only.
 */
export function parseProxyAddress(text: string): Parsed<string | undefined> {
  const trimmed = text.trim();
  if (trimmed === '') return ok(undefined);
  const hasScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed);
  let url: URL;
  try {
    url = new URL(hasScheme ? trimmed : `http://${trimmed}`);
  } catch {
    return fail(`${quoted(text)} is not a proxy address (such as http://proxy.example.com:3128)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return fail(`${quoted(text)}: ${url.protocol.replace(/:$/, '')} proxies are not supported (http:// or https:// only; the agent tunnels with HTTP CONNECT)`);
  if (url.hostname === '') return fail(`${quoted(text)} has no host`);
  return ok(trimmed);
}

/** parseutil.ParseDurationSecond, as Vault reads VAULT_CLIENT_TIMEOUT: seconds, or a Go duration. */
export function parseDurationSecond(text: string): Parsed<string | undefined> {
  const trimmed = text.trim();
  if (trimmed === '') return ok(undefined);
  if (/^\d+$/.test(trimmed)) return ok(trimmed);
  const duration = parseDuration(trimmed);
  return duration.ok ? duration : fail(`${quoted(text)} is not a duration (seconds, or a Go duration such as "30s" or "2m")`);
}

/** A count that `""` leaves unset (client-max-retries, as Vault's strconv.ParseUint reads VAULT_MAX_RETRIES). */
export function parseOptionalUint(text: string): Parsed<number | undefined> {
  if (text.trim() === '') return ok(undefined);
  return parseUint(text.trim());
}

/** GOMAXPROCS as Go's runtime uses it: a positive integer; `""` leaves it unset. */
export function parseProcessorCount(text: string): Parsed<number | undefined> {
  const trimmed = text.trim();
  if (trimmed === '') return ok(undefined);
  if (!/^\d+$/.test(trimmed) || Number(trimmed) < 1 || Number(trimmed) > 1024) return fail(`${quoted(text)} is not a whole number of processors between 1 and 1024`);
  return ok(Number(trimmed));
}
