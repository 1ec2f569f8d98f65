// Go's time.Format for the layouts templates use (timestamp, sprig's date), in UTC.

/** Go's time.Format layouts for `timestamp` (UTC). */
export function formatGoTime(date: Date, layout: string): string {
  const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
  const months = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
  const days = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
  const tokens: Array<[string, () => string]> = [
    ['January', () => months[date.getUTCMonth()]!], ['Monday', () => days[date.getUTCDay()]!],
    ['2006', () => pad(date.getUTCFullYear(), 4)], ['Jan', () => months[date.getUTCMonth()]!.slice(0, 3)],
    ['Mon', () => days[date.getUTCDay()]!.slice(0, 3)], ['MST', () => 'UTC'],
    ['Z07:00', () => 'Z'], ['Z0700', () => 'Z'], ['Z07', () => 'Z'], ['-07:00', () => '+00:00'], ['-0700', () => '+0000'], ['-07', () => '+00'],
    ['.000000000', () => '.' + pad(date.getUTCMilliseconds(), 3) + '000000'], ['.000000', () => '.' + pad(date.getUTCMilliseconds(), 3) + '000'],
    ['.000', () => '.' + pad(date.getUTCMilliseconds(), 3)],
    ['.999999999', () => trimFrac(date)], ['.999999', () => trimFrac(date)], ['.999', () => trimFrac(date)],
    ['01', () => pad(date.getUTCMonth() + 1)], ['02', () => pad(date.getUTCDate())], ['_2', () => String(date.getUTCDate()).padStart(2, ' ')],
    ['15', () => pad(date.getUTCHours())], ['03', () => pad(date.getUTCHours() % 12 === 0 ? 12 : date.getUTCHours() % 12)],
    ['04', () => pad(date.getUTCMinutes())], ['05', () => pad(date.getUTCSeconds())], ['06', () => pad(date.getUTCFullYear() % 100)],
    ['PM', () => (date.getUTCHours() >= 12 ? 'PM' : 'AM')], ['pm', () => (date.getUTCHours() >= 12 ? 'pm' : 'am')],
    ['1', () => String(date.getUTCMonth() + 1)], ['2', () => String(date.getUTCDate())], ['3', () => String(date.getUTCHours() % 12 === 0 ? 12 : date.getUTCHours() % 12)],
    ['4', () => String(date.getUTCMinutes())], ['5', () => String(date.getUTCSeconds())],
  ];
  let out = '';
  let i = 0;
  outer: while (i < layout.length) {
    for (const [token, render] of tokens) {
      if (layout.startsWith(token, i)) {
        out += render();
        i += token.length;
        continue outer;
      }
    }
    out += layout[i];
    i++;
  }
  return out;
}

function trimFrac(date: Date): string {
  const ms = date.getUTCMilliseconds();
  if (ms === 0) return '';
  return ('.' + String(ms).padStart(3, '0')).replace(/0+$/, '');
}


/** time.Duration.String for a duration in nanoseconds ("1h0m0s", "1m30s", "0s", "1.5s"). */
export function goDuration(ns: bigint): string {
  if (ns === 0n) return '0s';
  const neg = ns < 0n;
  let u = neg ? -ns : ns;
  let out: string;
  if (u < 1_000_000_000n) {
    // below one second: ns, µs or ms with a fraction
    const [unit, scale] = u < 1000n ? ['ns', 1n] : u < 1_000_000n ? ['µs', 1000n] : ['ms', 1_000_000n];
    out = fraction(u, scale) + unit;
  } else {
    const h = u / 3_600_000_000_000n;
    u -= h * 3_600_000_000_000n;
    const m = u / 60_000_000_000n;
    u -= m * 60_000_000_000n;
    out = fraction(u, 1_000_000_000n) + 's';
    if (h > 0n || m > 0n) out = `${m}m` + out;
    if (h > 0n) out = `${h}h` + out;
  }
  return neg ? '-' + out : out;
}

function fraction(value: bigint, scale: bigint): string {
  const whole = value / scale;
  let frac = (value % scale).toString().padStart(scale.toString().length - 1, '0').replace(/0+$/, '');
  if (scale === 1n) frac = '';
  return frac === '' ? whole.toString() : `${whole}.${frac}`;
}

const DURATION_UNITS = new Map<string, bigint>([
  ['ns', 1n], ['us', 1_000n], ['µs', 1_000n], ['μs', 1_000n], ['ms', 1_000_000n], ['s', 1_000_000_000n],
  ['m', 60_000_000_000n], ['h', 3_600_000_000_000n],
]);

/** Go's time.ParseDuration: nanoseconds, or undefined where Go returns an error. */
export function parseGoDuration(text: string): bigint | undefined {
  let s = text;
  let neg = false;
  if (s !== '' && (s[0] === '-' || s[0] === '+')) { neg = s[0] === '-'; s = s.slice(1); }
  if (s === '0') return 0n;
  if (s === '') return undefined;
  const limit = 1n << 63n;
  let d = 0n;
  while (s !== '') {
    if (!(s[0] === '.' || (s[0]! >= '0' && s[0]! <= '9'))) return undefined;
    const intPart = /^[0-9]*/.exec(s)![0];
    s = s.slice(intPart.length);
    let v = 0n;
    for (const c of intPart) {
      if (v > limit / 10n) return undefined;
      v = v * 10n + BigInt(c.charCodeAt(0) - 48);
      if (v > limit) return undefined;
    }
    const pre = intPart !== '';
    let f = 0n;
    let scale = 1;
    let post = false;
    if (s[0] === '.') {
      s = s.slice(1);
      const fracPart = /^[0-9]*/.exec(s)![0];
      s = s.slice(fracPart.length);
      post = fracPart !== '';
      let overflow = false;
      for (const c of fracPart) {
        if (overflow) continue;
        // Go stops taking digits once f would overflow int64 (the rest cannot matter)
        if (f > (limit - 1n) / 10n) { overflow = true; continue; }
        f = f * 10n + BigInt(c.charCodeAt(0) - 48);
        scale *= 10;
      }
    }
    if (!pre && !post) return undefined;
    const unitText = /^[^0-9.]*/.exec(s)![0];
    s = s.slice(unitText.length);
    if (unitText === '') return undefined;
    const unit = DURATION_UNITS.get(unitText);
    if (unit === undefined) return undefined;
    if (v > limit / unit) return undefined;
    v *= unit;
    if (f > 0n) {
      v += BigInt(Math.trunc(Number(f) * (Number(unit) / scale)));
      if (v > limit) return undefined;
    }
    d += v;
    if (d > limit) return undefined;
  }
  if (neg) return -d;
  if (d > limit - 1n) return undefined;
  return d;
}
