// HashiCorp's HCL library (github.com/hashicorp/hcl/v2) as the WebAssembly build @cdktf/hcl2json ships, run with
// its Go glue (wasm_exec.js). Not through the package's own entry: that one reads main.wasm.gz from a path relative
// to its own file (wrong inside a bundle), requires a module named "performance" that does not exist, and types
// that pull in the DOM library (TypeScript sees hcl2json.d.cts instead). Loaded lazily, on the first HCL config.
// The WebAssembly file: VAULT_AGENT_HCL_WASM, else hcl2json.wasm.gz beside this code (the bundle: scripts/bundle.ts
// copies it there), else the installed package's main.wasm.gz.
'use strict';
const { existsSync, readFileSync } = require('node:fs');
const { join } = require('node:path');
const { gunzipSync } = require('node:zlib');

function wasmFile() {
  const fromEnv = process.env.VAULT_AGENT_HCL_WASM;
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  const beside = join(__dirname, 'hcl2json.wasm.gz');
  if (existsSync(beside)) return beside;
  // From source (agent/src/config): the installed package. Not require.resolve, which a bundle cannot follow.
  return join(__dirname, '..', '..', '..', 'node_modules', '@cdktf', 'hcl2json', 'main.wasm.gz');
}

let exportsReady;

function start() {
  require('@cdktf/hcl2json/wasm/wasm_exec.js'); // defines globalThis.Go
  const go = new globalThis.Go();
  const functions = {};
  // The Go program registers its functions on this global object when it runs.
  globalThis.__parse_terraform_config_wasm__ = functions;
  return WebAssembly.instantiate(gunzipSync(readFileSync(wasmFile())), go.importObject).then((result) => {
    void go.run(result.instance);
    return functions;
  });
}

/** HCL text → hcl2json's JSON; rejects with the parser's message (`file:line,col: summary; detail`). */
async function parse(filename, contents) {
  exportsReady ??= start();
  const functions = await exportsReady;
  while (typeof functions.parse !== 'function') await new Promise((resolve) => setTimeout(resolve, 0));
  const text = await new Promise((resolve, reject) => {
    functions.parse(filename, contents, (error, result) => (error ? reject(new Error(error)) : resolve(result)));
  });
  return JSON.parse(text);
}

module.exports = { parse };
