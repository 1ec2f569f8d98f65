import { decodeGoBytes, encodeGoString } from '../gostring.ts';

// Small pieces of Go's strconv/strings that the functions need for exact messages and results.

function isPrintable(cp: number): boolean {
  // strconv.IsPrint, approximated by Unicode categories (letters, marks, numbers, punctuation,
  // symbols and U+0020); Go's tables are the same categories.
  if (cp < 0x20 || cp === 0x7f) return false;
  if (cp < 0x7f) return true;
  if (cp >= 0x80 && cp < 0xa0) return false;
  if (cp === 0xad) return false;
  return /[\p{L}\p{M}\p{N}\p{P}\p{S}]/u.test(String.fromCodePoint(cp)) || cp === 0x20;
}

/** strconv.Quote: a double-quoted Go string literal. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0;
    switch (ch) {
      case '"': out += '\\"'; continue;
      case '\\': out += '\\\\'; continue;
      case '\x07': out += '\\a'; continue;
      case '\b': out += '\\b'; continue;
      case '\f': out += '\\f'; continue;
      case '\n': out += '\\n'; continue;
      case '\r': out += '\\r'; continue;
      case '\t': out += '\\t'; continue;
      case '\v': out += '\\v'; continue;
    }
    if (isPrintable(cp)) out += ch;
    else if (cp < 0x20 || cp === 0x7f) out += '\\x' + cp.toString(16).padStart(2, '0');
    else if (cp >= 0xd800 && cp < 0xe000) out += '\\ufffd';
    else if (cp < 0x10000) out += '\\u' + cp.toString(16).padStart(4, '0');
    else out += '\\U' + cp.toString(16).padStart(8, '0');
  }
  return out + '"';
}

/** Byte-wise (UTF-8 order) comparison of two strings, as Go compares strings. */
export function compareGoStrings(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // Surrogates (astral code points) sort after every BMP code point in UTF-8 order.
    const xs = x >= 0xd800 && x < 0xe000;
    const ys = y >= 0xd800 && y < 0xe000;
    if (xs !== ys) return xs ? 1 : -1;
    return x < y ? -1 : 1;
  }
  return a.length - b.length;
}

/** A Go string's bytes (invalid UTF-8 bytes are kept as U+DC80..U+DCFF, see ../gostring.ts). */
export function utf8Bytes(s: string): Uint8Array {
  return encodeGoString(s);
}

/** Bytes as a Go string (invalid UTF-8 kept as escaped bytes, not U+FFFD). */
export function utf8String(bytes: Uint8Array): string {
  return decodeGoBytes(bytes);
}

/** Go's unicode.IsSpace for strings.TrimSpace / strings.Fields. */
export function isGoSpace(cp: number): boolean {
  switch (cp) {
    case 0x09: case 0x0a: case 0x0b: case 0x0c: case 0x0d: case 0x20: case 0x85: case 0xa0:
    case 0x1680: case 0x2028: case 0x2029: case 0x202f: case 0x205f: case 0x3000:
      return true;
  }
  return cp >= 0x2000 && cp <= 0x200a;
}

/** strings.TrimSpace */
export function trimSpace(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && isGoSpace(s.charCodeAt(start))) start++;
  while (end > start && isGoSpace(s.charCodeAt(end - 1))) end--;
  return s.slice(start, end);
}

/** strings.Trim(s, cutset) (cutset is a set of code points) */
export function trimCutset(s: string, cutset: string, left = true, right = true): string {
  if (s === '' || cutset === '') return s;
  const set = new Set(Array.from(cutset));
  const chars = Array.from(s);
  let start = 0;
  let end = chars.length;
  if (left) while (start < end && set.has(chars[start] ?? '')) start++;
  if (right) while (end > start && set.has(chars[end - 1] ?? '')) end--;
  return chars.slice(start, end).join('');
}

/** strings.Split(s, sep): an empty sep splits into UTF-8 sequences (code points). */
export function splitGo(s: string, sep: string, n = -1): string[] {
  if (n === 0) return [];
  if (sep === '') {
    const chars = Array.from(s);
    if (n < 0 || n >= chars.length) return chars;
    return [...chars.slice(0, n - 1), chars.slice(n - 1).join('')];
  }
  if (n < 0) return s.split(sep);
  const out: string[] = [];
  let rest = s;
  while (out.length < n - 1) {
    const i = rest.indexOf(sep);
    if (i < 0) break;
    out.push(rest.slice(0, i));
    rest = rest.slice(i + sep.length);
  }
  out.push(rest);
  return out;
}

/** strings.Title (what the gotpl oracle and consul-template <0.30 use): upper-cases the first
 *  letter of each word; a word starts after a separator (space, or ASCII that is not a letter,
 *  digit or '_'). */
export function goTitle(s: string): string {
  let prev = ' ';
  let out = '';
  for (const ch of s) {
    out += isTitleSeparator(prev) ? toTitleRune(ch) : ch;
    prev = ch;
  }
  return out;
}

function isTitleSeparator(ch: string): boolean {
  const cp = ch.codePointAt(0) ?? 0;
  if (cp <= 0x7f) {
    if ((cp >= 0x30 && cp <= 0x39) || (cp >= 0x61 && cp <= 0x7a) || (cp >= 0x41 && cp <= 0x5a) || cp === 0x5f) return false;
    return true;
  }
  if (/[\p{L}\p{Nd}]/u.test(ch)) return false;
  return isGoSpace(cp);
}

// Letters whose title case differs from their upper case (Latin digraphs).
const TITLE_CASE: Record<string, string> = {
  '\u01c4': '\u01c5', '\u01c5': '\u01c5', '\u01c6': '\u01c5', '\u01c7': '\u01c8', '\u01c8': '\u01c8', '\u01c9': '\u01c8',
  '\u01ca': '\u01cb', '\u01cb': '\u01cb', '\u01cc': '\u01cb', '\u01f1': '\u01f2', '\u01f2': '\u01f2', '\u01f3': '\u01f2',
};

/**
 * cases.Title(language.Und, cases.NoLower) of golang.org/x/text, what consul-template >= 0.30 (and
 * OpenBao's fork, in `bao agent`) registers as `toTitle`: words are found by Unicode's word
 * boundary rules (UAX #29), so `db.internal`, `o'neil`, `ab:cd` and `x_y` are one word each
 * while `foo-bar` is two; in each word the first CASED letter is title-cased (`1st` -> `1St`)
 * and the rest is left as it is. Checked against `bao agent` 2.7.2 in
 * test/openbao/side-by-side.test.ts.
 */
export function unicodeTitle(s: string): string {
  const chars = Array.from(s);
  const classes = chars.map(wordClass);
  let out = '';
  let inWord = false;
  let titled = false;
  for (let index = 0; index < chars.length; index++) {
    const ch = chars[index] ?? '';
    const joins = joinsWord(classes, index);
    if (!joins) {
      inWord = false;
      out += ch;
      continue;
    }
    if (!inWord || !joinsPrevious(classes, index)) {
      inWord = true;
      titled = false;
    }
    if (!titled && isCased(ch)) {
      out += toTitleRune(ch);
      titled = true;
    } else {
      out += ch;
    }
  }
  return out;
}

type WordClass = 'letter' | 'numeric' | 'extend' | 'midLetter' | 'midNumLet' | 'midNum' | 'other';

const MID_LETTER = new Set([':', '\u00b7', '\u0387', '\u05f4', '\u2027', '\ufe13', '\ufe55', '\uff1a']);
const MID_NUM_LET = new Set(['.', "'", '\u2018', '\u2019', '\u2024', '\ufe52', '\uff07', '\uff0e']);
const MID_NUM = new Set([',', ';', '\u037e', '\u0589', '\u060c', '\u060d', '\u066c', '\u07f8', '\u2044', '\ufe10', '\ufe14', '\ufe50', '\ufe54', '\uff0c', '\uff1b']);

function wordClass(ch: string): WordClass {
  if (/[\p{L}\p{M}]/u.test(ch)) return 'letter';
  if (/\p{Nd}/u.test(ch)) return 'numeric';
  if (/\p{Pc}/u.test(ch)) return 'extend';
  if (MID_LETTER.has(ch)) return 'midLetter';
  if (MID_NUM_LET.has(ch)) return 'midNumLet';
  if (MID_NUM.has(ch)) return 'midNum';
  return 'other';
}

const isWordCore = (kind: WordClass | undefined): boolean => kind === 'letter' || kind === 'numeric' || kind === 'extend';

/** Whether the rune at index belongs to a word: a letter, digit or connector, or a middle
 *  punctuation between two letters (MidLetter, MidNumLet) or two digits (MidNum, MidNumLet). */
function joinsWord(classes: readonly WordClass[], index: number): boolean {
  const kind = classes[index];
  if (isWordCore(kind)) return true;
  const before = classes[index - 1];
  const after = classes[index + 1];
  if (kind === 'midLetter' || kind === 'midNumLet') {
    if (before === 'letter' && after === 'letter') return true;
  }
  if (kind === 'midNum' || kind === 'midNumLet') {
    if (before === 'numeric' && after === 'numeric') return true;
  }
  return false;
}

/** Whether the rune at index continues the word of the rune before it (no boundary between them). */
function joinsPrevious(classes: readonly WordClass[], index: number): boolean {
  return index > 0 && joinsWord(classes, index - 1);
}

function isCased(ch: string): boolean {
  return /[\p{Lu}\p{Ll}\p{Lt}]/u.test(ch) || ch.toUpperCase() !== ch.toLowerCase();
}

function toTitleRune(ch: string): string {
  const title = TITLE_CASE[ch];
  if (title !== undefined) return title;
  const upper = ch.toUpperCase();
  // unicode.ToTitle maps one rune to one rune; JS may expand (ß -> SS): keep Go's single rune.
  return Array.from(upper).length === 1 ? upper : ch;
}

/** strings.ToUpper / ToLower rune by rune (JS may expand ß to SS; Go keeps ß). */
export function goToUpper(s: string): string {
  let out = '';
  for (const ch of s) {
    const u = ch.toUpperCase();
    out += Array.from(u).length === 1 ? u : ch;
  }
  return out;
}

export function goToLower(s: string): string {
  let out = '';
  for (const ch of s) {
    const l = ch.toLowerCase();
    out += Array.from(l).length === 1 ? l : ch;
  }
  return out;
}

/** strings.Repeat, with its panics. Results Go could build but a JS string cannot hold (over
 *  2^28 bytes) fail with a clear error instead. */
export function repeatGo(s: string, count: number | bigint): string {
  const c = BigInt(count);
  if (c < 0n) throw new RepeatError('strings: negative Repeat count');
  const n = BigInt(s.length) * c;
  if (n > 2n ** 63n - 1n) throw new RepeatError('strings: Repeat count causes overflow');
  if (n > 2n ** 48n) throw new RepeatError('runtime error: makeslice: cap out of range');
  if (n > 2n ** 28n) throw new RepeatError(`strings: Repeat output of ${n} bytes is too large`);
  return s.repeat(Number(c));
}

export class RepeatError extends Error {}
