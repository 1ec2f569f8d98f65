// gopkg.in/yaml.v2 (v2.4.0) Marshal for the values templates hold (toYAML). A port of the parts
// of its encoder and of libyaml's emitter that these values reach: block mappings and sequences,
// flow {} and [] when empty, scalar style selection (plain, single, double, literal), the 80
// column folding of plain and double-quoted scalars, and yaml.v2's "natural" key order.
import { formatFloat } from '../strfloat.ts';
import { GoComplex, GoFuncValue, GoInt, GoMap, GoNilPointer, GoSlice, GoStruct, JsonNumber, typeOf } from '../values.ts';
import type { GoValue } from '../values.ts';
import { formatTime } from './timeformat.ts';
import { marshaledText } from './json.ts';
import { DURATION, GoTime } from './timevalue.ts';
import { goDuration } from './gotime.ts';
import { YamlError } from './yaml/error.ts';
import { resolve, STR_TAG } from './yaml/resolve.ts';

export { YamlError };

const BEST_WIDTH = 80;
const BEST_INDENT = 2;

// ---------------------------------------------------------------------------------------------
// resolve(): which tag a plain scalar would be read back as

const BASE60_FLOAT = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/;

/** yaml.v2's encoder writes a string plain only if its decoder would read it back as a string. */
function resolvesToString(s: string): boolean {
  return resolve('', s).tag === STR_TAG;
}

function goParseFloatOk(s: string): boolean {
  // strconv.ParseFloat acceptance for the shapes resolve() offers it (decimal, inf/nan words).
  if (/^[+-]?(inf|infinity|nan)$/i.test(s)) return true;
  return /^[+-]?(\d[\d_]*\.?[\d_]*|\.\d[\d_]*)([eE][+-]?\d+)?$/.test(s) && !/__|_$|^_|_\.|\._/.test(s.replace(/^[+-]/, ''));
}

// ---------------------------------------------------------------------------------------------
// scalar analysis (libyaml yaml_emitter_analyze_scalar)

interface Analysis {
  multiline: boolean;
  flowPlainAllowed: boolean;
  blockPlainAllowed: boolean;
  singleQuotedAllowed: boolean;
  blockAllowed: boolean;
}

function isBreak(c: string | undefined): boolean {
  return c === '\r' || c === '\n' || c === '\u0085' || c === '\u2028' || c === '\u2029';
}
function isBlankz(c: string | undefined): boolean {
  return c === undefined || c === ' ' || c === '\t' || c === '\0' || isBreak(c);
}
function isPrintable(c: string): boolean {
  const cp = c.codePointAt(0) ?? 0;
  return cp === 0x0a || (cp >= 0x20 && cp <= 0x7e) || (cp >= 0xa0 && cp <= 0xd7ff)
    || (cp >= 0xe000 && cp <= 0xfffd && cp !== 0xfeff);
}

function analyze(value: string): Analysis {
  if (value === '') {
    return { multiline: false, flowPlainAllowed: false, blockPlainAllowed: true, singleQuotedAllowed: true, blockAllowed: false };
  }
  let blockIndicators = false;
  let flowIndicators = false;
  let lineBreaks = false;
  let specialCharacters = false;
  let leadingSpace = false, leadingBreak = false, trailingSpace = false, trailingBreak = false;
  let breakSpace = false, spaceBreak = false, previousSpace = false, previousBreak = false;
  if (value.startsWith('---') || value.startsWith('...')) { blockIndicators = true; flowIndicators = true; }
  const chars = Array.from(value);
  let precededByWhitespace = true;
  let followedByWhitespace = isBlankz(chars[1]);
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    const first = i === 0;
    const last = i === chars.length - 1;
    if (first) {
      if ('#,[]{}&*!|>\'"%@`'.includes(c)) { flowIndicators = true; blockIndicators = true; }
      if (c === '?' || c === ':') { flowIndicators = true; if (followedByWhitespace) blockIndicators = true; }
      if (c === '-' && followedByWhitespace) { flowIndicators = true; blockIndicators = true; }
    } else {
      if (',?[]{}'.includes(c)) flowIndicators = true;
      if (c === ':') { flowIndicators = true; if (followedByWhitespace) blockIndicators = true; }
      if (c === '#' && precededByWhitespace) { flowIndicators = true; blockIndicators = true; }
    }
    if (!isPrintable(c)) specialCharacters = true;
    if (isBreak(c)) lineBreaks = true;
    if (c === ' ') {
      if (first) leadingSpace = true;
      if (last) trailingSpace = true;
      if (previousBreak) breakSpace = true;
      previousSpace = true; previousBreak = false;
    } else if (isBreak(c)) {
      if (first) leadingBreak = true;
      if (last) trailingBreak = true;
      if (previousSpace) spaceBreak = true;
      previousBreak = true; previousSpace = false;
    } else {
      previousSpace = false; previousBreak = false;
    }
    precededByWhitespace = isBlankz(c);
    followedByWhitespace = isBlankz(chars[i + 2]);
  }
  const a: Analysis = { multiline: lineBreaks, flowPlainAllowed: true, blockPlainAllowed: true, singleQuotedAllowed: true, blockAllowed: true };
  if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) { a.flowPlainAllowed = false; a.blockPlainAllowed = false; }
  if (trailingSpace) a.blockAllowed = false;
  if (breakSpace) { a.flowPlainAllowed = false; a.blockPlainAllowed = false; a.singleQuotedAllowed = false; }
  if (spaceBreak || specialCharacters) { a.flowPlainAllowed = false; a.blockPlainAllowed = false; a.singleQuotedAllowed = false; a.blockAllowed = false; }
  if (lineBreaks) { a.flowPlainAllowed = false; a.blockPlainAllowed = false; }
  if (flowIndicators) a.flowPlainAllowed = false;
  if (blockIndicators) a.blockPlainAllowed = false;
  return a;
}

// ---------------------------------------------------------------------------------------------
// the emitter state that matters for writing scalars

type Style = 'plain' | 'single' | 'double' | 'literal';

class Emitter {
  out = '';
  column = 0;
  whitespace = true;
  indention = true;
  indent = -1;
  openEnded = false;

  put(s: string): void {
    this.out += s;
    let n = s.length;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0xdc00 && c <= 0xdfff && i > 0 && (s.charCodeAt(i - 1) & 0xfc00) === 0xd800) n--;
    }
    this.column += n;
  }
  putBreak(): void {
    this.out += '\n';
    this.column = 0;
  }
  writeIndent(): void {
    const indent = Math.max(this.indent, 0);
    if (!this.indention || this.column > indent || (this.column === indent && !this.whitespace)) this.putBreak();
    while (this.column < indent) this.put(' ');
    this.whitespace = true;
    this.indention = true;
  }
  writeIndicator(indicator: string, needWhitespace: boolean, isWhitespace: boolean, isIndention: boolean): void {
    if (needWhitespace && !this.whitespace) this.put(' ');
    this.put(indicator);
    this.whitespace = isWhitespace;
    this.indention = this.indention && isIndention;
    this.openEnded = false;
  }

  writePlain(value: string, allowBreaks: boolean, rootContext: boolean): void {
    if (!this.whitespace) this.put(' ');
    let spaces = false;
    let breaks = false;
    const chars = Array.from(value);
    for (let i = 0; i < chars.length; i++) {
      const c = chars[i]!;
      if (c === ' ') {
        if (allowBreaks && !spaces && this.column > BEST_WIDTH && chars[i + 1] !== ' ') this.writeIndent();
        else this.put(c);
        spaces = true;
      } else if (isBreak(c)) {
        if (!breaks && c === '\n') this.putBreak();
        this.writeBreak(c);
        this.indention = true;
        breaks = true;
      } else {
        if (breaks) this.writeIndent();
        this.put(c);
        this.indention = false;
        spaces = false;
        breaks = false;
      }
    }
    this.whitespace = false;
    this.indention = false;
    if (rootContext) this.openEnded = true;
  }

  writeBreak(c: string): void {
    if (c === '\n') this.putBreak();
    else { this.out += c; this.column = 0; }
  }

  writeSingleQuoted(value: string, allowBreaks: boolean): void {
    this.writeIndicator("'", true, false, false);
    let spaces = false;
    let breaks = false;
    const chars = Array.from(value);
    for (let i = 0; i < chars.length; i++) {
      const c = chars[i]!;
      if (c === ' ') {
        if (allowBreaks && !spaces && this.column > BEST_WIDTH && i !== 0 && i !== chars.length - 1 && chars[i + 1] !== ' ') this.writeIndent();
        else this.put(c);
        spaces = true;
      } else if (isBreak(c)) {
        if (!breaks && c === '\n') this.putBreak();
        this.writeBreak(c);
        this.indention = true;
        breaks = true;
      } else {
        if (breaks) this.writeIndent();
        this.put(c === "'" ? "''" : c);
        this.indention = false;
        spaces = false;
        breaks = false;
      }
    }
    this.writeIndicator("'", false, false, false);
    this.whitespace = false;
    this.indention = false;
  }

  writeDoubleQuoted(value: string, allowBreaks: boolean): void {
    this.writeIndicator('"', true, false, false);
    let spaces = false;
    const chars = Array.from(value);
    // libyaml's is_bom looks at the start of the value, not at i: a leading BOM escapes everything
    const bom = value.startsWith('\ufeff');
    for (let i = 0; i < chars.length; i++) {
      const c = chars[i]!;
      const cp = c.codePointAt(0) ?? 0;
      if (!isPrintable(c) || bom || isBreak(c) || c === '"' || c === '\\') {
        this.put('\\');
        switch (cp) {
          case 0x00: this.put('0'); break;
          case 0x07: this.put('a'); break;
          case 0x08: this.put('b'); break;
          case 0x09: this.put('t'); break;
          case 0x0a: this.put('n'); break;
          case 0x0b: this.put('v'); break;
          case 0x0c: this.put('f'); break;
          case 0x0d: this.put('r'); break;
          case 0x1b: this.put('e'); break;
          case 0x22: this.put('"'); break;
          case 0x5c: this.put('\\'); break;
          case 0x85: this.put('N'); break;
          case 0xa0: this.put('_'); break;
          case 0x2028: this.put('L'); break;
          case 0x2029: this.put('P'); break;
          default:
            if (cp <= 0xff) this.put('x' + cp.toString(16).toUpperCase().padStart(2, '0'));
            else if (cp <= 0xffff) this.put('u' + cp.toString(16).toUpperCase().padStart(4, '0'));
            else this.put('U' + cp.toString(16).toUpperCase().padStart(8, '0'));
        }
        spaces = false;
      } else if (c === ' ') {
        if (allowBreaks && !spaces && this.column > BEST_WIDTH && i !== 0 && i !== chars.length - 1) {
          this.writeIndent();
          if (chars[i + 1] === ' ') this.put('\\');
        } else this.put(c);
        spaces = true;
      } else {
        this.put(c);
        spaces = false;
      }
    }
    this.writeIndicator('"', false, false, false);
    this.whitespace = false;
    this.indention = false;
  }

  writeBlockScalarHints(value: string): void {
    const chars = Array.from(value);
    if (chars[0] === ' ' || isBreak(chars[0])) this.writeIndicator(String(BEST_INDENT), false, false, false);
    this.openEnded = false;
    let chomp = '';
    if (chars.length === 0) chomp = '-';
    else {
      const last = chars.length - 1;
      if (!isBreak(chars[last])) chomp = '-';
      else if (last === 0) { chomp = '+'; this.openEnded = true; }
      else if (isBreak(chars[last - 1])) { chomp = '+'; this.openEnded = true; }
    }
    if (chomp !== '') this.writeIndicator(chomp, false, false, false);
  }

  writeLiteral(value: string): void {
    this.writeIndicator('|', true, false, false);
    this.writeBlockScalarHints(value);
    this.putBreak();
    this.indention = true;
    this.whitespace = true;
    let breaks = true;
    for (const c of value) {
      if (isBreak(c)) {
        this.writeBreak(c);
        this.indention = true;
        breaks = true;
      } else {
        if (breaks) this.writeIndent();
        this.put(c);
        this.indention = false;
        breaks = false;
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// the node tree yaml.v2's encoder produces, then emission

type Node =
  | { kind: 'scalar'; value: string; style: Style | 'any'; implicitPlain: boolean }
  | { kind: 'mapping'; entries: Array<[Node, Node]> }
  | { kind: 'sequence'; items: Node[] };

function plainScalar(value: string): Node {
  return { kind: 'scalar', value, style: 'plain', implicitPlain: true };
}

function stringNode(s: string): Node {
  const canUsePlain = resolvesToString(s) && !BASE60_FLOAT.test(s);
  let style: Style;
  if (s.includes('\n')) style = 'literal';
  else if (canUsePlain) style = 'plain';
  else style = 'double';
  return { kind: 'scalar', value: s, style, implicitPlain: canUsePlain };
}

function floatText(f: number): string {
  const s = formatFloat(f, 'g', -1);
  switch (s) {
    case '+Inf': return '.inf';
    case '-Inf': return '-.inf';
    case 'NaN': return '.nan';
  }
  return s;
}

function toNode(value: GoValue): Node {
  switch (typeof value) {
    case 'undefined': return plainScalar('null');
    case 'string': return stringNode(value);
    case 'boolean': return plainScalar(value ? 'true' : 'false');
    case 'number': return plainScalar(floatText(value));
  }
  if (value === null || value instanceof GoNilPointer) return plainScalar('null');
  // yaml.v2 writes a time.Duration as its String()
  if (value instanceof GoInt) return value.named === DURATION ? stringNode(goDuration(value.value)) : plainScalar(value.value.toString());
  if (value instanceof JsonNumber) {
    // yaml.v2 turns a json.Number into an int64, else a float64, else its string
    const text = value.text;
    if (/^[+-]?\d+$/.test(text)) {
      const n = BigInt(text);
      if (n >= -(2n ** 63n) && n < 2n ** 63n) return plainScalar(n.toString());
    }
    const f = goParseFloatOk(text) ? Number(text) : NaN;
    if (!Number.isNaN(f) || /^[+-]?nan$/i.test(text)) return plainScalar(floatText(f));
    return stringNode(text);
  }
  if (value instanceof GoMap) {
    const keys = Array.from(value.entries.keys());
    // plain ASCII letter/underscore keys order by code unit; anything else takes yaml.v2's rules
    const simple = keys.every((k) => typeof k === 'string' && /^[A-Za-z_]*$/.test(k) && !k.includes('_'));
    if (simple) keys.sort((a, b) => ((a as string) < (b as string) ? -1 : (a as string) > (b as string) ? 1 : 0));
    else keys.sort((a, b) => (keyLess(a, b) ? -1 : keyLess(b, a) ? 1 : 0));
    return { kind: 'mapping', entries: keys.map((k) => [toNode(k), toNode(value.entries.get(k))]) };
  }
  if (value instanceof GoSlice) return { kind: 'sequence', items: value.items.map(toNode) };
  // a time.Time is a plain RFC 3339 timestamp (yaml.v2 skips its TextMarshaler)
  if (value instanceof GoTime) return plainScalar(formatTime(value, '2006-01-02T15:04:05.999999999Z07:00'));
  if (value instanceof GoStruct) {
    // an encoding.TextMarshaler (*semver.Version) is its text
    const marshaler = value.type.methods?.get('MarshalText');
    if (marshaler !== undefined) return stringNode(marshaledText(marshaler.call([value], { executeTemplate: () => '', execution: {} })));
    // yaml.v2 uses the lower-cased field name and keeps the field order
    return { kind: 'mapping', entries: value.type.fields.map((f) => [stringNode(f.name.toLowerCase()), toNode(value.field(f.name))]) };
  }
  if (value instanceof GoComplex || value instanceof GoFuncValue) throw new YamlError(`cannot marshal type: ${typeOf(value)}`);
  throw new YamlError(`cannot marshal type: ${typeOf(value)}`);
}

function isLetter(c: string): boolean {
  const cp = c.charCodeAt(0);
  if (cp < 0x80) return (cp >= 0x41 && cp <= 0x5a) || (cp >= 0x61 && cp <= 0x7a);
  return /\p{L}/u.test(c);
}
function isDigit(c: string): boolean {
  const cp = c.charCodeAt(0);
  if (cp < 0x80) return cp >= 0x30 && cp <= 0x39;
  return /\p{Nd}/u.test(c);
}

function keyFloat(v: GoValue): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v instanceof GoInt) return Number(v.value);
  return undefined;
}

/** yaml.v2's keyList.Less: numbers numerically, strings in a "natural" order. */
function keyLess(a: GoValue, b: GoValue): boolean {
  const af = keyFloat(a);
  const bf = keyFloat(b);
  if (af !== undefined && bf !== undefined) return af < bf;
  if (typeof a !== 'string' || typeof b !== 'string') return kindRank(a) < kindRank(b);
  const ar = Array.from(a);
  const br = Array.from(b);
  for (let i = 0; i < ar.length && i < br.length; i++) {
    if (ar[i] === br[i]) continue;
    const ai0 = ar[i]!;
    const bi0 = br[i]!;
    const al = isLetter(ai0);
    const bl = isLetter(bi0);
    if (al && bl) return ai0.codePointAt(0)! < bi0.codePointAt(0)!;
    if (al || bl) return bl;
    let an = 0;
    let bn = 0;
    if (ai0 === '0' || bi0 === '0') {
      for (let j = i - 1; j >= 0 && isDigit(ar[j]!); j--) {
        if (ar[j] !== '0') { an = 1; bn = 1; break; }
      }
    }
    let ai = i;
    let bi = i;
    for (; ai < ar.length && isDigit(ar[ai]!); ai++) an = an * 10 + (ar[ai]!.codePointAt(0)! - 0x30);
    for (; bi < br.length && isDigit(br[bi]!); bi++) bn = bn * 10 + (br[bi]!.codePointAt(0)! - 0x30);
    if (an !== bn) return an < bn;
    if (ai !== bi) return ai < bi;
    return ai0.codePointAt(0)! < bi0.codePointAt(0)!;
  }
  return ar.length < br.length;
}

function kindRank(v: GoValue): number {
  // reflect.Kind order: Bool 1, Int 2.., Uint 7.., Float 13, String 24, Map 21, Ptr 22, Slice 23, Struct 25
  if (typeof v === 'boolean') return 1;
  if (v instanceof GoInt) return v.signed ? 2 : 7;
  if (typeof v === 'number') return 14;
  if (typeof v === 'string' || v instanceof JsonNumber) return 24;
  if (v instanceof GoMap) return 21;
  if (v instanceof GoSlice) return 23;
  return 0;
}

class Writer {
  readonly e = new Emitter();
  readonly indents: number[] = [];

  increaseIndent(flow: boolean, indentless: boolean): void {
    this.indents.push(this.e.indent);
    if (this.e.indent < 0) this.e.indent = flow ? BEST_INDENT : 0;
    else if (!indentless) this.e.indent += BEST_INDENT;
  }
  popIndent(): void {
    this.e.indent = this.indents.pop() ?? -1;
  }

  isEmptyCollection(node: Node): boolean {
    return (node.kind === 'mapping' && node.entries.length === 0) || (node.kind === 'sequence' && node.items.length === 0);
  }

  checkSimpleKey(node: Node): boolean {
    if (node.kind === 'scalar') {
      const a = analyze(node.value);
      return !a.multiline && Array.from(node.value).length <= 128;
    }
    return this.isEmptyCollection(node);
  }

  emitNode(node: Node, context: { root: boolean; mapping: boolean; simpleKey: boolean; sequence: boolean }): void {
    if (node.kind === 'scalar') return this.emitScalar(node, context.simpleKey, context.root);
    if (this.isEmptyCollection(node)) {
      this.e.writeIndicator(node.kind === 'mapping' ? '{' : '[', true, true, false);
      this.e.writeIndicator(node.kind === 'mapping' ? '}' : ']', false, false, false);
      return;
    }
    if (node.kind === 'sequence') this.emitBlockSequence(node.items, context.mapping && !this.e.indention);
    else this.emitBlockMapping(node.entries);
  }

  emitScalar(node: Extract<Node, { kind: 'scalar' }>, simpleKey: boolean, root: boolean): void {
    const a = analyze(node.value);
    let style: Style = node.style === 'any' ? 'plain' : node.style;
    if (simpleKey && a.multiline) style = 'double';
    if (style === 'plain') {
      if (!a.blockPlainAllowed || (node.value === '' && simpleKey) || !node.implicitPlain) style = 'single';
    }
    if (style === 'single' && !a.singleQuotedAllowed) style = 'double';
    if (style === 'literal' && (!a.blockAllowed || simpleKey)) style = 'double';
    this.increaseIndent(true, false);
    switch (style) {
      case 'plain': this.e.writePlain(node.value, !simpleKey, root); break;
      case 'single': this.e.writeSingleQuoted(node.value, !simpleKey); break;
      case 'double': this.e.writeDoubleQuoted(node.value, !simpleKey); break;
      case 'literal': this.e.writeLiteral(node.value); break;
    }
    this.popIndent();
  }

  emitBlockSequence(items: Node[], indentless: boolean): void {
    this.increaseIndent(false, indentless);
    for (const item of items) {
      this.e.writeIndent();
      this.e.writeIndicator('-', true, false, true);
      this.emitNode(item, { root: false, mapping: false, simpleKey: false, sequence: true });
    }
    this.popIndent();
  }

  emitBlockMapping(entries: Array<[Node, Node]>): void {
    this.increaseIndent(false, false);
    for (const [key, value] of entries) {
      this.e.writeIndent();
      if (this.checkSimpleKey(key)) {
        this.emitNode(key, { root: false, mapping: true, simpleKey: true, sequence: false });
        this.e.writeIndicator(':', false, false, false);
      } else {
        this.e.writeIndicator('?', true, false, true);
        this.emitNode(key, { root: false, mapping: true, simpleKey: false, sequence: false });
        this.e.writeIndent();
        this.e.writeIndicator(':', true, false, true);
      }
      this.emitNode(value, { root: false, mapping: true, simpleKey: false, sequence: false });
    }
    this.popIndent();
  }
}

/** yaml.Marshal(v) */
export function marshalYaml(value: GoValue): string {
  const node = toNode(value);
  const w = new Writer();
  w.emitNode(node, { root: true, mapping: false, simpleKey: false, sequence: false });
  // document end (implicit) and stream end
  w.e.writeIndent();
  return w.e.out;
}
