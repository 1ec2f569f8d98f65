// Bundling alias for `debug` in the agent bundle (see scripts/bundle.ts); node-vault is its only user.
// With DEBUG=node-vault, node-vault prints its request bodies to stderr: the service account JWT of
// every login and the data of every write. The agent's own logs are censored at the logger; that
// output would not be, so in the agent it is silent. (Leaving debug out also spares loading tty at
// every start.)
'use strict';
function createDebug() {
  function debug() {}
  debug.enabled = false;
  debug.extend = createDebug;
  return debug;
}
createDebug.enable = function enable() {};
createDebug.disable = function disable() { return ''; };
createDebug.enabled = function enabled() { return false; };
module.exports = createDebug;
module.exports.default = createDebug;
