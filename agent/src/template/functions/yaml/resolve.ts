// yaml.v2's resolve(): what a scalar's text means under its tag (YAML 1.1: yes/no/on/off are
// bools, 0x/0o/0b/leading-0 ints, .inf/.nan, ~ and null), with strconv's rules for numbers, and
// its "cannot decode" errors for a tag the text does not fit.
import { GoInt, goInt } from '../../values.ts';
import type { GoValue } from '../../values.ts';
import { YamlError } from './error.ts';
import { parseInLocation } from '../timeformat.ts';
import { UTC } from '../gozone.ts';

export const LONG_TAG_PREFIX = 'tag:yaml.org,2002:';
export const STR_TAG = LONG_TAG_PREFIX + 'str';
export const BOOL_TAG = LONG_TAG_PREFIX + 'bool';
export const INT_TAG = LONG_TAG_PREFIX + 'int';
export const FLOAT_TAG = LONG_TAG_PREFIX + 'float';
export const NULL_TAG = LONG_TAG_PREFIX + 'null';
export const TIMESTAMP_TAG = LONG_TAG_PREFIX + 'timestamp';
export const BINARY_TAG = LONG_TAG_PREFIX + 'binary';
export const MERGE_TAG = LONG_TAG_PREFIX + 'merge';

export function shortTag(tag: string): string {
  return tag.startsWith(LONG_TAG_PREFIX) ? '!!' + tag.slice(LONG_TAG_PREFIX.length) : tag;
}

const RESOLVE_MAP = new Map<string, { tag: string; value: GoValue }>();
for (const [value, tag, words] of [
  [true, BOOL_TAG, ['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON']],
  [false, BOOL_TAG, ['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF']],
  [null, NULL_TAG, ['', '~', 'null', 'Null', 'NULL']],
  [NaN, FLOAT_TAG, ['.nan', '.NaN', '.NAN']],
  [Infinity, FLOAT_TAG, ['.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF']],
  [-Infinity, FLOAT_TAG, ['-.inf', '-.Inf', '-.INF']],
  ['<<', MERGE_TAG, ['<<']],
] as const) {
  for (const word of words) RESOLVE_MAP.set(word, { tag, value });
}

/** What the first character says the text may be (yaml.v2's resolveTable). */
function hint(text: string): string {
  if (text === '') return 'N';
  const c = text[0]!;
  if (c === '+' || c === '-') return 'S';
  if (c >= '0' && c <= '9') return 'D';
  if ('yYnNtTfFoO~'.includes(c)) return 'M';
  if (c === '.') return '.';
  return '';
}

const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
// strconv.ParseFloat's decimal syntax for a text that starts with '.': digits and underscores,
// an exponent whose first character is a digit; underscoreOK decides the underscores
const DOT_FLOAT = /^\.[0-9_]*[0-9][0-9_]*([eE][-+]?[0-9][0-9_]*)?$/;

/** strconv's underscoreOK: each '_' between two digits. */
function underscoreOK(s: string): boolean {
  let saw = '^';
  for (const c of s) {
    if (c >= '0' && c <= '9') saw = '0';
    else if (c === '_') {
      if (saw !== '0') return false;
      saw = '_';
    } else {
      if (saw === '_') return false;
      saw = '!';
    }
  }
  return saw !== '_';
}
const MAX_UINT64 = (1n << 64n) - 1n;
const MAX_INT64 = (1n << 63n) - 1n;

/** strconv.ParseUint(s, base, 64); base 0 reads the 0x/0o/0b/0 prefixes. */
function parseUint(s: string, base: number): bigint | undefined {
  if (s === '') return undefined;
  if (base === 0) {
    base = 10;
    if (s[0] === '0') {
      const p = s[1]?.toLowerCase();
      if (s.length >= 3 && p === 'x') { base = 16; s = s.slice(2); }
      else if (s.length >= 3 && p === 'o') { base = 8; s = s.slice(2); }
      else if (s.length >= 3 && p === 'b') { base = 2; s = s.slice(2); }
      else { base = 8; s = s.slice(1); }
    }
  }
  let n = 0n;
  const b = BigInt(base);
  for (const ch of s) {
    const d = parseInt(ch, 36);
    if (Number.isNaN(d) || d >= base) return undefined;
    n = n * b + BigInt(d);
    if (n > MAX_UINT64) return undefined;
  }
  return n;
}

/** strconv.ParseInt(s, base, 64). */
function parseInt64(s: string, base: number): bigint | undefined {
  let negative = false;
  if (s[0] === '+' || s[0] === '-') {
    negative = s[0] === '-';
    s = s.slice(1);
  }
  const n = parseUint(s, base);
  if (n === undefined) return undefined;
  if (negative ? n > MAX_INT64 + 1n : n > MAX_INT64) return undefined;
  return negative ? -n : n;
}

/** strconv.ParseFloat of a decimal text the caller has checked; overflow is an error. */
function parseFloat64(s: string): number | undefined {
  const f = Number(s);
  return Number.isFinite(f) ? f : undefined;
}

function resolvableTag(tag: string): boolean {
  return tag === '' || tag === STR_TAG || tag === BOOL_TAG || tag === INT_TAG || tag === FLOAT_TAG || tag === NULL_TAG || tag === TIMESTAMP_TAG;
}

export interface Resolved {
  tag: string;
  value: GoValue;
}

function plainResolve(tag: string, text: string): Resolved {
  const h = hint(text);
  if (h === '' || tag === STR_TAG || tag === BINARY_TAG) return { tag: STR_TAG, value: text };
  const known = RESOLVE_MAP.get(text);
  if (known !== undefined) return known;
  if (h === '.') {
    if (DOT_FLOAT.test(text) && (!text.includes('_') || underscoreOK(text))) {
      const f = parseFloat64(text.replaceAll('_', ''));
      if (f !== undefined) return { tag: FLOAT_TAG, value: f };
    }
  } else if (h === 'D' || h === 'S') {
    if ((tag === '' || tag === TIMESTAMP_TAG) && isTimestamp(text)) return { tag: TIMESTAMP_TAG, value: text };
    const plain = text.replaceAll('_', '');
    const int = parseInt64(plain, 0);
    if (int !== undefined) return { tag: INT_TAG, value: goInt(int, 'int') };
    const uint = parseUint(plain, 0);
    if (uint !== undefined && plain[0] !== '+' && plain[0] !== '-') return { tag: INT_TAG, value: goInt(uint, 'uint64') };
    if (YAML_STYLE_FLOAT.test(plain)) {
      const f = parseFloat64(plain);
      if (f !== undefined) return { tag: FLOAT_TAG, value: f };
    }
    if (plain.startsWith('0b')) {
      const b = parseInt64(plain.slice(2), 2);
      if (b !== undefined) return { tag: INT_TAG, value: goInt(b, 'int') };
      const ub = parseUint(plain.slice(2), 2);
      if (ub !== undefined) return { tag: INT_TAG, value: goInt(ub, 'uint64') };
    } else if (plain.startsWith('-0b')) {
      const b = parseInt64('-' + plain.slice(3), 2);
      if (b !== undefined) return { tag: INT_TAG, value: goInt(b, 'int') };
    }
  }
  return { tag: STR_TAG, value: text };
}

/** The value of a scalar's text under its tag ('' for an untagged plain scalar). */
export function resolve(tag: string, text: string): Resolved {
  if (!resolvableTag(tag)) return { tag, value: text };
  const r = plainResolve(tag, text);
  if (tag === '' || tag === r.tag || tag === STR_TAG || tag === BINARY_TAG) return r;
  if (tag === FLOAT_TAG && r.tag === INT_TAG && r.value instanceof GoInt && r.value.kind === 'int') {
    return { tag: FLOAT_TAG, value: Number(r.value.value) };
  }
  throw new YamlError(`yaml: cannot decode ${shortTag(r.tag)} \`${text}\` as a ${shortTag(tag)}`);
}

// ---- timestamps: yaml.v2 tries time.Parse with four layouts (timeformat.ts is Go's Parse)

const TIMESTAMP_LAYOUTS = ['2006-1-2T15:4:5.999999999Z07:00', '2006-1-2t15:4:5.999999999Z07:00', '2006-1-2 15:4:5.999999999', '2006-1-2'];

function isTimestamp(text: string): boolean {
  if (!/^[0-9]{4}-/.test(text)) return false;
  return TIMESTAMP_LAYOUTS.some((layout) => {
    try {
      parseInLocation(layout, text, UTC, UTC);
      return true;
    } catch {
      return false;
    }
  });
}
