// strconv's quoting (Quote, QuoteToASCII, QuoteRune, CanBackquote, IsPrint) and %#U, as Go
// writes them; lone surrogates U+DC80..U+DCFF stand for invalid UTF-8 bytes (see gostring.ts).

import { encodeGoString } from './gostring.ts';


const PRINTABLE_RE = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u;

/** strconv.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space. */
export function isPrint(cp: number): boolean {
  if (cp < 0x80) return cp >= 0x20 && cp < 0x7f;
  if (cp === 0xfffd) return true;
  return PRINTABLE_RE.test(String.fromCodePoint(cp));
}

/** unicode.IsPrint-ish check used by %#U etc. (same as strconv.IsPrint here). */
function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, '0');
}

function appendEscapedRune(cp: number, quote: number, asciiOnly: boolean): string {
  if (cp === quote || cp === 0x5c) return '\\' + String.fromCodePoint(cp);
  if (asciiOnly) {
    if (cp < 0x80 && isPrint(cp)) return String.fromCodePoint(cp);
  } else if (isPrint(cp)) {
    return String.fromCodePoint(cp);
  }
  switch (cp) {
    case 7: return '\\a';
    case 8: return '\\b';
    case 12: return '\\f';
    case 10: return '\\n';
    case 13: return '\\r';
    case 9: return '\\t';
    case 11: return '\\v';
  }
  if (cp < 0x20 || cp === 0x7f) return '\\x' + hex(cp, 2);
  if (cp === 0xfffd) return '\\ufffd';
  if (cp < 0x10000) return '\\u' + hex(cp, 4);
  return '\\U' + hex(cp, 8);
}

/** strconv.Quote (asciiOnly: QuoteToASCII). Lone surrogates stand for invalid UTF-8 bytes. */
export function goQuote(s: string, asciiOnly = false): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x20 && c < 0x7f && c !== 0x22 && c !== 0x5c) {
      out += s[i];
      continue;
    }
    let cp = s.codePointAt(i)!;
    if (cp > 0xffff) i++;
    else if (cp >= 0xdc80 && cp <= 0xdcff) {
      out += '\\x' + hex(cp - 0xdc00, 2);
      continue;
    } else if (cp >= 0xd800 && cp <= 0xdfff) cp = 0xfffd;
    out += appendEscapedRune(cp, 0x22, asciiOnly);
  }
  return out + '"';
}

/** Go's `%.Nq...` of a token: quoted, cut to N runes with "..." when longer than N bytes. */
export function goQuotePrefix(s: string, n: number): string {
  if (encodeGoString(s).length <= n) return goQuote(s);
  return goQuote(Array.from(s).slice(0, n).join('')) + '...';
}

/** strconv.QuoteRune */
export function goQuoteRune(cp: number, asciiOnly = false): string {
  if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) cp = 0xfffd;
  return "'" + appendEscapedRune(cp, 0x27, asciiOnly) + "'";
}

export function canBackquote(s: string): boolean {
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (cp === 0x60 || cp === 0xfeff) return false;
    if (cp < 0x20 && cp !== 0x09) return false;
    if (cp === 0x7f) return false;
  }
  return true;
}

/** %#U of a rune: U+0041 'A' (quote only when printable). */
export function formatRuneU(cp: number): string {
  const head = 'U+' + cp.toString(16).toUpperCase().padStart(4, '0');
  return isPrint(cp) ? `${head} '${String.fromCodePoint(cp)}'` : head;
}
