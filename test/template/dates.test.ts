// The clock-bound date functions (sprig_ago, sprig_durationRound of a time, consul-template's
// timestamp) cannot be compared byte for byte with the oracle: checked here with a fixed clock
// (sprig's own date_test.go cases) and against the oracle with a tolerance of the seconds that
// pass between the two runs. Also how time.Local follows TZ, as Go's initLocal does.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { executeTemplate, parseTemplate } from '../../agent/src/template/index.ts';
import { templateFunctions } from '../../agent/src/template/functions/index.ts';
import { UTC, fixedZone, loadLocation, localLocation, processLocalLocation } from '../../agent/src/template/functions/gozone.ts';
import type { GoLocation } from '../../agent/src/template/functions/gozone.ts';
import { parseGoDuration } from '../../agent/src/template/functions/gotime.ts';
import { runOracle } from '../oracle/oracle.ts';

const nothing = { read: () => undefined, write: () => undefined, list: () => undefined };

function render(template: string, options: { now?: () => Date; local?: GoLocation; data?: unknown } = {}): string {
  const functions = templateFunctions({
    secrets: nothing, env: () => undefined, readFile: () => '', now: options.now ?? (() => new Date()),
    local: options.local ?? localLocation('UTC'),
  });
  return executeTemplate(parseTemplate(template, functions, { name: 't' }), undefined, { missingKey: 'default' });
}

/** a fixed clock: 2024-07-01T12:00:00.250Z */
const fixed = (): Date => new Date(Date.UTC(2024, 6, 1, 12, 0, 0, 250));

describe('sprig_ago', () => {
  it("gives sprig's own test results for a time 125 s, 2h34m17s and -5 s away", () => {
    // date_test.go's TestAgo, with the times made by the template from the fixed clock
    const at = (offset: string): string => `{{ sprig_ago (sprig_mustDateModify ${JSON.stringify(offset)} (sprig_mustToDate "2006-01-02T15:04:05.000Z07:00" "2024-07-01T12:00:00.250Z")) }}`;
    assert.equal(render(at('-125s'), { now: fixed }), '2m5s');
    assert.equal(render(at('-9257s'), { now: fixed }), '2h34m17s');
    assert.equal(render(at('5s'), { now: fixed }), '-5s');
  });

  it('rounds to the second, half away from zero, as Duration.Round does', () => {
    const t = '(sprig_mustToDate "2006-01-02T15:04:05Z07:00" "2024-07-01T12:00:00Z")';
    assert.equal(render(`{{ sprig_ago ${t} }}`, { now: () => new Date(Date.UTC(2024, 6, 1, 12, 0, 0, 499)) }), '0s');
    assert.equal(render(`{{ sprig_ago ${t} }}`, { now: () => new Date(Date.UTC(2024, 6, 1, 12, 0, 0, 500)) }), '1s');
    assert.equal(render(`{{ sprig_ago ${t} }}`, { now: () => new Date(Date.UTC(2024, 6, 1, 11, 59, 59, 500)) }), '-1s');
  });

  it('takes an int64 or int of Unix seconds, and anything else as now', () => {
    assert.equal(render('{{ sprig_ago 1719835200 }}', { now: fixed }), '0s');
    assert.equal(render('{{ sprig_ago (sprig_int64 1719831600) }}', { now: fixed }), '1h0m0s');
    // int32 and *time.Time are not in ago's switch: time.Now()
    assert.equal(render('{{ sprig_ago "2020" }} {{ sprig_ago nil }} {{ sprig_ago 1.5 }}', { now: fixed }), '0s 0s 0s');
  });

  it('agrees with the oracle on a time far in the past (within the seconds between the runs)', () => {
    const template = '{{ sprig_ago (sprig_toDate "2006-01-02" "2000-01-01") }}|{{ sprig_ago 946684800 }}|{{ sprig_ago (sprig_toDate "2006-01-02" "2999-01-01") }}';
    const [go] = runOracle([{ name: 'ago', template, tz: 'UTC' }]);
    const ours = render(template);
    assert.ok(go?.ok, go?.error);
    const goParts = (go.output ?? '').split('|');
    const ourParts = ours.split('|');
    goParts.forEach((text, i) => {
      const a = parseGoDuration(text);
      const b = parseGoDuration(ourParts[i]!);
      assert.ok(a !== undefined && b !== undefined, `${text} / ${ourParts[i]}`);
      const diff = a > b ? a - b : b - a;
      assert.ok(diff <= 5_000_000_000n, `oracle ${text}, ours ${ourParts[i]}`);
    });
  });
});

describe('sprig_durationRound of a time.Time (time.Since)', () => {
  it('rounds down to the largest unit with a fixed clock', () => {
    assert.equal(render('{{ sprig_durationRound (sprig_toDate "2006-01-02" "2024-06-30") }}', { now: fixed }), '1d');
    assert.equal(render('{{ sprig_durationRound (sprig_toDate "2006-01-02" "1900-01-01") }}', { now: fixed }), '124y');
    assert.equal(render('{{ sprig_durationRound (sprig_toDate "2006-01-02" "2099-01-01") }}', { now: fixed }), '74y');
  });

  it('agrees with the oracle for times years away', () => {
    const template = '{{ sprig_durationRound (sprig_toDate "2006" "1900") }} {{ sprig_durationRound (sprig_toDate "2006" "2999") }}';
    const [go] = runOracle([{ name: 'durationRound', template, tz: 'UTC' }]);
    assert.deepEqual({ ok: go?.ok, output: go?.output }, { ok: true, output: render(template) });
  });
});

describe("consul-template's timestamp", () => {
  it('formats the clock in UTC with every layout element', () => {
    const now = (): Date => new Date(Date.UTC(2024, 1, 29, 13, 4, 5, 678));
    assert.equal(render('{{ timestamp }}', { now }), '2024-02-29T13:04:05Z');
    assert.equal(render('{{ timestamp "unix" }}', { now }), '1709211845');
    assert.equal(render('{{ timestamp "Mon Monday Jan January 1 01 2 _2 02 __2 002 15 3 03 4 04 5 05 06 2006 PM pm MST Z07:00 -0700 .000 ,999999 .9" }}', { now }),
      'Thu Thursday Feb February 2 02 29 29 29  60 060 13 1 01 4 04 5 05 24 2024 PM pm UTC Z +0000 .678 ,678 .6');
  });

  it('agrees with the oracle (to the minute, retried once across a minute boundary)', () => {
    const template = '{{ timestamp "2006-01-02 15:04 MST Z07:00 -07:00:00 Monday __2" }}|{{ timestamp "unix" }}';
    for (let attempt = 0; ; attempt++) {
      const [go] = runOracle([{ name: 'timestamp', template, tz: 'America/New_York' }]);
      const ours = render(template, { local: localLocation('America/New_York') }).split('|');
      const theirs = (go?.output ?? '').split('|');
      if (theirs[0] !== ours[0] && attempt === 0) continue;
      assert.equal(ours[0], theirs[0]);
      assert.ok(Math.abs(Number(ours[1]) - Number(theirs[1])) <= 5, `${ours[1]} / ${theirs[1]}`);
      return;
    }
  });
});

describe('time.Local follows TZ as Go reads it', () => {
  it('unset: /etc/localtime, named Local', () => {
    assert.equal(localLocation(undefined).name, 'Local');
    assert.ok(localLocation(undefined).isLocal);
  });

  it('empty, UTC or unknown: UTC with no zones', () => {
    for (const tz of ['', 'UTC', 'No/Such_Zone', ':']) {
      const loc = localLocation(tz);
      assert.equal(loc.name, 'UTC', tz);
      assert.equal(loc.zones.length, 0, tz);
      assert.notEqual(loc, UTC, 'Local is never the UTC location itself');
    }
  });

  it('a zone name, with or without a colon, or an absolute file', () => {
    assert.equal(localLocation('Europe/Berlin').name, 'Europe/Berlin');
    assert.equal(localLocation(':Europe/Berlin').name, 'Europe/Berlin');
    assert.equal(localLocation('/usr/share/zoneinfo/Europe/Berlin').name, '/usr/share/zoneinfo/Europe/Berlin');
    assert.equal(localLocation('/etc/localtime').name, 'Local');
    const summer = localLocation('Europe/Berlin').lookup(Date.UTC(2024, 6, 1) / 1000);
    assert.deepEqual({ name: summer.name, offset: summer.offset, isDST: summer.isDST }, { name: 'CEST', offset: 7200, isDST: true });
  });

  it('the function map takes the process zone when none is given', () => {
    const functions = templateFunctions({ secrets: nothing, env: () => undefined, readFile: () => '', now: fixed });
    const out = executeTemplate(parseTemplate('{{ (sprig_toDate "2006" "2024").Location }}', functions, { name: 't' }), undefined, { missingKey: 'default' });
    assert.equal(out, processLocalLocation().name);
  });

  it("LoadLocation's refusals and FixedZone's shared hour zones", () => {
    assert.equal(loadLocation('../etc/passwd', UTC), undefined);
    assert.equal(loadLocation('/etc/localtime', UTC), undefined);
    assert.equal(loadLocation('', UTC), UTC);
    assert.equal(fixedZone('', 3600), fixedZone('', 3600));
    assert.notEqual(fixedZone('', 1800), fixedZone('', 1800));
    assert.notEqual(fixedZone('X', 3600), fixedZone('X', 3600));
  });
});
