// consul-template's helper functions (template/funcs.go), each with the Go signature it is
// registered with so that text/template's argument checks and error texts come out the same.
import { createHash, createHmac } from 'node:crypto';
import { marshalToml, TomlError } from './toml.ts';
import { GoInt, GoMap, GoSlice, JsonNumber, goInt, kindOf, stringSlice, typeOf } from '../values.ts';
import type { GoFunction, GoValue } from '../values.ts';
import { fn, goError, stringFn } from './define.ts';
import { xtextTitle } from './title.ts';
import { goTitle, goToLower, goToUpper, RepeatError, repeatGo, splitGo, trimCutset, trimSpace, utf8Bytes, utf8String } from './gostrings.ts';
import { JsonError, marshalJson, unmarshalJson } from './json.ts';
import { compileGoRegexp, matchString, replaceAllString, RegexpError } from './regexp.ts';
import { base64Decode, base64Encode, CorruptInputError, STD, URL } from './base64.ts';
import { formatTime } from './timeformat.ts';
import { UTC } from './gozone.ts';
import { timeFromDate } from './sprig-date.ts';
import { mathFunction } from './math.ts';
import { NumError, parseBool, parseFloat64, parseInt10, parseUint10 } from './strconv.ts';
import { marshalYaml, YamlError } from './yaml.ts';
import { unmarshalYaml } from './yaml/decode.ts';
import { scratchFunction } from './scratch.ts';

/** Decoded bytes as a Go string (bytes that are not UTF-8 are kept, escaped). */
function bytesToString(bytes: Uint8Array): string {
  return utf8String(bytes);
}

// ---------------------------------------------------------------------------------------------
// membership (consul-template's `in`)

function isIntKind(v: GoValue): v is GoInt { return v instanceof GoInt && v.signed; }
function isFloatKind(v: GoValue): v is number { return typeof v === 'number'; }

/** consul-template's in(l, v): a string list is searched with strings.Contains when v has the
 *  very same type (string and json.Number differ); a slice's elements compare by kind (ints with
 *  ints, floats with floats, strings only with the same type). A nil v against anything of kind
 *  string is Go's reflect panic, which text/template reports as the call's error. */
export function inValues(haystack: GoValue, needle: GoValue): boolean {
  const needleType = (): string => {
    if (needle === undefined || needle === null) throw goError('reflect: call of reflect.Value.Type on zero Value');
    return typeOf(needle);
  };
  const text = (v: GoValue): string => (typeof v === 'string' ? v : (v as JsonNumber).text);
  if (typeof haystack === 'string' || haystack instanceof JsonNumber) {
    return needleType() === typeOf(haystack) && text(haystack).includes(text(needle));
  }
  if (!(haystack instanceof GoSlice)) return false;
  for (const item of haystack.items) {
    if (item === undefined || item === null) continue;
    if (isIntKind(item) && item.signed) { if (isIntKind(needle) && needle.signed && item.value === needle.value) return true; continue; }
    if (isFloatKind(item)) { if (isFloatKind(needle) && item === needle) return true; continue; }
    if (kindOf(item) === 'string' && needleType() === typeOf(item) && text(item) === text(needle)) return true;
  }
  return false;
}

// ---------------------------------------------------------------------------------------------

function wrap<T>(prefix: string, run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof NumError || error instanceof CorruptInputError || error instanceof JsonError || error instanceof YamlError || error instanceof TomlError) {
      throw goError(prefix === '' ? error.message : `${prefix}: ${error.message}`);
    }
    throw error;
  }
}

function indentLines(spaces: bigint, s: string): string {
  if (spaces < 0n) throw goError('indent value must be a positive integer');
  let prefix: string;
  try {
    prefix = repeatGo(' ', spaces);
  } catch (error) {
    if (error instanceof RepeatError) throw goError(error.message);
    throw error;
  }
  let out = '';
  let atStart = true;
  for (const c of s) {
    if (atStart && c !== '\n') out += prefix;
    out += c;
    atStart = c === '\n';
  }
  return out;
}

function regex(expr: string): ReturnType<typeof compileGoRegexp> {
  try {
    return compileGoRegexp(expr);
  } catch (error) {
    if (error instanceof RegexpError) throw goError(error.message);
    throw error;
  }
}

function hex(algorithm: string, s: string): string {
  return createHash(algorithm).update(utf8Bytes(s)).digest('hex');
}

export interface ConsulEnvironment {
  env(name: string): string | undefined;
  readFile(path: string): string;
  now(): Date;
}

export function consulFunctions(environment: ConsulEnvironment): Map<string, GoFunction> {
  const m = new Map<string, GoFunction>();
  m.set('base64Decode', stringFn((s) => wrap('base64Decode', () => bytesToString(base64Decode(s, STD)))));
  m.set('base64Encode', stringFn((s) => base64Encode(utf8Bytes(s), STD, true)));
  m.set('base64URLDecode', stringFn((s) => wrap('base64URLDecode', () => bytesToString(base64Decode(s, URL)))));
  m.set('base64URLEncode', stringFn((s) => base64Encode(utf8Bytes(s), URL, true)));
  m.set('toJSON', fn(['interface {}'], (a) => wrap('toJSON', () => marshalJson(a[0], { escapeHtml: true }).trim())));
  m.set('toJSONPretty', fn(['interface {}'], (a) => wrap('toJSONPretty', () => marshalJson(a[0], { escapeHtml: true, indent: '  ' }).trim())));
  m.set('toUnescapedJSON', fn(['interface {}'], (a) => wrap('toUnescapedJSON', () => marshalJson(a[0], { escapeHtml: false }))));
  m.set('toUnescapedJSONPretty', fn(['interface {}'], (a) => wrap('toUnescapedJSONPretty', () => marshalJson(a[0], { escapeHtml: false, indent: '  ' }))));
  // bytes.TrimSpace since consul-template v0.3x (it used to drop one trailing newline)
  m.set('toTOML', fn(['interface {}'], (a) => {
    // the encoder asks a nil's type first: Go's reflect panic, not an encoder error
    if (a[0] === null || a[0] === undefined) throw goError('reflect: call of reflect.Value.Type on zero Value');
    return wrap('toTOML', () => trimSpace(marshalToml(a[0])));
  }));
  m.set('toYAML', fn(['interface {}'], (a) => wrap('toYAML', () => trimSpace(marshalYaml(a[0])))));
  m.set('parseJSON', fn(['string'], (a) => {
    const s = a[0] as string;
    if (s === '') return new GoMap('map[string]interface {}', 'string', 'interface {}', new Map());
    return wrap('', () => unmarshalJson(s));
  }));
  m.set('parseYAML', fn(['string'], (a) => {
    const s = a[0] as string;
    if (s === '') return new GoMap('map[string]interface {}', 'string', 'interface {}', new Map());
    return wrap('', () => unmarshalYaml(s));
  }));
  m.set('parseInt', fn(['string'], (a) => {
    const s = a[0] as string;
    if (s === '') return goInt(0n, 'int64');
    return goInt(wrap('parseInt', () => parseInt10(s)), 'int64');
  }));
  m.set('parseUint', fn(['string'], (a) => {
    const s = a[0] as string;
    if (s === '') return goInt(0n, 'uint64');
    return goInt(wrap('parseUint', () => parseUint10(s)), 'uint64');
  }));
  m.set('parseFloat', fn(['string'], (a) => {
    const s = a[0] as string;
    if (s === '') return 0;
    return wrap('parseFloat', () => parseFloat64(s));
  }));
  m.set('parseBool', fn(['string'], (a) => {
    const s = a[0] as string;
    if (s === '') return false;
    return wrap('parseBool', () => parseBool(s));
  }));
  m.set('toLower', stringFn(goToLower));
  m.set('toUpper', stringFn(goToUpper));
  m.set('toTitle', stringFn(xtextTitle));
  m.set('trimSpace', stringFn(trimSpace));
  m.set('trim', fn(['string', 'string'], (a) => trimCutset(a[1] as string, a[0] as string)));
  m.set('trimPrefix', fn(['string', 'string'], (a) => {
    const [prefix, s] = a as [string, string];
    return prefix !== '' && s.startsWith(prefix) ? s.slice(prefix.length) : s;
  }));
  m.set('trimSuffix', fn(['string', 'string'], (a) => {
    const [suffix, s] = a as [string, string];
    return suffix !== '' && s.endsWith(suffix) ? s.slice(0, s.length - suffix.length) : s;
  }));
  m.set('split', fn(['string', 'string'], (a) => {
    const s = trimSpace(a[1] as string);
    if (s === '') return stringSlice([]);
    return stringSlice(splitGo(s, a[0] as string));
  }));
  m.set('splitToMap', fn(['string', 'string', 'string'], (a) => {
    const [sep, kvSep, input] = a as [string, string, string];
    const entries = new Map<GoValue, GoValue>();
    const s = trimSpace(input);
    if (s !== '') {
      for (const piece of splitGo(s, sep)) {
        const i = piece.indexOf(kvSep);
        if (i >= 0) entries.set(piece.slice(0, i), piece.slice(i + kvSep.length));
      }
    }
    return new GoMap('map[string]string', 'string', 'string', entries);
  }));
  m.set('join', fn(['string', '[]string'], (a) => ((a[1] as GoSlice).items as string[]).join(a[0] as string)));
  m.set('replaceAll', fn(['string', 'string', 'string'], (a) => {
    const [from, to, s] = a as [string, string, string];
    if (from === '') return to + Array.from(s).join(to) + (s === '' ? '' : to);
    return s.split(from).join(to);
  }));
  m.set('regexMatch', fn(['string', 'string'], (a) => matchString(regex(a[0] as string), a[1] as string)));
  m.set('regexReplaceAll', fn(['string', 'string', 'string'], (a) => replaceAllString(regex(a[0] as string), a[2] as string, a[1] as string)));
  m.set('in', fn(['interface {}', 'interface {}'], (a) => inValues(a[0], a[1])));
  m.set('contains', fn(['interface {}', 'interface {}'], (a) => inValues(a[1], a[0])));
  const needles = (name: string, test: (items: GoValue[], haystack: GoValue) => boolean): void => {
    m.set(name, fn(['[]interface {}', 'interface {}'], (a) => test((a[0] as GoSlice).items, a[1])));
  };
  needles('containsAll', (items, h) => items.every((n) => inValues(h, n)));
  needles('containsAny', (items, h) => items.some((n) => inValues(h, n)));
  needles('containsNone', (items, h) => !items.some((n) => inValues(h, n)));
  needles('containsNotAll', (items, h) => !items.every((n) => inValues(h, n)));
  m.set('sha256Hex', stringFn((s) => hex('sha256', s)));
  m.set('md5sum', stringFn((s) => hex('md5', s)));
  m.set('hmacSHA256Hex', fn(['string', 'string'], (a) => createHmac('sha256', utf8Bytes(a[1] as string)).update(utf8Bytes(a[0] as string)).digest('hex')));
  m.set('indent', fn(['int', 'string'], (a) => indentLines((a[0] as GoInt).value, a[1] as string)));
  m.set('env', stringFn((name) => environment.env(name) ?? ''));
  m.set('mustEnv', stringFn((name) => {
    const v = environment.env(name);
    if (v === undefined || v === '') throw goError(`required environment variable ${name} is empty`);
    return v;
  }));
  m.set('envOrDefault', fn(['string', 'string'], (a) => environment.env(a[0] as string) ?? (a[1] as string)));
  m.set('file', stringFn((path) => {
    if (path === '') return '';
    try {
      return environment.readFile(path);
    } catch (error) {
      throw goError(error instanceof Error ? error.message : `file: cannot read ${JSON.stringify(path)}`);
    }
  }));
  m.set('timestamp', fn(['string'], (a) => {
    // consul-template formats time.Now().UTC()
    const now = timeFromDate(environment.now(), UTC, UTC);
    if (a.length === 0) return formatTime(now, '2006-01-02T15:04:05Z07:00');
    if (a.length > 1) throw goError(`timestamp: wrong number of arguments, expected 0 or 1, but got ${a.length}`);
    if (a[0] === 'unix') return String(now.sec);
    return formatTime(now, a[0] as string);
  }, { variadic: true }));
  m.set('executeTemplate', fn(['string', 'interface {}'], (a, context) => {
    if (a.length > 2) throw goError(`executeTemplate: wrong number of arguments, expected 1 or 2, but got ${a.length}`);
    const dot = a.length === 2 ? a[1] : undefined;
    return context.executeTemplate(a[0] as string, dot === null ? undefined : dot);
  }, { variadic: true }));
  m.set('scratch', scratchFunction());
  // loop N / loop A B: consul-template returns a <-chan int64 fed with the numbers; a slice with
  // that type name ranges the same way ({{ range $i, $n := loop 5 7 }} gives 0:5 1:6).
  m.set('loop', fn(['interface {}'], (a) => {
    if (a.length !== 1 && a.length !== 2) throw goError(`loop: wrong number of arguments, expected 1 or 2, but got ${a.length}`);
    // ints, uints (as int64) and anything of kind string (json.Number too) through parseInt
    const bounds = a.map((v) => {
      if (v instanceof GoInt) return BigInt.asIntN(64, v.value);
      if (typeof v === 'string' || v instanceof JsonNumber) {
        const text = typeof v === 'string' ? v : v.text;
        return text === '' ? 0n : wrap('parseInt', () => parseInt10(text)); // consul-template's parseInt: "" is 0
      }
      throw goError(`loop: bad argument type: ${v === undefined || v === null ? '<nil>' : typeOf(v)}`);
    });
    const [start, stop] = bounds.length === 1 ? [0n, bounds[0]!] : [bounds[0]!, bounds[1]!];
    const items: GoValue[] = [];
    for (let i = start; i < stop; i++) items.push(goInt(i, 'int64'));
    return new GoSlice('<-chan int64', 'int64', items);
  }, { variadic: true }));
  for (const op of ['add', 'subtract', 'multiply', 'divide', 'modulo', 'minimum', 'maximum'] as const) m.set(op, mathFunction(op));
  return m;
}

