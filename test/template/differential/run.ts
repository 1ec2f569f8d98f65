// Differential tester: random templates and data through the template oracle (test/oracle: Go 1.26's
// text/template with consul-template's own function map) and our engine; prints every
// disagreement with a shrunk repro.
//   npm run -s test:differential -- [--count N] [--seed S] [--mode raw|typed|serial|calls|printf|all] [--max REPORTS]
// calls: every function of consul-template's map (as the oracle lists it) with random arguments;
// printf: random format strings against random values.
import { parseArgs } from 'node:util';
import type { CaseSource } from '../corpus/case.ts';
import { runGotpl } from '../corpus/gotpl.ts';
import { runCase } from '../corpus/load.ts';
import { jsonObject, mulberry32, pieces, serialData, typedData, typedPieces } from './grammar.ts';
import { callData, callTemplate, NOT_COMPARABLE } from './calls.ts';
import { oracleFunctionNames } from '../../oracle/oracle.ts';
import { parseOnlyFunctions, UNAVAILABLE_FUNCTIONS } from '../../../agent/src/template/functions/index.ts';

const { values } = parseArgs({ options: { count: { type: 'string', default: '3000' }, seed: { type: 'string', default: '1' }, max: { type: 'string', default: '40' }, mode: { type: 'string', default: 'all' }, only: { type: 'string' } } });
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

/** Functions the calls mode exercises: the oracle's map, less what differs by design or by chance,
 *  and less what we do not have yet (function-map.test.ts lists those). */
const callable = values.mode === 'calls' || values.mode === 'all'
  ? oracleFunctionNames().filter((name) => !NOT_COMPARABLE.has(name) && !UNAVAILABLE_FUNCTIONS.has(name) && parseOnlyFunctions.has(name))
    .filter((name) => values.only === undefined || values.only.split(',').includes(name))
  : [];

function generateCall(index: number): Generated {
  const r = mulberry32(seed * 1000003 + index);
  const name = callable[index % callable.length]!;
  const parts = callTemplate(r, name);
  const { data, secrets } = callData();
  return { parts, source: { name: `c${index}`, template: parts.join(''), data, secrets, missingkey: (['default', 'zero', 'error'] as const)[index % 3]! } };
}

const PRINTF_VERBS = ['v', '+v', '#v', 'T', 't', 'b', 'c', 'd', 'o', 'O', 'q', 'x', 'X', 'U', '#U', 'e', 'E', 'f', 'F', 'g', 'G', 's', 'p', '%', 'z', '#x', '#o', ' d', '+d', '-5d', '05d', '08.3f', '-8s|', '.2s', '*d', '[2]d', '[1]*d', '.*f', '#q', '+q', ' x', '010v'];
const PRINTF_VALUES = ['0', '-1', '42', '3.25', '-0.5', '1e21', '"s"', '"日本"', '""', 'true', 'nil', '.l', '.m', '.n', '.i', '.nil', '(secret "secret/s").Data.n', '(secret "secret/s").Data.m.k', '(secret "secret/s").Warnings', '(secret "secret/s")', "'x'", '(sprig_list 1 "a")', '9223372036854775807', '2.5i', '(parseInt "-7")', '(parseUint "7")'];

function generatePrintf(index: number): Generated {
  const r = mulberry32(seed * 1000003 + index);
  const verbs = Array.from({ length: 1 + Math.floor(r() * 3) }, () => '%' + PRINTF_VERBS[Math.floor(r() * PRINTF_VERBS.length)]!);
  const format = verbs.join(r() < 0.5 ? ' ' : '|');
  const values = Array.from({ length: Math.floor(r() * 4) }, () => PRINTF_VALUES[Math.floor(r() * PRINTF_VALUES.length)]!);
  const parts = [`{{ printf ${JSON.stringify(format)}${values.map((v) => ' ' + v).join('')} }}`];
  const { data, secrets } = callData();
  return { parts, source: { name: `p${index}`, template: parts.join(''), data, secrets, missingkey: 'zero' } };
}

function generate(index: number): Generated {
  // modes: raw (any grammar, mostly errors), typed (mostly well-typed), serial (toYAML/toJSON),
  // calls (every function, random arguments), printf (random formats), all (each in turn)
  if (values.mode === 'calls' || (values.mode === 'all' && index % 5 === 3)) return generateCall(index);
  if (values.mode === 'printf' || (values.mode === 'all' && index % 5 === 4)) return generatePrintf(index);
  if (values.mode === 'serial' || (values.mode === 'all' && index % 5 === 2)) return generateSerial(index);
  const typed = values.mode === 'typed' || (values.mode === 'all' && index % 5 === 1);
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

/** Pointers print as addresses, which differ from run to run in Go itself. */
const addresses = (s: string): string => s.replace(/0x[0-9a-f]{9,}/g, '0xADDRESS');

function agrees(source: CaseSource, expected: { ok: boolean; output?: string; error?: string }): boolean {
  const actual = runCase(source);
  return actual.ok === expected.ok && addresses(actual.output) === addresses(expected.output ?? '') && addresses(actual.error ?? '') === addresses(expected.error ?? '');
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
