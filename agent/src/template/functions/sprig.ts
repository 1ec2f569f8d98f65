// The sprig (v3.2.3) functions consul-template exposes under `sprig_`: the commonly used string,
// list, dict, default/flow, conversion, math, encoding, regex, path and date helpers, each with
// sprig's Go signature. Functions not listed here are not provided (a template using one fails to
// parse with `function "sprig_x" not defined`).
import { createHash, randomBytes } from 'node:crypto';
import { sprintf } from '../format.ts';
import { GoInt, GoMap, GoSlice, INTERFACE_LAYOUT, SLICE_INTERFACE, appendedCap, appendedInterfaceSlice, grownCap, interfaceSlice, kindOf, reslice, stringSlice, typeOf } from '../values.ts';
import type { GoFunction, GoValue } from '../values.ts';
import { base64Decode, base64Encode, CorruptInputError, STD as base64StdAlphabet } from './base64.ts';
import { fn, goError, panicError } from './define.ts';
import { abbrev, abbrevboth, initials } from './goutils.ts';
import { toCamelCase, toKebabCase, toSnakeCase } from './xstrings.ts';
import { asMappedRune, compareGoStrings, goQuote, goTitle, goToLower, goToUpper, isGoSpace, splitGo, toTitleRune, trimCutset, trimSpace, utf8Bytes, utf8String } from './gostrings.ts';
import { JsonError, marshalJson, unmarshalJson } from './json.ts';
import { allMatches, compileGoRegexp, matchString, replaceAllLiteralString, replaceAllString, splitRegexp } from './regexp.ts';
import { goDuration, parseGoDuration } from './gotime.ts';
import { mergeInto } from './maps.ts';
import { semverFunctions } from './semver.ts';
import { urlFunctions } from './sprig-url.ts';
import { cryptoFunctions } from './sprig-crypto.ts';
import { bcryptFunctions } from './sprig-bcrypt.ts';
import { certificateFunctions } from './sprig-certs.ts';
import { dateFunctions, sinceNanos } from './sprig-date.ts';
import { processLocalLocation, type GoLocation } from './gozone.ts';
import { GoTime } from './timevalue.ts';

import { deepCopy, floatToInt64, strvalSprint, MSI, strval, strslice, isEmpty, toInt64, toFloat64, int64, intv, checkSequenceLength, listItems, listOrPanic, deepEqual, msi, regexOrThrow, dec, decToFloat, decOp, compileRegexPanicking, repeatGo, replaceAllGo, wrapOrPanic, isUpperOrTitle, untilStep, goKind, cleanPath, base32Encode, base32Decode } from './sprig-values.ts';

/** unicode.IsLower: category Ll. */
const LOWER_LETTER = /^\p{Ll}$/u;

export interface SprigEnvironment {
  env(name: string): string | undefined;
  now(): Date;
  /** time.Local for toDate (default: this process's, from TZ as Go reads it) */
  local?: GoLocation | undefined;
}

type GoRegexp = ReturnType<typeof compileGoRegexp>;

/** Regexp.FindAllString: nil without a match, else made with capacity 10 and appended to. */
function findAllSlice(re: GoRegexp, s: string, n: number): GoSlice {
  const found = allMatches(re, s, n).map((x) => x[0]);
  if (found.length === 0) return new GoSlice('[]string', 'string', [], true);
  return new GoSlice('[]string', 'string', found, false, appendedCap(found.length, INTERFACE_LAYOUT, 10));
}

/** Regexp.Split: made with the number of matches as capacity, and appended to. */
function splitSlice(re: GoRegexp, s: string, n: number): GoSlice {
  const { parts, matches } = splitRegexp(re, s, n);
  if (parts === null) return new GoSlice('[]string', 'string', [], true);
  return new GoSlice('[]string', 'string', parts, false, appendedCap(parts.length, INTERFACE_LAYOUT, matches));
}

export function sprigFunctions(environment: SprigEnvironment): Map<string, GoFunction> {
  const m = new Map<string, GoFunction>();
  const noErr = { returnsError: false };
  const s1 = (name: string, f: (s: string) => GoValue): void => { m.set(name, fn(['string'], (a) => f(a[0] as string), noErr)); };
  const s2 = (name: string, f: (a: string, b: string) => GoValue): void => { m.set(name, fn(['string', 'string'], (a) => f(a[0] as string, a[1] as string), noErr)); };
  const num = (v: GoValue): number => Number((v as GoInt).value);

  // strings
  s1('trim', trimSpace);
  s1('upper', goToUpper);
  s1('lower', goToLower);
  s1('title', goTitle);
  // goutils.Uncapitalize: over []rune(s) (invalid bytes become U+FFFD), the first rune after
  // unicode.IsSpace (or at the start) through unicode.ToLower
  s1('untitle', (s) => {
    let next = true;
    return Array.from(s, (raw) => {
      const c = asMappedRune(raw);
      if (isGoSpace(c.codePointAt(0)!)) { next = true; return c; }
      if (!next) return c;
      next = false;
      return goToLower(c);
    }).join('');
  });
  s2('trimAll', (cut, s) => trimCutset(s, cut));
  s2('trimPrefix', (p, s) => (p !== '' && s.startsWith(p) ? s.slice(p.length) : s));
  s2('trimSuffix', (p, s) => (p !== '' && s.endsWith(p) ? s.slice(0, s.length - p.length) : s));
  // goutils.DeleteWhiteSpace walks bytes and writes each kept byte as a rune (so non-ASCII text
  // comes out as Latin-1 look-alikes, and the bytes 0x85 and 0xA0 count as spaces)
  s1('nospace', (s) => {
    const bytes = utf8Bytes(s);
    const kept = Array.from(bytes).filter((b) => !isGoSpace(b));
    return kept.length === bytes.length ? s : kept.map((b) => String.fromCharCode(b)).join('');
  });
  // goutils.SwapCase over []rune(s): upper and title case to lower; a lower-case letter to title
  // case at the start or after unicode.IsSpace, else to upper case
  s1('swapcase', (s) => {
    let afterSpace = true;
    return Array.from(s, (raw) => {
      const c = asMappedRune(raw);
      if (isUpperOrTitle(c)) { afterSpace = false; return goToLower(c); }
      if (LOWER_LETTER.test(c)) {
        const swapped = afterSpace ? toTitleRune(c) : goToUpper(c);
        afterSpace = false;
        return swapped;
      }
      afterSpace = isGoSpace(c.codePointAt(0)!);
      return c;
    }).join('');
  });
  s2('contains', (sub, s) => s.includes(sub));
  s2('hasPrefix', (p, s) => s.startsWith(p));
  s2('hasSuffix', (p, s) => s.endsWith(p));
  m.set('replace', fn(['string', 'string', 'string'], (a) => replaceAllGo(a[2] as string, a[0] as string, a[1] as string), noErr));
  m.set('repeat', fn(['int', 'string'], (a) => repeatGo(a[1] as string, (a[0] as GoInt).value), noErr));
  m.set('substr', fn(['int', 'int', 'string'], (a) => {
    const start = num(a[0]);
    const end = num(a[1]);
    const bytes = utf8Bytes(a[2] as string);
    const n = bytes.length;
    if (start < 0) {
      if (end < 0) throw panicError(`slice bounds out of range [:${end}]`);
      if (end > n) throw panicError(`slice bounds out of range [:${end}] with length ${n}`);
      return utf8String(bytes.slice(0, end));
    }
    if (end < 0 || end > n) {
      if (start > n) throw panicError(`slice bounds out of range [${start}:${n}]`);
      return utf8String(bytes.slice(start));
    }
    if (start > end) throw panicError(`slice bounds out of range [${start}:${end}]`);
    return utf8String(bytes.slice(start, end));
  }, noErr));
  m.set('trunc', fn(['int', 'string'], (a) => {
    const c = num(a[0]);
    const s = a[1] as string;
    const bytes = utf8Bytes(s);
    if (c < 0 && bytes.length + c > 0) return utf8String(bytes.slice(bytes.length + c));
    if (c >= 0 && bytes.length > c) return utf8String(bytes.slice(0, c));
    return s;
  }, noErr));
  m.set('quote', fn(['interface {}'], (a) => a.filter((v) => v !== null && v !== undefined).map((v) => goQuote(strval(v))).join(' '), { variadic: true, returnsError: false }));
  m.set('squote', fn(['interface {}'], (a) => a.filter((v) => v !== null && v !== undefined).map((v) => `'${strval(v)}'`).join(' '), { variadic: true, returnsError: false }));
  m.set('cat', fn(['interface {}'], (a) => {
    const vals = a.filter((v) => v !== null && v !== undefined);
    return sprintf(vals.map(() => '%v').join(' '), vals);
  }, { variadic: true, returnsError: false }));
  m.set('indent', fn(['int', 'string'], (a) => {
    const pad = repeatGo(' ', (a[0] as GoInt).value);
    return pad + (a[1] as string).split('\n').join('\n' + pad);
  }, noErr));
  m.set('nindent', fn(['int', 'string'], (a) => {
    const pad = repeatGo(' ', (a[0] as GoInt).value);
    return '\n' + pad + (a[1] as string).split('\n').join('\n' + pad);
  }, noErr));
  m.set('abbrev', fn(['int', 'string'], (a) => abbrev(num(a[0]), a[1] as string), noErr));
  m.set('abbrevboth', fn(['int', 'int', 'string'], (a) => abbrevboth(num(a[0]), num(a[1]), a[2] as string), noErr));
  s1('initials', initials);
  s1('snakecase', toSnakeCase);
  s1('camelcase', toCamelCase);
  s1('kebabcase', toKebabCase);
  m.set('wrap', fn(['int', 'string'], (a) => wrapOrPanic(a[1] as string, num(a[0]), '', false), noErr));
  m.set('wrapWith', fn(['int', 'string', 'string'], (a) => wrapOrPanic(a[2] as string, num(a[0]), a[1] as string, true), noErr));
  m.set('plural', fn(['string', 'string', 'int'], (a) => (num(a[2]) === 1 ? a[0] : a[1]) as string, noErr));
  s1('sha256sum', (s) => createHash('sha256').update(utf8Bytes(s)).digest('hex'));
  s1('sha512sum', (s) => createHash('sha512').update(utf8Bytes(s)).digest('hex'));
  // xstrings.Shuffle: a random permutation of the runes (crypto randomness here)
  s1('shuffle', (s) => {
    const runes = Array.from(s, asMappedRune); // []rune(s): invalid bytes become U+FFFD
    for (let i = runes.length - 1; i > 0; i--) {
      const j = randomBytes(4).readUInt32BE(0) % (i + 1);
      [runes[i], runes[j]] = [runes[j]!, runes[i]!];
    }
    return runes.join('');
  });
  s1('sha1sum', (s) => createHash('sha1').update(utf8Bytes(s)).digest('hex'));
  s1('adler32sum', (s) => {
    let x = 1;
    let y = 0;
    for (const b of utf8Bytes(s)) { x = (x + b) % 65521; y = (y + x) % 65521; }
    return String(((y << 16) | x) >>> 0);
  });
  m.set('toString', fn(['interface {}'], (a) => strval(a[0]), noErr));
  m.set('toStrings', fn(['interface {}'], (a) => strslices(a[0], strslice(a[0])), noErr));
  s1('atoi', (s) => intv(/^[+-]?\d+$/.test(s) && BigInt(s) < 2n ** 63n && BigInt(s) >= -(2n ** 63n) ? BigInt(s) : 0n));
  m.set('int64', fn(['interface {}'], (a) => int64(toInt64(a[0])), noErr));
  m.set('int', fn(['interface {}'], (a) => intv(toInt64(a[0])), noErr));
  m.set('float64', fn(['interface {}'], (a) => toFloat64(a[0]), noErr));
  s2('split', (sep, s) => new GoMap('map[string]string', 'string', 'string', new Map(splitGo(s, sep).map((part, i) => [`_${i}`, part] as [GoValue, GoValue]))));
  s2('splitList', (sep, s) => stringSlice(splitGo(s, sep)));
  m.set('splitn', fn(['string', 'int', 'string'], (a) => new GoMap('map[string]string', 'string', 'string', new Map(splitGo(a[2] as string, a[0] as string, num(a[1])).map((part, i) => [`_${i}`, part] as [GoValue, GoValue]))), noErr));
  s1('b64enc', (s) => base64Encode(utf8Bytes(s), base64StdAlphabet, true));
  s1('b64dec', (s) => {
    try {
      return utf8String(base64Decode(s, base64StdAlphabet));
    } catch (error) {
      if (error instanceof CorruptInputError) return error.message;
      throw error;
    }
  });
  s1('b32enc', (s) => base32Encode(utf8Bytes(s)));
  s1('b32dec', (s) => base32Decode(s));

  // strslice: a []string as it is, else make([]string, 0, len(v)) filled
  const strslices = (input: GoValue, items: string[]): GoSlice => new GoSlice('[]string', 'string', items, false,
    input instanceof GoSlice ? (input.type === '[]string' ? input.cap : input.items.length) : items.length);
  m.set('list', fn(['interface {}'], (a) => interfaceSlice(a.slice()), { variadic: true, returnsError: false }));
  m.set('tuple', fn(['interface {}'], (a) => interfaceSlice(a.slice()), { variadic: true, returnsError: false }));
  const listFn = (name: string, verb: string, f: (items: GoValue[]) => GoValue): void => {
    m.set(name, fn(['interface {}'], (a) => f(listOrPanic(verb, a[0])), noErr));
    // reflect.TypeOf(nil).Kind() panics in the must* forms too
    m.set('must' + name[0]!.toUpperCase() + name.slice(1), fn(['interface {}'], (a) => f(listOrPanic(verb, a[0]))));
  };
  listFn('first', 'find first', (items) => (items.length === 0 ? null : items[0]));
  listFn('last', 'find last', (items) => (items.length === 0 ? null : items[items.length - 1]));
  // rest and initial return []interface{}: an empty list gives a nil slice of that type
  const nilList = (): GoSlice => new GoSlice('[]interface {}', 'interface {}', [], true);
  listFn('rest', 'find rest', (items) => (items.length === 0 ? nilList() : interfaceSlice(items.slice(1))));
  listFn('initial', 'find initial', (items) => (items.length === 0 ? nilList() : interfaceSlice(items.slice(0, -1))));
  listFn('reverse', 'find reverse', (items) => interfaceSlice(items.slice().reverse()));
  listFn('uniq', 'find uniq', (items) => {
    const out: GoValue[] = [];
    for (const item of items) if (!out.some((o) => deepEqual(o, item))) out.push(item);
    return appendedInterfaceSlice(out);
  });
  listFn('compact', 'compact', (items) => appendedInterfaceSlice(items.filter((i) => !isEmpty(i))));
  // push appends v to a copy of exactly the list's length; prepend appends the list to []interface{}{v}:
  // the capacity is append's
  const appendFn = (name: string, f: (items: GoValue[], v: GoValue) => GoValue[]): void => {
    const verb = name === 'prepend' ? 'prepend' : 'push';
    const grown = (items: GoValue[]): GoSlice => new GoSlice(SLICE_INTERFACE, 'interface {}', items, false,
      name === 'prepend' ? grownCap(1, items.length) : grownCap(items.length - 1, items.length));
    m.set(name, fn(['interface {}', 'interface {}'], (a) => grown(f(listOrPanic(verb, a[0]), a[1])), noErr));
    m.set('must' + name[0]!.toUpperCase() + name.slice(1), fn(['interface {}', 'interface {}'], (a) => grown(f(listOrPanic(verb, a[0]), a[1]))));
  };
  appendFn('append', (items, v) => [...items, v]);
  appendFn('push', (items, v) => [...items, v]);
  appendFn('prepend', (items, v) => [v, ...items]);
  m.set('mustHas', fn(['interface {}', 'interface {}'], (a) => {
    const list = a[1];
    if (list === null || list === undefined) return false;
    return listItems('find has', list).some((item) => deepEqual(item, a[0]));
  }));
  m.set('mustWithout', fn(['interface {}', 'interface {}'], (a) => {
    const [list, ...omit] = a;
    return appendedInterfaceSlice(listOrPanic('find without', list).filter((item) => !omit.some((o) => deepEqual(o, item))));
  }, { variadic: true }));
  m.set('has', fn(['interface {}', 'interface {}'], (a) => {
    const list = a[1];
    if (list === null || list === undefined) return false;
    return listItems('find has', list).some((item) => deepEqual(item, a[0]));
  }, noErr));
  m.set('without', fn(['interface {}', 'interface {}'], (a) => {
    const [list, ...omit] = a;
    return appendedInterfaceSlice(listOrPanic('find without', list).filter((item) => !omit.some((o) => deepEqual(o, item))));
  }, { variadic: true, returnsError: false }));
  m.set('join', fn(['string', 'interface {}'], (a) => strslice(a[1]).join(a[0] as string), noErr));
  m.set('sortAlpha', fn(['interface {}'], (a) => {
    if (a[0] instanceof GoSlice) return strslices(a[0], strslice(a[0]).slice().sort(compareGoStrings));
    return stringSlice([strval(a[0])]);
  }, noErr));
  // sprig v3: the list keeps its own type, an empty list gives nil, a non-list is an error
  // (mustSlice) or a panic with the same text (slice)
  const sliceOf = (a: GoValue[]): GoValue => {
    const list = a[0];
    if (list === null || list === undefined) throw panicError('invalid memory address or nil pointer dereference');
    if (!(list instanceof GoSlice)) throw goError(`list should be type of slice or array but ${goKind(list)}`);
    const items = list.items;
    if (items.length === 0) return null;
    const start = a.length > 1 ? Number(toInt64(a[1])) : 0;
    const end = a.length > 2 ? Number(toInt64(a[2])) : items.length;
    // reflect.Value.Slice checks against cap, and keeps the rest of the capacity
    if (start < 0 || end < start || end > list.cap) throw goError('reflect.Value.Slice: slice index out of bounds');
    const sliced = reslice(list, start, end);
    if (list.type.startsWith('[]')) return sliced;
    return new GoSlice(`[]${list.elemType}`, list.elemType, sliced.items, false, sliced.cap, sliced.beyond);
  };
  m.set('slice', fn(['interface {}', 'interface {}'], sliceOf, { variadic: true, returnsError: false }));
  m.set('mustSlice', fn(['interface {}', 'interface {}'], sliceOf, { variadic: true }));
  m.set('concat', fn(['interface {}'], (a) => {
    if (a.length === 0) return new GoSlice('[]interface {}', 'interface {}', [], true);
    const items = a.flatMap((l) => {
      if (l === null || l === undefined) throw panicError('invalid memory address or nil pointer dereference');
      if (!(l instanceof GoSlice)) throw goError(`Cannot concat type ${goKind(l)} as list`);
      return l.items;
    });
    // `var res []interface{}` that nothing was appended to stays nil
    return items.length === 0 ? new GoSlice(SLICE_INTERFACE, 'interface {}', [], true) : appendedInterfaceSlice(items);
  }, { variadic: true, returnsError: false }));
  const chunkOf = (a: GoValue[]): GoValue => {
    const size = num(a[0]);
    const list = a[1];
    if (list === null || list === undefined) throw panicError('invalid memory address or nil pointer dereference');
    if (!(list instanceof GoSlice)) throw goError(`Cannot chunk type ${goKind(list)}`);
    const items = list.items;
    // sprig's float arithmetic and Go's float-to-int conversion: a zero or negative size gives
    // NaN, infinities or negative lengths, which make() refuses
    const asInt = (f: number): number => Number(floatToInt64(f));
    const count = asInt(Math.floor((items.length - 1) / size) + 1);
    if (count < 0) throw panicError('makeslice: len out of range');
    const out: GoValue[] = [];
    for (let i = 0; i < count; i++) {
      let length = size;
      if (i === count - 1) {
        length = asInt(Math.floor(items.length % size));
        if (length === 0) length = size;
      }
      if (length < 0) throw panicError('makeslice: len out of range');
      const start = i * size;
      if (start + length > items.length) throw goError('reflect: slice index out of range');
      out.push(interfaceSlice(items.slice(start, start + length)));
    }
    return new GoSlice('[][]interface {}', '[]interface {}', out);
  };
  m.set('chunk', fn(['int', 'interface {}'], chunkOf, noErr));
  m.set('mustChunk', fn(['int', 'interface {}'], chunkOf));
  m.set('until', fn(['int'], (a) => untilStep(0, num(a[0]), num(a[0]) >= 0 ? 1 : -1, 'until'), noErr));
  m.set('untilStep', fn(['int', 'int', 'int'], (a) => untilStep(num(a[0]), num(a[1]), num(a[2])), noErr));
  m.set('seq', fn(['int'], (a) => {
    const p = a.map(num);
    let start = 1; let end = 0; let step = 1;
    if (p.length === 1) { end = p[0]!; if (end < 1) step = -1; }
    else if (p.length === 2) { start = p[0]!; end = p[1]!; step = start > end ? -1 : 1; }
    else if (p.length === 3) { start = p[0]!; step = p[1]!; end = p[2]!; if (end < start && step > 0 || end > start && step < 0 || step === 0) return ''; }
    else return '';
    checkSequenceLength('seq', start, end + step, step);
    const out: number[] = [];
    for (let i = start; step > 0 ? i <= end : i >= end; i += step) out.push(i);
    return out.join(' ');
  }, { variadic: true, returnsError: false }));

  // dicts
  m.set('dict', fn(['interface {}'], (a) => {
    const entries = new Map<GoValue, GoValue>();
    for (let i = 0; i < a.length; i += 2) entries.set(strval(a[i]), i + 1 < a.length ? a[i + 1] : '');
    return msi(entries);
  }, { variadic: true, returnsError: false }));
  m.set('get', fn([MSI, 'string'], (a) => {
    const d = a[0] as GoMap;
    return d.entries.has(a[1] as string) ? d.entries.get(a[1] as string) : '';
  }, noErr));
  m.set('set', fn([MSI, 'string', 'interface {}'], (a) => {
    // Go panics on a write to a nil map; reading one (hasKey, get) is fine
    if (a[0] === null || (a[0] as GoMap).isNil) throw goError('assignment to entry in nil map');
    (a[0] as GoMap).entries.set(a[1] as string, a[2]);
    return a[0];
  }, noErr));
  m.set('unset', fn([MSI, 'string'], (a) => {
    (a[0] as GoMap).entries.delete(a[1] as string);
    return a[0];
  }, noErr));
  m.set('hasKey', fn([MSI, 'string'], (a) => (a[0] as GoMap).entries.has(a[1] as string), noErr));
  m.set('pluck', fn(['string', MSI], (a) => {
    const key = a[0] as string;
    return appendedInterfaceSlice((a.slice(1) as GoMap[]).filter((d) => d.entries.has(key)).map((d) => d.entries.get(key)));
  }, { variadic: true, returnsError: false }));
  m.set('keys', fn([MSI], (a) => {
    const keys = (a as GoMap[]).flatMap((d) => Array.from(d.entries.keys()) as string[]);
    return new GoSlice('[]string', 'string', keys, false, appendedCap(keys.length));
  }, { variadic: true, returnsError: false }));
  m.set('values', fn([MSI], (a) => appendedInterfaceSlice(Array.from((a[0] as GoMap).entries.values())), noErr));
  m.set('pick', fn([MSI, 'string'], (a) => {
    const d = a[0] as GoMap;
    const out = new Map<GoValue, GoValue>();
    for (const k of a.slice(1) as string[]) if (d.entries.has(k)) out.set(k, d.entries.get(k));
    return msi(out);
  }, { variadic: true, returnsError: false }));
  m.set('omit', fn([MSI, 'string'], (a) => {
    const d = a[0] as GoMap;
    const omit = new Set(a.slice(1) as string[]);
    const out = new Map<GoValue, GoValue>();
    for (const [k, v] of d.entries) if (!omit.has(k as string)) out.set(k, v);
    return msi(out);
  }, { variadic: true, returnsError: false }));
  // dig asserts its dictionary, then each key, then each step: a failed assertion is Go's panic
  const assertion = (v: GoValue, want: string): string => `interface conversion: interface {} is ${v === null || v === undefined ? 'nil' : typeOf(v)}, not ${want}`;
  m.set('dig', fn(['interface {}'], (a) => {
    if (a.length < 3) throw goError('dig needs at least three arguments');
    const dict = a[a.length - 1];
    if (!(dict instanceof GoMap) || dict.type !== 'map[string]interface {}') throw goError(assertion(dict, 'map[string]interface {}'));
    const def = a[a.length - 2];
    const keys = a.slice(0, -2).map((k) => {
      if (typeof k !== 'string') throw goError(assertion(k, 'string'));
      return k;
    });
    let cur: GoMap = dict;
    for (let i = 0; i < keys.length; i++) {
      if (!cur.entries.has(keys[i]!)) return def;
      const step = cur.entries.get(keys[i]!);
      if (i === keys.length - 1) return step;
      if (!(step instanceof GoMap) || step.type !== 'map[string]interface {}') throw goError(assertion(step, 'map[string]interface {}'));
      cur = step;
    }
    return def;
  }, { variadic: true }));
  for (const [name, overwrite, returnsError] of [['merge', false, false], ['mustMerge', false, true], ['mergeOverwrite', true, false], ['mustMergeOverwrite', true, true]] as const) {
    m.set(name, fn([MSI, MSI], (a) => {
      // mergo.Merge(&dst, src) for each src, as mergeMap does
      return mergeInto(a[0] as GoMap, a.slice(1) as GoMap[], overwrite);
    }, { variadic: true, returnsError }));
  }
  // copystructure.Copy(nil) asks reflect for the type of a zero Value
  const copyOf = (v: GoValue): GoValue => {
    if (v === null || v === undefined) throw goError('reflect: call of reflect.Value.Type on zero Value');
    return deepCopy(v);
  };
  m.set('deepCopy', fn(['interface {}'], (a) => copyOf(a[0]), noErr));
  m.set('mustDeepCopy', fn(['interface {}'], (a) => copyOf(a[0])));

  // defaults and flow
  m.set('default', fn(['interface {}', 'interface {}'], (a) => (a.length < 2 || isEmpty(a[1]) ? a[0] : a[1]), { variadic: true, returnsError: false }));
  m.set('empty', fn(['interface {}'], (a) => isEmpty(a[0]), noErr));
  m.set('coalesce', fn(['interface {}'], (a) => a.find((v) => !isEmpty(v)) ?? null, { variadic: true, returnsError: false }));
  m.set('all', fn(['interface {}'], (a) => a.every((v) => !isEmpty(v)), { variadic: true, returnsError: false }));
  m.set('any', fn(['interface {}'], (a) => a.some((v) => !isEmpty(v)), { variadic: true, returnsError: false }));
  m.set('ternary', fn(['interface {}', 'interface {}', 'bool'], (a) => (a[2] === true ? a[0] : a[1]), noErr));
  m.set('fail', fn(['string'], (a) => { throw goError(a[0] as string); }));
  m.set('typeOf', fn(['interface {}'], (a) => typeOf(a[0] ?? null), noErr));
  m.set('typeIs', fn(['string', 'interface {}'], (a) => a[0] === typeOf(a[1] ?? null), noErr));
  m.set('typeIsLike', fn(['string', 'interface {}'], (a) => { const t = typeOf(a[1] ?? null); return a[0] === t || '*' + (a[0] as string) === t; }, noErr));
  m.set('kindOf', fn(['interface {}'], (a) => goKind(a[0]), noErr));
  m.set('kindIs', fn(['string', 'interface {}'], (a) => a[0] === goKind(a[1]), noErr));
  m.set('deepEqual', fn(['interface {}', 'interface {}'], (a) => deepEqual(a[0], a[1]), noErr));

  // json
  const json = (value: GoValue, escapeHtml: boolean, indent?: string): string => marshalJson(value, indent === undefined ? { escapeHtml } : { escapeHtml, indent });
  const safe = (run: () => string): string => { try { return run(); } catch (e) { if (e instanceof JsonError) return ''; throw e; } };
  const strict = (run: () => GoValue): GoValue => { try { return run(); } catch (e) { if (e instanceof JsonError) throw goError(e.message); throw e; } };
  m.set('toJson', fn(['interface {}'], (a) => safe(() => json(a[0], true)), noErr));
  m.set('toPrettyJson', fn(['interface {}'], (a) => safe(() => json(a[0], true, '  ')), noErr));
  m.set('toRawJson', fn(['interface {}'], (a) => safe(() => json(a[0], false)), noErr));
  m.set('mustToJson', fn(['interface {}'], (a) => strict(() => json(a[0], true))));
  m.set('mustToPrettyJson', fn(['interface {}'], (a) => strict(() => json(a[0], true, '  '))));
  m.set('mustToRawJson', fn(['interface {}'], (a) => strict(() => json(a[0], false))));
  m.set('fromJson', fn(['string'], (a) => { try { return unmarshalJson(a[0] as string); } catch (e) { if (e instanceof JsonError) return null; throw e; } }, noErr));
  m.set('mustFromJson', fn(['string'], (a) => strict(() => unmarshalJson(a[0] as string))));

  // math (int64 results, spf13/cast conversions)
  m.set('add1', fn(['interface {}'], (a) => int64(toInt64(a[0]) + 1n), noErr));
  m.set('add', fn(['interface {}'], (a) => int64(a.reduce<bigint>((s, v) => s + toInt64(v), 0n)), { variadic: true, returnsError: false }));
  m.set('sub', fn(['interface {}', 'interface {}'], (a) => int64(toInt64(a[0]) - toInt64(a[1])), noErr));
  m.set('mul', fn(['interface {}', 'interface {}'], (a) => int64(a.slice(1).reduce<bigint>((p, v) => p * toInt64(v), toInt64(a[0]))), { variadic: true, returnsError: false }));
  m.set('div', fn(['interface {}', 'interface {}'], (a) => {
    const d = toInt64(a[1]);
    if (d === 0n) throw panicError('integer divide by zero');
    return int64(toInt64(a[0]) / d);
  }, noErr));
  m.set('mod', fn(['interface {}', 'interface {}'], (a) => {
    const d = toInt64(a[1]);
    if (d === 0n) throw panicError('integer divide by zero');
    return int64(toInt64(a[0]) % d);
  }, noErr));
  const maxMin = (pickMax: boolean) => fn(['interface {}', 'interface {}'], (a) => {
    let best = toInt64(a[0]);
    for (const v of a.slice(1)) { const x = toInt64(v); if (pickMax ? x > best : x < best) best = x; }
    return int64(best);
  }, { variadic: true, returnsError: false });
  m.set('max', maxMin(true));
  m.set('biggest', maxMin(true));
  m.set('min', maxMin(false));
  // addf is (i ...interface{}) from 0; subf, mulf and divf are (a interface{}, v ...interface{})
  const decFn = (op: 'add' | 'sub' | 'mul' | 'div', init?: number) => fn(init === undefined ? ['interface {}', 'interface {}'] : ['interface {}'], (a) => {
    const values = init === undefined ? a : [init, ...a];
    if (values.length === 0) return 0;
    let acc = dec(toFloat64(values[0]));
    for (const v of values.slice(1)) acc = decOp(op, acc, dec(toFloat64(v)));
    return decToFloat(acc);
  }, { variadic: true, returnsError: false });
  m.set('addf', decFn('add', 0));
  m.set('add1f', fn(['interface {}'], (a) => decToFloat(decOp('add', dec(toFloat64(a[0])), dec(1))), noErr));
  m.set('subf', decFn('sub'));
  m.set('mulf', decFn('mul'));
  m.set('divf', decFn('div'));
  m.set('maxf', fn(['interface {}', 'interface {}'], (a) => Math.max(...a.map(toFloat64)), { variadic: true, returnsError: false }));
  m.set('minf', fn(['interface {}', 'interface {}'], (a) => Math.min(...a.map(toFloat64)), { variadic: true, returnsError: false }));
  m.set('floor', fn(['interface {}'], (a) => Math.floor(toFloat64(a[0])), noErr));
  m.set('ceil', fn(['interface {}'], (a) => Math.ceil(toFloat64(a[0])), noErr));
  m.set('round', fn(['interface {}', 'int', 'float64'], (a) => {
    const val = toFloat64(a[0]);
    const places = num(a[1]);
    const roundOn = a.length > 2 ? (a[2] as number) : 0.5;
    const pow = 10 ** places;
    const digit = pow * val;
    const frac = digit - Math.trunc(digit);
    const r = frac >= roundOn ? Math.ceil(digit) : Math.floor(digit);
    return r / pow;
  }, { variadic: true, returnsError: false }));

  // regex
  m.set('regexMatch', fn(['string', 'string'], (a) => { try { return matchString(compileGoRegexp(a[0] as string), a[1] as string); } catch { return false; } }, noErr));
  m.set('mustRegexMatch', fn(['string', 'string'], (a) => matchString(regexOrThrow(a[0] as string), a[1] as string)));
  m.set('regexFind', fn(['string', 'string'], (a) => { const re = compileRegexPanicking(a[0] as string); return allMatches(re, a[1] as string, 1)[0]?.[0] ?? ''; }, noErr));
  m.set('regexFindAll', fn(['string', 'string', 'int'], (a) => findAllSlice(compileRegexPanicking(a[0] as string), a[1] as string, num(a[2])), noErr));
  m.set('regexReplaceAll', fn(['string', 'string', 'string'], (a) => replaceAllString(compileRegexPanicking(a[0] as string), a[1] as string, a[2] as string), noErr));
  m.set('regexReplaceAllLiteral', fn(['string', 'string', 'string'], (a) => replaceAllLiteralString(compileRegexPanicking(a[0] as string), a[1] as string, a[2] as string), noErr));
  m.set('regexSplit', fn(['string', 'string', 'int'], (a) => splitSlice(compileRegexPanicking(a[0] as string), a[1] as string, num(a[2])), noErr));
  const mustRegex = (name: string, params: string[], run: (re: ReturnType<typeof compileGoRegexp>, a: GoValue[]) => GoValue): void => {
    m.set(name, fn(params, (a) => run(regexOrThrow(a[0] as string), a)));
  };
  mustRegex('mustRegexFind', ['string', 'string'], (re, a) => allMatches(re, a[1] as string, 1)[0]?.[0] ?? '');
  mustRegex('mustRegexFindAll', ['string', 'string', 'int'], (re, a) => findAllSlice(re, a[1] as string, num(a[2])));
  mustRegex('mustRegexReplaceAll', ['string', 'string', 'string'], (re, a) => replaceAllString(re, a[1] as string, a[2] as string));
  mustRegex('mustRegexReplaceAllLiteral', ['string', 'string', 'string'], (re, a) => replaceAllLiteralString(re, a[1] as string, a[2] as string));
  mustRegex('mustRegexSplit', ['string', 'string', 'int'], (re, a) => splitSlice(re, a[1] as string, num(a[2])));
  s1('regexQuoteMeta', (s) => s.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&'));

  // paths (package path)
  s1('base', (p) => { if (p === '') return '.'; const t = p.replace(/\/+$/, ''); if (t === '') return '/'; return t.slice(t.lastIndexOf('/') + 1); });
  s1('dir', (p) => { const i = p.lastIndexOf('/'); return cleanPath(p.slice(0, i + 1)); });
  s1('ext', (p) => { for (let i = p.length - 1; i >= 0 && p[i] !== '/'; i--) if (p[i] === '.') return p.slice(i); return ''; });
  s1('clean', cleanPath);
  s1('isAbs', (p) => p.startsWith('/'));
  // filepath on Linux is path
  for (const name of ['base', 'dir', 'ext', 'clean', 'isAbs']) m.set(`os${name[0]!.toUpperCase()}${name.slice(1)}`, m.get(name)!);
  s2('trimall', (cut, s) => trimCutset(s, cut));
  m.set('hello', fn([], () => 'Hello!', noErr));
  m.set('toDecimal', fn(['interface {}'], (a) => {
    const text = strvalSprint(a[0]);
    return int64(/^[+-]?[0-7]+$/.test(text) && BigInt('0o' + text.replace(/^[+-]/, '')) < 2n ** 63n ? BigInt('0o' + text.replace(/^[+-]/, '')) * (text.startsWith('-') ? -1n : 1n) : 0n);
  }, noErr));

  // sprig's random strings, uuidv4 and randBytes are non-hermetic: consul-template leaves them out
  m.set('randInt', fn(['int', 'int'], (a) => {
    const min = num(a[0]);
    const span = num(a[1]) - min;
    // math/rand panics with a plain string, not a runtime.Error: text/template reports it as is
    if (span <= 0) throw goError('invalid argument to Intn');
    return intv(min + (randomBytes(6).readUIntBE(0, 6) % span));
  }, noErr));
  // durationRound: a duration string (unparsable is 0) or an int64 of nanoseconds, in its largest unit
  m.set('durationRound', fn(['interface {}'], (a) => {
    const v = a[0];
    let d = 0n;
    if (typeof v === 'string') d = parseGoDuration(v) ?? 0n;
    else if (v instanceof GoInt && v.kind === 'int64' && v.named === undefined) d = BigInt.asIntN(64, v.value);
    else if (v instanceof GoTime) d = sinceNanos(v, environment.now());
    let u = BigInt.asUintN(64, d);
    if (d < 0n) u = BigInt.asUintN(64, -u);
    const hour = 3_600_000_000_000n;
    for (const [size, suffix] of [[hour * 24n * 365n, 'y'], [hour * 24n * 30n, 'mo'], [hour * 24n, 'd'], [hour, 'h'], [60_000_000_000n, 'm'], [1_000_000_000n, 's']] as const) {
      if (u > size) return `${u / size}${suffix}`;
    }
    return '0s';
  }, noErr));
  m.set('duration', fn(['interface {}'], (a) => {
    const v = a[0];
    let seconds = 0n;
    if (typeof v === 'string') seconds = /^[+-]?\d+$/.test(v) && BigInt(v) < 2n ** 63n && BigInt(v) >= -(2n ** 63n) ? BigInt(v) : 0n;
    else if (v instanceof GoInt && v.kind === 'int64' && v.named === undefined) seconds = v.value;
    return goDuration(BigInt.asIntN(64, seconds * 1_000_000_000n));
  }, noErr));

  // env, expandenv, now, date, dateInZone, dateModify, htmlDate* and getHostByName are not here:
  // consul-template registers sprig's HermeticTxtFuncMap, which drops them.
  const local = environment.local;
  for (const [name, f] of dateFunctions({ now: environment.now, local: () => local ?? processLocalLocation() })) m.set(name, f);
  for (const [name, f] of semverFunctions()) m.set(name, f);
  for (const [name, f] of urlFunctions()) m.set(name, f);
  for (const [name, f] of cryptoFunctions()) m.set(name, f);
  for (const [name, f] of bcryptFunctions()) m.set(name, f);
  for (const [name, f] of certificateFunctions(environment.now)) m.set(name, f);
  return m;
}
