// Go's dynamic values as the template engine sees them.
//
// JS primitives stand for the commonest Go types so hot paths allocate nothing:
//   undefined -> the invalid reflect.Value ("<no value>": a missing key, nil data)
//   null      -> a nil interface{} held in a slot (JSON null inside a map/slice); prints "<nil>"
//   string    -> string, boolean -> bool, number -> float64
// Everything else is a small class carrying its Go type name (as %T prints it).


/** A Go type, spelled as fmt's %T prints it: 'string', 'int', 'interface {}', '[]string',
 *  'map[string]interface {}', '*dependency.Secret', 'json.Number'. Two pseudo types exist for
 *  parameters only: 'reflect.Value' (any value, passed as is, even invalid) and 'interface {}'
 *  (any value; invalid becomes nil). */
export type GoType = string;

export type IntKind = 'int' | 'int8' | 'int16' | 'int32' | 'int64' | 'uint' | 'uint8' | 'uint16' | 'uint32' | 'uint64' | 'uintptr';

const INT_BITS: Record<IntKind, number> = {
  int: 64, int8: 8, int16: 16, int32: 32, int64: 64,
  uint: 64, uint8: 8, uint16: 16, uint32: 32, uint64: 64, uintptr: 64,
};

/** A defined integer type with methods (time.Duration, time.Month, time.Weekday): it compares
 *  and converts as its kind, prints through its String method and has its own %T name. */
export interface NamedIntType {
  readonly name: GoType;
  readonly kind: IntKind;
  readonly methods: ReadonlyMap<string, GoFunction>;
}

const namedIntTypes = new Map<GoType, NamedIntType>();

/** Makes a named integer type known to the engine (so a literal can be passed to a parameter of
 *  that type, as text/template converts an integer constant to any integer kind). */
export function registerNamedInt(type: NamedIntType): NamedIntType {
  namedIntTypes.set(type.name, type);
  return type;
}

export function namedIntType(name: GoType): NamedIntType | undefined {
  return namedIntTypes.get(name);
}

/** Any Go integer type. The value is a bigint so int64/uint64 keep all 64 bits. */
export class GoInt {
  constructor(readonly kind: IntKind, readonly value: bigint, readonly named?: NamedIntType) {}
  get signed(): boolean { return this.kind[0] === 'i'; }
  /** The value as a JS number (exact when |value| <= 2^53). */
  toNumber(): number { return Number(this.value); }
}

/** Go's int from a JS integer or bigint. */
export function goInt(value: number | bigint, kind: IntKind = 'int'): GoInt {
  return new GoInt(kind, typeof value === 'bigint' ? value : BigInt(Math.trunc(value)));
}

/** Wraps a bigint to the range of an integer kind, as a Go conversion does. */
export function wrapInt(value: bigint, kind: IntKind): bigint {
  const bits = INT_BITS[kind];
  return kind[0] === 'i' ? BigInt.asIntN(bits, value) : BigInt.asUintN(bits, value);
}

export function intBits(kind: IntKind): number { return INT_BITS[kind]; }

/** encoding/json's Number: a string-kind type that keeps the literal text. */
export class JsonNumber {
  constructor(readonly text: string) {}
}

/** complex128 (only number literals such as 1i produce one). */
export class GoComplex {
  constructor(readonly re: number, readonly im: number) {}
}

/** A map. Keys are GoValues; for string-keyed maps they are JS strings. A JS Map keeps JSON keys
 *  such as `__proto__` or `constructor` as plain data. */
export class GoMap {
  constructor(
    readonly type: GoType,            // e.g. 'map[string]interface {}'
    readonly keyType: GoType,         // e.g. 'string', 'interface {}'
    readonly elemType: GoType,        // e.g. 'interface {}', 'string'
    readonly entries: Map<GoValue, GoValue>,
    /** a nil map (only %#v tells it from an empty one) */
    readonly isNil = false,
  ) {}
}

/** A slice (or array: the type name says which, e.g. '[3]int'). */
export class GoSlice {
  constructor(
    readonly type: GoType,            // e.g. '[]interface {}', '[]string'
    readonly elemType: GoType,
    readonly items: GoValue[],
    /** a nil slice (only %#v tells it from an empty one: []string(nil)) */
    readonly isNil = false,
    /** cap(): only the `slice` builtin can see past len */
    readonly cap = items.length,
    /** the backing array's elements after len (a re-slice of a slice still has them); those
     *  not listed, up to cap, are zero values */
    readonly beyond: readonly GoValue[] = [],
  ) {}
}

/** Go's size classes up to 32 KiB (runtime/sizeclasses.go): append rounds capacity up to them. */
const SIZE_CLASSES = [0, 8, 16, 24, 32, 48, 64, 80, 96, 112, 128, 144, 160, 176, 192, 208, 224, 240, 256, 288, 320, 352, 384,
  416, 448, 480, 512, 576, 640, 704, 768, 896, 1024, 1152, 1280, 1408, 1536, 1792, 2048, 2304, 2688, 3072, 3200, 3456, 4096,
  4864, 5376, 6144, 6528, 6784, 6912, 8192, 9472, 9728, 10240, 10880, 12288, 13568, 14336, 16384, 18432, 19072, 20480, 21760,
  24576, 27264, 28672, 32768];

/** runtime.roundupsize: above 512 bytes a small object holding pointers carries an 8-byte
 *  malloc header inside its size class; large objects take whole 8 KiB pages. */
function roundUpSize(size: number, pointers: boolean): number {
  if (size > 32768 - 8) return Math.ceil(size / 8192) * 8192;
  const header = pointers && size > 512 ? 8 : 0;
  return SIZE_CLASSES.find((c) => c >= size + header)! - header;
}

/** The element layouts append sees: interface{} and string are 16 bytes with pointers, int 8 without. */
export interface ElemLayout { readonly size: number; readonly pointers: boolean }
export const INTERFACE_LAYOUT: ElemLayout = { size: 16, pointers: true };
export const INT_LAYOUT: ElemLayout = { size: 8, pointers: false };

/** The capacity after `append` grows a slice of capacity `oldCap` to hold `newLen` elements
 *  (runtime.growslice): double below 256, then a quarter plus 192 at a time, and keep what the
 *  rounded-up allocation holds. */
export function grownCap(oldCap: number, newLen: number, layout: ElemLayout = INTERFACE_LAYOUT): number {
  if (newLen <= oldCap) return oldCap;
  let newCap = oldCap * 2;
  if (newLen > newCap) newCap = newLen;
  else if (oldCap >= 256) {
    newCap = oldCap;
    while (newCap < newLen) newCap += (newCap + 3 * 256) >> 2;
  }
  return Math.floor(roundUpSize(newCap * layout.size, layout.pointers) / layout.size);
}

/** The capacity of a slice grown by appending one element at a time from empty (or from a
 *  `make` of startCap), as encoding/json builds arrays and sprig builds most of its lists. */
export function appendedCap(length: number, layout: ElemLayout = INTERFACE_LAYOUT, startCap = 0): number {
  let cap = startCap;
  while (cap < length) cap = grownCap(cap, cap + 1, layout);
  return cap;
}

/** s[low:high] or s[low:high:max] (indexes already checked against cap): past len it sees the
 *  rest of the backing array, zero where never written. */
export function reslice(s: GoSlice, low: number, high: number, max = s.cap): GoSlice {
  const backing = s.beyond.length === 0 ? s.items : [...s.items, ...s.beyond];
  const items = backing.slice(low, high);
  while (items.length < high - low) items.push(zeroOf(s.elemType));
  return new GoSlice(s.type, s.elemType, items, false, max - low, backing.slice(high, max));
}

/** An []interface{} as encoding/json decodes an array: appended element by element. */
export function appendedInterfaceSlice(items: GoValue[]): GoSlice {
  return new GoSlice(SLICE_INTERFACE, 'interface {}', items, false, appendedCap(items.length));
}

export interface StructField { readonly name: string; readonly type: GoType }

/** A named struct type. A name starting with `*` is a pointer to the struct (what consul-template
 *  returns for secrets): templates see through it, `print` shows `&{...}`. */
export interface StructType {
  readonly name: GoType;              // e.g. '*dependency.Secret', 'dependency.PemEncoded'
  readonly fields: readonly StructField[];
  /** Methods by name. The engine calls them with the receiver prepended to the arguments;
   *  `params` describes only the arguments after the receiver. */
  readonly methods?: ReadonlyMap<string, GoFunction>;
  /** index of each field by name (filled by structType()) */
  readonly fieldIndex: ReadonlyMap<string, number>;
}

export function structType(name: GoType, fields: readonly StructField[], methods?: ReadonlyMap<string, GoFunction>): StructType {
  const fieldIndex = new Map<string, number>();
  fields.forEach((field, index) => fieldIndex.set(field.name, index));
  return methods === undefined ? { name, fields, fieldIndex } : { name, fields, methods, fieldIndex };
}

export class GoStruct {
  /** values are in the order of type.fields */
  constructor(readonly type: StructType, readonly values: GoValue[]) {}
  field(name: string): GoValue {
    const index = this.type.fieldIndex.get(name);
    return index === undefined ? undefined : this.values[index];
  }
}

/** A typed nil pointer such as a nil *dependency.SecretAuth. With the struct type given, a
 *  field access names the right error ("nil pointer evaluating" vs "can't evaluate field"). */
export class GoNilPointer {
  constructor(readonly type: GoType, readonly structType?: StructType) {}
}

/** A function value (a func-typed field, for the `call` builtin). */
export class GoFuncValue {
  constructor(readonly type: GoType, readonly fn: GoFunction) {}
}

export type GoValue =
  | undefined | null | string | boolean | number
  | GoInt | JsonNumber | GoComplex | GoMap | GoSlice | GoStruct | GoNilPointer | GoFuncValue;

// ---------------------------------------------------------------------------------------------
// Functions

/** What a function may use from the running template (consul-template's executeTemplate). */
export interface CallContext {
  /** Executes a template defined in the same template set with the given dot; throws GoError. */
  executeTemplate(name: string, dot: GoValue): string;
  /** One object per top-level execution (shared by the templates it invokes): state that
   *  consul-template creates afresh for every render, such as `scratch`, is keyed by it. */
  readonly execution: object;
  /** For the `call` builtin: how Go >= 1.21 names the callee in its errors (the argument's node
   *  text, or the piped value's reflect.Value String()). */
  readonly callee?: string | undefined;
}

/** A Go function as the engine sees it: its signature decides arity and type errors exactly as
 *  text/template's reflection-based checks would. */
export interface GoFunction {
  /** Parameter types. When `variadic`, the LAST entry is the element type T of `...T`. */
  readonly params: readonly GoType[];
  readonly variadic?: boolean;
  /** Documentation of the Go signature: the function's second result is an error. */
  readonly returnsError?: boolean;
  /** A method text/template refuses to call (goodFunc: more results than it takes); the error
   *  text with `%s` for the name, as in `function %s has 3 return values; should be 1 or 2`. */
  readonly badResults?: string;
  /** Arguments arrive already checked and converted to the parameter types ('interface {}'
   *  params receive null for nil; 'reflect.Value' params may receive undefined). Throw GoError
   *  for Go's returned error: the engine reports `error calling NAME: <message>`. */
  call(args: GoValue[], context: CallContext): GoValue;
}

export type FunctionMap = ReadonlyMap<string, GoFunction>;

/** An error a Go function returns (its message is Go's err.Error()). */
export class GoError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GoError';
  }
}

// ---------------------------------------------------------------------------------------------
// Kinds, types, truth

export type Kind =
  | 'invalid' | 'interface' | 'string' | 'bool' | 'float' | 'int' | 'uint' | 'complex'
  | 'map' | 'slice' | 'struct' | 'ptr' | 'func';

/** reflect.Kind of a value (`null`, a nil interface slot, is 'interface'). */
export function kindOf(value: GoValue): Kind {
  switch (typeof value) {
    case 'undefined': return 'invalid';
    case 'string': return 'string';
    case 'boolean': return 'bool';
    case 'number': return 'float';
  }
  if (value === null) return 'interface';
  if (value instanceof GoInt) return value.signed ? 'int' : 'uint';
  if (value instanceof JsonNumber) return 'string';
  if (value instanceof GoMap) return 'map';
  if (value instanceof GoSlice) return 'slice';
  if (value instanceof GoStruct) return value.type.name.startsWith('*') ? 'ptr' : 'struct';
  if (value instanceof GoNilPointer) return 'ptr';
  if (value instanceof GoComplex) return 'complex';
  return 'func';
}

/** The value's dynamic Go type as %T prints it ('<nil>' for nil and invalid). */
export function typeOf(value: GoValue): GoType {
  switch (typeof value) {
    case 'undefined': return '<nil>';
    case 'string': return 'string';
    case 'boolean': return 'bool';
    case 'number': return 'float64';
  }
  if (value === null) return '<nil>';
  if (value instanceof GoInt) return value.named === undefined ? value.kind : value.named.name;
  if (value instanceof JsonNumber) return 'json.Number';
  if (value instanceof GoComplex) return 'complex128';
  if (value instanceof GoStruct) return value.type.name;
  return value.type;
}

/** text/template's truth: false for invalid, nil, false, zero numbers, empty strings/maps/slices. */
export function isTrue(value: GoValue): boolean {
  switch (typeof value) {
    case 'undefined': return false;
    case 'string': return value.length > 0;
    case 'boolean': return value;
    case 'number': return value !== 0;
  }
  if (value === null) return false;
  if (value instanceof GoInt) return value.value !== 0n;
  if (value instanceof JsonNumber) return value.text.length > 0;
  if (value instanceof GoMap) return value.entries.size > 0;
  if (value instanceof GoSlice) return value.items.length > 0;
  if (value instanceof GoNilPointer) return false;
  if (value instanceof GoComplex) return value.re !== 0 || value.im !== 0;
  return true;
}

/** The zero value of a Go type (what missingkey=zero yields for a map's element type). */
export function zeroOf(type: GoType): GoValue {
  switch (type) {
    case 'string': return '';
    case 'bool': return false;
    case 'float64': case 'float32': return 0;
    case 'interface {}': return null;
    case 'json.Number': return new JsonNumber('');
    case 'complex128': return new GoComplex(0, 0);
  }
  if (type in INT_BITS) return new GoInt(type as IntKind, 0n);
  if (type.startsWith('[]')) return new GoSlice(type, type.slice(2), [], true);
  if (type.startsWith('map[')) {
    const { key, elem } = splitMapType(type);
    return new GoMap(type, key, elem, new Map(), true);
  }
  if (type.startsWith('*') || type.startsWith('func')) return new GoNilPointer(type);
  return null;
}

/** 'map[string]interface {}' -> key 'string', elem 'interface {}' */
export function splitMapType(type: GoType): { key: GoType; elem: GoType } {
  let depth = 0;
  for (let i = 4; i < type.length; i++) {
    const c = type[i];
    if (c === '[') depth++;
    else if (c === ']') {
      if (depth === 0) return { key: type.slice(4, i), elem: type.slice(i + 1) };
      depth--;
    }
  }
  return { key: 'interface {}', elem: 'interface {}' };
}

// ---------------------------------------------------------------------------------------------
// Constructors for the shapes Vault data takes

export const MAP_STRING_INTERFACE: GoType = 'map[string]interface {}';
export const SLICE_INTERFACE: GoType = '[]interface {}';

export function stringMap(entries: Map<string, GoValue> = new Map()): GoMap {
  return new GoMap(MAP_STRING_INTERFACE, 'string', 'interface {}', entries as Map<GoValue, GoValue>);
}

export function interfaceSlice(items: GoValue[]): GoSlice {
  return new GoSlice(SLICE_INTERFACE, 'interface {}', items);
}

export function stringSlice(items: string[]): GoSlice {
  return new GoSlice('[]string', 'string', items);
}

// ---------------------------------------------------------------------------------------------
// JSON -> GoValue, the way encoding/json decodes into interface{}

export class JsonSyntaxError extends Error {}

/** Decodes JSON text as Go's encoding/json does into interface{}: objects become
 *  map[string]interface{}, arrays []interface{}, null nil, numbers float64 or (as Vault's client
 *  decodes with UseNumber) json.Number keeping their text. Duplicate keys: the last wins. */
export function goValueFromJson(jsonText: string, numbers: 'float64' | 'json.Number'): GoValue {
  const reader = new JsonReader(jsonText, numbers === 'json.Number');
  reader.skipSpace();
  const value = reader.value();
  reader.skipSpace();
  if (reader.pos < jsonText.length) reader.fail('invalid character after top-level value');
  return value;
}

const NUMBER_RE = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const STRING_RE = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;

/** encoding/json's maxNestingDepth */
const MAX_JSON_DEPTH = 10000;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

interface Frame {
  entries: Map<GoValue, GoValue> | undefined; // an object being read
  items: GoValue[] | undefined;               // an array being read
  key: string;                                 // the object key awaiting its value
}

class JsonReader {
  pos = 0;
  constructor(readonly text: string, readonly keepNumberText: boolean) {}

  fail(reason: string): never {
    throw new JsonSyntaxError(`${reason} at offset ${this.pos}`);
  }

  skipSpace(): void {
    const text = this.text;
    let pos = this.pos;
    while (pos < text.length) {
      const c = text.charCodeAt(pos);
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) break;
      pos++;
    }
    this.pos = pos;
  }

  /** One value, iteratively (hostile nesting cannot exhaust the JS stack). */
  value(): GoValue {
    const stack: Frame[] = [];
    for (;;) {
      // Parse the start of a value: a scalar completes it, a container opens a frame.
      let value: GoValue;
      const c = this.text[this.pos];
      if (c === '{' || c === '[') {
        if (stack.length >= MAX_JSON_DEPTH) this.fail('exceeded max depth');
        this.pos++;
        this.skipSpace();
        if (c === '{') {
          const frame: Frame = { entries: new Map(), items: undefined, key: '' };
          if (this.text[this.pos] === '}') {
            this.pos++;
            value = new GoMap(MAP_STRING_INTERFACE, 'string', 'interface {}', frame.entries!);
          } else {
            frame.key = this.objectKey();
            stack.push(frame);
            continue;
          }
        } else {
          const frame: Frame = { entries: undefined, items: [], key: '' };
          if (this.text[this.pos] === ']') {
            this.pos++;
            value = appendedInterfaceSlice(frame.items!);
          } else {
            stack.push(frame);
            continue;
          }
        }
      } else {
        value = this.scalar(c);
      }
      // Attach the completed value to enclosing containers, closing those that end here.
      for (;;) {
        const top = stack[stack.length - 1];
        if (top === undefined) return value;
        if (top.items !== undefined) top.items.push(value);
        else top.entries!.set(top.key, value);
        this.skipSpace();
        const sep = this.text[this.pos++];
        if (top.items !== undefined) {
          if (sep === ',') {
            this.skipSpace();
            break;
          }
          if (sep !== ']') this.fail("expected ',' or ']' in array");
          stack.pop();
          value = appendedInterfaceSlice(top.items);
        } else {
          if (sep === ',') {
            this.skipSpace();
            top.key = this.objectKey();
            break;
          }
          if (sep !== '}') this.fail("expected ',' or '}' in object");
          stack.pop();
          value = new GoMap(MAP_STRING_INTERFACE, 'string', 'interface {}', top.entries!);
        }
      }
    }
  }

  /** `"key" :` and the space after it */
  objectKey(): string {
    this.skipSpace();
    if (this.text[this.pos] !== '"') this.fail('expected object key');
    const key = this.string();
    this.skipSpace();
    if (this.text[this.pos] !== ':') this.fail("expected ':' after object key");
    this.pos++;
    this.skipSpace();
    return key;
  }

  scalar(c: string | undefined): GoValue {
    switch (c) {
      case '"': return this.string();
      case 't': return this.literal('true', true);
      case 'f': return this.literal('false', false);
      case 'n': return this.literal('null', null);
      case undefined: return this.fail('unexpected end of JSON input');
    }
    return this.number();
  }

  literal<T extends GoValue>(word: string, value: T): T {
    if (!this.text.startsWith(word, this.pos)) this.fail('invalid literal');
    this.pos += word.length;
    return value;
  }

  number(): GoValue {
    NUMBER_RE.lastIndex = this.pos;
    const match = NUMBER_RE.exec(this.text);
    if (match === null) this.fail(`invalid character '${this.text[this.pos]}' looking for beginning of value`);
    this.pos += match[0].length;
    return this.keepNumberText ? new JsonNumber(match[0]) : Number(match[0]);
  }

  string(): string {
    // Fast path: no escapes, no control characters, no surrogates.
    const text = this.text;
    const start = this.pos + 1;
    for (let i = start; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        this.pos = i + 1;
        return text.slice(start, i);
      }
      if (c === 0x5c || c < 0x20 || (c >= 0xd800 && c <= 0xdfff)) break;
    }
    return this.escapedString();
  }

  escapedString(): string {
    STRING_RE.lastIndex = this.pos;
    const match = STRING_RE.exec(this.text);
    if (match === null) this.fail('invalid string literal');
    this.pos += match[0].length;
    const raw = match[0];
    const text = raw.indexOf('\\') < 0 ? raw.slice(1, -1) : (JSON.parse(raw) as string);
    // Go replaces invalid UTF-8 and unpaired \ud800-style escapes with U+FFFD.
    return /[\ud800-\udfff]/.test(text) ? text.replace(LONE_SURROGATE, '\ufffd') : text;
  }
}
