// HashiCorp's HCL 1 library (github.com/hashicorp/hcl, what Vault Agent's config loader parses with), compiled to
// JavaScript with GopherJS in the npm package js-hcl-parser: hcl.Unmarshal into a generic value, as JSON text.
// Loaded lazily, on the first HCL config: it is 1.5 MB of JavaScript that JSON configs never need. The bundle does
// not carry it: scripts/bundle.ts copies it beside the bundle as hcl-parser.js, and this file takes that copy when
// it is there (or VAULT_AGENT_HCL_PARSER), else the installed package.
'use strict';
const { existsSync } = require('node:fs');
const { join } = require('node:path');

function load() {
  const fromEnv = process.env.VAULT_AGENT_HCL_PARSER;
  const beside = join(__dirname, 'hcl-parser.js');
  const path = fromEnv !== undefined && fromEnv !== '' ? fromEnv : existsSync(beside) ? beside : undefined;
  // A computed path, so esbuild leaves the copy to run time instead of bundling the package.
  return path !== undefined ? require(path) : require(['js', 'hcl', 'parser'].join('-'));
}

let parser;

/** HCL text → { ok: true, value } or { ok: false, reason } with HCL's "At LINE:COL: ..." message. */
function parse(text) {
  parser ??= load();
  const output = parser.parse(text);
  // The package answers with the JSON text, or with this prefix and hcl's error.
  if (output.startsWith('unable to parse JSON: ')) return { ok: false, reason: output.slice('unable to parse JSON: '.length) };
  return { ok: true, value: JSON.parse(output) };
}

module.exports = { parse };
