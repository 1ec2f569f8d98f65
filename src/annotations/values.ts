// Value grammars shared by annotations and settings, as vault-k8s parses them (Go's parseutil,
// strconv, time.ParseDuration and Kubernetes' resource.ParseQuantity). Each parser returns the
// value or a reason phrased to follow the annotation name in a message.

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

/** hclog's level names as vault-k8s accepts them, case- and space-insensitive. */
export function parseLogLevel(text: string): Parsed<AgentLogLevel> {
  const word = text.trim().toLowerCase();
  const levels: Record<string, AgentLogLevel> = {
    trace: 'trace', debug: 'debug', info: 'info', notice: 'info', warn: 'warn', warning: 'warn', err: 'error', error: 'error',
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
