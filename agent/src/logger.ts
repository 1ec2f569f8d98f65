// The agent's one logger. Redaction is declared here, once, in two layers:
//  1. pino `redact` paths for every field name that could carry a credential or secret data;
//  2. a scrubber on the output that replaces every value the agent has learned is secret (the
//     Vault token, the service-account JWT, every string inside fetched secrets) wherever it
//     appears, because Vault and template error texts can quote values (`parsing "s3cr3t": ...`).
// Call sites never format secrets; the scrubber is the safety net for text we do not control.
import { pino, type Logger, type LevelWithSilent } from 'pino';

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error';
export type LogFormat = 'json' | 'standard';
export type { Logger };

const REDACTED = '[REDACTED]';

/** Field names whose values are never logged, at the top level or one object down. */
const redactedKeys = ['token', 'client_token', 'jwt', 'secret_id', 'password', 'private_key', 'data', 'secret', 'value', 'values', 'contents', 'authorization', 'x-vault-token'];
export const redactPaths = redactedKeys.flatMap((key) => [key, `*.${key}`]);

/** Strings known to be secret, scrubbed from every log line, error and termination message. */
export class SecretRegistry {
  private readonly values = new Set<string>();
  private pattern: RegExp | undefined;

  /** Values shorter than this are not scrubbed: replacing "ok" or "1" everywhere would garble logs. */
  static readonly minimumLength = 4;

  add(value: string): void {
    if (value.length < SecretRegistry.minimumLength || this.values.has(value)) return;
    this.values.add(value);
    const escaped = JSON.stringify(value).slice(1, -1);
    if (escaped !== value) this.values.add(escaped);
    this.pattern = undefined;
  }

  /** Every string leaf of a parsed JSON value (secret data, auth blocks). */
  addAllStrings(value: unknown): void {
    if (typeof value === 'string') this.add(value);
    else if (Array.isArray(value)) for (const item of value) this.addAllStrings(item);
    else if (typeof value === 'object' && value !== null) for (const item of Object.values(value)) this.addAllStrings(item);
  }

  get size(): number {
    return this.values.size;
  }

  scrub(text: string): string {
    if (this.values.size === 0) return text;
    if (this.pattern === undefined) {
      // Longest first so a value that contains another is replaced whole.
      const sorted = [...this.values].sort((a, b) => b.length - a.length);
      this.pattern = new RegExp(sorted.map((value) => value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g');
    }
    return text.replace(this.pattern, REDACTED);
  }
}

export interface LoggerOptions {
  level: LogLevel;
  format: LogFormat;
  secrets: SecretRegistry;
  /** Where lines go; defaults to stderr (stdout is left to the `render` command). */
  write?: (line: string) => void;
}

const levelNames: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };

/** Vault Agent's "standard" format: `2026-01-02T03:04:05.000Z [INFO]  agent: message: key=value`. */
export function formatStandardLine(jsonLine: string): string {
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(jsonLine) as Record<string, unknown>;
  } catch {
    return jsonLine;
  }
  const { time, level, msg, name, pid: _pid, hostname: _hostname, ...fields } = record;
  const levelName = (levelNames[Number(level)] ?? String(level)).padEnd(5);
  const extras = Object.entries(fields)
    .map(([key, value]) => `${key}=${typeof value === 'string' ? (/\s/.test(value) ? JSON.stringify(value) : value) : JSON.stringify(value)}`)
    .join(' ');
  return `${String(time)} [${levelName}] ${String(name ?? 'agent')}: ${String(msg ?? '')}${extras === '' ? '' : `: ${extras}`}\n`;
}

export function createAgentLogger(options: LoggerOptions): Logger {
  const write = options.write ?? ((line: string) => process.stderr.write(line));
  const destination = {
    write(line: string): void {
      const scrubbed = options.secrets.scrub(line);
      write(options.format === 'standard' ? formatStandardLine(scrubbed) : scrubbed);
    },
  };
  return pino(
    {
      name: 'vault-agent',
      level: options.level as LevelWithSilent,
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: redactPaths, censor: REDACTED },
      formatters: { level: (_label, number) => ({ level: number }) },
    },
    destination,
  );
}

/** VAULT_LOG_LEVEL / VAULT_LOG_FORMAT (set by the webhook) win over the config's vault_injector fields. */
export function resolveLogSettings(
  env: NodeJS.ProcessEnv,
  configured: { log_level?: LogLevel | undefined; log_format?: LogFormat | undefined } | undefined,
): { level: LogLevel; format: LogFormat; problems: string[] } {
  const problems: string[] = [];
  const levels: LogLevel[] = ['trace', 'debug', 'info', 'warn', 'error'];
  let level: LogLevel = configured?.log_level ?? 'info';
  let format: LogFormat = configured?.log_format ?? 'json';
  const envLevel = env['VAULT_LOG_LEVEL']?.trim().toLowerCase();
  if (envLevel !== undefined && envLevel !== '') {
    const normalised = envLevel === 'err' ? 'error' : envLevel === 'warning' ? 'warn' : envLevel;
    if ((levels as string[]).includes(normalised)) level = normalised as LogLevel;
    else problems.push(`VAULT_LOG_LEVEL: ${JSON.stringify(env['VAULT_LOG_LEVEL'])} is not one of ${levels.join(', ')}`);
  }
  const envFormat = env['VAULT_LOG_FORMAT']?.trim().toLowerCase();
  if (envFormat !== undefined && envFormat !== '') {
    if (envFormat === 'json' || envFormat === 'standard') format = envFormat;
    else problems.push(`VAULT_LOG_FORMAT: ${JSON.stringify(env['VAULT_LOG_FORMAT'])} is not json or standard`);
  }
  return { level, format, problems };
}
