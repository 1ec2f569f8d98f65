// Bundling alias for `axios` in the agent bundle (see scripts/bundle.ts). node-vault requires axios
// at load, but only calls it when no `request-promise` option is given; the agent always gives its
// own transport (vault/transport.ts). Loading the real axios costs ~100 ms of CPU at start (its
// fetch adapter touches Node's lazy fetch globals, which load undici) and several MiB of memory.
'use strict';
function unused() {
  throw new Error('axios is not part of the agent bundle: node-vault must be given the agent transport');
}
module.exports = { create: unused, default: { create: unused } };
