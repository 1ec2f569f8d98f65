// Every corpus case through our engine and functions, compared with the template oracle (Go 1.26's
// text/template with consul-template's function map; the expected results were produced by
// corpus/generate.ts). Output and error text must be identical.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadCorpus, runCase } from './corpus/load.ts';

const corpus = loadCorpus();

describe('template conformance with Go text/template', () => {
  it('has the corpus', () => {
    const total = corpus.reduce((n, f) => n + f.cases.length, 0);
    assert.ok(total >= 300, `corpus has ${total} cases`);
  });
  for (const { file, cases } of corpus) {
    describe(file, () => {
      for (const c of cases) {
        it(c.name, () => {
          const actual = runCase(c);
          assert.deepEqual(
            { ok: actual.ok, output: actual.output, error: actual.error },
            { ok: c.expected.ok, output: c.expected.output, error: c.expected.error },
            `template: ${JSON.stringify(c.template)}`,
          );
        });
      }
    });
  }
});
