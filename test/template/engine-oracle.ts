/** Regenerates engine-expected.json from the template oracle (test/oracle: Go 1.26 text/template
 *  and consul-template's function map). Usage: node --import tsx test/template/engine-oracle.ts */
import { writeFileSync } from 'node:fs';
import { engineCases } from './engine-cases.ts';
import { runOracle } from '../oracle/oracle.ts';

const results = runOracle(engineCases);
const expected: Record<string, { ok: boolean; output: string; error?: string }> = {};
for (const r of results) {
  if (r.name in expected) throw new Error(`duplicate case name ${r.name}`);
  expected[r.name] = r.ok ? { ok: true, output: r.output ?? '' } : { ok: false, output: r.output ?? '', error: r.error ?? '' };
}
writeFileSync(new URL('./engine-expected.json', import.meta.url), JSON.stringify(expected, null, 1) + '\n');
console.log(`${results.length} cases written`);
