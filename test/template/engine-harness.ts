// Runs engine cases the way the oracle (test/oracle) does: our engine with our consul-template
// function map over the case's recorded secrets; the oracle runs consul-template's own map. Shared
// by engine.test.ts and the engine-fuzz tools.
export { runCase, type RunResult } from './corpus/load.ts';
