// go-spew's package-level Sdump and Sprintf (consul-template's spew_sdump and spew_sprintf) over
// our Go values, with spew's default configuration: one-space indent, lengths and capacities
// shown, Stringer methods called, pointer addresses shown, map keys NOT sorted.
//
// Two things Go leaves to chance are made deterministic here: map entries come in fmt's sorted
// key order (Go's map iteration order is random), and pointers get addresses handed out in order
// of first sight within one render (Go prints where the heap put them).
import { GoComplex, GoFuncValue, GoInt, GoMap, GoNilPointer, GoSlice, GoStruct, JsonNumber, typeOf } from '../values.ts';
import type { CallContext, GoFunction, GoValue } from '../values.ts';
import { fn } from './define.ts';
import { goQuote, sortedEntries, sprintf, type ArgFormatter, type FormatterState } from '../format.ts';
import { formatFloat } from '../strfloat.ts';
import { goByteLength } from '../gostring.ts';

/** String() methods use nothing of the running template. */
const METHOD_CONTEXT: CallContext = {
  executeTemplate: () => { throw new Error('String() cannot execute templates'); },
  execution: {},
};

const FIRST_ADDRESS = 0xc000010000n;
const ADDRESS_STEP = 0x100n;

/** Fake heap addresses, one per pointed-to object, stable within one render. */
const addressBooks = new WeakMap<object, Map<object, bigint>>();

function addressOf(execution: object, target: object): bigint {
  let book = addressBooks.get(execution);
  if (book === undefined) {
    book = new Map();
    addressBooks.set(execution, book);
  }
  let address = book.get(target);
  if (address === undefined) {
    address = FIRST_ADDRESS + ADDRESS_STEP * BigInt(book.size);
    book.set(target, address);
  }
  return address;
}

function hexAddress(address: bigint): string {
  return address === 0n ? '<nil>' : '0x' + address.toString(16);
}

/** A pointer to a struct (what *dependency.Secret, *semver.Version are in our model), or a nil one. */
function isPointer(value: GoValue): value is GoStruct | GoNilPointer {
  return value instanceof GoNilPointer || (value instanceof GoStruct && value.type.name.startsWith('*'));
}

/** What a String() method (fmt.Stringer: json.Number, semver.Version, time.Time) prints, or
 *  undefined. spew takes the address of what it can, so pointer methods count on values too. */
function stringerText(value: GoValue): string | undefined {
  if (value instanceof JsonNumber) return value.text;
  if (value instanceof GoStruct) {
    const method = value.type.methods?.get('String');
    if (method !== undefined && method.params.length === 0) return String(method.call([value], METHOD_CONTEXT));
  }
  return undefined;
}

/** `loop`'s result: a channel (our model keeps its values as a slice's). */
function isChannel(value: GoSlice): boolean {
  return value.type.startsWith('<-chan') || value.type.startsWith('chan');
}

function lengthAndCapacity(value: GoValue): [number, number] {
  if (typeof value === 'string') return [goByteLength(value), 0];
  if (value instanceof JsonNumber) return [goByteLength(value.text), 0];
  if (value instanceof GoMap) return [value.entries.size, 0];
  if (value instanceof GoSlice && isChannel(value)) return [0, 0];
  if (value instanceof GoSlice) return [value.items.length, value.cap];
  return [0, 0];
}

function scalarText(value: GoValue): string | undefined {
  switch (typeof value) {
    case 'boolean': return value ? 'true' : 'false';
    case 'number': return formatFloat(value, 'g', -1);
  }
  if (value instanceof GoInt) return value.kind === 'uintptr' ? hexAddress(value.value) : value.value.toString();
  if (value instanceof GoComplex) {
    const im = formatFloat(value.im, 'g', -1);
    return `(${formatFloat(value.re, 'g', -1)}${value.im >= 0 || Number.isNaN(value.im) ? '+' : ''}${im}i)`;
  }
  return undefined;
}

/** Entries in the order we print them (see the file comment). */
function mapEntries(map: GoMap): [GoValue, GoValue][] {
  return sortedEntries(map);
}

// ---------------------------------------------------------------------------------------------
// Sdump

class Dumper {
  out = '';
  private depth = 0;
  /** address → depth it was first seen at, for cycles (<already shown>) */
  private readonly pointers = new Map<bigint, number>();
  private ignoreNextType = false;
  private ignoreNextIndent = false;

  constructor(private readonly execution: object) {}

  private indent(): void {
    if (this.ignoreNextIndent) {
      this.ignoreNextIndent = false;
      return;
    }
    this.out += ' '.repeat(this.depth);
  }

  private dumpPointer(value: GoStruct | GoNilPointer): void {
    for (const [address, depth] of this.pointers) if (depth >= this.depth) this.pointers.delete(address);
    this.out += `(${typeOf(value)})`;
    if (value instanceof GoNilPointer) {
      this.out += '(<nil>)';
      return;
    }
    const address = addressOf(this.execution, value);
    this.out += `(${hexAddress(address)})(`;
    const seenAt = this.pointers.get(address);
    if (seenAt !== undefined && seenAt < this.depth) {
      this.out += '<already shown>)';
      return;
    }
    this.pointers.set(address, this.depth);
    this.ignoreNextType = true;
    this.dump(value);
    this.out += ')';
  }

  /** Opens a block, writes its lines (or nothing), closes it at the outer indent. */
  private block(lines: () => void): void {
    this.out += '{\n';
    this.depth++;
    lines();
    this.depth--;
    this.indent();
    this.out += '}';
  }

  dump(value: GoValue): void {
    if (value === undefined) {
      this.out += '<invalid>';
      return;
    }
    if (isPointer(value) && !this.ignoreNextType) {
      this.indent();
      this.dumpPointer(value);
      return;
    }
    if (!this.ignoreNextType) {
      this.indent();
      this.out += `(${value === null ? 'interface {}' : typeOf(value)}) `;
    }
    this.ignoreNextType = false;
    if (value === null) {
      this.out += '<nil>';
      return;
    }
    const [len, cap] = lengthAndCapacity(value);
    if (len !== 0 || cap !== 0) {
      this.out += '(' + (len !== 0 ? `len=${len}` : '') + (cap !== 0 ? `${len !== 0 ? ' ' : ''}cap=${cap}` : '') + ') ';
    }
    const leaf = stringerText(value) ?? scalarText(value);
    if (leaf !== undefined) {
      this.out += leaf;
      return;
    }
    if (typeof value === 'string') {
      this.out += goQuote(value);
    } else if (value instanceof GoSlice) {
      if (value.isNil) this.out += '<nil>';
      else if (isChannel(value)) this.out += hexAddress(addressOf(this.execution, value));
      else {
        this.block(() => value.items.forEach((item, i) => {
          this.dump(item);
          this.out += i < value.items.length - 1 ? ',\n' : '\n';
        }));
      }
    } else if (value instanceof GoMap) {
      if (value.isNil) this.out += '<nil>';
      else {
        const entries = mapEntries(value);
        this.block(() => entries.forEach(([key, item], i) => {
          this.dump(key);
          this.out += ': ';
          this.ignoreNextIndent = true;
          this.dump(item);
          this.out += i < entries.length - 1 ? ',\n' : '\n';
        }));
      }
    } else if (value instanceof GoStruct) {
      const fields = value.type.fields;
      this.block(() => fields.forEach((field, i) => {
        this.indent();
        this.out += `${field.name}: `;
        this.ignoreNextIndent = true;
        this.dump(value.values[i]);
        this.out += i < fields.length - 1 ? ',\n' : '\n';
      }));
    } else if (value instanceof GoFuncValue) {
      this.out += hexAddress(addressOf(this.execution, value));
    }
  }
}

/** spew.Sdump: each argument on its own line(s). */
export function spewSdump(args: readonly GoValue[], execution: object): string {
  let out = '';
  for (const arg of args) {
    if (arg === undefined || arg === null) {
      out += '(interface {}) <nil>\n';
      continue;
    }
    const dumper = new Dumper(execution);
    dumper.dump(arg);
    out += dumper.out + '\n';
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Sprintf: spew's formatter handles %v (with + for addresses and # for types); other verbs go to
// fmt with the directive rebuilt.

class InlineFormatter {
  out = '';
  private depth = 0;
  private readonly pointers = new Map<bigint, number>();
  private ignoreNextType = false;
  private readonly showTypes: boolean;
  private readonly showAddresses: boolean;

  constructor(private readonly execution: object, state: FormatterState) {
    this.showTypes = state.flag('#');
    this.showAddresses = state.flag('+');
  }

  /** An element read from an interface{} slot shows its own type again. */
  private unpack(value: GoValue, staticType: string): GoValue {
    if (staticType === 'interface {}') this.ignoreNextType = false;
    return value;
  }

  private formatPointer(value: GoStruct | GoNilPointer): void {
    const isNil = value instanceof GoNilPointer;
    if (isNil && (!this.showTypes || this.ignoreNextType)) {
      this.out += '<nil>';
      return;
    }
    for (const [address, depth] of this.pointers) if (depth >= this.depth) this.pointers.delete(address);
    const address = isNil ? 0n : addressOf(this.execution, value);
    const seenAt = isNil ? undefined : this.pointers.get(address);
    const cycle = seenAt !== undefined && seenAt < this.depth;
    if (!isNil && !cycle) this.pointers.set(address, this.depth);
    if (this.showTypes && !this.ignoreNextType) this.out += `(${typeOf(value)})`;
    else this.out += isNil || cycle ? `<${'*'.repeat(typeOf(value).split('*').length - 1)}>` : '<*>';
    if (this.showAddresses && !isNil) this.out += `(${hexAddress(address)})`;
    if (isNil) this.out += '<nil>';
    else if (cycle) this.out += '<shown>';
    else {
      this.ignoreNextType = true;
      this.format(value, true);
    }
  }

  format(value: GoValue, throughPointer = false): void {
    if (value === undefined) {
      this.out += '<invalid>';
      return;
    }
    if (isPointer(value) && !throughPointer) {
      this.formatPointer(value);
      return;
    }
    if (!this.ignoreNextType && this.showTypes) this.out += `(${value === null ? 'interface {}' : typeOf(value)})`;
    this.ignoreNextType = false;
    if (value === null) {
      this.out += '<nil>';
      return;
    }
    const leaf = stringerText(value) ?? scalarText(value);
    if (leaf !== undefined) {
      this.out += leaf;
      return;
    }
    if (typeof value === 'string') {
      this.out += value;
    } else if (value instanceof GoSlice) {
      if (value.isNil) this.out += '<nil>';
      else if (isChannel(value)) this.out += hexAddress(addressOf(this.execution, value));
      else {
        this.out += '[';
        this.depth++;
        value.items.forEach((item, i) => {
          if (i > 0) this.out += ' ';
          this.ignoreNextType = true;
          this.format(this.unpack(item, value.elemType));
        });
        this.depth--;
        this.out += ']';
      }
    } else if (value instanceof GoMap) {
      if (value.isNil) this.out += '<nil>';
      else {
        this.out += 'map[';
        this.depth++;
        mapEntries(value).forEach(([key, item], i) => {
          if (i > 0) this.out += ' ';
          this.ignoreNextType = true;
          this.format(this.unpack(key, value.keyType));
          this.out += ':';
          this.ignoreNextType = true;
          this.format(this.unpack(item, value.elemType));
        });
        this.depth--;
        this.out += ']';
      }
    } else if (value instanceof GoStruct) {
      this.out += '{';
      this.depth++;
      value.type.fields.forEach((field, i) => {
        if (i > 0) this.out += ' ';
        if (this.showAddresses || this.showTypes) this.out += `${field.name}:`;
        this.format(this.unpack(value.values[i], field.type));
      });
      this.depth--;
      this.out += '}';
    } else if (value instanceof GoFuncValue) {
      this.out += hexAddress(addressOf(this.execution, value));
    }
  }
}

/** spew's formatState.Format: the directive as fmt would have it, for verbs other than v. */
function rebuiltDirective(verb: string, state: FormatterState): string {
  let directive = '%';
  for (const flag of ['0', '-', '+', '#', ' '] as const) if (state.flag(flag)) directive += flag;
  if (state.width !== undefined) directive += String(state.width);
  if (state.precision !== undefined) directive += '.' + String(state.precision);
  return directive + verb;
}

function spewFormatter(execution: object): ArgFormatter {
  return {
    typeName: '*spew.formatState',
    format(arg, verb, state) {
      if (verb !== 'v') return sprintf(rebuiltDirective(verb, state), [arg === undefined ? null : arg]);
      if (arg === undefined || arg === null) return (state.flag('#') ? '(interface {})' : '') + '<nil>';
      const formatter = new InlineFormatter(execution, state);
      formatter.format(arg);
      return formatter.out;
    },
  };
}

/** spew.Sprintf: fmt.Sprintf with every argument wrapped in spew's formatter. */
export function spewSprintf(format: string, args: readonly GoValue[], execution: object): string {
  return sprintf(format, args, spewFormatter(execution));
}

/** consul-template's spew_sdump and spew_sprintf (spew_dump and spew_printf, which print to the
 *  process's standard output, are refused: see stdout.ts). */
export function spewFunctions(): Map<string, GoFunction> {
  return new Map<string, GoFunction>([
    ['spew_sdump', fn(['interface {}'], (args, context) => spewSdump(args, context.execution), { variadic: true })],
    ['spew_sprintf', fn(['string', 'interface {}'], (args, context) => spewSprintf(args[0] as string, args.slice(1), context.execution), { variadic: true })],
  ]);
}
