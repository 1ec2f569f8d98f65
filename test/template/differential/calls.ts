// Calls of every function in the oracle's map with random arguments (random count, random types,
// direct or piped), for the differential tester's `calls` mode.
import { pick, type Random } from './grammar.ts';

/** Left out: they differ by design (Consul/Nomad, refused), touch the machine (plugin runs a
 *  program, writeToFile writes, file reads, sockaddr reads the interfaces, spew_dump and
 *  spew_printf print to stdout) or are random or clock-bound (their shape is tested instead). */
export const NOT_COMPARABLE = new Set([
  'plugin', 'writeToFile', 'file', 'sockaddr', 'spew_dump', 'spew_printf', 'timestamp',
  'sprig_randInt', 'sprig_shuffle', 'sprig_ago', 'sprig_bcrypt', 'sprig_htpasswd', 'sprig_encryptAES', 'sprig_genCA', 'sprig_genCAWithKey',
  'sprig_genPrivateKey', 'sprig_genSelfSignedCert', 'sprig_genSelfSignedCertWithKey', 'sprig_genSignedCert', 'sprig_genSignedCertWithKey',
  'sprig_buildCustomCert',
  // map iteration order (Go randomises it) and Go's runtime internals (a Scratch's mutexes)
  'sprig_keys', 'sprig_values', 'scratch',
  // go-spew prints unsorted maps and heap addresses: compared structurally in spew.test.ts
  'spew_sdump', 'spew_sprintf',
]);

const STRINGS = ['""', '"a"', '"hello world"', '"a,b,,c"', '"x:y"', '"  padded  "', '"123"', '"-7"', '"1.5"', '"true"', '"é日本"', '"multi\\nline"',
  '"aGVsbG8="', '"%d %s"', '"{\\"a\\":1}"', '"[1,2]"', '"a: 1"', '"1h30m"', '"-1.5h"', '"90s"', '"1.000000001s"', '"2562047h47m16.854775807s"', '"2562047h47m16.854775808s"', '".5m"', '"1e3s"', '"5d"', '"3000h"', '"1us"', '"1µs"', '"+0"', '"0.0000000001s"', '"2024-01-02"', '"1.2.3"', '">=1.0"', '"http://u:p@h:8080/p?q=1#f"',
  '"/a/b/../c"', '"k=v"', '"2006-01-02"', '"Jan _2 15:04:05.000 MST"', '"0x1F"', '"CamelCase"', '"snake_case"', '"ǅ"', '"*"', '"."'];
const NUMBERS = ['0', '1', '2', '-1', '3', '10', '1.5', '-2.5', '1e3', '100', '5432', '9223372036854775807'];
const DATA = ['.s', '.n', '.i', '.b', '.l', '.nl', '.m', '.deep', '.nil', '.missing', '$', '.', '.sl', '.e'];
const SECRET = ['(secret "secret/s").Data', '(secret "secret/s").Data.s', '(secret "secret/s").Data.n', '(secret "secret/s").Data.l',
  '(secret "secret/s").Data.m', '(secret "secret/s")', '(secrets "secret/list")', '(secret "secret/s").Warnings', '(secret "secret/s").LeaseDuration'];
const BUILT = ['(parseJSON "{\\"a\\":{\\"b\\":1,\\"c\\":\\"\\"},\\"l\\":[1],\\"e\\":[],\\"z\\":0,\\"n\\":null}")', '(parseJSON "{\\"a\\":{\\"b\\":2,\\"d\\":3},\\"l\\":[2,3],\\"e\\":[9],\\"z\\":5,\\"n\\":7,\\"x/y\\":1}")',
  '(parseJSON "{\\"a/b\\":1,\\"a/c\\":2,\\"d\\":3}")', '(parseJSON "{\\"a\\":1,\\"a/b\\":2}")', '(sprig_list 1 "a" 2.5)', '(sprig_list "b" "a")', '(sprig_dict "a" 1 "b" "x")', '(sprig_list)', '(sprig_dict)', '(split "," "a,b")',
  '(parseJSON "{\\"k\\":[1,2]}")', '(sprig_list .m .m)', '(sprig_dict "a" (sprig_dict "b" 1))',
  '(sprig_toDate "2006-01-02" "2024-07-01")', '(sprig_mustToDate "2006-01-02T15:04:05.999999999Z07:00" "2024-07-01T10:11:12.5+02:00")'];

/** Go builds these sequences without a bound: a huge count would exhaust the oracle's memory. */
const SEQUENCES = new Set(['sprig_seq', 'sprig_until', 'sprig_untilStep', 'sprig_repeat', 'sprig_randAlpha', 'indent', 'sprig_indent', 'sprig_nindent', 'sprig_chunk', 'sprig_mustChunk', 'loop', 'sprig_wrap', 'sprig_wrapWith']);
const SMALL_NUMBERS = NUMBERS.filter((n) => n !== '9223372036854775807' && n !== '5432' && n !== '1e3');

/** mergo and sprig's merge recurse without a cycle check: merging a map into something that holds
 *  it overflows Go's stack and kills the process (Vault Agent too). Only fresh maps for them. */
const MERGES = new Set(['mergeMap', 'mergeMapWithOverride', 'sprig_merge', 'sprig_mustMerge', 'sprig_mergeOverwrite', 'sprig_mustMergeOverwrite', 'sprig_deepCopy']);
const FRESH = BUILT_FRESH();

function BUILT_FRESH(): string[] {
  return ['(parseJSON "{\\"a\\":{\\"b\\":1,\\"c\\":\\"\\"},\\"l\\":[1],\\"e\\":[],\\"z\\":0,\\"n\\":null}")', '(parseJSON "{\\"a\\":{\\"b\\":2,\\"d\\":3},\\"l\\":[2,3],\\"e\\":[9],\\"z\\":5,\\"n\\":7,\\"x/y\\":1}")',
    '(parseJSON "{\\"a/b\\":1,\\"a/c\\":2,\\"d\\":3}")', '(sprig_dict "a" 1 "b" "x")', '(sprig_dict)', '(sprig_dict "a" (sprig_dict "b" 1))', '(parseJSON "{\\"a\\":\\"\\",\\"b\\":[],\\"c\\":{}}")'];
}

function arg(r: Random, name: string): string {
  if (MERGES.has(name)) return r() < 0.8 ? pick(r, FRESH) : pick(r, [...STRINGS.slice(0, 3), 'nil', '1']);
  const k = Math.floor(r() * 10);
  if (k < 3) return pick(r, STRINGS);
  if (k < 5) return pick(r, SEQUENCES.has(name) ? SMALL_NUMBERS : NUMBERS);
  if (k < 7) return pick(r, DATA);
  if (k < 8) return pick(r, SECRET);
  if (k < 9) return pick(r, BUILT);
  return pick(r, ['true', 'false', 'nil']);
}

export function callTemplate(r: Random, name: string): string[] {
  const n = Math.floor(r() * 4);
  const args = Array.from({ length: n }, () => arg(r, name));
  if (n > 0 && r() < 0.3) {
    const piped = args.pop()!;
    return [`{{ ${piped} | ${name}${args.map((a) => ' ' + a).join('')} }}`];
  }
  // printf %#v shows the result's Go type as well as its value
  const call = `${name}${args.map((a) => ' ' + a).join('')}`;
  return r() < 0.5 ? [`{{ ${call} }}`] : [`{{ printf "%T %#v" (${call}) (${call}) }}`];
}

export function callData(): { data: unknown; secrets: Record<string, string> } {
  return {
    data: { s: 'hello world', n: 2.5, i: 3, b: true, l: ['b', 1, null, 'a'], nl: [3, 1, 2], sl: ['b', 'a', 'b'], m: { a: 1, b: 'x', c: { d: [1, 2] } }, deep: { x: { y: 'z' } }, nil: null, e: '' },
    secrets: {
      'secret/s': '{"request_id":"r","lease_id":"l/1","lease_duration":60,"renewable":true,"data":{"s":"v","n":5432,"l":["x","y"],"m":{"k":1.50}},"warnings":["w"]}',
      'secret/list': '{"data":{"keys":["b","a/"]}}',
    },
  };
}
