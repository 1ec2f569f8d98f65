// Slow template bombs through `npm run -s agent -- render` (long form): each must stop with a clear
// error (or finish) within 120 s and 512 MiB peak RSS. Both failed when first written (793 MiB and
// 26 s for the output bomb; no bound at all for the billion-step range); see BENCHMARKS.md.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderWithAgent } from './render.ts';

const PEAK_BOUND_MIB = 512;
const doubling = (levels: number, leaf: string): string => {
  const names = Array.from({ length: levels }, (_, index) => `l${index}`);
  return names.map((name, index) => `{{ define "${name}" }}${index + 1 < levels ? `{{ template "${names[index + 1]}" . }}{{ template "${names[index + 1]}" . }}` : leaf}{{ end }}`).join('') + '{{ template "l0" . }}';
};

const cases = [
  { name: 'output doubling past the output limit (~100 MiB)', template: doubling(5, `{{ range sprig_until 100000 }}${'0123456789abcdef'.repeat(4)}{{ end }}`), error: /output exceeds the limit of \d+ bytes/ },
  { name: 'a billion-step range', template: '{{ range sprig_until 1000000000 }}{{ end }}done', error: /./ },
];

for (const { name, template, error } of cases) {
  test(`render bomb (long): ${name}: bounded time and memory, clear error`, { timeout: 200_000 }, async () => {
    const run = await renderWithAgent(template, 120);
    console.log(`RENDER-BOMB ${JSON.stringify({ name, ...run, stderr: run.stderr.slice(0, 200) })}`);
    assert.equal(run.timedOut, false, 'finished within 120 s');
    if (run.code !== 0) assert.match(run.stderr, error);
    assert.doesNotMatch(run.stderr, /RangeError|heap out of memory|\n\s+at /, 'no JavaScript exception text');
    if (run.peakRssMiB !== undefined) assert.ok(run.peakRssMiB <= PEAK_BOUND_MIB, `peak RSS ${run.peakRssMiB} MiB (bound ${PEAK_BOUND_MIB} MiB)`);
  });
}
