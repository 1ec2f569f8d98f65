import { cases } from '../case.ts';

const strings = ['', 'plain', '123', '1.5', '-1', '0x1F', '1e3', 'yes', 'no', 'on', 'off', 'true', 'False', 'null', '~', 'Null', 'y', 'n', 'Y', 'N',
  'a: b', 'a:b', 'a #b', '#x', '- x', '-x', '? x', ':x', 'x:', '@at', '`bt', '!tag', '&anchor', '*alias', '|pipe', '>gt', "'sq", '"dq', '%pct', '{x}', '[x]', 'x,y', ' lead', 'trail ',
  'multi\nline', 'multi\nline\n', 'tab\there', 'é unicode', '日本', 'a\u0001b', 'quote\'s', 'dq"s', 'back\\slash', '.5', '+1', '0o17', '0b11', '1_000', '.inf', '-.Inf', '.nan', '2001-12-14', '2001-12-14t21:59:43.10-05:00', '12:30', '1:20', '=', '<<', 'x\r\ny', '\n', ' ', 'a\n b', 'trailing\n\n', '\tx', 'x\u00a0y', 'x\u2028y', '\ufeffbom', 'very long string '.repeat(6)];

export default cases('yaml', [
  ...strings.map((s, i) => [`string-${i}`, '{{ toYAML . }}', { data: { v: s } }] as const),
  ['map-nested', '{{ toYAML . }}', { data: { b: { c: { d: 1 } }, a: [1, 2], e: [], f: {}, g: null, h: true, i: 1.5, j: 1000000, k: 1e-7, l: [[1, 2], [{ x: 1 }], []], m: [{ a: 1, b: [1] }, { c: {} }] } }],
  ['top-list', '{{ toYAML .l }}', { data: { l: ['a', { b: 1 }, ['c']] } }],
  ['scalar', '{{ toYAML 1 }}|{{ toYAML "s" }}|{{ toYAML nil }}|{{ toYAML 1.5 }}|{{ toYAML true }}'],
  ['floats', '{{ toYAML . }}', { data: { a: 1e21, b: 1e20, c: 123456789, d: 0.1, e: 1e-5, f: -0.0, g: 100, h: 12345678.9 } }],
  ['keys-need-quotes', '{{ toYAML . }}', { data: { 'y': 1, 'yes': 2, '123': 3, 'a b': 4, 'a: b': 5, '': 6, 'true': 7, '-': 8 } }],
  ['key-sort', '{{ toYAML . }}', { data: { b: 1, B: 2, a10: 3, a2: 4, '_': 5, 'Z': 6, '1': 7, '10': 8, '2': 9 } }],
  ['secret', '{{ with secret "secret/foo" }}{{ toYAML .Data }}{{ end }}', { secrets: { 'secret/foo': '{"data":{"port":5432,"ratio":0.5,"float":1.0,"exp":1e3,"neg":-3,"big":12345678901234567890,"s":"x","l":[1,"2"],"m":{"k":null}}}' } }],
  ['parseJSON', '{{ "{\\"foo\\":\\"bar\\"}" | parseJSON | toYAML }}'],
  ['split', '{{ "a,b" | split "," | toYAML }}'],
  ['long-multiline', '{{ toYAML . }}', { data: { cert: '-----BEGIN CERTIFICATE-----\nMIIDzDCCAragAwIBAgIUOd0ukLcjH43TfTHFG9qE0FtlMVgwCwYJKoZIhvcNAQEL\n-----END CERTIFICATE-----\n', key: 'line1\nline2' } }],
  ['multiline-leading-space', '{{ toYAML . }}', { data: { a: '  indented\nnext', b: 'x\n  y', c: 'trailing space \nx', d: 'a\n\n\nb' } }],
  ['special-floats', '{{ toYAML (parseFloat "inf") }} {{ toYAML (parseFloat "-inf") }} {{ toYAML (parseFloat "nan") }}'],
  ['int-types', '{{ toYAML (parseInt "42") }} {{ toYAML (parseUint "42") }}'],
  ['nested-empty', '{{ toYAML . }}', { data: { a: { b: {} }, c: [{}], d: [[]] } }],
  // libyaml's block scalar header errors, and the line yaml.v2 names only past the first
  ...['>=1.0', '|x', '>0', '|-+', '|+-', '|2+1', '|10', '- |=', '>2-x', '> #c\n a', '|-2 # c\n   x', 'a: b\nc: >x', 'a: b\nc: >0', 'a: b\n\nc: >=1', '|9\n         x'].map((text, i) => [`block-header-${i}`, `{{ parseYAML ${JSON.stringify(text)} | printf "%#v" }}`] as const),
  ...['|+\n x', 'a: |\n x\nb: 1', 'a: |\n x', '- >\n x\n y', '|+\n x\n\n', '|-\n x', 'a: >-\n x\n', 'a:\n - |\n  x'].map((text, i) => [`block-at-end-${i}`, `{{ parseYAML ${JSON.stringify(text)} | printf "%#v" }}`] as const),
]);
