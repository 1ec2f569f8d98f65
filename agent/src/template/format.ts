// Go's fmt (Sprint, Sprintln, Sprintf) over GoValues, byte for byte: verbs, flags, widths,
// argument indexes and the %!verb(...) error forms.

import {
  GoComplex, GoFuncValue, GoInt, GoMap, GoNilPointer, GoSlice, GoStruct, JsonNumber, typeOf, type GoValue,
} from './values.ts';
import { formatFloat } from './strfloat.ts';
import type { CallContext } from './values.ts';
import { encodeGoString } from './gostring.ts';
import { canBackquote, goQuote, goQuoteRune, isPrint } from './quote.ts';
import { sortedEntries } from './mapsort.ts';

/** String() methods use nothing of the running template. */
const STRINGER_CONTEXT: CallContext = {
  executeTemplate: () => { throw new Error('String() cannot execute templates'); },
  execution: {},
};

export { goQuote, goQuotePrefix, goQuoteRune, isPrint, formatRuneU } from './quote.ts';
export { compareGoStrings, compareKeys, sortedEntries } from './mapsort.ts';

// ---------------------------------------------------------------------------------------------
// The printer

/** A fake address for pointers nested in composites (Go prints a real, varying one). */
const FAKE_ADDRESS = 0xc000010000n;

/** What a printf argument is: a value whose static type is interface{} (null = nil interface). */
type Arg = GoValue;

/** The flags, width and precision of the directive being printed (Go's fmt.State). */
export interface FormatterState {
  flag(c: '-' | '+' | '#' | ' ' | '0'): boolean;
  readonly width: number | undefined;
  readonly precision: number | undefined;
}

/** A fmt.Formatter wrapped around every argument (what spew.Sprintf passes to fmt.Sprintf): fmt
 *  prints %T and %p of the wrapper itself and hands every other verb to `format`. */
export interface ArgFormatter {
  /** the wrapper's type, as %T and %!(EXTRA ...) print it */
  readonly typeName: string;
  format(arg: Arg, verb: string, state: FormatterState): string;
}

function codePointLength(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xd800 || c > 0xdbff) n++;
  }
  return n;
}

function utf8Bytes(s: string): Uint8Array {
  return encodeGoString(s);
}

class Printer {
  buf = '';
  widPresent = false;
  precPresent = false;
  minus = false;
  plus = false;
  sharp = false;
  space = false;
  zero = false;
  plusV = false;
  sharpV = false;
  wid = 0;
  prec = 0;
  erroring = false;
  formatter: ArgFormatter | undefined = undefined;
  // the argument being printed, for badVerb
  private arg: Arg = undefined;
  private argIsSet = false;
  private value: GoValue = undefined;
  private valueIsSet = false;

  clearflags(): void {
    this.widPresent = this.precPresent = this.minus = this.plus = this.sharp = this.space = this.zero = false;
    this.plusV = this.sharpV = false;
    this.wid = this.prec = 0;
  }

  private writePadding(n: number): void {
    if (n <= 0) return;
    this.buf += (this.zero ? '0' : ' ').repeat(n);
  }

  pad(s: string): void {
    if (!this.widPresent || this.wid === 0) {
      this.buf += s;
      return;
    }
    const width = this.wid - codePointLength(s);
    if (!this.minus) {
      this.writePadding(width);
      this.buf += s;
    } else {
      this.buf += s;
      this.writePadding(width);
    }
  }

  private fmtBoolean(v: boolean): void { this.pad(v ? 'true' : 'false'); }

  private fmtUnicode(u: bigint): void {
    let prec = 4;
    if (this.precPresent && this.prec > 4) prec = this.prec;
    let s = 'U+' + u.toString(16).toUpperCase().padStart(prec, '0');
    if (this.sharp && u <= 0x10ffffn && isPrint(Number(u))) s += ` '${String.fromCodePoint(Number(u))}'`;
    const oldZero = this.zero;
    this.zero = false;
    this.pad(s);
    this.zero = oldZero;
  }

  /** fmt.fmtInteger; value is the signed or unsigned value as a bigint. */
  private fmtIntegerBase(value: bigint, base: number, verb: string, upper: boolean): void {
    const negative = value < 0n;
    let u = negative ? -value : value;
    let prec = 0;
    if (this.precPresent) {
      prec = this.prec;
      if (prec === 0 && u === 0n) {
        const oldZero = this.zero;
        this.zero = false;
        this.writePadding(this.wid);
        this.zero = oldZero;
        return;
      }
    } else if (this.zero && this.widPresent) {
      prec = this.wid;
      if (negative || this.plus || this.space) prec--;
    }
    let digits = u.toString(base);
    if (upper) digits = digits.toUpperCase();
    if (digits.length < prec) digits = '0'.repeat(prec - digits.length) + digits;
    if (this.sharp) {
      if (base === 2) digits = '0b' + digits;
      else if (base === 8) {
        if (digits[0] !== '0') digits = '0' + digits;
      } else if (base === 16) digits = (upper ? '0X' : '0x') + digits;
    }
    if (verb === 'O') digits = '0o' + digits;
    if (negative) digits = '-' + digits;
    else if (this.plus) digits = '+' + digits;
    else if (this.space) digits = ' ' + digits;
    u = 0n;
    const oldZero = this.zero;
    this.zero = false;
    this.pad(digits);
    this.zero = oldZero;
  }

  private fmt0x64(v: bigint, leading0x: boolean): void {
    const sharp = this.sharp;
    this.sharp = leading0x;
    this.fmtIntegerBase(v, 16, 'v', false);
    this.sharp = sharp;
  }

  private fmtInteger(value: bigint, signed: boolean, verb: string): void {
    switch (verb) {
      case 'v':
        if (this.sharpV && !signed) this.fmt0x64(value, true);
        else this.fmtIntegerBase(value, 10, verb, false);
        return;
      case 'd': this.fmtIntegerBase(value, 10, verb, false); return;
      case 'b': this.fmtIntegerBase(value, 2, verb, false); return;
      case 'o': case 'O': this.fmtIntegerBase(value, 8, verb, false); return;
      case 'x': this.fmtIntegerBase(value, 16, verb, false); return;
      case 'X': this.fmtIntegerBase(value, 16, verb, true); return;
      case 'c': this.pad(runeString(value)); return;
      case 'q': this.pad(goQuoteRune(value < 0n || value > 0x10ffffn ? 0xfffd : Number(value), this.plus)); return;
      case 'U': this.fmtUnicode(value < 0n ? BigInt.asUintN(64, value) : value); return;
    }
    this.badVerb(verb);
  }

  private fmtFloatVerb(v: number, verb: string): void {
    switch (verb) {
      case 'v': this.fmtFloat(v, 'g', -1); return;
      case 'b': case 'g': case 'G': case 'x': case 'X': this.fmtFloat(v, verb, -1); return;
      case 'f': case 'e': case 'E': this.fmtFloat(v, verb, 6); return;
      case 'F': this.fmtFloat(v, 'f', 6); return;
    }
    this.badVerb(verb);
  }

  private fmtFloat(v: number, verb: string, prec: number): void {
    if (this.precPresent) prec = this.prec;
    let num = formatFloat(v, verb, prec);
    if (num[0] !== '-' && num[0] !== '+') num = '+' + num;
    if (this.space && num[0] === '+' && !this.plus) num = ' ' + num.slice(1);
    if (num[1] === 'I' || num[1] === 'N') {
      const oldZero = this.zero;
      this.zero = false;
      if (num[1] === 'N' && !this.space && !this.plus) num = num.slice(1);
      this.pad(num);
      this.zero = oldZero;
      return;
    }
    if (this.sharp && verb !== 'b') {
      let digits = 0;
      if (verb === 'v' || verb === 'g' || verb === 'G' || verb === 'x') {
        digits = prec;
        if (digits === -1) digits = 6;
      }
      let tail = '';
      let hasDecimalPoint = false;
      let sawNonzeroDigit = false;
      for (let i = 1; i < num.length; i++) {
        const c = num[i]!;
        if (c === '.') {
          hasDecimalPoint = true;
        } else if (c === 'p' || c === 'P') {
          tail = num.slice(i);
          num = num.slice(0, i);
          break;
        } else if ((c === 'e' || c === 'E') && verb !== 'x' && verb !== 'X') {
          tail = num.slice(i);
          num = num.slice(0, i);
          break;
        } else {
          if (c !== '0') sawNonzeroDigit = true;
          if (sawNonzeroDigit) digits--;
        }
      }
      if (!hasDecimalPoint) {
        if (num.length === 2 && num[1] === '0') digits--;
        num += '.';
      }
      while (digits > 0) {
        num += '0';
        digits--;
      }
      num += tail;
    }
    if (this.plus || num[0] !== '+') {
      if (this.zero && this.widPresent && this.wid > num.length) {
        this.buf += num[0];
        this.writePadding(this.wid - num.length);
        this.buf += num.slice(1);
        return;
      }
      this.pad(num);
      return;
    }
    this.pad(num.slice(1));
  }

  private fmtComplex(v: GoComplex, verb: string): void {
    switch (verb) {
      case 'v': case 'b': case 'g': case 'G': case 'x': case 'X': case 'f': case 'F': case 'e': case 'E': {
        const oldPlus = this.plus;
        this.buf += '(';
        this.fmtFloatVerb(v.re, verb);
        this.plus = true;
        this.fmtFloatVerb(v.im, verb);
        this.buf += 'i)';
        this.plus = oldPlus;
        return;
      }
    }
    this.badVerb(verb);
  }

  private truncateString(s: string): string {
    if (this.precPresent) {
      let n = this.prec;
      let i = 0;
      for (const ch of s) {
        n--;
        if (n < 0) return s.slice(0, i);
        i += ch.length;
      }
    }
    return s;
  }

  private fmtS(s: string): void { this.pad(this.truncateString(s)); }

  private fmtSx(s: string, upper: boolean): void {
    const bytes = utf8Bytes(s);
    let length = bytes.length;
    if (this.precPresent && this.prec < length) length = this.prec;
    let width = 2 * length;
    if (width > 0) {
      if (this.space) {
        if (this.sharp) width *= 2;
        width += length - 1;
      } else if (this.sharp) width += 2;
    } else {
      if (this.widPresent) this.writePadding(this.wid);
      return;
    }
    if (this.widPresent && this.wid > width && !this.minus) this.writePadding(this.wid - width);
    const prefix = upper ? '0X' : '0x';
    let out = '';
    if (this.sharp) out += prefix;
    for (let i = 0; i < length; i++) {
      if (this.space && i > 0) {
        out += ' ';
        if (this.sharp) out += prefix;
      }
      const h = bytes[i]!.toString(16).padStart(2, '0');
      out += upper ? h.toUpperCase() : h;
    }
    this.buf += out;
    if (this.widPresent && this.wid > width && this.minus) this.writePadding(this.wid - width);
  }

  private fmtQ(s: string): void {
    s = this.truncateString(s);
    if (this.sharp && canBackquote(s)) {
      this.pad('`' + s + '`');
      return;
    }
    this.pad(goQuote(s, this.plus));
  }

  private fmtString(s: string, verb: string): void {
    switch (verb) {
      case 'v':
        if (this.sharpV) this.fmtQ(s);
        else this.fmtS(s);
        return;
      case 's': this.fmtS(s); return;
      case 'x': this.fmtSx(s, false); return;
      case 'X': this.fmtSx(s, true); return;
      case 'q': this.fmtQ(s); return;
    }
    this.badVerb(verb);
  }

  badVerb(verb: string): void {
    this.erroring = true;
    this.buf += '%!' + verb + '(';
    if (this.argIsSet && this.arg !== undefined && this.arg !== null) {
      this.buf += typeOf(this.arg) + '=';
      this.printArg(this.arg, 'v');
    } else if (this.valueIsSet && this.value !== undefined) {
      this.buf += (this.value === null ? 'interface {}' : typeOf(this.value)) + '=';
      this.printValue(this.value, 'v', 0);
    } else {
      this.buf += '<nil>';
    }
    this.buf += ')';
    this.erroring = false;
  }

  private fmtPointer(value: GoValue, verb: string): void {
    const isNil = value instanceof GoNilPointer;
    const u = isNil ? 0n : FAKE_ADDRESS;
    switch (verb) {
      case 'v':
        if (this.sharpV) {
          this.buf += '(' + typeOf(value) + ')(';
          if (u === 0n) this.buf += 'nil';
          else this.fmt0x64(u, true);
          this.buf += ')';
        } else if (u === 0n) this.pad('<nil>');
        else this.fmt0x64(u, !this.sharp);
        return;
      case 'p': this.fmt0x64(u, !this.sharp); return;
      case 'b': case 'o': case 'd': case 'x': case 'X': this.fmtInteger(u, false, verb); return;
    }
    this.badVerb(verb);
  }

  /** Stringer/error handling: json.Number has String(). */
  private handleMethods(arg: GoValue, verb: string): boolean {
    if (this.erroring) return false;
    const methods = arg instanceof GoStruct ? arg.type.methods : arg instanceof GoInt ? arg.named?.methods : undefined;
    if (this.sharpV) {
      // a fmt.GoStringer (time.Time) prints itself for %#v
      const goStringer = methods?.get('GoString');
      if (goStringer === undefined || goStringer.params.length !== 0) return false;
      this.fmtS(String(goStringer.call([arg], STRINGER_CONTEXT)));
      return true;
    }
    // a value with a String() method is a fmt.Stringer (time.Time, time.Duration, *semver.Version)
    const stringer = methods?.get('String');
    if (stringer !== undefined && stringer.params.length === 0) {
      switch (verb) {
        case 'v': case 's': case 'x': case 'X': case 'q':
          this.fmtString(String(stringer.call([arg], STRINGER_CONTEXT)), verb);
          return true;
      }
    }
    if (arg instanceof JsonNumber) {
      switch (verb) {
        case 'v': case 's': case 'x': case 'X': case 'q':
          this.fmtString(arg.text, verb);
          return true;
      }
    }
    return false;
  }

  printArg(arg: Arg, verb: string): void {
    if (this.formatter !== undefined) {
      this.printFormatted(this.formatter, arg, verb);
      return;
    }
    this.arg = arg;
    this.argIsSet = true;
    this.value = undefined;
    this.valueIsSet = false;
    if (arg === undefined || arg === null) {
      if (verb === 'T' || verb === 'v') this.pad('<nil>');
      else this.badVerb(verb);
      return;
    }
    if (verb === 'T') {
      this.fmtS(typeOf(arg));
      return;
    }
    if (verb === 'p') {
      // fmt's fmtPointer takes chans, funcs, maps, pointers and slices; anything else is a bad verb
      if (arg instanceof GoNilPointer || arg instanceof GoFuncValue || arg instanceof GoMap || arg instanceof GoSlice || (arg instanceof GoStruct && arg.type.name.startsWith('*'))) this.fmtPointer(arg, 'p');
      else this.badVerb(verb);
      return;
    }
    switch (typeof arg) {
      case 'boolean': this.fmtBool(arg, verb); return;
      case 'number': this.fmtFloatVerb(arg, verb); return;
      case 'string': this.fmtString(arg, verb); return;
    }
    if (arg instanceof GoInt && arg.named === undefined) {
      this.fmtInteger(arg.value, arg.signed, verb);
      return;
    }
    if (!this.handleMethods(arg, verb)) this.printValue(arg, verb, 0);
  }

  /** fmt's printArg for an argument that is a Formatter (never nil: it is the wrapper). */
  private printFormatted(formatter: ArgFormatter, arg: Arg, verb: string): void {
    if (verb === 'T') {
      this.fmtS(formatter.typeName);
      return;
    }
    if (verb === 'p') {
      this.fmt0x64(FAKE_ADDRESS, !this.sharp);
      return;
    }
    const state: FormatterState = {
      flag: (c) => {
        switch (c) {
          case '-': return this.minus;
          case '+': return this.plus || this.plusV;
          case '#': return this.sharp || this.sharpV;
          case ' ': return this.space;
          case '0': return this.zero;
        }
      },
      width: this.widPresent ? this.wid : undefined,
      precision: this.precPresent ? this.prec : undefined,
    };
    this.buf += formatter.format(arg, verb, state);
  }

  private fmtBool(v: boolean, verb: string): void {
    if (verb === 't' || verb === 'v') this.fmtBoolean(v);
    else this.badVerb(verb);
  }

  /** fmt's printValue. `value` null = a nil interface{} slot. */
  printValue(value: GoValue, verb: string, depth: number): void {
    if (depth > 0 && value !== undefined && value !== null) {
      this.arg = value;
      this.argIsSet = true;
      if (this.handleMethods(value, verb)) return;
    }
    this.arg = undefined;
    this.argIsSet = false;
    this.value = value;
    this.valueIsSet = true;
    switch (typeof value) {
      case 'undefined':
        if (depth === 0) this.buf += '<invalid reflect.Value>';
        else if (verb === 'v') this.buf += '<nil>';
        else this.badVerb(verb);
        return;
      case 'boolean': this.fmtBool(value, verb); return;
      case 'number': this.fmtFloatVerb(value, verb); return;
      case 'string': this.fmtString(value, verb); return;
    }
    if (value === null) {
      if (this.sharpV) this.buf += 'interface {}(nil)';
      else this.buf += '<nil>';
      return;
    }
    if (value instanceof GoInt) {
      this.fmtInteger(value.value, value.signed, verb);
      return;
    }
    if (value instanceof JsonNumber) {
      this.fmtString(value.text, verb);
      return;
    }
    if (value instanceof GoComplex) {
      this.fmtComplex(value, verb);
      return;
    }
    if (value instanceof GoMap) {
      if (this.sharpV) {
        this.buf += value.type;
        if (value.isNil) {
          this.buf += '(nil)';
          return;
        }
        this.buf += '{';
      } else this.buf += 'map[';
      const entries = sortedEntries(value);
      for (let i = 0; i < entries.length; i++) {
        if (i > 0) this.buf += this.sharpV ? ', ' : ' ';
        const [k, v] = entries[i]!;
        this.printValue(k, verb, depth + 1);
        this.buf += ':';
        this.printElement(v, value.elemType, verb, depth + 1);
      }
      this.buf += this.sharpV ? '}' : ']';
      return;
    }
    if (value instanceof GoSlice && (value.type.startsWith('<-chan ') || value.type.startsWith('chan '))) {
      // a channel (consul-template's loop) prints as its address, as fmt does
      this.fmtPointer(value, verb);
      return;
    }
    if (value instanceof GoSlice) {
      if (verb === 's' || verb === 'q' || verb === 'x' || verb === 'X') {
        if (value.elemType === 'uint8' || value.elemType === 'byte') {
          const bytes = Buffer.from(value.items.map((b) => (b instanceof GoInt ? Number(b.value) : 0)));
          this.fmtString(bytes.toString('latin1'), verb);
          return;
        }
      }
      if (this.sharpV) {
        // fmt's printArg names a top-level []byte so; nested ones are []uint8 (reflect's name)
        this.buf += depth === 0 && value.type === '[]uint8' ? '[]byte' : value.type;
        if (value.isNil) {
          this.buf += '(nil)';
          return;
        }
        this.buf += '{';
        for (let i = 0; i < value.items.length; i++) {
          if (i > 0) this.buf += ', ';
          this.printElement(value.items[i], value.elemType, verb, depth + 1);
        }
        this.buf += '}';
      } else {
        this.buf += '[';
        for (let i = 0; i < value.items.length; i++) {
          if (i > 0) this.buf += ' ';
          this.printElement(value.items[i], value.elemType, verb, depth + 1);
        }
        this.buf += ']';
      }
      return;
    }
    if (value instanceof GoStruct) {
      const isPointer = value.type.name.startsWith('*');
      if (isPointer) {
        if (depth > 0) {
          this.fmtPointer(value, verb);
          return;
        }
        this.buf += '&';
        depth++;
      }
      if (this.sharpV) this.buf += isPointer ? value.type.name.slice(1) : value.type.name;
      this.buf += '{';
      const fields = value.type.fields;
      for (let i = 0; i < fields.length; i++) {
        if (i > 0) this.buf += this.sharpV ? ', ' : ' ';
        if (this.plusV || this.sharpV) this.buf += fields[i]!.name + ':';
        this.printElement(value.values[i], fields[i]!.type, verb, depth + 1);
      }
      this.buf += '}';
      return;
    }
    if (value instanceof GoNilPointer || value instanceof GoFuncValue) {
      this.fmtPointer(value, verb);
      return;
    }
  }

  /** An element of a composite: an interface{} slot holding nil prints <nil>. */
  private printElement(v: GoValue, staticType: string, verb: string, depth: number): void {
    if ((v === null || v === undefined) && staticType === 'interface {}') {
      this.value = null;
      this.buf += this.sharpV ? 'interface {}(nil)' : '<nil>';
      return;
    }
    this.printValue(v, verb, depth);
  }
}

function runeString(value: bigint): string {
  if (value < 0n || value > 0x10ffffn || (value >= 0xd800n && value <= 0xdfffn)) return '\ufffd';
  return String.fromCodePoint(Number(value));
}

// ---------------------------------------------------------------------------------------------
// Public entry points

function isStringKind(arg: Arg): boolean {
  return typeof arg === 'string' || arg instanceof JsonNumber;
}

/** fmt.Sprint: a space between operands when neither is a string. Args are interface{} values. */
export function sprint(args: readonly Arg[]): string {
  const p = new Printer();
  let prevString = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const isString = isStringKind(arg);
    if (i > 0 && !isString && !prevString) p.buf += ' ';
    p.printArg(arg, 'v');
    prevString = isString;
  }
  return p.buf;
}

/** fmt.Sprint of one value (the fast path for printing actions). */
export function sprintOne(arg: Arg): string {
  switch (typeof arg) {
    case 'string': return arg;
    case 'boolean': return arg ? 'true' : 'false';
    case 'number': return formatFloat(arg, 'g', -1);
  }
  if (arg instanceof GoInt && arg.named === undefined) return arg.value.toString();
  if (arg instanceof JsonNumber) return arg.text;
  const p = new Printer();
  p.printArg(arg, 'v');
  return p.buf;
}

/** fmt.Sprintln */
export function sprintln(args: readonly Arg[]): string {
  const p = new Printer();
  for (let i = 0; i < args.length; i++) {
    if (i > 0) p.buf += ' ';
    p.printArg(args[i], 'v');
  }
  return p.buf + '\n';
}

/** State of one Sprintf call (kept out of closures: this runs for every printf). */
class FormatState {
  argNum = 0;
  reordered = false;
  goodArgNum = true;
  constructor(readonly format: string, readonly args: readonly Arg[], readonly wrapped: boolean) {}

  /** parsenum: digits at `start`; newi is where they end. */
  parsenum(start: number): { num: number; isnum: boolean; newi: number } {
    const format = this.format;
    const end = format.length;
    let num = 0;
    let isnum = false;
    let newi = start;
    if (start >= end) return { num: 0, isnum: false, newi: end };
    for (; newi < end && format.charCodeAt(newi) >= 0x30 && format.charCodeAt(newi) <= 0x39; newi++) {
      if (num > 1e6 || num < -1e6) return { num: 0, isnum: false, newi: end };
      num = num * 10 + (format.charCodeAt(newi) - 0x30);
      isnum = true;
    }
    return { num, isnum, newi };
  }

  /** argNumber: an explicit [n] at i; returns the new index and whether one was found. */
  argNumber(i: number): { newi: number; found: boolean } {
    const format = this.format;
    if (format.length <= i || format[i] !== '[') return { newi: i, found: false };
    this.reordered = true;
    let index = 0;
    let wid = 1;
    let ok = false;
    if (format.length - i >= 3) {
      for (let j = i + 1; j < format.length; j++) {
        if (format[j] === ']') {
          const n = this.parsenum(i + 1);
          if (!n.isnum || n.newi !== j) {
            wid = j - i + 1;
          } else {
            index = n.num - 1;
            wid = j - i + 1;
            ok = true;
          }
          break;
        }
      }
    }
    if (ok && index >= 0 && index < this.args.length) {
      this.argNum = index;
      return { newi: i + wid, found: true };
    }
    this.goodArgNum = false;
    return { newi: i + wid, found: ok };
  }

  /** intFromArg: a * width or precision. */
  intFromArg(): { num: number; isInt: boolean } {
    let num = 0;
    let isInt = false;
    if (this.argNum < this.args.length) {
      const a = this.args[this.argNum];
      if (!this.wrapped && a instanceof GoInt && (a.signed || a.value <= (1n << 63n) - 1n)) {
        num = Number(a.value);
        isInt = true;
      }
      this.argNum++;
      if (num > 1e6 || num < -1e6) {
        num = 0;
        isInt = false;
      }
    }
    return { num, isInt };
  }
}

/** fmt.Sprintf with Go's verbs, flags, widths, argument indexes and error forms; with a
 *  formatter, every argument is wrapped in it (a wrapper is never an int for a * width). */
export function sprintf(format: string, args: readonly Arg[], formatter?: ArgFormatter): string {
  const p = new Printer();
  p.formatter = formatter;
  const st = new FormatState(format, args, formatter !== undefined);
  const end = format.length;
  let afterIndex = false;
  let i = 0;
  formatLoop: while (i < end) {
    st.goodArgNum = true;
    const lasti = i;
    while (i < end && format.charCodeAt(i) !== 0x25) i++;
    if (i > lasti) p.buf += format.slice(lasti, i);
    if (i >= end) break;
    i++;
    p.clearflags();
    simpleFormat: for (; i < end; i++) {
      const c = format[i]!;
      switch (c) {
        case '#': p.sharp = true; break;
        case '0': p.zero = !p.minus; break;
        case '+': p.plus = true; break;
        case '-': p.minus = true; p.zero = false; break;
        case ' ': p.space = true; break;
        default:
          if (c >= 'a' && c <= 'z' && st.argNum < args.length) {
            if (c === 'v') {
              p.sharpV = p.sharp;
              p.sharp = false;
              p.plusV = p.plus;
              p.plus = false;
            }
            p.printArg(args[st.argNum], c);
            st.argNum++;
            i++;
            continue formatLoop;
          }
          break simpleFormat;
      }
    }
    let r = st.argNumber(i);
    i = r.newi; afterIndex = r.found;
    if (i < end && format[i] === '*') {
      i++;
      const w = st.intFromArg();
      p.wid = w.num;
      p.widPresent = w.isInt;
      if (!p.widPresent) p.buf += '%!(BADWIDTH)';
      if (p.wid < 0) {
        p.wid = -p.wid;
        p.minus = true;
        p.zero = false;
      }
      afterIndex = false;
    } else {
      const n = st.parsenum(i);
      p.wid = n.num; p.widPresent = n.isnum; i = n.newi;
      if (afterIndex && p.widPresent) st.goodArgNum = false;
    }
    if (i + 1 < end && format[i] === '.') {
      i++;
      if (afterIndex) st.goodArgNum = false;
      r = st.argNumber(i);
      i = r.newi; afterIndex = r.found;
      if (i < end && format[i] === '*') {
        i++;
        const w = st.intFromArg();
        p.prec = w.num;
        p.precPresent = w.isInt;
        if (p.prec < 0) {
          p.prec = 0;
          p.precPresent = false;
        }
        if (!p.precPresent) p.buf += '%!(BADPREC)';
        afterIndex = false;
      } else {
        const n = st.parsenum(i);
        p.prec = n.num; p.precPresent = n.isnum; i = n.newi;
        if (!p.precPresent) {
          p.prec = 0;
          p.precPresent = true;
        }
      }
    }
    if (!afterIndex) {
      r = st.argNumber(i);
      i = r.newi; afterIndex = r.found;
    }
    if (i >= end) {
      p.buf += '%!(NOVERB)';
      break;
    }
    const verbCp = format.codePointAt(i)!;
    const verb = String.fromCodePoint(verbCp);
    i += verb.length;
    if (verb === '%') {
      p.buf += '%';
    } else if (!st.goodArgNum) {
      p.buf += '%!' + verb + '(BADINDEX)';
    } else if (st.argNum >= args.length) {
      p.buf += '%!' + verb + '(MISSING)';
    } else {
      if (verb === 'v') {
        p.sharpV = p.sharp;
        p.sharp = false;
        p.plusV = p.plus;
        p.plus = false;
      }
      p.printArg(args[st.argNum], verb);
      st.argNum++;
    }
  }
  if (!st.reordered && st.argNum < args.length) {
    p.clearflags();
    p.buf += '%!(EXTRA ';
    for (let k = st.argNum; k < args.length; k++) {
      if (k > st.argNum) p.buf += ', ';
      const arg = args[k];
      if (formatter !== undefined) {
        p.buf += formatter.typeName + '=';
        p.printArg(arg, 'v');
      } else if (arg === undefined || arg === null) p.buf += '<nil>';
      else {
        p.buf += typeOf(arg) + '=';
        p.printArg(arg, 'v');
      }
    }
    p.buf += ')';
  }
  return p.buf;
}

/** `%s` of one value (used in Go's error texts such as eq's non-comparable message). */
export function sprintS(value: GoValue): string {
  const p = new Printer();
  p.printArg(value, 's');
  return p.buf;
}
