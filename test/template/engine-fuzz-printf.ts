/** Differential fuzzing of printf (random verbs, flags, widths, precisions, argument indexes and
 *  argument types) against the template oracle (test/oracle). A development tool, not a test:
 *    node --import tsx test/template/engine-fuzz-printf.ts [seed] [count] */
import { execFileSync } from 'node:child_process';
import { oraclePath } from '../oracle/oracle.ts';
import { runCase } from './engine-harness.ts';
import { prng } from '../support/prng.ts';
const random = prng(Number(process.argv[2] ?? 1));
const pick = <T,>(a: readonly T[]): T => a[Math.floor(random() * a.length)]!;
const verbs = 'vdsqxXobeEfFgGtcUTO%'.split('').concat(['v', 'v', 'd', 's']);
const flags = ['', '', '', '+', '-', '#', ' ', '0', '+0', '-#', '# ', '0-', '+ '];
const widths = ['', '', '', '5', '1', '12', '*', '0'];
const precs = ['', '', '', '.0', '.1', '.3', '.10', '.*', '.'];
const args = ['1', '-7', '0', '255', '3.14159', '-2.5', '1e21', '1e-7', '0.0', '"abc"', '"héllo"', '""', 'true', 'nil', '.m', '.l', '.n', '.nil', '.missing', "'x'", '1i', '(index .l 0)', '(secret "s").Data.port', '(secret "s").Data', '(secret "s").Data.port.Int64', '(secret "s").Warnings', '.big', '.neg', '0x7fffffffffffffff'];
const secret = '{"request_id":"r","lease_id":"l","lease_duration":60,"renewable":true,"data":{"port":5432,"ratio":0.5,"list":["a",1]},"warnings":["w"]}';
const N = Number(process.argv[3] ?? 3000);
const cases = [];
for (let i = 0; i < N; i++) {
  let fmt = '';
  const nv = 1 + Math.floor(random() * 3);
  for (let k = 0; k < nv; k++) fmt += pick(['', 'a', '|']) + '%' + (random() < 0.1 ? `[${1 + Math.floor(random() * 3)}]` : '') + pick(flags) + pick(widths) + pick(precs) + pick(verbs);
  const na = Math.floor(random() * 4);
  const as = [];
  for (let k = 0; k < na; k++) as.push(pick(args));
  cases.push({ name: 'pf' + i, template: `{{printf ${JSON.stringify(fmt)} ${as.join(' ')}}}`, data: { m: { a: 1, b: 'x' }, l: ['a', null, 2], n: 5, nil: null, big: 1e300, neg: -0.0001 }, secrets: { s: secret } });
}
const input = JSON.stringify(cases.map((c) => ({ ...c, secrets: { s: '@S@' } }))).replaceAll('"@S@"', secret);
const go = JSON.parse(execFileSync(oraclePath(), [], { input, encoding: 'utf8', maxBuffer: 1 << 28 }));
let bad = 0;
cases.forEach((c, i) => {
  const got = runCase(c); const g = go[i];
  const want = g.ok ? { ok: true, output: g.output ?? '' } : { ok: false, output: g.output ?? '', error: g.error };
  if (JSON.stringify(got) !== JSON.stringify(want)) { bad++; if (bad <= 15) console.log('DIFF', c.template, '\n  go: ', JSON.stringify(want), '\n  ts: ', JSON.stringify(got)); }
});
console.log(`${N - bad}/${N} agree`);
process.exitCode = bad === 0 ? 0 : 1;
