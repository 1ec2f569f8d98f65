// libyaml's scanner as yaml.v2 carries it: characters into tokens, with its simple-key bookkeeping
// (a scalar may turn out to be a key when a ':' follows), indentation turned into BLOCK_*_START
// and BLOCK_END tokens, and its error texts. Tokens are made lazily, only as far as the parser
// asks (plus the look-ahead a possible simple key needs), because which error a broken document
// reports depends on how far libyaml had read.
import { decodeGoBytes } from '../../gostring.ts';
import { readInput } from './reader.ts';

export interface Mark {
  index: number; // characters
  line: number;
  column: number;
}

export type TokenType =
  | 'STREAM_START' | 'STREAM_END' | 'VERSION_DIRECTIVE' | 'TAG_DIRECTIVE' | 'DOCUMENT_START' | 'DOCUMENT_END'
  | 'BLOCK_SEQUENCE_START' | 'BLOCK_MAPPING_START' | 'BLOCK_END' | 'FLOW_SEQUENCE_START' | 'FLOW_SEQUENCE_END'
  | 'FLOW_MAPPING_START' | 'FLOW_MAPPING_END' | 'BLOCK_ENTRY' | 'FLOW_ENTRY' | 'KEY' | 'VALUE' | 'ALIAS'
  | 'ANCHOR' | 'TAG' | 'SCALAR';

export type ScalarStyle = 'plain' | 'single' | 'double' | 'literal' | 'folded';

export interface Token {
  type: TokenType;
  start: Mark;
  end: Mark;
  /** scalar text, anchor/alias name, tag handle, %TAG handle */
  value: string;
  /** tag suffix, %TAG prefix */
  suffix: string;
  style: ScalarStyle;
  major: number;
  minor: number;
}

/** A libyaml error: which stage raised it, the marks it names and its problem text. */
export class YamlSyntaxError extends Error {
  constructor(
    readonly stage: 'reader' | 'scanner' | 'parser',
    readonly problem: string,
    readonly problemMark: Mark | undefined,
    readonly contextMark: Mark | undefined,
  ) {
    super(problem);
  }
}

interface SimpleKey {
  possible: boolean;
  required: boolean;
  tokenNumber: number;
  mark: Mark;
}

const MAX_FLOW_LEVEL = 10000;
const MAX_INDENTS = 10000;

const NUL = 0;
const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;

function isBreak(c: number): boolean {
  return c === LF || c === CR || c === 0x85 || c === 0x2028 || c === 0x2029;
}
function isBlank(c: number): boolean {
  return c === SPACE || c === TAB;
}
function isBlankz(c: number): boolean {
  return c === SPACE || c === TAB || c === NUL || isBreak(c);
}
function isBreakz(c: number): boolean {
  return c === NUL || isBreak(c);
}
function isAlpha(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f || c === 0x2d;
}
function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}
function isHex(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}
function hexValue(c: number): number {
  return c <= 0x39 ? c - 0x30 : c <= 0x46 ? c - 0x41 + 10 : c - 0x61 + 10;
}
// characters a tag URI may hold besides letters, digits, '-' and '_'
const URI_CHARS = new Set([...';/?:@&=+$,.!~*\'()[]%'].map((c) => c.charCodeAt(0)));
// characters that may follow an anchor or alias name
const AFTER_ANCHOR = new Set([...'?:,]}%@`'].map((c) => c.charCodeAt(0)));
// characters that cannot start a plain scalar
const INDICATORS = new Set([...'-?:,[]{}#&*!|>\'"%@`'].map((c) => c.charCodeAt(0)));

function copy(mark: Mark): Mark {
  return { index: mark.index, line: mark.line, column: mark.column };
}

export class Scanner {
  private readonly text: string;
  private readonly chunkEnds: readonly number[];
  private readonly readerProblem: string;
  private chunk = 0; // chunks decoded
  private decoded = 0; // characters decoded (the reader's NULs at the end included)
  private bufferStart = 0; // where libyaml's buffer starts (code units): see scanToNextToken
  private pos = 0; // code units into text
  private readonly mark: Mark = { index: 0, line: 0, column: 0 };

  private tokens: Token[] = [];
  private head = 0;
  private tokensParsed = 0;
  private tokenAvailable = false;
  private streamStartProduced = false;
  private streamEndProduced = false;

  private indent = -1;
  private readonly indents: number[] = [];
  private flowLevel = 0;
  private simpleKeyAllowed = false;
  private readonly simpleKeys: SimpleKey[] = [];
  private readonly simpleKeysByToken = new Map<number, number>();

  constructor(input: string) {
    const read = readInput(input);
    this.text = read.text;
    this.chunkEnds = read.chunkEnds;
    this.readerProblem = read.problem;
  }

  // ---- the parser's side

  /** The next token, made if needed. */
  peek(): Token {
    if (!this.tokenAvailable) this.fetchMoreTokens();
    return this.tokens[this.head]!;
  }

  skip(): void {
    this.tokenAvailable = false;
    this.tokensParsed++;
    this.streamEndProduced = this.tokens[this.head]!.type === 'STREAM_END';
    this.head++;
  }

  get done(): boolean {
    return this.streamEndProduced;
  }

  // ---- characters

  /** libyaml's cache(): the reader must have n characters ready, or says what is wrong. */
  private need(n: number): void {
    if (this.decoded - this.mark.index < n) this.update(n);
  }

  /** libyaml's yaml_parser_update_buffer: what is left moves to the buffer's start, then raw
   *  chunks are decoded until n characters are ready (past the end: one NUL per call). */
  private update(n: number): void {
    this.bufferStart = this.pos;
    while (this.decoded - this.mark.index < n) {
      if (this.chunk < this.chunkEnds.length) this.decoded = this.chunkEnds[this.chunk++]!;
      else if (this.readerProblem !== '') throw new YamlSyntaxError('reader', this.readerProblem, undefined, undefined);
      else {
        this.decoded++;
        break;
      }
    }
  }

  private at(offset = 0): number {
    // offset counts characters; only the first may be astral where it matters (never for
    // indicators), so code units are good enough past it
    const c = this.text.charCodeAt(this.pos + offset);
    return c !== c ? NUL : c; // NaN past the end: the reader's terminating NUL
  }

  private width(): number {
    const c = this.text.charCodeAt(this.pos);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = this.text.charCodeAt(this.pos + 1);
      if (d >= 0xdc00 && d <= 0xdfff) return 2;
    }
    return 1;
  }

  private skipChar(): void {
    this.mark.index++;
    this.mark.column++;
    this.pos += this.width();
  }

  private skipLine(): void {
    const c = this.at();
    if (c === CR && this.at(1) === LF) {
      this.mark.index += 2;
      this.mark.column = 0;
      this.mark.line++;
      this.pos += 2;
    } else if (isBreak(c)) {
      this.mark.index++;
      this.mark.column = 0;
      this.mark.line++;
      this.pos++;
    }
  }

  /** One character, as it is. */
  private readChar(): string {
    const w = this.width();
    const s = this.text.slice(this.pos, this.pos + w);
    this.pos += w;
    this.mark.index++;
    this.mark.column++;
    return s;
  }

  /** One line break: CR, LF, CRLF and NEL read as "\n", LS and PS kept. */
  private readLine(): string {
    const c = this.at();
    let s: string;
    if (c === CR && this.at(1) === LF) {
      s = '\n';
      this.pos += 2;
      this.mark.index++;
    } else if (c === CR || c === LF || c === 0x85) {
      s = '\n';
      this.pos++;
    } else if (c === 0x2028 || c === 0x2029) {
      s = String.fromCharCode(c);
      this.pos++;
    } else return '';
    this.mark.index++;
    this.mark.column = 0;
    this.mark.line++;
    return s;
  }

  private scannerError(context: string, contextMark: Mark, problem: string): YamlSyntaxError {
    void context; // yaml.v2 prints only the problem
    return new YamlSyntaxError('scanner', problem, copy(this.mark), contextMark);
  }

  // ---- the token queue

  private token(type: TokenType, start: Mark, end: Mark, value = '', style: ScalarStyle = 'plain'): Token {
    return { type, start, end, value, suffix: '', style, major: 0, minor: 0 };
  }

  private insertToken(position: number, token: Token): void {
    if (this.head > 0 && this.head === this.tokens.length) {
      this.tokens = [];
      this.head = 0;
    } else if (this.head > 64) {
      this.tokens = this.tokens.slice(this.head);
      this.head = 0;
    }
    if (position < 0) this.tokens.push(token);
    else this.tokens.splice(this.head + position, 0, token);
  }

  private fetchMoreTokens(): void {
    for (;;) {
      if (this.head !== this.tokens.length) {
        // more tokens are needed while the head token may still become a simple key
        const keyIndex = this.simpleKeysByToken.get(this.tokensParsed);
        if (keyIndex === undefined || !this.simpleKeyIsValid(this.simpleKeys[keyIndex]!)) break;
      }
      this.fetchNextToken();
    }
    this.tokenAvailable = true;
  }

  private simpleKeyIsValid(key: SimpleKey): boolean {
    if (!key.possible) return false;
    if (key.mark.line < this.mark.line || key.mark.index + 1024 < this.mark.index) {
      if (key.required) throw this.scannerError('while scanning a simple key', key.mark, "could not find expected ':'");
      key.possible = false;
      return false;
    }
    return true;
  }

  private saveSimpleKey(): void {
    const required = this.flowLevel === 0 && this.indent === this.mark.column;
    if (!this.simpleKeyAllowed) return;
    const key: SimpleKey = { possible: true, required, tokenNumber: this.tokensParsed + (this.tokens.length - this.head), mark: copy(this.mark) };
    this.removeSimpleKey();
    this.simpleKeys[this.simpleKeys.length - 1] = key;
    this.simpleKeysByToken.set(key.tokenNumber, this.simpleKeys.length - 1);
  }

  private removeSimpleKey(): void {
    const key = this.simpleKeys[this.simpleKeys.length - 1]!;
    if (key.possible) {
      if (key.required) throw this.scannerError('while scanning a simple key', key.mark, "could not find expected ':'");
      key.possible = false;
      this.simpleKeysByToken.delete(key.tokenNumber);
    }
  }

  private increaseFlowLevel(): void {
    this.simpleKeys.push({ possible: false, required: false, tokenNumber: this.tokensParsed + (this.tokens.length - this.head), mark: copy(this.mark) });
    this.flowLevel++;
    if (this.flowLevel > MAX_FLOW_LEVEL) throw this.scannerError('while increasing flow level', this.simpleKeys[this.simpleKeys.length - 1]!.mark, `exceeded max depth of ${MAX_FLOW_LEVEL}`);
  }

  private decreaseFlowLevel(): void {
    if (this.flowLevel > 0) {
      this.flowLevel--;
      const key = this.simpleKeys.pop()!;
      this.simpleKeysByToken.delete(key.tokenNumber);
    }
  }

  private rollIndent(column: number, number: number, type: TokenType, mark: Mark): void {
    if (this.flowLevel > 0) return;
    if (this.indent < column) {
      this.indents.push(this.indent);
      this.indent = column;
      if (this.indents.length > MAX_INDENTS) throw this.scannerError('while increasing indent level', this.simpleKeys[this.simpleKeys.length - 1]!.mark, `exceeded max depth of ${MAX_INDENTS}`);
      this.insertToken(number > -1 ? number - this.tokensParsed : number, this.token(type, copy(mark), copy(mark)));
    }
  }

  private unrollIndent(column: number): void {
    if (this.flowLevel > 0) return;
    while (this.indent > column) {
      this.insertToken(-1, this.token('BLOCK_END', copy(this.mark), copy(this.mark)));
      this.indent = this.indents.pop()!;
    }
  }

  // ---- one token

  private fetchNextToken(): void {
    this.need(1);
    if (!this.streamStartProduced) {
      this.indent = -1;
      this.simpleKeys.push({ possible: false, required: false, tokenNumber: 0, mark: copy(this.mark) });
      this.simpleKeyAllowed = true;
      this.streamStartProduced = true;
      this.insertToken(-1, this.token('STREAM_START', copy(this.mark), copy(this.mark)));
      return;
    }
    this.scanToNextToken();
    this.unrollIndent(this.mark.column);
    this.need(4);
    const c = this.at();
    if (c === NUL) return this.fetchStreamEnd();
    const column0 = this.mark.column === 0;
    if (column0 && c === 0x25 /* % */) return this.fetchDirective();
    if (column0 && c === 0x2d && this.at(1) === 0x2d && this.at(2) === 0x2d && isBlankz(this.at(3))) return this.fetchDocumentIndicator('DOCUMENT_START');
    if (column0 && c === 0x2e && this.at(1) === 0x2e && this.at(2) === 0x2e && isBlankz(this.at(3))) return this.fetchDocumentIndicator('DOCUMENT_END');
    switch (c) {
      case 0x5b: return this.fetchFlowCollectionStart('FLOW_SEQUENCE_START');
      case 0x7b: return this.fetchFlowCollectionStart('FLOW_MAPPING_START');
      case 0x5d: return this.fetchFlowCollectionEnd('FLOW_SEQUENCE_END');
      case 0x7d: return this.fetchFlowCollectionEnd('FLOW_MAPPING_END');
      case 0x2c: return this.fetchFlowEntry();
    }
    const next = this.at(1);
    if (c === 0x2d && isBlankz(next)) return this.fetchBlockEntry();
    if (c === 0x3f && (this.flowLevel > 0 || isBlankz(next))) return this.fetchKey();
    if (c === 0x3a && (this.flowLevel > 0 || isBlankz(next))) return this.fetchValue();
    if (c === 0x2a) return this.fetchAnchor('ALIAS');
    if (c === 0x26) return this.fetchAnchor('ANCHOR');
    if (c === 0x21) return this.fetchTag();
    if (c === 0x7c && this.flowLevel === 0) return this.fetchBlockScalar(true);
    if (c === 0x3e && this.flowLevel === 0) return this.fetchBlockScalar(false);
    if (c === 0x27) return this.fetchFlowScalar(true);
    if (c === 0x22) return this.fetchFlowScalar(false);
    if (!(isBlankz(c) || INDICATORS.has(c)) || (c === 0x2d && !isBlank(next))
      || (this.flowLevel === 0 && (c === 0x3f || c === 0x3a) && !isBlankz(next))) return this.fetchPlainScalar();
    throw this.scannerError('while scanning for the next token', copy(this.mark), 'found character that cannot start any token');
  }

  private fetchStreamEnd(): void {
    if (this.mark.column !== 0) {
      this.mark.column = 0;
      this.mark.line++;
    }
    this.unrollIndent(-1);
    this.removeSimpleKey();
    this.simpleKeyAllowed = false;
    this.insertToken(-1, this.token('STREAM_END', copy(this.mark), copy(this.mark)));
  }

  private fetchDirective(): void {
    this.unrollIndent(-1);
    this.removeSimpleKey();
    this.simpleKeyAllowed = false;
    this.insertToken(-1, this.scanDirective());
  }

  private fetchDocumentIndicator(type: TokenType): void {
    this.unrollIndent(-1);
    this.removeSimpleKey();
    this.simpleKeyAllowed = false;
    const start = copy(this.mark);
    this.skipChar();
    this.skipChar();
    this.skipChar();
    this.insertToken(-1, this.token(type, start, copy(this.mark)));
  }

  private fetchFlowCollectionStart(type: TokenType): void {
    this.saveSimpleKey();
    this.increaseFlowLevel();
    this.simpleKeyAllowed = true;
    const start = copy(this.mark);
    this.skipChar();
    this.insertToken(-1, this.token(type, start, copy(this.mark)));
  }

  private fetchFlowCollectionEnd(type: TokenType): void {
    this.removeSimpleKey();
    this.decreaseFlowLevel();
    this.simpleKeyAllowed = false;
    const start = copy(this.mark);
    this.skipChar();
    this.insertToken(-1, this.token(type, start, copy(this.mark)));
  }

  private fetchFlowEntry(): void {
    this.removeSimpleKey();
    this.simpleKeyAllowed = true;
    const start = copy(this.mark);
    this.skipChar();
    this.insertToken(-1, this.token('FLOW_ENTRY', start, copy(this.mark)));
  }

  private fetchBlockEntry(): void {
    if (this.flowLevel === 0) {
      if (!this.simpleKeyAllowed) throw this.scannerError('', copy(this.mark), 'block sequence entries are not allowed in this context');
      this.rollIndent(this.mark.column, -1, 'BLOCK_SEQUENCE_START', this.mark);
    }
    this.removeSimpleKey();
    this.simpleKeyAllowed = true;
    const start = copy(this.mark);
    this.skipChar();
    this.insertToken(-1, this.token('BLOCK_ENTRY', start, copy(this.mark)));
  }

  private fetchKey(): void {
    if (this.flowLevel === 0) {
      if (!this.simpleKeyAllowed) throw this.scannerError('', copy(this.mark), 'mapping keys are not allowed in this context');
      this.rollIndent(this.mark.column, -1, 'BLOCK_MAPPING_START', this.mark);
    }
    this.removeSimpleKey();
    this.simpleKeyAllowed = this.flowLevel === 0;
    const start = copy(this.mark);
    this.skipChar();
    this.insertToken(-1, this.token('KEY', start, copy(this.mark)));
  }

  private fetchValue(): void {
    const key = this.simpleKeys[this.simpleKeys.length - 1]!;
    if (this.simpleKeyIsValid(key)) {
      // the scalar (or collection) before the ':' was a key after all
      this.insertToken(key.tokenNumber - this.tokensParsed, this.token('KEY', copy(key.mark), copy(key.mark)));
      this.rollIndent(key.mark.column, key.tokenNumber, 'BLOCK_MAPPING_START', key.mark);
      key.possible = false;
      this.simpleKeysByToken.delete(key.tokenNumber);
      this.simpleKeyAllowed = false;
    } else {
      if (this.flowLevel === 0) {
        if (!this.simpleKeyAllowed) throw this.scannerError('', copy(this.mark), 'mapping values are not allowed in this context');
        this.rollIndent(this.mark.column, -1, 'BLOCK_MAPPING_START', this.mark);
      }
      this.simpleKeyAllowed = this.flowLevel === 0;
    }
    const start = copy(this.mark);
    this.skipChar();
    this.insertToken(-1, this.token('VALUE', start, copy(this.mark)));
  }

  private fetchAnchor(type: 'ANCHOR' | 'ALIAS'): void {
    this.saveSimpleKey();
    this.simpleKeyAllowed = false;
    this.insertToken(-1, this.scanAnchor(type));
  }

  private fetchTag(): void {
    this.saveSimpleKey();
    this.simpleKeyAllowed = false;
    this.insertToken(-1, this.scanTag());
  }

  private fetchBlockScalar(literal: boolean): void {
    this.removeSimpleKey();
    this.simpleKeyAllowed = true;
    this.insertToken(-1, this.scanBlockScalar(literal));
  }

  private fetchFlowScalar(single: boolean): void {
    this.saveSimpleKey();
    this.simpleKeyAllowed = false;
    this.insertToken(-1, this.scanFlowScalar(single));
  }

  private fetchPlainScalar(): void {
    this.saveSimpleKey();
    this.simpleKeyAllowed = false;
    this.insertToken(-1, this.scanPlainScalar());
  }

  private scanToNextToken(): void {
    for (;;) {
      this.need(1);
      // yaml.v2's is_bom looks at the buffer's first character, not the current one
      if (this.mark.column === 0 && this.text.charCodeAt(this.bufferStart) === 0xfeff) this.skipChar();
      this.need(1);
      while (this.at() === SPACE || ((this.flowLevel > 0 || !this.simpleKeyAllowed) && this.at() === TAB)) {
        this.skipChar();
        this.need(1);
      }
      if (this.at() === 0x23) {
        while (!isBreakz(this.at())) {
          this.skipChar();
          this.need(1);
        }
      }
      if (!isBreak(this.at())) break;
      this.need(2);
      this.skipLine();
      if (this.flowLevel === 0) this.simpleKeyAllowed = true;
    }
  }

  // ---- directives

  private skipBlanks(): void {
    this.need(1);
    while (isBlank(this.at())) {
      this.skipChar();
      this.need(1);
    }
  }

  private scanDirective(): Token {
    const start = copy(this.mark);
    this.skipChar();
    const name = this.scanDirectiveName(start);
    let token: Token;
    if (name === 'YAML') {
      this.skipBlanks();
      const major = this.scanVersionNumber(start);
      if (this.at() !== 0x2e) throw this.scannerError('while scanning a %YAML directive', start, "did not find expected digit or '.' character");
      this.skipChar();
      const minor = this.scanVersionNumber(start);
      token = this.token('VERSION_DIRECTIVE', start, copy(this.mark));
      token.major = major;
      token.minor = minor;
    } else if (name === 'TAG') {
      this.skipBlanks();
      const handle = this.scanTagHandle(true, start);
      this.need(1);
      if (!isBlank(this.at())) throw this.scannerError('while scanning a %TAG directive', start, 'did not find expected whitespace');
      this.skipBlanks();
      const prefix = this.scanTagUri(true, '', start);
      this.need(1);
      if (!isBlankz(this.at())) throw this.scannerError('while scanning a %TAG directive', start, 'did not find expected whitespace or line break');
      token = this.token('TAG_DIRECTIVE', start, copy(this.mark), handle);
      token.suffix = prefix;
    } else {
      throw this.scannerError('while scanning a directive', start, 'found unknown directive name');
    }
    this.skipBlanks();
    if (this.at() === 0x23) {
      while (!isBreakz(this.at())) {
        this.skipChar();
        this.need(1);
      }
    }
    if (!isBreakz(this.at())) throw this.scannerError('while scanning a directive', start, 'did not find expected comment or line break');
    if (isBreak(this.at())) {
      this.need(2);
      this.skipLine();
    }
    return token;
  }

  private scanDirectiveName(start: Mark): string {
    this.need(1);
    let s = '';
    while (isAlpha(this.at())) {
      s += this.readChar();
      this.need(1);
    }
    if (s === '') throw this.scannerError('while scanning a directive', start, 'could not find expected directive name');
    if (!isBlankz(this.at())) throw this.scannerError('while scanning a directive', start, 'found unexpected non-alphabetical character');
    return s;
  }

  private scanVersionNumber(start: Mark): number {
    this.need(1);
    let value = 0;
    let length = 0;
    while (isDigit(this.at())) {
      length++;
      if (length > 2) throw this.scannerError('while scanning a %YAML directive', start, 'found extremely long version number');
      value = value * 10 + (this.at() - 0x30);
      this.skipChar();
      this.need(1);
    }
    if (length === 0) throw this.scannerError('while scanning a %YAML directive', start, 'did not find expected version number');
    return value;
  }

  // ---- anchors and tags

  private scanAnchor(type: 'ANCHOR' | 'ALIAS'): Token {
    const start = copy(this.mark);
    this.skipChar();
    this.need(1);
    let s = '';
    while (isAlpha(this.at())) {
      s += this.readChar();
      this.need(1);
    }
    const end = copy(this.mark);
    const c = this.at();
    if (s === '' || !(isBlankz(c) || AFTER_ANCHOR.has(c))) {
      throw this.scannerError(type === 'ANCHOR' ? 'while scanning an anchor' : 'while scanning an alias', start, 'did not find expected alphabetic or numeric character');
    }
    return this.token(type, start, end, s);
  }

  private scanTag(): Token {
    const start = copy(this.mark);
    let handle: string;
    let suffix: string;
    this.need(2);
    if (this.at(1) === 0x3c /* < */) {
      this.skipChar();
      this.skipChar();
      handle = '';
      suffix = this.scanTagUri(false, '', start);
      if (this.at() !== 0x3e) throw this.scannerError('while scanning a tag', start, "did not find the expected '>'");
      this.skipChar();
    } else {
      handle = this.scanTagHandle(false, start);
      if (handle.length > 1 && handle.endsWith('!')) {
        suffix = this.scanTagUri(false, '', start);
      } else {
        // '!' alone or '!local': the handle is '!', what follows it the suffix
        suffix = this.scanTagUri(false, handle, start);
        handle = '!';
        if (suffix === '') {
          suffix = handle;
          handle = '';
        }
      }
    }
    this.need(1);
    if (!isBlankz(this.at())) throw this.scannerError('while scanning a tag', start, 'did not find expected whitespace or line break');
    const token = this.token('TAG', start, copy(this.mark), handle);
    token.suffix = suffix;
    return token;
  }

  private tagError(directive: boolean, start: Mark, problem: string): YamlSyntaxError {
    return this.scannerError(directive ? 'while parsing a %TAG directive' : 'while parsing a tag', start, problem);
  }

  private scanTagHandle(directive: boolean, start: Mark): string {
    this.need(1);
    if (this.at() !== 0x21) throw this.tagError(directive, start, "did not find expected '!'");
    let s = this.readChar();
    this.need(1);
    while (isAlpha(this.at())) {
      s += this.readChar();
      this.need(1);
    }
    if (this.at() === 0x21) s += this.readChar();
    else if (directive && s !== '!') throw this.tagError(directive, start, "did not find expected '!'");
    return s;
  }

  private scanTagUri(directive: boolean, head: string, start: Mark): string {
    let hasTag = head.length > 0;
    const bytes: number[] = [];
    let s = head.length > 1 ? head.slice(1) : '';
    this.need(1);
    for (;;) {
      const c = this.at();
      if (!(isAlpha(c) || URI_CHARS.has(c))) break;
      if (c === 0x25) {
        // %-escapes make UTF-8 bytes; yaml.v2 keeps them as bytes in the tag
        bytes.length = 0;
        this.scanUriEscapes(directive, start, bytes);
        s += decodeGoBytes(Uint8Array.from(bytes));
      } else s += this.readChar();
      this.need(1);
      hasTag = true;
    }
    if (!hasTag) throw this.tagError(directive, start, 'did not find expected tag URI');
    return s;
  }

  private scanUriEscapes(directive: boolean, start: Mark, out: number[]): void {
    let w = 1024;
    while (w > 0) {
      this.need(3);
      if (!(this.at() === 0x25 && isHex(this.at(1)) && isHex(this.at(2)))) throw this.tagError(directive, start, 'did not find URI escaped octet');
      const octet = (hexValue(this.at(1)) << 4) + hexValue(this.at(2));
      if (w === 1024) {
        w = (octet & 0x80) === 0 ? 1 : (octet & 0xe0) === 0xc0 ? 2 : (octet & 0xf0) === 0xe0 ? 3 : (octet & 0xf8) === 0xf0 ? 4 : 0;
        if (w === 0) throw this.tagError(directive, start, 'found an incorrect leading UTF-8 octet');
      } else if ((octet & 0xc0) !== 0x80) throw this.tagError(directive, start, 'found an incorrect trailing UTF-8 octet');
      out.push(octet);
      this.skipChar();
      this.skipChar();
      this.skipChar();
      w--;
    }
  }

  // ---- scalars

  private scanBlockScalar(literal: boolean): Token {
    const start = copy(this.mark);
    this.skipChar();
    this.need(1);
    let chomping = 0;
    let increment = 0;
    const context = 'while scanning a block scalar';
    let c = this.at();
    if (c === 0x2b || c === 0x2d) {
      chomping = c === 0x2b ? 1 : -1;
      this.skipChar();
      this.need(1);
      if (isDigit(this.at())) {
        if (this.at() === 0x30) throw this.scannerError(context, start, 'found an indentation indicator equal to 0');
        increment = this.at() - 0x30;
        this.skipChar();
      }
    } else if (isDigit(c)) {
      if (c === 0x30) throw this.scannerError(context, start, 'found an indentation indicator equal to 0');
      increment = c - 0x30;
      this.skipChar();
      this.need(1);
      c = this.at();
      if (c === 0x2b || c === 0x2d) {
        chomping = c === 0x2b ? 1 : -1;
        this.skipChar();
      }
    }
    this.skipBlanks();
    if (this.at() === 0x23) {
      while (!isBreakz(this.at())) {
        this.skipChar();
        this.need(1);
      }
    }
    if (!isBreakz(this.at())) throw this.scannerError(context, start, 'did not find expected comment or line break');
    if (isBreak(this.at())) {
      this.need(2);
      this.skipLine();
    }
    const state = { end: copy(this.mark), indent: increment > 0 ? (this.indent >= 0 ? this.indent + increment : increment) : 0, breaks: '' };
    this.scanBlockScalarBreaks(state, start);
    this.need(1);
    let s = '';
    let leadingBreak = '';
    let leadingBlank = false;
    while (this.mark.column === state.indent && this.at() !== NUL) {
      const trailingBlank = isBlank(this.at());
      if (!literal && !leadingBlank && !trailingBlank && leadingBreak.startsWith('\n')) {
        // a folded line break becomes a space, unless empty lines follow it
        if (state.breaks === '') s += ' ';
      } else s += leadingBreak;
      leadingBreak = '';
      s += state.breaks;
      state.breaks = '';
      leadingBlank = isBlank(this.at());
      const from = this.pos;
      while (!isBreakz(this.at())) {
        this.pos += this.width();
        this.mark.index++;
        this.mark.column++;
        this.need(1);
      }
      s += this.text.slice(from, this.pos);
      this.need(2);
      leadingBreak = this.readLine();
      this.scanBlockScalarBreaks(state, start);
    }
    if (chomping !== -1) s += leadingBreak;
    if (chomping === 1) s += state.breaks;
    return this.token('SCALAR', start, state.end, s, literal ? 'literal' : 'folded');
  }

  private scanBlockScalarBreaks(state: { end: Mark; indent: number; breaks: string }, start: Mark): void {
    state.end = copy(this.mark);
    let maxIndent = 0;
    for (;;) {
      this.need(1);
      while ((state.indent === 0 || this.mark.column < state.indent) && this.at() === SPACE) {
        this.skipChar();
        this.need(1);
      }
      if (this.mark.column > maxIndent) maxIndent = this.mark.column;
      if ((state.indent === 0 || this.mark.column < state.indent) && this.at() === TAB) {
        throw this.scannerError('while scanning a block scalar', start, 'found a tab character where an indentation space is expected');
      }
      if (!isBreak(this.at())) break;
      this.need(2);
      state.breaks += this.readLine();
      state.end = copy(this.mark);
    }
    if (state.indent === 0) {
      state.indent = Math.max(maxIndent, this.indent + 1, 1);
    }
  }

  private scanFlowScalar(single: boolean): Token {
    const start = copy(this.mark);
    this.skipChar();
    let s = '';
    let leadingBreak = '';
    let trailingBreaks = '';
    let whitespaces = '';
    const quote = single ? 0x27 : 0x22;
    for (;;) {
      this.need(4);
      if (this.mark.column === 0 && ((this.at() === 0x2d && this.at(1) === 0x2d && this.at(2) === 0x2d) || (this.at() === 0x2e && this.at(1) === 0x2e && this.at(2) === 0x2e)) && isBlankz(this.at(3))) {
        throw this.scannerError('while scanning a quoted scalar', start, 'found unexpected document indicator');
      }
      if (this.at() === NUL) throw this.scannerError('while scanning a quoted scalar', start, 'found unexpected end of stream');
      let leadingBlanks = false;
      while (!isBlankz(this.at())) {
        const c = this.at();
        if (single && c === 0x27 && this.at(1) === 0x27) {
          s += "'";
          this.skipChar();
          this.skipChar();
        } else if (c === quote) {
          break;
        } else if (!single && c === 0x5c && isBreak(this.at(1))) {
          this.need(3);
          this.skipChar();
          this.skipLine();
          leadingBlanks = true;
          break;
        } else if (!single && c === 0x5c) {
          s += this.scanEscape(start);
        } else {
          s += this.readChar();
        }
        this.need(2);
      }
      this.need(1);
      if (this.at() === quote) break;
      while (isBlank(this.at()) || isBreak(this.at())) {
        if (isBlank(this.at())) {
          if (!leadingBlanks) whitespaces += this.readChar();
          else this.skipChar();
        } else {
          this.need(2);
          if (!leadingBlanks) {
            whitespaces = '';
            leadingBreak = this.readLine();
            leadingBlanks = true;
          } else trailingBreaks += this.readLine();
        }
        this.need(1);
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
    this.skipChar();
    return this.token('SCALAR', start, copy(this.mark), s, single ? 'single' : 'double');
  }

  private scanEscape(start: Mark): string {
    const context = 'while parsing a quoted scalar';
    let out: string;
    let codeLength = 0;
    switch (this.at(1)) {
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
      default: throw this.scannerError(context, start, 'found unknown escape character');
    }
    this.skipChar();
    this.skipChar();
    if (codeLength > 0) {
      this.need(codeLength);
      let value = 0;
      for (let k = 0; k < codeLength; k++) {
        const c = this.at(k);
        if (!isHex(c)) throw this.scannerError(context, start, 'did not find expected hexdecimal number');
        value = value * 16 + hexValue(c);
      }
      if ((value >= 0xd800 && value <= 0xdfff) || value > 0x10ffff) throw this.scannerError(context, start, 'found invalid Unicode character escape code');
      out = String.fromCodePoint(value);
      for (let k = 0; k < codeLength; k++) this.skipChar();
    }
    return out;
  }

  private scanPlainScalar(): Token {
    let s = '';
    let leadingBreak = '';
    let trailingBreaks = '';
    let whitespaces = '';
    let leadingBlanks = false;
    const indent = this.indent + 1;
    const start = copy(this.mark);
    let end = copy(this.mark);
    const flow = this.flowLevel > 0;
    for (;;) {
      this.need(4);
      if (this.mark.column === 0 && ((this.at() === 0x2d && this.at(1) === 0x2d && this.at(2) === 0x2d) || (this.at() === 0x2e && this.at(1) === 0x2e && this.at(2) === 0x2e)) && isBlankz(this.at(3))) break;
      if (this.at() === 0x23) break;
      let from = -1;
      while (!isBlankz(this.at())) {
        const c = this.at();
        if (c === 0x3a && isBlankz(this.at(1))) break;
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
        if (from < 0) from = this.pos;
        this.pos += this.width();
        this.mark.index++;
        this.mark.column++;
        this.need(2);
      }
      if (from >= 0) {
        s += this.text.slice(from, this.pos);
        end = copy(this.mark);
      }
      if (!(isBlank(this.at()) || isBreak(this.at()))) break;
      this.need(1);
      while (isBlank(this.at()) || isBreak(this.at())) {
        if (isBlank(this.at())) {
          if (leadingBlanks && this.mark.column < indent && this.at() === TAB) {
            throw this.scannerError('while scanning a plain scalar', start, 'found a tab character that violates indentation');
          }
          if (!leadingBlanks) whitespaces += this.readChar();
          else this.skipChar();
        } else {
          this.need(2);
          if (!leadingBlanks) {
            whitespaces = '';
            leadingBreak = this.readLine();
            leadingBlanks = true;
          } else trailingBreaks += this.readLine();
        }
        this.need(1);
      }
      if (!flow && this.mark.column < indent) break;
    }
    if (leadingBlanks) this.simpleKeyAllowed = true;
    return this.token('SCALAR', start, end, s, 'plain');
  }
}
