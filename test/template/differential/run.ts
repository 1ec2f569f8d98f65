// Differential tester: random templates and data through the template oracle (test/oracle: Go 1.26's
// text/template with consul-template's own function map) and our engine; prints every
// disagreement with a shrunk repro.
//   npm run -s test:differential -- [--count N] [--seed S] [--mode raw|typed|serial|all] [--max REPORTS]
import { parseArgs } from 'node:util';
import type { CaseSource } from '../corpus/case.ts';
import { runGotpl } from '../corpus/gotpl.ts';
import { runCase } from '../corpus/load.ts';
import { jsonObject, mulberry32, pieces, serialData, typedData, typedPieces } from './grammar.ts';

const { values } = parseArgs({ options: { count: { type: 'string', default: '3000' }, seed: { type: 'string', default: '1' }, max: { type: 'string', default: '40' }, mode: { type: 'string', default: 'all' } } });
const count = Number(values.count);
const seed = Number(values.seed);
const maxReports = Number(values.max);

interface Generated { source: CaseSource; parts: string[] }

const VAULT_NUMBERS = ['0', '1', '-1', '42', '5432', '1000000', '0.5', '1.0', '1.50', '-2.5', '1e3', '1E-7', '12345678901234567890', '100'];
const FLOAT_NUMBERS = ['0', '1', '-1', '42', '5432', '1000000', '0.5', '1.5', '-2.5', '1000', '1e-7', '1e21', '3.14159', '100'];

function generateSerial(index: number): Generated {
  const r = mulberry32(seed * 1000003 + index);
  const body = serialData(r, 3);
  const fn = ['toYAML', 'toYAML', 'toJSON', 'toJSONPretty', 'toUnescapedJSONPretty', 'sprig_toPrettyJson'][index % 6]!;
  const parts = [`{{ with secret "secret/s" }}{{ .Data.v | ${fn} }}{{ end }}`, '|', `{{ .v | ${fn} }}`];
  const data = JSON.parse(`{"v":${serialData(r, 3)}}`) as unknown;
  return { parts, source: { name: `s${index}`, template: parts.join(''), data, secrets: { 'secret/s': `{"data":{"v":${body}}}` }, missingkey: 'zero' } };
}

function generate(index: number): Generated {
  // modes: raw (any grammar, mostly errors), typed (mostly well-typed), serial (toYAML/toJSON), all
  if (values.mode === 'serial' || (values.mode === 'all' && index % 3 === 2)) return generateSerial(index);
  const typed = values.mode === 'typed' || (values.mode === 'all' && index % 3 === 1);
  if (typed) return generateTyped(index);
  const r = mulberry32(seed * 1000003 + index);
  const parts = pieces(r);
  const data = JSON.parse(jsonObject(r, 2, FLOAT_NUMBERS)) as unknown;
  const secret = `{"request_id":"r","lease_id":"","lease_duration":0,"renewable":false,"data":${jsonObject(r, 2, VAULT_NUMBERS)}}`;
  const missingkey = (['default', 'zero', 'zero', 'zero', 'error'] as const)[Math.floor(r() * 5)]!;
  return { parts, source: { name: `d${index}`, template: parts.join(''), data, secrets: { 'secret/s': secret }, missingkey } };
}

function generateTyped(index: number): Generated {
  const r = mulberry32(seed * 1000003 + index);
  const parts = typedPieces(r);
  const { data, secret } = typedData(r);
  return { parts, source: { name: `t${index}`, template: parts.join(''), data: JSON.parse(data) as unknown, secrets: { 'secret/s': secret }, missingkey: 'zero' } };
}

function agrees(source: CaseSource, expected: { ok: boolean; output?: string; error?: string }): boolean {
  const actual = runCase(source);
  return actual.ok === expected.ok && actual.output === (expected.output ?? '') && (actual.error ?? '') === (expected.error ?? '');
}

function disagreesNow(source: CaseSource): boolean {
  const [expected] = runGotpl([source]);
  return expected !== undefined && !agrees(source, expected);
}

/** Drops pieces while the disagreement stays. */
function shrink(g: Generated): CaseSource {
  let parts = g.parts;
  let changed = true;
  while (changed && parts.length > 1) {
    changed = false;
    for (let i = 0; i < parts.length; i++) {
      const candidate = parts.filter((_, j) => j !== i);
      const source = { ...g.source, template: candidate.join('') };
      if (disagreesNow(source)) { parts = candidate; changed = true; break; }
    }
  }
  return { ...g.source, template: parts.join('') };
}

const generated = Array.from({ length: count }, (_, i) => generate(i));
const started = Date.now();
const expected = runGotpl(generated.map((g) => g.source));
const failures: Generated[] = [];
let goErrors = 0;
generated.forEach((g, i) => {
  const want = expected[i]!;
  if (!want.ok) goErrors++;
  if (!agrees(g.source, want)) failures.push(g);
});
console.log(`${count} templates (seed ${seed}, mode ${values.mode}), Go errored on ${goErrors}; ${failures.length} disagreements (${Date.now() - started} ms)`);
const seen = new Set<string>();
let reported = 0;
for (const g of failures) {
  if (reported >= maxReports) break;
  const small = shrink(g);
  const [want] = runGotpl([small]);
  const got = runCase(small);
  const key = `${want?.error ?? want?.output}|${got.error ?? got.output}`.replace(/d\d+/g, '');
  if (seen.has(small.template + key)) continue;
  seen.add(small.template + key);
  reported++;
  console.log(`\n--- ${small.name} missingkey=${small.missingkey}`);
  console.log(`template: ${JSON.stringify(small.template)}`);
  console.log(`data:     ${JSON.stringify(small.data)}`);
  console.log(`secret:   ${small.secrets?.['secret/s']}`);
  console.log(`go:       ${JSON.stringify(want)}`);
  console.log(`ours:     ${JSON.stringify(got)}`);
}
process.exitCode = failures.length === 0 ? 0 : 1;
