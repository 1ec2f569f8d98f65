// Every corpus case through our engine and functions, compared with the template oracle (Go 1.26's
// text/template with consul-template's function map; the expected results were produced by
// corpus/generate.ts). Output and error text must be identical.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadCorpus, runCase } from './corpus/load.ts';
import { runOracle } from '../oracle/oracle.ts';

const corpus = loadCorpus();

/** Corpus files whose results depend on the machine (its interfaces, its programs): the stored
 *  results are the generating machine's, so their cases are judged by the oracle here, live, on
 *  the machine the test runs on. */
const MACHINE_BOUND = new Set(['19-machine.json']);

describe('template conformance with Go text/template', () => {
  it('has the corpus', () => {
    const total = corpus.reduce((n, f) => n + f.cases.length, 0);
    assert.ok(total >= 300, `corpus has ${total} cases`);
  });
  for (const { file, cases } of corpus) {
    describe(file, () => {
      let live: Map<string, { ok: boolean; output: string; error: string | undefined }> | undefined;
      const expectedOf = (c: (typeof cases)[number]) => {
        if (!MACHINE_BOUND.has(file)) return c.expected;
        live ??= new Map(runOracle(cases).map((r) => [r.name, { ok: r.ok, output: r.output ?? '', error: r.ok ? undefined : r.error ?? '' }]));
        return live.get(c.name)!;
      };
      for (const c of cases) {
        it(c.name, () => {
          const actual = runCase(c);
          const expected = expectedOf(c);
          assert.deepEqual(
            { ok: actual.ok, output: actual.output, error: actual.error },
            { ok: expected.ok, output: expected.output, error: expected.error },
            `template: ${JSON.stringify(c.template)}`,
          );
        });
      }
    });
  }
});
