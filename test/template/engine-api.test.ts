// The engine's public API beyond Go conformance: error objects, limits, hostile input, JSON
// decoding, secret-call discovery, byte strings, methods and the call context.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  decodeGoBytes, encodeGoString, executeTemplate, goValueFromJson, parseTemplate, secretCallsIn, GoError, GoFuncValue,
  GoInt, GoMap, GoStruct, JsonNumber, JsonSyntaxError, TemplateError, interfaceSlice, stringMap, structType,
  type FunctionMap, type GoFunction, type GoValue,
} from '../../agent/src/template/index.ts';

const none: FunctionMap = new Map();

function fails(fn: () => unknown): TemplateError {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof TemplateError, `expected TemplateError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected a TemplateError');
}

function render(text: string, data: GoValue = undefined, functions: FunctionMap = none): string {
  return executeTemplate(parseTemplate(text, functions, { name: 't' }), data);
}

test('parse errors carry phase, line and reason', () => {
  const error = fails(() => parseTemplate('a\nb\n{{ nope }}', none, { name: 'db' }));
  assert.equal(error.message, 'template: db:3: function "nope" not defined');
  assert.equal(error.phase, 'parse');
  assert.equal(error.templateName, 'db');
  assert.equal(error.line, 3);
  assert.equal(error.column, undefined);
  assert.equal(error.reason, 'function "nope" not defined');
});

test('exec errors carry line, column, reason and the partial output', () => {
  const template = parseTemplate('ok\n  {{ .Data.x }}', none, { name: 'db' });
  const error = fails(() => executeTemplate(template, goValueFromJson('{"Data":{}}', 'json.Number'), { missingKey: 'error' }));
  // Go's chain quirk: the column is that of `.x`, the second token of the chain.
  assert.equal(error.message, 'template: db:2:10: executing "db" at <.Data.x>: map has no entry for key "x"');
  assert.deepEqual([error.phase, error.line, error.column, error.reason, error.partialOutput],
    ['exec', 2, 10, 'map has no entry for key "x"', 'ok\n  ']);
});

test('the column counts bytes, as Go does', () => {
  const error = fails(() => render('é{{ .x.y }}', goValueFromJson('{"x":"s"}', 'float64')));
  assert.equal(error.column, 7);
  assert.match(error.message, /^template: t:1:7: /);
});

test('a JavaScript exception inside a function never reaches the message', () => {
  const broken: GoFunction = { params: [], call: () => { throw new TypeError("Cannot read properties of undefined (reading 'x')"); } };
  const error = fails(() => render('a{{ broken }}', undefined, new Map([['broken', broken]])));
  assert.equal(error.message, 'template: t:1:4: executing "t" at <broken>: error calling broken: internal error');
  assert.doesNotMatch(error.message, /TypeError|Cannot read/);
  assert.equal(error.partialOutput, 'a');
});

test('a GoError from a function is reported as Go reports a returned error', () => {
  const fn: GoFunction = { params: ['string'], returnsError: true, call: (args) => { throw new GoError(`bad ${String(args[0])}`); } };
  const error = fails(() => render('{{ f "x" }}', undefined, new Map([['f', fn]])));
  assert.equal(error.message, 'template: t:1:3: executing "t" at <f "x">: error calling f: bad x');
});

test('maxOutputBytes stops runaway output with a clear error', () => {
  const template = parseTemplate('{{ range . }}0123456789{{ end }}', none, { name: 'big' });
  const data = interfaceSlice(new Array(1000).fill('x'));
  assert.equal(executeTemplate(template, data, { maxOutputBytes: 10_000 }).length, 10_000);
  const error = fails(() => executeTemplate(template, data, { maxOutputBytes: 5_000 }));
  assert.equal(error.message, 'template: big: output exceeds the limit of 5000 bytes');
  assert.ok(error.partialOutput.length > 5_000 && error.partialOutput.length <= 5_010);
});

test('template recursion is bounded by maxTemplateDepth', () => {
  const template = parseTemplate('{{define "r"}}{{template "r" .}}{{end}}{{template "r"}}', none, { name: 'rec' });
  const error = fails(() => executeTemplate(template, undefined, { maxTemplateDepth: 50 }));
  assert.equal(error.message, 'template: rec:1:25: executing "r" at <{{template "r" .}}>: exceeded maximum template depth (50)');
  const byDefault = fails(() => executeTemplate(template, undefined));
  assert.match(byDefault.message, /exceeded maximum template depth \(\d+\)$/);
});

test('hostile nesting fails as a TemplateError, not a JavaScript stack overflow', () => {
  const deep = '{{' + '('.repeat(50_000) + '1' + ')'.repeat(50_000) + '}}';
  const error = fails(() => render(deep));
  assert.equal(error.phase, 'parse');
  const nestedIfs = '{{if true}}'.repeat(20_000) + 'x' + '{{end}}'.repeat(20_000);
  fails(() => render(nestedIfs));
});

test('JSON object keys stay data: __proto__ and constructor are ordinary keys', () => {
  const data = goValueFromJson('{"__proto__":{"polluted":1},"constructor":"c","toString":2}', 'float64');
  assert.equal(render('{{ index . "__proto__" }}|{{ .constructor }}|{{ .toString }}|{{ len . }}', data), 'map[polluted:1]|c|2|3');
  assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
  assert.equal(render('{{ .hasOwnProperty }}', data), '<no value>');
});

test('json.Number keeps the text; float64 mode prints as Go prints float64', () => {
  const text = '{"a":1.0,"b":1e3,"c":1000000,"d":-0,"e":12345678901234567890}';
  assert.equal(render('{{.a}} {{.b}} {{.c}} {{.d}} {{.e}}', goValueFromJson(text, 'json.Number')), '1.0 1e3 1000000 -0 12345678901234567890');
  assert.equal(render('{{.a}} {{.b}} {{.c}} {{.d}} {{.e}}', goValueFromJson(text, 'float64')), '1 1000 1e+06 -0 1.2345678901234567e+19');
  const n = (goValueFromJson(text, 'json.Number') as GoMap).entries.get('e');
  assert.ok(n instanceof JsonNumber && n.text === '12345678901234567890');
});

test('duplicate JSON keys: the last wins, as encoding/json', () => {
  assert.equal(render('{{.a}}', goValueFromJson('{"a":1,"a":2}', 'float64')), '2');
});

test('JSON nesting is bounded like encoding/json (10000 levels), without stack overflow', () => {
  assert.equal(render('{{ len . }}', goValueFromJson('['.repeat(10_000) + ']'.repeat(10_000), 'json.Number')), '1');
  assert.throws(() => goValueFromJson('['.repeat(10_001) + ']'.repeat(10_001), 'json.Number'), /exceeded max depth/);
  assert.throws(() => goValueFromJson('{"a":'.repeat(500_000), 'float64'), JsonSyntaxError);
});

test('unpaired surrogate escapes in JSON become U+FFFD, as Go decodes them', () => {
  assert.equal(goValueFromJson('"a\\ud800b\\udc80"', 'float64'), 'a\ufffdb\ufffd');
});

test('malformed JSON is a JsonSyntaxError', () => {
  for (const bad of ['', '{', '{"a":}', '[1,]', '{"a":1} x', 'nul', '"\u0001"', '01']) {
    assert.throws(() => goValueFromJson(bad, 'json.Number'), JsonSyntaxError, bad);
  }
});

test('secretCallsIn finds every secret/secrets/pkiCert call, literal or not', () => {
  const text = [
    '{{ with secret "kv/data/app" }}{{ .Data.data.user }}{{ end }}',
    '{{ secret "pki/issue/web" "common_name=a.example.com" "ttl=1h" }}',
    '{{ range secrets "kv/metadata/" }}{{ . }}{{ end }}',
    '{{ $p := "db/creds/x" }}{{ with secret $p }}{{ end }}',
    '{{ define "d" }}{{ (secret "in/define").Data }}{{ end }}',
    '{{ "piped/path" | secret }}',
    '{{ secret (printf "kv/%s" "dyn") }}',
    '{{ with pkiCert "pki/issue/other" "common_name=b.example.com" }}{{ .Cert }}{{ end }}',
  ].join('\n');
  const functions: FunctionMap = new Map([
    ['secret', { params: ['string', 'string'], variadic: true, call: () => null }],
    ['secrets', { params: ['string'], call: () => null }],
    ['pkiCert', { params: ['string', 'string'], variadic: true, call: () => null }],
  ]);
  const calls = secretCallsIn(parseTemplate(text, functions, { name: 't' }));
  assert.deepEqual(calls, [
    { path: 'kv/data/app', isWrite: false, operation: 'read', line: 1, column: 8 },
    { path: 'pki/issue/web', isWrite: true, operation: 'write', line: 2, column: 3 },
    { path: 'kv/metadata/', isWrite: false, operation: 'list', line: 3, column: 9 },
    { path: null, isWrite: false, operation: 'read', line: 4, column: 32 },
    { path: 'in/define', isWrite: false, operation: 'read', line: 5, column: 20 },
    { path: 'piped/path', isWrite: false, operation: 'read', line: 6, column: 18 },
    { path: null, isWrite: false, operation: 'read', line: 7, column: 3 },
    { path: 'pki/issue/other', isWrite: true, operation: 'write', line: 8, column: 8 },
  ]);
});

test('accepted from newer Go: {{else with}} and range over an integer', () => {
  assert.equal(render('{{with .a}}A{{else with .b}}B{{.}}{{else}}C{{end}}', goValueFromJson('{"b":"x"}', 'float64')), 'Bx');
  assert.equal(render('{{range 3}}{{.}}{{end}}|{{range $i := 2}}{{$i}}{{end}}|{{range 0}}x{{else}}none{{end}}'), '012|01|none');
  assert.equal(fails(() => render('{{range $i, $v := 3}}{{end}}')).reason, "can't use 3 to iterate over more than one variable");
});

test('invalid UTF-8 bytes survive as Go bytes', () => {
  const bytes = Uint8Array.from([0x68, 0xc3, 0xff, 0xe6, 0x97, 0xa5]);
  const s = decodeGoBytes(bytes);
  assert.deepEqual([...encodeGoString(s)], [...bytes]);
  assert.equal(render('{{ len . }} {{ printf "%q" . }} {{ slice "héllo" 0 2 | printf "%q" }}', s), '6 "h\\xc3\\xff日" "h\\xc3"');
  assert.equal(render('{{ "\\xff\\xfe" | len }} {{ printf "%x" "\\xff" }}'), '2 ff');
});

test('struct methods are called with the receiver (pkiCert .Data)', () => {
  const pem = structType('dependency.PemEncoded', [
    { name: 'Cert', type: 'string' }, { name: 'Key', type: 'string' }, { name: 'CA', type: 'string' }, { name: 'CAChain', type: '[]string' },
  ], new Map<string, GoFunction>([['Data', { params: [], call: (args) => args[0] }]]));
  const value = new GoStruct(pem, ['CERT', 'KEY', 'CA', interfaceSlice([])]);
  assert.equal(render('{{ .Cert }} {{ .Data.Key }} {{ .Data.Data.CA }}', value), 'CERT KEY CA');
  assert.equal(fails(() => render('{{ .Data 1 }}', value)).reason, 'wrong number of args for Data: want 0 got 1');
});

test('functions can execute defined templates through the call context', () => {
  const executeTemplateFn: GoFunction = {
    params: ['string', 'interface {}'], variadic: true, returnsError: true,
    call: (args, context) => context.executeTemplate(args[0] as string, args[1] ?? null),
  };
  const functions: FunctionMap = new Map([['executeTemplate', executeTemplateFn]]);
  assert.equal(render('{{ define "x" }}[{{ . }}]{{ end }}{{ executeTemplate "x" "v" }}{{ executeTemplate "x" }}', undefined, functions), '[v][<no value>]');
  const missing = fails(() => render('{{ executeTemplate "nope" }}', undefined, functions));
  assert.equal(missing.reason, 'error calling executeTemplate: template: no template "nope" associated with template "t"');
  const loop = fails(() => render('{{ define "l" }}{{ executeTemplate "l" }}{{ end }}{{ executeTemplate "l" }}', undefined, functions));
  assert.match(loop.message, /exceeded maximum template depth/);
});

test('the call builtin calls function values with Go\'s argument checks', () => {
  const add: GoFunction = { params: ['int', 'int'], call: (args) => new GoInt('int', (args[0] as GoInt).value + (args[1] as GoInt).value) };
  const data = stringMap(new Map<string, GoValue>([['add', new GoFuncValue('func(int, int) int', add)]]));
  assert.equal(render('{{ call .add 1 2 }}', data), '3');
  assert.equal(fails(() => render('{{ call .add 1 }}', data)).reason, 'error calling call: wrong number of args for .add: got 1 want 2');
  assert.equal(fails(() => render('{{ call .add 1 "x" }}', data)).reason, 'error calling call: arg 1: value has type string; should be int');
  assert.equal(fails(() => render('{{ .add }}', data)).reason, "can't print {{.add}} of type func(int, int) int");
});

// Go's fmt orders interface keys by their dynamic type first, in the order of the type descriptors
// in the binary; this is the oracle's (corpus 26-yaml-parse holds the same through parseYAML)
test('maps with interface{} keys (YAML) print sorted and answer field access', () => {
  const entries = new Map<GoValue, GoValue>([['b', 'B'], ['a', new GoInt('int', 1n)], [new GoInt('int', 2n), true]]);
  const yamlMap = new GoMap('map[interface {}]interface {}', 'interface {}', 'interface {}', entries);
  assert.equal(render('{{ . }} {{ .a }} {{ .b }} {{ index . "b" }}', yamlMap), 'map[a:1 b:B 2:true] 1 B B');
});
