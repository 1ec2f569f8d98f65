// Random YAML texts for judging parseYAML against the oracle: documents built from a random tree
// in block and flow style (scalars of every YAML 1.1 kind, quotes, escapes, block scalars,
// anchors, aliases, tags, merge keys, comments, directives, several documents), then often
// broken by a few random edits, plus soups of indicators, so every scanner and parser error
// path is reached. Seeded: the same seed gives the same texts.

import { prng } from '../support/prng.ts';

const PLAIN = ['a', 'b', 'key', 'x y', 'yes', 'No', 'on', 'OFF', 'y', 'n', 'true', 'False', 'null', '~', 'Null', '', '0', '1', '-1', '+1', '12', '012', '08', '0x1F',
  '0o17', '0b101', '-0b11', '0b-1', '1_000', '1__0', '0x_1', '1.5', '-1.5', '.5', '-.5', '1.', '1e3', '1E-3', '1.5e+3', '.5e3', '.e3', '.', '1e400', '-1e400', '1e-400',
  '.inf', '-.Inf', '+.INF', '.nan', '.NaN', 'inf', 'nan', '9223372036854775807', '9223372036854775808', '-9223372036854775808', '-9223372036854775809',
  '18446744073709551615', '18446744073709551616', '0xFFFFFFFFFFFFFFFF', '0x10000000000000000', '2001-12-14', '2001-12-14t21:59:43.10-05:00', '2001-12-14 21:59:43.10',
  '2001-1-2', '2001-13-01', '2001-02-30', '12:30', '1:20:30', '<<', '=', 'a:b', 'a,b', 'a#b', 'a #b', 'é', '日本', 'x\u00a0y', '@x', '`x', '-x', '?x', ':x', '%x',
  'a b c', 'http://x/y?z', '-', '--', '---x', '...x', '0.0', '-0', '+0', '00', '0b', '0x', '0o', '1_0.5', '_1', '+', '+.5', '3.14_15', 'Yes', 'ON', 'TRUE'];
const QUOTED = ["'a'", "'it''s'", "''", '"a"', '""', '"\\n\\t\\\\"', '"\\x41\\u00e9\\U0001F600"', '"\\0\\a\\b\\e\\f\\r\\v\\ \\/"', '"\\N\\_\\L\\P"', '"\\q"',
  '"\\x4"', '"\\uD800"', '"\\U00110000"', '"a\\\n  b"', '"a\n  b"', "'a\n\n  b'", '"yes"', "'123'", '"<<"', '"\\"q\\""', "'multi\n  line'", '"\t"'];
const TAGS = ['!!str', '!!int', '!!float', '!!bool', '!!null', '!!binary', '!!timestamp', '!!map', '!!seq', '!!merge', '!', '!local', '!<tag:yaml.org,2002:int>',
  '!<!x>', '!e!x', '!!', '!<>', '!a%41', '!%zz', '!<x'];
const BINARY = ['aGVsbG8=', 'aGVsbG8', 'AAEC/w==', '', '====', 'aGVs\n  bG8=', 'a b', '/w=='];
const COMMENTS = [' # c', '# c', ' #', '#'];

export interface GenOptions {
  /** chance a text gets random edits */
  breakRate: number;
  /** only pieces that are well-formed where they are put (mostly valid documents, to judge values) */
  clean?: boolean;
}

const CLEAN_QUOTED = ["'a'", "'it''s'", "''", '"a"', '""', '"\\n\\t\\\\"', '"\\x41\\u00e9\\U0001F600"', '"\\N\\_\\L\\P"', '"yes"', "'123'", '"<<"'];
const CLEAN_TAGS = ['!!str', '!', '!local', '!<tag:yaml.org,2002:str>'];
const CLEAN_BINARY = ['aGVsbG8=', 'AAEC/w==', '', 'YQ=='];

export function yamlTexts(seed: number, count: number, options: GenOptions = { breakRate: 0.45 }): string[] {
  const rnd = prng(seed);
  const clean = options.clean === true;
  const quoted = clean ? CLEAN_QUOTED : QUOTED;
  const tags = clean ? CLEAN_TAGS : TAGS;
  const binary = clean ? CLEAN_BINARY : BINARY;
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const chance = (p: number): boolean => rnd() < p;
  let anchors: string[] = [];

  const scalar = (): string => {
    const r = rnd();
    if (r < 0.55) return pick(PLAIN);
    if (r < 0.8) return pick(quoted);
    if (r < 0.85) return `!!binary ${pick(binary)}`;
    if (r < 0.92 && anchors.length > 0) return `*${pick(anchors)}`;
    return `${pick(tags)} ${pick(PLAIN)}`;
  };
  const prefix = (): string => {
    let p = '';
    if (chance(0.12)) {
      const name = pick(['a', 'b', 'x1', 'long_anchor-name']);
      anchors.push(name);
      p += `&${name} `;
    }
    if (chance(0.1)) p += `${pick(tags)} `;
    return p;
  };

  const flow = (depth: number): string => {
    const r = rnd();
    if (depth > 2 || r < 0.5) return scalar();
    const n = Math.floor(rnd() * 4);
    const items: string[] = [];
    if (r < 0.75) {
      for (let i = 0; i < n; i++) items.push(chance(0.15) ? `${flow(depth + 1)}: ${flow(depth + 1)}` : flow(depth + 1));
      return `${prefix()}[${items.join(pick(clean ? [', ', ','] : [', ', ',', ' , ', ',\n  ']))}${chance(0.1) ? ',' : ''}]`;
    }
    for (let i = 0; i < n; i++) items.push(chance(0.1) ? flow(depth + 1) : `${chance(0.1) ? '? ' : ''}${flow(depth + 1)}: ${flow(depth + 1)}`);
    return `${prefix()}{${items.join(pick(clean ? [', '] : [', ', ',', ',\n  ']))}}`;
  };

  const block = (indent: number, depth: number): string => {
    const pad = ' '.repeat(indent);
    const r = rnd();
    if (depth > 3 || r < 0.2) return ` ${chance(0.6) ? scalar() : flow(depth)}${chance(0.1) ? pick(COMMENTS) : ''}\n`;
    if (r < 0.28) {
      const style = pick(['|', '>', '|-', '>+', '|2', '>-1', '|+']);
      const lines = Array.from({ length: 1 + Math.floor(rnd() * 3) }, () => pad + '  ' + pick(['text', 'more text', '  indented', '', 'x: y', '# not a comment']));
      return ` ${style}\n${lines.join('\n')}\n${chance(0.3) ? '\n' : ''}`;
    }
    const n = 1 + Math.floor(rnd() * 3);
    let out = chance(0.2) ? ` ${prefix()}\n` : '\n';
    const step = pick([1, 2, 2, 4]);
    const inner = indent + step;
    const ipad = ' '.repeat(inner);
    if (r < 0.6) {
      for (let i = 0; i < n; i++) {
        const key = chance(0.08) ? '<<' : chance(0.1) ? pick(quoted.slice(0, 6)) : pick(['a', 'b', 'c', 'key', '1', 'yes', 'null', '~', '1.5', 'k k']);
        if (chance(0.05)) out += `${ipad}? ${key}\n${ipad}:${block(inner, depth + 1)}`;
        else out += `${ipad}${key}:${block(inner, depth + 1)}`;
      }
    } else {
      for (let i = 0; i < n; i++) out += `${ipad}-${block(inner, depth + 1)}`;
    }
    return out;
  };

  const document = (): string => {
    anchors = [];
    let text = '';
    if (chance(0.08)) text += pick(clean ? ['%YAML 1.1\n', '%TAG !e! tag:e.com,2000:\n'] : ['%YAML 1.1\n', '%YAML 1.2\n', '%TAG !e! tag:e.com,2000:\n', '%FOO bar\n', '%YAML 1.1\n%YAML 1.1\n']);
    if (text !== '' || chance(0.15)) text += pick(['---', '--- ', '---\n']);
    if (chance(0.05)) text += pick(COMMENTS) + '\n';
    const tree = block(0, 0);
    const body = chance(0.25) ? flow(0) + '\n' : tree.startsWith('\n') ? tree.slice(1) : tree.trimStart();
    text += body;
    if (chance(0.1)) text += pick(['...\n', '---\n', '--- b\n', '...\n--- c\n', '---\n[\n']);
    return text;
  };

  const SOUP = ['-', '- ', '?', '? ', ':', ': ', ',', '[', ']', '{', '}', '#', '&a', '&a ', '*a', '*a ', '!', '!!str ', '|', '>', "'", '"', '%', '@', '`', 'a', 'b ', '1',
    '\n', '\n', '\n  ', '\n ', '\t', ' ', '  ', '---', '...', '\r\n', '"\\', 'é', '\u2028', '\ufeff', '<<: ', 'x: ', '- x', '\\', '\u0085', '\r', '\x01', '\ud83d\ude00'];
  const soup = (): string => {
    let s = '';
    const n = 1 + Math.floor(rnd() * 10);
    for (let i = 0; i < n; i++) s += pick(SOUP);
    return s;
  };

  const edit = (text: string): string => {
    const edits = 1 + Math.floor(rnd() * 3);
    for (let e = 0; e < edits; e++) {
      const at = Math.floor(rnd() * (text.length + 1));
      const r = rnd();
      if (r < 0.35) text = text.slice(0, at) + text.slice(at + 1);
      else if (r < 0.7) text = text.slice(0, at) + pick(SOUP) + text.slice(at);
      else if (r < 0.85) text = text.slice(0, at) + pick(['\t', ' ', '\n', '  ']) + text.slice(at);
      else text = text.slice(0, at) + pick(SOUP) + text.slice(at + 1);
    }
    return text;
  };

  // past the reader's first 512-byte chunk, sometimes with a bad character or a BOM near a chunk
  // boundary, or a key longer than a simple key may be
  const long = (): string => {
    let text = '';
    const mapping = chance(0.5);
    while (text.length < 400 + rnd() * 900) text += (clean ? mapping : chance(0.5)) ? `k${text.length}: ${scalar()}\n` : `- ${pick(PLAIN)} ${'é'.repeat(Math.floor(rnd() * 5))}\n`;
    const at = Math.min(text.length, 480 + Math.floor(rnd() * 80));
    const r = rnd();
    if (r < 0.3) text = text.slice(0, at) + pick(['\x01', '\x7f', '\ufffe', '\ufeff', '\u0085', '\u2028']) + text.slice(at);
    else if (r < 0.45) text = 'k'.repeat(1000 + Math.floor(rnd() * 60)) + ': v\n' + text;
    return text;
  };

  const texts: string[] = [];
  for (let i = 0; i < count; i++) {
    let text = chance(0.04) ? long() : !clean && chance(0.15) ? soup() : document();
    if (chance(0.1)) text += document();
    if (chance(options.breakRate)) text = edit(text);
    if (chance(0.1)) text = text.trimEnd();
    if (chance(0.05)) text = text.replace(/\n/g, '\r\n');
    texts.push(text);
  }
  return texts;
}
