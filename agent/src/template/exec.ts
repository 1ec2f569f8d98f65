// Walks parse trees with a state, as Go's text/template/exec.go: same evaluation order, same
// "current node" bookkeeping (it decides the `at <...>` of error messages), same messages.

import {
  ActionNode, BoolNode, ChainNode, CommandNode, FieldNode, IdentifierNode, ListNode, NodeType, NumberNode, PipeNode,
  RangeNode, StringNode, TemplateNode, TextNode, VariableNode, errorLocation, type Node,
} from './nodes.ts';
import type { ParsedTree } from './parse.ts';
import {
  GoComplex, GoError, GoFuncValue, GoInt, GoMap, GoNilPointer, GoSlice, GoStruct, JsonNumber, isTrue, namedIntType, typeOf, zeroOf,
  type CallContext, type GoFunction, type GoValue, type IntKind,
} from './values.ts';
import { goQuote, sortedEntries, sprintOne } from './format.ts';
import { BOXED_ARG_BUILTINS, InterfaceBox, canBeNil, derefStruct } from './builtins.ts';
import { signatureOf, type ParamKind } from './types.ts';
import { parseFloat64 } from './strconv.ts';

const MISSING: unique symbol = Symbol('missing');
type Final = GoValue | typeof MISSING;

const RV = 'reflect.Value';
const ANY = 'interface {}';

export const enum MissingKey { Default, Zero, Error }

/** Thrown inside execution; turned into a TemplateError by the caller. */
export class ExecFailure {
  constructor(
    readonly message: string, readonly reason: string,
    readonly line: number | undefined, readonly column: number | undefined,
  ) {}
}

/** Thrown when the output limit is reached. */
export class OutputLimitFailure {
  constructor(readonly limit: number) {}
}

export interface ExecConfig {
  readonly trees: ReadonlyMap<string, ParsedTree>;
  readonly topName: string;
  readonly missingKey: MissingKey;
  readonly maxDepth: number;
  readonly maxOutputBytes: number;
}

interface Variable {
  readonly name: string;
  value: GoValue;
  /** 'interface {}' when the value sits in an interface slot (range element), for error texts */
  staticType: string | undefined;
}

const enum Flow { Normal, Break, Continue }

/** GoInt is immutable, so loop indexes share these. */
const SMALL_INTS: GoInt[] = Array.from({ length: 1024 }, (_, i) => new GoInt('int', BigInt(i)));

function smallInt(i: number): GoInt {
  return i < 1024 ? SMALL_INTS[i]! : new GoInt('int', BigInt(i));
}

const JSON_NUMBER_INT64: GoFunction = {
  params: [], returnsError: true,
  call(args) {
    const text = (args[0] as JsonNumber).text;
    const value = parseInt64Strict(text);
    if (typeof value === 'string') throw new GoError(`strconv.ParseInt: parsing ${goQuote(text)}: ${value}`);
    return new GoInt('int64', value);
  },
};

const JSON_NUMBER_FLOAT64: GoFunction = {
  params: [], returnsError: true,
  call(args) {
    const text = (args[0] as JsonNumber).text;
    const value = parseFloat64(text);
    if (value === undefined) {
      const reason = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text) ? 'value out of range' : 'invalid syntax';
      throw new GoError(`strconv.ParseFloat: parsing ${goQuote(text)}: ${reason}`);
    }
    return value;
  },
};

const JSON_NUMBER_STRING: GoFunction = { params: [], call: (args) => (args[0] as JsonNumber).text };

/** strconv.ParseInt(s, 10, 64): the value or the error reason. */
function parseInt64Strict(text: string): bigint | string {
  if (!/^[+-]?[0-9]+$/.test(text)) return 'invalid syntax';
  const value = BigInt(text);
  if (value > (1n << 63n) - 1n || value < -(1n << 63n)) return 'value out of range';
  return value;
}

const INT_NAMES: Record<string, IntKind> = {
  int: 'int', int8: 'int8', int16: 'int16', int32: 'int32', int64: 'int64', rune: 'int32',
  uint: 'uint', uint8: 'uint8', uint16: 'uint16', uint32: 'uint32', uint64: 'uint64', uintptr: 'uintptr', byte: 'uint8',
};

/** An integer constant converted to a parameter's type (a named one such as time.Duration too). */
function intConstant(typ: string, value: bigint): GoInt {
  const kind = INT_NAMES[typ];
  if (kind !== undefined) return wrapTo(kind, value);
  const named = namedIntType(typ)!;
  return new GoInt(named.kind, wrapTo(named.kind, value).value, named);
}

function wrapTo(kind: IntKind, value: bigint): GoInt {
  switch (kind) {
    case 'int': case 'int64': return new GoInt(kind, BigInt.asIntN(64, value));
    case 'int8': return new GoInt(kind, BigInt.asIntN(8, value));
    case 'int16': return new GoInt(kind, BigInt.asIntN(16, value));
    case 'int32': return new GoInt(kind, BigInt.asIntN(32, value));
    case 'uint8': return new GoInt(kind, BigInt.asUintN(8, value));
    case 'uint16': return new GoInt(kind, BigInt.asUintN(16, value));
    case 'uint32': return new GoInt(kind, BigInt.asUintN(32, value));
    default: return new GoInt(kind, BigInt.asUintN(64, value));
  }
}

// Output is kept as chunks, measured incrementally: one growing string would be flattened (copied
// whole) at every limit check, which made an output bomb cost seconds and hundreds of MiB.
const CHUNKS_BEFORE_COMPACTING = 4096;

/** reflect.Value's String(): a string's text, otherwise `<T Value>`. */
function reflectValueString(v: GoValue): string {
  if (typeof v === 'string') return v;
  if (v === undefined) return '<invalid Value>';
  return `<${typeOf(v)} Value>`;
}

export class ExecState implements CallContext {
  private chunks: string[] = [];
  /** UTF-16 units written; UTF-8 bytes are at most three per unit. */
  private units = 0;
  private measuredChunks = 0;
  private measuredBytes = 0;
  /** Leading chunks that are already compacted blocks. */
  private blocks = 0;
  private node: Node | undefined;
  private vars: Variable[];
  private tmplName: string;
  private depth: number;
  private dotStatic: string | undefined = undefined;
  private lastStatic: string | undefined = undefined;
  private checkAt: number;
  /** CallContext.callee for the `call` builtin being evaluated. */
  callee: string | undefined = undefined;

  constructor(private readonly config: ExecConfig, tmplName: string, dot: GoValue, depth: number) {
    this.tmplName = tmplName;
    this.vars = [{ name: '$', value: dot, staticType: undefined }];
    this.depth = depth;
    this.checkAt = Math.floor(config.maxOutputBytes / 3);
  }

  run(root: ListNode, dot: GoValue): string {
    this.walk(dot, root);
    return this.out;
  }

  /** Everything written so far (also the partial output of a failed execution). */
  get out(): string {
    return this.chunks.join('');
  }

  // --- CallContext (consul-template's executeTemplate) ---

  get execution(): object {
    return this.config;
  }

  executeTemplate(name: string, data: GoValue): string {
    const dot = data === null ? undefined : data;
    const tree = this.config.trees.get(name);
    if (tree === undefined) {
      throw new GoError(`template: no template ${goQuote(name)} associated with template ${goQuote(this.config.topName)}`);
    }
    if (this.depth + 1 >= this.config.maxDepth) throw new GoError(`exceeded maximum template depth (${this.config.maxDepth})`);
    const nested = new ExecState(this.config, name, dot, this.depth + 1);
    try {
      return nested.run(tree.root, dot);
    } catch (error) {
      if (error instanceof ExecFailure) throw new GoError(error.message);
      throw error;
    }
  }

  // --- output and errors ---

  private write(text: string): void {
    this.chunks.push(text);
    this.units += text.length;
    if (this.units > this.checkAt) this.checkOutput();
    else if (this.chunks.length - this.blocks > CHUNKS_BEFORE_COMPACTING) this.compact();
  }

  private checkOutput(): void {
    const max = this.config.maxOutputBytes;
    for (let i = this.measuredChunks; i < this.chunks.length; i++) this.measuredBytes += Buffer.byteLength(this.chunks[i]!);
    this.measuredChunks = this.chunks.length;
    if (this.measuredBytes > max) throw new OutputLimitFailure(max);
    this.checkAt = this.units + Math.max(1, Math.floor((max - this.measuredBytes) / 3));
    if (this.chunks.length - this.blocks > CHUNKS_BEFORE_COMPACTING) this.compact();
  }

  /** Joins the chunks written since the last compaction into one block, after counting them. */
  private compact(): void {
    for (let i = this.measuredChunks; i < this.chunks.length; i++) this.measuredBytes += Buffer.byteLength(this.chunks[i]!);
    const tail = this.chunks.splice(this.blocks).join('');
    this.chunks.push(tail);
    this.blocks = this.chunks.length;
    this.measuredChunks = this.chunks.length;
  }

  errorf(reason: string): never {
    const name = this.tmplName;
    const node = this.node;
    if (node === undefined) throw new ExecFailure(`template: ${name}: ${reason}`, reason, undefined, undefined);
    const { location, line, column } = errorLocation(node);
    throw new ExecFailure(`template: ${location}: executing ${goQuote(name)} at <${node.toString()}>: ${reason}`, reason, line, column);
  }

  // --- variables ---

  private findVar(name: string): Variable {
    const vars = this.vars;
    for (let i = vars.length - 1; i >= 0; i--) {
      const v = vars[i]!;
      if (v.name === name) return v;
    }
    this.errorf(`undefined variable: ${name}`);
  }

  // --- walking ---

  private walk(dot: GoValue, node: Node): Flow {
    this.node = node;
    switch (node.type) {
      case NodeType.Action: {
        const action = node as ActionNode;
        const value = this.evalPipeline(dot, action.pipe);
        if (action.pipe.decl.length === 0) this.printValue(action, value);
        return Flow.Normal;
      }
      case NodeType.Break: return Flow.Break;
      case NodeType.Continue: return Flow.Continue;
      case NodeType.Comment: return Flow.Normal;
      case NodeType.If: return this.walkIfOrWith(false, dot, node as RangeNode);
      case NodeType.With: return this.walkIfOrWith(true, dot, node as RangeNode);
      case NodeType.List: return this.walkList(dot, node as ListNode);
      case NodeType.Range: return this.walkRange(dot, node as RangeNode);
      case NodeType.Template: return this.walkTemplate(dot, node as TemplateNode);
      case NodeType.Text: {
        this.write((node as TextNode).text);
        return Flow.Normal;
      }
    }
    this.errorf(`unknown node: ${node}`);
  }

  /** Lists are walked directly by their parents (one JS frame less per nesting level). */
  private walkList(dot: GoValue, list: ListNode): Flow {
    this.node = list;
    const nodes = list.nodes;
    for (let i = 0; i < nodes.length; i++) {
      const flow = this.walk(dot, nodes[i]!);
      if (flow !== Flow.Normal) return flow;
    }
    return Flow.Normal;
  }

  private walkIfOrWith(isWith: boolean, dot: GoValue, node: RangeNode): Flow {
    const mark = this.vars.length;
    const value = this.evalPipeline(dot, node.pipe);
    let flow = Flow.Normal;
    if (isTrue(value === null ? undefined : value)) {
      if (isWith) {
        const savedStatic = this.dotStatic;
        this.dotStatic = undefined;
        flow = this.walkList(value, node.list);
        this.dotStatic = savedStatic;
      } else {
        flow = this.walkList(dot, node.list);
      }
    } else if (node.elseList !== undefined) {
      flow = this.walkList(dot, node.elseList);
    }
    this.vars.length = mark;
    return flow;
  }

  private walkRange(dot: GoValue, r: RangeNode): Flow {
    this.node = r;
    const mark = this.vars.length;
    let value = this.evalPipeline(dot, r.pipe);
    if (value instanceof GoStruct && value.type.name.startsWith('*')) value = derefStruct(value);
    const iterMark = this.vars.length;
    const savedStatic = this.dotStatic;
    let ran = false;
    if (value instanceof GoSlice) {
      const items = value.items;
      const elemStatic = value.elemType === ANY ? ANY : undefined;
      for (let i = 0; i < items.length; i++) {
        ran = true;
        const elem = items[i];
        const flow = this.rangeIteration(r, iterMark, savedStatic, smallInt(i), undefined, elem === undefined ? null : elem, elemStatic);
        if (flow === Flow.Break) break;
      }
    } else if (value instanceof GoMap) {
      const elemStatic = value.elemType === ANY ? ANY : undefined;
      const keyStatic = value.keyType === ANY ? ANY : undefined;
      const entries = sortedEntries(value);
      for (let i = 0; i < entries.length; i++) {
        ran = true;
        const entry = entries[i]!;
        if (this.rangeIteration(r, iterMark, savedStatic, entry[0], keyStatic, entry[1], elemStatic) === Flow.Break) break;
      }
    } else if (value instanceof GoInt) {
      // Go 1.22: range over an integer.
      if (r.pipe.decl.length > 1) this.errorf(`can't use ${sprintOne(value)} to iterate over more than one variable`);
      for (let i = 0n; i < value.value; i++) {
        ran = true;
        const elem = value.kind === 'int' && i < 1024n ? smallInt(Number(i)) : new GoInt(value.kind, i);
        if (this.rangeIteration(r, iterMark, savedStatic, undefined, undefined, elem, undefined) === Flow.Break) break;
      }
    } else if (value !== undefined && value !== null) {
      this.errorf(`range can't iterate over ${sprintOne(value)}`);
    }
    let flow = Flow.Normal;
    if (!ran && r.elseList !== undefined) flow = this.walkList(dot, r.elseList);
    this.vars.length = mark;
    return flow;
  }

  private rangeIteration(
    r: RangeNode, iterMark: number, savedStatic: string | undefined,
    index: GoValue, indexStatic: string | undefined, elem: GoValue, elemStatic: string | undefined,
  ): Flow {
    const declCount = r.pipe.decl.length;
    if (r.pipe.isAssign) {
      // `range $i = ...` / `range $i, $e = ...`: assigns the named variables, which may sit
      // anywhere in scope; with one variable it takes the element, with two the index first
      const set = (i: number, value: GoValue, staticType: string | undefined): void => {
        const v = this.findVar(r.pipe.decl[i]!.ident[0]!);
        v.value = value;
        v.staticType = staticType;
      };
      if (declCount === 1) set(0, elem, elemStatic);
      if (declCount > 1) { set(0, index, indexStatic); set(1, elem, elemStatic); }
    } else if (declCount > 0) {
      const v = this.vars[this.vars.length - 1]!;
      v.value = elem;
      v.staticType = elemStatic;
    }
    if (declCount > 1 && !r.pipe.isAssign) {
      const v = this.vars[this.vars.length - 2]!;
      v.value = index;
      v.staticType = indexStatic;
    }
    this.dotStatic = elemStatic;
    const flow = this.walkList(elem, r.list);
    this.dotStatic = savedStatic;
    this.vars.length = iterMark;
    return flow;
  }

  private walkTemplate(dot: GoValue, t: TemplateNode): Flow {
    this.node = t;
    const tree = this.config.trees.get(t.name);
    if (tree === undefined) this.errorf(`template ${goQuote(t.name)} not defined`);
    if (this.depth >= this.config.maxDepth) this.errorf(`exceeded maximum template depth (${this.config.maxDepth})`);
    const newDot = this.evalPipeline(dot, t.pipe);
    const savedVars = this.vars;
    const savedName = this.tmplName;
    const savedStatic = this.dotStatic;
    this.depth++;
    this.tmplName = t.name;
    this.vars = [{ name: '$', value: newDot, staticType: undefined }];
    this.dotStatic = undefined;
    this.walkList(newDot, tree.root);
    this.depth--;
    this.tmplName = savedName;
    this.vars = savedVars;
    this.dotStatic = savedStatic;
    return Flow.Normal;
  }

  // --- evaluation ---

  private evalPipeline(dot: GoValue, pipe: PipeNode | undefined): GoValue {
    if (pipe === undefined) return undefined;
    this.node = pipe;
    let value: Final = MISSING;
    const cmds = pipe.cmds;
    for (let i = 0; i < cmds.length; i++) {
      value = this.evalCommand(dot, cmds[i]!, value);
      if (value === null) value = undefined; // a nil interface{} becomes the invalid value
    }
    const result = value as GoValue;
    const decl = pipe.decl;
    for (let i = 0; i < decl.length; i++) {
      const name = decl[i]!.ident[0]!;
      if (pipe.isAssign) {
        const v = this.findVar(name);
        v.value = result;
        v.staticType = undefined;
      } else {
        this.vars.push({ name, value: result, staticType: undefined });
      }
    }
    return result;
  }

  private notAFunction(args: Node[] | null, final: Final): void {
    if ((args !== null && args.length > 1) || final !== MISSING) {
      this.errorf(`can't give argument to non-function ${args === null ? '' : args[0]!.toString()}`);
    }
  }

  private evalCommand(dot: GoValue, cmd: CommandNode, final: Final): GoValue {
    const first = cmd.args[0]!;
    switch (first.type) {
      case NodeType.Field: return this.evalFieldNode(dot, first as FieldNode, cmd.args, final);
      case NodeType.Chain: return this.evalChainNode(dot, first as ChainNode, cmd.args, final);
      case NodeType.Identifier: return this.evalFunction(dot, first as IdentifierNode, cmd, cmd.args, final);
      case NodeType.Pipe:
        this.notAFunction(cmd.args, final);
        return this.evalPipeline(dot, first as PipeNode);
      case NodeType.Variable: return this.evalVariableNode(dot, first as VariableNode, cmd.args, final);
    }
    this.node = first;
    this.notAFunction(cmd.args, final);
    switch (first.type) {
      case NodeType.Bool: return (first as BoolNode).value;
      case NodeType.Dot: return dot;
      case NodeType.Nil: this.errorf('nil is not a command');
      case NodeType.Number: return this.idealConstant(first as NumberNode);
      case NodeType.String: return (first as StringNode).text;
    }
    this.errorf(`can't evaluate command ${goQuote(first.toString())}`);
  }

  private idealConstant(constant: NumberNode): GoValue {
    this.node = constant;
    if (constant.idealError !== undefined) this.errorf(constant.idealError);
    return constant.ideal;
  }

  private evalFieldNode(dot: GoValue, field: FieldNode, args: Node[] | null, final: Final): GoValue {
    this.node = field;
    return this.evalFieldChain(dot, dot, this.dotStatic, field, field.ident, 0, args, final);
  }

  private evalChainNode(dot: GoValue, chain: ChainNode, args: Node[] | null, final: Final): GoValue {
    this.node = chain;
    if (chain.field.length === 0) this.errorf('internal error: no fields in evalChainNode');
    if (chain.node.type === NodeType.Nil) this.errorf(`indirection through explicit nil in ${chain}`);
    const pipe = this.evalArg(dot, undefined, 'other', chain.node);
    return this.evalFieldChain(dot, pipe, undefined, chain, chain.field, 0, args, final);
  }

  private evalVariableNode(dot: GoValue, variable: VariableNode, args: Node[] | null, final: Final): GoValue {
    this.node = variable;
    const v = this.findVar(variable.ident[0]!);
    if (variable.ident.length === 1) {
      this.notAFunction(args, final);
      return v.value;
    }
    return this.evalFieldChain(dot, v.value, v.staticType, variable, variable.ident, 1, args, final);
  }

  private evalFieldChain(
    dot: GoValue, receiver: GoValue, receiverStatic: string | undefined, node: Node,
    ident: string[], start: number, args: Node[] | null, final: Final,
  ): GoValue {
    const n = ident.length;
    for (let i = start; i < n - 1; i++) {
      receiver = this.evalField(dot, ident[i]!, node, null, MISSING, receiver, receiverStatic);
      receiverStatic = this.lastStatic;
    }
    return this.evalField(dot, ident[n - 1]!, node, args, final, receiver, receiverStatic);
  }

  private evalFunction(dot: GoValue, node: IdentifierNode, cmd: Node, args: Node[] | null, final: Final): GoValue {
    this.node = node;
    if (node.fn === undefined) this.errorf(`${goQuote(node.ident)} is not a defined function`);
    return this.evalCall(dot, node.fn, node.isBuiltin, cmd, node.ident, args, final, MISSING);
  }

  private evalField(
    dot: GoValue, fieldName: string, node: Node, args: Node[] | null, final: Final,
    receiver: GoValue, receiverStatic: string | undefined,
  ): GoValue {
    this.lastStatic = undefined;
    if (receiver === undefined) {
      if (this.config.missingKey === MissingKey.Error) this.errorf(`nil data; no entry for key ${goQuote(fieldName)}`);
      return undefined;
    }
    if (receiver instanceof GoMap) {
      // The common case first: map[string]interface{} from JSON. Maps have no methods here.
      const keyType = receiver.keyType;
      if (keyType === 'string' || keyType === ANY) {
        if ((args !== null && args.length > 1) || final !== MISSING) this.errorf(`${fieldName} is not a method but has arguments`);
        let result = receiver.entries.get(fieldName);
        if (result === undefined) {
          switch (this.config.missingKey) {
            case MissingKey.Zero: result = zeroOf(receiver.elemType); break;
            case MissingKey.Error: this.errorf(`map has no entry for key ${goQuote(fieldName)}`);
          }
        }
        if (receiver.elemType === ANY) this.lastStatic = ANY;
        return result;
      }
    }
    const typ = receiverStatic ?? (receiver === null ? ANY : typeOf(receiver));
    if (receiver === null) this.errorf(`nil pointer evaluating ${typ}.${fieldName}`);
    let method: GoFunction | undefined;
    if (receiver instanceof JsonNumber) {
      method = fieldName === 'Int64' ? JSON_NUMBER_INT64 : fieldName === 'Float64' ? JSON_NUMBER_FLOAT64 : fieldName === 'String' ? JSON_NUMBER_STRING : undefined;
    } else if (receiver instanceof GoStruct) {
      method = receiver.type.methods?.get(fieldName);
    } else if (receiver instanceof GoInt && receiver.named !== undefined) {
      method = receiver.named.methods.get(fieldName);
    }
    if (method !== undefined) return this.evalCall(dot, method, false, node, fieldName, args, final, receiver);
    const hasArgs = (args !== null && args.length > 1) || final !== MISSING;
    if (receiver instanceof GoStruct) {
      const index = receiver.type.fieldIndex.get(fieldName);
      if (index !== undefined) {
        const first = fieldName.charCodeAt(0);
        if (!(first >= 0x41 && first <= 0x5a) && fieldName[0] === fieldName[0]!.toLowerCase()) {
          this.errorf(`${fieldName} is an unexported field of struct type ${typ}`);
        }
        if (hasArgs) this.errorf(`${fieldName} has arguments but cannot be invoked as function`);
        if (receiver.type.fields[index]!.type === ANY) this.lastStatic = ANY;
        const value = receiver.values[index];
        return value === undefined ? zeroOf(receiver.type.fields[index]!.type) : value;
      }
    }
    if (receiver instanceof GoNilPointer) {
      const pointee = receiver.structType;
      if (pointee === undefined || pointee.fieldIndex.has(fieldName)) this.errorf(`nil pointer evaluating ${typ}.${fieldName}`);
    }
    this.errorf(`can't evaluate field ${fieldName} in type ${typ}`);
  }

  private evalCall(
    dot: GoValue, fn: GoFunction, isBuiltin: boolean, node: Node, name: string,
    args: Node[] | null, final: Final, receiver: GoValue | typeof MISSING,
  ): GoValue {
    const sig = signatureOf(fn);
    const params = sig.params;
    const argc = args === null ? 0 : args.length - 1;
    const numIn = final === MISSING ? argc : argc + 1;
    const numParams = params.length;
    let numFixed = argc;
    if (sig.variadic) {
      numFixed = numParams - 1;
      if (numIn < numFixed) this.errorf(`wrong number of args for ${name}: want at least ${numParams - 1} got ${argc}`);
    } else if (numIn !== numParams) {
      this.errorf(`wrong number of args for ${name}: want ${numParams} got ${numIn}`);
    }
    if (fn.badResults !== undefined) this.errorf(fn.badResults.replace('%s', name));

    if (isBuiltin && (name === 'and' || name === 'or')) {
      const isOr = name === 'or';
      let v: GoValue = undefined;
      for (let i = 1; i <= argc; i++) {
        v = this.evalArg(dot, RV, 'reflect', args![i]!);
        if (isTrue(v === null ? undefined : v) === isOr) return v;
      }
      if (final !== MISSING) v = final;
      return v;
    }

    const argv: GoValue[] = new Array(receiver === MISSING ? numIn : numIn + 1);
    const offset = receiver === MISSING ? 0 : 1;
    if (receiver !== MISSING) argv[0] = receiver;
    let i = 0;
    for (; i < numFixed && i < argc; i++) argv[i + offset] = this.evalArg(dot, params[i]!, sig.kinds[i]!, args![i + 1]!);
    if (sig.variadic) {
      const last = numParams - 1;
      const boxed = isBuiltin && BOXED_ARG_BUILTINS.has(name);
      for (; i < argc; i++) {
        const arg = args![i + 1]!;
        const value = this.evalArg(dot, params[last]!, sig.kinds[last]!, arg);
        argv[i + offset] = boxed && value !== null && value !== undefined && this.staticTypeOf(arg) === ANY ? new InterfaceBox(value) as unknown as GoValue : value;
      }
    }
    if (final !== MISSING) {
      let t = params[numParams - 1]!;
      if (sig.variadic && numIn - 1 < numFixed) t = params[numIn - 1]!;
      argv[i + offset] = this.validateType(final, t);
    }
    if (isBuiltin && name === 'call') this.callee = argc > 0 ? args![1]!.toString() : reflectValueString(final === MISSING ? undefined : final);
    try {
      return fn.call(argv, this);
    } catch (error) {
      if (error instanceof ExecFailure || error instanceof OutputLimitFailure) throw error;
      if (error instanceof RangeError && /call stack/i.test(error.message)) throw error;
      this.node = node;
      const reason = error instanceof GoError ? error.message : 'internal error';
      this.errorf(`error calling ${name}: ${reason}`);
    }
  }

  /** The static type of an argument just evaluated, when it is interface{} (for slice). */
  private staticTypeOf(arg: Node): string | undefined {
    switch (arg.type) {
      case NodeType.Dot: return this.dotStatic;
      case NodeType.Field: case NodeType.Chain: return this.lastStatic;
      case NodeType.Variable: {
        const ident = (arg as VariableNode).ident;
        return ident.length === 1 ? this.findVar(ident[0]!).staticType : this.lastStatic;
      }
    }
    return undefined;
  }

  private validateType(value: GoValue, typ: string | undefined): GoValue {
    if (typ === undefined) return value;
    if (value === undefined) {
      if (typ === RV) return undefined;
      if (typ === ANY) return null;
      if (canBeNil(typ)) return zeroOf(typ);
      this.errorf(`invalid value; expected ${typ}`);
    }
    if (typ === RV || typ === ANY) return value;
    if (value === null) this.errorf(`wrong type for value; expected ${typ}; got interface {}`);
    const vt = typeOf(value);
    if (vt === typ) return value;
    if (value instanceof GoStruct && vt === '*' + typ) return derefStruct(value);
    if (value instanceof GoNilPointer && vt === '*' + typ) this.errorf(`dereference of nil pointer of type ${typ}`);
    if (typ === 'error' || typ === 'fmt.Stringer') {
      if (value instanceof JsonNumber && typ === 'fmt.Stringer') return value;
    }
    this.errorf(`wrong type for value; expected ${typ}; got ${vt}`);
  }

  private evalArg(dot: GoValue, typ: string | undefined, kind: ParamKind, n: Node): GoValue {
    this.node = n;
    switch (n.type) {
      case NodeType.Dot: return this.validateType(dot, typ);
      case NodeType.Nil:
        if (typ === RV) return undefined;
        if (typ === ANY) return null;
        if (typ !== undefined && canBeNil(typ)) return zeroOf(typ);
        this.errorf(`cannot assign nil to ${typ}`);
      case NodeType.Field: return this.validateType(this.evalFieldNode(dot, n as FieldNode, null, MISSING), typ);
      case NodeType.Variable: return this.validateType(this.evalVariableNode(dot, n as VariableNode, null, MISSING), typ);
      case NodeType.Pipe: return this.validateType(this.evalPipeline(dot, n as PipeNode), typ);
      case NodeType.Identifier: return this.validateType(this.evalFunction(dot, n as IdentifierNode, n, null, MISSING), typ);
      case NodeType.Chain: return this.validateType(this.evalChainNode(dot, n as ChainNode, null, MISSING), typ);
    }
    switch (kind) {
      case 'bool':
        if (n.type === NodeType.Bool) return (n as BoolNode).value;
        this.errorf(`expected bool; found ${n}`);
      case 'complex':
        if (n.type === NodeType.Number && (n as NumberNode).isComplex) return new GoComplex((n as NumberNode).complexRe, (n as NumberNode).complexIm);
        this.errorf(`expected complex; found ${n}`);
      case 'float':
        if (n.type === NodeType.Number && (n as NumberNode).isFloat) return (n as NumberNode).float64;
        this.errorf(`expected float; found ${n}`);
      case 'int':
        if (n.type === NodeType.Number && (n as NumberNode).isInt) return intConstant(typ!, (n as NumberNode).int64);
        this.errorf(`expected integer; found ${n}`);
      case 'interface': case 'reflect':
        return this.evalEmptyInterface(dot, n);
      case 'string':
        if (n.type === NodeType.String) return typ === 'json.Number' ? new JsonNumber((n as StringNode).text) : (n as StringNode).text;
        this.errorf(`expected string; found ${n}`);
      case 'uint':
        if (n.type === NodeType.Number && (n as NumberNode).isUint) return intConstant(typ!, (n as NumberNode).uint64);
        this.errorf(`expected unsigned integer; found ${n}`);
    }
    this.errorf(`can't handle ${n} for arg of type ${typ}`);
  }

  private evalEmptyInterface(dot: GoValue, n: Node): GoValue {
    this.node = n;
    switch (n.type) {
      case NodeType.Bool: return (n as BoolNode).value;
      case NodeType.Dot: return dot;
      case NodeType.Field: return this.evalFieldNode(dot, n as FieldNode, null, MISSING);
      case NodeType.Identifier: return this.evalFunction(dot, n as IdentifierNode, n, null, MISSING);
      case NodeType.Nil: this.errorf("evalEmptyInterface: nil (can't happen)");
      case NodeType.Number: return this.idealConstant(n as NumberNode);
      case NodeType.String: return (n as StringNode).text;
      case NodeType.Variable: return this.evalVariableNode(dot, n as VariableNode, null, MISSING);
      case NodeType.Pipe: return this.evalPipeline(dot, n as PipeNode);
    }
    this.errorf(`can't handle assignment of ${n} to empty interface argument`);
  }

  private printValue(node: Node, value: GoValue): void {
    this.node = node;
    switch (typeof value) {
      case 'string': this.write(value); return;
      case 'undefined': this.write('<no value>'); return;
    }
    if (value instanceof GoStruct && value.type.name.startsWith('*')) value = derefStruct(value);
    else if (value instanceof GoFuncValue || (value instanceof GoSlice && /^(<-)?chan /.test(value.type))) this.errorf(`can't print ${node} of type ${typeOf(value)}`);
    this.write(sprintOne(value));
  }
}

