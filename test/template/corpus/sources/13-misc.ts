import { cases } from '../case.ts';

export default cases('misc', [
  ['whitespace-layout', '{{- /* header */ -}}\n{{ range $i, $e := .l -}}\n{{ if $i }}, {{ end }}{{ $e }}\n{{- end }}\n', { data: { l: ['a', 'b', 'c'] } }],
  ['nested-defines-with-vars', '{{define "row"}}{{.k}}={{.v}}{{end}}{{range $k, $v := .m}}{{template "row" (sprig_dict "k" $k "v" $v)}};{{end}}', { data: { m: { x: 1, y: 'z' } } }],
  ['deep-data', '{{.a.b.c.d.e}}', { data: { a: { b: { c: { d: { e: 'deep' } } } } } }],
  ['long-output', '{{range .l}}{{range $.l}}{{.}}{{end}}{{end}}', { data: { l: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] } }],
  ['unicode-keys-sort', '{{range $k, $v := .m}}{{$k}}{{end}}', { data: { m: { 'é': 1, 'e': 2, 'Z': 3, 'z': 4, '日': 5, '1': 6 } } }],
  ['map-bool-values', '{{.m}}', { data: { m: { t: true, f: false } } }],
  ['empty-string-key', '{{index .m ""}}', { data: { m: { '': 'empty-key' } } }],
  ['dollar-in-nested-range', '{{range .a}}{{range $.b}}{{$}}{{end}}{{end}}', { data: { a: [1], b: [1] } }],
  ['with-else-chain-dot', '{{with .x}}{{.}}{{else}}{{with .y}}{{.}}{{end}}{{end}}', { data: { y: 'Y' } }],
  ['html-in-template-text', '<a href="{{.u}}">{{html .t}}</a>', { data: { u: 'x?a=1&b=2', t: '<b>' } }],
  ['printf-in-pipeline-with-vars', '{{$a := 1}}{{$b := 2}}{{printf "%d+%d" $a $b}}'],
  ['comparison-in-if-chain', '{{$n := len .l}}{{if gt $n 5}}big{{else if gt $n 2}}mid{{else}}small{{end}}', { data: { l: [1, 2, 3] } }],
  ['and-or-combos', '{{if and .a (or .b .c)}}yes{{else}}no{{end}} {{if or (and .a .b) (not .c)}}x{{else}}y{{end}}', { data: { a: true, b: false, c: 'c' } }],
  ['eq-multi-string', '{{if eq .env "prod" "staging"}}deploy{{else}}skip{{end}}', { data: { env: 'staging' } }],
  ['index-in-range', '{{range $i, $_ := .a}}{{index $.b $i}}{{end}}', { data: { a: [1, 2], b: ['x', 'y'] } }],
  ['len-in-printf', '{{printf "%d items" (len .l)}}', { data: { l: [1, 2] } }],
  ['slice-of-maps', '{{range .users}}{{.name}}:{{.age}} {{end}}', { data: { users: [{ name: 'a', age: 30 }, { name: 'b', age: 41.5 }] } }],
  ['range-over-map-of-lists', '{{range $k, $v := .m}}{{$k}}={{join "," $v}};{{end}}', { data: { m: { a: ['x'] } } }],
  ['trim-inside-range', '{{- range .l }}\n  {{- . }}\n{{- end }}', { data: { l: ['a', 'b'] } }],
  ['crlf-trim', 'a \r\n{{- "b" -}}\r\n c'],
]);
