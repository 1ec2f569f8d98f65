// libyaml's scalar scanning: block scalars (| and >, with chomping and indentation indicators),
// quoted scalars (escapes, line folding) and plain scalars (where they end), with its error texts.
import { Chars, copyMark, isBlank, isBlankz, isBreak, isBreakz, isDigit, isHex, hexValue, NUL, SPACE, TAB } from './chars.ts';
import type { Mark } from './chars.ts';
import { makeToken } from './tokens.ts';
import type { Token } from './tokens.ts';

export function scanBlockScalar(input: Chars, literal: boolean, parentIndent: number): Token {
  const start = copyMark(input.mark);
  input.skip();
  input.need(1);
  let chomping = 0;
  let increment = 0;
  let c = input.at();
  if (c === 0x2b || c === 0x2d) {
    chomping = c === 0x2b ? 1 : -1;
    input.skip();
    input.need(1);
    if (isDigit(input.at())) {
      if (input.at() === 0x30) throw input.error(start, 'found an indentation indicator equal to 0');
      increment = input.at() - 0x30;
      input.skip();
    }
  } else if (isDigit(c)) {
    if (c === 0x30) throw input.error(start, 'found an indentation indicator equal to 0');
    increment = c - 0x30;
    input.skip();
    input.need(1);
    c = input.at();
    if (c === 0x2b || c === 0x2d) {
      chomping = c === 0x2b ? 1 : -1;
      input.skip();
    }
  }
  input.finishHeaderLine(start);
  const state = { end: copyMark(input.mark), indent: increment > 0 ? (parentIndent >= 0 ? parentIndent + increment : increment) : 0, breaks: '' };
  scanBlockScalarBreaks(input, state, start, parentIndent);
  input.need(1);
  let s = '';
  let leadingBreak = '';
  let leadingBlank = false;
  while (input.mark.column === state.indent && input.at() !== NUL) {
    const trailingBlank = isBlank(input.at());
    if (!literal && !leadingBlank && !trailingBlank && leadingBreak.startsWith('\n')) {
      // a folded line break becomes a space, unless empty lines follow it
      if (state.breaks === '') s += ' ';
    } else s += leadingBreak;
    leadingBreak = '';
    s += state.breaks;
    state.breaks = '';
    leadingBlank = isBlank(input.at());
    const from = input.pos;
    while (!isBreakz(input.at())) {
      input.pos += input.width();
      input.mark.index++;
      input.mark.column++;
      input.need(1);
    }
    s += input.text.slice(from, input.pos);
    input.need(2);
    leadingBreak = input.readLine();
    scanBlockScalarBreaks(input, state, start, parentIndent);
  }
  if (chomping !== -1) s += leadingBreak;
  if (chomping === 1) s += state.breaks;
  return makeToken('SCALAR', start, state.end, s, literal ? 'literal' : 'folded');
}

function scanBlockScalarBreaks(input: Chars, state: { end: Mark; indent: number; breaks: string }, start: Mark, parentIndent: number): void {
  state.end = copyMark(input.mark);
  let maxIndent = 0;
  for (;;) {
    input.need(1);
    while ((state.indent === 0 || input.mark.column < state.indent) && input.at() === SPACE) {
      input.skip();
      input.need(1);
    }
    if (input.mark.column > maxIndent) maxIndent = input.mark.column;
    if ((state.indent === 0 || input.mark.column < state.indent) && input.at() === TAB) {
      throw input.error(start, 'found a tab character where an indentation space is expected');
    }
    if (!isBreak(input.at())) break;
    input.need(2);
    state.breaks += input.readLine();
    state.end = copyMark(input.mark);
  }
  if (state.indent === 0) {
    state.indent = Math.max(maxIndent, parentIndent + 1, 1);
  }
}

export function scanFlowScalar(input: Chars, single: boolean): Token {
  const start = copyMark(input.mark);
  input.skip();
  let s = '';
  let leadingBreak = '';
  let trailingBreaks = '';
  let whitespaces = '';
  const quote = single ? 0x27 : 0x22;
  for (;;) {
    input.need(4);
    if (input.mark.column === 0 && ((input.at() === 0x2d && input.at(1) === 0x2d && input.at(2) === 0x2d) || (input.at() === 0x2e && input.at(1) === 0x2e && input.at(2) === 0x2e)) && isBlankz(input.at(3))) {
      throw input.error(start, 'found unexpected document indicator');
    }
    if (input.at() === NUL) throw input.error(start, 'found unexpected end of stream');
    let leadingBlanks = false;
    while (!isBlankz(input.at())) {
      const c = input.at();
      if (single && c === 0x27 && input.at(1) === 0x27) {
        s += "'";
        input.skip();
        input.skip();
      } else if (c === quote) {
        break;
      } else if (!single && c === 0x5c && isBreak(input.at(1))) {
        input.need(3);
        input.skip();
        input.skipLine();
        leadingBlanks = true;
        break;
      } else if (!single && c === 0x5c) {
        s += scanEscape(input, start);
      } else {
        s += input.read();
      }
      input.need(2);
    }
    input.need(1);
    if (input.at() === quote) break;
    while (isBlank(input.at()) || isBreak(input.at())) {
      if (isBlank(input.at())) {
        if (!leadingBlanks) whitespaces += input.read();
        else input.skip();
      } else {
        input.need(2);
        if (!leadingBlanks) {
          whitespaces = '';
          leadingBreak = input.readLine();
          leadingBlanks = true;
        } else trailingBreaks += input.readLine();
      }
      input.need(1);
    }
    if (leadingBlanks) {
      if (leadingBreak.startsWith('\n')) {
        s += trailingBreaks === '' ? ' ' : trailingBreaks;
      } else s += leadingBreak + trailingBreaks;
      trailingBreaks = '';
      leadingBreak = '';
    } else {
      s += whitespaces;
      whitespaces = '';
    }
  }
  input.skip();
  return makeToken('SCALAR', start, copyMark(input.mark), s, single ? 'single' : 'double');
}

function scanEscape(input: Chars, start: Mark): string {
  let out: string;
  let codeLength = 0;
  switch (input.at(1)) {
    case 0x30: out = '\0'; break;
    case 0x61: out = '\x07'; break;
    case 0x62: out = '\b'; break;
    case 0x74: case TAB: out = '\t'; break;
    case 0x6e: out = '\n'; break;
    case 0x76: out = '\v'; break;
    case 0x66: out = '\f'; break;
    case 0x72: out = '\r'; break;
    case 0x65: out = '\x1b'; break;
    case SPACE: out = ' '; break;
    case 0x22: out = '"'; break;
    case 0x27: out = "'"; break;
    case 0x5c: out = '\\'; break;
    case 0x4e: out = '\x85'; break;
    case 0x5f: out = '\xa0'; break;
    case 0x4c: out = '\u2028'; break;
    case 0x50: out = '\u2029'; break;
    case 0x78: out = ''; codeLength = 2; break;
    case 0x75: out = ''; codeLength = 4; break;
    case 0x55: out = ''; codeLength = 8; break;
    default: throw input.error(start, 'found unknown escape character');
  }
  input.skip();
  input.skip();
  if (codeLength > 0) {
    input.need(codeLength);
    let value = 0;
    for (let k = 0; k < codeLength; k++) {
      const c = input.at(k);
      if (!isHex(c)) throw input.error(start, 'did not find expected hexdecimal number');
      value = value * 16 + hexValue(c);
    }
    if ((value >= 0xd800 && value <= 0xdfff) || value > 0x10ffff) throw input.error(start, 'found invalid Unicode character escape code');
    out = String.fromCodePoint(value);
    for (let k = 0; k < codeLength; k++) input.skip();
  }
  return out;
}

export function scanPlainScalar(input: Chars, parentIndent: number, flow: boolean): { token: Token; leadingBlanks: boolean } {
  let s = '';
  let leadingBreak = '';
  let trailingBreaks = '';
  let whitespaces = '';
  let leadingBlanks = false;
  const indent = parentIndent + 1;
  const start = copyMark(input.mark);
  let end = copyMark(input.mark);
  for (;;) {
    input.need(4);
    if (input.mark.column === 0 && ((input.at() === 0x2d && input.at(1) === 0x2d && input.at(2) === 0x2d) || (input.at() === 0x2e && input.at(1) === 0x2e && input.at(2) === 0x2e)) && isBlankz(input.at(3))) break;
    if (input.at() === 0x23) break;
    let from = -1;
    while (!isBlankz(input.at())) {
      const c = input.at();
      if (c === 0x3a && isBlankz(input.at(1))) break;
      if (flow && (c === 0x2c || c === 0x3f || c === 0x5b || c === 0x5d || c === 0x7b || c === 0x7d)) break;
      if (leadingBlanks || whitespaces !== '') {
        if (leadingBlanks) {
          if (leadingBreak.startsWith('\n')) s += trailingBreaks === '' ? ' ' : trailingBreaks;
          else s += leadingBreak + trailingBreaks;
          trailingBreaks = '';
          leadingBreak = '';
          leadingBlanks = false;
        } else {
          s += whitespaces;
          whitespaces = '';
        }
      }
      if (from < 0) from = input.pos;
      input.pos += input.width();
      input.mark.index++;
      input.mark.column++;
      input.need(2);
    }
    if (from >= 0) {
      s += input.text.slice(from, input.pos);
      end = copyMark(input.mark);
    }
    if (!(isBlank(input.at()) || isBreak(input.at()))) break;
    input.need(1);
    while (isBlank(input.at()) || isBreak(input.at())) {
      if (isBlank(input.at())) {
        if (leadingBlanks && input.mark.column < indent && input.at() === TAB) {
          throw input.error(start, 'found a tab character that violates indentation');
        }
        if (!leadingBlanks) whitespaces += input.read();
        else input.skip();
      } else {
        input.need(2);
        if (!leadingBlanks) {
          whitespaces = '';
          leadingBreak = input.readLine();
          leadingBlanks = true;
        } else trailingBreaks += input.readLine();
      }
      input.need(1);
    }
    if (!flow && input.mark.column < indent) break;
  }
  return { token: makeToken('SCALAR', start, end, s, 'plain'), leadingBlanks };
}