// parseYAML: YAML 1.1 (as gopkg.in/yaml.v2 reads it) into Go values: mappings become
// map[interface {}]interface {}, sequences []interface {}, ints int, floats float64.
import { isMap, isScalar, isSeq, parseDocument } from 'yaml';
import type { Node as YamlNode } from 'yaml';
import { GoMap, goInt, interfaceSlice } from '../values.ts';
import type { GoValue } from '../values.ts';
import { YamlError } from './yaml.ts';

function convert(node: unknown, text: string): GoValue {
  if (node === null || node === undefined) return null;
  if (isMap(node)) {
    const entries = new Map<GoValue, GoValue>();
    for (const pair of node.items) entries.set(convert(pair.key, text), convert(pair.value, text));
    return new GoMap('map[interface {}]interface {}', 'interface {}', 'interface {}', entries);
  }
  if (isSeq(node)) return interfaceSlice(node.items.map((item) => convert(item, text)));
  if (isScalar(node)) {
    // a block scalar cut off by the end of the input has no last line break in libyaml
    if ((node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED') && node.range?.[1] === text.length
      && !text.endsWith('\n') && !text.endsWith('\r') && typeof node.value === 'string' && node.value.endsWith('\n')) return node.value.slice(0, -1);
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

/** What libyaml's block scalar scanner says of a header (`|` or `>`, then at most one chomping
 *  indicator and one indentation digit in either order, then blanks and an optional comment). */
function blockScalarHeaderProblem(header: string): string | undefined {
  let i = 1;
  const chomping = (c: string | undefined): boolean => c === '+' || c === '-';
  const digit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';
  if (chomping(header[i])) {
    i++;
    if (digit(header[i])) {
      if (header[i] === '0') return 'found an indentation indicator equal to 0';
      i++;
    }
  } else if (digit(header[i])) {
    if (header[i] === '0') return 'found an indentation indicator equal to 0';
    i++;
    if (chomping(header[i])) i++;
  }
  while (header[i] === ' ' || header[i] === '\t') i++;
  if (header[i] === '#' || i >= header.length) return undefined;
  return 'did not find expected comment or line break';
}

export function parseYamlValue(text: string): GoValue {
  // libyaml knows only the YAML and TAG directives; the yaml library words this differently
  const directive = /^%([^\s]+)/.exec(text);
  if (directive !== null && directive[1] !== 'YAML' && directive[1] !== 'TAG') throw new YamlError('yaml: found unknown directive name');
  const doc = parseDocument(text, { version: '1.1', intAsBigInt: true, uniqueKeys: false });
  const first = doc.errors[0];
  // libyaml's words where they are known to differ; otherwise the yaml library's own
  if (first?.code === 'BAD_SCALAR_START') throw new YamlError('yaml: found character that cannot start any token');
  const header = first === undefined ? undefined : /^Block scalar header includes extra characters: (.*) at line \d+, column \d+/.exec(first.message)?.[1];
  if (first !== undefined && header !== undefined) {
    const problem = blockScalarHeaderProblem(header);
    // yaml.v2 names the line only past the first one
    const line = first.linePos?.[0].line ?? 1;
    if (problem !== undefined) throw new YamlError(`yaml: ${line > 1 ? `line ${line}: ` : ''}${problem}`);
  }
  if (first !== undefined) throw new YamlError(`yaml: ${first.message.split('\n')[0] ?? 'invalid document'}`);
  const contents = doc.contents as YamlNode | null;
  return convert(contents, text);
}
