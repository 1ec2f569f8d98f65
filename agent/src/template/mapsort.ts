// Map key order of Go's internal/fmtsort (used by fmt and by range over maps).

import { GoInt, GoMap, JsonNumber, kindOf, type GoValue } from './values.ts';


export function compareGoStrings(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x !== y) {
      // UTF-8 byte order is code point order: surrogates (astral) sort after the BMP.
      if (x >= 0xd800 && x <= 0xdfff) x += 0x10000;
      if (y >= 0xd800 && y <= 0xdfff) y += 0x10000;
      return x < y ? -1 : 1;
    }
  }
  return a.length < b.length ? -1 : 1;
}

const KIND_ORDER: Record<string, number> = { bool: 0, int: 1, uint: 2, float: 3, complex: 4, string: 5 };

export function compareKeys(a: GoValue, b: GoValue): number {
  if (typeof a === 'string' && typeof b === 'string') return compareGoStrings(a, b);
  const ka = kindOf(a);
  const kb = kindOf(b);
  if (ka !== kb) return (KIND_ORDER[ka] ?? 9) - (KIND_ORDER[kb] ?? 9);
  if (a instanceof GoInt && b instanceof GoInt) return a.value < b.value ? -1 : a.value > b.value ? 1 : 0;
  if (typeof a === 'number' && typeof b === 'number') {
    if (Number.isNaN(a)) return Number.isNaN(b) ? 0 : -1;
    if (Number.isNaN(b)) return 1;
    return a < b ? -1 : a > b ? 1 : 0;
  }
  if (typeof a === 'boolean' && typeof b === 'boolean') return a === b ? 0 : a ? 1 : -1;
  if (a instanceof JsonNumber && b instanceof JsonNumber) return compareGoStrings(a.text, b.text);
  return 0;
}

function compareEntryKeys(x: [GoValue, GoValue], y: [GoValue, GoValue]): number {
  return compareKeys(x[0], y[0]);
}

// fmtsort orders interface keys by their dynamic type first, comparing the types' addresses in
// the binary: in the oracle's (as parseYAML's mixed keys show) nil, string, uint64, int, float64,
// bool. Other types keep the kind order after these.
function interfaceTypeRank(v: GoValue): number {
  if (v === null || v === undefined) return 0;
  if (typeof v === 'string') return 1;
  if (v instanceof GoInt) return v.kind === 'uint64' ? 2 : v.kind === 'int' ? 3 : 10 + (KIND_ORDER[kindOf(v)] ?? 9);
  if (typeof v === 'number') return 4;
  if (typeof v === 'boolean') return 5;
  return 10 + (KIND_ORDER[kindOf(v)] ?? 9);
}

function compareInterfaceEntryKeys(x: [GoValue, GoValue], y: [GoValue, GoValue]): number {
  const rx = interfaceTypeRank(x[0]);
  const ry = interfaceTypeRank(y[0]);
  if (rx !== ry) return rx - ry;
  return compareKeys(x[0], y[0]);
}

function hasSurrogate(keys: string[]): boolean {
  for (let i = 0; i < keys.length; i++) if (/[\ud800-\udfff]/.test(keys[i]!)) return true;
  return false;
}

/** Map entries in fmtsort order. */
export function sortedEntries(map: GoMap): [GoValue, GoValue][] {
  if (map.keyType === 'string') {
    const keys = Array.from(map.entries.keys()) as string[];
    // Default sort is UTF-16 order, which equals UTF-8 byte order unless surrogates are involved.
    if (hasSurrogate(keys)) keys.sort(compareGoStrings);
    else keys.sort();
    const entries: [GoValue, GoValue][] = new Array(keys.length);
    for (let i = 0; i < keys.length; i++) entries[i] = [keys[i], map.entries.get(keys[i])];
    return entries;
  }
  const entries = Array.from(map.entries);
  entries.sort(map.keyType === 'interface {}' ? compareInterfaceEntryKeys : compareEntryKeys);
  return entries;
}
