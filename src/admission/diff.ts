// The admission patch: the same operations, in the same order, as fast-json-patch's
// compare(pod, mutated) (its _generate walk: old keys last to first for replace/remove, then new
// keys for add), without its JSON round-trip clone of every added or replaced value. The patch is
// serialised at once, so the values need no copy: JSON.stringify writes a value and its clone
// alike. Subtrees the mutation left identical (shared by reference) are skipped, as compare does.
export type PatchOperation =
  | { op: 'add'; path: string; value: unknown }
  | { op: 'replace'; path: string; value: unknown }
  | { op: 'remove'; path: string };

type Tree = Record<string, unknown> | unknown[];

const hasOwn = (object: object, key: string): boolean => Object.prototype.hasOwnProperty.call(object, key);

function keysOf(tree: Tree): string[] {
  if (Array.isArray(tree)) {
    const keys = new Array<string>(tree.length);
    for (let index = 0; index < keys.length; index += 1) keys[index] = `${index}`;
    return keys;
  }
  return Object.keys(tree);
}

/** RFC 6901 escaping of one path segment. */
function escapeSegment(segment: string): string {
  if (segment.indexOf('/') === -1 && segment.indexOf('~') === -1) return segment;
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** fast-json-patch's _deepClone maps undefined to null (as JSON.stringify does in arrays); the rest serialises alike. */
const asValue = (value: unknown): unknown => (value === undefined ? null : value);

function generate(mirror: Tree, given: Tree, patches: PatchOperation[], path: string): void {
  if (given === mirror) return;
  let object = given as Tree & { toJSON?: unknown };
  if (typeof object.toJSON === 'function') object = (object.toJSON as () => Tree)();
  const source = object as Record<string, unknown>;
  const old = mirror as Record<string, unknown>;
  const newKeys = keysOf(object);
  const oldKeys = keysOf(mirror);
  let deleted = false;
  for (let index = oldKeys.length - 1; index >= 0; index -= 1) {
    const key = oldKeys[index] as string;
    const oldValue = old[key];
    if (hasOwn(object, key) && !(source[key] === undefined && oldValue !== undefined && !Array.isArray(object))) {
      const newValue = source[key];
      if (typeof oldValue === 'object' && oldValue !== null && typeof newValue === 'object' && newValue !== null
        && Array.isArray(oldValue) === Array.isArray(newValue)) {
        generate(oldValue as Tree, newValue as Tree, patches, `${path}/${escapeSegment(key)}`);
      } else if (oldValue !== newValue) {
        patches.push({ op: 'replace', path: `${path}/${escapeSegment(key)}`, value: asValue(newValue) });
      }
    } else if (Array.isArray(mirror) === Array.isArray(object)) {
      patches.push({ op: 'remove', path: `${path}/${escapeSegment(key)}` });
      deleted = true;
    } else {
      patches.push({ op: 'replace', path, value: object });
    }
  }
  if (!deleted && newKeys.length === oldKeys.length) return;
  for (const key of newKeys) {
    if (!hasOwn(mirror, key) && source[key] !== undefined) {
      patches.push({ op: 'add', path: `${path}/${escapeSegment(key)}`, value: source[key] });
    }
  }
}

/** The operations that turn `before` into `after` (both JSON objects), as fast-json-patch's compare. */
export function diffDocuments(before: object, after: object): PatchOperation[] {
  const patches: PatchOperation[] = [];
  generate(before as Tree, after as Tree, patches, '');
  return patches;
}
