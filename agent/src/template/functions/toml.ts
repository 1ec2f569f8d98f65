// consul-template's toTOML: BurntSushi/toml v1.5.0's Encoder over any value (a map, usually), with
// its layout (plain keys first, then tables and arrays of tables, two-space indents per level,
// one blank line before each top-level table), float text ('f' format plus ".0"), key quoting and
// escapes; then bytes.TrimSpace.
import { GoInt, GoMap, GoNilPointer, GoSlice, GoStruct, JsonNumber, typeOf } from '../values.ts';
import type { GoValue } from '../values.ts';
import { formatTime } from './timeformat.ts';
import { DURATION, GoTime } from './timevalue.ts';
import { goDuration } from './gotime.ts';
import { marshaledText } from './json.ts';
import { compareGoStrings } from './gostrings.ts';
import { formatFloat } from '../strfloat.ts';
import { parseFloat64 } from './strconv.ts';

export class TomlError extends Error {}

const CONTROL: Record<string, string> = { '\b': '\\b', '\t': '\\t', '\n': '\\n', '\f': '\\f', '\r': '\\r' };
function quote(s: string): string {
  return '"' + s.replace(/["\\\x00-\x1f\x7f]/g, (c) => {
    if (c === '"' || c === '\\') return '\\' + c;
    return CONTROL[c] ?? '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0');
  }) + '"';
}
const keyPart = (k: string): string => (k === '' ? '""' : /^[A-Za-z0-9_-]+$/.test(k) ? k : quote(k));
const keyText = (key: readonly string[]): string => key.map(keyPart).join('.');

type TomlType = 'nil' | 'hash' | 'arrayHash' | 'other';

const isMap = (v: GoValue): v is GoMap => v instanceof GoMap;
const textMarshaler = (v: GoValue): string | undefined => {
  if (!(v instanceof GoStruct)) return undefined;
  const m = v.type.methods?.get('MarshalText');
  return m === undefined ? undefined : marshaledText(m.call([v], { executeTemplate: () => '', execution: {} }));
};

function tomlType(v: GoValue): TomlType {
  if (v === undefined || v === null || v instanceof GoNilPointer) return 'nil';
  if ((v instanceof GoMap || v instanceof GoSlice) && v.isNil) return 'nil';
  if (textMarshaler(v) !== undefined) return 'other';
  if (isMap(v) || v instanceof GoStruct) return 'hash';
  if (v instanceof GoSlice) {
    if (v.items.length === 0) return 'other';
    let tables = true;
    for (const item of v.items) {
      const t = tomlType(item);
      if (t === 'nil') throw new TomlError('toml: cannot encode array with nil element');
      if (t !== 'hash') tables = false;
    }
    return tables ? 'arrayHash' : 'other';
  }
  return 'other';
}

function floatText(f: number): string {
  if (Number.isNaN(f)) return 'nan';
  if (!Number.isFinite(f)) return f < 0 ? '-inf' : 'inf';
  const s = formatFloat(f, 'f', -1);
  return s.includes('.') ? s : s + '.0';
}

class Encoder {
  out = '';
  private write(s: string): void { this.out += s; }
  private newline(): void { if (this.out !== '') this.out += '\n'; }
  private indent(key: readonly string[]): string { return '  '.repeat(Math.max(0, key.length - 1)); }

  element(v: GoValue): void {
    // BurntSushi/toml writes a time.Time as a bare RFC 3339 datetime and a Duration as its String()
    if (v instanceof GoTime) { this.write(formatTime(v, '2006-01-02T15:04:05.999999999Z07:00')); return; }
    if (v instanceof GoInt && v.named === DURATION) { this.write(quote(goDuration(v.value))); return; }
    const text = textMarshaler(v);
    if (text !== undefined) { this.write(quote(text)); return; }
    if (v instanceof JsonNumber) {
      if (v.text === '') { this.write('0'); return; }
      if (/^[+-]?\d+$/.test(v.text) && BigInt(v.text) >= -(2n ** 63n) && BigInt(v.text) < 2n ** 63n) { this.write(BigInt(v.text).toString()); return; }
      let f: number | undefined;
      try { f = parseFloat64(v.text); } catch { f = undefined; }
      if (f !== undefined) { this.write(floatText(f)); return; }
      throw new TomlError(`unable to convert ${JSON.stringify(v.text)} to int64 or float64`);
    }
    if (typeof v === 'string') this.write(quote(v));
    else if (typeof v === 'boolean') this.write(v ? 'true' : 'false');
    else if (typeof v === 'number') this.write(floatText(v));
    else if (v instanceof GoInt) this.write(v.value.toString());
    else if (v instanceof GoSlice) {
      this.write('[');
      v.items.forEach((item, i) => {
        this.element(item);
        if (i !== v.items.length - 1) this.write(', ');
      });
      this.write(']');
    } else if (isMap(v)) this.map([], v, true);
    else if (v instanceof GoStruct) this.struct([], v, true);
    else throw new TomlError(`toTOML of ${typeOf(v)} is not supported by this engine`);
  }

  private keyValue(key: readonly string[], v: GoValue, inline: boolean): void {
    if (key.length === 0) { this.element(v); return; }
    this.write(`${inline ? '' : this.indent(key)}${keyPart(key[key.length - 1]!)} = `);
    this.element(v);
    if (!inline) this.newline();
  }

  encode(key: readonly string[], v: GoValue): void {
    if (v === undefined || v === null || v instanceof GoNilPointer) return;
    if (isMap(v) || (v instanceof GoStruct && textMarshaler(v) === undefined)) {
      if (isMap(v) && v.isNil) return;
      if (key.length === 1) this.newline();
      if (key.length > 0) {
        this.write(`${this.indent(key)}[${keyText(key)}]`);
        this.newline();
      }
      if (isMap(v)) this.map(key, v, false);
      else this.struct(key, v as GoStruct, false);
      return;
    }
    if (v instanceof GoSlice && tomlType(v) === 'arrayHash') {
      if (key.length === 0) throw new TomlError('toml: top-level values must be Go maps or structs');
      for (const item of v.items) {
        this.newline();
        this.write(`${this.indent(key)}[[${keyText(key)}]]`);
        this.newline();
        if (item instanceof GoStruct) this.struct(key, item, false);
        else this.map(key, item as GoMap, false);
      }
      return;
    }
    this.keyValue(key, v, false);
  }

  /** eStruct: exported fields in their order, plain ones first; a nil field is left out (and
   *  inline, the comma test compares the field's index with the count of exported fields). */
  struct(key: readonly string[], v: GoStruct, inline: boolean): void {
    const exported = v.type.fields.map((f, index) => ({ name: f.name, index, value: v.values[index] })).filter((f) => /^\p{Lu}/u.test(f.name));
    const direct = exported.filter((f) => { const t = tomlType(f.value); return t !== 'hash' && t !== 'arrayHash'; });
    const sub = exported.filter((f) => !direct.includes(f));
    if (inline) this.out += '{';
    for (const field of [...direct, ...sub]) {
      if (tomlType(field.value) === 'nil') continue;
      if (inline) {
        this.keyValue([field.name], field.value, true);
        if (field.index !== exported.length - 1) this.out += ', ';
      } else this.encode([...key, field.name], field.value);
    }
    if (inline) this.out += '}';
  }

  map(key: readonly string[], m: GoMap, inline: boolean): void {
    if (m.keyType !== 'string') throw new TomlError('toml: cannot encode a map with non-string key type');
    const direct: string[] = [];
    const sub: string[] = [];
    for (const [k, v] of m.entries) {
      const t = tomlType(v);
      (t === 'hash' || t === 'arrayHash' ? sub : direct).push(k as string);
    }
    const writeKeys = (keys: string[], trailingComma: boolean): void => {
      keys.sort(compareGoStrings);
      keys.forEach((k, i) => {
        const v = m.entries.get(k);
        if (tomlType(v) === 'nil') return;
        if (inline) {
          this.keyValue([k], v, true);
          if (trailingComma || i !== keys.length - 1) this.write(', ');
        } else this.encode([...key, k], v);
      });
    };
    if (inline) this.write('{');
    writeKeys(direct, sub.length > 0);
    writeKeys(sub, false);
    if (inline) this.write('}');
  }
}

/** toml.NewEncoder(buf).Encode(v), without consul-template's TrimSpace. */
export function marshalToml(v: GoValue): string {
  const encoder = new Encoder();
  encoder.encode([], v);
  return encoder.out;
}
