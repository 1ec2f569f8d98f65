// Go's *time.Location: UTC, fixed zones, zones read from the system's TZif files, and Local as
// Go's initLocal chooses it from TZ (unset: /etc/localtime named "Local"; "" or "UTC": UTC named
// "UTC"; a name: /usr/share/zoneinfo/NAME). Offsets and abbreviations then come from the same
// tzdata Go reads, which Node's Intl cannot give (it spells CET as "GMT+1").
import { readFileSync } from 'node:fs';

export interface ZoneInfo {
  readonly name: string;
  readonly offset: number; // seconds east of UTC
  readonly isDST: boolean;
}

/** What Location.lookup returns: the zone in effect and the span [start, end) it covers. */
export interface ZoneSpan extends ZoneInfo {
  readonly start: number;
  readonly end: number;
}

interface Transition { readonly when: number; readonly index: number }

const ALPHA = -Infinity;
const OMEGA = Infinity;
const SECONDS_PER_DAY = 86400;

export class GoLocation {
  constructor(
    readonly name: string,
    readonly zones: readonly ZoneInfo[],
    readonly tx: readonly Transition[],
    readonly extend = '',
    /** this is time.Local (GoString prints time.Local; Local() converts to it) */
    readonly isLocal = false,
  ) {}

  /** Location.lookup: the zone in effect at a Unix second. */
  lookup(sec: number): ZoneSpan {
    const zones = this.zones;
    if (zones.length === 0) return { name: 'UTC', offset: 0, isDST: false, start: ALPHA, end: OMEGA };
    const tx = this.tx;
    if (tx.length === 0 || sec < tx[0]!.when) {
      const zone = zones[this.firstZone()]!;
      return { ...zone, start: ALPHA, end: tx.length > 0 ? tx[0]!.when : OMEGA };
    }
    let end = OMEGA;
    let lo = 0;
    let hi = tx.length;
    while (hi - lo > 1) {
      const m = (lo + hi) >>> 1;
      const lim = tx[m]!.when;
      if (sec < lim) {
        end = lim;
        hi = m;
      } else {
        lo = m;
      }
    }
    const zone = zones[tx[lo]!.index]!;
    const start = tx[lo]!.when;
    if (lo === tx.length - 1 && this.extend !== '') {
      const rule = tzset(this.extend, start, sec);
      if (rule !== undefined) return rule;
    }
    return { ...zone, start, end };
  }

  /** Location.lookupName: the offset of a zone abbreviation in effect near a time. */
  lookupName(name: string, unix: number): number | undefined {
    for (const zone of this.zones) {
      if (zone.name !== name) continue;
      const span = this.lookup(unix - zone.offset);
      if (span.name === zone.name) return span.offset;
    }
    for (const zone of this.zones) if (zone.name === name) return zone.offset;
    return undefined;
  }

  /** tzcode's rule for times before the first transition (lookupFirstZone). */
  private firstZone(): number {
    const { zones, tx } = this;
    if (!tx.some((t) => t.index === 0)) return 0;
    if (tx.length > 0 && zones[tx[0]!.index]!.isDST) {
      for (let zi = tx[0]!.index - 1; zi >= 0; zi--) if (!zones[zi]!.isDST) return zi;
    }
    const std = zones.findIndex((z) => !z.isDST);
    return std >= 0 ? std : 0;
  }
}

/** time.UTC (a Time in it has a nil location; Location() gives this one). */
export const UTC = new GoLocation('UTC', [], []);

const unnamedFixed = new Map<number, GoLocation>();

/** time.FixedZone, with Go's shared locations for unnamed whole-hour offsets from -12 to +14
 *  (two times parsed with "+02:00" have the same location pointer, so `eq` holds). */
export function fixedZone(name: string, offset: number): GoLocation {
  const hour = Math.trunc(offset / 3600);
  if (name === '' && hour >= -12 && hour <= 14 && hour * 3600 === offset) {
    let loc = unnamedFixed.get(hour);
    if (loc === undefined) {
      loc = newFixed('', offset);
      unnamedFixed.set(hour, loc);
    }
    return loc;
  }
  return newFixed(name, offset);
}

function newFixed(name: string, offset: number): GoLocation {
  return new GoLocation(name, [{ name, offset, isDST: false }], [{ when: ALPHA, index: 0 }]);
}

// ---------------------------------------------------------------------------------------------
// TZif files

const ZONE_SOURCES = ['/usr/share/zoneinfo/', '/usr/share/lib/zoneinfo/', '/usr/lib/locale/TZ/', '/etc/zoneinfo/'];

/** LoadLocationFromTZData; undefined for malformed data. */
export function locationFromTZif(name: string, data: Uint8Array): GoLocation | undefined {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  let pos = 0;
  const need = (n: number): boolean => pos + n <= data.length;
  if (!need(20) || String.fromCharCode(...data.subarray(0, 4)) !== 'TZif') return undefined;
  const versionByte = data[4]!;
  if (versionByte !== 0 && versionByte !== 0x32 && versionByte !== 0x33) return undefined;
  pos = 20;
  const counts = (): number[] | undefined => {
    if (!need(24)) return undefined;
    const n = [0, 1, 2, 3, 4, 5].map((i) => view.getUint32(pos + 4 * i));
    pos += 24;
    return n;
  };
  // isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt
  let n = counts();
  if (n === undefined) return undefined;
  let size = 4;
  if (versionByte !== 0) {
    pos += n[3]! * 4 + n[3]! + n[4]! * 6 + n[5]! + n[2]! * 8 + n[1]! + n[0]! + 4 + 16;
    n = counts();
    if (n === undefined) return undefined;
    size = 8;
  }
  const [isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt] = n as [number, number, number, number, number, number];
  if (!need(timecnt * size + timecnt + typecnt * 6 + charcnt + leapcnt * (size + 4) + isstdcnt + isutcnt)) return undefined;
  const times: number[] = [];
  for (let i = 0; i < timecnt; i++) times.push(size === 4 ? view.getInt32(pos + 4 * i) : Number(view.getBigInt64(pos + 8 * i)));
  pos += timecnt * size;
  const indices = Array.from(data.subarray(pos, pos + timecnt));
  pos += timecnt;
  const zoneData = pos;
  pos += typecnt * 6;
  const abbrev = data.subarray(pos, pos + charcnt);
  pos += charcnt + leapcnt * (size + 4) + isstdcnt + isutcnt;
  const rest = data.subarray(pos);
  let extend = '';
  if (rest.length > 2 && rest[0] === 0x0a && rest[rest.length - 1] === 0x0a) extend = Buffer.from(rest.subarray(1, rest.length - 1)).toString('latin1');
  if (typecnt === 0) return undefined;
  const zones: ZoneInfo[] = [];
  for (let i = 0; i < typecnt; i++) {
    const at = zoneData + 6 * i;
    const nameAt = data[at + 5]!;
    if (nameAt >= abbrev.length) return undefined;
    let stop = abbrev.indexOf(0, nameAt);
    if (stop < 0) stop = abbrev.length;
    zones.push({ offset: view.getInt32(at), isDST: data[at + 4] !== 0, name: Buffer.from(abbrev.subarray(nameAt, stop)).toString('latin1') });
  }
  const tx: Transition[] = [];
  for (let i = 0; i < timecnt; i++) {
    if (indices[i]! >= zones.length) return undefined;
    tx.push({ when: times[i]!, index: indices[i]! });
  }
  if (tx.length === 0) tx.push({ when: ALPHA, index: 0 });
  return new GoLocation(name, zones, tx, extend);
}

function readZoneFile(path: string): Uint8Array | undefined {
  try {
    return readFileSync(path);
  } catch {
    return undefined;
  }
}

/** loadLocation(name, platformZoneSources) */
function loadFromSources(name: string): GoLocation | undefined {
  for (const dir of ZONE_SOURCES) {
    const data = readZoneFile(dir + name);
    if (data !== undefined) return locationFromTZif(name, data);
  }
  return undefined;
}

/** time.LoadLocation(name); undefined where Go returns an error. */
export function loadLocation(name: string, local: GoLocation): GoLocation | undefined {
  if (name === '' || name === 'UTC') return UTC;
  if (name === 'Local') return local;
  if (name.includes('..') || name[0] === '/' || name[0] === '\\') return undefined;
  return loadFromSources(name);
}

/** Go's initLocal: the Local location for a value of TZ (undefined: TZ is not set). */
export function localLocation(tz: string | undefined): GoLocation {
  const renamed = (loc: GoLocation | undefined, name: string): GoLocation | undefined =>
    loc === undefined ? undefined : new GoLocation(name, loc.zones, loc.tx, loc.extend, true);
  if (tz === undefined) {
    const data = readZoneFile('/etc/localtime');
    const loc = renamed(data === undefined ? undefined : locationFromTZif('localtime', data), 'Local');
    if (loc !== undefined) return loc;
  } else if (tz !== '') {
    const name = tz[0] === ':' ? tz.slice(1) : tz;
    if (name !== '' && name[0] === '/') {
      const data = readZoneFile(name);
      const loc = renamed(data === undefined ? undefined : locationFromTZif(name, data), name === '/etc/localtime' ? 'Local' : name);
      if (loc !== undefined) return loc;
    } else if (name !== '' && name !== 'UTC') {
      const loc = loadFromSources(name);
      if (loc !== undefined) return renamed(loc, loc.name)!;
    }
  }
  return new GoLocation('UTC', [], [], '', true);
}

let processLocal: GoLocation | undefined;

/** time.Local of this process (TZ read once, as Go does). */
export function processLocalLocation(): GoLocation {
  processLocal ??= localLocation(process.env['TZ']);
  return processLocal;
}

// ---------------------------------------------------------------------------------------------
// POSIX TZ rules (the footer of a TZif file, for times after its last transition)

interface Rule { kind: 'julian' | 'doy' | 'mwd'; day: number; week: number; mon: number; time: number }

function tzsetName(s: string): [string, string] | undefined {
  if (s === '') return undefined;
  if (s[0] !== '<') {
    for (let i = 0; i < s.length; i++) {
      if ('0123456789,-+'.includes(s[i]!)) return i < 3 ? undefined : [s.slice(0, i), s.slice(i)];
    }
    return s.length < 3 ? undefined : [s, ''];
  }
  const close = s.indexOf('>');
  return close < 0 ? undefined : [s.slice(1, close), s.slice(close + 1)];
}

function tzsetNum(s: string, min: number, max: number): [number, string] | undefined {
  if (s === '') return undefined;
  let num = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) {
      if (i === 0 || num < min) return undefined;
      return [num, s.slice(i)];
    }
    num = num * 10 + c - 48;
    if (num > max) return undefined;
  }
  return num < min ? undefined : [num, ''];
}

function tzsetOffset(input: string): [number, string] | undefined {
  let s = input;
  if (s === '') return undefined;
  let neg = false;
  if (s[0] === '+') s = s.slice(1);
  else if (s[0] === '-') { s = s.slice(1); neg = true; }
  const hours = tzsetNum(s, 0, 24 * 7);
  if (hours === undefined) return undefined;
  let off = hours[0] * 3600;
  s = hours[1];
  for (const scale of [60, 1]) {
    if (s === '' || s[0] !== ':') break;
    const part = tzsetNum(s.slice(1), 0, 59);
    if (part === undefined) return undefined;
    off += part[0] * scale;
    s = part[1];
  }
  return [neg ? -off : off, s];
}

function tzsetRule(input: string): [Rule, string] | undefined {
  let s = input;
  if (s === '') return undefined;
  const r: Rule = { kind: 'doy', day: 0, week: 0, mon: 0, time: 0 };
  if (s[0] === 'J') {
    const j = tzsetNum(s.slice(1), 1, 365);
    if (j === undefined) return undefined;
    r.kind = 'julian';
    r.day = j[0];
    s = j[1];
  } else if (s[0] === 'M') {
    const mon = tzsetNum(s.slice(1), 1, 12);
    if (mon === undefined || mon[1][0] !== '.') return undefined;
    const week = tzsetNum(mon[1].slice(1), 1, 5);
    if (week === undefined || week[1][0] !== '.') return undefined;
    const day = tzsetNum(week[1].slice(1), 0, 6);
    if (day === undefined) return undefined;
    Object.assign(r, { kind: 'mwd', mon: mon[0], week: week[0], day: day[0] });
    s = day[1];
  } else {
    const d = tzsetNum(s, 0, 365);
    if (d === undefined) return undefined;
    r.day = d[0];
    s = d[1];
  }
  if (s === '' || s[0] !== '/') {
    r.time = 2 * 3600;
    return [r, s];
  }
  const off = tzsetOffset(s.slice(1));
  if (off === undefined) return undefined;
  r.time = off[0];
  return [r, off[1]];
}

export function isLeap(year: number): boolean {
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}

const DAYS_BEFORE = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365];

/** days before the first of a month (1-12) in a non-leap year */
export function daysBefore(month: number): number {
  return DAYS_BEFORE[month - 1]!;
}

export function daysIn(month: number, year: number): number {
  if (month === 2) return isLeap(year) ? 29 : 28;
  return DAYS_BEFORE[month]! - DAYS_BEFORE[month - 1]!;
}

function tzruleTime(year: number, r: Rule, off: number): number {
  let s = 0;
  switch (r.kind) {
    case 'julian':
      s = (r.day - 1) * SECONDS_PER_DAY;
      if (isLeap(year) && r.day >= 60) s += SECONDS_PER_DAY;
      break;
    case 'doy':
      s = r.day * SECONDS_PER_DAY;
      break;
    case 'mwd': {
      const m1 = ((r.mon + 9) % 12) + 1;
      let yy0 = year;
      if (r.mon <= 2) yy0--;
      const yy1 = Math.trunc(yy0 / 100);
      const yy2 = yy0 % 100;
      let dow = (Math.trunc((26 * m1 - 2) / 10) + 1 + yy2 + Math.trunc(yy2 / 4) + Math.trunc(yy1 / 4) - 2 * yy1) % 7;
      if (dow < 0) dow += 7;
      let d = r.day - dow;
      if (d < 0) d += 7;
      for (let i = 1; i < r.week; i++) {
        if (d + 7 >= daysIn(r.mon, year)) break;
        d += 7;
      }
      d += daysBefore(r.mon);
      if (isLeap(year) && r.mon > 2) d++;
      s = d * SECONDS_PER_DAY;
    }
  }
  return s + r.time - off;
}

/** Go's tzset: the zone a POSIX TZ string gives for a Unix second. */
function tzset(input: string, lastTxSec: number, sec: number): ZoneSpan | undefined {
  const std = tzsetName(input);
  if (std === undefined) return undefined;
  const stdOff = tzsetOffset(std[1]);
  if (stdOff === undefined) return undefined;
  let stdName = std[0];
  let stdOffset = -stdOff[0];
  let s = stdOff[1];
  if (s === '' || s[0] === ',') return { name: stdName, offset: stdOffset, isDST: false, start: lastTxSec, end: OMEGA };
  const dst = tzsetName(s);
  if (dst === undefined) return undefined;
  let dstName = dst[0];
  let dstOffset: number;
  s = dst[1];
  if (s === '' || s[0] === ',') dstOffset = stdOffset + 3600;
  else {
    const off = tzsetOffset(s);
    if (off === undefined) return undefined;
    dstOffset = -off[0];
    s = off[1];
  }
  if (s === '') s = ',M3.2.0,M11.1.0';
  if (s[0] !== ',' && s[0] !== ';') return undefined;
  const startRule = tzsetRule(s.slice(1));
  if (startRule === undefined || startRule[1][0] !== ',') return undefined;
  const endRule = tzsetRule(startRule[1].slice(1));
  if (endRule === undefined || endRule[1] !== '') return undefined;

  const { year, yday } = yearYday(Math.floor(sec / SECONDS_PER_DAY));
  const ysec = (yday - 1) * SECONDS_PER_DAY + goMod(sec, SECONDS_PER_DAY);
  const ystart = sec - ysec;
  let startSec = tzruleTime(year, startRule[0], stdOffset);
  let endSec = tzruleTime(year, endRule[0], dstOffset);
  let dstIsDST = true;
  let stdIsDST = false;
  if (endSec < startSec) {
    [startSec, endSec] = [endSec, startSec];
    [stdName, dstName] = [dstName, stdName];
    [stdOffset, dstOffset] = [dstOffset, stdOffset];
    [stdIsDST, dstIsDST] = [dstIsDST, stdIsDST];
  }
  if (ysec < startSec) return { name: stdName, offset: stdOffset, isDST: stdIsDST, start: ystart, end: startSec + ystart };
  if (ysec >= endSec) return { name: stdName, offset: stdOffset, isDST: stdIsDST, start: endSec + ystart, end: ystart + 365 * SECONDS_PER_DAY };
  return { name: dstName, offset: dstOffset, isDST: dstIsDST, start: startSec + ystart, end: endSec + ystart };
}

/** Go's % on a positive divisor keeps the dividend's sign; the calendar needs a floor modulo
 *  for times before 1970, as Go's absolute-time arithmetic gives. */
function goMod(a: number, b: number): number {
  return ((a % b) + b) % b;
}

// ---------------------------------------------------------------------------------------------
// The proleptic Gregorian calendar on days since 1970-01-01 (exact for any day a Time can hold)

export interface CivilDate { year: number; month: number; day: number }

export function civilFromDays(days: number): CivilDate {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = month > 2 ? month - 3 : month + 9;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

export function yearYday(days: number): { year: number; yday: number } {
  const { year } = civilFromDays(days);
  return { year, yday: days - daysFromCivil(year, 1, 1) + 1 };
}
