// parseYAML (our YAML 1.1 scanner, parser and yaml.v2 decoder in agent/src/template/functions/yaml/)
// against the oracle, where yaml.v2 v2.4.0 runs on its libyaml port: a few thousand seeded random
// texts (documents in block and flow style, often broken by random edits, and soups of
// indicators) must print the same `%#v` or fail with the same error, byte for byte. Also a few
// inputs whose answer depends on how far libyaml's reader had read (512-byte chunks) and on
// its simple-key look-ahead, which random texts rarely reach.
// Builds the oracle (scripts/build-oracle.sh) if needed: without Go it fails, saying so.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runOracle } from '../oracle/oracle.ts';
import { runCase } from './corpus/load.ts';
import { yamlTexts } from './yaml-gen.ts';

const TEMPLATE = '{{ parseYAML .t | printf "%#v" }}';

function disagreements(texts: readonly string[]): string[] {
  const cases = texts.map((t, i) => ({ name: `yaml${i}`, template: TEMPLATE, data: { t } }));
  const results = runOracle(cases);
  const out: string[] = [];
  texts.forEach((text, i) => {
    const go = results[i]!;
    const ours = runCase(cases[i]!);
    const want = go.ok ? `ok ${go.output}` : `error ${go.error}`;
    const got = ours.ok ? `ok ${ours.output}` : `error ${ours.error}`;
    if (want !== got) out.push(`${JSON.stringify(text).slice(0, 300)}\n  go:   ${want.slice(0, 300)}\n  ours: ${got.slice(0, 300)}`);
  });
  return out;
}

describe('parseYAML agrees with yaml.v2 v2.4.0', () => {
  it('on 4,000 seeded random texts', () => {
    const texts = [...yamlTexts(2026, 1500), ...yamlTexts(5, 1500, { breakRate: 0, clean: true }), ...yamlTexts(7, 1000, { breakRate: 0.9 })];
    const bad = disagreements(texts);
    assert.deepEqual(bad.slice(0, 10), [], `${bad.length} of ${texts.length} disagree`);
  });

  it('where the reader\'s chunks and the scanner\'s look-ahead decide', () => {
    const texts = [
      'x'.repeat(508) + '\x01', 'x'.repeat(511) + '\x01', 'a: b\n'.repeat(120) + '\x01', 'a: b\n'.repeat(120) + 'c: "\n',
      '- ' + 'x'.repeat(600) + '\n- y\n\x01', 'a: ' + 'é'.repeat(300) + '\n\x01', '\ufeff' + 'a'.repeat(509) + '\x01',
      'a\n---\n' + 'b'.repeat(600) + '\x01', '- ' + '\ufeff'.repeat(200) + '\n\ufeff- x', '?\n\ufeff- x', '\ufeff\ufeff\na: 1',
      'a'.repeat(1100) + ': b', 'a'.repeat(1020) + ': b', '[' + 'a'.repeat(1030) + ': b]', 'a\n]', 'a\n--- b\n[', '--- a\n--- b',
      '['.repeat(10001), '{'.repeat(10001),
    ];
    assert.deepEqual(disagreements(texts), []);
  });
});
