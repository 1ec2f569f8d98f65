// Items from text, as Go's text/template/parse/lex.go scans them.
// Positions are UTF-16 offsets into the JS string; errors convert them to Go's byte columns.

import { formatRuneU, goQuote as goQuoteForLex } from './format.ts';

export const enum ItemType {
  Error, Bool, Char, CharConstant, Comment, Complex, Assign, Declare, EOF, Field, Identifier,
  LeftDelim, LeftParen, Number, Pipe, RawString, RightDelim, RightParen, Space, String, Text, Variable,
  Keyword, // keywords follow
  Block, Break, Continue, Dot, Define, Else, End, If, Nil, Range, Template, With,
}

export interface Item {
  type: ItemType;
  pos: number;
  val: string;
  line: number;
}

const KEYWORDS: ReadonlyMap<string, ItemType> = new Map([
  ['.', ItemType.Dot], ['block', ItemType.Block], ['break', ItemType.Break], ['continue', ItemType.Continue],
  ['define', ItemType.Define], ['else', ItemType.Else], ['end', ItemType.End], ['if', ItemType.If],
  ['range', ItemType.Range], ['nil', ItemType.Nil], ['template', ItemType.Template], ['with', ItemType.With],
]);

const LEFT_COMMENT = '/*';
const RIGHT_COMMENT = '*/';

function isSpaceCode(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a;
}

const LETTER_OR_DIGIT = /[\p{L}\p{Nd}_]/u;

/** Go's isAlphaNumeric on a code point. */
export function isAlphaNumeric(cp: number): boolean {
  if (cp < 0x80) {
    return (cp >= 0x30 && cp <= 0x39) || (cp >= 0x41 && cp <= 0x5a) || (cp >= 0x61 && cp <= 0x7a) || cp === 0x5f;
  }
  if (cp < 0) return false;
  return LETTER_OR_DIGIT.test(String.fromCodePoint(cp));
}

function hasLeftTrimMarker(s: string, at: number): boolean {
  return s.length - at >= 2 && s.charCodeAt(at) === 0x2d && isSpaceCode(s.charCodeAt(at + 1));
}

function hasRightTrimMarker(s: string, at: number): boolean {
  return s.length - at >= 2 && isSpaceCode(s.charCodeAt(at)) && s.charCodeAt(at + 1) === 0x2d;
}

function countNewlines(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = s.indexOf('\n', from); i >= 0 && i < to; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

/** Scans the whole input into items, ending with EOF or the first Error item. */
export function lex(input: string, leftDelim: string, rightDelim: string): Item[] {
  return new Lexer(input, leftDelim || '{{', rightDelim || '}}').run();
}

class Lexer {
  pos = 0;
  start = 0;
  line = 1;
  startLine = 1;
  atEOF = false;
  parenDepth = 0;
  readonly items: Item[] = [];

  constructor(readonly input: string, readonly leftDelim: string, readonly rightDelim: string) {}

  run(): Item[] {
    let state: ((this: Lexer) => unknown) | null = this.lexText;
    while (state !== null) state = state.call(this) as ((this: Lexer) => unknown) | null;
    return this.items;
  }

  /** next code point, or -1 at EOF */
  next(): number {
    if (this.pos >= this.input.length) {
      this.atEOF = true;
      return -1;
    }
    const cp = this.input.codePointAt(this.pos)!;
    this.pos += cp > 0xffff ? 2 : 1;
    if (cp === 0x0a) this.line++;
    return cp;
  }

  backup(): void {
    if (!this.atEOF && this.pos > 0) {
      const lo = this.input.charCodeAt(this.pos - 1);
      const width = lo >= 0xdc00 && lo <= 0xdfff && this.pos >= 2 && this.input.charCodeAt(this.pos - 2) >= 0xd800 && this.input.charCodeAt(this.pos - 2) <= 0xdbff ? 2 : 1;
      this.pos -= width;
      if (lo === 0x0a) this.line--;
    }
  }

  peek(): number {
    const cp = this.next();
    this.backup();
    return cp;
  }

  emit(type: ItemType): void {
    this.items.push({ type, pos: this.start, val: this.input.slice(this.start, this.pos), line: this.startLine });
    this.start = this.pos;
    this.startLine = this.line;
  }

  ignore(): void {
    this.line += countNewlines(this.input, this.start, this.pos);
    this.start = this.pos;
    this.startLine = this.line;
  }

  // `valid` is ASCII, so one UTF-16 unit decides (single-char strings are not allocated).
  accept(valid: string): boolean {
    const c = this.input[this.pos];
    if (c !== undefined && valid.includes(c)) {
      this.pos++;
      return true;
    }
    return false;
  }

  acceptRun(valid: string): void {
    for (;;) {
      const c = this.input[this.pos];
      if (c === undefined || !valid.includes(c)) return;
      this.pos++;
    }
  }

  errorf(message: string): null {
    this.items.push({ type: ItemType.Error, pos: this.start, val: message, line: this.startLine });
    return null;
  }

  lexText(): unknown {
    const input = this.input;
    const x = input.indexOf(this.leftDelim, this.pos);
    if (x >= 0) {
      const ldn = this.leftDelim.length;
      this.pos = x;
      let trimLength = 0;
      if (hasLeftTrimMarker(input, this.pos + ldn)) {
        let end = this.pos;
        while (end > this.start && isSpaceCode(input.charCodeAt(end - 1))) end--;
        trimLength = this.pos - end;
      }
      this.pos -= trimLength;
      if (this.pos > this.start) {
        this.line += countNewlines(input, this.start, this.pos);
        this.emit(ItemType.Text);
      }
      this.pos += trimLength;
      this.ignore();
      return this.lexLeftDelim;
    }
    this.pos = input.length;
    if (this.pos > this.start) {
      this.line += countNewlines(input, this.start, this.pos);
      this.emit(ItemType.Text);
    }
    this.emit(ItemType.EOF);
    return null;
  }

  /** 0: not at the right delimiter; 1: at it; 2: at it with a trim marker */
  atRightDelim(): number {
    if (hasRightTrimMarker(this.input, this.pos) && this.input.startsWith(this.rightDelim, this.pos + 2)) return 2;
    return this.input.startsWith(this.rightDelim, this.pos) ? 1 : 0;
  }

  skipLeadingSpace(): void {
    while (this.pos < this.input.length && isSpaceCode(this.input.charCodeAt(this.pos))) this.pos++;
  }

  lexLeftDelim(): unknown {
    this.pos += this.leftDelim.length;
    const trimSpace = hasLeftTrimMarker(this.input, this.pos);
    const afterMarker = trimSpace ? 2 : 0;
    if (this.input.startsWith(LEFT_COMMENT, this.pos + afterMarker)) {
      this.pos += afterMarker;
      this.ignore();
      return this.lexComment;
    }
    this.emit(ItemType.LeftDelim);
    this.pos += afterMarker;
    this.ignore();
    this.parenDepth = 0;
    return this.lexInsideAction;
  }

  lexComment(): unknown {
    this.pos += LEFT_COMMENT.length;
    const i = this.input.indexOf(RIGHT_COMMENT, this.pos);
    if (i < 0) return this.errorf('unclosed comment');
    this.pos = i + RIGHT_COMMENT.length;
    const delim = this.atRightDelim();
    if (delim === 0) return this.errorf('comment ends before closing delimiter');
    const trimSpaces = delim === 2;
    if (trimSpaces) this.pos += 2;
    this.pos += this.rightDelim.length;
    if (trimSpaces) this.skipLeadingSpace();
    this.ignore();
    return this.lexText;
  }

  lexRightDelim(): unknown {
    // a trim marker only when the delimiter follows it: a right delimiter such as " -}}" itself
    // starts like one
    const trimSpace = this.atRightDelim() === 2;
    if (trimSpace) {
      this.pos += 2;
      this.ignore();
    }
    this.pos += this.rightDelim.length;
    this.emit(ItemType.RightDelim);
    if (trimSpace) {
      this.skipLeadingSpace();
      this.ignore();
    }
    return this.lexText;
  }

  lexInsideAction(): unknown {
    if (this.atRightDelim() !== 0) {
      if (this.parenDepth === 0) return this.lexRightDelim;
      return this.errorf('unclosed left paren');
    }
    const r = this.next();
    if (r === -1) return this.errorf('unclosed action');
    if (isSpaceCode(r)) {
      this.backup();
      return this.lexSpace;
    }
    switch (r) {
      case 0x3d: // =
        this.emit(ItemType.Assign);
        return this.lexInsideAction;
      case 0x3a: // :
        if (this.next() !== 0x3d) return this.errorf('expected :=');
        this.emit(ItemType.Declare);
        return this.lexInsideAction;
      case 0x7c: // |
        this.emit(ItemType.Pipe);
        return this.lexInsideAction;
      case 0x22: return this.lexQuote;
      case 0x60: return this.lexRawQuote;
      case 0x24: return this.lexVariable;
      case 0x27: return this.lexChar;
      case 0x2e: { // .
        if (this.pos < this.input.length) {
          const c = this.input.charCodeAt(this.pos);
          if (c < 0x30 || c > 0x39) return this.lexField;
        }
        this.backup();
        return this.lexNumber;
      }
      case 0x28: // (
        this.emit(ItemType.LeftParen);
        this.parenDepth++;
        return this.lexInsideAction;
      case 0x29: // )
        // Go >= 1.20 reports a stray paren before emitting it (Go 1.19's parser saw it first)
        this.parenDepth--;
        if (this.parenDepth < 0) return this.errorf('unexpected right paren');
        this.emit(ItemType.RightParen);
        return this.lexInsideAction;
    }
    if (r === 0x2b || r === 0x2d || (r >= 0x30 && r <= 0x39)) {
      this.backup();
      return this.lexNumber;
    }
    if (isAlphaNumeric(r)) {
      this.backup();
      return this.lexIdentifier;
    }
    if (r < 0x7f && r >= 0x20) {
      this.emit(ItemType.Char);
      return this.lexInsideAction;
    }
    return this.errorf(`unrecognized character in action: ${formatRuneU(r)}`);
  }

  lexSpace(): unknown {
    let numSpaces = 0;
    for (;;) {
      const r = this.peek();
      if (r < 0 || !isSpaceCode(r)) break;
      this.next();
      numSpaces++;
    }
    if (hasRightTrimMarker(this.input, this.pos - 1) && this.input.startsWith(this.rightDelim, this.pos - 1 + 2)) {
      this.backup();
      if (numSpaces === 1) return this.lexRightDelim;
    }
    this.emit(ItemType.Space);
    return this.lexInsideAction;
  }

  lexIdentifier(): unknown {
    for (;;) {
      const r = this.next();
      if (isAlphaNumeric(r)) continue;
      this.backup();
      const word = this.input.slice(this.start, this.pos);
      if (!this.atTerminator()) return this.errorf(`bad character ${formatRuneU(r)}`);
      const keyword = KEYWORDS.get(word);
      if (keyword !== undefined && keyword > ItemType.Keyword) this.emit(keyword);
      else if (word[0] === '.') this.emit(ItemType.Field);
      else if (word === 'true' || word === 'false') this.emit(ItemType.Bool);
      else this.emit(ItemType.Identifier);
      return this.lexInsideAction;
    }
  }

  lexField(): unknown {
    return this.lexFieldOrVariable(ItemType.Field);
  }

  lexVariable(): unknown {
    if (this.atTerminator()) {
      this.emit(ItemType.Variable);
      return this.lexInsideAction;
    }
    return this.lexFieldOrVariable(ItemType.Variable);
  }

  lexFieldOrVariable(type: ItemType): unknown {
    if (this.atTerminator()) {
      this.emit(type === ItemType.Variable ? ItemType.Variable : ItemType.Dot);
      return this.lexInsideAction;
    }
    let r: number;
    for (;;) {
      r = this.next();
      if (!isAlphaNumeric(r)) {
        this.backup();
        break;
      }
    }
    if (!this.atTerminator()) return this.errorf(`bad character ${formatRuneU(r)}`);
    this.emit(type);
    return this.lexInsideAction;
  }

  atTerminator(): boolean {
    const r = this.peek();
    if (r >= 0 && isSpaceCode(r)) return true;
    switch (r) {
      case -1: case 0x2e: case 0x2c: case 0x7c: case 0x3a: case 0x29: case 0x28:
        return true;
    }
    return this.input.startsWith(this.rightDelim, this.pos);
  }

  lexChar(): unknown {
    for (;;) {
      const r = this.next();
      if (r === 0x5c) {
        const e = this.next();
        if (e !== -1 && e !== 0x0a) continue;
        return this.errorf('unterminated character constant');
      }
      if (r === -1 || r === 0x0a) return this.errorf('unterminated character constant');
      if (r === 0x27) break;
    }
    this.emit(ItemType.CharConstant);
    return this.lexInsideAction;
  }

  lexNumber(): unknown {
    if (!this.scanNumber()) return this.errorf(`bad number syntax: ${goQuoteForLex(this.input.slice(this.start, this.pos))}`);
    const sign = this.peek();
    if (sign === 0x2b || sign === 0x2d) {
      if (!this.scanNumber() || this.input[this.pos - 1] !== 'i') {
        return this.errorf(`bad number syntax: ${goQuoteForLex(this.input.slice(this.start, this.pos))}`);
      }
      this.emit(ItemType.Complex);
    } else {
      this.emit(ItemType.Number);
    }
    return this.lexInsideAction;
  }

  scanNumber(): boolean {
    this.accept('+-');
    let digits = '0123456789_';
    if (this.accept('0')) {
      if (this.accept('xX')) digits = '0123456789abcdefABCDEF_';
      else if (this.accept('oO')) digits = '01234567_';
      else if (this.accept('bB')) digits = '01_';
    }
    this.acceptRun(digits);
    if (this.accept('.')) this.acceptRun(digits);
    if (digits.length === 11 && this.accept('eE')) {
      this.accept('+-');
      this.acceptRun('0123456789_');
    }
    if (digits.length === 23 && this.accept('pP')) {
      this.accept('+-');
      this.acceptRun('0123456789_');
    }
    this.accept('i');
    if (isAlphaNumeric(this.peek())) {
      this.next();
      return false;
    }
    return true;
  }

  lexQuote(): unknown {
    for (;;) {
      const r = this.next();
      if (r === 0x5c) {
        const e = this.next();
        if (e !== -1 && e !== 0x0a) continue;
        return this.errorf('unterminated quoted string');
      }
      if (r === -1 || r === 0x0a) return this.errorf('unterminated quoted string');
      if (r === 0x22) break;
    }
    this.emit(ItemType.String);
    return this.lexInsideAction;
  }

  lexRawQuote(): unknown {
    for (;;) {
      const r = this.next();
      if (r === -1) return this.errorf('unterminated raw quoted string');
      if (r === 0x60) break;
    }
    this.emit(ItemType.RawString);
    return this.lexInsideAction;
  }
}
