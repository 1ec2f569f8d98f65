// consul-template v0.41.1's template tests that the corpus cannot express, through our agent's
// template seam (agent/src/render/engine.ts): error_on_missing_key, delimiters, the error texts,
// and the clock-bound timestamp cases (their test fakes `now`, as we do here).
//
// consul-template names the template "" and wraps Go's error as `parse: template: :1: ...` or
// `execute: template: :1:3: ...`. Our agent, on purpose (docs/template-oracle.md), names the
// template after its destination file and carries the phase beside Go's text (EngineError.phase,
// then AGENT_TEMPLATE_PARSE or AGENT_TEMPLATE_EXEC): the text itself must be the oracle's, with
// the name changed. The oracle's texts come from corpus 24-consul-template-tests.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createTemplateEngine, EngineError } from '../../agent/src/render/engine.ts';
import type { CorpusCase } from './corpus/case.ts';

const corpus = JSON.parse(readFileSync(new URL('./corpus/24-consul-template-tests.json', import.meta.url), 'utf8')) as CorpusCase[];

/** The oracle's result for a ported case, its template renamed to `name`. */
function oracle(caseName: string, name: string): { ok: boolean; output: string; error?: string } {
  const c = corpus.find((entry) => entry.name === `cttest/${caseName}`);
  assert.ok(c !== undefined, caseName);
  const error = c.expected.error?.replaceAll(`"cttest/${caseName}"`, `"${name}"`).replaceAll(`template: cttest/${caseName}:`, `template: ${name}:`);
  return { ok: c.expected.ok, output: c.expected.output, ...(error !== undefined ? { error } : {}) };
}

const engine = createTemplateEngine({
  secrets: { read: () => undefined, write: () => undefined, list: () => undefined },
  env: { CT_TEST: '1' },
  now: () => new Date(0),
});

function compileError(text: string): EngineError {
  try {
    engine.compile(text, { destination: '/vault/secrets/db.env', errorOnMissingKey: false });
  } catch (error) {
    assert.ok(error instanceof EngineError);
    return error;
  }
  assert.fail('compiled');
}

function render(text: string, options: { errorOnMissingKey?: boolean; leftDelimiter?: string; rightDelimiter?: string } = {}): { ok: true; output: string } | { ok: false; error: EngineError } {
  const compiled = engine.compile(text, { destination: '/vault/secrets/db.env', errorOnMissingKey: options.errorOnMissingKey ?? false, leftDelimiter: options.leftDelimiter, rightDelimiter: options.rightDelimiter });
  try {
    return { ok: true, output: compiled.execute() };
  } catch (error) {
    assert.ok(error instanceof EngineError);
    return { ok: false, error };
  }
}

test('Execute/bad_func: a parse error is Go\'s text named after the destination, phase parse (consul-template: "parse: ...")', () => {
  const error = compileError('{{ bad_func }}');
  assert.equal(error.phase, 'parse');
  assert.equal(error.message, oracle('Execute/bad_func', 'db.env').error);
  assert.doesNotMatch(error.message, /^parse: /);
});

test('Execute/err_missing_keys__true: error_on_missing_key is missingkey=error, phase exec (consul-template: "execute: ...")', () => {
  const result = render('{{ .Data.Foo }}', { errorOnMissingKey: true });
  assert.equal(result.ok, false);
  if (result.ok) return;
  assert.equal(result.error.phase, 'exec');
  assert.equal(result.error.message, oracle('Execute/err_missing_keys__true', 'db.env').error);
  assert.doesNotMatch(result.error.message, /^execute: /);
});

test('Execute/err_missing_keys__false: without error_on_missing_key, missingkey=zero', () => {
  assert.deepEqual(render('{{ .Data.Foo }}'), { ok: true, output: oracle('Execute/err_missing_keys__false', 'db.env').output });
  assert.deepEqual(render('{{ .Data.Foo }}'), { ok: true, output: '<no value>' });
});

test('Execute/helper_mustEnv_negative: a function\'s error is Go\'s text, phase exec', () => {
  const result = render('{{ mustEnv "CT_TEST_NONEXISTENT" }}');
  assert.equal(result.ok, false);
  if (!result.ok) assert.equal(result.error.message, oracle('Execute/helper_mustEnv_negative', 'db.env').error);
  assert.deepEqual(render('{{ env "CT_TEST" }}'), { ok: true, output: oracle('Execute/helper_env', 'db.env').output });
});

test('NewTemplate/custom_delims: the template\'s delimiters', () => {
  assert.deepEqual(render('test', { leftDelimiter: '<<', rightDelimiter: '>>' }), { ok: true, output: oracle('NewTemplate/custom_delims', 'db.env').output });
  assert.deepEqual(render('<< "a" >>{{ "b" }}<<- " c" | toUpper >>', { leftDelimiter: '<<', rightDelimiter: '>>' }), { ok: true, output: oracle('NewTemplate/custom_delims-action', 'db.env').output });
});

test('Execute/helper_timestamp, helper_helper_timestamp__formatted: the clock consul-template\'s test fakes (Unix 0, UTC)', () => {
  // upstream's own expectations; the oracle's clock is real, so these are not in the corpus
  assert.deepEqual(render('{{ timestamp }}'), { ok: true, output: '1970-01-01T00:00:00Z' });
  assert.deepEqual(render('{{ timestamp "2006-01-02" }}'), { ok: true, output: '1970-01-01' });
});

test('TestTemplate_error_secret_leak: the agent redacts the used secrets\' values from an execution error, as consul-template does', () => {
  const bodies: Record<string, string> = {
    'secret/foo': '{"lease_id":"abcd1234","lease_duration":120,"renewable":true,"data":{"zip":"zoo"}}',
    'database/creds/ro': '{"lease_id":"database/creds/ro/x","lease_duration":3600,"renewable":true,"data":{"username":"v-ro-x9Tq3","password":"A1a-8dkeJ2kW2"}}',
  };
  const agent = createTemplateEngine({
    secrets: { read: (path) => bodies[path], write: (path) => bodies[path], list: () => undefined },
    env: {},
    now: () => new Date(0),
  });
  const run = (text: string): EngineError => {
    try {
      agent.compile(text, { destination: '/vault/secrets/db.env', errorOnMissingKey: false }).execute();
    } catch (error) {
      assert.ok(error instanceof EngineError);
      return error;
    }
    assert.fail('rendered');
  };
  const leak = run('{{ with secret "secret/foo" }}\n\t\t\t\t\t{{- range $key, $value := .Data.zip }}\n\t\t\t\t\t\texport {{ $key }}="{{ $value }}"\n\t\t\t\t\t{{- end }}\n\t\t\t\t{{ end }}');
  assert.doesNotMatch(leak.message, /zoo/);
  assert.equal(leak.message, oracle('error_secret_leak-redacted', 'db.env').error);
  const creds = run('{{ with secret "database/creds/ro" }}{{ printf "%s %s" .Data.username .Data.password | parseInt }}{{ end }}');
  assert.equal(creds.message, oracle('redact/dynamic-secret', 'db.env').error);
  // the next execution starts with nothing used: what it did not read stays in its error
  const other = run('{{ "zoo" | parseInt }}');
  assert.match(other.message, /parsing "zoo"/);
});

test('an empty secret value is not redacted (consul-template would put [redacted] between every byte)', () => {
  const agent = createTemplateEngine({
    secrets: { read: (path) => (path === 'kv/e' ? '{"data":{"e":"","k":"hunter2"}}' : undefined), write: () => undefined, list: () => undefined },
    env: {},
    now: () => new Date(0),
  });
  let message = '';
  try {
    agent.compile('{{ with secret "kv/e" }}{{ .Data.k | parseInt }}{{ end }}', { destination: '/vault/secrets/e.env', errorOnMissingKey: false }).execute();
  } catch (error) {
    assert.ok(error instanceof EngineError);
    message = error.message;
  }
  assert.equal(message, 'template: e.env:1:37: executing "e.env" at <parseInt>: error calling parseInt: parseInt: strconv.ParseInt: parsing "[redacted]": invalid syntax');
});

test('adapted/func_file through the agent: the file\'s bytes as Go reads them (binary ones too)', () => {
  const file = 'test/template/corpus/files/ct-file.bin';
  const template = `{{ file "${file}" | printf "%q" }}|{{ file "${file}" | base64Encode }}|{{ file "${file}" | sha256Hex }}|{{ len (file "${file}") }}`;
  assert.deepEqual(render(template), { ok: true, output: oracle('adapted/func_file', 'db.env').output });
});
