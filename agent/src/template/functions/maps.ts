// consul-template's map helpers: explodeMap (keys with slashes become nested maps) and
// mergeMap / mergeMapWithOverride (dario.cat/mergo v1's Map into a map[string]interface{}).
import { sprintf } from '../format.ts';
import { GoFuncValue, GoMap, GoNilPointer, GoSlice, GoStruct, GoInt, GoComplex, JsonNumber } from '../values.ts';
import type { GoFunction, GoValue } from '../values.ts';
import { compareGoStrings } from './gostrings.ts';
import { fn, goError } from './define.ts';

const MSI = 'map[string]interface {}';
const newMap = (): GoMap => new GoMap(MSI, 'string', 'interface {}', new Map());

function explodeInto(m: GoMap, key: string, value: GoValue, path: string): void {
  const slash = key.indexOf('/');
  if (slash >= 0) {
    const top = key.slice(0, slash);
    const rest = key.slice(slash + 1);
    if (!m.entries.has(top)) m.entries.set(top, newMap());
    const nest = m.entries.get(top);
    if (!(nest instanceof GoMap) || nest.type !== MSI) {
      throw goError(`not a map: ${sprintf('%q', [path])}: ${sprintf('%q', [top])} already has value ${sprintf('%q', [nest ?? null])}`);
    }
    explodeInto(nest, rest, value, key);
    return;
  }
  if (key !== '') m.entries.set(key, value);
}

/** mergo's isEmptyValue (dereferencing): zero numbers, "", false, empty or nil maps and slices, nil. */
function isEmptyValue(v: GoValue): boolean {
  if (v === undefined || v === null) return true;
  if (typeof v === 'string') return v === '';
  if (typeof v === 'boolean') return !v;
  if (typeof v === 'number') return v === 0;
  if (v instanceof GoInt) return v.value === 0n;
  if (v instanceof GoComplex) return v.re === 0 && v.im === 0;
  if (v instanceof JsonNumber) return v.text === '';
  if (v instanceof GoMap) return v.entries.size === 0;
  if (v instanceof GoSlice) return v.items.length === 0;
  if (v instanceof GoNilPointer) return true;
  if (v instanceof GoFuncValue) return false;
  if (v instanceof GoStruct) return false;
  return false;
}

/** mergo's deepMerge of two map[string]interface{} values (no WithAppendSlice, no transformers):
 *  also sprig v3's merge and mergeOverwrite. */
export function mergeMaps(dst: GoMap, src: GoMap, overwrite: boolean): void {
  for (const [key, srcElement] of src.entries) {
    const hasDst = dst.entries.has(key);
    const dstElement = dst.entries.get(key);
    if (srcElement === null || srcElement === undefined || (srcElement instanceof GoMap && srcElement.isNil) || (srcElement instanceof GoSlice && srcElement.isNil)) {
      // a nil map, slice or interface in src only replaces with WithOverride
      if (overwrite) dst.entries.set(key, srcElement);
      continue;
    }
    // with WithOverride a slice from src always replaces (mergo sets it before its emptiness checks)
    if (srcElement instanceof GoSlice && overwrite) { dst.entries.set(key, srcElement); continue; }
    if (srcElement instanceof GoMap && hasDst && dstElement instanceof GoMap) {
      // maps merge recursively; the merged dst map stays
      mergeAny(dstElement, srcElement, overwrite);
    }
    if (hasDst && !isEmptyValue(dstElement)) {
      if (srcElement instanceof GoSlice) continue;
      if (srcElement instanceof GoMap && dstElement instanceof GoMap) continue;
    }
    if (overwrite || !hasDst || isEmptyValue(dstElement)) dst.entries.set(key, srcElement);
  }
}

function mergeAny(dst: GoMap, src: GoMap, overwrite: boolean): void {
  if (dst.keyType === src.keyType) mergeMaps(dst, src, overwrite);
}

/** mergo.Map / mergo.Merge(&dst, src) for each src in turn: a nil dst gets a new map once a
 *  non-nil src comes. Returns the (possibly new) destination. */
export function mergeInto(dst: GoMap, sources: readonly GoMap[], overwrite: boolean): GoMap {
  let out = dst;
  for (const src of sources) {
    if (out.isNil) {
      if (src.isNil) continue;
      out = newMap();
    }
    mergeMaps(out, src, overwrite);
  }
  return out;
}

export function mapFunctions(): Map<string, GoFunction> {
  const m = new Map<string, GoFunction>();
  m.set('explodeMap', fn([MSI], (a) => {
    const input = a[0] as GoMap;
    const out = newMap();
    const keys = [...input.entries.keys()] as string[];
    keys.sort(compareGoStrings);
    try {
      for (const key of keys) explodeInto(out, key, input.entries.get(key), key);
    } catch (error) {
      if (error instanceof Error) throw goError(`explodeMap: ${error.message}`);
      throw error;
    }
    return out;
  }));
  // the map argument is passed by value (a Go map header): the merge writes into the caller's map
  const merge = (a: GoValue[], overwrite: boolean): GoValue => mergeInto(a[0] as GoMap, [a[1] as GoMap], overwrite);
  // mergeMap(dst, src, opts ...func(*mergo.Config)): a template can only pass nil options,
  // which mergo then calls
  m.set('mergeMap', fn([MSI, MSI, 'func(*mergo.Config)'], (a) => {
    if (a.length > 2) throw goError('runtime error: invalid memory address or nil pointer dereference');
    return merge(a, false);
  }, { variadic: true }));
  m.set('mergeMapWithOverride', fn([MSI, MSI], (a) => merge(a, true)));
  return m;
}
