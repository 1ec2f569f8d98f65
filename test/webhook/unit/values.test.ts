// Value grammars of contract 1, as vault-k8s's TestCouldErrorAnnotations and
// TestContainerSidecarCustomResources pin them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseBool, parseDuration, parseFileMode, parseLogLevel, parseNonNegativeInt, parseQuantity, parseUint, parseVaultAddress } from '../../../src/annotations/values.ts';
import type { Parsed } from '../../../src/annotations/values.ts';

const value = <T>(parsed: Parsed<T>): T | 'ERROR' => (parsed.ok ? parsed.value : 'ERROR');

const booleans: Array<[string, boolean | 'ERROR']> = [
  ['true', true], ['TRUE', true], ['True', true], ['t', true], ['T', true], ['1', true],
  ['false', false], ['FALSE', false], ['False', false], ['f', false], ['F', false], ['0', false], ['', false],
  ['tRuE', 'ERROR'], ['fAlSe', 'ERROR'], ['yes', 'ERROR'], ['no', 'ERROR'], ['on', 'ERROR'], [' true', 'ERROR'], ['2', 'ERROR'],
];
test('booleans: Go ParseBool plus "" = false', () => {
  for (const [input, expected] of booleans) assert.equal(value(parseBool(input)), expected, JSON.stringify(input));
});

test('a bad boolean says what it is and what to use', () => {
  assert.deepEqual(parseBool('yes'), { ok: false, reason: '"yes" is not a boolean (use true or false)' });
});

const quantities: Array<[string, string | undefined | 'ERROR']> = [
  ['500M', '500M'], ['128G', '128G'], ['500Mi', '500Mi'], ['64Gi', '64Gi'], ['0', '0'], ['128m', '128m'], ['1.5', '1.5'], ['1e3', '1e3'], ['', undefined],
  ['500mi', 'ERROR'], ['500gi', 'ERROR'], ['128mb', 'ERROR'], ['128g', 'ERROR'], ['128gi', 'ERROR'], ['-1', 'ERROR'], ['abc', 'ERROR'], ['1 Gi', 'ERROR'],
];
test('resources are Kubernetes quantities; "" means not set', () => {
  for (const [input, expected] of quantities) assert.equal(value(parseQuantity(input)), expected, JSON.stringify(input));
});

const durations: Array<[string, string | 'ERROR']> = [
  ['30s', '30s'], ['1h30m', '1h30m'], ['250ms', '250ms'], ['0', '0'], ['1.5s', '1.5s'], ['3μs', '3µs'],
  ['x', 'ERROR'], ['5', 'ERROR'], ['-1s', 'ERROR'], ['1d', 'ERROR'], ['', 'ERROR'],
];
test('durations follow Go time.ParseDuration (non-negative)', () => {
  for (const [input, expected] of durations) assert.equal(value(parseDuration(input)), expected, JSON.stringify(input));
});

test('integers: run-as ids (ParseInt, "" = 0, no negatives) and revoke grace (ParseUint, 01 ok)', () => {
  const ids: Array<[string, number | 'ERROR']> = [['100', 100], ['0', 0], ['', 0], ['root', 'ERROR'], ['-1', 'ERROR'], ['1.5', 'ERROR'], ['99999999999', 'ERROR']];
  for (const [input, expected] of ids) assert.equal(value(parseNonNegativeInt(input)), expected, JSON.stringify(input));
  const grace: Array<[string, number | 'ERROR']> = [['5', 5], ['01', 1], ['0', 0], ['-1', 'ERROR'], ['foobar', 'ERROR'], ['', 'ERROR']];
  for (const [input, expected] of grace) assert.equal(value(parseUint(input)), expected, JSON.stringify(input));
});

test('file modes, log levels and Vault addresses', () => {
  assert.equal(value(parseFileMode('0600')), '0600');
  assert.equal(value(parseFileMode('644')), '644');
  assert.equal(value(parseFileMode('0999')), 'ERROR');
  assert.equal(value(parseFileMode('rw')), 'ERROR');
  assert.equal(value(parseLogLevel(' WARNING ')), 'warn');
  assert.equal(value(parseLogLevel('err')), 'error');
  assert.equal(value(parseLogLevel('notice')), 'info');
  assert.equal(value(parseLogLevel('loud')), 'ERROR');
  assert.equal(value(parseVaultAddress('https://vault:8200')), 'https://vault:8200');
  assert.equal(value(parseVaultAddress('vault:8200')), 'ERROR');
  assert.equal(value(parseVaultAddress('ftp://vault')), 'ERROR');
});
