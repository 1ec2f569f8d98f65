// consul-template's spew_sdump and spew_sprintf (go-spew's Sdump and Sprintf with its default
// configuration), judged by the oracle. Only deterministic cases live here: a dump of a pointer
// prints its address, and go-spew does not sort map keys, so maps of two or more entries and
// pointers under Sdump or %+v are checked structurally in test/template/spew.test.ts.
// Many rows are go-spew's own dump_test.go / format_test.go cases that template values can express.
import { cases } from '../case.ts';

const oneKey = '{"request_id":"r-1","lease_id":"","renewable":false,"lease_duration":60,"data":{"password":"s3cr3t"},"warnings":["careful"]}';
const noData = '{"request_id":"r-2","lease_id":"l","renewable":true,"lease_duration":0,"data":null,"warnings":null}';
const kv2 = '{"request_id":"r-3","data":{"data":{"port":5432},"metadata":null}}';
const withAuth = '{"request_id":"r-4","data":null,"auth":{"client_token":"t","accessor":"a","policies":["default"],"token_policies":null,"metadata":null,"lease_duration":5,"renewable":true}}';
const wrapped = '{"request_id":"","data":null,"wrap_info":{"token":"w","accessor":"wa","ttl":300,"creation_time":"2024-01-01T00:00:00Z","creation_path":"secret/x","wrapped_accessor":""}}';
const arrays = '{"request_id":"r-5","data":{"list":[1,2,3,4,5]},"warnings":["a","b","c"]}';
const secrets = { secrets: { 'secret/one': oneKey, 'secret/none': noData, 'secret/data/kv2': kv2, 'auth/token/x': withAuth, 'secret/wrapped': wrapped, 'secret/arrays': arrays } };

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

const spewCases = cases('spew', [
  // Sdump: one line per argument, type and length in parentheses
  ['sdump-int', '{{ spew_sdump 1 }}|{{ spew_sdump -1 }}|{{ spew_sdump 0 }}|{{ spew_sdump 9223372036854775807 }}'],
  ['sdump-float', '{{ spew_sdump 1.5 }}|{{ spew_sdump .f }}|{{ spew_sdump .z }}|{{ spew_sdump .big }}|{{ spew_sdump .tiny }}|{{ spew_sdump 1e21 }}', { data: { f: 1, z: 0, big: 1.7976931348623157e308, tiny: 5e-324 } }],
  ['sdump-float-special', '{{ spew_sdump (sprig_float64 "-0") (sprig_float64 "NaN") (sprig_float64 "+Inf") (sprig_float64 "-Inf") (sprig_float64 "1e-7") (sprig_float64 "123456789012345678") }}{{ spew_sprintf "%v %#v %v" (sprig_float64 "NaN") (sprig_float64 "-Inf") (sprig_float64 "-0") }}'],
  ['sdump-int-extremes', '{{ spew_sdump (sprig_int64 "-9223372036854775808") (sprig_int64 "9223372036854775807") -9223372036854775808 }}'],
  ['sdump-string-escapes', '{{ spew_sdump "\u2028\u00a0\ufeff\U0001F600\x1b[0m" }}{{ spew_sprintf "%v|%#v" "\u2028\x1b" "\u2028\x1b" }}'],
  ['sdump-bool', '{{ spew_sdump true }}{{ spew_sdump false }}'],
  ['sdump-complex', '{{ spew_sdump 1i }}|{{ spew_sdump 2.5i }}|{{ spew_sdump -1i }}'],
  ['sdump-string', '{{ spew_sdump "abc" }}|{{ spew_sdump "" }}|{{ spew_sdump "tab\\there \\"q\\" \\\\" }}|{{ spew_sdump "é日本" }}|{{ spew_sdump "\\x00\\x7f" }}'],
  ['sdump-string-invalid-utf8', '{{ spew_sdump ("/w==" | base64Decode) }}'],
  ['sdump-nil', '{{ spew_sdump nil }}|{{ spew_sdump .missing }}|{{ spew_sdump .n }}', { data: { n: null } }],
  ['sdump-none', '{{ spew_sdump }}|'],
  ['sdump-several', '{{ spew_sdump 1 "two" 3.5 nil true }}'],
  ['sdump-uint64', '{{ spew_sdump (sprig_semver "1.2.3").Major }}'],
  ['sdump-int64', '{{ spew_sdump (sprig_int64 42) }}|{{ spew_sdump (sprig_int 7) }}|{{ spew_sdump (sprig_float64 "2.5") }}'],
  ['sdump-map-one', '{{ spew_sdump .m }}', { data: { m: { a: 1 } } }],
  ['sdump-map-empty', '{{ spew_sdump .m }}|{{ spew_sdump sprig_dict }}', { data: { m: {} } }],
  ['sdump-map-nested', '{{ spew_sdump . }}', { data: { outer: { inner: { deepest: [true, null, 'x'] } } } }],
  ['sdump-map-null-value', '{{ spew_sdump . }}', { data: { k: null } }],
  ['sdump-map-string-string', '{{ spew_sdump (sprig_splitn "," 2 "only") }}'],
  ['sdump-slice', '{{ spew_sdump .l }}', { data: { l: [1, 'x', null, {}, [], [2]] } }],
  ['sdump-slice-empty', '{{ spew_sdump .l }}', { data: { l: [] } }],
  ['sdump-slice-strings', '{{ "a,b,c" | split "," | spew_sdump }}'],
  ['sdump-slice-one-string', '{{ "abc" | split "," | spew_sdump }}|{{ "" | split "," | spew_sdump }}'],
  ['sdump-sprig-list', '{{ spew_sdump (sprig_list 1 "a" nil) }}|{{ spew_sdump sprig_list }}'],
  ['sdump-sprig-until', '{{ spew_sdump (sprig_until 3) }}'],
  ['sdump-sprig-splitList', '{{ spew_sdump (sprig_splitList "," "a,b") }}'],
  ['sdump-nested-slices', '{{ spew_sdump .l }}', { data: { l: [[[1]], [[], ['a', 'b']]] } }],
  // a decoded JSON array's capacity follows Go's append growth
  ...[0, 1, 2, 3, 4, 5, 7, 8, 9, 17, 32, 33, 64, 71, 72, 100, 255, 256, 257, 300, 512, 1000, 2049].map((n) => [
    `sdump-cap-${n}`, '{{ with .l }}{{ spew_sdump . | sprig_splitList "\\n" | sprig_first }}{{ end }}|{{ spew_sdump (sprig_list 1 2 3) | sprig_splitList "\\n" | sprig_first }}', { data: { l: range(n) } },
  ] as const),
  // the capacity sprig's list functions, regexp and text/template's slice leave
  ...([
    'sprig_append .l 9', 'sprig_prepend .l 9', 'sprig_mustPush .l 9', 'sprig_concat .l .l', 'sprig_uniq .l', 'sprig_without .l 1', 'sprig_sortAlpha .l',
    'sprig_sortAlpha (split "," "b,a")', 'sprig_toStrings .l', 'sprig_toStrings 5', 'sprig_slice .l 1', 'sprig_slice .l 1 3', 'sprig_regexFindAll "a" "aaa" -1',
    'sprig_regexFindAll "a" "aaaaaaaaaaaaa" -1', 'sprig_regexFindAll "z" "aaa" -1', 'sprig_deepCopy .l', 'sprig_append (sprig_list) 1',
    'sprig_append (sprig_until 17 | sprig_toStrings) "x"', 'sprig_prepend (sprig_until 17 | sprig_toStrings) "x"',
  ] as const).map((call, i) => [`sdump-list-cap-${i}`, `{{ spew_sdump (${call}) }}{{ printf "%#v" (${call}) }}`, { data: { l: [1, 2, 3, 'x', null] } }] as const),
  // slice reaches up to cap(), where the backing array holds zero values
  ['slice-up-to-cap', '{{ spew_sdump (slice .l 1) (slice .l 1 2) (slice .l 0 8) (slice .l 1 2 3) }}{{ slice .l 2 7 }}', { data: { l: [1, 2, 3, 4, 5] } }],
  ['slice-beyond-cap', '{{ slice .l 0 9 }}', { data: { l: [1, 2, 3, 4, 5] } }],
  ['slice-start-beyond-len', '{{ slice .l 6 }}', { data: { l: [1, 2, 3, 4, 5] } }],
  ['sdump-secrets-list-cap', '{{ spew_sdump (secrets "secret/list") }}', { secrets: { 'secret/list': '{"data":{"keys":["a","b","c"]}}' } }],
  ['sdump-parseJSON', '{{ spew_sdump (parseJSON "[1,2,3]") }}{{ spew_sdump (parseJSON "{\\"a\\":[\\"x\\"]}") }}'],
  ['sdump-json-number', '{{ with secret "secret/data/kv2" }}{{ spew_sdump .Data.data }}{{ spew_sdump .Data.data.port }}{{ end }}', secrets],
  ['sdump-secret-data', '{{ with secret "secret/one" }}{{ spew_sdump .Data .Warnings .LeaseDuration .Renewable .RequestID .LeaseID }}{{ end }}', secrets],
  ['sdump-secret-nil-fields', '{{ with secret "secret/none" }}{{ spew_sdump .Data .Warnings .Auth .WrapInfo }}{{ end }}', secrets],
  ['sdump-secret-arrays', '{{ with secret "secret/arrays" }}{{ spew_sdump .Data.list .Warnings }}{{ end }}', secrets],
  ['sdump-secret-missing', '{{ spew_sdump (secret "secret/not-recorded") }}', secrets],
  ['sdump-secrets-list', '{{ spew_sdump (secrets "secret/not-recorded") }}', secrets],
  ['sdump-semver-value', '{{ spew_sdump (sprig_semver "1.2.3").IncMajor }}|{{ spew_sdump (sprig_semver "v1.2.3-beta+b").IncPatch }}'],
  ['sdump-semver-fields', '{{ $v := sprig_semver "v1.2.3-rc.1+m" }}{{ spew_sdump $v.Prerelease $v.Metadata $v.Original $v.Minor }}'],
  ['sdump-in-range', '{{ range .l }}{{ spew_sdump . }}{{ end }}', { data: { l: ['a', 2, false] } }],
  ['sdump-timestamp-like', '{{ "2024-01-02" | spew_sdump }}'],
  ['sdump-wrong-args', '{{ spew_sdump | spew_sdump }}'],

  // Sprintf: %v compact, %+v adds addresses, %#v adds types; other verbs go to fmt
  ['sprintf-v-scalars', '{{ spew_sprintf "%v %v %v %v %v %v" 1 1.5 "s" true nil 2i }}'],
  ['sprintf-sharp-v-scalars', '{{ spew_sprintf "%#v %#v %#v %#v %#v %#v" 1 1.5 "s" true nil 2i }}'],
  ['sprintf-plus-v-scalars', '{{ spew_sprintf "%+v %+v %+v %#+v" 1 "s" nil nil }}'],
  ['sprintf-v-map', '{{ spew_sprintf "%v|%#v|%+v" .m .m .m }}', { data: { m: { a: [1, 'x', null, { b: true }] } } }],
  ['sprintf-v-empty', '{{ spew_sprintf "%v %#v %v %#v" .m .m .l .l }}', { data: { m: {}, l: [] } }],
  ['sprintf-v-strings', '{{ spew_sprintf "%v %#v" (split "," "a,b") (split "," "a,b") }}'],
  ['sprintf-v-nil-slices', '{{ with secret "secret/none" }}{{ spew_sprintf "%v %#v %v %#v" .Warnings .Warnings .Data .Data }}{{ end }}', secrets],
  ['sprintf-v-secret', '{{ with secret "secret/one" }}{{ spew_sprintf "%v|%#v" . . }}{{ end }}', secrets],
  ['sprintf-v-secret-auth', '{{ with secret "auth/token/x" }}{{ spew_sprintf "%v|%#v" . .Auth }}{{ end }}', secrets],
  ['sprintf-v-json-number', '{{ with secret "secret/data/kv2" }}{{ spew_sprintf "%v %#v %d %s %q" .Data.data.port .Data.data.port .Data.data.port .Data.data.port .Data.data.port }}{{ end }}', secrets],
  ['sprintf-v-semver', '{{ spew_sprintf "%v %#v %s" (sprig_semver "1.2.3") (sprig_semver "1.2.3") (sprig_semver "1.2.3") }}|{{ spew_sprintf "%v %#v" (sprig_semver "1.2.3").IncMajor (sprig_semver "1.2.3").IncMajor }}'],
  ['sprintf-v-missing-secret', '{{ spew_sprintf "%v %#v" (secret "secret/not-recorded") (secret "secret/not-recorded") }}', secrets],
  ['sprintf-other-verbs', '{{ spew_sprintf "%d|%5d|%-5d|%05d|%x|%X|%o|%b|%e|%.2f|%8.3f|%q|%s|%t|%c|%U" 42 42 42 42 255 255 8 5 1234.5678 3.14159 2.5 "q" "s" true 65 65 }}'],
  ['sprintf-other-verbs-composite', '{{ spew_sprintf "%d %s %q %x" .l .l .m .m }}', { data: { l: [1, 'a'], m: { k: 'v' } } }],
  ['sprintf-bad-verb', '{{ spew_sprintf "%d %s %z" "s" 1 2 }}'],
  ['sprintf-T', '{{ spew_sprintf "%T %T %10T|" 1 "s" nil }}'],
  ['sprintf-missing', '{{ spew_sprintf "%v %v %d" 1 }}'],
  ['sprintf-extra', '{{ spew_sprintf "%v" 1 "two" nil }}|{{ spew_sprintf "" 1 }}|{{ spew_sprintf "x" }}'],
  ['sprintf-star-width', '{{ spew_sprintf "%*d|%.*f|%-*d" 5 2 1 3.14159 4 7 }}'],
  ['sprintf-index', '{{ spew_sprintf "%[2]v %[1]v %[3]v %[1]d" 1 "b" }}'],
  ['sprintf-width-ignored-by-v', '{{ spew_sprintf "[%10v][%-10v][%010v][%.1v]" "ab" 1 2.5 "xyz" }}'],
  ['sprintf-percent', '{{ spew_sprintf "100%% %v%%" 5 }}|{{ spew_sprintf "%" }}|{{ spew_sprintf "%!" }}'],
  ['sprintf-space-flag', '{{ spew_sprintf "% d|% v|%+d|%#x|%#o" 5 5 5 255 8 }}'],
  ['sprintf-no-format', '{{ spew_sprintf }}'],
  ['sprintf-format-not-string', '{{ spew_sprintf 1 }}'],
  ['sprintf-nested', '{{ spew_sprintf "%v" . }}|{{ spew_sprintf "%#v" . }}', { data: { a: { b: { c: [[]] } } } }],
  ['sprintf-nulls', '{{ spew_sprintf "%v %#v" .l .l }}', { data: { l: [null, [null], { n: null }] } }],
  ['sprintf-string-special', '{{ spew_sprintf "%v|%#v|%q" "a\\"b\\n" "a\\"b\\n" "a\\"b\\n" }}'],
  ['sprintf-list-types', '{{ spew_sprintf "%#v %#v" (sprig_list 1 "a" nil 1.5) (sprig_until 2) }}'],
  ['sprintf-uint', '{{ spew_sprintf "%v %#v %x" (sprig_semver "1.2.3").Major (sprig_semver "1.2.3").Major (sprig_semver "1.2.3").Major }}'],
]);

// writeToFile: its argument rules and error texts (the oracle writes the same paths; our corpus
// harness's secrets volume is /tmp/vault-injector-corpus-writes). What the files hold is compared
// in test/template/write-to-file.test.ts.
const W = '/tmp/vault-injector-corpus-writes';
export const writeToFileCases = cases('spew', [
  ['writeToFile-ok', `{{ "hello" | writeToFile "${W}/a.txt" "" "" "0644" }}|{{ writeToFile "${W}/a.txt" "" "" "0600" "flags-ignored" "x" "content" | printf "%q" }}`],
  ['writeToFile-flags', `{{ "1" | writeToFile "${W}/b.txt" "" "" "0644" "newline" }}{{ "2" | writeToFile "${W}/b.txt" "" "" "0644" "append,newline" }}{{ "3" | writeToFile "${W}/b.txt" "" "" "0644" "newline,append" }}done`],
  ['writeToFile-mkdir', `{{ "deep" | writeToFile "${W}/d1/d2/d3/c.txt" "" "" "0640" }}ok`],
  ['writeToFile-is-directory', `{{ "x" | writeToFile "${W}/dir1/f" "" "" "0644" }}{{ "y" | writeToFile "${W}/dir1" "" "" "0644" }}`],
  ['writeToFile-append-no-dir', `{{ "x" | writeToFile "${W}/no-such-dir/f" "" "" "0644" "append" }}`],
  ['writeToFile-no-content', `{{ writeToFile "${W}/e" "" "" "0644" }}`],
  ['writeToFile-too-few', `{{ writeToFile "${W}/e" "" "" }}`],
  ...['abc', '0648', '', '777777777777', '00000000644', '+644', '0o644', '6_44', '-1', ' 644', '٣'].map((perm, i) => [
    `writeToFile-perm-${i}`, `{{ "x" | writeToFile "${W}/perm-${i}" "" "" ${JSON.stringify(perm)} }}ok`,
  ] as const),
  ['writeToFile-perm-high-bits', `{{ "x" | writeToFile "${W}/perm-high" "" "" "4755" }}{{ "x" | writeToFile "${W}/perm-sticky" "" "" "4000644" }}ok`],
  ['writeToFile-unknown-user', `{{ "x" | writeToFile "${W}/u" "no-such-user-vi" "" "0644" }}`],
  ['writeToFile-unknown-group', `{{ "x" | writeToFile "${W}/g" "" "no-such-group-vi" "0644" }}`],
  ['writeToFile-non-string', `{{ 1 | writeToFile "${W}/n" "" "" "0644" }}`],
  ['writeToFile-non-string-path', `{{ "x" | writeToFile 5 "" "" "0644" }}`],
  ['writeToFile-nil-content', `{{ nil | writeToFile "${W}/nil" "" "" "0644" }}`],
  ['writeToFile-secret-value', `{{ with secret "secret/one" }}{{ .Data.password | writeToFile "${W}/secret.txt" "" "" "0600" }}{{ end }}ok`, secrets],
  ['writeToFile-json-number', `{{ with secret "secret/data/kv2" }}{{ .Data.data.port | writeToFile "${W}/port" "" "" "0600" }}{{ end }}`, secrets],
  ['writeToFile-missing-secret', `{{ with secret "secret/not-recorded" }}{{ .Data.password | writeToFile "${W}/never" "" "" "0600" }}{{ end }}ok`, secrets],
]);

export default [...spewCases, ...writeToFileCases];
