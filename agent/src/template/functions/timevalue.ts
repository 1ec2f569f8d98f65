// Go's time.Time as a template value: an instant (Unix seconds and nanoseconds) in a location,
// with the methods text/template can call on it, and time.Duration, time.Month and
// time.Weekday as named integers with theirs. Printing goes through String/GoString as fmt does.
import { GoError, GoInt, GoNilPointer, GoSlice, GoStruct, registerNamedInt, structType } from '../values.ts';
import type { GoFunction, GoValue, NamedIntType, StructType } from '../values.ts';
import { fn } from './define.ts';
import { goDuration } from './gotime.ts';
import { UTC, civilFromDays, daysFromCivil, yearYday } from './gozone.ts';
import type { GoLocation } from './gozone.ts';

const SECONDS_PER_DAY = 86400;
/** seconds from January 1, year 1 (Go's internal epoch) to the Unix epoch */
const UNIX_TO_INTERNAL = 62135596800;
const NS = 1_000_000_000n;
const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;

export const LONG_MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
export const LONG_DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** A time.Time. Its struct fields are Go's (wall, ext, loc: unexported, so a template naming one
 *  gets Go's error); `sec`/`nsec`/`loc` are what the methods use. A nil loc in Go is UTC here. */
export class GoTime extends GoStruct {
  /** `local` is time.Local of the function map that made the time (Time.Local converts to it,
   *  GoString names it time.Local). */
  constructor(readonly sec: number, readonly nsec: number, readonly loc: GoLocation, readonly local: GoLocation) {
    super(TIME_TYPE, [new GoInt('uint64', BigInt(nsec)), new GoInt('int64', BigInt(sec) + BigInt(UNIX_TO_INTERNAL)), locationPointer(loc)]);
  }
}

/** The broken-down fields of a time in its own zone. */
export interface TimeFields {
  year: number; month: number; day: number; yday: number; weekday: number;
  hour: number; minute: number; second: number; nsec: number;
  zoneName: string; offset: number;
}

export function timeFields(t: GoTime): TimeFields {
  const zone = t.loc === UTC ? { name: 'UTC', offset: 0 } : t.loc.lookup(t.sec);
  const local = t.sec + zone.offset;
  const days = Math.floor(local / SECONDS_PER_DAY);
  const secOfDay = local - days * SECONDS_PER_DAY;
  const { year, month, day } = civilFromDays(days);
  return {
    year, month, day, yday: yearYday(days).yday, weekday: (((days + 4) % 7) + 7) % 7,
    hour: Math.floor(secOfDay / 3600), minute: Math.floor(secOfDay / 60) % 60, second: secOfDay % 60, nsec: t.nsec,
    zoneName: zone.name, offset: zone.offset,
  };
}

function norm(hi: number, lo: number, base: number): [number, number] {
  if (lo < 0) {
    const n = Math.floor((-lo - 1) / base) + 1;
    hi -= n;
    lo += n * base;
  }
  if (lo >= base) {
    const n = Math.floor(lo / base);
    hi += n;
    lo -= n * base;
  }
  return [hi, lo];
}

/** time.Date: fields out of range are normalised; the zone offset is the one in effect then. */
export function goDate(year: number, month: number, day: number, hour: number, min: number, sec: number, nsec: number, loc: GoLocation, local: GoLocation): GoTime {
  let m = month - 1;
  [year, m] = norm(year, m, 12);
  [sec, nsec] = norm(sec, nsec, 1e9);
  [min, sec] = norm(min, sec, 60);
  [hour, min] = norm(hour, min, 60);
  [day, hour] = norm(day, hour, 24);
  const days = daysFromCivil(year, m + 1, 1) + day - 1;
  let unix = days * SECONDS_PER_DAY + hour * 3600 + min * 60 + sec;
  const zone = loc.lookup(unix);
  let offset = zone.offset;
  if (offset !== 0) {
    const utc = unix - offset;
    if (utc < zone.start || utc >= zone.end) offset = loc.lookup(utc).offset;
    unix -= offset;
  }
  return new GoTime(unix, nsec, loc, local);
}

/** Total nanoseconds since the Unix epoch. */
export function unixNanos(t: GoTime): bigint {
  return BigInt(t.sec) * NS + BigInt(t.nsec);
}

/** Time.Add (Go wraps the seconds on overflow; times here stay far inside that range). */
export function addDuration(t: GoTime, d: bigint): GoTime {
  let dsec = d / NS;
  let nsec = BigInt(t.nsec) + (d % NS);
  if (nsec >= NS) {
    dsec++;
    nsec -= NS;
  } else if (nsec < 0n) {
    dsec--;
    nsec += NS;
  }
  return new GoTime(t.sec + Number(dsec), Number(nsec), t.loc, t.local);
}

/** Time.Sub, saturating at the limits of a Duration as Go does. */
export function subTimes(t: GoTime, u: GoTime): bigint {
  const d = unixNanos(t) - unixNanos(u);
  return d > INT64_MAX ? INT64_MAX : d < INT64_MIN ? INT64_MIN : d;
}

/** The remainder of t (since Go's zero time) modulo d, as Time.Truncate and Time.Round see it. */
function remainder(t: GoTime, d: bigint): bigint {
  const total = (BigInt(t.sec) + BigInt(UNIX_TO_INTERNAL)) * NS + BigInt(t.nsec);
  return ((total % d) + d) % d;
}

// ---------------------------------------------------------------------------------------------
// Location values

const locationPointers = new WeakMap<GoLocation, GoStruct>();
const NIL_LOCATION = new GoNilPointer('*time.Location');

/** A time's loc field: Go keeps nil for UTC. */
function locationPointer(loc: GoLocation): GoValue {
  return loc === UTC ? NIL_LOCATION : locationValue(loc);
}

/** *time.Location as Time.Location returns it (one pointer per location). */
export function locationValue(loc: GoLocation): GoStruct {
  let value = locationPointers.get(loc);
  if (value === undefined) {
    value = new LocationValue(loc);
    locationPointers.set(loc, value);
  }
  return value;
}

class LocationValue extends GoStruct {
  constructor(readonly loc: GoLocation) {
    super(LOCATION_TYPE, [loc.name]);
  }
}

const LOCATION_TYPE: StructType = structType('*time.Location', [{ name: 'name', type: 'string' }], new Map<string, GoFunction>([
  // the receiver may be the struct text/template dereferenced for printing: read the field
  ['String', fn([], (a) => (a[0] as GoStruct).values[0] as string, { returnsError: false })],
]));

export function locationOf(v: GoValue): GoLocation | undefined {
  return v instanceof LocationValue ? v.loc : undefined;
}

// ---------------------------------------------------------------------------------------------
// Named integer types

const noErr = { returnsError: false };

/** Month.String/Weekday.String (a time only makes values in range; Go spells others %!Month(13)) */
function stringOfEnum(names: readonly string[], type: string, v: bigint, first: bigint): string {
  const name = v >= first && v - first < BigInt(names.length) ? names[Number(v - first)] : undefined;
  return name ?? `%!${type}(${v})`;
}

export const MONTH: NamedIntType = registerNamedInt({
  name: 'time.Month', kind: 'int',
  methods: new Map([['String', fn([], (a) => stringOfEnum(LONG_MONTHS, 'Month', (a[0] as GoInt).value, 1n), noErr)]]),
});

export const WEEKDAY: NamedIntType = registerNamedInt({
  name: 'time.Weekday', kind: 'int',
  methods: new Map([['String', fn([], (a) => stringOfEnum(LONG_DAYS, 'Weekday', (a[0] as GoInt).value, 0n), noErr)]]),
});

const dur = (v: GoValue): bigint => (v as GoInt).value;
export const durationValue = (d: bigint): GoInt => new GoInt('int64', BigInt.asIntN(64, d), DURATION);

/** Duration.Round/Truncate */
export function roundDuration(d: bigint, m: bigint, round: boolean): bigint {
  if (m <= 0n) return d;
  let r = d % m;
  if (!round) return d - r;
  if (d < 0n) {
    r = -r;
    if (r + r < m) return d + r;
    // int64 arithmetic: an overflow wraps, and Go then saturates
    const d1 = BigInt.asIntN(64, d - m + r);
    return d1 < d ? d1 : INT64_MIN;
  }
  if (r + r < m) return d - r;
  const d1 = BigInt.asIntN(64, d + m - r);
  return d1 > d ? d1 : INT64_MAX;
}

/** Duration.Seconds and the like: whole units plus the fraction, as Go computes them */
function durationIn(d: bigint, unit: bigint): number {
  const whole = d / unit;
  const frac = d % unit;
  return Number(whole) + Number(frac) / Number(unit);
}

export const DURATION: NamedIntType = registerNamedInt({
  name: 'time.Duration', kind: 'int64',
  methods: new Map<string, GoFunction>([
    ['String', fn([], (a) => goDuration(dur(a[0])), noErr)],
    ['Nanoseconds', fn([], (a) => new GoInt('int64', dur(a[0])), noErr)],
    ['Microseconds', fn([], (a) => new GoInt('int64', dur(a[0]) / 1000n), noErr)],
    ['Milliseconds', fn([], (a) => new GoInt('int64', dur(a[0]) / 1_000_000n), noErr)],
    ['Seconds', fn([], (a) => durationIn(dur(a[0]), NS), noErr)],
    ['Minutes', fn([], (a) => durationIn(dur(a[0]), 60n * NS), noErr)],
    ['Hours', fn([], (a) => durationIn(dur(a[0]), 3600n * NS), noErr)],
    ['Round', fn(['time.Duration'], (a) => durationValue(roundDuration(dur(a[0]), dur(a[1]), true)), noErr)],
    ['Truncate', fn(['time.Duration'], (a) => durationValue(roundDuration(dur(a[0]), dur(a[1]), false)), noErr)],
    ['Abs', fn([], (a) => {
      const d = dur(a[0]);
      return durationValue(d >= 0n ? d : d === INT64_MIN ? INT64_MAX : -d);
    }, noErr)],
  ]),
});

// ---------------------------------------------------------------------------------------------
// time.Time's methods

const time = (v: GoValue): GoTime => v as GoTime;
const int = (n: number): GoInt => new GoInt('int', BigInt(n));
const int64 = (n: bigint): GoInt => new GoInt('int64', BigInt.asIntN(64, n));
const bytes = (s: string): GoSlice => new GoSlice('[]uint8', 'uint8', Array.from(Buffer.from(s, 'utf8'), (b) => new GoInt('uint8', BigInt(b))));

/** Hooks the format/parse module fills in (it imports this one). */
export const timeText = {
  format: (_t: GoTime, _layout: string): string => '',
  goString: (_t: GoTime): string => '',
};

function results(n: number, second?: string): GoFunction {
  const message = second === undefined ? `function %s has ${n} return values; should be 1 or 2` : `invalid function signature for %s: second return value should be error; is ${second}`;
  return { params: [], badResults: message, call: () => undefined };
}

/** Time.MarshalText's layout, refusing what RFC 3339 cannot spell (appendStrictRFC3339). */
export function marshalText(t: GoTime, method: string): string {
  const text = timeText.format(t, '2006-01-02T15:04:05.999999999Z07:00');
  const f = timeFields(t);
  if (f.year < 0 || f.year > 9999) throw new GoError(`Time.${method}: year outside of range [0,9999]`);
  if (!text.endsWith('Z') && Math.abs(Math.trunc(f.offset / 3600)) >= 24) throw new GoError(`Time.${method}: timezone hour outside of range [0,23]`);
  return text;
}

/** append(b, more...) on []byte (a nil b stays nil only when nothing is appended) */
function appendBytes(b: GoValue, more: GoSlice): GoSlice {
  const items = b instanceof GoSlice ? b.items : [];
  if (more.items.length === 0 && b instanceof GoSlice) return b;
  return new GoSlice('[]uint8', 'uint8', [...items, ...more.items]);
}

/** Time.MarshalBinary: version, internal seconds, nanoseconds, zone offset in minutes (-1: UTC),
 *  and the offset's seconds in version 2 */
function binary(t: GoTime): GoSlice {
  let offsetMin = -1;
  let offsetSec = 0;
  let version = 1;
  if (t.loc !== UTC) {
    const offset = timeFields(t).offset;
    if (offset % 60 !== 0) {
      version = 2;
      offsetSec = offset % 60;
    }
    const minutes = Math.trunc(offset / 60);
    if (minutes < -32768 || minutes === -1 || minutes > 32767) throw new GoError('Time.MarshalBinary: unexpected zone offset');
    offsetMin = minutes;
  }
  const out = [version];
  const sec = BigInt.asUintN(64, BigInt(t.sec) + BigInt(UNIX_TO_INTERNAL));
  for (let shift = 56n; shift >= 0n; shift -= 8n) out.push(Number((sec >> shift) & 0xffn));
  for (let shift = 24; shift >= 0; shift -= 8) out.push((t.nsec >>> shift) & 0xff);
  out.push((offsetMin >> 8) & 0xff, offsetMin & 0xff);
  if (version === 2) out.push(offsetSec & 0xff);
  return new GoSlice('[]uint8', 'uint8', out.map((b) => new GoInt('uint8', BigInt(b))));
}

function truncateOrRound(t: GoTime, d: bigint, round: boolean): GoTime {
  if (d <= 0n) return t;
  const r = remainder(t, d);
  if (!round || r + r < d) return addDuration(t, -r);
  return addDuration(t, d - r);
}

export function inLocation(t: GoTime, loc: GoLocation): GoTime {
  return new GoTime(t.sec, t.nsec, loc, t.local);
}

const TIME_METHODS = new Map<string, GoFunction>([
  ['Add', fn(['time.Duration'], (a) => addDuration(time(a[0]), dur(a[1])), noErr)],
  ['AddDate', fn(['int', 'int', 'int'], (a) => {
    const t = time(a[0]);
    const f = timeFields(t);
    const n = (i: number): number => Number((a[i] as GoInt).value);
    return goDate(f.year + n(1), f.month + n(2), f.day + n(3), f.hour, f.minute, f.second, f.nsec, t.loc, t.local);
  }, noErr)],
  ['After', fn(['time.Time'], (a) => unixNanos(time(a[0])) > unixNanos(time(a[1])), noErr)],
  ['Before', fn(['time.Time'], (a) => unixNanos(time(a[0])) < unixNanos(time(a[1])), noErr)],
  ['Equal', fn(['time.Time'], (a) => unixNanos(time(a[0])) === unixNanos(time(a[1])), noErr)],
  ['Compare', fn(['time.Time'], (a) => {
    const x = unixNanos(time(a[0]));
    const y = unixNanos(time(a[1]));
    return int(x < y ? -1 : x > y ? 1 : 0);
  }, noErr)],
  ['Clock', results(3)],
  ['Date', results(3)],
  ['ISOWeek', results(2, 'int')],
  ['Zone', results(2, 'int')],
  ['ZoneBounds', results(2, 'time.Time')],
  ['Day', fn([], (a) => int(timeFields(time(a[0])).day), noErr)],
  ['Hour', fn([], (a) => int(timeFields(time(a[0])).hour), noErr)],
  ['Minute', fn([], (a) => int(timeFields(time(a[0])).minute), noErr)],
  ['Second', fn([], (a) => int(timeFields(time(a[0])).second), noErr)],
  ['Nanosecond', fn([], (a) => int(time(a[0]).nsec), noErr)],
  ['Year', fn([], (a) => int(timeFields(time(a[0])).year), noErr)],
  ['YearDay', fn([], (a) => int(timeFields(time(a[0])).yday), noErr)],
  ['Month', fn([], (a) => new GoInt('int', BigInt(timeFields(time(a[0])).month), MONTH), noErr)],
  ['Weekday', fn([], (a) => new GoInt('int', BigInt(timeFields(time(a[0])).weekday), WEEKDAY), noErr)],
  ['Format', fn(['string'], (a) => timeText.format(time(a[0]), a[1] as string), noErr)],
  ['String', fn([], (a) => timeText.format(time(a[0]), '2006-01-02 15:04:05.999999999 -0700 MST'), noErr)],
  ['GoString', fn([], (a) => timeText.goString(time(a[0])), noErr)],
  ['IsDST', fn([], (a) => {
    const t = time(a[0]);
    return t.loc === UTC ? false : t.loc.lookup(t.sec).isDST;
  }, noErr)],
  ['IsZero', fn([], (a) => time(a[0]).sec === -UNIX_TO_INTERNAL && time(a[0]).nsec === 0, noErr)],
  ['Local', fn([], (a) => inLocation(time(a[0]), time(a[0]).local), noErr)],
  ['UTC', fn([], (a) => inLocation(time(a[0]), UTC), noErr)],
  ['In', fn(['*time.Location'], (a) => {
    const loc = locationOf(a[1]);
    if (loc === undefined) throw new GoError('time: missing Location in call to Time.In');
    return inLocation(time(a[0]), loc);
  }, noErr)],
  ['Location', fn([], (a) => locationValue(time(a[0]).loc), noErr)],
  ['Round', fn(['time.Duration'], (a) => truncateOrRound(time(a[0]), dur(a[1]), true), noErr)],
  ['Truncate', fn(['time.Duration'], (a) => truncateOrRound(time(a[0]), dur(a[1]), false), noErr)],
  ['Sub', fn(['time.Time'], (a) => durationValue(subTimes(time(a[0]), time(a[1]))), noErr)],
  ['Unix', fn([], (a) => int64(BigInt(time(a[0]).sec)), noErr)],
  ['UnixMilli', fn([], (a) => int64(BigInt(time(a[0]).sec) * 1000n + BigInt(Math.floor(time(a[0]).nsec / 1e6))), noErr)],
  ['UnixMicro', fn([], (a) => int64(BigInt(time(a[0]).sec) * 1_000_000n + BigInt(Math.floor(time(a[0]).nsec / 1e3))), noErr)],
  ['UnixNano', fn([], (a) => int64(unixNanos(time(a[0]))), noErr)],
  ['MarshalJSON', fn([], (a) => bytes('"' + marshalText(time(a[0]), 'MarshalJSON') + '"'))],
  ['MarshalText', fn([], (a) => bytes(marshalText(time(a[0]), 'MarshalText')))],
  ['AppendText', fn(['[]uint8'], (a) => appendBytes(a[1], bytes(marshalText(time(a[0]), 'AppendText'))))],
  ['AppendFormat', fn(['[]uint8', 'string'], (a) => appendBytes(a[1], bytes(timeText.format(time(a[0]), a[2] as string))), noErr)],
  ['MarshalBinary', fn([], (a) => binary(time(a[0])))],
  ['GobEncode', fn([], (a) => binary(time(a[0])))],
  ['AppendBinary', fn(['[]uint8'], (a) => appendBytes(a[1], binary(time(a[0]))))],
]);

const TIME_TYPE: StructType = structType('time.Time', [
  { name: 'wall', type: 'uint64' }, { name: 'ext', type: 'int64' }, { name: 'loc', type: '*time.Location' },
], TIME_METHODS);

/** Go's zero Time (January 1, year 1, UTC): what toDate gives for text it cannot parse. */
export function zeroTime(local: GoLocation): GoTime {
  return new GoTime(-UNIX_TO_INTERNAL, 0, UTC, local);
}
