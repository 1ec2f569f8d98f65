// Public API of the template engine: the text/template of the Go current Vault is built with (1.26),
// byte for byte in output and error messages, with consul-template's function map (checked against
// the oracle in test/oracle by test/template/engine*.test.ts, the conformance corpus and the
// differential tester).
//
// Deliberate differences, all documented in DESIGN.md or forced by JavaScript:
//  - {{template}} recursion stops at maxTemplateDepth (default 500, not Go's 100000: JS stacks are
//    smaller); deeper nesting that still exhausts the stack fails with a clear TemplateError.
//  - Pointers nested inside composites print a fixed fake address (Go prints a varying one).
//  - Go strings are bytes: bytes that are not UTF-8 are carried as U+DC80..U+DCFF; write output
//    with encodeGoString() to get Go's exact bytes (Buffer.from(s, 'utf8') turns them into U+FFFD).

import { parseTrees, ParseFailure, type ParsedTree } from './parse.ts';
import { ExecFailure, ExecState, MissingKey, OutputLimitFailure } from './exec.ts';
import { builtinFunctions } from './builtins.ts';
import { TemplateError } from './errors.ts';
import {
  ChainNode, CommandNode, IdentifierNode, ListNode, NodeType, PipeNode, RangeNode, StringNode, TemplateNode, ActionNode,
  errorLocation, type Node, type Source,
} from './nodes.ts';
import type { FunctionMap, GoValue } from './values.ts';
import { goQuote } from './format.ts';

export {
  GoInt, JsonNumber, GoComplex, GoMap, GoSlice, GoStruct, GoNilPointer, GoFuncValue, GoError, JsonSyntaxError,
  goInt, wrapInt, intBits, structType, kindOf, typeOf, isTrue, zeroOf, splitMapType,
  stringMap, interfaceSlice, stringSlice, goValueFromJson, MAP_STRING_INTERFACE, SLICE_INTERFACE,
} from './values.ts';
export type {
  GoType, IntKind, GoValue, GoFunction, FunctionMap, CallContext, StructType, StructField, Kind,
} from './values.ts';
export { TemplateError } from './errors.ts';
export type { TemplatePhase } from './errors.ts';
export { sprint, sprintf, sprintln, goQuote } from './format.ts';
export { formatFloat } from './strfloat.ts';
export { builtinFunctions } from './builtins.ts';
export { decodeGoBytes, encodeGoString, goByteLength } from './gostring.ts';

export interface ParseOptions {
  name: string;
  leftDelim?: string;
  rightDelim?: string;
}

export interface ExecuteOptions {
  missingKey?: 'default' | 'zero' | 'error';
  /** nested {{template}} calls allowed (Go: 100000; lower here since JS stacks are smaller) */
  maxTemplateDepth?: number;
  /** output larger than this (UTF-8 bytes) stops execution with an error */
  maxOutputBytes?: number;
}

/** A parsed template set: the top-level template and every `define`/`block` in its text. */
export interface Template {
  readonly name: string;
  readonly source: Source;
  readonly trees: ReadonlyMap<string, ParsedTree>;
}

export const DEFAULT_MAX_TEMPLATE_DEPTH = 500;
export const DEFAULT_MAX_OUTPUT_BYTES = 64 * 1024 * 1024;

function stackExhausted(error: unknown): boolean {
  return error instanceof RangeError && /call stack/i.test(error.message);
}

/** Parses like `template.New(name).Delims(l, r).Funcs(functions).Parse(text)`; throws TemplateError. */
export function parseTemplate(text: string, functions: FunctionMap, options: ParseOptions): Template {
  const name = options.name;
  try {
    const { source, trees } = parseTrees(name, text, options.leftDelim ?? '', options.rightDelim ?? '', functions, builtinFunctions);
    return { name, source, trees };
  } catch (error) {
    if (error instanceof ParseFailure) {
      throw new TemplateError(error.message, { phase: 'parse', templateName: name, line: error.line, reason: error.reason });
    }
    if (stackExhausted(error)) {
      const reason = 'template nested too deeply to parse';
      throw new TemplateError(`template: ${name}: ${reason}`, { phase: 'parse', templateName: name, reason });
    }
    throw error;
  }
}

/** Executes like `tmpl.Execute(w, dot)`; throws TemplateError carrying the partial output. */
export function executeTemplate(template: Template, data: GoValue, options: ExecuteOptions = {}): string {
  // Execute(w, nil): reflect.ValueOf(nil) is the invalid value.
  const dot = data === null ? undefined : data;
  const name = template.name;
  const missingKey = options.missingKey === 'zero' ? MissingKey.Zero : options.missingKey === 'error' ? MissingKey.Error : MissingKey.Default;
  const config = {
    trees: template.trees,
    topName: name,
    missingKey,
    maxDepth: options.maxTemplateDepth ?? DEFAULT_MAX_TEMPLATE_DEPTH,
    maxOutputBytes: options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES,
  };
  const state = new ExecState(config, name, dot, 0);
  const tree = template.trees.get(name);
  try {
    if (tree === undefined) return state.errorf(`${goQuote(name)} is an incomplete or empty template`);
    return state.run(tree.root, dot);
  } catch (error) {
    const partialOutput = state.out;
    if (error instanceof ExecFailure) {
      throw new TemplateError(error.message, {
        phase: 'exec', templateName: name, line: error.line, column: error.column, reason: error.reason, partialOutput,
      });
    }
    if (error instanceof OutputLimitFailure) {
      const reason = `output exceeds the limit of ${error.limit} bytes`;
      throw new TemplateError(`template: ${name}: ${reason}`, { phase: 'exec', templateName: name, reason, partialOutput });
    }
    if (stackExhausted(error)) {
      const reason = 'execution nested too deeply (stack exhausted); lower the template recursion';
      throw new TemplateError(`template: ${name}: ${reason}`, { phase: 'exec', templateName: name, reason, partialOutput });
    }
    const reason = 'internal error in the template engine';
    throw new TemplateError(`template: ${name}: ${reason}`, { phase: 'exec', templateName: name, reason, partialOutput });
  }
}

export interface SecretCall {
  /** the literal path, or null when it is not a string literal */
  path: string | null;
  /** `secret PATH k=v...` and `pkiCert PATH ...`: a write */
  isWrite: boolean;
  /** What the agent will do with the path: `secrets` lists it, the write forms write it, plain `secret` reads it. */
  operation: 'read' | 'write' | 'list';
  line: number;
  column: number;
}

/** Calls `use` for every function identifier in every tree of the template, with its arguments
 *  and the command piped into it (if any). */
export function walkFunctionUses(template: Template, use: (ident: IdentifierNode, args: Node[], piped: CommandNode | undefined) => void): void {
  const visit = (node: Node | undefined): void => {
    if (node === undefined) return;
    switch (node.type) {
      case NodeType.List:
        for (const child of (node as ListNode).nodes) visit(child);
        return;
      case NodeType.Action:
        visit((node as ActionNode).pipe);
        return;
      case NodeType.If: case NodeType.With: case NodeType.Range: {
        const branch = node as RangeNode;
        visit(branch.pipe);
        visit(branch.list);
        visit(branch.elseList);
        return;
      }
      case NodeType.Template:
        visit((node as TemplateNode).pipe);
        return;
      case NodeType.Pipe: {
        const cmds = (node as PipeNode).cmds;
        for (let i = 0; i < cmds.length; i++) visitCommand(cmds[i]!, i > 0 ? cmds[i - 1] : undefined);
        return;
      }
      case NodeType.Chain:
        visit((node as ChainNode).node);
        return;
      case NodeType.Identifier:
        use(node as IdentifierNode, [], undefined);
        return;
    }
  };
  const visitCommand = (cmd: CommandNode, previous: CommandNode | undefined): void => {
    const first = cmd.args[0];
    if (first !== undefined && first.type === NodeType.Identifier) {
      use(first as IdentifierNode, cmd.args.slice(1), previous);
      for (const arg of cmd.args.slice(1)) visit(arg);
      return;
    }
    for (const arg of cmd.args) visit(arg);
  };
  const seen = new Set<ParsedTree>();
  for (const tree of template.trees.values()) {
    if (seen.has(tree)) continue;
    seen.add(tree);
    visit(tree.root);
  }
}

/** Where a function identifier is, as Go reports a position (line, column). */
export function identifierLocation(ident: IdentifierNode): { line: number; column: number } {
  return errorLocation(ident);
}

/** Every call that reaches Vault (`secret`, `secrets`, `pkiCert`) in every tree of the template, in source order. */
export function secretCallsIn(template: Template): SecretCall[] {
  const calls: SecretCall[] = [];
  walkFunctionUses(template, (ident, args, piped) => {
    if (ident.ident !== 'secret' && ident.ident !== 'secrets' && ident.ident !== 'pkiCert') return;
    const all = piped === undefined ? args : [...args, piped.args.length === 1 ? piped.args[0]! : piped];
    const pathNode = all[0];
    const path = pathNode !== undefined && pathNode.type === NodeType.String ? (pathNode as StringNode).text : null;
    const { line, column } = errorLocation(ident);
    // pkiCert issues through the write form even with no k=v pairs.
    const isWrite = ident.ident === 'pkiCert' || (ident.ident === 'secret' && all.length > 1);
    const operation = isWrite ? 'write' : ident.ident === 'secrets' ? 'list' : 'read';
    calls.push({ path, isWrite, operation, line, column });
  });
  calls.sort((a, b) => a.line - b.line || a.column - b.column);
  return calls;
}

/** A writeToFile call: its literal path (null when not a string literal) and position. */
export interface FileWriteCall { path: string | null; line: number; column: number }

/** Every writeToFile call in every tree of the template, in source order (admission checks the
 *  literal paths against the secrets volume). */
export function writeToFileCallsIn(template: Template): FileWriteCall[] {
  const calls: FileWriteCall[] = [];
  walkFunctionUses(template, (ident, args, piped) => {
    if (ident.ident !== 'writeToFile') return;
    const all = piped === undefined ? args : [...args, piped.args.length === 1 ? piped.args[0]! : piped];
    const pathNode = all[0];
    const path = pathNode !== undefined && pathNode.type === NodeType.String ? (pathNode as StringNode).text : null;
    calls.push({ path, ...errorLocation(ident) });
  });
  return calls.sort((a, b) => a.line - b.line || a.column - b.column);
}
