// libyaml's scanning of directives (%YAML, %TAG), anchors, aliases and tags, with its error texts
// (yaml.v2 prints only the problem, not libyaml's "while scanning ..." context).
import { decodeGoBytes } from '../../gostring.ts';
import { Chars, copyMark, isAlpha, isBlank, isBlankz, isBreak, isBreakz, isDigit, isHex, hexValue } from './chars.ts';
import type { Mark } from './chars.ts';
import { makeToken } from './tokens.ts';
import type { Token } from './tokens.ts';

// characters a tag URI may hold besides letters, digits, '-' and '_'
const URI_CHARS = new Set([...';/?:@&=+$,.!~*\'()[]%'].map((ch) => ch.charCodeAt(0)));
// characters that may follow an anchor or alias name
const AFTER_ANCHOR = new Set([...'?:,]}%@`'].map((ch) => ch.charCodeAt(0)));

export function scanDirective(input: Chars): Token {
  const start = copyMark(input.mark);
  input.skip();
  const name = scanDirectiveName(input, start);
  let token: Token;
  if (name === 'YAML') {
    input.skipBlanks();
    const major = scanVersionNumber(input, start);
    if (input.at() !== 0x2e) throw input.error(start, "did not find expected digit or '.' character");
    input.skip();
    const minor = scanVersionNumber(input, start);
    token = makeToken('VERSION_DIRECTIVE', start, copyMark(input.mark));
    token.major = major;
    token.minor = minor;
  } else if (name === 'TAG') {
    input.skipBlanks();
    const handle = scanTagHandle(input, true, start);
    input.need(1);
    if (!isBlank(input.at())) throw input.error(start, 'did not find expected whitespace');
    input.skipBlanks();
    const prefix = scanTagUri(input, '', start);
    input.need(1);
    if (!isBlankz(input.at())) throw input.error(start, 'did not find expected whitespace or line break');
    token = makeToken('TAG_DIRECTIVE', start, copyMark(input.mark), handle);
    token.suffix = prefix;
  } else {
    throw input.error(start, 'found unknown directive name');
  }
  input.finishHeaderLine(start);
  return token;
}

function scanDirectiveName(input: Chars, start: Mark): string {
  input.need(1);
  let s = '';
  while (isAlpha(input.at())) {
    s += input.read();
    input.need(1);
  }
  if (s === '') throw input.error(start, 'could not find expected directive name');
  if (!isBlankz(input.at())) throw input.error(start, 'found unexpected non-alphabetical character');
  return s;
}

function scanVersionNumber(input: Chars, start: Mark): number {
  input.need(1);
  let value = 0;
  let length = 0;
  while (isDigit(input.at())) {
    length++;
    if (length > 2) throw input.error(start, 'found extremely long version number');
    value = value * 10 + (input.at() - 0x30);
    input.skip();
    input.need(1);
  }
  if (length === 0) throw input.error(start, 'did not find expected version number');
  return value;
}

export function scanAnchor(input: Chars, type: 'ANCHOR' | 'ALIAS'): Token {
  const start = copyMark(input.mark);
  input.skip();
  input.need(1);
  let s = '';
  while (isAlpha(input.at())) {
    s += input.read();
    input.need(1);
  }
  const end = copyMark(input.mark);
  const c = input.at();
  if (s === '' || !(isBlankz(c) || AFTER_ANCHOR.has(c))) {
    throw input.error(start, 'did not find expected alphabetic or numeric character');
  }
  return makeToken(type, start, end, s);
}

export function scanTag(input: Chars): Token {
  const start = copyMark(input.mark);
  let handle: string;
  let suffix: string;
  input.need(2);
  if (input.at(1) === 0x3c /* < */) {
    input.skip();
    input.skip();
    handle = '';
    suffix = scanTagUri(input, '', start);
    if (input.at() !== 0x3e) throw input.error(start, "did not find the expected '>'");
    input.skip();
  } else {
    handle = scanTagHandle(input, false, start);
    if (handle.length > 1 && handle.endsWith('!')) {
      suffix = scanTagUri(input, '', start);
    } else {
      // '!' alone or '!local': the handle is '!', what follows it the suffix
      suffix = scanTagUri(input, handle, start);
      handle = '!';
      if (suffix === '') {
        suffix = handle;
        handle = '';
      }
    }
  }
  input.need(1);
  if (!isBlankz(input.at())) throw input.error(start, 'did not find expected whitespace or line break');
  const token = makeToken('TAG', start, copyMark(input.mark), handle);
  token.suffix = suffix;
  return token;
}

function scanTagHandle(input: Chars, directive: boolean, start: Mark): string {
  input.need(1);
  if (input.at() !== 0x21) throw input.error(start, "did not find expected '!'");
  let s = input.read();
  input.need(1);
  while (isAlpha(input.at())) {
    s += input.read();
    input.need(1);
  }
  if (input.at() === 0x21) s += input.read();
  else if (directive && s !== '!') throw input.error(start, "did not find expected '!'");
  return s;
}

function scanTagUri(input: Chars, head: string, start: Mark): string {
  let hasTag = head.length > 0;
  const bytes: number[] = [];
  let s = head.length > 1 ? head.slice(1) : '';
  input.need(1);
  for (;;) {
    const c = input.at();
    if (!(isAlpha(c) || URI_CHARS.has(c))) break;
    if (c === 0x25) {
      // %-escapes make UTF-8 bytes; yaml.v2 keeps them as bytes in the tag
      bytes.length = 0;
      scanUriEscapes(input, start, bytes);
      s += decodeGoBytes(Uint8Array.from(bytes));
    } else s += input.read();
    input.need(1);
    hasTag = true;
  }
  if (!hasTag) throw input.error(start, 'did not find expected tag URI');
  return s;
}

function scanUriEscapes(input: Chars, start: Mark, out: number[]): void {
  let w = 1024;
  while (w > 0) {
    input.need(3);
    if (!(input.at() === 0x25 && isHex(input.at(1)) && isHex(input.at(2)))) throw input.error(start, 'did not find URI escaped octet');
    const octet = (hexValue(input.at(1)) << 4) + hexValue(input.at(2));
    if (w === 1024) {
      w = (octet & 0x80) === 0 ? 1 : (octet & 0xe0) === 0xc0 ? 2 : (octet & 0xf0) === 0xe0 ? 3 : (octet & 0xf8) === 0xf0 ? 4 : 0;
      if (w === 0) throw input.error(start, 'found an incorrect leading UTF-8 octet');
    } else if ((octet & 0xc0) !== 0x80) throw input.error(start, 'found an incorrect trailing UTF-8 octet');
    out.push(octet);
    input.skip();
    input.skip();
    input.skip();
    w--;
  }
}