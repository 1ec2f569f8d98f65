/**
 * The webhook's one logger. Redaction is declared here, once: call sites never format secrets.
 *
 * Two layers, because either alone misses cases:
 *  1. pino `redact` paths for fields that hold secrets by name (tokens, Authorization headers,
 *     private keys, VAULT_CONFIG, annotation maps, request bodies);
 *  2. a value scrubber over every string (message and fields) that replaces anything shaped like a
 *     JWT, a Vault token, a PEM private key or a Bearer credential, wherever it was put.
 */
import { Writable } from 'node:stream';
import { pino } from 'pino';
import type { Logger, LevelWithSilent } from 'pino';

export type LogFormat = 'json' | 'standard';

export interface LoggerOptions {
  level: string;
  format: LogFormat;
  /** Where lines go; stdout when absent. */
  destination?: NodeJS.WritableStream;
  name: string;
}

export type { Logger };

export const REDACTED = '[REDACTED]';

/** Field paths whose values are never logged. One level of `*` covers nested objects such as `err.token`. */
export const REDACTED_PATHS: readonly string[] = [
  // tokens and credentials
  'token', '*.token', 'clientToken', '*.clientToken', 'client_token', '*.client_token',
  'jwt', '*.jwt', 'password', '*.password', 'secret', '*.secret', 'secretId', '*.secretId',
  'authorization', '*.authorization', 'Authorization', '*.Authorization',
  'headers.authorization', 'headers.cookie', 'req.headers.authorization', 'req.headers.cookie',
  'request.headers.authorization', 'request.headers.cookie', 'headers["x-vault-token"]',
  'req.headers["x-vault-token"]', 'request.headers["x-vault-token"]',
  // key material
  'privateKey', '*.privateKey', 'keyPem', '*.keyPem', 'key', '*.key', 'tlsKey', '*.tlsKey',
  'caKey', '*.caKey', 'data["tls.key"]', '*.data["tls.key"]', 'data["ca.key"]', '*.data["ca.key"]',
  // agent configuration (holds templates, role, paths) and environment
  'VAULT_CONFIG', '*.VAULT_CONFIG', 'env.VAULT_CONFIG', 'vaultConfig', '*.vaultConfig',
  // annotation values (templates, secret paths) and whole objects that contain them
  'annotations', '*.annotations', 'metadata.annotations', '*.metadata.annotations',
  'template', '*.template', 'templates', '*.templates', 'contents', '*.contents',
  // request and response bodies (pods with annotations, AdmissionReviews, patches)
  'body', '*.body', 'req.body', 'request.body', 'payload', '*.payload', 'patch', '*.patch',
  'object', '*.object', 'oldObject', '*.oldObject',
];

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

/** Replaces every secret-shaped substring of `text`. Pure; exported for tests and error messages. */
export function scrubText(text: string): string {
  let scrubbed = text;
  for (const shape of SECRET_SHAPES) {
    shape.lastIndex = 0;
    if (shape.test(scrubbed)) {
      shape.lastIndex = 0;
      scrubbed = scrubbed.replace(shape, REDACTED);
    }
  }
  return scrubbed;
}

const MAX_SCRUB_DEPTH = 6;

function scrubValue(value: unknown, depth: number, seen: WeakSet<object>): unknown {
  if (typeof value === 'string') return scrubText(value);
  if (value === null || typeof value !== 'object' || depth > MAX_SCRUB_DEPTH) return value;
  if (seen.has(value)) return value;
  seen.add(value);
  if (Array.isArray(value)) return value.map((item) => scrubValue(item, depth + 1, seen));
  if (value instanceof Error) {
    const copy: Record<string, unknown> = { type: value.name, message: scrubText(value.message) };
    for (const [field, inner] of Object.entries(value)) copy[field] = scrubValue(inner, depth + 1, seen);
    if (value.stack !== undefined) copy['stack'] = scrubText(value.stack);
    return copy;
  }
  if (Buffer.isBuffer(value)) return REDACTED;
  const copy: Record<string, unknown> = {};
  for (const [field, inner] of Object.entries(value)) copy[field] = scrubValue(inner, depth + 1, seen);
  return copy;
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

function standardStream(target: NodeJS.WritableStream): Writable {
  return new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      const lines = chunk.toString().split('\n').filter((line) => line.length > 0);
      target.write(lines.map(formatStandardLine).join(''));
      callback();
    },
  });
}

export function createLogger(options: LoggerOptions): Logger {
  const level = options.level.toLowerCase();
  if (!VALID_LEVELS.has(level)) {
    throw new Error(`log level "${options.level}" is not one of trace, debug, info, warn, error`);
  }
  const target = options.destination ?? process.stdout;
  const stream = options.format === 'standard' ? standardStream(target) : target;
  return pino(
    {
      name: options.name,
      level: level as LevelWithSilent,
      base: undefined,
      timestamp: pino.stdTimeFunctions.epochTime,
      redact: { paths: [...REDACTED_PATHS], censor: REDACTED },
      formatters: {
        // Runs on the merged fields of every line before redaction paths and serialisation.
        log(fields) {
          return scrubValue(fields, 0, new WeakSet()) as Record<string, unknown>;
        },
      },
      hooks: {
        logMethod(args, method) {
          const scrubbed = args.map((arg) => (typeof arg === 'string' ? scrubText(arg) : arg));
          method.apply(this, scrubbed as Parameters<typeof method>);
        },
      },
      serializers: {
        err: (error: unknown) => scrubValue(error, 0, new WeakSet()),
      },
    },
    stream as pino.DestinationStream,
  );
}
