// Vault Agent's HCL config (`config.hcl`, `config-init.hcl` from an agent-configmap) → the JSON form the agent
// validates. Parsed with HashiCorp's HCL 1 library, the one Vault Agent's config loader uses (so quoted argument
// names, one-line nested blocks and heredocs with an indented terminator read as in Vault Agent; HCL 2 differs
// on all three), through js-hcl-parser (agent/src/config/hcl1.cjs). hcl.Unmarshal gives every block as a list,
// and a labelled block as an object keyed by its label (`method "kubernetes" {}` → {"method": [{"kubernetes":
// [{}]}]}); normaliseHclConfig turns that into Vault Agent's JSON shape, as Vault's loader reads the AST
// (command/agent/config/config.go).

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

/** `{kubernetes: [{...}]}`: a block keyed by its label (each value a list of bodies), with no `type` of its own. */
function isLabelled(value: Json): value is { [label: string]: Json[] } {
  return isObject(value) && value['type'] === undefined && Object.keys(value).length > 0
    && Object.values(value).every((bodies) => Array.isArray(bodies) && bodies.every(isObject));
}

function labelledBlocks(path: string, value: { [label: string]: Json[] }): JsonObject[] {
  const blocks: JsonObject[] = [];
  for (const [label, bodies] of Object.entries(value)) {
    for (const body of bodies) {
      if (!isObject(body)) throw new HclShapeError(`${path} "${label}": must be a block`);
      if (body['type'] !== undefined && body['type'] !== label) throw new HclShapeError(`${path} "${label}": type ${JSON.stringify(body['type'])} contradicts the label`);
      blocks.push({ type: label, ...normaliseObject(`${path}.${label}`, body) });
    }
  }
  return blocks;
}

function typedBlocks(path: string, value: Json): JsonObject[] {
  // `method { type = "kubernetes" }` or `method "kubernetes" { }`, each possibly in a list of blocks.
  const entries = Array.isArray(value) ? value : [value];
  return entries.flatMap((entry, index) => {
    if (isLabelled(entry)) return labelledBlocks(path, entry);
    if (!isObject(entry)) throw new HclShapeError(`${path}: must be a block`);
    return [normaliseObject(Array.isArray(value) ? `${path}[${index}]` : path, entry)];
  });
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

let library: Promise<typeof import('./hcl1.cjs')> | undefined;

/** Parses HCL text as Vault Agent does; the reason names the file, line and column. */
export async function parseHclConfig(text: string, filename: string): Promise<HclResult> {
  library ??= import('./hcl1.cjs');
  const parsed = (await library).parse(text);
  // hcl: "At 2:2: object expected closing RBRACE got: EOF" (line:column)
  if (!parsed.ok) return { ok: false, reason: `not valid HCL (${filename}: ${parsed.reason})` };
  try {
    return { ok: true, value: normaliseHclConfig(parsed.value) };
  } catch (error) {
    if (error instanceof HclShapeError) return { ok: false, reason: error.message };
    throw error;
  }
}
