// Template bombs through the agent's own render command (the same engine and limits the agent
// runs with): endless recursion through `define`s stops at the depth limit with Go's error shape,
// exit code 1 and no output, in bounded time. The output-size and huge-range bombs are slow by
// nature and live in render-bombs.long.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderWithAgent } from './render.ts';

const cases = [
  { name: 'a define that calls itself', template: '{{ define "a" }}x{{ template "a" . }}{{ end }}{{ template "a" . }}' },
  { name: 'two defines calling each other twice each (exponential fan-out)', template: '{{ define "a" }}{{ template "b" . }}{{ template "b" . }}{{ end }}{{ define "b" }}{{ template "a" . }}{{ template "a" . }}{{ end }}{{ template "a" . }}' },
  { name: 'recursion through block', template: '{{ block "a" . }}{{ template "a" . }}{{ end }}' },
];

test('render bombs: recursive defines stop at the depth limit with a clear error, exit 1, no output', { timeout: 120_000 }, async () => {
  // The three commands run side by side: each is a separate agent process.
  const runs = await Promise.all(cases.map(({ template }) => renderWithAgent(template, 60)));
  for (const [index, run] of runs.entries()) {
    const label = cases[index]!.name;
    assert.equal(run.timedOut, false, `${label}: finished within 60 s`);
    assert.equal(run.code, 1, `${label}: ${run.stderr}`);
    assert.equal(run.stdoutBytes, 0, `${label}: nothing rendered`);
    assert.match(run.stderr, /^template: bomb\.tpl:1:\d+: executing "[ab]" at <\{\{template "a" \.\}\}>: exceeded maximum template depth \(\d+\)$/m, label);
    assert.doesNotMatch(run.stderr, /RangeError|Maximum call stack|\n\s+at /, `${label}: no JavaScript exception text`);
  }
});
