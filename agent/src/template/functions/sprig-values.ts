// sprig's value helpers: strval/strslice/empty, spf13/cast conversions, shopspring/decimal
// arithmetic, list, path, base32 and time helpers, used by the function table in sprig.ts.

import { appendedCapacity } from '../slicecap.ts';
import { sprint } from '../format.ts';
import { GoError, GoInt, GoMap, GoSlice, GoStruct, JsonNumber, goInt, kindOf, typeOf } from '../values.ts';
import type { GoFunction, GoValue } from '../values.ts';

import { fn, goError, panicError } from './define.ts';
import { wrapCustom } from './goutils.ts';

import { RepeatError, repeatGo as repeatGoStrings } from './gostrings.ts';
import { goQuote, utf8String } from './gostrings.ts';

import { compileGoRegexp, RegexpError } from './regexp.ts';
import { formatGoTime } from './gotime.ts';

import { structType } from '../values.ts';

export const MSI = 'map[string]interface {}';

/** sprig's strval: strings as is, Stringers (json.Number) by String(), else %v. */
export function strval(v: GoValue): string {
  if (typeof v === 'string') return v;
  if (v instanceof JsonNumber) return v.text;
  return sprint([v ?? null]);
}

export function strslice(v: GoValue): string[] {
  if (v instanceof GoSlice) {
    if (v.type === '[]string') return v.items as string[];
    return v.items.filter((item) => item !== null && item !== undefined).map(strval);
  }
  if (v === null || v === undefined) return [];
  return [strval(v)];
}

export function isEmpty(v: GoValue): boolean {
  switch (typeof v) {
    case 'undefined': return true;
    case 'string': return v.length === 0;
    case 'boolean': return !v;
    case 'number': return v === 0;
  }
  if (v === null) return true;
  if (v instanceof GoInt) return v.value === 0n;
  if (v instanceof JsonNumber) return v.text.length === 0;
  if (v instanceof GoSlice) return v.items.length === 0;
  if (v instanceof GoMap) return v.entries.size === 0;
  if (v instanceof GoStruct) return false;
  return kindOf(v) === 'ptr';
}

// spf13/cast conversions (what sprig's int, int64, float64 use)
export function trimZeroDecimal(s: string): string {
  let foundZero = false;
  for (let i = s.length; i > 0; i--) {
    switch (s[i - 1]) {
      case '.': if (foundZero) return s.slice(0, i - 1); break;
      case '0': foundZero = true; break;
      default: return s;
    }
  }
  return s;
}

export const MIN_INT64 = -(2n ** 63n);

/** Go's int64(f) on amd64: out of range (and NaN) gives the minimum int64. */
export function floatToInt64(f: number): bigint {
  if (Number.isNaN(f) || f >= 2 ** 63 || f < -(2 ** 63)) return MIN_INT64;
  return BigInt(Math.trunc(f));
}

export function toInt64(v: GoValue): bigint {
  if (v instanceof GoInt) return BigInt.asIntN(64, v.value);
  if (typeof v === 'number') return floatToInt64(v);
  if (typeof v === 'boolean') return v ? 1n : 0n;
  const s = typeof v === 'string' ? v : v instanceof JsonNumber ? v.text : undefined;
  if (s === undefined) return 0n;
  const t = trimZeroDecimal(s);
  const m = /^([+-]?)(0[xX][0-9a-fA-F]+|0[bB][01]+|0[oO]?[0-7]+|[1-9][0-9]*|0)$/.exec(t);
  if (m === null) return 0n;
  let body = m[2] ?? '0';
  if (/^0[0-7]+$/.test(body)) body = '0o' + body.slice(1);
  const n = BigInt(body) * (m[1] === '-' ? -1n : 1n);
  return n >= -(2n ** 63n) && n < 2n ** 63n ? n : 0n;
}

export function toFloat64(v: GoValue): number {
  if (typeof v === 'number') return v;
  if (v instanceof GoInt) return Number(v.value);
  if (typeof v === 'boolean') return v ? 1 : 0;
  const s = typeof v === 'string' ? v : v instanceof JsonNumber ? v.text : undefined;
  if (s === undefined) return 0;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s) && !/^[+-]?(inf|infinity|nan)$/i.test(s)) return 0;
  const f = /^[+-]?nan$/i.test(s) ? NaN : /inf/i.test(s) ? (s.startsWith('-') ? -Infinity : Infinity) : Number(s);
  return f;
}

export const int64 = (n: bigint): GoInt => goInt(BigInt.asIntN(64, n), 'int64');
export const intv = (n: bigint | number): GoInt => goInt(BigInt.asIntN(64, BigInt(n)), 'int');

export function listItems(name: string, list: GoValue): GoValue[] {
  if (list instanceof GoSlice) return list.items;
  // sprig names reflect's Kind, not the type
  throw goError(name === 'chunk' ? `Cannot chunk type ${goKind(list)}` : `Cannot ${name} on type ${goKind(list)}`);
}

/** sprig's list helpers panic on a non-list; a nil list dereferences a nil reflect.Type. */
export function listOrPanic(verb: string, list: GoValue): GoValue[] {
  if (list === null || list === undefined) throw panicError('invalid memory address or nil pointer dereference');
  return listItems(verb, list);
}

export function deepEqual(a: GoValue, b: GoValue): boolean {
  if (typeOf(a) !== typeOf(b)) return false;
  if (a instanceof GoInt && b instanceof GoInt) return a.value === b.value;
  if (a instanceof JsonNumber && b instanceof JsonNumber) return a.text === b.text;
  if (a instanceof GoSlice && b instanceof GoSlice) return a.items.length === b.items.length && a.items.every((x, i) => deepEqual(x, b.items[i]));
  if (a instanceof GoMap && b instanceof GoMap) {
    if (a.entries.size !== b.entries.size) return false;
    for (const [k, v] of a.entries) if (!b.entries.has(k) || !deepEqual(v, b.entries.get(k))) return false;
    return true;
  }
  return a === b || (a === null && b === null);
}

export function msi(entries: Map<GoValue, GoValue>): GoMap {
  return new GoMap(MSI, 'string', 'interface {}', entries);
}

export function regexOrThrow(expr: string): ReturnType<typeof compileGoRegexp> {
  try {
    return compileGoRegexp(expr);
  } catch (error) {
    if (error instanceof RegexpError) throw goError(error.message);
    throw error;
  }
}

// decimal arithmetic as shopspring/decimal does for addf/subf/mulf/divf
export interface Dec { m: bigint; e: number }
export function dec(f: number): Dec {
  const s = String(f);
  const match = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(s);
  if (match === null) return { m: 0n, e: 0 };
  const frac = match[3] ?? '';
  const m = BigInt((match[1] ?? '') + (match[2] ?? '0') + frac);
  return { m, e: Number(match[4] ?? '0') - frac.length };
}
export function align(a: Dec, b: Dec): [bigint, bigint, number] {
  const e = Math.min(a.e, b.e);
  return [a.m * 10n ** BigInt(a.e - e), b.m * 10n ** BigInt(b.e - e), e];
}
export function decToFloat(d: Dec): number {
  return Number(`${d.m}e${d.e}`);
}
export function decOp(op: 'add' | 'sub' | 'mul' | 'div', a: Dec, b: Dec): Dec {
  if (op === 'mul') return { m: a.m * b.m, e: a.e + b.e };
  if (op === 'div') {
    if (b.m === 0n) throw goError('decimal division by 0');
    const precision = 16;
    const [x, y] = align(a, b);
    const scaled = (x * 10n ** BigInt(precision + 1)) / y;
    const rounded = (scaled + (scaled >= 0n ? 5n : -5n)) / 10n;
    return { m: rounded, e: -precision };
  }
  const [x, y, e] = align(a, b);
  return { m: op === 'add' ? x + y : x - y, e };
}

export function timeStruct(epochMs: number): GoStruct {
  return new GoStruct(timeType, [goInt(BigInt(Math.floor(epochMs)), 'int64')]);
}
export const timeType = structType('time.Time', [{ name: 'ms', type: 'int64' }], new Map<string, GoFunction>([
  ['Unix', fn([], (a) => int64(BigInt(Math.floor(Number(((a[0] as GoStruct).values[0] as GoInt).value) / 1000))), { returnsError: false })],
  ['String', fn([], (a) => formatGoTime(new Date(Number(((a[0] as GoStruct).values[0] as GoInt).value)), '2006-01-02 15:04:05.999999999 -0700 MST'), { returnsError: false })],
]));

export function dateValue(v: GoValue, now: () => Date): Date {
  if (v instanceof GoStruct && v.type === timeType) return new Date(Number((v.values[0] as GoInt).value));
  if (v instanceof GoInt && (v.kind === 'int64' || v.kind === 'int' || v.kind === 'int32')) return new Date(Number(v.value) * 1000);
  return now();
}

export function compileRegexPanicking(expr: string): ReturnType<typeof compileGoRegexp> {
  try {
    return compileGoRegexp(expr);
  } catch (error) {
    // sprig uses regexp.MustCompile here: a bad pattern panics
    if (error instanceof RegexpError) throw new GoError(`regexp: Compile(${regexpQuote(expr)}): ${error.message}`);
    throw error;
  }
}

/** regexp's quote(): backquoted when strconv.CanBackquote, else strconv.Quote. */
export function regexpQuote(s: string): string {
  const canBackquote = !/[`\u0000-\u0008\u000a-\u001f\u007f\ufeff]/.test(s);
  return canBackquote ? '`' + s + '`' : goQuote(s);
}

export function repeatGo(s: string, count: number | bigint): string {
  try {
    return repeatGoStrings(s, count);
  } catch (error) {
    if (error instanceof RepeatError) throw goError(error.message);
    throw error;
  }
}

/** strings.Replace(s, old, new, -1): an empty old matches at every rune boundary. */
export function replaceAllGo(s: string, from: string, to: string): string {
  if (from === '') return to + Array.from(s).join(to) + (s === '' ? '' : to);
  return s.split(from).join(to);
}

export function wrapOrPanic(s: string, length: number, newLine: string, wrapLongWords: boolean): string {
  try {
    return wrapCustom(s, length, newLine, wrapLongWords);
  } catch (error) {
    if (error instanceof Error && error.message.startsWith('slice bounds')) throw panicError(error.message);
    throw error;
  }
}

export function isUpperOrTitle(c: string): boolean {
  return /[\p{Lu}\p{Lt}]/u.test(c);
}

/** Go would try to allocate such a slice and run the pod out of memory; we refuse it clearly. */
export const MAX_SEQUENCE_LENGTH = 1_000_000;

export function checkSequenceLength(name: string, start: number, stop: number, step: number): void {
  const length = step === 0 ? 0 : Math.ceil((stop - start) / step);
  if (length > MAX_SEQUENCE_LENGTH) throw goError(`${name}: a sequence of ${length} numbers is over the limit of ${MAX_SEQUENCE_LENGTH}`);
}

export function untilStep(start: number, stop: number, step: number, name = 'untilStep'): GoSlice {
  const out: GoValue[] = [];
  if (step === 0) return new GoSlice('[]int', 'int', out);
  checkSequenceLength(name, start, stop, step);
  if (stop < start && step < 0) for (let i = start; i > stop; i += step) out.push(intv(i));
  else if (stop > start && step > 0) for (let i = start; i < stop; i += step) out.push(intv(i));
  // sprig appends one by one to []int{}
  return new GoSlice('[]int', 'int', out, false, appendedCapacity(out.length, 8, false));
}

/** mergo.Merge (overwrite: MergeWithOverwrite) of map[string]interface{} values, deep. */
/** copystructure.Copy of template values: maps and slices are copied, the rest shared. */
export function deepCopy(v: GoValue): GoValue {
  if (v instanceof GoMap) return new GoMap(v.type, v.keyType, v.elemType, new Map(Array.from(v.entries, ([k, x]) => [k, deepCopy(x)] as [GoValue, GoValue])));
  // copystructure appends element by element
  if (v instanceof GoSlice) return new GoSlice(v.type, v.elemType, v.items.map(deepCopy), false, appendedCapacity(v.items.length));
  return v;
}

/** fmt.Sprint of one value. */
export function strvalSprint(v: GoValue): string {
  return sprint([v ?? null]);
}

export function goKind(v: GoValue): string {
  const k = kindOf(v ?? null);
  switch (k) {
    case 'invalid': case 'interface': return 'invalid';
    case 'float': return 'float64';
    case 'int': case 'uint': return (v as GoInt).kind;
    case 'complex': return 'complex128';
  }
  return k;
}

export function cleanPath(p: string): string {
  if (p === '') return '.';
  const rooted = p.startsWith('/');
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (!rooted) out.push('..');
      continue;
    }
    out.push(part);
  }
  const s = (rooted ? '/' : '') + out.join('/');
  return s === '' ? '.' : s;
}

export const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
export function base32Encode(bytes: Uint8Array): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) { out += B32[(value >>> (bits - 5)) & 31]; bits -= 5; }
  }
  if (bits > 0) out += B32[(value << (5 - bits)) & 31];
  while (out.length % 8 !== 0) out += '=';
  return out;
}
export function base32Decode(s: string): string {
  const clean = s.replace(/=+$/, '');
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (let i = 0; i < clean.length; i++) {
    const v = B32.indexOf(clean[i]!);
    if (v < 0) return `illegal base32 data at input byte ${i}`;
    value = (value << 5) | v;
    bits += 5;
    if (bits >= 8) { out.push((value >>> (bits - 8)) & 255); bits -= 8; }
  }
  return utf8String(Uint8Array.from(out));
}
