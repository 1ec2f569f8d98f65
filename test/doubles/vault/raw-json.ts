// Secret data is kept as the JSON text it was written with, so numbers keep their text
// (`5432.0`) on the wire exactly as Vault's KV v1 (which stores the client's JSON) returns them;
// KV v2 returns float64 numbers instead (float64Json).

export class RawJson {
  constructor(readonly text: string) {}
}

/** JSON.stringify that writes RawJson values verbatim. */
export function stringifyWire(value: unknown): string {
  const raws: string[] = [];
  const marker = `\u0000raw${Math.random().toString(36).slice(2)}:`;
  const text = JSON.stringify(value, (_key, item: unknown) => {
    if (item instanceof RawJson) {
      raws.push(item.text);
      return `${marker}${raws.length - 1}`;
    }
    return item;
  });
  if (raws.length === 0) return text;
  const quotedMarker = JSON.stringify(marker).slice(0, -1); // opening quote + escaped marker
  return text.replace(new RegExp(`${escapeRegExp(quotedMarker)}(\\d+)"`, 'g'), (_m, index: string) => raws[Number(index)] ?? 'null');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A parsed JSON value that keeps each number's source text. */
export type JsonNode =
  | { kind: 'object'; members: Array<[string, JsonNode]> }
  | { kind: 'array'; items: JsonNode[] }
  | { kind: 'scalar'; text: string };

/** Parses JSON text into a JsonNode tree (undefined when the text is not valid JSON). */
export function parseJsonNode(text: string): JsonNode | undefined {
  const parser = new NodeParser(text);
  try {
    const node = parser.value();
    parser.space();
    return parser.index === text.length ? node : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Compact JSON with object keys sorted, numbers as written: what Vault stores and returns after
 * decoding a request with json.Number and re-encoding a Go map.
 */
export function canonicalJson(node: JsonNode): string {
  if (node.kind === 'scalar') return node.text;
  if (node.kind === 'array') return `[${node.items.map(canonicalJson).join(',')}]`;
  const members = [...node.members].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const unique = members.filter(([key], index) => index === members.length - 1 || members[index + 1]?.[0] !== key);
  return `{${unique.map(([key, value]) => `${JSON.stringify(key)}:${canonicalJson(value)}`).join(',')}}`;
}

/**
 * What KV v2 returns for data written as `node`: keys sorted, and every number as a float64 in Go's
 * encoding (`5432.0` → `5432`, `1e3` → `1000`, `12345678901234567890` → `12345678901234567000`).
 * The KV v2 engine decodes its stored versions without json.Number, so number text is lost there
 * (KV v1 keeps it); contract.test.ts holds this to OpenBao. JavaScript's number-to-text is Go's
 * float64 JSON encoding (shortest round-trip digits, exponent from 1e21 and below 1e-6).
 */
export function float64Json(node: JsonNode): string {
  if (node.kind === 'scalar') return /^-?\d/.test(node.text) ? JSON.stringify(Number(node.text)) : node.text;
  if (node.kind === 'array') return `[${node.items.map(float64Json).join(',')}]`;
  const members = [...node.members].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const unique = members.filter(([key], index) => index === members.length - 1 || members[index + 1]?.[0] !== key);
  return `{${unique.map(([key, value]) => `${JSON.stringify(key)}:${float64Json(value)}`).join(',')}}`;
}

export function memberOf(node: JsonNode, key: string): JsonNode | undefined {
  if (node.kind !== 'object') return undefined;
  let found: JsonNode | undefined;
  for (const [name, value] of node.members) if (name === key) found = value; // last one wins, as in Go
  return found;
}

class NodeParser {
  index = 0;
  constructor(private readonly text: string) {}
  space(): void {
    while (this.index < this.text.length && ' \t\n\r'.includes(this.text[this.index] ?? '')) this.index++;
  }
  value(): JsonNode {
    this.space();
    const ch = this.text[this.index];
    if (ch === '{') {
      this.index++;
      const members: Array<[string, JsonNode]> = [];
      this.space();
      if (this.text[this.index] === '}') {
        this.index++;
        return { kind: 'object', members };
      }
      for (;;) {
        this.space();
        const key = JSON.parse(this.string()) as string;
        this.space();
        if (this.text[this.index] !== ':') throw new SyntaxError('expected :');
        this.index++;
        members.push([key, this.value()]);
        this.space();
        const next = this.text[this.index++];
        if (next === '}') return { kind: 'object', members };
        if (next !== ',') throw new SyntaxError('expected , or }');
      }
    }
    if (ch === '[') {
      this.index++;
      const items: JsonNode[] = [];
      this.space();
      if (this.text[this.index] === ']') {
        this.index++;
        return { kind: 'array', items };
      }
      for (;;) {
        items.push(this.value());
        this.space();
        const next = this.text[this.index++];
        if (next === ']') return { kind: 'array', items };
        if (next !== ',') throw new SyntaxError('expected , or ]');
      }
    }
    if (ch === '"') {
      const raw = this.string();
      return { kind: 'scalar', text: JSON.stringify(JSON.parse(raw) as string) };
    }
    const match = /^(?:-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(this.text.slice(this.index, this.index + 400));
    if (match === null) throw new SyntaxError('unexpected token');
    this.index += match[0].length;
    return { kind: 'scalar', text: match[0] };
  }
  string(): string {
    const start = this.index;
    if (this.text[this.index] !== '"') throw new SyntaxError('expected string');
    this.index++;
    while (this.index < this.text.length) {
      const ch = this.text[this.index];
      if (ch === '\\') this.index += 2;
      else if (ch === '"') {
        this.index++;
        return this.text.slice(start, this.index);
      } else this.index++;
    }
    throw new SyntaxError('unterminated string');
  }
}

/** Parses a JSON object text, or returns undefined if it is not valid JSON or not an object. */
export function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Every string leaf in a JSON value (for the leak-scan registry). */
export function stringLeaves(value: unknown, into: string[] = []): string[] {
  if (typeof value === 'string') into.push(value);
  else if (Array.isArray(value)) for (const item of value) stringLeaves(item, into);
  else if (typeof value === 'object' && value !== null) for (const item of Object.values(value)) stringLeaves(item, into);
  return into;
}
