/** Regenerates engine-expected.json from Go 1.19's text/template (gotpl). Go is only on the
 *  development machine, so the results are committed. Usage: node --import tsx test/template/engine-oracle.ts */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { engineCases } from './engine-cases.ts';

const gotpl = process.env['GOTPL'] ?? '/opt/gotpl/gotpl';
const raws: string[] = [];
const input = JSON.stringify(engineCases.map((c) => {
  if (c.secrets === undefined) return c;
  const secrets: Record<string, string> = {};
  for (const [path, body] of Object.entries(c.secrets)) {
    secrets[path] = `\u0000RAW${raws.length}\u0000`;
    raws.push(body);
  }
  return { ...c, secrets };
})).replace(/"\\u0000RAW(\d+)\\u0000"/g, (_m, i: string) => raws[Number(i)]!);
const results = JSON.parse(execFileSync(gotpl, [], { input, encoding: 'utf8', maxBuffer: 64 << 20 })) as
  Array<{ name: string; ok: boolean; output?: string; error?: string }>;
const expected: Record<string, { ok: boolean; output: string; error?: string }> = {};
for (const r of results) {
  if (r.name in expected) throw new Error(`duplicate case name ${r.name}`);
  expected[r.name] = r.ok ? { ok: true, output: r.output ?? '' } : { ok: false, output: r.output ?? '', error: r.error ?? '' };
}
writeFileSync(new URL('./engine-expected.json', import.meta.url), JSON.stringify(expected, null, 1) + '\n');
console.log(`${results.length} cases written`);
