/**
 * The webhook's one logger. Redaction is declared here, once: call sites never format secrets.
 *
 * Two layers, because either alone misses cases:
 *  1. field names that hold secrets (REDACTED_KEYS: tokens, Authorization headers, private keys,
 *     VAULT_CONFIG, annotation maps, templates, request bodies) are censored at any depth;
 *  2. every string (message and fields) has anything shaped like a JWT, a Vault token, a PEM
 *     private key or a Bearer credential replaced, wherever it was put.
 * (pino's own `redact` is path-based with one-level wildcards, which miss deeper fields and cost
 * more per line than this walk; the walk copies nothing when there is nothing to censor.)
 */
import { pino } from 'pino';
import type { Logger, LevelWithSilent } from 'pino';

export type LogFormat = 'json' | 'standard';

export interface LoggerOptions {
  level: string;
  format: LogFormat;
  /** Where lines go; stdout (buffered, see stdoutDestination) when absent. */
  destination?: NodeJS.WritableStream;
  name: string;
}

export type { Logger };

export const REDACTED = '[REDACTED]';

/**
 * Field names whose values are never logged, at any depth (compared case-insensitively):
 * tokens and credentials, key material, the agent configuration, annotation maps and templates,
 * and request/response bodies (pods with their annotations, AdmissionReviews, patches).
 */
export const REDACTED_KEYS: ReadonlySet<string> = new Set([
  'token', 'clienttoken', 'client_token', 'jwt', 'password', 'secret', 'secretid', 'secret_id',
  'authorization', 'cookie', 'set-cookie', 'x-vault-token',
  'privatekey', 'keypem', 'key', 'tlskey', 'cakey', 'tls.key', 'ca.key',
  'vault_config', 'vaultconfig',
  'annotations', 'template', 'templates', 'contents',
  'body', 'payload', 'patch', 'object', 'oldobject', 'data', 'stringdata',
]);

const SECRET_SHAPES: ReadonlyArray<RegExp> = [
  // PEM private keys of any kind, including partial blocks
  /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)/g,
  // JWTs (header.payload.signature; header and payload are base64url JSON starting with '{"')
  /eyJ[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]*/g,
  // Vault service, batch and recovery tokens (hvs./hvb./hvr.), and legacy s./b. tokens
  /\bhv[sbr]\.[A-Za-z0-9_-]{20,}/g,
  /\b[sb]\.[A-Za-z0-9]{24}\b/g,
  // HTTP credentials
  /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi,
];

/** One cheap test before the precise shapes: most log strings are identifiers and match nothing. */
const MAYBE_SECRET = /eyJ|hv[sbr]\.|\b[sb]\.[A-Za-z0-9]{24}|PRIVATE KEY|Bearer|Basic/i;

/** Replaces every secret-shaped substring of `text`. Pure; exported for tests and error messages. */
export function scrubText(text: string): string {
  if (!MAYBE_SECRET.test(text)) return text;
  let scrubbed = text;
  for (const shape of SECRET_SHAPES) {
    shape.lastIndex = 0;
    scrubbed = scrubbed.replace(shape, REDACTED);
  }
  return scrubbed;
}

const MAX_SCRUB_DEPTH = 8;

/** Censors redacted keys and secret-shaped strings; returns the input itself when nothing changes. */
function scrubValue(value: unknown, depth: number, seen: WeakSet<object>): unknown {
  if (typeof value === 'string') return scrubText(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth > MAX_SCRUB_DEPTH) return REDACTED;
  if (seen.has(value)) return value;
  seen.add(value);
  if (Buffer.isBuffer(value) || ArrayBuffer.isView(value)) return REDACTED;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    value.forEach((item: unknown, index) => {
      const scrubbed = scrubValue(item, depth + 1, seen);
      if (scrubbed !== item) (copy ??= [...value])[index] = scrubbed;
    });
    return copy ?? value;
  }
  if (value instanceof Error) {
    const copy: Record<string, unknown> = { type: value.name, message: scrubText(value.message) };
    for (const [field, inner] of Object.entries(value)) copy[field] = REDACTED_KEYS.has(field.toLowerCase()) ? REDACTED : scrubValue(inner, depth + 1, seen);
    if (value.stack !== undefined) copy['stack'] = scrubText(value.stack);
    return copy;
  }
  let copy: Record<string, unknown> | undefined;
  for (const [field, inner] of Object.entries(value)) {
    const scrubbed = REDACTED_KEYS.has(field.toLowerCase()) ? (inner === undefined ? inner : REDACTED) : scrubValue(inner, depth + 1, seen);
    if (scrubbed !== inner) (copy ??= { ...(value as Record<string, unknown>) })[field] = scrubbed;
  }
  return copy ?? value;
}

/** The logger's whole censoring step, exported so tests can check it directly. */
export function redactFields<T>(fields: T): T {
  return scrubValue(fields, 0, new WeakSet()) as T;
}

const LEVEL_NAMES: Readonly<Record<number, string>> = {
  10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL',
};

const VALID_LEVELS = new Set(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']);

/**
 * hclog's "standard" layout as vault-k8s prints it:
 * `2026-01-02T03:04:05.678Z [INFO]  handler: Request received: key=value ...`.
 * Works on pino's already-redacted JSON line, so it cannot reintroduce a secret.
 */
export function formatStandardLine(jsonLine: string): string {
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(jsonLine) as Record<string, unknown>;
  } catch {
    return jsonLine.endsWith('\n') ? jsonLine : `${jsonLine}\n`;
  }
  const { time, level, name, msg, pid: _pid, hostname: _hostname, ...fields } = record;
  const when = typeof time === 'number' ? new Date(time).toISOString() : String(time ?? '');
  const levelName = `[${LEVEL_NAMES[typeof level === 'number' ? level : 30] ?? 'INFO'}]`;
  const pairs = Object.entries(fields).map(([field, value]) => {
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    return `${field}=${/\s/.test(text) ? JSON.stringify(text) : text}`;
  });
  const head = `${when} ${levelName.padEnd(7)} ${typeof name === 'string' ? `${name}: ` : ''}${typeof msg === 'string' ? msg : ''}`;
  return `${pairs.length > 0 ? `${head}: ${pairs.join(' ')}` : head}\n`;
}

interface LineSink { write(text: string): unknown }

/** pino writes one line per call; a plain object is all it needs (a Writable costs a stream pass per line). */
function standardStream(target: LineSink): LineSink {
  return {
    write(chunk: string) {
      const lines = chunk.split('\n').filter((line) => line.length > 0);
      return target.write(lines.map(formatStandardLine).join(''));
    },
  };
}

/** How long a log line may wait in the stdout buffer before it is written anyway. */
export const STDOUT_FLUSH_INTERVAL_MS = 200;

/**
 * stdout, written in batches: a write(2) per line was 14 µs of each admission's ~250 µs here.
 * Lines wait until 4 KiB are buffered or STDOUT_FLUSH_INTERVAL_MS passes; pino flushes the buffer
 * synchronously when the process exits (normally, by signal handler or by an uncaught exception),
 * so only a SIGKILL can lose the last fraction of a second.
 */
function stdoutDestination(): LineSink {
  const destination = pino.destination({ dest: 1, sync: false, minLength: 4096 });
  setInterval(() => destination.flush(), STDOUT_FLUSH_INTERVAL_MS).unref();
  return destination;
}

/** pino serialises a child's bindings once, without the log formatter: censor them on the way in. */
function censorChildren(logger: Logger): Logger {
  const makeChild = logger.child.bind(logger);
  logger.child = ((bindings: pino.Bindings, childOptions?: pino.ChildLoggerOptions) =>
    censorChildren(makeChild(redactFields(bindings), childOptions))) as unknown as Logger['child'];
  return logger;
}

export function createLogger(options: LoggerOptions): Logger {
  const level = options.level.toLowerCase();
  if (!VALID_LEVELS.has(level)) {
    throw new Error(`log level "${options.level}" is not one of trace, debug, info, warn, error`);
  }
  const target: LineSink = options.destination ?? stdoutDestination();
  const stream = options.format === 'standard' ? standardStream(target) : target;
  return censorChildren(pino(
    {
      name: options.name,
      level: level as LevelWithSilent,
      base: undefined,
      timestamp: pino.stdTimeFunctions.epochTime,
      formatters: {
        // Every line's fields and every child logger's bindings pass through the censor.
        log: (fields) => redactFields(fields),
        bindings: (bindings) => redactFields(bindings),
      },
      hooks: {
        logMethod(args, method) {
          const scrubbed = args.map((arg) => (typeof arg === 'string' ? scrubText(arg) : arg));
          method.apply(this, scrubbed as Parameters<typeof method>);
        },
      },
      serializers: {
        err: (error: unknown) => redactFields(error),
      },
    },
    stream as pino.DestinationStream,
  ));
}
