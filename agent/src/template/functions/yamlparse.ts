// parseYAML: YAML 1.1 (as gopkg.in/yaml.v2 reads it) into Go values: mappings become
// map[interface {}]interface {}, sequences []interface {}, ints int, floats float64.
import { isMap, isScalar, isSeq, parseDocument } from 'yaml';
import type { Node as YamlNode } from 'yaml';
import { GoMap, goInt, interfaceSlice } from '../values.ts';
import type { GoValue } from '../values.ts';
import { YamlError } from './yaml.ts';

function convert(node: unknown): GoValue {
  if (node === null || node === undefined) return null;
  if (isMap(node)) {
    const entries = new Map<GoValue, GoValue>();
    for (const pair of node.items) entries.set(convert(pair.key), convert(pair.value));
    return new GoMap('map[interface {}]interface {}', 'interface {}', 'interface {}', entries);
  }
  if (isSeq(node)) return interfaceSlice(node.items.map(convert));
  if (isScalar(node)) {
    const source = (node as { source?: unknown }).source;
    // the yaml library's YAML 1.1 float also takes forms yaml.v2 leaves strings ("." is NaN there,
    // ".e3" 0): yaml.v2 wants its yamlStyleFloat (underscores dropped) or an inf/nan word
    if (typeof node.value === 'number' && typeof source === 'string' && !Number.isInteger(node.value)
      && !/^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/.test(source.replaceAll('_', '')) && !/^[-+]?\.(inf|Inf|INF|nan|NaN|NAN)$/.test(source)) return source;
    if (typeof node.value === 'number' && typeof source === 'string' && !/^[-+]?(0|[1-9][0-9_]*|0x[0-9a-fA-F_]+|0o?[0-7_]+|0b[01_]+)$/.test(source)) return node.value;
    return scalar(node.value);
  }
  return scalar(node);
}

function scalar(value: unknown): GoValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') return goInt(value, 'int');
  if (typeof value === 'number') return Number.isInteger(value) && Math.abs(value) <= Number.MAX_SAFE_INTEGER ? goInt(value, 'int') : value;
  if (typeof value === 'boolean' || typeof value === 'string') return value;
  if (value instanceof Date) return value.toISOString();
  return String(value);
}

export function parseYamlValue(text: string): GoValue {
  const doc = parseDocument(text, { version: '1.1', intAsBigInt: true, uniqueKeys: false });
  if (doc.errors.length > 0) throw new YamlError(`yaml: ${doc.errors[0]?.message.split('\n')[0] ?? 'invalid document'}`);
  const contents = doc.contents as YamlNode | null;
  return convert(contents);
}
