// The one place that loads @cdktf/hcl2json (HashiCorp's HCL parser as WebAssembly). Its type declarations pull in
// the DOM library, which would clash with Node's types across the project, so TypeScript sees hcl2json.d.cts
// instead. Required lazily: loading starts the WebAssembly module (its main.wasm.gz sits one directory above
// the code that loads it: the package root here; in the agent image, beside the bundle's directory).
'use strict';
module.exports = require('@cdktf/hcl2json');
