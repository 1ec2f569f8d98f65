// consul-template behaviour the gotpl oracle does not model (its `secret` is a simplification):
// path normalisation, the write form and its k=v errors, what the SecretSource sees, the
// *dependency.Secret shape (Auth, WrapInfo), empty-input parses, timestamp, file, and the
// parse-only map. Expected values come from consul-template's sources and tests
// (reference/templates.md §3, §4.1), not from our own output.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { executeTemplate, parseTemplate, TemplateError } from '../../agent/src/template/index.ts';
import { parseOnlyFunctions, templateFunctions } from '../../agent/src/template/functions/index.ts';
import type { FunctionEnvironment, SecretSource } from '../../agent/src/template/functions/index.ts';
import { compileGoRegexp, replaceAllString } from '../../agent/src/template/functions/regexp.ts';

interface Call { kind: 'read' | 'write' | 'list'; path: string; data?: Record<string, string> }

function source(bodies: Record<string, string>, calls: Call[]): SecretSource {
  return {
    read: (path) => { calls.push({ kind: 'read', path }); return bodies[path]; },
    write: (path, data) => { calls.push({ kind: 'write', path, data: { ...data } }); return bodies[path]; },
    list: (path) => { calls.push({ kind: 'list', path }); return bodies[path]; },
  };
}

function run(template: string, options: { bodies?: Record<string, string>; env?: Record<string, string>; files?: Record<string, string>; now?: Date; missingKey?: 'zero' | 'error' } = {}): { output?: string; error?: string; calls: Call[] } {
  const calls: Call[] = [];
  const environment: FunctionEnvironment = {
    secrets: source(options.bodies ?? {}, calls),
    env: (name) => options.env?.[name],
    readFile: (path) => {
      const text = options.files?.[path];
      if (text === undefined) throw new Error(`file: cannot read ${JSON.stringify(path)}: no such file or directory`);
      return text;
    },
    now: () => options.now ?? new Date(0),
  };
  try {
    const parsed = parseTemplate(template, templateFunctions(environment), { name: '' });
    return { output: executeTemplate(parsed, undefined, { missingKey: options.missingKey ?? 'zero' }), calls };
  } catch (error) {
    if (error instanceof TemplateError) return { error: error.message, calls };
    throw error;
  }
}

const tokenCreate = '{"request_id":"f00341c1","lease_id":"","renewable":false,"lease_duration":0,"data":null,"wrap_info":null,"warnings":["w1"],"auth":{"client_token":"hvs.XYZ","accessor":"acc","policies":["default","p1"],"token_policies":["default","p1"],"metadata":{"user":"armon"},"lease_duration":768,"renewable":true}}';

describe('secret and secrets (consul-template)', () => {
  const table: Array<{ name: string; template: string; bodies?: Record<string, string>; output?: string; error?: string; calls?: Call[] }> = [
    { name: 'path is trimmed of spaces and slashes', template: '{{ with secret " /secret/foo/ " }}{{ .Data.zip }}{{ end }}', bodies: { 'secret/foo': '{"data":{"zip":"zap"}}' }, output: 'zap', calls: [{ kind: 'read', path: 'secret/foo' }] },
    { name: '?version=N stays in the path', template: '{{ with secret "secret/foo?version=1" }}{{ .Data.zip }}{{ end }}', bodies: { 'secret/foo?version=1': '{"data":{"zip":"zed"}}' }, output: 'zed', calls: [{ kind: 'read', path: 'secret/foo?version=1' }] },
    { name: 'not fetched yet: nil, recorded', template: '{{ $v := secret "secret/foo" }}{{ $v.Data.zip }}|{{ secret "secret/foo" }}', output: '<no value>|<no value>', calls: [{ kind: 'read', path: 'secret/foo' }, { kind: 'read', path: 'secret/foo' }] },
    { name: 'no arguments: nil, nothing recorded', template: '[{{ secret }}]', output: '[<no value>]', calls: [] },
    { name: 'empty path is an error', template: '{{ secret " / " }}', error: 'template: :1:3: executing "" at <secret " / ">: error calling secret: vault.read: invalid format: ""', calls: [] },
    { name: 'write form passes k=v data (trimmed, empty args skipped)', template: '{{ with secret "pki/issue/web" " common_name = a.example.com " "" "ttl=24h=x" }}{{ .Data.certificate }}{{ end }}', bodies: { 'pki/issue/web': '{"data":{"certificate":"CERT"}}' }, output: 'CERT', calls: [{ kind: 'write', path: 'pki/issue/web', data: { common_name: 'a.example.com', ttl: '24h=x' } }] },
    { name: 'write form with only "" is still a write', template: '{{ if secret "transit/encrypt/foo" "" }}y{{ else }}n{{ end }}', output: 'n', calls: [{ kind: 'write', path: 'transit/encrypt/foo', data: {} }] },
    { name: 'argument without = is an error', template: '{{ secret "pki/issue/web" "badpair" }}', error: 'template: :1:3: executing "" at <secret "pki/issue/web" "badpair">: error calling secret: not k=v pair "badpair"', calls: [] },
    { name: 'auth response: .Auth fields, nil .Data prints map[]', template: '{{ with secret "auth/token/create" "policies=p1" }}{{ .Auth.ClientToken }} {{ .Auth.Policies }} {{ .Auth.LeaseDuration }} {{ .Auth.Renewable }} {{ .Auth.Metadata.user }} {{ .Data }} {{ .Warnings }} {{ .WrapInfo }}{{ end }}', bodies: { 'auth/token/create': tokenCreate }, output: 'hvs.XYZ [default p1] 768 true armon map[] [w1] <nil>' },
    { name: 'a read secret has nil Auth', template: '{{ with secret "secret/foo" }}{{ .Auth }}|{{ printf "%T" . }}{{ end }}', bodies: { 'secret/foo': '{"data":{}}' }, output: '<nil>|*dependency.Secret' },
    { name: 'unknown field names the type', template: '{{ with secret "secret/foo" }}{{ .Nope }}{{ end }}', bodies: { 'secret/foo': '{"data":{}}' }, error: 'template: :1:33: executing "" at <.Nope>: can\'t evaluate field Nope in type *dependency.Secret' },
    { name: 'a write answered without a body (null) is nil, as a KV v1 write', template: '{{ if secret "kv/app" "a=b" }}y{{ else }}n{{ end }}', bodies: { 'kv/app': 'null' }, output: 'n' },
    { name: 'a body that is not JSON is a clear function error', template: '{{ secret "kv/app" }}', bodies: { 'kv/app': '<html>' }, error: 'template: :1:3: executing "" at <secret "kv/app">: error calling secret: Vault returned a response that is not JSON' },
    // the PEMs themselves: corpus 24-consul-template-tests (func_pkiCert*)
    { name: 'pkiCert issues through the write form; a response without a leaf certificate is refused', template: '{{ with pkiCert "pki/issue/web" "common_name=a.example.com" }}{{ .Cert }}{{ end }}', bodies: { 'pki/issue/web': '{"lease_id":"","data":{"certificate":"C","private_key":"K","issuing_ca":"I","ca_chain":["I","R"]}}' }, error: 'template: :1:8: executing "" at <pkiCert "pki/issue/web" "common_name=a.example.com">: error calling pkiCert: vault.pki(pki/issue/web): needs renewal (the response holds no certificate that is not a CA)', calls: [{ kind: 'write', path: 'pki/issue/web', data: { common_name: 'a.example.com' } }] },
    { name: 'pkiCert: a CERTIFICATE block that is not one is x509\'s error', template: '{{ pkiCert "pki/issue/web" }}', bodies: { 'pki/issue/web': '{"data":{"certificate":"-----BEGIN CERTIFICATE-----\\nAAAA\\n-----END CERTIFICATE-----"}}' }, error: 'template: :1:3: executing "" at <pkiCert "pki/issue/web">: error calling pkiCert: vault.pki(pki/issue/web): x509: malformed certificate' },
    // consul-template's vault_pki_test.go badCert and badPlusGarbo: x509 refuses the block (there, the fetch fails)
    ...[['bad', ''], ['bad+gar', 'aa983w4;/amndsfm908q26035vc;ng902338(%@%!@QY!&DVLMNSALX>PT(RQ!QO*%@\nX']].map(([label, junk]) => ({
      name: `pkiCert: upstream's ${label} certificate is x509's error`,
      template: '{{ pkiCert "pki/issue/web" }}',
      bodies: { 'pki/issue/web': JSON.stringify({ data: { certificate: `${junk}-----BEGIN CERTIFICATE-----\nMIIDWTCCAkGgAwIBAgIUUARA+vQExU8zjdsX/YXMMu1K5FkwDQYJKoZIhvcNAQEL\neB01bl42Y5WwHl0IrjfbEevzoW0+uhlUlZ6keZHr7bLn/xuRCUkVfj3PRlMl\n-----END CERTIFICATE-----${junk === '' ? '' : 'X\n!Q)(*@^YUO!Q#MN%$#WP(G^&+_!%)!+^%$Y\t:!#QLKENFVJ)\t!#*&%YHTM\n'}` } }) },
      error: 'template: :1:3: executing "" at <pkiCert "pki/issue/web">: error calling pkiCert: vault.pki(pki/issue/web): x509: malformed certificate',
    })),
    { name: 'pkiCert before the certificate arrives is nil', template: '{{ with pkiCert "pki/issue/web" "common_name=a" }}x{{ else }}none{{ end }}', output: 'none' },
    { name: 'secrets: list, sorted, path normalised', template: '{{ secrets "/secret/" }}', bodies: { secret: '{"data":{"keys":["zip","bar/","foo"]}}' }, output: '[bar/ foo zip]', calls: [{ kind: 'list', path: 'secret' }] },
    { name: 'secrets: not fetched yet is empty and false', template: '{{ secrets "secret/" }} {{ if secrets "secret/" }}y{{ else }}n{{ end }} {{ len (secrets "secret/") }}', output: '[] n 0' },
    { name: 'secrets: empty path asks nothing', template: '{{ secrets "" }}', output: '[]', calls: [] },
    { name: 'same body, same value (mutations persist like consul-template\'s brain)', template: '{{ $_ := sprig_set (secret "secret/foo").Data "x" "set" }}{{ (secret "secret/foo").Data.x }}', bodies: { 'secret/foo': '{"data":{"a":1}}' }, output: 'set' },
    { name: 'an empty secret\'s Data is a nil map, as in consul-template: writing to it fails', template: '{{ $_ := sprig_set (secret "secret/foo").Data "x" "set" }}', bodies: { 'secret/foo': '{"data":{}}' }, error: 'template: :1:9: executing "" at <sprig_set (secret "secret/foo").Data "x" "set">: error calling sprig_set: assignment to entry in nil map' },
  ];
  for (const c of table) {
    it(c.name, () => {
      const result = run(c.template, c.bodies === undefined ? {} : { bodies: c.bodies });
      assert.equal(result.error, c.error);
      assert.equal(result.output, c.output);
      if (c.calls !== undefined) assert.deepEqual(result.calls, c.calls);
    });
  }
});

describe('consul-template helpers beyond the oracle', () => {
  const table: Array<{ name: string; template: string; output?: string; error?: string; env?: Record<string, string>; files?: Record<string, string>; now?: Date }> = [
    { name: 'parseInt/parseUint/parseFloat/parseBool of "" are zero', template: '{{ parseInt "" }} {{ parseUint "" }} {{ parseFloat "" }} {{ parseBool "" }}', output: '0 0 0 false' },
    { name: 'timestamp default is RFC3339 UTC', template: '{{ timestamp }}', output: '1970-01-01T00:00:00Z' },
    { name: 'timestamp layout and unix', template: '{{ timestamp "2006-01-02" }} {{ timestamp "unix" }} {{ timestamp "Jan _2 15:04:05" }}', now: new Date(Date.UTC(2024, 1, 5, 13, 4, 9)), output: '2024-02-05 1707138249 Feb  5 13:04:09' },
    { name: 'timestamp with two arguments', template: '{{ timestamp "a" "b" }}', error: 'template: :1:3: executing "" at <timestamp "a" "b">: error calling timestamp: timestamp: wrong number of arguments, expected 0 or 1, but got 2' },
    { name: 'file reads through the environment', template: '{{ file "/etc/app.conf" }}', files: { '/etc/app.conf': 'content' }, output: 'content' },
    { name: 'file of "" is empty', template: '[{{ file "" }}]', output: '[]' },
    { name: 'file failure is a function error, not an exception', template: '{{ file "/nope" }}', error: 'template: :1:3: executing "" at <file "/nope">: error calling file: file: cannot read "/nope": no such file or directory' },
    { name: 'env and envOrDefault read the environment', template: '{{ env "A" }}|{{ envOrDefault "B" "d" }}|{{ envOrDefault "A" "d" }}', env: { A: 'x' }, output: 'x|d|x' },
    { name: 'hmacSHA256Hex', template: '{{ hmacSHA256Hex "somemessage" "somekey" }}', output: '6116e95f2827172aa6ef8b22b883f6a77e966aefc129c6b8228ebd0aac74e98d' },
    { name: 'splitToMap', template: '{{ "a:x,b:y,c:z" | splitToMap "," ":" }}', output: 'map[a:x b:y c:z]' },
    { name: 'parseYAML (yaml.v2: map[interface {}]interface {})', template: '{{ $y := "foo:\\n  bar: \\"baz\\"\\n  baz: 7" | parseYAML }}{{ $y }} {{ printf "%T" $y }}', output: 'map[foo:map[bar:baz baz:7]] map[interface {}]interface {}' },
    { name: 'toJSON of parseYAML output fails as Go does', template: '{{ "a: 1" | parseYAML | toJSON }}', error: 'template: :1:24: executing "" at <toJSON>: error calling toJSON: toJSON: json: unsupported type: map[interface {}]interface {}' },
    { name: 'loop (consul-template test cases)', template: '{{ range loop 3 }}1{{ end }}|{{ range $i := loop 3 }}{{ $i }}{{ end }}|{{ range loop 1 3 }}1{{ end }}|{{ range loop 1 "3" }}1{{ end }}|{{ $n := 3 }}{{ range $i := loop $n }}{{ $i }}{{ end }}|{{ range $i, $e := loop 5 7 }}{{ $i }}:{{ $e }} {{ end }}', output: '111|012|11|11|012|0:5 1:6 ' },
    { name: 'executeTemplate runs a define with a dot', template: '{{ define "custom" }}[{{ . }}]{{ end }}{{ executeTemplate "custom" "foo" }}{{ executeTemplate "custom" | toUpper }}', output: '[foo][<NO VALUE>]' },
    { name: 'scratch (consul-template test cases)', template: '{{ scratch.Set "a" "2" }}{{ scratch.Get "a" }}|{{ scratch.SetX "b" "1" }}{{ scratch.SetX "b" "2" }}{{ scratch.Get "b" }}|{{ scratch.MapSet "m" "foo" "bar" }}{{ scratch.MapSet "m" "a" "z" }}{{ scratch.MapValues "m" }}|{{ scratch.Key "a" }} {{ scratch.Key "nope" }}', output: '2|1|[z bar]|true false' },
    { name: 'scratch.MapSet on a non-map key', template: '{{ scratch.Set "a" "2" }}{{ scratch.MapSet "a" "k" "v" }}', error: 'template: :1:35: executing "" at <scratch.MapSet>: error calling MapSet: "a" is not a map' },
    { name: 'loop with three arguments', template: '{{ loop 1 2 3 }}', error: 'template: :1:3: executing "" at <loop 1 2 3>: error calling loop: loop: wrong number of arguments, expected 1 or 2, but got 3' },
    { name: 'toJSONPretty of a slice (consul-template >= 0.30)', template: '{{ "a,b" | split "," | toJSONPretty }}', output: '[\n  "a",\n  "b"\n]' },
  ];
  for (const c of table) {
    it(c.name, () => {
      const result = run(c.template, { ...(c.env ? { env: c.env } : {}), ...(c.files ? { files: c.files } : {}), ...(c.now ? { now: c.now } : {}) });
      assert.equal(result.error, c.error);
      assert.equal(result.output, c.output);
    });
  }
});

describe('Go regexp on JavaScript', () => {
  const table: Array<[string, string, string, string]> = [
    // [pattern, replacement, input, Go's ReplaceAllString result]
    ['a*', '-', 'baaac', '-b-c-'],                 // empty match after a match is skipped
    ['(?i)straße', 'x', 'STRAßE', 'x'],
    ['\\Qa.b\\E', 'x', 'a.b axb', 'x axb'],
    ['[[:^digit:]]+', '_', 'a1b22c', '_1_22_'],
    ['(?U)a+', 'x', 'aaa', 'xxx'],
    ['(?m)^b$', 'x', 'a\nb\r\nb', 'a\nb\r\nx'],    // Go's (?m)$ is only before \n, not \r
    ['\\s', '_', 'a\u00a0b c', 'a\u00a0b_c'],      // \s is ASCII in Go
    ['(a)|b', '[$1]', 'ab', '[a][]'],
    ['x{2,}', 'y', 'x xx xxx', 'x y y'],
    ['a{,2}', 'y', 'a{,2}', 'y'],                  // not a repeat in Go: literal braces
  ];
  for (const [pattern, replacement, input, expected] of table) {
    it(`${pattern} on ${JSON.stringify(input)}`, () => {
      assert.equal(replaceAllString(compileGoRegexp(pattern), input, replacement), expected);
    });
  }
  for (const [pattern, message] of [
    ['a(?=b)', 'error parsing regexp: invalid or unsupported Perl syntax: `(?=`'],
    ['(?<n>a)', 'error parsing regexp: invalid or unsupported Perl syntax: `(?<`'],
    ['a)', 'error parsing regexp: unexpected ): `a)`'],
    ['[a', 'error parsing regexp: missing closing ]: `[a`'],
    ['*a', 'error parsing regexp: missing argument to repetition operator: `*`'],
    ['a{1001}', 'error parsing regexp: invalid repeat count: `{1001}`'],
    ['\\8', 'error parsing regexp: invalid escape sequence: `\\8`'],
  ] as const) {
    it(`rejects ${pattern}`, () => assert.throws(() => compileGoRegexp(pattern), { message }));
  }
});

describe('Consul and Nomad functions refuse when called', () => {
  for (const [template, name, service] of [['{{ key "a/b" }}', 'key', 'Consul'], ['{{ range service "web" }}{{ end }}', 'service', 'Consul'],
    ['{{ nomadVar "x" }}', 'nomadVar', 'Nomad'], ['{{ "x" | byTag }}', 'byTag', 'Consul']] as const) {
    it(template, () => {
      assert.match(run(template).error ?? '', new RegExp(`error calling ${name}: function "${name}" needs ${service}, which Vault Agent does not connect to`));
    });
  }
});

describe('spew_dump and spew_printf refuse when called: they would print to the agent\'s log', () => {
  for (const [template, name, instead] of [['{{ spew_dump 1 }}', 'spew_dump', 'spew_sdump'], ['{{ spew_printf "%v" "secret" }}', 'spew_printf', 'spew_sprintf']] as const) {
    it(template, () => {
      const result = run(template);
      assert.equal(result.output ?? '', '');
      assert.match(result.error ?? '', new RegExp(`error calling ${name}: function "${name}" writes to the agent's log \\(its standard output\\), which vault-injector keeps free of secret values: use ${instead} `));
    });
  }
  it('keeps consul-template\'s signature: spew_printf needs its format', () => {
    assert.match(run('{{ spew_printf }}').error ?? '', /wrong number of args for spew_printf: want at least 1 got 0/);
  });
});

describe('sprig under consul-template is hermetic', () => {
  it('{{ sprig_randInt 5 7 }} has the shape of a random int', () => {
    const first = run('{{ sprig_randInt 5 7 }}');
    assert.equal(first.error, undefined);
    assert.match(first.output ?? '', /^[56]$/);
  });
  // sprig.HermeticTxtFuncMap drops what depends on the clock, randomness, the environment or DNS
  for (const name of ['date', 'date_in_zone', 'date_modify', 'now', 'htmlDate', 'htmlDateInZone', 'dateInZone', 'dateModify',
    'randAlphaNum', 'randAlpha', 'randAscii', 'randNumeric', 'randBytes', 'uuidv4', 'env', 'expandenv', 'getHostByName']) {
    it(`sprig_${name} is not defined`, () => {
      assert.match(run(`{{ sprig_${name} }}`).error ?? '', new RegExp(`function "sprig_${name}" not defined`));
    });
  }
});

describe('parseOnlyFunctions', () => {
  it('has the same names and signatures as templateFunctions', () => {
    const full = templateFunctions({ secrets: { read: () => undefined, write: () => undefined, list: () => undefined }, env: () => undefined, readFile: () => '', now: () => new Date(0) });
    assert.deepEqual([...parseOnlyFunctions.keys()].sort(), [...full.keys()].sort());
    for (const [name, f] of full) {
      const p = parseOnlyFunctions.get(name)!;
      assert.deepEqual({ params: p.params, variadic: p.variadic }, { params: f.params, variadic: f.variadic }, name);
    }
    for (const name of ['secret', 'secrets', 'toYAML', 'sprig_default', 'base64Decode', 'timestamp']) assert.ok(parseOnlyFunctions.has(name), name);
  });

  it('parses a template that uses them', () => {
    const t = parseTemplate('{{ with secret "x" }}{{ .Data.y | toYAML | sprig_indent 2 }}{{ end }}', parseOnlyFunctions, { name: 'a' });
    assert.ok(t);
    assert.throws(() => parseTemplate('{{ nope }}', parseOnlyFunctions, { name: 'a' }), { message: 'template: a:1: function "nope" not defined' });
  });
});

it('scratch is fresh for every execution, shared with the templates it invokes', () => {
  const functions = templateFunctions({ secrets: { read: () => undefined, write: () => undefined, list: () => undefined }, env: () => undefined, readFile: () => '', now: () => new Date(0) });
  const template = parseTemplate('{{ define "inner" }}{{ scratch.Get "k" }}{{ end }}{{ scratch.SetX "k" "first" }}{{ template "inner" }}{{ executeTemplate "inner" }}', functions, { name: 's' });
  assert.equal(executeTemplate(template, undefined, { missingKey: 'zero' }), 'firstfirst');
  const second = parseTemplate('{{ scratch.Get "k" }}', functions, { name: 's2' });
  assert.equal(executeTemplate(second, undefined, { missingKey: 'zero' }), '<no value>');
  assert.equal(executeTemplate(template, undefined, { missingKey: 'zero' }), 'firstfirst');
});

it('sprig sequences over a million numbers are refused with a clear error, not allocated', () => {
  const functions = templateFunctions({ secrets: { read: () => undefined, write: () => undefined, list: () => undefined }, env: () => undefined, readFile: () => '', now: () => new Date(0) });
  const run = (text: string): string => executeTemplate(parseTemplate(text, functions, { name: 'seq' }), undefined, { missingKey: 'zero' });
  assert.throws(() => run('{{ range sprig_until 1000000000 }}{{ end }}'), /error calling sprig_until: until: a sequence of 1000000000 numbers is over the limit of 1000000/);
  assert.throws(() => run('{{ sprig_seq 5000000 }}'), /seq: a sequence of 5000000 numbers is over the limit/);
  assert.equal(run('{{ len (sprig_until 1000) }} {{ sprig_seq 3 }}'), '1000 1 2 3');
});
