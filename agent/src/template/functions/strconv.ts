// strconv.ParseInt/ParseUint/ParseFloat/ParseBool with base 10 and Go's error texts.
import { goQuote } from './gostrings.ts';

export class NumError extends Error {
  constructor(fn: string, input: string, reason: 'invalid syntax' | 'value out of range') {
    super(`strconv.${fn}: parsing ${goQuote(input)}: ${reason}`);
  }
}

const MAX_INT64 = 2n ** 63n - 1n;
const MIN_INT64 = -(2n ** 63n);
const MAX_UINT64 = 2n ** 64n - 1n;

export function parseInt10(s: string, bits = 64): bigint {
  if (!/^[+-]?[0-9]+$/.test(s)) throw new NumError('ParseInt', s, 'invalid syntax');
  const v = BigInt(s);
  const max = bits === 64 ? MAX_INT64 : 2n ** BigInt(bits - 1) - 1n;
  const min = bits === 64 ? MIN_INT64 : -(2n ** BigInt(bits - 1));
  if (v > max || v < min) throw new NumError('ParseInt', s, 'value out of range');
  return v;
}

export function parseUint10(s: string): bigint {
  if (!/^[0-9]+$/.test(s)) throw new NumError('ParseUint', s, 'invalid syntax');
  const v = BigInt(s);
  if (v > MAX_UINT64) throw new NumError('ParseUint', s, 'value out of range');
  return v;
}

/** strconv.ParseInt(s, 0, 64): base prefixes and underscores as in Go literals. */
export function parseInt0(s: string, fnName = 'ParseInt'): bigint {
  const m = /^([+-]?)(0[xX][0-9a-fA-F_]+|0[bB][01_]+|0[oO][0-7_]+|0[0-7_]*|[1-9][0-9_]*)$/.exec(s);
  if (m === null || !underscoreOk(m[2] ?? '')) throw new NumError(fnName, s, 'invalid syntax');
  let body = (m[2] ?? '').replaceAll('_', '');
  if (/^0[0-7]+$/.test(body)) body = '0o' + body.slice(1);
  const v = (m[1] === '-' ? -1n : 1n) * BigInt(body);
  if (v > MAX_INT64 || v < MIN_INT64) throw new NumError(fnName, s, 'value out of range');
  return v;
}

function underscoreOk(s: string): boolean {
  if (!s.includes('_')) return true;
  // underscores only between digits or after a base prefix
  const body = /^0[xXbBoO]/.test(s) ? s.slice(2) : s;
  if (/^0[xXbBoO]/.test(s)) return !/__|_$/.test(body);
  return !/__|_$|^_/.test(body) && s[0] !== '_';
}

export function parseFloat64(s: string): number {
  const t = s;
  const inf = /^([+-]?)(inf|infinity)$/i.exec(t);
  if (inf !== null) return inf[1] === '-' ? -Infinity : Infinity;
  if (/^[+-]?nan$/i.test(t)) return NaN;
  let v: number;
  const hex = /^([+-]?)0[xX]([0-9a-fA-F_]*)(?:\.([0-9a-fA-F_]*))?[pP]([+-]?[0-9_]+)$/.exec(t);
  if (hex !== null) {
    const intPart = (hex[2] ?? '').replaceAll('_', '');
    const frac = (hex[3] ?? '').replaceAll('_', '');
    if (intPart === '' && frac === '') throw new NumError('ParseFloat', s, 'invalid syntax');
    const mant = BigInt('0x' + (intPart + frac || '0'));
    const exp = Number((hex[4] ?? '0').replaceAll('_', '')) - 4 * frac.length;
    v = Number(mant) * 2 ** exp;
    if (hex[1] === '-') v = -v;
  } else {
    if (!/^[+-]?([0-9][0-9_]*(\.[0-9_]*)?|\.[0-9][0-9_]*)([eE][+-]?[0-9]+)?$/.test(t)) throw new NumError('ParseFloat', s, 'invalid syntax');
    const mantissa = t.replace(/[eE].*$/, '').replace(/^[+-]/, '');
    if (mantissa.includes('_') && (/__|_$|^_|_\.|\._/.test(mantissa))) throw new NumError('ParseFloat', s, 'invalid syntax');
    v = Number(t.replaceAll('_', ''));
  }
  if (!Number.isFinite(v)) throw new NumError('ParseFloat', s, 'value out of range');
  return v;
}

export function parseBool(s: string): boolean {
  switch (s) {
    case '1': case 't': case 'T': case 'TRUE': case 'true': case 'True': return true;
    case '0': case 'f': case 'F': case 'FALSE': case 'false': case 'False': return false;
  }
  throw new NumError('ParseBool', s, 'invalid syntax');
}
