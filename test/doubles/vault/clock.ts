// Time helpers shared by the double's modules. The double never reads the wall clock
// itself: every module gets `now` (milliseconds) from startVaultDouble's options.

export type Clock = () => number;

/** Go's time.Time JSON form (RFC 3339 with up to 9 fraction digits, trailing zeros trimmed). */
export function formatRfc3339(ms: number): string {
  const iso = new Date(ms).toISOString(); // 2026-01-02T03:04:05.678Z
  const [whole, fraction = ''] = iso.slice(0, -1).split('.');
  const trimmed = fraction.replace(/0+$/, '');
  return trimmed === '' ? `${whole}Z` : `${whole}.${trimmed}Z`;
}

export function unixSeconds(ms: number): number {
  return Math.floor(ms / 1000);
}

/** Go's time.Duration.String() for whole seconds: "0s", "45s", "1m0s", "768h0m0s". */
export function goDuration(seconds: number): string {
  const total = Math.round(seconds);
  if (total === 0) return '0s';
  const sign = total < 0 ? '-' : '';
  let rest = Math.abs(total);
  const hours = Math.floor(rest / 3600);
  rest -= hours * 3600;
  const minutes = Math.floor(rest / 60);
  const secs = rest - minutes * 60;
  if (hours > 0) return `${sign}${hours}h${minutes}m${secs}s`;
  if (minutes > 0) return `${sign}${minutes}m${secs}s`;
  return `${sign}${secs}s`;
}

const unitSeconds: Record<string, number> = {
  ns: 1e-9, us: 1e-6, 'µs': 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600, d: 86400,
};

/**
 * Vault's parseutil.ParseDurationSecond: an integer (or integer string) is seconds, otherwise a Go
 * duration string ("1h30m", "90s"; Vault also accepts a "d" suffix). Returns undefined when invalid.
 */
export function parseDurationSeconds(value: unknown): number | undefined {
  if (value === undefined || value === null || value === '') return 0;
  if (typeof value === 'number') return Number.isFinite(value) ? Math.floor(value) : undefined;
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (/^-?\d+$/.test(text)) return Number.parseInt(text, 10);
  const re = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h|d)/gy;
  let total = 0;
  let consumed = 0;
  for (let match = re.exec(text); match !== null; match = re.exec(text)) {
    total += Number.parseFloat(match[1] ?? '0') * (unitSeconds[match[2] ?? 's'] ?? 1);
    consumed = re.lastIndex;
  }
  if (consumed !== text.length || consumed === 0) return undefined;
  return Math.floor(total);
}
