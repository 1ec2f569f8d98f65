import { decodeGoBytes, encodeGoString, goByteLength } from '../gostring.ts';

// Small pieces of Go's strconv/strings that the functions need for exact messages and results.

/** strconv.Quote, shared with fmt's %q: one implementation, so invalid UTF-8 bytes (lone
 *  surrogates here) come out as Go's \xNN everywhere, not as U+FFFD. */
export { goQuote } from '../quote.ts';

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
  for (const raw of s) {
    const ch = asMappedRune(raw);
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

/** unicode.ToTitle of one rune: the upper case (Go's one-rune tables), but for the digraphs. */
export function toTitleRune(ch: string): string {
  return TITLE_CASE[ch] ?? goToUpper(ch);
}

/** Letters whose case pairs arrived in Unicode 16: Node's ICU maps them, Go's Unicode 15 tables
 *  leave them as they are. */
function newInUnicode16(cp: number): boolean {
  return cp === 0x19b || cp === 0x264 || cp === 0x1c89 || cp === 0x1c8a || (cp >= 0xa7cb && cp <= 0xa7dc && cp !== 0xa7d0 && cp !== 0xa7d1 && cp !== 0xa7d6 && cp !== 0xa7d7 && cp !== 0xa7d8 && cp !== 0xa7d9)
    || (cp >= 0x10d50 && cp <= 0x10d85) || (cp >= 0x16ea0 && cp <= 0x16ed3);
}

/** unicode.ToUpper where JS's full mapping expands: Greek letters with ypogegrammeni map to
 *  the prosgegrammeni capital (ᾀ → ᾈ), not to capital + IOTA. */
function simpleUpper(cp: number): number | undefined {
  if ((cp >= 0x1f80 && cp <= 0x1f87) || (cp >= 0x1f90 && cp <= 0x1f97) || (cp >= 0x1fa0 && cp <= 0x1fa7)) return cp + 8;
  if (cp === 0x1fb3 || cp === 0x1fc3 || cp === 0x1ff3) return cp + 9;
  return undefined;
}

/** strings.ToUpper / ToLower rune by rune (JS may expand ß to SS; Go keeps ß). */
/** strings.Map's view of one rune: an invalid UTF-8 byte (a lone surrogate here) is decoded as
 *  utf8.RuneError and written back as U+FFFD, so ToUpper/ToLower/Title replace such bytes. */
export function asMappedRune(ch: string): string {
  const cp = ch.codePointAt(0)!;
  return cp >= 0xd800 && cp <= 0xdfff ? '\ufffd' : ch;
}

export function goToUpper(s: string): string {
  let out = '';
  for (const raw of s) {
    const ch = asMappedRune(raw);
    const cp = ch.codePointAt(0)!;
    if (cp < 0x80) { out += ch.toUpperCase(); continue; }
    if (newInUnicode16(cp)) { out += ch; continue; }
    const simple = simpleUpper(cp);
    if (simple !== undefined) { out += String.fromCodePoint(simple); continue; }
    const u = ch.toUpperCase();
    out += Array.from(u).length === 1 ? u : ch;
  }
  return out;
}

export function goToLower(s: string): string {
  let out = '';
  for (const raw of s) {
    const ch = asMappedRune(raw);
    const cp = ch.codePointAt(0)!;
    if (cp < 0x80) { out += ch.toLowerCase(); continue; }
    if (newInUnicode16(cp)) { out += ch; continue; }
    if (cp === 0x130) { out += 'i'; continue; } // unicode.ToLower(İ) is i; JS gives i + combining dot
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
  // Go counts bytes
  const n = BigInt(goByteLength(s)) * c;
  if (n > 2n ** 63n - 1n) throw new RepeatError('strings: Repeat output length overflow');
  if (n > 2n ** 48n) throw new RepeatError('runtime error: makeslice: len out of range');
  if (n > 2n ** 28n) throw new RepeatError(`strings: Repeat output of ${n} bytes is too large`);
  return s.repeat(Number(c));
}

export class RepeatError extends Error {}
