/**
 * Regenerates the expected results of the conformance corpus by running every case through
 * the template oracle (test/oracle, built by scripts/build-oracle.sh). Run on demand:
 *   node_modules/.bin/node --import tsx test/template/corpus/generate.ts
 * Reads sources/*.ts, writes one NN-topic.json per source beside this file; the generated files are
 * committed (conformance.test.ts checks our engine against them). Expected outputs are never written
 * by hand.
 */
import { readdirSync, writeFileSync } from 'node:fs';
import { join, basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CaseSource, CorpusCase } from './case.ts';
import { runGotpl } from './gotpl.ts';

const here = fileURLToPath(new URL('.', import.meta.url));
const sourcesDir = join(here, 'sources');

async function main(): Promise<void> {
  const files = readdirSync(sourcesDir).filter((f) => f.endsWith('.ts')).sort();
  const seen = new Set<string>();
  let total = 0;
  for (const file of files) {
    const module = (await import(join(sourcesDir, file))) as { default: CaseSource[] };
    const sources = module.default;
    for (const source of sources) {
      if (seen.has(source.name)) throw new Error(`duplicate case name ${source.name} in ${file}`);
      seen.add(source.name);
    }
    const results = runGotpl(sources);
    const corpus: CorpusCase[] = sources.map((source, i) => {
      const result = results[i];
      if (result === undefined || result.name !== source.name) throw new Error(`gotpl result mismatch at ${source.name}`);
      const expected = result.ok
        ? { ok: true, output: result.output ?? '' }
        : { ok: false, output: result.output ?? '', error: result.error ?? '' };
      return { ...source, expected };
    });
    const out = join(here, `${basename(file, '.ts')}.json`);
    writeFileSync(out, JSON.stringify(corpus, null, 1) + '\n');
    total += corpus.length;
    console.log(`${basename(out)}: ${corpus.length} cases (${corpus.filter((c) => !c.expected.ok).length} errors)`);
  }
  console.log(`total: ${total} cases`);
}

await main();
