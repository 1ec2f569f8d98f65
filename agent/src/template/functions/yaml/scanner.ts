// libyaml's scanner as yaml.v2 carries it: characters into tokens, with its simple-key bookkeeping
// (a scalar may turn out to be a key when a ':' follows), indentation turned into BLOCK_*_START
// and BLOCK_END tokens, and its error texts. Tokens are made lazily, only as far as the parser
// asks (plus the look-ahead a possible simple key needs), because which error a broken document
// reports depends on how far libyaml had read.
import { Chars, copyMark, isBlank, isBlankz, isBreak, isBreakz, NUL, SPACE, TAB, YamlSyntaxError } from './chars.ts';
import type { Mark } from './chars.ts';
import { scanBlockScalar, scanFlowScalar, scanPlainScalar } from './scalars.ts';
import { scanAnchor, scanDirective, scanTag } from './tags.ts';
import { makeToken } from './tokens.ts';
import type { Token, TokenType } from './tokens.ts';

export { YamlSyntaxError };
export type { Mark, Token };

interface SimpleKey {
  possible: boolean;
  required: boolean;
  tokenNumber: number;
  mark: Mark;
}

const MAX_FLOW_LEVEL = 10000;
const MAX_INDENTS = 10000;

// characters that cannot start a plain scalar
const INDICATORS = new Set([...'-?:,[]{}#&*!|>\'"%@`'].map((ch) => ch.charCodeAt(0)));

export class Scanner {
  private readonly c: Chars; // the characters, as libyaml's reader hands them over

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
    this.c = new Chars(input);
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

  // ---- the token queue

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
    if (key.mark.line < this.c.mark.line || key.mark.index + 1024 < this.c.mark.index) {
      if (key.required) throw this.c.error(key.mark, "could not find expected ':'");
      key.possible = false;
      return false;
    }
    return true;
  }

  private saveSimpleKey(): void {
    const required = this.flowLevel === 0 && this.indent === this.c.mark.column;
    if (!this.simpleKeyAllowed) return;
    const key: SimpleKey = { possible: true, required, tokenNumber: this.tokensParsed + (this.tokens.length - this.head), mark: copyMark(this.c.mark) };
    this.removeSimpleKey();
    this.simpleKeys[this.simpleKeys.length - 1] = key;
    this.simpleKeysByToken.set(key.tokenNumber, this.simpleKeys.length - 1);
  }

  private removeSimpleKey(): void {
    const key = this.simpleKeys[this.simpleKeys.length - 1]!;
    if (key.possible) {
      if (key.required) throw this.c.error(key.mark, "could not find expected ':'");
      key.possible = false;
      this.simpleKeysByToken.delete(key.tokenNumber);
    }
  }

  private increaseFlowLevel(): void {
    this.simpleKeys.push({ possible: false, required: false, tokenNumber: this.tokensParsed + (this.tokens.length - this.head), mark: copyMark(this.c.mark) });
    this.flowLevel++;
    if (this.flowLevel > MAX_FLOW_LEVEL) throw this.c.error(this.simpleKeys[this.simpleKeys.length - 1]!.mark, `exceeded max depth of ${MAX_FLOW_LEVEL}`);
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
      if (this.indents.length > MAX_INDENTS) throw this.c.error(this.simpleKeys[this.simpleKeys.length - 1]!.mark, `exceeded max depth of ${MAX_INDENTS}`);
      this.insertToken(number > -1 ? number - this.tokensParsed : number, makeToken(type, copyMark(mark), copyMark(mark)));
    }
  }

  private unrollIndent(column: number): void {
    if (this.flowLevel > 0) return;
    while (this.indent > column) {
      this.insertToken(-1, makeToken('BLOCK_END', copyMark(this.c.mark), copyMark(this.c.mark)));
      this.indent = this.indents.pop()!;
    }
  }

  // ---- one token

  private fetchNextToken(): void {
    this.c.need(1);
    if (!this.streamStartProduced) {
      this.indent = -1;
      this.simpleKeys.push({ possible: false, required: false, tokenNumber: 0, mark: copyMark(this.c.mark) });
      this.simpleKeyAllowed = true;
      this.streamStartProduced = true;
      this.insertToken(-1, makeToken('STREAM_START', copyMark(this.c.mark), copyMark(this.c.mark)));
      return;
    }
    this.scanToNextToken();
    this.unrollIndent(this.c.mark.column);
    this.c.need(4);
    const c = this.c.at();
    if (c === NUL) return this.fetchStreamEnd();
    const column0 = this.c.mark.column === 0;
    if (column0 && c === 0x25 /* % */) return this.fetchDirective();
    if (column0 && c === 0x2d && this.c.at(1) === 0x2d && this.c.at(2) === 0x2d && isBlankz(this.c.at(3))) return this.fetchDocumentIndicator('DOCUMENT_START');
    if (column0 && c === 0x2e && this.c.at(1) === 0x2e && this.c.at(2) === 0x2e && isBlankz(this.c.at(3))) return this.fetchDocumentIndicator('DOCUMENT_END');
    switch (c) {
      case 0x5b: return this.fetchFlowCollectionStart('FLOW_SEQUENCE_START');
      case 0x7b: return this.fetchFlowCollectionStart('FLOW_MAPPING_START');
      case 0x5d: return this.fetchFlowCollectionEnd('FLOW_SEQUENCE_END');
      case 0x7d: return this.fetchFlowCollectionEnd('FLOW_MAPPING_END');
      case 0x2c: return this.fetchFlowEntry();
    }
    const next = this.c.at(1);
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
    throw this.c.error(copyMark(this.c.mark), 'found character that cannot start any token');
  }

  private fetchStreamEnd(): void {
    if (this.c.mark.column !== 0) {
      this.c.mark.column = 0;
      this.c.mark.line++;
    }
    this.unrollIndent(-1);
    this.removeSimpleKey();
    this.simpleKeyAllowed = false;
    this.insertToken(-1, makeToken('STREAM_END', copyMark(this.c.mark), copyMark(this.c.mark)));
  }

  private fetchDirective(): void {
    this.unrollIndent(-1);
    this.removeSimpleKey();
    this.simpleKeyAllowed = false;
    this.insertToken(-1, scanDirective(this.c));
  }

  private fetchDocumentIndicator(type: TokenType): void {
    this.unrollIndent(-1);
    this.removeSimpleKey();
    this.simpleKeyAllowed = false;
    const start = copyMark(this.c.mark);
    this.c.skip();
    this.c.skip();
    this.c.skip();
    this.insertToken(-1, makeToken(type, start, copyMark(this.c.mark)));
  }

  private fetchFlowCollectionStart(type: TokenType): void {
    this.saveSimpleKey();
    this.increaseFlowLevel();
    this.simpleKeyAllowed = true;
    const start = copyMark(this.c.mark);
    this.c.skip();
    this.insertToken(-1, makeToken(type, start, copyMark(this.c.mark)));
  }

  private fetchFlowCollectionEnd(type: TokenType): void {
    this.removeSimpleKey();
    this.decreaseFlowLevel();
    this.simpleKeyAllowed = false;
    const start = copyMark(this.c.mark);
    this.c.skip();
    this.insertToken(-1, makeToken(type, start, copyMark(this.c.mark)));
  }

  private fetchFlowEntry(): void {
    this.removeSimpleKey();
    this.simpleKeyAllowed = true;
    const start = copyMark(this.c.mark);
    this.c.skip();
    this.insertToken(-1, makeToken('FLOW_ENTRY', start, copyMark(this.c.mark)));
  }

  private fetchBlockEntry(): void {
    if (this.flowLevel === 0) {
      if (!this.simpleKeyAllowed) throw this.c.error(copyMark(this.c.mark), 'block sequence entries are not allowed in this context');
      this.rollIndent(this.c.mark.column, -1, 'BLOCK_SEQUENCE_START', this.c.mark);
    }
    this.removeSimpleKey();
    this.simpleKeyAllowed = true;
    const start = copyMark(this.c.mark);
    this.c.skip();
    this.insertToken(-1, makeToken('BLOCK_ENTRY', start, copyMark(this.c.mark)));
  }

  private fetchKey(): void {
    if (this.flowLevel === 0) {
      if (!this.simpleKeyAllowed) throw this.c.error(copyMark(this.c.mark), 'mapping keys are not allowed in this context');
      this.rollIndent(this.c.mark.column, -1, 'BLOCK_MAPPING_START', this.c.mark);
    }
    this.removeSimpleKey();
    this.simpleKeyAllowed = this.flowLevel === 0;
    const start = copyMark(this.c.mark);
    this.c.skip();
    this.insertToken(-1, makeToken('KEY', start, copyMark(this.c.mark)));
  }

  private fetchValue(): void {
    const key = this.simpleKeys[this.simpleKeys.length - 1]!;
    if (this.simpleKeyIsValid(key)) {
      // the scalar (or collection) before the ':' was a key after all
      this.insertToken(key.tokenNumber - this.tokensParsed, makeToken('KEY', copyMark(key.mark), copyMark(key.mark)));
      this.rollIndent(key.mark.column, key.tokenNumber, 'BLOCK_MAPPING_START', key.mark);
      key.possible = false;
      this.simpleKeysByToken.delete(key.tokenNumber);
      this.simpleKeyAllowed = false;
    } else {
      if (this.flowLevel === 0) {
        if (!this.simpleKeyAllowed) throw this.c.error(copyMark(this.c.mark), 'mapping values are not allowed in this context');
        this.rollIndent(this.c.mark.column, -1, 'BLOCK_MAPPING_START', this.c.mark);
      }
      this.simpleKeyAllowed = this.flowLevel === 0;
    }
    const start = copyMark(this.c.mark);
    this.c.skip();
    this.insertToken(-1, makeToken('VALUE', start, copyMark(this.c.mark)));
  }

  private fetchAnchor(type: 'ANCHOR' | 'ALIAS'): void {
    this.saveSimpleKey();
    this.simpleKeyAllowed = false;
    this.insertToken(-1, scanAnchor(this.c, type));
  }

  private fetchTag(): void {
    this.saveSimpleKey();
    this.simpleKeyAllowed = false;
    this.insertToken(-1, scanTag(this.c));
  }

  private fetchBlockScalar(literal: boolean): void {
    this.removeSimpleKey();
    this.simpleKeyAllowed = true;
    this.insertToken(-1, scanBlockScalar(this.c, literal, this.indent));
  }

  private fetchFlowScalar(single: boolean): void {
    this.saveSimpleKey();
    this.simpleKeyAllowed = false;
    this.insertToken(-1, scanFlowScalar(this.c, single));
  }

  private fetchPlainScalar(): void {
    this.saveSimpleKey();
    this.simpleKeyAllowed = false;
    const { token, leadingBlanks } = scanPlainScalar(this.c, this.indent, this.flowLevel > 0);
    // a plain scalar that ran over a line break may be followed by a key
    if (leadingBlanks) this.simpleKeyAllowed = true;
    this.insertToken(-1, token);
  }

  private scanToNextToken(): void {
    for (;;) {
      this.c.need(1);
      if (this.c.mark.column === 0 && this.c.atBufferBom()) this.c.skip();
      this.c.need(1);
      while (this.c.at() === SPACE || ((this.flowLevel > 0 || !this.simpleKeyAllowed) && this.c.at() === TAB)) {
        this.c.skip();
        this.c.need(1);
      }
      if (this.c.at() === 0x23) {
        while (!isBreakz(this.c.at())) {
          this.c.skip();
          this.c.need(1);
        }
      }
      if (!isBreak(this.c.at())) break;
      this.c.need(2);
      this.c.skipLine();
      if (this.flowLevel === 0) this.simpleKeyAllowed = true;
    }
  }
}
