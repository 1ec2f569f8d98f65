// Go's encoding/json for the values templates hold: Marshal/MarshalIndent (toJSON, toJSONPretty,
// sprig_toJson...) and Unmarshal into interface{} (parseJSON, sprig_fromJson) with Go's messages.
import { appendedCapacity } from '../slicecap.ts';
import {
  GoComplex, GoFuncValue, GoInt, GoMap, GoNilPointer, GoSlice, GoStruct, JsonNumber,
  interfaceSlice, stringMap, typeOf,
} from '../values.ts';
import type { CallContext, GoValue } from '../values.ts';
import { compareGoStrings, goQuote } from './gostrings.ts';

export class JsonError extends Error {}

export interface MarshalOptions {
  escapeHtml: boolean;
  indent?: string;      // MarshalIndent's indent ('' prefix); undefined = compact
}

const HEX = '0123456789abcdef';

function quoteJsonString(s: string, escapeHtml: boolean): string {
  let out = '"';
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let rep: string | undefined;
    if (c < 0x20) {
      rep = c === 0x0a ? '\\n' : c === 0x0d ? '\\r' : c === 0x09 ? '\\t' : '\\u00' + HEX[c >> 4] + HEX[c & 15];
    } else if (c === 0x22) rep = '\\"';
    else if (c === 0x5c) rep = '\\\\';
    else if (escapeHtml && (c === 0x3c || c === 0x3e || c === 0x26)) rep = '\\u00' + HEX[c >> 4] + HEX[c & 15];
    else if (c === 0x2028) rep = '\\u2028';
    else if (c === 0x2029) rep = '\\u2029';
    else if (c >= 0xd800 && c < 0xdc00 && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) { i++; continue; }
    else if (c >= 0xd800 && c < 0xe000) rep = '\ufffd';
    if (rep !== undefined) {
      out += s.slice(start, i) + rep;
      start = i + 1;
    }
  }
  return out + s.slice(start) + '"';
}

/** encoding/json's float64 text: %f style, exponent form below 1e-6 and from 1e21. */
export function jsonFloat(f: number): string {
  if (!Number.isFinite(f)) throw new JsonError(`json: unsupported value: ${Number.isNaN(f) ? 'NaN' : f > 0 ? '+Inf' : '-Inf'}`);
  if (Object.is(f, -0)) return '-0';
  // JS's shortest round-trip digits and its exponent thresholds are the same as Go's here;
  // only the exponent's form differs for negative exponents, which Go also writes without padding.
  return String(f);
}

const JSON_NUMBER_RE = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?$/;

function mapKey(key: GoValue, mapType: string): string {
  if (typeof key === 'string') return key;
  if (key instanceof GoInt) return key.value.toString();
  if (key instanceof JsonNumber) return key.text;
  throw new JsonError(`json: unsupported type: ${mapType}`);
}

export function marshalJson(value: GoValue, options: MarshalOptions): string {
  const parts: string[] = [];
  encode(value, options, parts, 0);
  return parts.join('');
}

/** MarshalJSON methods use nothing of the running template. */
const MARSHAL_CONTEXT: CallContext = {
  executeTemplate: () => { throw new Error('MarshalJSON cannot execute templates'); },
  execution: {},
};

function newline(options: MarshalOptions, depth: number): string {
  return '\n' + (options.indent ?? '').repeat(depth);
}

function encode(value: GoValue, options: MarshalOptions, out: string[], depth: number): void {
  switch (typeof value) {
    case 'undefined': out.push('null'); return;
    case 'string': out.push(quoteJsonString(value, options.escapeHtml)); return;
    case 'boolean': out.push(value ? 'true' : 'false'); return;
    case 'number': out.push(jsonFloat(value)); return;
  }
  if (value === null || value instanceof GoNilPointer) { out.push('null'); return; }
  if (value instanceof GoInt) { out.push(value.value.toString()); return; }
  if (value instanceof JsonNumber) {
    const text = value.text === '' ? '0' : value.text;
    if (!JSON_NUMBER_RE.test(text)) throw new JsonError(`json: invalid number literal ${goQuote(text)}`);
    out.push(text);
    return;
  }
  if ((value instanceof GoMap || value instanceof GoSlice) && value.isNil) { out.push('null'); return; }
  if (value instanceof GoMap) {
    if (value.keyType !== 'string' && !/^u?int(8|16|32|64)?$/.test(value.keyType)) throw new JsonError(`json: unsupported type: ${value.type}`);
    const entries = Array.from(value.entries, ([k, v]) => [mapKey(k, value.type), v] as const);
    entries.sort((a, b) => compareGoStrings(a[0], b[0]));
    if (entries.length === 0) { out.push('{}'); return; }
    const pretty = options.indent !== undefined;
    out.push('{');
    entries.forEach(([k, v], i) => {
      if (i > 0) out.push(',');
      if (pretty) out.push(newline(options, depth + 1));
      out.push(quoteJsonString(k, options.escapeHtml), pretty ? ': ' : ':');
      encode(v, options, out, depth + 1);
    });
    if (pretty) out.push(newline(options, depth));
    out.push('}');
    return;
  }
  if (value instanceof GoSlice) {
    if (value.elemType === 'uint8' && value.type.startsWith('[]')) {
      const bytes = Uint8Array.from(value.items, (b) => (b instanceof GoInt ? Number(b.value) : 0));
      out.push('"' + Buffer.from(bytes).toString('base64') + '"');
      return;
    }
    if (value.items.length === 0) { out.push('[]'); return; }
    const pretty = options.indent !== undefined;
    out.push('[');
    value.items.forEach((item, i) => {
      if (i > 0) out.push(',');
      if (pretty) out.push(newline(options, depth + 1));
      encode(item, options, out, depth + 1);
    });
    if (pretty) out.push(newline(options, depth));
    out.push(']');
    return;
  }
  if (value instanceof GoStruct) {
    // a json.Marshaler (*semver.Version): its method returns the compact JSON text
    const marshaler = value.type.methods?.get('MarshalJSON');
    if (marshaler !== undefined) { out.push(String(marshaler.call([value], MARSHAL_CONTEXT))); return; }
    const fields = value.type.fields.filter((f) => /^\p{Lu}/u.test(f.name));
    if (fields.length === 0) { out.push('{}'); return; }
    const pretty = options.indent !== undefined;
    out.push('{');
    fields.forEach((field, i) => {
      if (i > 0) out.push(',');
      if (pretty) out.push(newline(options, depth + 1));
      out.push(quoteJsonString(field.name, options.escapeHtml), pretty ? ': ' : ':');
      encode(value.field(field.name), options, out, depth + 1);
    });
    if (pretty) out.push(newline(options, depth));
    out.push('}');
    return;
  }
  if (value instanceof GoComplex || value instanceof GoFuncValue) throw new JsonError(`json: unsupported type: ${typeOf(value)}`);
  throw new JsonError(`json: unsupported type: ${typeOf(value)}`);
}

// ---------------------------------------------------------------------------------------------
// Unmarshal into interface{} (numbers float64), with encoding/json's syntax error messages.

function quoteChar(c: string): string {
  if (c === "'") return "'\\''";
  if (c === '"') return '\'"\'';
  const q = goQuote(c);
  return "'" + q.slice(1, -1) + "'";
}

class Decoder {
  pos = 0;
  constructor(readonly text: string) {}

  error(context: string): never {
    const ch = this.text.codePointAt(this.pos);
    if (ch === undefined) throw new JsonError('unexpected end of JSON input');
    // Go's scanner reads bytes: a multi-byte character is reported by its first byte
    const firstByte = ch < 0x80 ? ch : new TextEncoder().encode(String.fromCodePoint(ch))[0]!;
    throw new JsonError(`invalid character ${quoteChar(String.fromCharCode(firstByte))} ${context}`);
  }

  ws(): void {
    for (;;) {
      const c = this.text.charCodeAt(this.pos);
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) this.pos++;
      else return;
    }
  }

  value(): GoValue {
    this.ws();
    const c = this.text[this.pos];
    switch (c) {
      case '{': return this.object();
      case '[': return this.array();
      case '"': return this.string();
      case 't': return this.literal('true', true);
      case 'f': return this.literal('false', false);
      case 'n': return this.literal('null', null);
    }
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return this.number();
    return this.error('looking for beginning of value');
  }

  literal(word: string, value: GoValue): GoValue {
    for (let i = 0; i < word.length; i++, this.pos++) {
      if (this.text[this.pos] !== word[i]) this.error(`in literal ${word} (expecting ${quoteChar(word[i] ?? '')})`);
    }
    return value;
  }

  digits(): number {
    const start = this.pos;
    while (this.pos < this.text.length && this.text.charCodeAt(this.pos) >= 0x30 && this.text.charCodeAt(this.pos) <= 0x39) this.pos++;
    return this.pos - start;
  }

  number(): GoValue {
    const start = this.pos;
    if (this.text[this.pos] === '-') {
      this.pos++;
      const c = this.text[this.pos];
      if (c === undefined || c < '0' || c > '9') this.error('in numeric literal');
    }
    if (this.text[this.pos] === '0') this.pos++;
    else this.digits();
    if (this.text[this.pos] === '.') {
      this.pos++;
      if (this.digits() === 0) this.error('after decimal point in numeric literal');
    }
    if (this.text[this.pos] === 'e' || this.text[this.pos] === 'E') {
      this.pos++;
      if (this.text[this.pos] === '+' || this.text[this.pos] === '-') this.pos++;
      if (this.digits() === 0) this.error('in exponent of numeric literal');
    }
    const text = this.text.slice(start, this.pos);
    const f = Number(text);
    if (!Number.isFinite(f)) throw new JsonError(`json: cannot unmarshal number ${text} into Go value of type float64`);
    return f;
  }

  string(): string {
    this.pos++;
    let out = '';
    let start = this.pos;
    for (;;) {
      const c = this.text.charCodeAt(this.pos);
      if (Number.isNaN(c)) this.error('');
      if (c === 0x22) {
        out += this.text.slice(start, this.pos);
        this.pos++;
        return out;
      }
      if (c < 0x20) this.error('in string literal');
      if (c === 0x5c) {
        out += this.text.slice(start, this.pos);
        this.pos++;
        const e = this.text[this.pos];
        switch (e) {
          case '"': case '\\': case '/': out += e; this.pos++; break;
          case 'b': out += '\b'; this.pos++; break;
          case 'f': out += '\f'; this.pos++; break;
          case 'n': out += '\n'; this.pos++; break;
          case 'r': out += '\r'; this.pos++; break;
          case 't': out += '\t'; this.pos++; break;
          case 'u': {
            this.pos++;
            for (let i = 0; i < 4; i++) {
              if (!/[0-9a-fA-F]/.test(this.text[this.pos + i] ?? '')) {
                this.pos += i;
                this.error('in \\u hexadecimal character escape');
              }
            }
            out += String.fromCharCode(parseInt(this.text.slice(this.pos, this.pos + 4), 16));
            this.pos += 4;
            break;
          }
          default: this.error('in string escape code');
        }
        start = this.pos;
        continue;
      }
      this.pos++;
    }
  }

  object(): GoValue {
    this.pos++;
    const entries = new Map<string, GoValue>();
    this.ws();
    if (this.text[this.pos] === '}') { this.pos++; return stringMap(entries); }
    for (;;) {
      this.ws();
      if (this.text[this.pos] !== '"') this.error('looking for beginning of object key string');
      const key = this.string();
      this.ws();
      if (this.text[this.pos] !== ':') this.error('after object key');
      this.pos++;
      entries.set(key, this.value());
      this.ws();
      const c = this.text[this.pos];
      if (c === ',') { this.pos++; continue; }
      if (c === '}') { this.pos++; return stringMap(entries); }
      this.error('after object key:value pair');
    }
  }

  array(): GoValue {
    this.pos++;
    const items: GoValue[] = [];
    this.ws();
    if (this.text[this.pos] === ']') { this.pos++; return new GoSlice('[]interface {}', 'interface {}', items, false, appendedCapacity(items.length)); }
    for (;;) {
      items.push(this.value());
      this.ws();
      const c = this.text[this.pos];
      if (c === ',') { this.pos++; continue; }
      if (c === ']') { this.pos++; return new GoSlice('[]interface {}', 'interface {}', items, false, appendedCapacity(items.length)); }
      this.error('after array element');
    }
  }
}

/** json.Unmarshal(text, &interface{}) */
export function unmarshalJson(text: string): GoValue {
  const decoder = new Decoder(text);
  // Go checks the syntax of the whole input before converting anything, so a syntax error
  // anywhere wins over a conversion error earlier in the text.
  const value = syntaxChecked(decoder);
  return value;
}

function syntaxChecked(decoder: Decoder): GoValue {
  let conversion: JsonError | undefined;
  let value: GoValue;
  try {
    value = decoder.value();
  } catch (error) {
    if (error instanceof JsonError && error.message.startsWith('json: cannot unmarshal')) {
      conversion = error;
      value = null;
    } else throw error;
  }
  decoder.ws();
  if (decoder.pos < decoder.text.length) decoder.error('after top-level value');
  if (conversion !== undefined) throw conversion;
  return value;
}
