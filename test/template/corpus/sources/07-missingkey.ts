import { cases } from '../case.ts';

const d = { data: { Data: { foo: 'bar', nil: null, list: ['a'] } } };
const modes = ['default', 'zero', 'error'] as const;
const templates: ReadonlyArray<readonly [string, string]> = [
  ['missing', '{{.Data.missing}}'],
  ['missing-deeper', '{{.Data.missing.deeper}}'],
  ['len-missing', '{{len .Data.missing}}'],
  ['if-missing', '{{if .Data.missing}}y{{else}}n{{end}}'],
  ['with-missing', '{{with .Data.missing}}y{{else}}n{{end}}'],
  ['index-missing', '{{index .Data "missing"}}'],
  ['or-missing', '{{or .Data.missing "d"}}'],
  ['printf-missing', '{{printf "%v" .Data.missing}}'],
  ['present', '{{.Data.foo}}'],
  ['null-value', '{{.Data.nil}}'],
  ['null-deeper', '{{.Data.nil.x}}'],
  ['range-missing', '{{range .Data.missing}}x{{else}}e{{end}}'],
  ['top-missing', '{{.Nope}}'],
  ['eq-missing', '{{eq .Data.missing "x"}}'],
  ['var-missing', '{{$v := .Data.missing}}[{{$v}}]'],
  ['toJSON-missing', '{{.Data.missing | toJSON}}'],
  ['slice-missing-index', '{{ slice "null" .Data.missing }}'],
  ['index-missing-index', '{{ index .Data.list .Data.missing }}'],
  ['nil-dot-field', '{{with .Data.nil}}x{{else}}{{.Foo}}{{end}}'],
];

const kv2 = { secrets: { 'kv/data/app': '{"data":{"data":{"user":"admin"},"metadata":{"version":2}}}' } };

export default [
  ...modes.flatMap((mode) => cases(`missingkey-${mode}`, templates.map(([n, t]) => [n, t, { ...d, missingkey: mode }] as const))),
  ...modes.flatMap((mode) => cases(`missingkey-${mode}`, [
    ['nil-data', '{{.Data.Foo}}', { missingkey: mode }],
    ['secret-kv2-wrong-level', '{{ with secret "kv/data/app" }}{{ .Data.user }}{{ end }}', { ...kv2, missingkey: mode }],
    ['secret-kv2-nope-deeper', '{{ with secret "kv/data/app" }}{{ .Data.data.nope.x }}{{ end }}', { ...kv2, missingkey: mode }],
  ] as const)),
];
