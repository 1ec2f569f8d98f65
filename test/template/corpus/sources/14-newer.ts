// What the new oracle (Go 1.26, consul-template v0.41.1, sprig v3.3.0) brought: Go's newer
// grammar, and the functions implemented against it, as regression cases judged by the oracle.
import { cases } from '../case.ts';

const maps = { data: { s: { a: { b: 1, c: '' }, l: [1], e: [], z: 0, n: null }, o: { a: { b: 2, d: 3 }, l: [2, 3], e: [9], z: 5, n: 7 } } };
const durations = ['1h30m', '-1.5h', '90s', '1.000000001s', '2562047h47m16.854775807s', '2562047h47m16.854775808s', '.5m', '1e3s', '5d', '3000h',
  '1us', '1µs', '+0', '0.0000000001s', '1.5', '1.9999999999999999999s', '100000h', '8760h1s', '720h1ns', '-9223372036854775808ns'];

export default cases('newer', [
  // Go 1.18: break and continue; Go 1.22: range over an integer; Go 1.23: else with
  ['range-int', '{{ range 3 }}{{ . }}{{ end }}|{{ range $i := 4 }}{{ $i }}{{ end }}|{{ range 0 }}x{{ else }}none{{ end }}'],
  ['range-int-negative', '{{ range -2 }}x{{ else }}none{{ end }}'],
  ['range-int-two-vars', '{{ range $i, $j := 3 }}{{ $i }}{{ end }}'],
  ['range-float', '{{ range 2.5 }}x{{ end }}'],
  ['range-int-data', '{{ range .n }}{{ . }},{{ end }}', { data: { n: 3 } }],
  ['range-json-number', '{{ with secret "s" }}{{ range .Data.n }}{{ . }}{{ end }}{{ end }}', { secrets: { s: '{"data":{"n":3}}' } }],
  ['range-json-number-int64', '{{ with secret "s" }}{{ range .Data.n.Int64 }}{{ . }}{{ end }}{{ end }}', { secrets: { s: '{"data":{"n":3}}' } }],
  ['break', '{{ range .l }}{{ if eq . "c" }}{{ break }}{{ end }}{{ . }}{{ end }}', { data: { l: ['a', 'b', 'c', 'd'] } }],
  ['continue', '{{ range .l }}{{ if eq . "b" }}{{ continue }}{{ end }}{{ . }}{{ end }}', { data: { l: ['a', 'b', 'c'] } }],
  ['break-outside-range', '{{ break }}'],
  ['continue-in-with', '{{ range 2 }}{{ with true }}{{ continue }}{{ end }}x{{ end }}'],
  ['else-with', '{{ with .a }}a{{ else with .b }}b={{ . }}{{ else }}none{{ end }}', { data: { b: 'B' } }],
  ['else-with-chain', '{{ if .a }}a{{ else with .b }}b{{ else if .c }}c{{ else }}d{{ end }}', { data: { c: true } }],
  ['stray-paren', '{{ 1) }}'],
  ['eq-types-named', '{{ eq .s 1 }}', { data: { s: 'x' } }],
  ['lt-types-named', '{{ lt 1.5 2 }}'],
  ['call-names-callee', '{{ call .f }}', { data: { f: 'x' } }],
  // consul-template's own helpers implemented against the oracle
  ['mergeMap', '{{ mergeMap .o .s | toJSON }}', maps],
  ['mergeMapWithOverride', '{{ mergeMapWithOverride .o .s | toJSON }}', maps],
  ['mergeMap-mutates-dst', '{{ $x := mergeMap .o.a .s.a }}{{ .o.a | toJSON }}', maps],
  ['mergeMap-nil-option', '{{ mergeMap .o .s nil }}', maps],
  ['sprig-merge-mergo', '{{ sprig_merge .o .s | toJSON }}|{{ sprig_mergeOverwrite (sprig_dict) .s | toJSON }}', maps],
  ['explodeMap', '{{ explodeMap (parseJSON "{\\"a/b\\":1,\\"a/c/d\\":2,\\"e\\":3,\\"f/\\":4}") | toJSON }}'],
  ['explodeMap-conflict', '{{ explodeMap (parseJSON "{\\"a\\":1,\\"a/b\\":2}") }}'],
  ['durationRound', `{{ range . }}{{ sprig_durationRound . }},{{ end }}`, { data: durations }],
  ['sha512sum', '{{ sprig_sha512sum "abc" }}'],
  ['toTitle-xtext', '{{ toTitle "x:y quote\'s straße ǆa 1a o\'\'neil a.b a..b ﬁx" }}'],
  ['toUpper-unicode15', '{{ toUpper "ƛ ɤ ᾀ ß" }}|{{ toLower "İ Ᲊ" }}'],
  ['camelcase-v3', '{{ sprig_camelcase "http_server-id" }}|{{ sprig_camelcase "userID" }}'],
  ['hermetic-sprig', '{{ sprig_now }}'],
  ['slice-v3', '{{ sprig_slice (sprig_list 1 2 3) 1 }}|{{ printf "%T" (sprig_slice (split "," "a,b,c") 1 2) }}|{{ sprig_slice (sprig_list) }}'],
  ['slice-v3-error', '{{ sprig_mustSlice "abc" 1 }}'],
  ['chunk', '{{ sprig_chunk 2 (sprig_list 1 2 3 4 5) }}|{{ sprig_mustChunk 3 (sprig_list) }}'],
  ['dig-assertions', '{{ sprig_dig "a" 1 "x" (sprig_dict "a" "str") }}'],
  ['loop-json-number', '{{ with secret "s" }}{{ range loop .Data.n }}{{ . }}{{ end }}{{ end }}', { secrets: { s: '{"data":{"n":3}}' } }],
  ['loop-print', '{{ loop 2 }}'],
  ['in-types', '{{ in "abc" "b" }} {{ in (split "," "a,b") "b" }} {{ in (sprig_list 1 2) 2 }}', {}],
  ['secret-url-error', '{{ secret "a\\nb" }}'],
  ['secret-empty-path', '{{ secret "/" }}'],
  ['secrets-nil', '{{ printf "%#v" (secrets "secret/none") }}'],
  ['secret-empty-data', '{{ with secret "s" }}{{ .Data | toJSON }} {{ printf "%#v" .Warnings }}{{ end }}', { secrets: { s: '{"data":{},"warnings":[]}' } }],
]);
