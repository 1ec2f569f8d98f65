// Go's time.Format, Time.GoString and time.Parse/ParseInLocation over layouts, element by element
// (January ... Z07:00:00, fractional seconds with '.' or ','), with ParseError's texts byte for
// byte. Parsing works on the UTF-8 bytes (one char per byte) because Go's lengths and slices are
// byte counts and its quote() escapes every non-ASCII byte.
import { GoError } from '../values.ts';
import { UTC, daysBefore, daysIn, fixedZone, isLeap } from './gozone.ts';
import type { GoLocation } from './gozone.ts';
import { GoTime, LONG_DAYS, LONG_MONTHS, goDate, timeFields, timeText } from './timevalue.ts';
import { timeQuoteBytes } from './gotime.ts';

const NEED_DATE = 1 << 8;
const NEED_YDAY = 1 << 9;
const NEED_CLOCK = 1 << 10;
const ARG_SHIFT = 16;
const SEPARATOR_SHIFT = 28;
const MASK = (1 << ARG_SHIFT) - 1;

const LONG_MONTH = 1 + NEED_DATE;
const MONTH = 2 + NEED_DATE;
const NUM_MONTH = 3 + NEED_DATE;
const ZERO_MONTH = 4 + NEED_DATE;
const LONG_WEEKDAY = 5 + NEED_DATE;
const WEEKDAY = 6 + NEED_DATE;
const DAY = 7 + NEED_DATE;
const UNDER_DAY = 8 + NEED_DATE;
const ZERO_DAY = 9 + NEED_DATE;
const UNDER_YEAR_DAY = 10 + NEED_YDAY;
const ZERO_YEAR_DAY = 11 + NEED_YDAY;
const HOUR = 12 + NEED_CLOCK;
const HOUR12 = 13 + NEED_CLOCK;
const ZERO_HOUR12 = 14 + NEED_CLOCK;
const MINUTE = 15 + NEED_CLOCK;
const ZERO_MINUTE = 16 + NEED_CLOCK;
const SECOND = 17 + NEED_CLOCK;
const ZERO_SECOND = 18 + NEED_CLOCK;
const LONG_YEAR = 19 + NEED_DATE;
const YEAR = 20 + NEED_DATE;
const PM = 21 + NEED_CLOCK;
const pm = 22 + NEED_CLOCK;
const TZ = 23;
const ISO8601_TZ = 24;
const ISO8601_SECONDS_TZ = 25;
const ISO8601_SHORT_TZ = 26;
const ISO8601_COLON_TZ = 27;
const ISO8601_COLON_SECONDS_TZ = 28;
const NUM_TZ = 29;
const NUM_SECONDS_TZ = 30;
const NUM_SHORT_TZ = 31;
const NUM_COLON_TZ = 32;
const NUM_COLON_SECONDS_TZ = 33;
const FRAC_SECOND0 = 34;
const FRAC_SECOND9 = 35;

const STD_0X = [ZERO_MONTH, ZERO_DAY, ZERO_HOUR12, ZERO_MINUTE, ZERO_SECOND, YEAR];

const SHORT_DAYS = LONG_DAYS.map((d) => d.slice(0, 3));
const SHORT_MONTHS = LONG_MONTHS.map((m) => m.slice(0, 3));

const isDigitAt = (s: string, i: number): boolean => i < s.length && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57;
const startsWithLower = (s: string): boolean => s.length > 0 && s.charCodeAt(0) >= 97 && s.charCodeAt(0) <= 122;

function fracStd(code: number, digits: number, separator: string): number {
  return code | ((digits & 0xfff) << ARG_SHIFT) | (separator === '.' ? 0 : 1 << SEPARATOR_SHIFT);
}
const digitsLen = (std: number): number => (std >> ARG_SHIFT) & 0xfff;
const separatorOf = (std: number): string => (std >> SEPARATOR_SHIFT === 0 ? '.' : ',');

interface Chunk { prefix: string; std: number; suffix: string }

/** nextStdChunk: the text before the first layout element, the element, the rest. */
function nextStdChunk(layout: string): Chunk {
  const at = (i: number, std: number, len: number): Chunk => ({ prefix: layout.slice(0, i), std, suffix: layout.slice(i + len) });
  const has = (i: number, s: string): boolean => layout.startsWith(s, i);
  for (let i = 0; i < layout.length; i++) {
    switch (layout[i]) {
      case 'J':
        if (has(i, 'Jan')) {
          if (has(i, 'January')) return at(i, LONG_MONTH, 7);
          if (!startsWithLower(layout.slice(i + 3))) return at(i, MONTH, 3);
        }
        break;
      case 'M':
        if (has(i, 'Mon')) {
          if (has(i, 'Monday')) return at(i, LONG_WEEKDAY, 6);
          if (!startsWithLower(layout.slice(i + 3))) return at(i, WEEKDAY, 3);
        }
        if (has(i, 'MST')) return at(i, TZ, 3);
        break;
      case '0':
        if (i + 1 < layout.length && layout[i + 1]! >= '1' && layout[i + 1]! <= '6') return at(i, STD_0X[layout.charCodeAt(i + 1) - 49]!, 2);
        if (has(i, '002')) return at(i, ZERO_YEAR_DAY, 3);
        break;
      case '1':
        if (has(i, '15')) return at(i, HOUR, 2);
        return at(i, NUM_MONTH, 1);
      case '2':
        if (has(i, '2006')) return at(i, LONG_YEAR, 4);
        return at(i, DAY, 1);
      case '_':
        if (layout[i + 1] === '2') {
          // _2006 is a literal _ followed by the long year
          if (has(i + 1, '2006')) return { prefix: layout.slice(0, i + 1), std: LONG_YEAR, suffix: layout.slice(i + 5) };
          return at(i, UNDER_DAY, 2);
        }
        if (has(i, '__2')) return at(i, UNDER_YEAR_DAY, 3);
        break;
      case '3': return at(i, HOUR12, 1);
      case '4': return at(i, MINUTE, 1);
      case '5': return at(i, SECOND, 1);
      case 'P':
        if (layout[i + 1] === 'M') return at(i, PM, 2);
        break;
      case 'p':
        if (layout[i + 1] === 'm') return at(i, pm, 2);
        break;
      case '-':
        if (has(i, '-070000')) return at(i, NUM_SECONDS_TZ, 7);
        if (has(i, '-07:00:00')) return at(i, NUM_COLON_SECONDS_TZ, 9);
        if (has(i, '-0700')) return at(i, NUM_TZ, 5);
        if (has(i, '-07:00')) return at(i, NUM_COLON_TZ, 6);
        if (has(i, '-07')) return at(i, NUM_SHORT_TZ, 3);
        break;
      case 'Z':
        if (has(i, 'Z070000')) return at(i, ISO8601_SECONDS_TZ, 7);
        if (has(i, 'Z07:00:00')) return at(i, ISO8601_COLON_SECONDS_TZ, 9);
        if (has(i, 'Z0700')) return at(i, ISO8601_TZ, 5);
        if (has(i, 'Z07:00')) return at(i, ISO8601_COLON_TZ, 6);
        if (has(i, 'Z07')) return at(i, ISO8601_SHORT_TZ, 3);
        break;
      case '.': case ',': {
        const ch = layout[i + 1];
        if (ch === '0' || ch === '9') {
          let j = i + 1;
          while (j < layout.length && layout[j] === ch) j++;
          // the digits must end here: only a fractional second is all digits
          if (!isDigitAt(layout, j)) {
            return { prefix: layout.slice(0, i), std: fracStd(ch === '0' ? FRAC_SECOND0 : FRAC_SECOND9, j - (i + 1), layout[i]!), suffix: layout.slice(j) };
          }
        }
        break;
      }
    }
  }
  return { prefix: layout, std: 0, suffix: '' };
}

/** appendInt: the decimal form zero-padded to width (a minus sign before the padding) */
function pad(x: number, width: number): string {
  const digits = String(Math.abs(x)).padStart(width, '0');
  return x < 0 ? '-' + digits : digits;
}

function formatNano(nsec: number, std: number): string {
  const trim = (std & MASK) === FRAC_SECOND9;
  const n = digitsLen(std);
  if (trim && (n === 0 || nsec === 0)) return '';
  const dot = separatorOf(std);
  let b = dot + String(nsec).padStart(9, '0');
  if (n < 9) b = b.slice(0, b.length - 9 + n);
  if (trim) {
    b = b.replace(/0+$/, '');
    if (b.endsWith(dot)) b = b.slice(0, -1);
  }
  return b;
}

/** Time.Format */
export function formatTime(t: GoTime, input: string): string {
  const f = timeFields(t);
  const { offset } = f;
  let layout = input;
  let out = '';
  for (;;) {
    const { prefix, std, suffix } = nextStdChunk(layout);
    out += prefix;
    if (std === 0) break;
    layout = suffix;
    const hr12 = f.hour % 12 === 0 ? 12 : f.hour % 12;
    switch (std & MASK) {
      case YEAR: out += pad(Math.abs(f.year) % 100, 2); break;
      case LONG_YEAR: out += pad(f.year, 4); break;
      case MONTH: out += SHORT_MONTHS[f.month - 1]; break;
      case LONG_MONTH: out += LONG_MONTHS[f.month - 1]; break;
      case NUM_MONTH: out += f.month; break;
      case ZERO_MONTH: out += pad(f.month, 2); break;
      case WEEKDAY: out += SHORT_DAYS[f.weekday]; break;
      case LONG_WEEKDAY: out += LONG_DAYS[f.weekday]; break;
      case DAY: out += f.day; break;
      case UNDER_DAY: out += (f.day < 10 ? ' ' : '') + f.day; break;
      case ZERO_DAY: out += pad(f.day, 2); break;
      case UNDER_YEAR_DAY: out += String(f.yday).padStart(3, ' '); break;
      case ZERO_YEAR_DAY: out += pad(f.yday, 3); break;
      case HOUR: out += pad(f.hour, 2); break;
      case HOUR12: out += hr12; break;
      case ZERO_HOUR12: out += pad(hr12, 2); break;
      case MINUTE: out += f.minute; break;
      case ZERO_MINUTE: out += pad(f.minute, 2); break;
      case SECOND: out += f.second; break;
      case ZERO_SECOND: out += pad(f.second, 2); break;
      case PM: out += f.hour >= 12 ? 'PM' : 'AM'; break;
      case pm: out += f.hour >= 12 ? 'pm' : 'am'; break;
      case ISO8601_TZ: case ISO8601_COLON_TZ: case ISO8601_SECONDS_TZ: case ISO8601_SHORT_TZ: case ISO8601_COLON_SECONDS_TZ:
      case NUM_TZ: case NUM_COLON_TZ: case NUM_SECONDS_TZ: case NUM_SHORT_TZ: case NUM_COLON_SECONDS_TZ: {
        const s = std & MASK;
        if (offset === 0 && s >= ISO8601_TZ && s <= ISO8601_COLON_SECONDS_TZ) {
          out += 'Z';
          break;
        }
        let zone = Math.trunc(offset / 60);
        let absOffset = offset;
        if (zone < 0) {
          out += '-';
          zone = -zone;
          absOffset = -absOffset;
        } else {
          out += '+';
        }
        out += pad(Math.trunc(zone / 60), 2);
        const colon = s === ISO8601_COLON_TZ || s === NUM_COLON_TZ || s === ISO8601_COLON_SECONDS_TZ || s === NUM_COLON_SECONDS_TZ;
        if (colon) out += ':';
        if (s !== NUM_SHORT_TZ && s !== ISO8601_SHORT_TZ) out += pad(zone % 60, 2);
        if (s === ISO8601_SECONDS_TZ || s === NUM_SECONDS_TZ || s === NUM_COLON_SECONDS_TZ || s === ISO8601_COLON_SECONDS_TZ) {
          if (s === NUM_COLON_SECONDS_TZ || s === ISO8601_COLON_SECONDS_TZ) out += ':';
          out += pad(absOffset % 60, 2);
        }
        break;
      }
      case TZ: {
        if (f.zoneName !== '') {
          out += f.zoneName;
          break;
        }
        // no zone name known: the -0700 form
        let zone = Math.trunc(offset / 60);
        if (zone < 0) {
          out += '-';
          zone = -zone;
        } else {
          out += '+';
        }
        out += pad(Math.trunc(zone / 60), 2) + pad(zone % 60, 2);
        break;
      }
      case FRAC_SECOND0: case FRAC_SECOND9: out += formatNano(f.nsec, std); break;
    }
  }
  return out;
}

/** Time.GoString: time.Date(2009, time.November, 10, 23, 0, 0, 0, time.UTC) */
export function goStringTime(t: GoTime): string {
  const f = timeFields(t);
  const loc = t.loc === UTC ? 'time.UTC' : t.loc === t.local ? 'time.Local' : `time.Location(${timeQuoteBytes(Buffer.from(t.loc.name, 'utf8').toString('latin1'))})`;
  return `time.Date(${f.year}, time.${LONG_MONTHS[f.month - 1]}, ${f.day}, ${f.hour}, ${f.minute}, ${f.second}, ${f.nsec}, ${loc})`;
}

timeText.format = formatTime;
timeText.goString = goStringTime;

// ---------------------------------------------------------------------------------------------
// Parsing

/** A time.ParseError's text (its value and elements are byte strings). */
function parseError(layout: string, value: string, layoutElem: string, valueElem: string, message: string): GoError {
  if (message === '') return new GoError(`parsing time ${timeQuoteBytes(value)} as ${timeQuoteBytes(layout)}: cannot parse ${timeQuoteBytes(valueElem)} as ${timeQuoteBytes(layoutElem)}`);
  return new GoError(`parsing time ${timeQuoteBytes(value)}${message}`);
}

class Bad extends Error {}
const BAD = new Bad();

function getnum(s: string, fixed: boolean): [number, string] {
  if (!isDigitAt(s, 0)) throw BAD;
  if (!isDigitAt(s, 1)) {
    if (fixed) throw BAD;
    return [s.charCodeAt(0) - 48, s.slice(1)];
  }
  return [(s.charCodeAt(0) - 48) * 10 + s.charCodeAt(1) - 48, s.slice(2)];
}

function getnum3(s: string, fixed: boolean): [number, string] {
  let n = 0;
  let i = 0;
  for (; i < 3 && isDigitAt(s, i); i++) n = n * 10 + s.charCodeAt(i) - 48;
  if (i === 0 || (fixed && i !== 3)) throw BAD;
  return [n, s.slice(i)];
}

/** leadingInt: the leading digits (undefined on int64 overflow) and the rest */
function leadingInt(s: string): [bigint, string] | undefined {
  let i = 0;
  let x = 0n;
  for (; i < s.length && isDigitAt(s, i); i++) {
    if (x > (1n << 63n) / 10n) return undefined;
    x = x * 10n + BigInt(s.charCodeAt(i) - 48);
    if (x > 1n << 63n) return undefined;
  }
  return [x, s.slice(i)];
}

/** time's atoi: an optional sign and digits only */
function atoi(input: string): number {
  let s = input;
  let neg = false;
  if (s !== '' && (s[0] === '-' || s[0] === '+')) {
    neg = s[0] === '-';
    s = s.slice(1);
  }
  const r = leadingInt(s);
  if (r === undefined || r[1] !== '') throw BAD;
  const x = Number(BigInt.asIntN(64, r[0]));
  return neg ? -x : x;
}

/** lookup: a name from the table matched case-insensitively (ASCII) at the start of val */
function lookupName(table: readonly string[], val: string): [number, string] {
  for (let i = 0; i < table.length; i++) {
    const v = table[i]!;
    if (val.length >= v.length && matchFold(val.slice(0, v.length), v)) return [i, val.slice(v.length)];
  }
  throw BAD;
}

function matchFold(a: string, b: string): boolean {
  for (let i = 0; i < a.length; i++) {
    let c1 = a.charCodeAt(i);
    let c2 = b.charCodeAt(i);
    if (c1 !== c2) {
      c1 |= 0x20;
      c2 |= 0x20;
      if (c1 !== c2 || c1 < 97 || c1 > 122) return false;
    }
  }
  return true;
}

function cutspace(s: string): string {
  let i = 0;
  while (i < s.length && s[i] === ' ') i++;
  return s.slice(i);
}

/** skip: the layout's literal text, runs of spaces matching runs of spaces. On a mismatch Go
 *  still returns what it had consumed up to there (the error then quotes the rest). */
function skip(input: string, literal: string): [string, boolean] {
  let value = input;
  let prefix = literal;
  while (prefix.length > 0) {
    if (prefix[0] === ' ') {
      if (value.length > 0 && value[0] !== ' ') return [value, false];
      prefix = cutspace(prefix);
      value = cutspace(value);
      continue;
    }
    if (value.length === 0 || value[0] !== prefix[0]) return [value, false];
    prefix = prefix.slice(1);
    value = value.slice(1);
  }
  return [value, true];
}

const commaOrPeriod = (c: string | undefined): boolean => c === '.' || c === ',';

/** parseNanoseconds: [nsec, range error] of a ".ddd" of nbytes bytes */
function parseNanoseconds(value: string, nbytes: number): [number, string] {
  if (!commaOrPeriod(value[0])) throw BAD;
  let n = nbytes;
  let v = value;
  if (n > 10) {
    v = v.slice(0, 10);
    n = 10;
  }
  let ns = atoi(v.slice(1, n));
  if (ns < 0) return [0, 'fractional second'];
  for (let i = 0; i < 10 - n; i++) ns *= 10;
  return [ns, ''];
}

function parseSignedOffset(value: string): number {
  const sign = value[0];
  if (sign !== '-' && sign !== '+') return 0;
  const r = leadingInt(value.slice(1));
  if (r === undefined || r[1] === value.slice(1)) return 0;
  if (r[0] > 23n) return 0;
  return value.length - r[1].length;
}

/** parseTimeZone: the length of a zone abbreviation at the start of value, or undefined */
function parseTimeZone(value: string): number | undefined {
  if (value.length < 3) return undefined;
  if (value.startsWith('ChST') || value.startsWith('MeST')) return 4;
  if (value.startsWith('GMT')) return value.length === 3 ? 3 : 3 + parseSignedOffset(value.slice(3));
  if (value[0] === '+' || value[0] === '-') {
    const length = parseSignedOffset(value);
    return length > 0 ? length : undefined;
  }
  let nUpper = 0;
  for (; nUpper < 6 && nUpper < value.length; nUpper++) {
    const c = value.charCodeAt(nUpper);
    if (c < 65 || c > 90) break;
  }
  switch (nUpper) {
    case 5: return value[4] === 'T' ? 5 : undefined;
    case 4: return value[3] === 'T' || value.startsWith('WITA') ? 4 : undefined;
    case 3: return 3;
  }
  return undefined;
}

/** time.ParseInLocation(layout, value, loc) (sprig's toDate passes time.Local); `local` is
 *  time.Local for the times it makes. Throws GoError with Go's ParseError text. */
export function parseInLocation(layoutText: string, valueText: string, loc: GoLocation, local: GoLocation): GoTime {
  const alayout = Buffer.from(layoutText, 'utf8').toString('latin1');
  const avalue = Buffer.from(valueText, 'utf8').toString('latin1');
  if (layoutText === '2006-01-02T15:04:05Z07:00' || layoutText === '2006-01-02T15:04:05.999999999Z07:00') {
    const fast = parseRFC3339(avalue, loc, local);
    if (fast !== undefined) return fast;
  }
  let layout = alayout;
  let value = avalue;
  let rangeErr = '';
  let amSet = false;
  let pmSet = false;
  let year = 0;
  let month = -1;
  let day = -1;
  let yday = -1;
  let hour = 0;
  let min = 0;
  let sec = 0;
  let nsec = 0;
  let z: GoLocation | undefined;
  let zoneOffset = -1;
  let zoneName = '';

  for (;;) {
    const { prefix, std, suffix } = nextStdChunk(layout);
    const stdstr = layout.slice(prefix.length, layout.length - suffix.length);
    const [rest, skipped] = skip(value, prefix);
    value = rest;
    if (!skipped) throw parseError(alayout, avalue, prefix, value, '');
    if (std === 0) {
      if (value.length !== 0) throw parseError(alayout, avalue, '', value, ': extra text: ' + timeQuoteBytes(value));
      break;
    }
    layout = suffix;
    const hold = value;
    try {
      switch (std & MASK) {
        case YEAR: {
          if (value.length < 2) throw BAD;
          const p = value.slice(0, 2);
          value = value.slice(2);
          year = atoi(p);
          year += year >= 69 ? 1900 : 2000;
          break;
        }
        case LONG_YEAR:
          if (value.length < 4 || !isDigitAt(value, 0)) throw BAD;
          year = atoi(value.slice(0, 4));
          value = value.slice(4);
          break;
        case MONTH:
          [month, value] = lookupName(SHORT_MONTHS, value);
          month++;
          break;
        case LONG_MONTH:
          [month, value] = lookupName(LONG_MONTHS, value);
          month++;
          break;
        case NUM_MONTH: case ZERO_MONTH:
          [month, value] = getnum(value, std === ZERO_MONTH);
          if (month <= 0 || month > 12) rangeErr = 'month';
          break;
        case WEEKDAY:
          value = lookupName(SHORT_DAYS, value)[1];
          break;
        case LONG_WEEKDAY:
          value = lookupName(LONG_DAYS, value)[1];
          break;
        case DAY: case UNDER_DAY: case ZERO_DAY:
          if (std === UNDER_DAY && value[0] === ' ') value = value.slice(1);
          [day, value] = getnum(value, std === ZERO_DAY);
          break;
        case UNDER_YEAR_DAY: case ZERO_YEAR_DAY:
          for (let i = 0; i < 2; i++) if (std === UNDER_YEAR_DAY && value[0] === ' ') value = value.slice(1);
          [yday, value] = getnum3(value, std === ZERO_YEAR_DAY);
          break;
        case HOUR:
          [hour, value] = getnum(value, false);
          if (hour >= 24) rangeErr = 'hour';
          break;
        case HOUR12: case ZERO_HOUR12:
          [hour, value] = getnum(value, std === ZERO_HOUR12);
          if (hour > 12) rangeErr = 'hour';
          break;
        case MINUTE: case ZERO_MINUTE:
          [min, value] = getnum(value, std === ZERO_MINUTE);
          if (min >= 60) rangeErr = 'minute';
          break;
        case SECOND: case ZERO_SECOND: {
          [sec, value] = getnum(value, std === ZERO_SECOND);
          if (sec >= 60) {
            rangeErr = 'second';
            break;
          }
          // a fractional second in the value that the layout does not have
          if (value.length >= 2 && commaOrPeriod(value[0]) && isDigitAt(value, 1)) {
            const next = nextStdChunk(layout).std & MASK;
            if (next === FRAC_SECOND0 || next === FRAC_SECOND9) break;
            let n = 2;
            while (n < value.length && isDigitAt(value, n)) n++;
            [nsec, rangeErr] = parseNanoseconds(value, n);
            value = value.slice(n);
          }
          break;
        }
        case PM: case pm: {
          if (value.length < 2) throw BAD;
          const p = value.slice(0, 2);
          value = value.slice(2);
          const [am, pmText] = (std & MASK) === PM ? ['AM', 'PM'] : ['am', 'pm'];
          if (p === pmText) pmSet = true;
          else if (p === am) amSet = true;
          else throw BAD;
          break;
        }
        case ISO8601_TZ: case ISO8601_SHORT_TZ: case ISO8601_COLON_TZ: case ISO8601_SECONDS_TZ: case ISO8601_COLON_SECONDS_TZ:
        case NUM_TZ: case NUM_SHORT_TZ: case NUM_COLON_TZ: case NUM_SECONDS_TZ: case NUM_COLON_SECONDS_TZ: {
          const s = std & MASK;
          if (s <= ISO8601_COLON_SECONDS_TZ && value[0] === 'Z') {
            value = value.slice(1);
            z = UTC;
            break;
          }
          let parts: [string, string, string, string];
          if (s === ISO8601_COLON_TZ || s === NUM_COLON_TZ) {
            if (value.length < 6 || value[3] !== ':') throw BAD;
            parts = [value.slice(0, 1), value.slice(1, 3), value.slice(4, 6), '00'];
            value = value.slice(6);
          } else if (s === NUM_SHORT_TZ || s === ISO8601_SHORT_TZ) {
            if (value.length < 3) throw BAD;
            parts = [value.slice(0, 1), value.slice(1, 3), '00', '00'];
            value = value.slice(3);
          } else if (s === ISO8601_COLON_SECONDS_TZ || s === NUM_COLON_SECONDS_TZ) {
            if (value.length < 9 || value[3] !== ':' || value[6] !== ':') throw BAD;
            parts = [value.slice(0, 1), value.slice(1, 3), value.slice(4, 6), value.slice(7, 9)];
            value = value.slice(9);
          } else if (s === ISO8601_SECONDS_TZ || s === NUM_SECONDS_TZ) {
            if (value.length < 7) throw BAD;
            parts = [value.slice(0, 1), value.slice(1, 3), value.slice(3, 5), value.slice(5, 7)];
            value = value.slice(7);
          } else {
            if (value.length < 5) throw BAD;
            parts = [value.slice(0, 1), value.slice(1, 3), value.slice(3, 5), '00'];
            value = value.slice(5);
          }
          const [sign, hh, mm, ss] = parts;
          // Go reads hour, then minute, then second, stopping at the first bad one; the range
          // checks still run on what it read
          let hr = 0;
          let mi = 0;
          let se = 0;
          let bad = false;
          try {
            hr = getnum(hh, true)[0];
            mi = getnum(mm, true)[0];
            se = getnum(ss, true)[0];
          } catch (error) {
            if (!(error instanceof Bad)) throw error;
            bad = true;
          }
          if (hr > 24) rangeErr = 'time zone offset hour';
          if (mi > 60) rangeErr = 'time zone offset minute';
          if (se > 60) rangeErr = 'time zone offset second';
          zoneOffset = (hr * 60 + mi) * 60 + se;
          if (sign === '-') zoneOffset = -zoneOffset;
          else if (sign !== '+') bad = true;
          if (bad && rangeErr === '') throw BAD;
          break;
        }
        case TZ: {
          if (value.startsWith('UTC')) {
            z = UTC;
            value = value.slice(3);
            break;
          }
          const n = parseTimeZone(value);
          if (n === undefined) throw BAD;
          zoneName = value.slice(0, n);
          value = value.slice(n);
          break;
        }
        case FRAC_SECOND0: {
          const ndigit = 1 + digitsLen(std);
          if (value.length < ndigit) throw BAD;
          [nsec, rangeErr] = parseNanoseconds(value, ndigit);
          value = value.slice(ndigit);
          break;
        }
        case FRAC_SECOND9: {
          if (value.length < 2 || !commaOrPeriod(value[0]) || !isDigitAt(value, 1)) break;
          let i = 0;
          while (i + 1 < value.length && isDigitAt(value, i + 1)) i++;
          [nsec, rangeErr] = parseNanoseconds(value, 1 + i);
          value = value.slice(1 + i);
          break;
        }
      }
    } catch (error) {
      if (!(error instanceof Bad)) throw error;
      if (rangeErr !== '') throw parseError(alayout, avalue, stdstr, value, `: ${rangeErr} out of range`);
      throw parseError(alayout, avalue, stdstr, hold, '');
    }
    if (rangeErr !== '') throw parseError(alayout, avalue, stdstr, value, `: ${rangeErr} out of range`);
  }
  if (pmSet && hour < 12) hour += 12;
  else if (amSet && hour === 12) hour = 0;

  if (yday >= 0) {
    let d = 0;
    let m = 0;
    if (isLeap(year)) {
      if (yday === 31 + 29) {
        m = 2;
        d = 29;
      } else if (yday > 31 + 29) {
        yday--;
      }
    }
    if (yday < 1 || yday > 365) throw parseError(alayout, avalue, '', value, ': day-of-year out of range');
    if (m === 0) {
      m = Math.floor((yday - 1) / 31) + 1;
      if (daysBefore(m + 1) < yday) m++;
      d = yday - daysBefore(m);
    }
    if (month >= 0 && month !== m) throw parseError(alayout, avalue, '', value, ': day-of-year does not match month');
    month = m;
    if (day >= 0 && day !== d) throw parseError(alayout, avalue, '', value, ': day-of-year does not match day');
    day = d;
  } else {
    if (month < 0) month = 1;
    if (day < 0) day = 1;
  }
  if (day < 1 || day > daysIn(month, year)) throw parseError(alayout, avalue, '', value, ': day out of range');

  if (z !== undefined) return goDate(year, month, day, hour, min, sec, nsec, z, local);
  if (zoneOffset !== -1) {
    const utc = goDate(year, month, day, hour, min, sec, nsec, UTC, local);
    const unix = utc.sec - zoneOffset;
    const zone = loc.lookup(unix);
    if (zone.offset === zoneOffset && (zoneName === '' || zone.name === zoneName)) return new GoTime(unix, nsec, loc, local);
    return new GoTime(unix, nsec, fixedZone(zoneName, zoneOffset), local);
  }
  if (zoneName !== '') {
    const utc = goDate(year, month, day, hour, min, sec, nsec, UTC, local);
    const offset = loc.lookupName(zoneName, utc.sec);
    if (offset !== undefined) return new GoTime(utc.sec - offset, nsec, loc, local);
    let fakeOffset = 0;
    if (zoneName.length > 3 && zoneName.startsWith('GMT')) fakeOffset = atoi(zoneName.slice(3)) * 3600;
    return new GoTime(utc.sec, nsec, fixedZone(zoneName, fakeOffset), local);
  }
  return goDate(year, month, day, hour, min, sec, nsec, loc, local);
}

/** parseRFC3339, Go's fast path for the two RFC 3339 layouts (undefined: use the general one) */
function parseRFC3339(s: string, loc: GoLocation, local: GoLocation): GoTime | undefined {
  let ok = true;
  const num = (text: string, lo: number, hi: number): number => {
    let x = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c < 48 || c > 57) {
        ok = false;
        return lo;
      }
      x = x * 10 + c - 48;
    }
    if (x < lo || x > hi) {
      ok = false;
      return lo;
    }
    return x;
  };
  if (s.length < 19) return undefined;
  const year = num(s.slice(0, 4), 0, 9999);
  const month = num(s.slice(5, 7), 1, 12);
  const day = num(s.slice(8, 10), 1, daysIn(month, year));
  const hour = num(s.slice(11, 13), 0, 23);
  const min = num(s.slice(14, 16), 0, 59);
  const sec = num(s.slice(17, 19), 0, 59);
  if (!ok || !(s[4] === '-' && s[7] === '-' && s[10] === 'T' && s[13] === ':' && s[16] === ':')) return undefined;
  let rest = s.slice(19);
  let nsec = 0;
  if (rest.length >= 2 && rest[0] === '.' && isDigitAt(rest, 1)) {
    let n = 2;
    while (n < rest.length && isDigitAt(rest, n)) n++;
    try {
      nsec = parseNanoseconds(rest, n)[0];
    } catch (error) {
      if (!(error instanceof Bad)) throw error;
    }
    rest = rest.slice(n);
  }
  const t = goDate(year, month, day, hour, min, sec, nsec, UTC, local);
  if (rest === 'Z') return t;
  if (rest.length !== 6) return undefined;
  const hr = num(rest.slice(1, 3), 0, 23);
  const mm = num(rest.slice(4, 6), 0, 59);
  if (!ok || !((rest[0] === '-' || rest[0] === '+') && rest[3] === ':')) return undefined;
  let zoneOffset = (hr * 60 + mm) * 60;
  if (rest[0] === '-') zoneOffset = -zoneOffset;
  const unix = t.sec - zoneOffset;
  if (loc.lookup(unix).offset === zoneOffset) return new GoTime(unix, nsec, loc, local);
  return new GoTime(unix, nsec, fixedZone('', zoneOffset), local);
}
