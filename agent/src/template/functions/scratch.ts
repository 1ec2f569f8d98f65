// consul-template's `scratch`: a key/value store reached through methods
// ({{ scratch.Set "a" 1 }}{{ scratch.Get "a" }}), fresh for every render as consul-template makes it.
import { GoMap, GoSlice, GoStruct, interfaceSlice, stringMap, structType } from '../values.ts';
import type { GoFunction, GoValue, StructType } from '../values.ts';
import { fn, goError } from './define.ts';
import { compareGoStrings, goQuote } from './gostrings.ts';

const noErr = { returnsError: false };

function store(receiver: GoValue): Map<GoValue, GoValue> {
  return ((receiver as GoStruct).values[0] as GoMap).entries;
}

function mapSet(receiver: GoValue, key: string, mapKey: string, value: GoValue, overwrite: boolean): string {
  const values = store(receiver);
  if (!values.has(key)) values.set(key, stringMap());
  const typed = values.get(key);
  if (!(typed instanceof GoMap) || typed.type !== 'map[string]interface {}') throw goError(`${goQuote(key)} is not a map`);
  if (overwrite || !typed.entries.has(mapKey)) typed.entries.set(mapKey, value);
  return '';
}

const methods = new Map<string, GoFunction>([
  ['Key', fn(['string'], (a) => store(a[0]).has(a[1] as string), noErr)],
  ['Get', fn(['string'], (a) => store(a[0]).get(a[1] as string) ?? null, noErr)],
  ['Set', fn(['string', 'interface {}'], (a) => { store(a[0]).set(a[1] as string, a[2]); return ''; }, noErr)],
  ['SetX', fn(['string', 'interface {}'], (a) => { const s = store(a[0]); if (!s.has(a[1] as string)) s.set(a[1] as string, a[2]); return ''; }, noErr)],
  ['MapSet', fn(['string', 'string', 'interface {}'], (a) => mapSet(a[0], a[1] as string, a[2] as string, a[3], true))],
  ['MapSetX', fn(['string', 'string', 'interface {}'], (a) => mapSet(a[0], a[1] as string, a[2] as string, a[3], false))],
  ['MapValues', fn(['string'], (a) => {
    const typed = store(a[0]).get(a[1] as string);
    // Go's type assertion to map[string]interface{}: anything else (a map[string]string too) gives nil
    if (!(typed instanceof GoMap) || typed.type !== 'map[string]interface {}') return new GoSlice('[]interface {}', 'interface {}', [], true);
    const keys = (Array.from(typed.entries.keys()) as string[]).sort(compareGoStrings);
    return interfaceSlice(keys.map((k) => typed.entries.get(k)));
  })],
]);

export const scratchType: StructType = structType('*dependency.Scratch', [{ name: 'values', type: 'map[string]interface {}' }], methods);

/** consul-template builds a new Scratch for every render, so values never leak from one template
 *  or one render into the next; templates invoked from the same execution share it. */
export function scratchFunction(): GoFunction {
  const scratchByExecution = new WeakMap<object, GoStruct>();
  return fn([], (_args, context) => {
    let scratch = scratchByExecution.get(context.execution);
    if (scratch === undefined) {
      scratch = new GoStruct(scratchType, [stringMap()]);
      scratchByExecution.set(context.execution, scratch);
    }
    return scratch;
  }, noErr);
}
