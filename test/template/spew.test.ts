// spew_sdump and spew_sprintf where Go's output is not deterministic: pointer addresses (where the
// heap put them) and maps of two or more entries (go-spew does not sort keys, and Go's map order
// is random). We print sorted keys and addresses handed out in order of first sight; here both
// sides are brought to one form (addresses numbered by first appearance, map entries sorted) and
// compared with the oracle. Deterministic cases are in corpus/sources/18-spew.ts.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runOracle } from '../oracle/oracle.ts';
import type { CaseSource } from './corpus/case.ts';
import { runCase } from './corpus/load.ts';
import { appendedCap, INT_LAYOUT } from '../../agent/src/template/values.ts';
import { normalise } from './spew-normalise.ts';

const kv2 = '{"request_id":"r-1","lease_id":"","renewable":false,"lease_duration":0,"data":{"data":{"username":"app","password":"s3cr3t","port":5432,"tags":["a","b"],"nested":{"k":"v","n":null}},"metadata":{"version":2,"destroyed":false}},"warnings":null}';
const one = '{"request_id":"r-2","lease_id":"","renewable":true,"lease_duration":60,"data":{"password":"s3cr3t"},"warnings":["w"]}';
const auth = '{"request_id":"r-3","data":null,"auth":{"client_token":"t","accessor":"a","policies":["default","x"],"token_policies":null,"metadata":{"role":"r"},"lease_duration":5,"renewable":true}}';
const wrapped = '{"request_id":"r-5","data":null,"wrap_info":{"token":"w","accessor":"wa","ttl":300,"creation_time":"2024-01-01T10:20:30.5+02:00","creation_path":"secret/x","wrapped_accessor":"wx"}}';
const secrets = { 'secret/data/app': kv2, 'secret/one': one, 'auth/token/x': auth, 'sys/wrapping/wrap': wrapped };

interface Row { name: string; template: string; data?: unknown; maps?: boolean }

const rows: Row[] = [
  // pointers: only the addresses differ
  { name: 'sdump-secret', template: '{{ spew_sdump (secret "secret/one") }}' },
  { name: 'sdump-secret-auth', template: '{{ spew_sdump (secret "auth/token/x") }}' },
  // WrapInfo.CreationTime is a time.Time: go-spew calls its String method
  { name: 'sdump-secret-wrap-info', template: '{{ spew_sdump (secret "sys/wrapping/wrap") }}{{ spew_sprintf "%v|%+v" (secret "sys/wrapping/wrap").WrapInfo (secret "sys/wrapping/wrap").WrapInfo.CreationTime }}' },
  { name: 'sdump-same-secret-twice', template: '{{ $s := secret "secret/one" }}{{ spew_sdump $s $s }}{{ spew_sdump (sprig_list $s $s) }}' },
  { name: 'sdump-two-secrets', template: '{{ spew_sdump (sprig_list (secret "secret/one") (secret "auth/token/x") (secret "secret/one")) }}' },
  { name: 'sdump-semver', template: '{{ spew_sdump (sprig_semver "1.2.3") (sprig_list (sprig_semver "v2.0.0-rc.1")) }}' },
  { name: 'sdump-missing-secret-in-list', template: '{{ spew_sdump (sprig_list (secret "secret/none") (secret "secret/one")) }}' },
  { name: 'sprintf-plus-secret', template: '{{ $s := secret "secret/one" }}{{ spew_sprintf "%+v|%#+v|%+v" $s $s (sprig_list $s $s) }}' },
  { name: 'sprintf-plus-semver', template: '{{ spew_sprintf "%+v %#+v" (sprig_semver "1.2.3") (sprig_semver "1.2.3") }}' },
  { name: 'sprintf-p', template: '{{ spew_sprintf "%p|%p" 1 "x" }}', maps: true },
  // cycles through a pointer: the second sight is <already shown> / <shown>
  { name: 'sdump-cycle', template: '{{ $s := secret "secret/one" }}{{ $_ := sprig_set $s.Data "self" $s }}{{ spew_sdump $s }}', maps: true },
  { name: 'sprintf-cycle', template: '{{ $s := secret "secret/one" }}{{ $_ := sprig_set $s.Data "self" $s }}{{ spew_sprintf "%v|%+v|%#v|%#+v" $s $s $s $s }}', maps: true },
  // maps of several entries: Go's order is random
  { name: 'sdump-kv2', template: '{{ spew_sdump (secret "secret/data/app") }}', maps: true },
  { name: 'sdump-kv2-data', template: '{{ with secret "secret/data/app" }}{{ spew_sdump .Data.data .Data }}{{ end }}', maps: true },
  { name: 'sdump-dict', template: '{{ spew_sdump (sprig_dict "b" 1 "a" (sprig_dict "y" nil "x" (sprig_list 1 2)) "c" "s") }}', maps: true },
  { name: 'sdump-data', template: '{{ spew_sdump . }}', data: { z: 1, a: [{ k: 'v', j: [] }], m: { q: null, p: {} } }, maps: true },
  { name: 'sprintf-maps', template: '{{ spew_sprintf "%v|%#v|%+v" . . (secret "secret/data/app") }}', data: { z: 1, a: [{ k: 'v', j: [] }], m: { q: null, p: {} } }, maps: true },
  { name: 'sprintf-kv2', template: '{{ with secret "secret/data/app" }}{{ spew_sprintf "%v|%#v" . .Data }}{{ end }}', maps: true },
];

describe('spew_sdump and spew_sprintf against the oracle, addresses and map order aside', () => {
  const cases: CaseSource[] = rows.map((row) => ({ name: `spew-structural/${row.name}`, template: row.template, secrets, ...(row.data === undefined ? {} : { data: row.data }) }));
  const results = runOracle(cases);
  rows.forEach((row, i) => {
    it(row.name, () => {
      const go = results[i]!;
      const ours = runCase(cases[i]!);
      assert.equal(ours.ok, go.ok, `${row.name}: ${ours.error ?? ''} / ${go.error ?? ''}`);
      assert.equal(normalise(ours.output, row.maps === true), normalise(go.output ?? '', row.maps === true));
    });
  });

  it('the normalising is not vacuous: a changed value, key or identity still differs', () => {
    assert.notEqual(normalise('(a) 0xc000010000 0xc000010000', false), normalise('(a) 0xc000010000 0xc000010100', false));
    assert.equal(normalise('map[b:1 a:2]', true), normalise('map[a:2 b:1]', true));
    assert.notEqual(normalise('map[b:1 a:2]', true), normalise('map[a:1 b:2]', true));
    const dump = (first: string, second: string): string => `(map[string]interface {}) (len=2) {\n ${first},\n ${second}\n}\n`;
    assert.equal(normalise(dump('(string) (len=1) "a": (float64) 1', '(string) (len=1) "b": (float64) 2'), true), normalise(dump('(string) (len=1) "b": (float64) 2', '(string) (len=1) "a": (float64) 1'), true));
    assert.notEqual(normalise(dump('(string) (len=1) "a": (float64) 1', '(string) (len=1) "b": (float64) 2'), true), normalise(dump('(string) (len=1) "a": (float64) 2', '(string) (len=1) "b": (float64) 1'), true));
  });
});

describe('appendedCap (Go append growth, as spew prints cap=)', () => {
  it('follows the runtime for 16-byte pointer elements and 8-byte ints', () => {
    const table: Array<[number, number]> = [[0, 0], [1, 1], [2, 2], [3, 4], [5, 8], [9, 16], [17, 32], [33, 71], [72, 143]];
    for (const [len, cap] of table) assert.equal(appendedCap(len), cap, `len ${len}`);
    assert.deepEqual([1, 2, 3, 5, 9].map((n) => appendedCap(n, INT_LAYOUT)), [1, 2, 4, 8, 16]);
  });
});
