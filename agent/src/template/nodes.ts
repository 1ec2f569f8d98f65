// Typed parse-tree nodes, as Go's text/template/parse/node.go, with what execution needs
// precomputed at parse time (resolved functions, split field names, constant values).

import type { GoFunction, GoValue } from './values.ts';
import { goQuote } from './format.ts';

export const enum NodeType {
  Text, Action, Bool, Chain, Command, Dot, Else, End, Field, Identifier, If, List, Nil, Number, Pipe,
  Range, String, Template, Variable, With, Comment, Break, Continue,
}

/** What every node of one parse shares: the text (for line:col) and the top-level name. */
export interface Source {
  readonly text: string;
  readonly parseName: string;
}

export abstract class Node {
  abstract readonly type: NodeType;
  constructor(readonly source: Source, readonly pos: number) {}
  abstract toString(): string;
}

export class ListNode extends Node {
  readonly type = NodeType.List;
  readonly nodes: Node[] = [];
  toString(): string { return this.nodes.map(String).join(''); }
}

export class TextNode extends Node {
  readonly type = NodeType.Text;
  constructor(source: Source, pos: number, readonly text: string) { super(source, pos); }
  toString(): string { return this.text; }
}

export class CommentNode extends Node {
  readonly type = NodeType.Comment;
  constructor(source: Source, pos: number, readonly text: string) { super(source, pos); }
  toString(): string { return `{{${this.text}}}`; }
}

export class VariableNode extends Node {
  readonly type = NodeType.Variable;
  readonly ident: string[];
  constructor(source: Source, pos: number, name: string) {
    super(source, pos);
    this.ident = name.split('.');
  }
  toString(): string { return this.ident.join('.'); }
}

export class PipeNode extends Node {
  readonly type = NodeType.Pipe;
  isAssign = false;
  readonly decl: VariableNode[] = [];
  readonly cmds: CommandNode[] = [];
  constructor(source: Source, pos: number, readonly line: number) { super(source, pos); }
  toString(): string {
    let s = '';
    if (this.decl.length > 0) s = this.decl.map(String).join(', ') + ' := ';
    return s + this.cmds.map(String).join(' | ');
  }
}

export class ActionNode extends Node {
  readonly type = NodeType.Action;
  constructor(source: Source, pos: number, readonly line: number, readonly pipe: PipeNode) { super(source, pos); }
  toString(): string { return `{{${this.pipe}}}`; }
}

export class CommandNode extends Node {
  readonly type = NodeType.Command;
  readonly args: Node[] = [];
  toString(): string {
    return this.args.map((arg) => (arg instanceof PipeNode ? `(${arg})` : String(arg))).join(' ');
  }
}

export class IdentifierNode extends Node {
  readonly type = NodeType.Identifier;
  constructor(
    source: Source, pos: number, readonly ident: string,
    /** the function this names (from the function map, else the builtin) */
    readonly fn: GoFunction | undefined,
    readonly isBuiltin: boolean,
  ) { super(source, pos); }
  toString(): string { return this.ident; }
}

export class DotNode extends Node {
  readonly type = NodeType.Dot;
  toString(): string { return '.'; }
}

export class NilNode extends Node {
  readonly type = NodeType.Nil;
  toString(): string { return 'nil'; }
}

export class FieldNode extends Node {
  readonly type = NodeType.Field;
  readonly ident: string[];
  constructor(source: Source, pos: number, name: string) {
    super(source, pos);
    this.ident = name.slice(1).split('.');
  }
  toString(): string { return '.' + this.ident.join('.'); }
}

export class ChainNode extends Node {
  readonly type = NodeType.Chain;
  readonly field: string[] = [];
  constructor(source: Source, pos: number, readonly node: Node) { super(source, pos); }
  add(field: string): void { this.field.push(field.slice(1)); }
  toString(): string {
    const head = this.node instanceof PipeNode ? `(${this.node})` : String(this.node);
    return head + this.field.map((f) => '.' + f).join('');
  }
}

export class BoolNode extends Node {
  readonly type = NodeType.Bool;
  constructor(source: Source, pos: number, readonly value: boolean) { super(source, pos); }
  toString(): string { return this.value ? 'true' : 'false'; }
}

export class NumberNode extends Node {
  readonly type = NodeType.Number;
  isInt = false;
  isUint = false;
  isFloat = false;
  isComplex = false;
  int64 = 0n;
  uint64 = 0n;
  float64 = 0;
  complexRe = 0;
  complexIm = 0;
  /** the value as an untyped constant becomes when printed or passed to interface{} (idealConstant),
   *  or an error text ("X overflows int") */
  ideal: GoValue;
  idealError: string | undefined;
  constructor(source: Source, pos: number, readonly text: string) { super(source, pos); }
  toString(): string { return this.text; }
}

export class StringNode extends Node {
  readonly type = NodeType.String;
  constructor(source: Source, pos: number, readonly quoted: string, readonly text: string) { super(source, pos); }
  toString(): string { return this.quoted; }
}

export class EndNode extends Node {
  readonly type = NodeType.End;
  toString(): string { return '{{end}}'; }
}

export class ElseNode extends Node {
  readonly type = NodeType.Else;
  constructor(source: Source, pos: number, readonly line: number) { super(source, pos); }
  toString(): string { return '{{else}}'; }
}

abstract class BranchNode extends Node {
  constructor(
    source: Source, pos: number, readonly line: number,
    readonly pipe: PipeNode, readonly list: ListNode, readonly elseList: ListNode | undefined,
  ) { super(source, pos); }
  abstract readonly keyword: string;
  toString(): string {
    let s = `{{${this.keyword} ${this.pipe}}}${this.list}`;
    if (this.elseList !== undefined) s += `{{else}}${this.elseList}`;
    return s + '{{end}}';
  }
}

export class IfNode extends BranchNode {
  readonly type = NodeType.If;
  readonly keyword = 'if';
}

export class WithNode extends BranchNode {
  readonly type = NodeType.With;
  readonly keyword = 'with';
}

export class RangeNode extends BranchNode {
  readonly type = NodeType.Range;
  readonly keyword = 'range';
}

export class BreakNode extends Node {
  readonly type = NodeType.Break;
  toString(): string { return '{{break}}'; }
}

export class ContinueNode extends Node {
  readonly type = NodeType.Continue;
  toString(): string { return '{{continue}}'; }
}

export class TemplateNode extends Node {
  readonly type = NodeType.Template;
  constructor(source: Source, pos: number, readonly line: number, readonly name: string, readonly pipe: PipeNode | undefined) {
    super(source, pos);
  }
  toString(): string {
    return `{{template ${goQuote(this.name)}${this.pipe === undefined ? '' : ' ' + String(this.pipe)}}}`;
  }
}

/** Go's Tree.ErrorContext: "NAME:LINE:COL" where COL is the byte offset within the line. */
export function errorLocation(node: Node): { location: string; line: number; column: number } {
  const text = node.source.text;
  const pos = node.pos;
  const lastNewline = text.lastIndexOf('\n', pos - 1);
  const lineStart = lastNewline < 0 ? 0 : lastNewline + 1;
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < pos; i = text.indexOf('\n', i + 1)) line++;
  const column = utf8Length(text, lineStart, pos);
  return { location: `${node.source.parseName}:${line}:${column}`, line, column };
}

export function utf8Length(s: string, from = 0, to = s.length): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < to) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}
