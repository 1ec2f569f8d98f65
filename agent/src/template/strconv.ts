// The parts of Go's strconv the template language needs: Unquote, UnquoteChar and the
// base-0 integer/float parsers used for number literals.

const SYNTAX = 'invalid syntax';

export class StrconvError extends Error {}

import { decodeGoBytes } from './gostring.ts';

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  if (c >= 0x41 && c <= 0x46) return c - 0x41 + 10;
  return -1;
}

/** One escape or character of a quoted literal starting at `at` (after any opening quote).
 *  Returns a code point (rune) or, for \x and octal escapes, a raw byte; `end` is the index after it. */
function unquoteChar(s: string, at: number, quote: number): { value: number; isByte: boolean; end: number } {
  const c = s.codePointAt(at);
  if (c === undefined) throw new StrconvError(SYNTAX);
  if (c === quote && (quote === 0x27 || quote === 0x22)) throw new StrconvError(SYNTAX);
  if (c !== 0x5c) return { value: c, isByte: false, end: at + (c > 0xffff ? 2 : 1) };
  const e = s.charCodeAt(at + 1);
  if (Number.isNaN(e)) throw new StrconvError(SYNTAX);
  let i = at + 2;
  switch (e) {
    case 0x61: return { value: 7, isByte: false, end: i };
    case 0x62: return { value: 8, isByte: false, end: i };
    case 0x66: return { value: 12, isByte: false, end: i };
    case 0x6e: return { value: 10, isByte: false, end: i };
    case 0x72: return { value: 13, isByte: false, end: i };
    case 0x74: return { value: 9, isByte: false, end: i };
    case 0x76: return { value: 11, isByte: false, end: i };
    case 0x78: case 0x75: case 0x55: {
      const n = e === 0x78 ? 2 : e === 0x75 ? 4 : 8;
      let v = 0;
      for (let j = 0; j < n; j++, i++) {
        const d = hexValue(s.charCodeAt(i));
        if (d < 0) throw new StrconvError(SYNTAX);
        v = v * 16 + d;
      }
      if (e === 0x78) return { value: v, isByte: true, end: i };
      if (v > 0x10ffff || (v >= 0xd800 && v < 0xe000)) throw new StrconvError(SYNTAX);
      return { value: v, isByte: false, end: i };
    }
    case 0x30: case 0x31: case 0x32: case 0x33: case 0x34: case 0x35: case 0x36: case 0x37: {
      let v = e - 0x30;
      for (let j = 0; j < 2; j++, i++) {
        const d = s.charCodeAt(i) - 0x30;
        if (!(d >= 0 && d <= 7)) throw new StrconvError(SYNTAX);
        v = v * 8 + d;
      }
      if (v > 255) throw new StrconvError(SYNTAX);
      return { value: v, isByte: true, end: i };
    }
    case 0x5c: return { value: 0x5c, isByte: false, end: i };
    case 0x27: case 0x22:
      if (e !== quote) throw new StrconvError(SYNTAX);
      return { value: e, isByte: false, end: i };
  }
  throw new StrconvError(SYNTAX);
}

/** strconv.Unquote for "..." and `...` literals (the lexer guarantees the shape). */
export function unquote(quoted: string): string {
  const q = quoted.charCodeAt(0);
  if (quoted.length < 2 || quoted.charCodeAt(quoted.length - 1) !== q) throw new StrconvError(SYNTAX);
  const body = quoted.slice(1, -1);
  if (q === 0x60) {
    if (body.includes('`')) throw new StrconvError(SYNTAX);
    return body.includes('\r') ? body.replaceAll('\r', '') : body;
  }
  if (q !== 0x22) throw new StrconvError(SYNTAX);
  if (body.includes('\n')) throw new StrconvError(SYNTAX);
  if (!body.includes('\\') && !body.includes('"')) return body;
  // Escapes may produce raw bytes (\xff); collect UTF-8 bytes and decode once.
  const bytes: number[] = [];
  const encoder = new TextEncoder();
  let i = 0;
  while (i < body.length) {
    const { value, isByte, end } = unquoteChar(body, i, 0x22);
    if (isByte || value < 0x80) bytes.push(value);
    else for (const b of encoder.encode(String.fromCodePoint(value))) bytes.push(b);
    i = end;
  }
  return decodeGoBytes(new Uint8Array(bytes));
}

/** The rune of a character constant 'x'; throws StrconvError (invalid syntax) or a malformed error. */
export function unquoteCharConstant(text: string): number {
  const { value, end } = unquoteChar(text, 1, 0x27);
  if (text.slice(end) !== "'") throw new StrconvError(`malformed character constant: ${text}`);
  return value;
}

function isDigitIn(c: number, base: number): number {
  const d = hexValue(c);
  return d >= 0 && d < base ? d : -1;
}

/** Go's underscoreOK: underscores only between digits or after a base prefix. */
function underscoreOK(s: string): boolean {
  let saw = '^';
  let i = 0;
  if (s.length >= 1 && (s[0] === '-' || s[0] === '+')) s = s.slice(1);
  let hex = false;
  if (s.length >= 2 && s[0] === '0') {
    const b = s[1]!.toLowerCase();
    if (b === 'b' || b === 'o' || b === 'x') {
      hex = b === 'x';
      i = 2;
      saw = '0';
    }
  }
  for (; i < s.length; i++) {
    const c = s[i]!;
    if ((c >= '0' && c <= '9') || (hex && /[a-fA-F]/.test(c))) {
      saw = '0';
      continue;
    }
    if (c === '_') {
      if (saw !== '0') return false;
      saw = '_';
      continue;
    }
    if (saw === '_') return false;
    saw = '!';
  }
  return saw !== '_';
}

/** strconv.ParseUint/ParseInt with base 0: the magnitude and sign, or undefined on syntax error. */
function parseBase0(text: string): { negative: boolean; magnitude: bigint } | undefined {
  let s = text;
  let negative = false;
  if (s[0] === '+' || s[0] === '-') {
    negative = s[0] === '-';
    s = s.slice(1);
  }
  if (s.length === 0) return undefined;
  let base = 10;
  let i = 0;
  if (s[0] === '0') {
    const p = s[1]?.toLowerCase();
    if (p === 'x') { base = 16; i = 2; } else if (p === 'o') { base = 8; i = 2; } else if (p === 'b') { base = 2; i = 2; } else { base = 8; i = 1; }
    if (i === 2 && s.length === 2) return undefined;
  }
  let magnitude = 0n;
  let underscores = false;
  const bigBase = BigInt(base);
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x5f) {
      underscores = true;
      continue;
    }
    const d = isDigitIn(c, base);
    if (d < 0) return undefined;
    magnitude = magnitude * bigBase + BigInt(d);
  }
  if (underscores && !underscoreOK(text)) return undefined;
  return { negative, magnitude };
}

const MAX_INT64 = (1n << 63n) - 1n;
const MAX_UINT64 = (1n << 64n) - 1n;

export function parseUint64(text: string): bigint | undefined {
  if (text[0] === '+' || text[0] === '-') return undefined;
  const parsed = parseBase0(text);
  if (parsed === undefined || parsed.magnitude > MAX_UINT64) return undefined;
  return parsed.magnitude;
}

export function parseInt64(text: string): bigint | undefined {
  const parsed = parseBase0(text);
  if (parsed === undefined) return undefined;
  const value = parsed.negative ? -parsed.magnitude : parsed.magnitude;
  if (value > MAX_INT64 || value < -MAX_INT64 - 1n) return undefined;
  return value;
}

const DECIMAL_FLOAT = /^[+-]?(?:[0-9_]+\.?[0-9_]*|\.[0-9_]+)(?:[eE][+-]?[0-9_]+)?$/;
const HEX_FLOAT = /^([+-]?)0[xX]([0-9a-fA-F_]*)\.?([0-9a-fA-F_]*)[pP]([+-]?[0-9_]+)$/;

/** strconv.ParseFloat(text, 64) for Go literal syntax; undefined on syntax or range error. */
export function parseFloat64(text: string): number | undefined {
  if (text.includes('_') && !underscoreOK(text)) return undefined;
  const clean = text.replaceAll('_', '');
  let value: number;
  if (DECIMAL_FLOAT.test(clean)) {
    value = Number(clean);
  } else {
    const m = HEX_FLOAT.exec(clean);
    if (m === null) return undefined;
    const intPart = m[2]!;
    const fracPart = m[3]!;
    if (intPart === '' && fracPart === '') return undefined;
    const mantissa = BigInt('0x' + (intPart + fracPart || '0'));
    const exponent = Number(m[4]) - 4 * fracPart.length;
    value = hexScale(mantissa, exponent);
    if (m[1] === '-') value = -value;
  }
  if (!Number.isFinite(value) || Number.isNaN(value)) return undefined;
  return value;
}

function hexScale(mantissa: bigint, exponent: number): number {
  if (mantissa === 0n) return 0;
  // Normalise so that one rounding happens (to 53 bits), then scale by an exact power of two.
  const bits = mantissa.toString(2).length;
  if (bits > 64) {
    const shift = bits - 64;
    const sticky = (mantissa & ((1n << BigInt(shift)) - 1n)) !== 0n ? 1n : 0n;
    mantissa = (mantissa >> BigInt(shift)) | sticky;
    exponent += shift;
  }
  let value = Number(mantissa);
  while (exponent > 0) {
    const step = Math.min(exponent, 1000);
    value *= 2 ** step;
    exponent -= step;
  }
  while (exponent < 0) {
    const step = Math.min(-exponent, 1000);
    value /= 2 ** step;
    exponent += step;
  }
  return value;
}
