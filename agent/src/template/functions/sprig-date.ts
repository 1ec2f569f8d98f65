// sprig's date functions that consul-template's hermetic map keeps: toDate, mustToDate,
// mustDateModify (also as must_date_modify), ago, unixEpoch and durationRound's time.Time case.
// date, dateInZone, dateModify, htmlDate* and now are non-hermetic: consul-template drops them.
import { GoError, GoInt } from '../values.ts';
import type { GoFunction, GoValue } from '../values.ts';
import { fn } from './define.ts';
import { goDuration, parseDurationOrError } from './gotime.ts';
import { UTC } from './gozone.ts';
import type { GoLocation } from './gozone.ts';
import { parseInLocation } from './timeformat.ts';
import { GoTime, addDuration, roundDuration, subTimes, zeroTime } from './timevalue.ts';

export interface DateEnvironment {
  now(): Date;
  /** time.Local (Go's: from TZ, else /etc/localtime) */
  local(): GoLocation;
}

const noErr = { returnsError: false };

/** A JavaScript Date as Go's time.Now() would hold it (to the millisecond), in Local. */
export function timeFromDate(date: Date, loc: GoLocation, local: GoLocation): GoTime {
  const ms = date.getTime();
  const sec = Math.floor(ms / 1000);
  return new GoTime(sec, (ms - sec * 1000) * 1_000_000, loc, local);
}

export function dateFunctions(environment: DateEnvironment): Map<string, GoFunction> {
  const m = new Map<string, GoFunction>();
  const parse = (layout: GoValue, value: GoValue): GoTime => {
    const local = environment.local();
    return parseInLocation(layout as string, value as string, local, local);
  };
  m.set('toDate', fn(['string', 'string'], (a) => {
    try {
      return parse(a[0], a[1]);
    } catch (error) {
      if (error instanceof GoError) return zeroTime(environment.local());
      throw error;
    }
  }, noErr));
  m.set('mustToDate', fn(['string', 'string'], (a) => parse(a[0], a[1])));
  const mustDateModify = fn(['string', 'time.Time'], (a) => {
    const d = parseDurationOrError(a[0] as string);
    if (typeof d === 'string') throw new GoError(d);
    return addDuration(a[1] as GoTime, d);
  });
  m.set('mustDateModify', mustDateModify);
  m.set('must_date_modify', mustDateModify);
  // ago: time.Since(t).Round(time.Second); a time.Time, an int64 or int of Unix seconds, else now
  m.set('ago', fn(['interface {}'], (a) => {
    const local = environment.local();
    const now = timeFromDate(environment.now(), local, local);
    const v = a[0];
    let t = now;
    if (v instanceof GoTime) t = v;
    else if (v instanceof GoInt && v.named === undefined && (v.kind === 'int64' || v.kind === 'int')) t = new GoTime(Number(v.value), 0, local, local);
    return goDuration(roundDuration(subTimes(now, t), 1_000_000_000n, true));
  }, noErr));
  m.set('unixEpoch', fn(['time.Time'], (a) => String((a[0] as GoTime).sec), noErr));
  return m;
}

/** durationRound's time.Time case: time.Since(t) */
export function sinceNanos(t: GoTime, now: Date): bigint {
  return subTimes(timeFromDate(now, UTC, t.local), t);
}
