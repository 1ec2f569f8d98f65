// Nodes from items, as Go's text/template/parse/parse.go builds them (same checks, same
// messages, same line numbers), plus Go 1.23's `{{else with}}` which current Vault Agent accepts.

import { lex, ItemType, type Item } from './lex.ts';
import {
  ActionNode, BoolNode, BreakNode, ChainNode, CommandNode, CommentNode, ContinueNode, DotNode, ElseNode, EndNode,
  FieldNode, IdentifierNode, IfNode, ListNode, NilNode, NodeType, NumberNode, PipeNode, RangeNode, StringNode,
  TemplateNode, TextNode, VariableNode, WithNode, type Node, type Source,
} from './nodes.ts';
import { goQuote, goQuotePrefix } from './format.ts';
import { StrconvError, parseFloat64, parseInt64, parseUint64, unquote, unquoteCharConstant } from './strconv.ts';
import type { FunctionMap, GoFunction } from './values.ts';
import { GoComplex, GoInt } from './values.ts';

/** A parse error; message is Go's complete err.Error(). */
export class ParseFailure extends Error {
  constructor(message: string, readonly line: number, readonly reason: string) { super(message); }
}

export interface ParsedTree {
  readonly name: string;
  readonly root: ListNode;
}

export interface ParseResult {
  readonly source: Source;
  readonly trees: Map<string, ParsedTree>;
}

interface SharedLexer {
  readonly items: Item[];
  index: number;
}

const MIN_INT64 = -(1n << 63n);
const MAX_INT64 = (1n << 63n) - 1n;
const TWO_63 = 2 ** 63;
const TWO_64 = 2 ** 64;

/** Parses `text` into the set of trees it defines (the top-level one under `name`). */
export function parseTrees(
  name: string, text: string, leftDelim: string, rightDelim: string,
  functions: FunctionMap, builtins: FunctionMap,
): ParseResult {
  const source: Source = { text, parseName: name };
  const shared: SharedLexer = { items: lex(text, leftDelim, rightDelim), index: 0 };
  const trees = new Map<string, ParsedTree>();
  const tree = new TreeParser(name, source, shared, trees, functions, builtins);
  tree.parse();
  tree.add();
  return { source, trees };
}

const EOF_ITEM: Item = { type: ItemType.EOF, pos: 0, val: '', line: 0 };

class TreeParser {
  root: ListNode | undefined;
  private readonly token: Item[] = [EOF_ITEM, EOF_ITEM, EOF_ITEM];
  private peekCount = 0;
  private vars: string[] = ['$'];
  private actionLine = 0;
  private rangeDepth = 0;

  constructor(
    public name: string,
    private readonly source: Source,
    private readonly lexer: SharedLexer,
    private readonly treeSet: Map<string, ParsedTree>,
    private readonly functions: FunctionMap,
    private readonly builtins: FunctionMap,
  ) {}

  private child(name: string): TreeParser {
    return new TreeParser(name, this.source, this.lexer, this.treeSet, this.functions, this.builtins);
  }

  // --- token buffer (three-token lookahead, as Go's) ---

  private nextItem(): Item {
    const lexer = this.lexer;
    const item = lexer.items[lexer.index];
    if (item === undefined) return lexer.items[lexer.items.length - 1]!;
    lexer.index++;
    return item;
  }

  private next(): Item {
    if (this.peekCount > 0) this.peekCount--;
    else this.token[0] = this.nextItem();
    return this.token[this.peekCount]!;
  }

  private backup(): void { this.peekCount++; }

  private backup2(t1: Item): void {
    this.token[1] = t1;
    this.peekCount = 2;
  }

  private backup3(t2: Item, t1: Item): void {
    this.token[1] = t1;
    this.token[2] = t2;
    this.peekCount = 3;
  }

  private peek(): Item {
    if (this.peekCount > 0) return this.token[this.peekCount - 1]!;
    this.peekCount = 1;
    this.token[0] = this.nextItem();
    return this.token[0];
  }

  private nextNonSpace(): Item {
    let token: Item;
    do token = this.next(); while (token.type === ItemType.Space);
    return token;
  }

  private peekNonSpace(): Item {
    const token = this.nextNonSpace();
    this.backup();
    return token;
  }

  // --- errors ---

  errorf(reason: string): never {
    const line = this.token[0]!.line;
    throw new ParseFailure(`template: ${this.source.parseName}:${line}: ${reason}`, line, reason);
  }

  private expect(expected: ItemType, context: string): Item {
    const token = this.nextNonSpace();
    if (token.type !== expected) this.unexpected(token, context);
    return token;
  }

  private expectOneOf(expected1: ItemType, expected2: ItemType, context: string): Item {
    const token = this.nextNonSpace();
    if (token.type !== expected1 && token.type !== expected2) this.unexpected(token, context);
    return token;
  }

  private unexpected(token: Item, context: string): never {
    if (token.type === ItemType.Error) {
      let extra = '';
      if (this.actionLine !== 0 && this.actionLine !== token.line) {
        extra = ` in action started at ${this.source.parseName}:${this.actionLine}`;
        if (token.val.endsWith(' action')) extra = extra.slice(' in action'.length);
      }
      this.errorf(`${token.val}${extra}`);
    }
    this.errorf(`unexpected ${itemString(token)} in ${context}`);
  }

  // --- tree set ---

  add(): void {
    const tree = this.treeSet.get(this.name);
    const root = this.root!;
    if (tree === undefined || isEmptyTree(tree.root)) {
      this.treeSet.set(this.name, { name: this.name, root });
      return;
    }
    if (!isEmptyTree(root)) this.errorf(`template: multiple definition of template ${goQuote(this.name)}`);
  }

  // --- grammar ---

  parse(): void {
    this.root = new ListNode(this.source, this.peek().pos);
    while (this.peek().type !== ItemType.EOF) {
      if (this.peek().type === ItemType.LeftDelim) {
        const delim = this.next();
        if (this.nextNonSpace().type === ItemType.Define) {
          const definition = this.child('definition');
          definition.parseDefinition();
          continue;
        }
        this.backup2(delim);
      }
      const n = this.textOrAction();
      if (n.type === NodeType.End || n.type === NodeType.Else) this.errorf(`unexpected ${n}`);
      else this.root.nodes.push(n);
    }
  }

  private parseDefinition(): void {
    const context = 'define clause';
    const name = this.expectOneOf(ItemType.String, ItemType.RawString, context);
    this.name = this.unquoteOrFail(name.val);
    this.expect(ItemType.RightDelim, context);
    const [list, end] = this.itemList();
    this.root = list;
    if (end.type !== NodeType.End) this.errorf(`unexpected ${end} in ${context}`);
    this.add();
  }

  private itemList(): [ListNode, Node] {
    const list = new ListNode(this.source, this.peekNonSpace().pos);
    while (this.peekNonSpace().type !== ItemType.EOF) {
      const n = this.textOrAction();
      if (n.type === NodeType.End || n.type === NodeType.Else) return [list, n];
      list.nodes.push(n);
    }
    this.errorf('unexpected EOF');
  }

  private textOrAction(): Node {
    const token = this.nextNonSpace();
    switch (token.type) {
      case ItemType.Text:
        return new TextNode(this.source, token.pos, token.val);
      case ItemType.LeftDelim: {
        this.actionLine = token.line;
        try {
          return this.action();
        } finally {
          this.actionLine = 0;
        }
      }
      case ItemType.Comment:
        return new CommentNode(this.source, token.pos, token.val);
    }
    this.unexpected(token, 'input');
  }

  private action(): Node {
    const token = this.nextNonSpace();
    switch (token.type) {
      case ItemType.Block: return this.blockControl();
      case ItemType.Break: return this.breakControl(token.pos);
      case ItemType.Continue: return this.continueControl(token.pos);
      case ItemType.Else: return this.elseControl();
      case ItemType.End: return this.endControl();
      case ItemType.If: return this.ifControl();
      case ItemType.Range: return this.rangeControl();
      case ItemType.Template: return this.templateControl();
      case ItemType.With: return this.withControl();
    }
    this.backup();
    const start = this.peek();
    return new ActionNode(this.source, start.pos, start.line, this.pipeline('command', ItemType.RightDelim));
  }

  private breakControl(pos: number): Node {
    const token = this.nextNonSpace();
    if (token.type !== ItemType.RightDelim) this.unexpected(token, '{{break}}');
    if (this.rangeDepth === 0) this.errorf('{{break}} outside {{range}}');
    return new BreakNode(this.source, pos);
  }

  private continueControl(pos: number): Node {
    const token = this.nextNonSpace();
    if (token.type !== ItemType.RightDelim) this.unexpected(token, '{{continue}}');
    if (this.rangeDepth === 0) this.errorf('{{continue}} outside {{range}}');
    return new ContinueNode(this.source, pos);
  }

  private pipeline(context: string, end: ItemType): PipeNode {
    const start = this.peekNonSpace();
    const pipe = new PipeNode(this.source, start.pos, start.line);
    decls: for (;;) {
      const v = this.peekNonSpace();
      if (v.type === ItemType.Variable) {
        this.next();
        const tokenAfterVariable = this.peek();
        const next = this.peekNonSpace();
        if (next.type === ItemType.Assign || next.type === ItemType.Declare) {
          pipe.isAssign = next.type === ItemType.Assign;
          this.nextNonSpace();
          pipe.decl.push(new VariableNode(this.source, v.pos, v.val));
          this.vars.push(v.val);
        } else if (next.type === ItemType.Char && next.val === ',') {
          this.nextNonSpace();
          pipe.decl.push(new VariableNode(this.source, v.pos, v.val));
          this.vars.push(v.val);
          if (context === 'range' && pipe.decl.length < 2) {
            const after = this.peekNonSpace().type;
            if (after === ItemType.Variable || after === ItemType.RightDelim || after === ItemType.RightParen) continue decls;
            this.errorf('range can only initialize variables');
          }
          this.errorf(`too many declarations in ${context}`);
        } else if (tokenAfterVariable.type === ItemType.Space) {
          this.backup3(v, tokenAfterVariable);
        } else {
          this.backup2(v);
        }
      }
      break;
    }
    for (;;) {
      const token = this.nextNonSpace();
      switch (token.type) {
        case end:
          this.checkPipeline(pipe, context);
          return pipe;
        case ItemType.Bool: case ItemType.CharConstant: case ItemType.Complex: case ItemType.Dot:
        case ItemType.Field: case ItemType.Identifier: case ItemType.Number: case ItemType.Nil:
        case ItemType.RawString: case ItemType.String: case ItemType.Variable: case ItemType.LeftParen:
          this.backup();
          pipe.cmds.push(this.command());
          break;
        default:
          this.unexpected(token, context);
      }
    }
  }

  private checkPipeline(pipe: PipeNode, context: string): void {
    if (pipe.cmds.length === 0) this.errorf(`missing value for ${context}`);
    for (let i = 1; i < pipe.cmds.length; i++) {
      switch (pipe.cmds[i]!.args[0]!.type) {
        case NodeType.Bool: case NodeType.Dot: case NodeType.Nil: case NodeType.Number: case NodeType.String:
          this.errorf(`non executable command in pipeline stage ${i + 1}`);
      }
    }
  }

  private parseControl(elseChain: 'if' | 'with' | undefined, context: string): { pipe: PipeNode; list: ListNode; elseList: ListNode | undefined } {
    const mark = this.vars.length;
    try {
      const pipe = this.pipeline(context, ItemType.RightDelim);
      if (context === 'range') this.rangeDepth++;
      let [list, next] = this.itemList();
      if (context === 'range') this.rangeDepth--;
      let elseList: ListNode | undefined;
      if (next.type === NodeType.Else) {
        if (elseChain === 'if' && this.peek().type === ItemType.If) {
          this.next();
          elseList = new ListNode(this.source, next.pos);
          elseList.nodes.push(this.ifControl());
        } else if (elseChain === 'with' && this.peek().type === ItemType.With) {
          this.next();
          elseList = new ListNode(this.source, next.pos);
          elseList.nodes.push(this.withControl());
        } else {
          [elseList, next] = this.itemList();
          if (next.type !== NodeType.End) this.errorf(`expected end; found ${next}`);
        }
      }
      return { pipe, list, elseList };
    } finally {
      this.vars.length = mark;
    }
  }

  private ifControl(): Node {
    const { pipe, list, elseList } = this.parseControl('if', 'if');
    return new IfNode(this.source, pipe.pos, pipe.line, pipe, list, elseList);
  }

  private rangeControl(): Node {
    const { pipe, list, elseList } = this.parseControl(undefined, 'range');
    return new RangeNode(this.source, pipe.pos, pipe.line, pipe, list, elseList);
  }

  private withControl(): Node {
    const { pipe, list, elseList } = this.parseControl('with', 'with');
    return new WithNode(this.source, pipe.pos, pipe.line, pipe, list, elseList);
  }

  private endControl(): Node {
    return new EndNode(this.source, this.expect(ItemType.RightDelim, 'end').pos);
  }

  private elseControl(): Node {
    const peek = this.peekNonSpace();
    // "{{else if" and (Go 1.23) "{{else with": leave the keyword pending for parseControl.
    if (peek.type === ItemType.If || peek.type === ItemType.With) return new ElseNode(this.source, peek.pos, peek.line);
    const token = this.expect(ItemType.RightDelim, 'else');
    return new ElseNode(this.source, token.pos, token.line);
  }

  private blockControl(): Node {
    const context = 'block clause';
    const token = this.nextNonSpace();
    const name = this.parseTemplateName(token, context);
    const pipe = this.pipeline(context, ItemType.RightDelim);
    const block = this.child(name);
    const [list, end] = block.itemList();
    block.root = list;
    if (end.type !== NodeType.End) this.errorf(`unexpected ${end} in ${context}`);
    block.add();
    return new TemplateNode(this.source, token.pos, token.line, name, pipe);
  }

  private templateControl(): Node {
    const context = 'template clause';
    const token = this.nextNonSpace();
    const name = this.parseTemplateName(token, context);
    let pipe: PipeNode | undefined;
    if (this.nextNonSpace().type !== ItemType.RightDelim) {
      this.backup();
      pipe = this.pipeline(context, ItemType.RightDelim);
    }
    return new TemplateNode(this.source, token.pos, token.line, name, pipe);
  }

  private parseTemplateName(token: Item, context: string): string {
    if (token.type === ItemType.String || token.type === ItemType.RawString) return this.unquoteOrFail(token.val);
    this.unexpected(token, context);
  }

  private unquoteOrFail(quoted: string): string {
    try {
      return unquote(quoted);
    } catch (error) {
      if (error instanceof StrconvError) this.errorf(error.message);
      throw error;
    }
  }

  private command(): CommandNode {
    const cmd = new CommandNode(this.source, this.peekNonSpace().pos);
    for (;;) {
      this.peekNonSpace();
      const operand = this.operand();
      if (operand !== undefined) cmd.args.push(operand);
      const token = this.next();
      if (token.type === ItemType.Space) continue;
      if (token.type === ItemType.RightDelim || token.type === ItemType.RightParen) this.backup();
      else if (token.type !== ItemType.Pipe) this.unexpected(token, 'operand');
      break;
    }
    if (cmd.args.length === 0) this.errorf('empty command');
    return cmd;
  }

  private operand(): Node | undefined {
    let node = this.term();
    if (node === undefined) return undefined;
    if (this.peek().type === ItemType.Field) {
      const chain = new ChainNode(this.source, this.peek().pos, node);
      while (this.peek().type === ItemType.Field) chain.add(this.next().val);
      switch (node.type) {
        case NodeType.Field:
          node = new FieldNode(this.source, chain.pos, chain.toString());
          break;
        case NodeType.Variable:
          node = new VariableNode(this.source, chain.pos, chain.toString());
          break;
        case NodeType.Bool: case NodeType.String: case NodeType.Number: case NodeType.Nil: case NodeType.Dot:
          this.errorf(`unexpected . after term ${goQuote(node.toString())}`);
        default:
          node = chain;
      }
    }
    return node;
  }

  private term(): Node | undefined {
    const token = this.nextNonSpace();
    switch (token.type) {
      case ItemType.Identifier: {
        const fromMap = this.functions.get(token.val);
        const builtin = fromMap === undefined ? this.builtins.get(token.val) : undefined;
        if (fromMap === undefined && builtin === undefined) this.errorf(`function ${goQuote(token.val)} not defined`);
        return new IdentifierNode(this.source, token.pos, token.val, (fromMap ?? builtin) as GoFunction, fromMap === undefined);
      }
      case ItemType.Dot: return new DotNode(this.source, token.pos);
      case ItemType.Nil: return new NilNode(this.source, token.pos);
      case ItemType.Variable: return this.useVar(token.pos, token.val);
      case ItemType.Field: return new FieldNode(this.source, token.pos, token.val);
      case ItemType.Bool: return new BoolNode(this.source, token.pos, token.val === 'true');
      case ItemType.CharConstant: case ItemType.Complex: case ItemType.Number:
        return this.newNumber(token);
      case ItemType.LeftParen: return this.pipeline('parenthesized pipeline', ItemType.RightParen);
      case ItemType.String: case ItemType.RawString:
        return new StringNode(this.source, token.pos, token.val, this.unquoteOrFail(token.val));
    }
    this.backup();
    return undefined;
  }

  private useVar(pos: number, name: string): Node {
    const v = new VariableNode(this.source, pos, name);
    if (this.vars.includes(v.ident[0]!)) return v;
    this.errorf(`undefined variable ${goQuote(v.ident[0]!)}`);
  }

  private newNumber(token: Item): NumberNode {
    const text = token.val;
    const n = new NumberNode(this.source, token.pos, text);
    if (token.type === ItemType.CharConstant) {
      let rune: number;
      try {
        rune = unquoteCharConstant(text);
      } catch (error) {
        if (error instanceof StrconvError) this.errorf(error.message);
        throw error;
      }
      n.isInt = n.isUint = n.isFloat = true;
      n.int64 = n.uint64 = BigInt(rune);
      n.float64 = rune;
    } else if (token.type === ItemType.Complex) {
      const parsed = parseComplex(text);
      if (parsed === undefined) this.errorf(`expected integer`);
      n.isComplex = true;
      n.complexRe = parsed.re;
      n.complexIm = parsed.im;
      simplifyComplex(n);
    } else {
      let done = false;
      if (text.endsWith('i')) {
        const f = parseFloat64(text.slice(0, -1));
        if (f !== undefined) {
          n.isComplex = true;
          n.complexIm = f;
          simplifyComplex(n);
          done = true;
        }
      }
      if (!done) {
        const u = parseUint64(text);
        if (u !== undefined) {
          n.isUint = true;
          n.uint64 = u;
        }
        const i = parseInt64(text);
        if (i !== undefined) {
          n.isInt = true;
          n.int64 = i;
          if (i === 0n) {
            n.isUint = true;
            n.uint64 = u ?? 0n;
          }
        }
        if (n.isInt) {
          n.isFloat = true;
          n.float64 = Number(n.int64);
        } else if (n.isUint) {
          n.isFloat = true;
          n.float64 = Number(n.uint64);
        } else {
          const f = parseFloat64(text);
          if (f !== undefined) {
            if (!/[.eEpP]/.test(text)) this.errorf(`integer overflow: ${goQuote(text)}`);
            n.isFloat = true;
            n.float64 = f;
            if (Number.isInteger(f) && f >= -TWO_63 && f < TWO_63) {
              n.isInt = true;
              n.int64 = BigInt(f);
            }
            if (Number.isInteger(f) && f >= 0 && f < TWO_64) {
              n.isUint = true;
              n.uint64 = BigInt(f);
            }
          }
        }
        if (!n.isInt && !n.isUint && !n.isFloat) this.errorf(`illegal number syntax: ${goQuote(text)}`);
      }
    }
    computeIdeal(n);
    return n;
  }
}

function simplifyComplex(n: NumberNode): void {
  n.isFloat = n.complexIm === 0;
  if (n.isFloat) {
    const f = n.complexRe;
    n.float64 = f;
    n.isInt = Number.isInteger(f) && f >= -TWO_63 && f < TWO_63;
    if (n.isInt) n.int64 = BigInt(f);
    n.isUint = Number.isInteger(f) && f >= 0 && f < TWO_64;
    if (n.isUint) n.uint64 = BigInt(f);
  }
}

function parseComplex(text: string): { re: number; im: number } | undefined {
  // `1+2i`: a real part then a signed imaginary part.
  for (let i = text.length - 2; i > 0; i--) {
    const c = text[i];
    if ((c === '+' || c === '-') && !/[eEpP]/.test(text[i - 1]!)) {
      const re = parseFloat64(text.slice(0, i));
      const im = parseFloat64(text.slice(i, -1));
      if (re === undefined || im === undefined) return undefined;
      return { re, im };
    }
  }
  return undefined;
}

/** exec.go's idealConstant, precomputed: what an untyped constant becomes as interface{}. */
function computeIdeal(n: NumberNode): void {
  const text = n.text;
  if (n.isComplex) {
    n.ideal = new GoComplex(n.complexRe, n.complexIm);
  } else if (n.isFloat && !isHexInt(text) && text[0] !== "'" && /[.eEpP]/.test(text)) {
    n.ideal = n.float64;
  } else if (n.isInt) {
    if (n.int64 < MIN_INT64 || n.int64 > MAX_INT64) n.idealError = `${text} overflows int`;
    else n.ideal = new GoInt('int', n.int64);
  } else if (n.isUint) {
    n.idealError = `${text} overflows int`;
  }
}

function isHexInt(s: string): boolean {
  return s.length > 2 && s[0] === '0' && (s[1] === 'x' || s[1] === 'X') && !/[pP]/.test(s);
}

/** Go's item.String() as used in "unexpected X in Y". */
function itemString(item: Item): string {
  switch (item.type) {
    case ItemType.EOF: return 'EOF';
    case ItemType.Error: return item.val;
  }
  if (item.type > ItemType.Keyword) return `<${item.val}>`;
  return goQuotePrefix(item.val, 10);
}

/** bytes.TrimSpace(text) is empty: unicode.IsSpace characters only (not JS trim's BOM). */
const GO_SPACE_ONLY = /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$/;

/** parse.IsEmptyTree: only whitespace text and comments. */
export function isEmptyTree(node: Node | undefined): boolean {
  if (node === undefined) return true;
  switch (node.type) {
    case NodeType.Comment: return true;
    case NodeType.List: return (node as ListNode).nodes.every(isEmptyTree);
    case NodeType.Text: return GO_SPACE_ONLY.test((node as TextNode).text);
  }
  return false;
}
