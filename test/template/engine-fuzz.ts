/** Differential fuzzing of the engine against the template oracle (test/oracle): random templates from the grammar,
 *  run through both, disagreements printed. A development tool, not a test:
 *    node --import tsx test/template/engine-fuzz.ts [seed] [count] */
import { execFileSync } from 'node:child_process';
import { oraclePath } from '../oracle/oracle.ts';
import { runCase } from './engine-harness.ts';
import { prng } from '../support/prng.ts';
import type { EngineCase } from './engine-cases.ts';

const random = prng(Number(process.argv[2] ?? 1));
const count = Number(process.argv[3] ?? 2000);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

const data = {
  m: { b: 2, a: 1, 'x-y': 'dash' }, l: ['a', null, 'c', 2.5], s: 'str', n: 5, f: 1.5, z: 0, e: '', t: true, nil: null,
  nums: [3, 1, 2], nested: { k: { v: 'deep' }, arr: [{ n: 'x' }] }, big: 1e21, neg: -2,
};
const secret = JSON.stringify({
  request_id: 'r', lease_id: 'l', lease_duration: 60, renewable: true,
  data: { port: 5432, ratio: 0.5, name: 'db', list: ['a', 'b'], obj: { k: 1.0 }, none: null }, warnings: ['w'],
}).replace('"k":1', '"k":1.0');

const fields = ['.m', '.l', '.s', '.n', '.f', '.z', '.e', '.t', '.nil', '.nums', '.nested', '.nested.k', '.nested.k.v', '.missing',
  '.m.a', '.m.q', '.s.x', '.nil.x', '.big', '.neg', '.', '$', '$.s', '$v', '$v.a', '(secret "s").Data.port', '(secret "s").Data',
  '(secret "s").Data.obj.k', '(secret "s").Warnings', '(secret "s").LeaseDuration', '(secret "s").Data.ratio.Float64',
  '(secret "s").Data.port.Int64', '(secret "none")'];
const literals = ['1', '0', '-1', '2.5', '1e3', '"a"', '"str"', '`r`', 'true', 'false', 'nil', "'x'", '0x10', '1i', '""', '"5432"'];
const unary = ['len', 'not', 'print', 'println', 'html', 'js', 'urlquery', 'printf "%v"', 'printf "%d"', 'printf "%s"',
  'printf "%q"', 'printf "%5.1f"', 'printf "%x"', 'printf "%T"', 'printf "%+v"', 'printf "%#v"', 'index', 'slice', 'parseInt', 'split ","'];
const binary = ['eq', 'ne', 'lt', 'le', 'gt', 'ge', 'and', 'or', 'index', 'slice', 'print', 'printf "%v %v"', 'printf "%v"', 'join', 'indent'];

function operand(depth: number): string {
  const r = random();
  if (r < 0.45) return pick(fields);
  if (r < 0.8 || depth > 2) return pick(literals);
  return `(${pipeline(depth + 1)})`;
}

function command(depth: number): string {
  const r = random();
  if (r < 0.3) return operand(depth);
  if (r < 0.6) return `${pick(unary)} ${operand(depth)}`;
  if (r < 0.9) return `${pick(binary)} ${operand(depth)} ${operand(depth)}`;
  return `${pick(binary)} ${operand(depth)} ${operand(depth)} ${operand(depth)}`;
}

function pipeline(depth: number): string {
  let p = command(depth);
  if (random() < 0.25) p += ` | ${pick([...unary, ...binary])}`;
  if (random() < 0.1) p = `${pick(['$w := ', '$v = '])}${p}`;
  return p;
}

function body(depth: number): string {
  let out = '';
  const n = 1 + Math.floor(random() * 3);
  for (let i = 0; i < n; i++) {
    const r = random();
    const pad = pick(['', ' ', 'x', '\n', '-', 'é']);
    if (r < 0.5 || depth > 2) out += `${pad}{{${pick(['', ' ', '- '])}${pipeline(depth)}${pick(['', ' ', ' -'])}}}`;
    else if (r < 0.62) out += `{{if ${pipeline(depth)}}}${body(depth + 1)}${random() < 0.5 ? `{{else}}${body(depth + 1)}` : ''}{{end}}`;
    else if (r < 0.74) out += `{{with ${pipeline(depth)}}}${body(depth + 1)}${random() < 0.3 ? `{{else}}${body(depth + 1)}` : ''}{{end}}`;
    else if (r < 0.8) out += `{{template "t" ${operand(depth)}}}`;
    else out += `{{range ${pick(['', '$i, $e := ', '$e := '])}${pick(fields)}}}${body(depth + 1)}${random() < 0.3 ? '{{break}}' : ''}${random() < 0.3 ? `{{else}}${body(depth + 1)}` : ''}{{end}}`;
  }
  return out;
}

const cases: EngineCase[] = [];
for (let i = 0; i < count; i++) {
  cases.push({
    name: `fuzz-${i}`,
    template: `{{$v := .m}}{{define "t"}}[{{.}}|{{$}}]{{end}}${body(0)}`,
    data,
    secrets: { s: secret },
    ...(random() < 0.3 ? { missingkey: pick(['zero', 'error'] as const) } : {}),
  });
}
const input = JSON.stringify(cases.map((c) => ({ ...c, secrets: { s: '@SECRET@' } }))).replaceAll('"@SECRET@"', secret);
const go = JSON.parse(execFileSync(oraclePath(), [], { input, encoding: 'utf8', maxBuffer: 1 << 28 })) as
  Array<{ ok: boolean; output?: string; error?: string }>;
let disagreements = 0;
let newerGo = 0;
cases.forEach((c, i) => {
  const got = runCase(c);
  const g = go[i]!;
  // Deliberate: range over an integer (Go 1.22) is accepted; Go 1.19 refuses it.
  if (!g.ok && /range can't iterate over -?\d+$/.test(g.error ?? '')) {
    newerGo++;
    return;
  }
  const want = g.ok ? { ok: true, output: g.output ?? '' } : { ok: false, output: g.output ?? '', error: g.error };
  if (JSON.stringify(got) !== JSON.stringify(want)) {
    disagreements++;
    if (disagreements <= 10) console.log(`DIFF ${JSON.stringify(c.template)} ${c.missingkey ?? ''}\n  go: ${JSON.stringify(want)}\n  ts: ${JSON.stringify(got)}`);
  }
});
console.log(`${cases.length - newerGo - disagreements}/${cases.length - newerGo} agree (${newerGo} skipped: range over an integer)`);
process.exitCode = disagreements === 0 ? 0 : 1;
