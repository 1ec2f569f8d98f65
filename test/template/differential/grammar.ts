// Random templates and data for differential testing against Go's text/template.
// Templates are lists of pieces so a disagreement can be shrunk piece by piece.
import { prng } from '../../support/prng.ts';

export type Random = () => number;

/** The project's seeded generator, under the name run.ts uses. */
export const mulberry32: (seed: number) => Random = prng;

export const pick = <T>(r: Random, items: readonly T[]): T => items[Math.floor(r() * items.length)]!;
const chance = (r: Random, p: number): boolean => r() < p;

const STRINGS = ['', 'HTTPStatusCode', 'get2FA_token', 'Bld4Floor', 'some-kebab case', 'XMLHttpRequest', 'a', 'hello world', 'Hello, World!', '  padded  ', 'a,b,,c', 'x:y', 'yes', 'no', 'null', '~', '123', '1.5', '-7', '0x1F',
  '1e3', 'true', 'TRUE', 'tab\there', 'multi\nline', 'multi\nline\n', 'é日本', '<a href="x">&', 'quote\'s "dq"', 'a\\b', '#x', '- x', ': x',
  'aGVsbG8=', 'dGVzdGluZzEyMw==', '%d %s %v', '100%', '{{x}}', 'CamelCase', 'snake_case_word', 'x-y z', '  ', '\n', 'a\u00a0b', 'straße', 'ǅ'];
const NUMBERS = ['0', '1', '-1', '42', '5432', '1000000', '0.5', '1.0', '1.5', '-2.5', '1e3', '1e-7', '1e21', '3.14159', '0x10', '017', '1_000', "'a'", '9223372036854775807', '.5', '-0'];
const JSON_NUMBERS = ['0', '1', '-1', '42', '5432', '1000000', '0.5', '1.0', '1.50', '-2.5', '1e3', '1E-7', '12345678901234567890', '3.14159', '100'];
const REGEXES = ['[a-z]+', '\\d+', '^a', 'a$', '(a)(b)?', '(?i)HELLO', '\\s+', '[[:alpha:]]+', '\\w+', '.', 'x*', '(?P<n>l+)', '[^a-z]', 'a|b', '\\bw', 'l{2}', '(?s)a.b', '\\pL+', '[\\d,]+', '(', 'a**', '\\1', '(?=x)'];
const REPLACEMENTS = ['x', '$1', '${1}y', '$1y', '<${n}>', '$$', '', '[$0]', '$'];
const PRINTF = ['%v', '%d', '%s', '%q', '%x', '%5.2f', '%-4s|', '%T', '%t', '%05d', '%+v', '%e', '%g', '%o', '%c', '%U', '%%', '%[2]v %[1]v', '%!', '%z', '%#v', '%8.3s', '% d', '%x %X'];

function jsonString(s: string): string {
  return JSON.stringify(s);
}

/** A random JSON value (text), numbers written as Vault would send them. */
export function jsonValue(r: Random, depth: number, numbers: readonly string[]): string {
  const k = depth <= 0 ? Math.floor(r() * 4) : Math.floor(r() * 6);
  switch (k) {
    case 0: return jsonString(pick(r, STRINGS));
    case 1: return pick(r, numbers);
    case 2: return pick(r, ['true', 'false', 'null']);
    case 3: return jsonString(pick(r, STRINGS));
    case 4: {
      const n = Math.floor(r() * 4);
      return '[' + Array.from({ length: n }, () => jsonValue(r, depth - 1, numbers)).join(',') + ']';
    }
    default: return jsonObject(r, depth - 1, numbers);
  }
}

const KEYS = ['a', 'b', 'c', 'd', 'e', 'name', 'port', 'tags', 'user', 'B', 'a1', 'a10', '_x'];

export function jsonObject(r: Random, depth: number, numbers: readonly string[]): string {
  const n = 1 + Math.floor(r() * 5);
  const keys = new Set<string>();
  for (let i = 0; i < n; i++) keys.add(pick(r, KEYS));
  return '{' + Array.from(keys, (key) => `${jsonString(key)}:${jsonValue(r, depth, numbers)}`).join(',') + '}';
}

function quoteTemplateString(s: string): string {
  // a Go interpreted string literal
  return JSON.stringify(s).replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

function operand(r: Random, vars: readonly string[]): string {
  switch (Math.floor(r() * 9)) {
    case 0: return '.' + pick(r, KEYS);
    case 1: return '.' + pick(r, KEYS) + '.' + pick(r, KEYS);
    case 2: return vars.length > 0 ? pick(r, vars) : '$';
    case 3: return quoteTemplateString(pick(r, STRINGS));
    case 4: return pick(r, NUMBERS);
    case 5: return pick(r, ['true', 'false', 'nil', '.', '$']);
    case 6: return `(secret "secret/s").Data.${pick(r, KEYS)}`;
    case 7: return '(' + expression(r, vars, 1) + ')';
    default: return '.' + pick(r, KEYS);
  }
}

const STRING_FUNCS = ['toUpper', 'toLower', 'toTitle', 'trimSpace', 'base64Encode', 'base64Decode', 'base64URLEncode', 'sha256Hex', 'md5sum',
  'parseInt', 'parseFloat', 'parseBool', 'parseJSON', 'sprig_upper', 'sprig_trim', 'sprig_title', 'sprig_nospace', 'sprig_b64enc', 'sprig_b64dec', 'sprig_quote', 'sprig_squote'];
const ANY_FUNCS = ['toJSON', 'toJSONPretty', 'toYAML', 'toUnescapedJSON', 'len', 'not', 'html', 'js', 'urlquery', 'print', 'println', 'sprig_toJson', 'sprig_toString', 'sprig_empty', 'sprig_int', 'sprig_float64', 'sprig_typeOf', 'sprig_kindOf', 'sprig_first', 'sprig_toStrings', 'sprig_sortAlpha', 'sprig_uniq'];
const BINARY = ['eq', 'ne', 'lt', 'le', 'gt', 'ge', 'and', 'or', 'index', 'add', 'subtract', 'multiply', 'divide', 'modulo', 'minimum', 'maximum', 'contains', 'split', 'join', 'trim', 'sprig_default', 'sprig_join', 'sprig_splitList', 'sprig_repeat', 'sprig_trunc', 'sprig_hasPrefix', 'sprig_add', 'sprig_has', 'sprig_ternary', 'indent', 'sprig_indent', 'sprig_cat', 'print', 'sprig_list', 'sprig_dict', 'slice', 'in'];

export function expression(r: Random, vars: readonly string[], depth: number): string {
  const k = Math.floor(r() * 10);
  if (depth > 2 || k === 0) return operand(r, vars);
  if (k === 1) return `printf ${quoteTemplateString(pick(r, PRINTF))} ${operand(r, vars)}${chance(r, 0.4) ? ' ' + operand(r, vars) : ''}`;
  if (k === 2) return `${pick(r, ['regexReplaceAll', 'sprig_regexReplaceAll'])} ${quoteTemplateString(pick(r, REGEXES))} ${quoteTemplateString(pick(r, REPLACEMENTS))} ${operand(r, vars)}`;
  if (k === 3) return `${pick(r, ['regexMatch', 'sprig_regexFind', 'sprig_regexMatch'])} ${quoteTemplateString(pick(r, REGEXES))} ${operand(r, vars)}`;
  if (k === 4) return `${pick(r, STRING_FUNCS)} ${operand(r, vars)}`;
  if (k === 5) return `${pick(r, ANY_FUNCS)} ${operand(r, vars)}`;
  if (k === 6) return `${pick(r, BINARY)} ${operand(r, vars)} ${operand(r, vars)}`;
  if (k === 7) return `${operand(r, vars)} | ${pick(r, [...STRING_FUNCS, ...ANY_FUNCS])}`;
  if (k === 8) return `${expression(r, vars, depth + 1)} | printf ${quoteTemplateString(pick(r, PRINTF))}`;
  return `${operand(r, vars)} | ${pick(r, BINARY)} ${operand(r, vars)}`;
}

export function pieces(r: Random, depth = 0, vars: readonly string[] = [], inRange = false): string[] {
  const out: string[] = [];
  const n = 1 + Math.floor(r() * 4);
  for (let i = 0; i < n; i++) {
    const k = Math.floor(r() * 11);
    const trimL = chance(r, 0.15) ? '- ' : ' ';
    const trimR = chance(r, 0.15) ? ' -' : ' ';
    const body = (v: readonly string[] = vars, loop = inRange): string => pieces(r, depth + 1, v, loop).join('');
    if (k < 2) out.push(pick(r, ['text ', ' ', '\n', 'a=', ', ', '  \n  ']));
    else if (k < 6 || depth > 1) out.push(`{{${trimL}${expression(r, vars, 0)}${trimR}}}`);
    else if (k === 6) {
      // else if / else with (Go 1.23) chains
      const chain = chance(r, 0.4) ? `{{ else ${pick(r, ['if', 'with'])} ${expression(r, vars, 1)} }}${body()}` : '';
      out.push(`{{${trimL}${pick(r, ['if', 'with'])} ${expression(r, vars, 1)}${trimR}}}${body()}${chain}{{ else }}${body()}{{ end }}`);
    } else if (k === 7) {
      // over anything, numbers included (Go 1.22 ranges over an integer), one or two variables
      const form = Math.floor(r() * 3);
      const decl = form === 0 ? '$k, $v := ' : form === 1 ? '$v := ' : '';
      const inner = form === 0 ? [...vars, '$k', '$v'] : form === 1 ? [...vars, '$v'] : vars;
      // number literals only small ones: Go would count a huge one to the end (9223372036854775807 iterations)
      let over = operand(r, vars);
      while (/^[-+0-9.']/.test(over)) over = operand(r, vars);
      out.push(`{{ range ${decl}${chance(r, 0.3) ? pick(r, ['3', '0', '-2', '2.5', '12', "'a'", '(len .a)', '.n', '.i']) : over} }}${body(inner, true)}{{ else }}none{{ end }}`);
    } else if (k === 8) out.push(`{{ with ${expression(r, vars, 1)} }}${body()}{{ end }}`);
    else if (k === 9 && inRange) out.push(`{{ if ${expression(r, vars, 1)} }}{{ ${pick(r, ['break', 'continue'])} }}{{ end }}`);
    else {
      const name = `$x${depth}${i}`;
      out.push(`{{ ${name} := ${expression(r, vars, 1)} }}`);
      vars = [...vars, name];
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Typed mode: data with a known shape and expressions that mostly type-check, so outputs (not
// just error texts) are compared.

export function typedData(r: Random): { data: string; secret: string } {
  const str = (): string => jsonString(pick(r, STRINGS));
  const list = (): string => '[' + Array.from({ length: Math.floor(r() * 4) }, str).join(',') + ']';
  const data = `{"s":${str()},"t":${str()},"n":${pick(r, ['0', '1', '2.5', '-3', '1000000', '0.1', '1e21', '123456789'])},"i":${pick(r, ['0', '1', '2', '7', '42', '-5'])},"b":${pick(r, ['true', 'false'])},"l":${list()},"m":${jsonObject(r, 1, ['1', '2.5', '100'])},"deep":${jsonObject(r, 2, ['1', '0.5', '1000000'])}}`;
  const secret = `{"request_id":"r","lease_id":"lease/x","lease_duration":3600,"renewable":true,"data":{"s":${str()},"n":${pick(r, JSON_NUMBERS)},"l":${list()},"m":${jsonObject(r, 1, JSON_NUMBERS)},"deep":${jsonObject(r, 2, JSON_NUMBERS)}},"warnings":null}`;
  return { data, secret };
}

function strOperand(r: Random): string {
  return pick(r, ['.s', '.t', '(secret "secret/s").Data.s', quoteTemplateString(pick(r, STRINGS)), quoteTemplateString(pick(r, STRINGS))]);
}
function anyOperand(r: Random): string {
  return pick(r, ['.s', '.n', '.i', '.b', '.l', '.m', '.deep', '$', '(secret "secret/s").Data', '(secret "secret/s").Data.n', '(secret "secret/s").Data.m', '(secret "secret/s").Data.deep', '(secret "secret/s").Data.l', '(secret "secret/s").LeaseDuration', pick(r, NUMBERS), quoteTemplateString(pick(r, STRINGS))]);
}
function numOperand(r: Random): string {
  return pick(r, ['.n', '.i', pick(r, NUMBERS), pick(r, ['1', '2', '3', '10', '-4', '2.5']), '(secret "secret/s").Data.n.Int64', '(len .l)']);
}

export function typedExpression(r: Random): string {
  switch (Math.floor(r() * 14)) {
    case 0: return `${strOperand(r)} | ${pick(r, STRING_FUNCS.filter((f) => !f.startsWith('parse')))}`;
    case 1: return `printf ${quoteTemplateString(pick(r, PRINTF))} ${anyOperand(r)}${chance(r, 0.5) ? ' ' + anyOperand(r) : ''}`;
    case 2: return `${anyOperand(r)} | ${pick(r, ['toJSON', 'toJSONPretty', 'toYAML', 'toUnescapedJSON', 'sprig_toJson', 'sprig_toPrettyJson', 'print', 'sprig_toString', 'len', 'sprig_empty', 'sprig_typeOf', 'sprig_kindOf'])}`;
    case 3: return `${pick(r, ['add', 'subtract', 'multiply', 'divide', 'modulo', 'minimum', 'maximum', 'sprig_add', 'sprig_sub', 'sprig_mul', 'sprig_max', 'sprig_min', 'sprig_addf', 'sprig_mulf', 'sprig_subf', 'sprig_divf'])} ${numOperand(r)} ${numOperand(r)}`;
    case 4: return `${pick(r, ['regexReplaceAll', 'sprig_regexReplaceAll'])} ${quoteTemplateString(pick(r, REGEXES.slice(0, 20)))} ${quoteTemplateString(pick(r, REPLACEMENTS))} ${strOperand(r)}`;
    case 5: return `${strOperand(r)} | ${pick(r, ['split', 'sprig_splitList', 'sprig_split'])} ${quoteTemplateString(pick(r, [',', ' ', ':', '', 'l']))}${chance(r, 0.5) ? ' | ' + pick(r, ['toJSON', 'join "+"', 'sprig_join "-"', 'len', 'toYAML', 'sprig_sortAlpha', 'sprig_uniq', 'sprig_first', 'sprig_last', 'sprig_reverse']) : ''}`;
    case 6: return `${strOperand(r)} | ${pick(r, ['replaceAll', 'sprig_replace'])} ${quoteTemplateString(pick(r, ['a', 'l', ' ', '', 'é']))} ${quoteTemplateString(pick(r, ['_', '', 'XX']))}`;
    case 7: return `${strOperand(r)} | ${pick(r, ['indent', 'sprig_indent', 'sprig_nindent', 'sprig_trunc', 'sprig_repeat'])} ${pick(r, ['0', '1', '2', '4', '-2'])}`;
    case 8: return `${pick(r, ['eq', 'ne', 'lt', 'ge'])} ${pick(r, ['.s', '.t', '"a"', '(secret "secret/s").Data.s'])} ${pick(r, ['.s', '.t', '"hello world"', '""'])}`;
    case 9: return `${strOperand(r)} | ${pick(r, ['regexMatch', 'sprig_regexMatch'])} ${quoteTemplateString(pick(r, REGEXES.slice(0, 20)))}`;
    case 10: return `sprig_default ${anyOperand(r)} ${anyOperand(r)}`;
    case 11: return `${pick(r, ['contains', 'sprig_contains', 'sprig_hasPrefix', 'sprig_hasSuffix', 'trimPrefix', 'trimSuffix', 'trim'])} ${quoteTemplateString(pick(r, ['a', 'h', ' ', 'd', '!']))} ${strOperand(r)}`;
    case 12: return `${strOperand(r)} | ${pick(r, ['sprig_substr 1 3', 'sprig_quote', 'sprig_squote', 'sprig_cat "x"', 'sprig_b64enc | sprig_b64dec', 'base64Encode | base64Decode', 'base64URLEncode | base64URLDecode', 'sha256Hex', 'md5sum', 'sprig_sha1sum', 'sprig_adler32sum', 'urlquery', 'html', 'js', 'toTitle', 'sprig_title', 'sprig_swapcase', 'sprig_untitle', 'sprig_nospace', 'sprig_snakecase', 'sprig_camelcase', 'sprig_kebabcase', 'sprig_initials', 'sprig_abbrev 6', 'sprig_abbrevboth 5 8', 'sprig_wrap 4', 'sprig_wrapWith 3 "|"'])}`;
    default: return `index ${pick(r, ['.m', '.deep', '(secret "secret/s").Data.m', '(secret "secret/s").Data'])} ${quoteTemplateString(pick(r, KEYS))}`;
  }
}

export function typedPieces(r: Random, depth = 0): string[] {
  const out: string[] = [];
  const n = 1 + Math.floor(r() * 4);
  for (let i = 0; i < n; i++) {
    const k = Math.floor(r() * 8);
    if (k === 0) out.push(pick(r, [' ', '\n', ';']));
    else if (k < 6 || depth > 0) out.push(`{{ ${typedExpression(r)} }}`);
    else if (k === 6) out.push(`{{ range $k, $v := ${pick(r, ['.m', '.deep', '.l', '(secret "secret/s").Data', '(secret "secret/s").Data.m', '(secret "secret/s").Data.l'])} }}{{ $k }}={{ $v }}|${typedPieces(r, depth + 1).join('')}{{ end }}`);
    else if (k === 7 && chance(r, 0.5)) {
      // Go 1.22's range over an integer, with Go 1.18's break and continue
      const n = pick(r, ['.i', '3', '0', '(len .l)', '.n', '-1']);
      const stop = pick(r, ['break', 'continue']);
      out.push(`{{ range $i := ${n} }}{{ if eq $i ${pick(r, ['1', '2', '0'])} }}{{ ${stop} }}{{ end }}{{ $i }},${typedPieces(r, depth + 1).join('')}{{ else }}empty{{ end }}`);
    } else out.push(`{{ with ${pick(r, ['.m', '.deep', '(secret "secret/s").Data.deep'])} }}${typedPieces(r, depth + 1).join('')}{{ . }}{{ else with ${pick(r, ['.s', '.l', '.nope'])} }}{{ . }}{{ end }}`);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Serialisation mode: toYAML / toJSON / toJSONPretty of random data, with long, multi-line and
// oddly spaced strings (yaml.v2's style choice and its 80-column folding).

const EXTRA_STRINGS = [
  'word '.repeat(20).trim(), 'word '.repeat(20), ' lead'.repeat(30), 'a'.repeat(100), 'x y'.repeat(40), 'line1\n' + 'long '.repeat(25),
  'trailing \nspace', '\ttab lead', 'a  b'.repeat(30), '"' + 'q '.repeat(50) + '"', "it's " + 'z '.repeat(45), '- item', '? key', 'key: value '.repeat(10),
  '\u0085next', 'é '.repeat(50), '日本語 '.repeat(30), '\n\nlead breaks', 'end breaks\n\n', 'mid\n\n\nbreaks', ' \n ', '0o17', '1_000', '2001-12-14t21:59:43.10-05:00', '12:30:45', 'Yes', 'OFF', '.5', '+.inf',
];

export function serialData(r: Random, depth: number): string {
  const str = (): string => jsonString(chance(r, 0.5) ? pick(r, EXTRA_STRINGS) : pick(r, STRINGS));
  const k = depth <= 0 ? Math.floor(r() * 3) : Math.floor(r() * 5);
  if (k === 0) return str();
  if (k === 1) return pick(r, [...JSON_NUMBERS, 'true', 'false', 'null']);
  if (k === 2) return str();
  if (k === 3) return '[' + Array.from({ length: Math.floor(r() * 4) }, () => serialData(r, depth - 1)).join(',') + ']';
  const keys = new Set<string>();
  const n = Math.floor(r() * 5);
  for (let i = 0; i < n; i++) keys.add(chance(r, 0.3) ? pick(r, [...STRINGS, ...EXTRA_STRINGS.slice(0, 8)]) : pick(r, KEYS));
  return '{' + Array.from(keys, (key) => `${jsonString(key)}:${serialData(r, depth - 1)}`).join(',') + '}';
}
