// Our function map against the oracle's (consul-template v0.41.1's funcMap, printed by
// test/oracle -funcs): every name is either implemented (and judged by the corpus and the
// differential tester) or refused because it needs Consul or Nomad. NOT_YET lists, by name, what
// is still missing, so that none is forgotten: the test fails when the oracle has a name that is
// in neither list, and when a NOT_YET name gets implemented without leaving the list.
// Builds the oracle (scripts/build-oracle.sh) if needed: without Go it fails, saying so.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseOnlyFunctions, STDOUT_FUNCTIONS, UNAVAILABLE_FUNCTIONS } from '../../agent/src/template/functions/index.ts';
import { oracleFunctionNames } from '../oracle/oracle.ts';

/** In consul-template's map, not in ours yet (see docs/template-oracle.md). */
const NOT_YET = new Set<string>([
]);

describe('the function map matches consul-template v0.41.1', () => {
  const oracle = oracleFunctionNames();
  const ours = new Set(parseOnlyFunctions.keys());

  it('the oracle lists consul-template\'s functions and sprig\'s under sprig_', () => {
    assert.ok(oracle.length > 250, `the oracle printed ${oracle.length} names`);
    for (const name of ['secret', 'secrets', 'pkiCert', 'toJSON', 'sprig_upper', 'key', 'nomadVar']) assert.ok(oracle.includes(name), name);
  });

  it('every oracle function is implemented, refused as Consul/Nomad, or listed in NOT_YET', () => {
    const unaccounted = oracle.filter((name) => !ours.has(name) && !NOT_YET.has(name));
    assert.deepEqual(unaccounted, [], 'implement these or list them in NOT_YET');
  });

  it('NOT_YET lists only what is really missing', () => {
    const done = [...NOT_YET].filter((name) => ours.has(name) || !oracle.includes(name));
    assert.deepEqual(done, [], 'remove these from NOT_YET');
  });

  it('we define nothing that consul-template does not', () => {
    assert.deepEqual([...ours].filter((name) => !oracle.includes(name)), []);
  });

  it('the functions refused for printing to the agent\'s log are consul-template\'s, each with one that returns the text', () => {
    for (const [name, instead] of STDOUT_FUNCTIONS) assert.ok(oracle.includes(name) && oracle.includes(instead) && ours.has(instead), name);
  });

  it('the Consul and Nomad functions are exactly consul-template\'s', () => {
    for (const name of UNAVAILABLE_FUNCTIONS.keys()) assert.ok(oracle.includes(name), name);
    const nomad = oracle.filter((name) => name.startsWith('nomad'));
    for (const name of nomad) assert.equal(UNAVAILABLE_FUNCTIONS.get(name), 'Nomad', name);
  });
});
