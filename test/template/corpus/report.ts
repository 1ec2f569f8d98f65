// Prints the corpus cases our engine disagrees on (a diagnostic; conformance.test.ts is the test).
//   node_modules/.bin/node --import tsx test/template/corpus/report.ts [filter]
import { loadCorpus, runCase } from './load.ts';

const filter = process.argv[2];
let total = 0;
let failed = 0;
for (const { file, cases } of loadCorpus()) {
  for (const c of cases) {
    if (filter !== undefined && !c.name.includes(filter)) continue;
    total++;
    const actual = runCase(c);
    if (actual.ok === c.expected.ok && actual.output === c.expected.output && actual.error === c.expected.error) continue;
    failed++;
    console.log(`--- ${file} ${c.name}\n  template: ${JSON.stringify(c.template)}`);
    console.log(`  want: ${JSON.stringify(c.expected)}`);
    console.log(`  got:  ${JSON.stringify(actual).slice(0, 600)}`);
  }
}
console.log(`${total - failed}/${total} pass, ${failed} fail`);
