// strconv.FormatFloat for float64: shortest ('g'/-1 as fmt's %v uses) and fixed precisions,
// rounding half to even on the exact binary value as Go does.

interface Digits {
  digits: string; // significant decimal digits, no leading zeros ('' for zero)
  dp: number;     // decimal point position: value = 0.digits × 10^dp
}

const float64Buffer = new DataView(new ArrayBuffer(8));

function decompose(v: number): { mantissa: bigint; exponent: number } {
  float64Buffer.setFloat64(0, v);
  const hi = float64Buffer.getUint32(0);
  const lo = float64Buffer.getUint32(4);
  const biased = (hi >>> 20) & 0x7ff;
  let mantissa = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let exponent: number;
  if (biased === 0) exponent = -1074;
  else {
    mantissa |= 1n << 52n;
    exponent = biased - 1075;
  }
  return { mantissa, exponent };
}

/** Exact decimal expansion of |v| (finite). */
function exactDigits(v: number): Digits {
  const { mantissa, exponent } = decompose(Math.abs(v));
  if (mantissa === 0n) return { digits: '', dp: 0 };
  let text: string;
  let dp: number;
  if (exponent >= 0) {
    text = (mantissa << BigInt(exponent)).toString();
    dp = text.length;
  } else {
    text = (mantissa * 5n ** BigInt(-exponent)).toString();
    dp = text.length + exponent;
  }
  return trimZeros({ digits: text, dp });
}

function trimZeros(d: Digits): Digits {
  let end = d.digits.length;
  while (end > 0 && d.digits.charCodeAt(end - 1) === 0x30) end--;
  let start = 0;
  while (start < end && d.digits.charCodeAt(start) === 0x30) start++;
  return { digits: d.digits.slice(start, end), dp: d.dp - start };
}

/** Rounds exact digits to `n` significant digits, half to even. */
function roundTo(d: Digits, n: number): Digits {
  if (n < 0) return { digits: '', dp: d.dp };
  if (d.digits.length <= n) return d;
  const next = d.digits.charCodeAt(n) - 0x30;
  let up: boolean;
  if (next > 5) up = true;
  else if (next < 5) up = false;
  else {
    let rest = false;
    for (let i = n + 1; i < d.digits.length; i++) if (d.digits.charCodeAt(i) !== 0x30) { rest = true; break; }
    up = rest || (n > 0 && (d.digits.charCodeAt(n - 1) - 0x30) % 2 === 1);
  }
  let kept = d.digits.slice(0, n);
  let dp = d.dp;
  if (up) {
    const chars = kept.split('');
    let i = chars.length - 1;
    for (; i >= 0; i--) {
      if (chars[i] === '9') chars[i] = '0';
      else {
        chars[i] = String.fromCharCode(chars[i]!.charCodeAt(0) + 1);
        break;
      }
    }
    kept = chars.join('');
    if (i < 0) {
      kept = '1' + kept;
      dp++;
    }
  }
  return trimZeros({ digits: kept, dp });
}

function shortestDigits(v: number): Digits {
  if (v === 0) return { digits: '', dp: 0 };
  const s = Math.abs(v).toExponential(); // shortest round-trip digits
  const e = s.indexOf('e');
  const mant = s.slice(0, e).replace('.', '');
  return trimZeros({ digits: mant, dp: Number(s.slice(e + 1)) + 1 });
}

function digitAt(d: Digits, i: number): string {
  return i < d.digits.length ? d.digits[i]! : '0';
}

function fmtE(neg: boolean, d: Digits, prec: number, fmt: string): string {
  let s = neg ? '-' : '';
  s += d.digits.length === 0 ? '0' : d.digits[0]!;
  if (prec > 0) {
    s += '.';
    for (let i = 1; i <= prec; i++) s += digitAt(d, i);
  }
  s += fmt;
  let exp = d.digits.length === 0 ? 0 : d.dp - 1;
  if (exp < 0) {
    s += '-';
    exp = -exp;
  } else s += '+';
  s += exp < 10 ? '0' + exp : String(exp);
  return s;
}

function fmtF(neg: boolean, d: Digits, prec: number): string {
  let s = neg ? '-' : '';
  if (d.dp > 0) {
    let m = Math.min(d.digits.length, d.dp);
    s += d.digits.slice(0, m);
    for (; m < d.dp; m++) s += '0';
  } else s += '0';
  if (prec > 0) {
    s += '.';
    for (let i = 1; i <= prec; i++) {
      const j = d.dp + i - 1;
      s += j < 0 || j >= d.digits.length ? '0' : d.digits[j];
    }
  }
  return s;
}

/** strconv.FormatFloat(v, fmt, prec, 64) for fmt in e E f F g G b x X. */
export function formatFloat(v: number, fmt: string, prec: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  const neg = v < 0 || Object.is(v, -0);
  if (fmt === 'b') return formatBinary(v, neg);
  if (fmt === 'x' || fmt === 'X') return formatHex(v, neg, prec, fmt);
  const shortest = prec < 0;
  let d: Digits;
  if (shortest) {
    d = shortestDigits(v);
    switch (fmt) {
      case 'e': case 'E': prec = Math.max(d.digits.length - 1, 0); break;
      case 'f': case 'F': prec = Math.max(d.digits.length - d.dp, 0); break;
      case 'g': case 'G': prec = d.digits.length; break;
    }
  } else {
    const exact = exactDigits(v);
    switch (fmt) {
      case 'e': case 'E': d = roundTo(exact, prec + 1); break;
      case 'f': case 'F': d = roundTo(exact, exact.dp + prec); break;
      default:
        if (prec === 0) prec = 1;
        d = roundTo(exact, prec);
    }
  }
  switch (fmt) {
    case 'e': case 'E': return fmtE(neg, d, prec, fmt);
    case 'f': case 'F': return fmtF(neg, d, prec);
  }
  // g, G
  let eprec = prec;
  const nd = Math.max(d.digits.length, 1);
  const dp = d.digits.length === 0 ? 1 : d.dp;
  if (eprec > nd && nd >= dp) eprec = nd;
  if (shortest) eprec = 6;
  const exp = dp - 1;
  if (exp < -4 || exp >= eprec) {
    if (prec > nd) prec = nd;
    return fmtE(neg, d, prec - 1, fmt === 'g' ? 'e' : 'E');
  }
  if (prec > dp) prec = nd;
  return fmtF(neg, d, Math.max(prec - dp, 0));
}

function formatBinary(v: number, neg: boolean): string {
  const { mantissa, exponent } = decompose(Math.abs(v));
  return `${neg ? '-' : ''}${mantissa}p${exponent >= 0 ? '+' : ''}${exponent}`;
}

function formatHex(v: number, neg: boolean, prec: number, fmt: string): string {
  let { mantissa, exponent } = decompose(Math.abs(v));
  let s = neg ? '-' : '';
  if (mantissa === 0n) {
    exponent = 0;
  } else {
    // Normalise to 1.xxx (mantissa with the leading 1 at bit 52).
    while (mantissa < 1n << 52n) {
      mantissa <<= 1n;
      exponent--;
    }
    exponent += 52;
  }
  // 52 fraction bits = 13 hex digits
  let frac = mantissa & ((1n << 52n) - 1n);
  let lead = mantissa >> 52n;
  let hex = frac.toString(16).padStart(13, '0');
  if (prec >= 0 && prec < 13) {
    const shift = BigInt((13 - prec) * 4);
    const full = mantissa;
    let kept = full >> shift;
    const rest = full & ((1n << shift) - 1n);
    const half = 1n << (shift - 1n);
    if (rest > half || (rest === half && (kept & 1n) === 1n)) kept++;
    if (kept >> BigInt(prec * 4) >= 2n) {
      kept >>= 1n;
      exponent++;
    }
    lead = kept >> BigInt(prec * 4);
    frac = kept & ((1n << BigInt(prec * 4)) - 1n);
    hex = prec === 0 ? '' : frac.toString(16).padStart(prec, '0');
  } else if (prec < 0) {
    hex = hex.replace(/0+$/, '');
  } else {
    hex = hex.padEnd(prec, '0');
  }
  s += '0x' + lead.toString();
  if (hex.length > 0) s += '.' + hex;
  s += 'p' + (exponent >= 0 ? '+' : '-') + String(Math.abs(exponent)).padStart(2, '0');
  return fmt === 'X' ? s.toUpperCase() : s;
}
