// Go's time.Duration: String and ParseDuration (with its error texts).

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
  const d = parseDurationOrError(text);
  return typeof d === 'bigint' ? d : undefined;
}

/** time's own quote() over a byte string (one char per byte): every byte outside printable
 *  ASCII as \xNN. */
export function timeQuoteBytes(bytes: string): string {
  let out = '"';
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes.charCodeAt(i);
    if (c >= 0x80 || c < 0x20) out += '\\x' + c.toString(16).padStart(2, '0');
    else {
      if (c === 0x22 || c === 0x5c) out += '\\';
      out += bytes[i];
    }
  }
  return out + '"';
}

function timeQuote(text: string): string {
  return timeQuoteBytes(Buffer.from(text, 'utf8').toString('latin1'));
}

/** Go's time.ParseDuration: nanoseconds, or its error text (`time: invalid duration "x"`). */
export function parseDurationOrError(text: string): bigint | string {
  const d = parseDurationSteps(text);
  if (typeof d === 'bigint') return d;
  if (d === INVALID) return `time: invalid duration ${timeQuote(text)}`;
  if (d === MISSING_UNIT) return `time: missing unit in duration ${timeQuote(text)}`;
  return `time: unknown unit ${timeQuote(d.unknownUnit)} in duration ${timeQuote(text)}`;
}

const INVALID = 'invalid';
const MISSING_UNIT = 'missing unit';

function parseDurationSteps(text: string): bigint | typeof INVALID | typeof MISSING_UNIT | { unknownUnit: string } {
  let s = text;
  let neg = false;
  if (s !== '' && (s[0] === '-' || s[0] === '+')) { neg = s[0] === '-'; s = s.slice(1); }
  if (s === '0') return 0n;
  if (s === '') return INVALID;
  const limit = 1n << 63n;
  let d = 0n;
  while (s !== '') {
    if (!(s[0] === '.' || (s[0]! >= '0' && s[0]! <= '9'))) return INVALID;
    const intPart = /^[0-9]*/.exec(s)![0];
    s = s.slice(intPart.length);
    let v = 0n;
    for (const c of intPart) {
      if (v > limit / 10n) return INVALID;
      v = v * 10n + BigInt(c.charCodeAt(0) - 48);
      if (v > limit) return INVALID;
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
    if (!pre && !post) return INVALID;
    const unitText = /^[^0-9.]*/.exec(s)![0];
    s = s.slice(unitText.length);
    if (unitText === '') return MISSING_UNIT;
    const unit = DURATION_UNITS.get(unitText);
    if (unit === undefined) return { unknownUnit: unitText };
    if (v > limit / unit) return INVALID;
    v *= unit;
    if (f > 0n) {
      v += BigInt(Math.trunc(Number(f) * (Number(unit) / scale)));
      if (v > limit) return INVALID;
    }
    d += v;
    if (d > limit) return INVALID;
  }
  if (neg) return -d;
  if (d > limit - 1n) return INVALID;
  return d;
}
