// The engine against Go 1.19's text/template: every case in engine-cases.ts, expected results
// produced by gotpl (engine-oracle.ts) and stored in engine-expected.json.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { engineCases } from './engine-cases.ts';
import { runCase, type RunResult } from './engine-harness.ts';

type Expected = { ok: boolean; output: string; error?: string };
const expected = JSON.parse(readFileSync(new URL('./engine-expected.json', import.meta.url), 'utf8')) as Record<string, Expected>;

/** Deliberate differences from the Go 1.19 oracle (DESIGN.md: accept what newer Vault Agents accept). */
const NEWER_GO: Record<string, RunResult> = {
  'control/else-with': { ok: true, output: 'bstr' },
};

for (const c of engineCases) {
  test(c.name, () => {
    const want = NEWER_GO[c.name] ?? expected[c.name];
    assert.ok(want !== undefined, `no expected result for ${c.name}: run engine-oracle.ts`);
    const got = runCase(c);
    assert.deepEqual(got, want.ok ? { ok: true, output: want.output } : want);
  });
}
