// The characters the scanner reads, as libyaml hands them over: marks (character index, line,
// column), its cache() calls that decode the reader's chunks only when more is needed (a bad
// character is reported then), the terminating NUL, and libyaml's character classes.
import { readInput } from './reader.ts';

export interface Mark {
  index: number; // characters
  line: number;
  column: number;
}

export function copyMark(mark: Mark): Mark {
  return { index: mark.index, line: mark.line, column: mark.column };
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

export const NUL = 0;
export const TAB = 0x09;
export const LF = 0x0a;
export const CR = 0x0d;
export const SPACE = 0x20;

export function isBreak(c: number): boolean {
  return c === LF || c === CR || c === 0x85 || c === 0x2028 || c === 0x2029;
}
export function isBlank(c: number): boolean {
  return c === SPACE || c === TAB;
}
export function isBlankz(c: number): boolean {
  return c === SPACE || c === TAB || c === NUL || isBreak(c);
}
export function isBreakz(c: number): boolean {
  return c === NUL || isBreak(c);
}
export function isAlpha(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f || c === 0x2d;
}
export function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}
export function isHex(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}
export function hexValue(c: number): number {
  return c <= 0x39 ? c - 0x30 : c <= 0x46 ? c - 0x41 + 10 : c - 0x61 + 10;
}

export class Chars {
  readonly text: string;
  private readonly chunkEnds: readonly number[];
  private readonly readerProblem: string;
  private chunk = 0; // chunks decoded
  private decoded = 0; // characters decoded (the reader's NULs at the end included)
  private bufferStart = 0; // where libyaml's buffer starts (code units): see atBufferBom
  pos = 0; // code units into text
  readonly mark: Mark = { index: 0, line: 0, column: 0 };

  constructor(input: string) {
    const read = readInput(input);
    this.text = read.text;
    this.chunkEnds = read.chunkEnds;
    this.readerProblem = read.problem;
  }

  /** libyaml's cache(): the reader must have n characters ready, or says what is wrong. */
  need(n: number): void {
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

  /** yaml.v2's is_bom looks at the buffer's first character, not the current one. */
  atBufferBom(): boolean {
    return this.text.charCodeAt(this.bufferStart) === 0xfeff;
  }

  /** The character offset characters on (code units past the first: only indicators are
   *  looked at there); NUL past the end, as libyaml's reader terminates the buffer. */
  at(offset = 0): number {
    const c = this.text.charCodeAt(this.pos + offset);
    return c !== c ? NUL : c;
  }

  /** Code units of the current character. */
  width(): number {
    const c = this.text.charCodeAt(this.pos);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = this.text.charCodeAt(this.pos + 1);
      if (d >= 0xdc00 && d <= 0xdfff) return 2;
    }
    return 1;
  }

  skip(): void {
    this.mark.index++;
    this.mark.column++;
    this.pos += this.width();
  }

  skipLine(): void {
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
  read(): string {
    const w = this.width();
    const s = this.text.slice(this.pos, this.pos + w);
    this.pos += w;
    this.mark.index++;
    this.mark.column++;
    return s;
  }

  /** One line break: CR, LF, CRLF and NEL read as "\n", LS and PS kept. */
  readLine(): string {
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

  skipBlanks(): void {
    this.need(1);
    while (isBlank(this.at())) {
      this.skip();
      this.need(1);
    }
  }

  /** The end of a directive or block scalar header: blanks, an optional comment, then a line
   *  break (eaten) or the end of the input. */
  finishHeaderLine(start: Mark): void {
    this.skipBlanks();
    if (this.at() === 0x23) {
      while (!isBreakz(this.at())) {
        this.skip();
        this.need(1);
      }
    }
    if (!isBreakz(this.at())) throw this.error(start, 'did not find expected comment or line break');
    if (isBreak(this.at())) {
      this.need(2);
      this.skipLine();
    }
  }

  /** A scanner error here (yaml.v2 prints only the problem, not libyaml's context). */
  error(contextMark: Mark, problem: string): YamlSyntaxError {
    return new YamlSyntaxError('scanner', problem, copyMark(this.mark), contextMark);
  }
}
