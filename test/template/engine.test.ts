// The engine against the template oracle (Go 1.26's text/template with consul-template's own
// function map): every case in engine-cases.ts, expected results produced by engine-oracle.ts and
// stored in engine-expected.json.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { engineCases } from './engine-cases.ts';
import { runCase } from './engine-harness.ts';

type Expected = { ok: boolean; output: string; error?: string };
const expected = JSON.parse(readFileSync(new URL('./engine-expected.json', import.meta.url), 'utf8')) as Record<string, Expected>;

for (const c of engineCases) {
  test(c.name, () => {
    const want = expected[c.name];
    assert.ok(want !== undefined, `no expected result for ${c.name}: run engine-oracle.ts`);
    const got = runCase(c);
    assert.deepEqual(got, want.ok ? { ok: true, output: want.output } : want);
  });
}
