// Vault Agent's HCL config (`config.hcl`, `config-init.hcl` from an agent-configmap) → the JSON form the agent
// validates. Parsing is HashiCorp's own HCL library (github.com/hashicorp/hcl/v2, built to WebAssembly in
// @cdktf/hcl2json), loaded only when a config is HCL, since compiling it costs a few hundred ms.
// hcl2json writes every block as a list, and a labelled block as an object keyed by its label
// (`method "kubernetes" {}` → {"method": {"kubernetes": [{}]}}); normaliseHclConfig turns that into Vault Agent's
// JSON shape, with the rules Vault's own config loader applies (command/agent/config/config.go).

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

export type HclResult = { ok: true; value: unknown } | { ok: false; reason: string };

const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Stanzas Vault allows once; hcl2json gives a list of one. */
const singleBlocks = new Set(['auto_auth', 'vault', 'template_config', 'vault_injector', 'cache', 'api_proxy', 'telemetry', 'exec', 'env_template_config']);
/** Blocks whose label is the `type` field (`method "kubernetes"`, `sink "file"`, `listener "tcp"`). */
const typedByLabel = new Set(['method', 'sink', 'listener']);
/** Attributes that are maps, written `config = {...}` or as a block `config {...}`. */
const mapBlocks = new Set(['config', 'retry', 'persist', 'agent_api', 'wrap_ttl']);

export class HclShapeError extends Error {}

function single(path: string, value: Json): JsonObject {
  const list = Array.isArray(value) ? value : [value];
  if (list.length !== 1 || !isObject(list[0])) throw new HclShapeError(`${path}: only one ${path.split('.').at(-1)} stanza is allowed`);
  return list[0];
}

function typedBlocks(path: string, value: Json): JsonObject[] {
  // `method { type = "kubernetes" }` (a list of blocks) or `method "kubernetes" { }` (keyed by label).
  if (Array.isArray(value)) return value.map((entry, index) => normaliseObject(`${path}[${index}]`, isObject(entry) ? entry : {}));
  if (!isObject(value)) throw new HclShapeError(`${path}: must be a block`);
  const blocks: JsonObject[] = [];
  for (const [label, bodies] of Object.entries(value)) {
    for (const body of Array.isArray(bodies) ? bodies : [bodies]) {
      if (!isObject(body)) throw new HclShapeError(`${path} "${label}": must be a block`);
      if (body['type'] !== undefined && body['type'] !== label) throw new HclShapeError(`${path} "${label}": type ${JSON.stringify(body['type'])} contradicts the label`);
      blocks.push({ type: label, ...normaliseObject(`${path}.${label}`, body) });
    }
  }
  return blocks;
}

function normaliseObject(path: string, object: JsonObject): JsonObject {
  const result: JsonObject = {};
  for (const [key, value] of Object.entries(object)) {
    const where = path === '' ? key : `${path}.${key}`;
    if (singleBlocks.has(key) && (Array.isArray(value) || isObject(value))) result[key] = normaliseObject(where, single(where, value));
    else if (typedByLabel.has(key)) {
      const blocks = typedBlocks(where, value);
      // Vault Agent has one auto-auth method; sinks and listeners are lists.
      if (key === 'method') {
        if (blocks.length !== 1) throw new HclShapeError(`${where}: exactly one auto_auth method is allowed (found ${blocks.length})`);
        result[key] = blocks[0] ?? {};
      } else result[key] = blocks;
    } else if (mapBlocks.has(key) && Array.isArray(value)) result[key] = single(where, value);
    else if (key === 'template' && Array.isArray(value)) result[key] = value.map((entry, index) => (isObject(entry) ? normaliseObject(`${where}[${index}]`, entry) : entry));
    else result[key] = value;
  }
  return result;
}

/** The hcl2json output of a Vault Agent config, in the agent's JSON shape (still to be validated). */
export function normaliseHclConfig(parsed: unknown): unknown {
  if (!isObject(parsed)) throw new HclShapeError('the config is not a set of stanzas');
  return normaliseObject('', parsed);
}

let library: Promise<typeof import('./hcl2json.cjs')> | undefined;

/** Parses HCL text with HashiCorp's HCL library; the reason names the file, line and column. */
export async function parseHclConfig(text: string, filename: string): Promise<HclResult> {
  library ??= import('./hcl2json.cjs');
  let parsed: unknown;
  try {
    parsed = await (await library).parse(filename, text);
  } catch (error) {
    // "parse config: [config.hcl:3,1-2: Unclosed configuration block; There is no closing brace ...]"
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, reason: `not valid HCL (${message.replace(/^parse config: \[|\]$/g, '')})` };
  }
  try {
    return { ok: true, value: normaliseHclConfig(parsed) };
  } catch (error) {
    if (error instanceof HclShapeError) return { ok: false, reason: error.message };
    throw error;
  }
}
