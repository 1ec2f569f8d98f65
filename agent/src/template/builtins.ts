// The builtin functions of Go's text/template (funcs.go), with Go's signatures and errors.

import {
  GoComplex, GoError, GoFuncValue, GoInt, GoMap, GoNilPointer, GoSlice, GoStruct, JsonNumber, isTrue, kindOf,
  typeOf, zeroOf, type CallContext, type FunctionMap, type GoFunction, type GoValue, type IntKind,
} from './values.ts';
import { sprint, sprintf, sprintln, sprintS, sprintOne, isPrint } from './format.ts';
import { normaliseType } from './types.ts';
import { decodeGoBytes, encodeGoString, goByteLength } from './gostring.ts';

const RV = 'reflect.Value';
const ANY = 'interface {}';

/** reflect's indirectInterface: a nil interface slot becomes the invalid value. */
function indirectInterface(v: GoValue): GoValue {
  return v === null ? undefined : v;
}

function truth(v: GoValue): boolean {
  return isTrue(indirectInterface(v));
}

/** Go's indirect(): through pointers and interfaces; a nil one stops it. */
function indirect(v: GoValue): { value: GoValue; isNil: boolean } {
  if (v === null || v instanceof GoNilPointer) return { value: v, isNil: true };
  return { value: v, isNil: false };
}

/** The type reflect would report after following pointers (a *T struct seen as T). */
function elemTypeName(v: GoValue): string {
  if (v instanceof GoStruct && v.type.name.startsWith('*')) return v.type.name.slice(1);
  return typeOf(v);
}

function indexArg(index: GoValue, cap: number): number {
  let x: bigint;
  if (index instanceof GoInt) x = index.signed ? index.value : BigInt.asIntN(64, index.value);
  else if (index === undefined || index === null) throw new GoError('cannot index slice/array with nil');
  else throw new GoError(`cannot index slice/array with type ${typeOf(index)}`);
  if (x < 0n || x > BigInt(cap)) throw new GoError(`index out of range: ${x}`);
  return Number(x);
}

function stringBytes(s: string): Buffer {
  return encodeGoString(s);
}

const INT_KINDS = new Set(['int', 'int8', 'int16', 'int32', 'int64', 'uint', 'uint8', 'uint16', 'uint32', 'uint64', 'uintptr']);

/** funcs.go prepareArg: a map key converted to the key type. */
function prepareArg(value: GoValue, argType: string): GoValue {
  if (value === undefined || value === null) {
    if (!canBeNil(argType)) throw new GoError(`value is nil; should be of type ${argType}`);
    return zeroOf(argType);
  }
  if (argType === ANY || typeOf(value) === argType) return value;
  if (value instanceof GoInt && INT_KINDS.has(argType)) {
    const kind = argType as IntKind;
    const wrapped = kind[0] === 'i' ? BigInt.asIntN(kind === 'int' || kind === 'int64' ? 64 : Number(kind.slice(3)), value.value)
      : BigInt.asUintN(kind === 'uint' || kind === 'uint64' || kind === 'uintptr' ? 64 : Number(kind.slice(4)), value.value);
    return new GoInt(kind, wrapped);
  }
  throw new GoError(`value has type ${typeOf(value)}; should be ${argType}`);
}

export function canBeNil(type: string): boolean {
  return type === ANY || type === RV || type.startsWith('[]') || type.startsWith('map[') || type.startsWith('*')
    || type.startsWith('func') || type.startsWith('chan ') || type === 'error' || type === 'fmt.Stringer';
}

function mapLookup(map: GoMap, key: GoValue): GoValue {
  const direct = map.entries.get(key);
  if (direct !== undefined || map.entries.has(key)) return direct;
  if (typeof key === 'object' && key !== null) {
    for (const [k, v] of map.entries) if (valuesEqual(k, key)) return v;
  }
  return undefined;
}

function valuesEqual(a: GoValue, b: GoValue): boolean {
  if (a instanceof GoInt && b instanceof GoInt) return a.kind === b.kind && a.value === b.value;
  if (a instanceof JsonNumber && b instanceof JsonNumber) return a.text === b.text;
  return a === b;
}

function index(args: GoValue[]): GoValue {
  let item = indirectInterface(args[0]);
  if (item === undefined) throw new GoError('index of untyped nil');
  for (let i = 1; i < args.length; i++) {
    const idx = indirectInterface(args[i]);
    if (indirect(item).isNil) throw new GoError('index of nil pointer');
    if (item instanceof GoSlice) {
      const x = indexArg(idx, item.items.length);
      if (x === item.items.length) throw new GoError(`reflect: ${item.type.startsWith('[]') ? 'slice' : 'array'} index out of range`);
      item = item.items[x];
      if (item === undefined) item = null;
    } else if (typeof item === 'string' || item instanceof JsonNumber) {
      const bytes = stringBytes(typeof item === 'string' ? item : item.text);
      const x = indexArg(idx, bytes.length);
      if (x === bytes.length) throw new GoError('reflect: string index out of range');
      item = new GoInt('uint8', BigInt(bytes[x]!));
    } else if (item instanceof GoMap) {
      const key = prepareArg(idx, item.keyType);
      const found = mapLookup(item, key);
      item = found === undefined ? zeroOf(item.elemType) : found;
    } else {
      throw new GoError(`can't index item of type ${elemTypeName(item)}`);
    }
  }
  return item;
}

function slice(args: GoValue[]): GoValue {
  const item = indirectInterface(args[0]);
  if (item === undefined) throw new GoError('slice of untyped nil');
  const indexes = args.slice(1);
  if (indexes.length > 3) throw new GoError(`too many slice indexes: ${indexes.length}`);
  let cap: number;
  let length: number;
  let bytes: Buffer | undefined;
  if (typeof item === 'string' || item instanceof JsonNumber) {
    if (indexes.length === 3) throw new GoError('cannot 3-index slice a string');
    bytes = stringBytes(typeof item === 'string' ? item : item.text);
    cap = length = bytes.length;
  } else if (item instanceof GoSlice) {
    length = item.items.length;
    cap = item.capacity ?? length; // Go checks the indexes against cap(), not len()
  } else {
    throw new GoError(`can't slice item of type ${elemTypeName(item)}`);
  }
  const idx = [0, length, 0];
  for (let i = 0; i < indexes.length; i++) {
    // slice (unlike index) does not unwrap interfaces: an index read from interface{} data is refused.
    const x = indexes[i];
    if (x === null || x instanceof InterfaceBox) throw new GoError('cannot index slice/array with type interface {}');
    idx[i] = indexArg(x, cap);
  }
  if (idx[0]! > idx[1]!) throw new GoError(`invalid slice index: ${idx[0]} > ${idx[1]}`);
  if (indexes.length === 3 && idx[1]! > idx[2]!) throw new GoError(`invalid slice index: ${idx[1]} > ${idx[2]}`);
  if (bytes !== undefined) {
    const text = decodeGoBytes(bytes.subarray(idx[0], idx[1]));
    return item instanceof JsonNumber ? new JsonNumber(text) : text;
  }
  const s = item as GoSlice;
  // up to cap(): the backing array's spare elements are zero values
  const items = s.items.slice(idx[0], idx[1]);
  for (let i = Math.max(idx[0]!, length); i < idx[1]!; i++) items.push(zeroOf(s.elemType));
  return new GoSlice(s.type, s.elemType, items, false, (indexes.length === 3 ? idx[2]! : cap) - idx[0]!);
}

function length(args: GoValue[]): GoValue {
  const { value: item, isNil } = indirect(args[0]);
  if (isNil) throw new GoError('len of nil pointer');
  if (item === undefined) throw new GoError('reflect: call of reflect.Value.Type on zero Value');
  if (typeof item === 'string') return new GoInt('int', BigInt(goByteLength(item)));
  if (item instanceof JsonNumber) return new GoInt('int', BigInt(goByteLength(item.text)));
  if (item instanceof GoSlice) return new GoInt('int', BigInt(item.items.length));
  if (item instanceof GoMap) return new GoInt('int', BigInt(item.entries.size));
  throw new GoError(`len of type ${elemTypeName(item)}`);
}

/** A value whose static type is interface{} (read from a map or slice of interface{}), for the
 *  one builtin that tells it apart from the concrete value: slice. */
export class InterfaceBox {
  constructor(readonly value: GoValue) {}
}

/** Builtins that must see interface{}-typed arguments boxed. */
export const BOXED_ARG_BUILTINS: ReadonlySet<string> = new Set(['slice']);

// --- comparison (funcs.go eq/lt) ---

const enum BasicKind { Invalid, Bool, Complex, Int, Float, String, Uint }

function basicKind(v: GoValue): BasicKind {
  switch (typeof v) {
    case 'boolean': return BasicKind.Bool;
    case 'number': return BasicKind.Float;
    case 'string': return BasicKind.String;
  }
  if (v instanceof GoInt) return v.signed ? BasicKind.Int : BasicKind.Uint;
  if (v instanceof JsonNumber) return BasicKind.String;
  if (v instanceof GoComplex) return BasicKind.Complex;
  return BasicKind.Invalid;
}

const ERR_BAD_COMPARISON_TYPE = 'invalid type for comparison';
const ERR_BAD_COMPARISON = 'incompatible types for comparison';
const ERR_NO_COMPARISON = 'missing argument for comparison';

function str(v: GoValue): string {
  return typeof v === 'string' ? v : (v as JsonNumber).text;
}

function isNilValue(v: GoValue): boolean {
  return v === undefined || v === null || v instanceof GoNilPointer;
}

function comparable(v: GoValue): boolean {
  if (v instanceof GoMap || v instanceof GoSlice || v instanceof GoFuncValue) return false;
  if (v instanceof GoStruct && !v.type.name.startsWith('*')) {
    return v.type.fields.every((f) => !f.type.startsWith('[]') && !f.type.startsWith('map[') && !f.type.startsWith('func'));
  }
  return true;
}

function eq(args: GoValue[]): GoValue {
  const arg1 = indirectInterface(args[0]);
  if (args.length < 2) throw new GoError(ERR_NO_COMPARISON);
  const k1 = basicKind(arg1);
  for (let i = 1; i < args.length; i++) {
    const arg = indirectInterface(args[i]);
    const k2 = basicKind(arg);
    let equal = false;
    if (k1 !== k2) {
      if (k1 === BasicKind.Int && k2 === BasicKind.Uint) equal = (arg1 as GoInt).value >= 0n && (arg1 as GoInt).value === (arg as GoInt).value;
      else if (k1 === BasicKind.Uint && k2 === BasicKind.Int) equal = (arg as GoInt).value >= 0n && (arg1 as GoInt).value === (arg as GoInt).value;
      else if (arg1 !== undefined && arg !== undefined) throw new GoError(`${ERR_BAD_COMPARISON}: ${typeOf(arg1)} and ${typeOf(arg)}`);
    } else {
      switch (k1) {
        case BasicKind.Bool: equal = arg1 === arg; break;
        case BasicKind.Complex: equal = (arg1 as GoComplex).re === (arg as GoComplex).re && (arg1 as GoComplex).im === (arg as GoComplex).im; break;
        case BasicKind.Float: equal = arg1 === arg; break;
        case BasicKind.Int: case BasicKind.Uint: equal = (arg1 as GoInt).value === (arg as GoInt).value; break;
        case BasicKind.String: equal = str(arg1) === str(arg); break;
        default: {
          const ka = kindOf(arg1);
          const kb = kindOf(arg);
          if (!(ka === kb || ka === 'invalid' || kb === 'invalid')) {
            throw new GoError(`non-comparable types ${sprintS(arg1)}: ${typeOf(arg1)}, ${typeOf(arg)}: ${sprintOne(arg)}`);
          }
          if (isNilValue(arg1) || isNilValue(arg)) equal = isNilValue(arg) === isNilValue(arg1);
          else {
            if (!comparable(arg)) throw new GoError(`non-comparable type ${sprintS(arg)}: ${typeOf(arg)}`);
            equal = arg1 === arg;
          }
        }
      }
    }
    if (equal) return true;
  }
  return false;
}

function lt(args: GoValue[]): boolean {
  const arg1 = indirectInterface(args[0]);
  const k1 = basicKind(arg1);
  if (k1 === BasicKind.Invalid) throw new GoError(ERR_BAD_COMPARISON_TYPE);
  const arg2 = indirectInterface(args[1]);
  const k2 = basicKind(arg2);
  if (k2 === BasicKind.Invalid) throw new GoError(ERR_BAD_COMPARISON_TYPE);
  if (k1 !== k2) {
    if (k1 === BasicKind.Int && k2 === BasicKind.Uint) return (arg1 as GoInt).value < 0n || (arg1 as GoInt).value < (arg2 as GoInt).value;
    if (k1 === BasicKind.Uint && k2 === BasicKind.Int) return (arg2 as GoInt).value >= 0n && (arg1 as GoInt).value < (arg2 as GoInt).value;
    throw new GoError(`${ERR_BAD_COMPARISON}: ${typeOf(arg1)} and ${typeOf(arg2)}`);
  }
  switch (k1) {
    case BasicKind.Bool: case BasicKind.Complex: throw new GoError(ERR_BAD_COMPARISON_TYPE);
    case BasicKind.Float: return (arg1 as number) < (arg2 as number);
    case BasicKind.Int: case BasicKind.Uint: return (arg1 as GoInt).value < (arg2 as GoInt).value;
    default: return compareBytes(str(arg1), str(arg2)) < 0;
  }
}

function compareBytes(a: string, b: string): number {
  if (a === b) return 0;
  return Buffer.compare(encodeGoString(a), encodeGoString(b));
}

function le(args: GoValue[]): boolean {
  return lt(args) || (eq(args) as boolean);
}

// --- escapers ---

/** evalArgs of funcs.go: one string as is, else Sprint of printable values. */
function evalArgs(args: GoValue[]): string {
  if (args.length === 1 && typeof args[0] === 'string') return args[0];
  const printable = args.map((a) => {
    if (a === undefined || a === null) return '<no value>';
    if (a instanceof GoStruct && a.type.name.startsWith('*')) return derefStruct(a);
    return a;
  });
  return sprint(printable);
}

/** A *T struct seen as T (what printableValue's indirect does before fmt prints it). */
export function derefStruct(s: GoStruct): GoStruct {
  return new GoStruct({ ...s.type, name: s.type.name.slice(1) }, s.values);
}

export function htmlEscape(s: string): string {
  if (!/['"&<>\0]/.test(s)) return s;
  return s.replace(/['"&<>\0]/g, (c) => {
    switch (c) {
      case '"': return '&#34;';
      case "'": return '&#39;';
      case '&': return '&amp;';
      case '<': return '&lt;';
      case '>': return '&gt;';
      default: return '\uFFFD';
    }
  });
}

export function jsEscape(s: string): string {
  let out = '';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    switch (ch) {
      case '\\': out += '\\\\'; continue;
      case "'": out += "\\'"; continue;
      case '"': out += '\\"'; continue;
      case '<': out += '\\u003C'; continue;
      case '>': out += '\\u003E'; continue;
      case '&': out += '\\u0026'; continue;
      case '=': out += '\\u003D'; continue;
    }
    if (cp < 0x20) out += '\\u00' + cp.toString(16).toUpperCase().padStart(2, '0');
    else if (cp < 0x80 || isPrint(cp)) out += ch;
    else out += '\\u' + cp.toString(16).toUpperCase().padStart(4, '0');
  }
  return out;
}

export function urlQueryEscape(s: string): string {
  let out = '';
  for (const b of encodeGoString(s)) {
    if ((b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || (b >= 0x30 && b <= 0x39) || b === 0x2d || b === 0x5f || b === 0x2e || b === 0x7e) {
      out += String.fromCharCode(b);
    } else if (b === 0x20) out += '+';
    else out += '%' + b.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

// --- call ---

function callBuiltin(args: GoValue[], context: CallContext): GoValue {
  const fnValue = indirectInterface(args[0]);
  if (fnValue === undefined) throw new GoError('call of nil');
  const name = context.callee ?? '';
  if (!(fnValue instanceof GoFuncValue)) throw new GoError(`non-function ${name} of type ${typeOf(fnValue)}`);
  const fn = fnValue.fn;
  const params = fn.params.map(normaliseType);
  const callArgs = args.slice(1);
  const numIn = params.length;
  if (fn.variadic) {
    if (callArgs.length < numIn - 1) throw new GoError(`wrong number of args for ${name}: got ${callArgs.length} want at least ${numIn - 1}`);
  } else if (callArgs.length !== numIn) {
    throw new GoError(`wrong number of args for ${name}: got ${callArgs.length} want ${numIn}`);
  }
  const argv = callArgs.map((arg, i) => {
    const argType = fn.variadic && i >= numIn - 1 ? params[numIn - 1]! : params[i]!;
    try {
      return argType === RV ? arg : prepareArg(indirectInterface(arg), argType);
    } catch (error) {
      if (error instanceof GoError) throw new GoError(`arg ${i}: ${error.message}`);
      throw error;
    }
  });
  return fn.call(argv, context);
}

// --- the table ---

function fn(params: string[], variadic: boolean, call: (args: GoValue[], context: CallContext) => GoValue): GoFunction {
  return { params, variadic, call };
}

const unreachable = (): GoValue => { throw new GoError('unreachable'); };

/** and/or are evaluated by the engine (they short-circuit); their entries carry the signature. */
export const builtinFunctions: FunctionMap = new Map<string, GoFunction>([
  ['and', fn([RV, RV], true, unreachable)],
  ['call', fn([RV, RV], true, callBuiltin)],
  ['html', fn([ANY], true, (a) => htmlEscape(evalArgs(a)))],
  ['index', fn([RV, RV], true, index)],
  ['slice', fn([RV, RV], true, slice)],
  ['js', fn([ANY], true, (a) => jsEscape(evalArgs(a)))],
  ['len', fn([RV], false, length)],
  ['not', fn([RV], false, (a) => !truth(a[0]))],
  ['or', fn([RV, RV], true, unreachable)],
  ['print', fn([ANY], true, (a) => sprint(a))],
  ['printf', fn(['string', ANY], true, (a) => sprintf(a[0] as string, a.slice(1)))],
  ['println', fn([ANY], true, (a) => sprintln(a))],
  ['urlquery', fn([ANY], true, (a) => urlQueryEscape(evalArgs(a)))],
  ['eq', fn([RV, RV], true, eq)],
  ['ge', fn([RV, RV], false, (a) => !lt(a))],
  ['gt', fn([RV, RV], false, (a) => !le(a))],
  ['le', fn([RV, RV], false, le)],
  ['lt', fn([RV, RV], false, lt)],
  ['ne', fn([RV, RV], false, (a) => !(eq(a) as boolean))],
]);

export { truth, indirectInterface };
