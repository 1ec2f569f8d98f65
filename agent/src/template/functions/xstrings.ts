// huandu/xstrings v1.5's ToPascalCase, ToSnakeCase and ToKebabCase (sprig's camelcase, snakecase and
// kebabcase), ported over code points.
import { goToLower, goToUpper, isGoSpace } from './gostrings.ts';

const isConnector = (r: string): boolean => r === '-' || r === '_' || isGoSpace(r.codePointAt(0) ?? 0);
const isUpper = (r: string): boolean => /\p{Lu}/u.test(r);
const isPunct = (r: string): boolean => /\p{P}/u.test(r);
const isNumber = (r: string): boolean => /\p{N}/u.test(r);
function isAlphabet(r: string): boolean {
  if (!/\p{L}/u.test(r)) return false;
  const cp = r.codePointAt(0) ?? 0;
  if (cp < 0x3400) return true;
  if (cp >= 0x4e00 && cp <= 0x9fcc) return false;
  if (cp >= 0x3400 && cp <= 0x4d85) return false;
  if (cp >= 0x20000 && cp <= 0x2b81d) return false;
  return true;
}

/** xstrings v1.5's ToPascalCase (sprig v3.3's camelcase): the first letter of each word upper,
 *  a run of upper-case letters after a word's upper-case first letter lowered, the rest kept. */
export function toCamelCase(s: string): string {
  const chars = Array.from(s);
  if (chars.length === 0) return '';
  let out = '';
  let i = 0;
  let r0 = '';
  let firstUpper = false;
  while (i < chars.length) {
    r0 = chars[i++]!;
    if (!isConnector(r0)) { firstUpper = isUpper(r0); r0 = goToUpper(r0); break; }
    out += r0;
  }
  if (i >= chars.length) {
    // xstrings writes the last rune once more here, even a connector ("_" gives "__")
    return out + r0;
  }
  while (i < chars.length) {
    const r1 = r0;
    r0 = chars[i++]!;
    if (isConnector(r0) && isConnector(r1)) { out += r1; continue; }
    if (isConnector(r1)) {
      firstUpper = isUpper(r0);
      r0 = goToUpper(r0);
    } else {
      if (firstUpper) {
        if (isUpper(r0)) r0 = goToLower(r0);
        else firstUpper = false;
      }
      out += r1;
    }
  }
  return out + r0;
}

type WordType = 'invalid' | 'number' | 'upper' | 'alphabet' | 'connector' | 'punct' | 'other';

/** utf8.RuneError as DecodeRuneInString gives it: an invalid byte (a lone surrogate here) or U+FFFD. */
const isRuneError = (r: string): boolean => r === '\ufffd' || (r.length === 1 && (r.charCodeAt(0) & 0xf800) === 0xd800);

function nextWord(chars: string[], start: number): { wt: WordType; word: string[]; next: number } {
  // xstrings' nextValidRune: rune errors are skipped and belong to the rune after them; when only
  // rune errors are left, they are judged as the rune before them was
  const nextValid = (from: number): number => {
    let j = from;
    while (j < chars.length && isRuneError(chars[j]!)) j++;
    return j;
  };
  const first = nextValid(start);
  if (first >= chars.length) return { wt: 'invalid', word: chars.slice(start), next: chars.length };
  const r = chars[first]!;
  let end = first + 1;
  let prev = r;
  /** Extends the word over runes passing test; the start of the last one taken. */
  const run = (test: (c: string) => boolean): number => {
    let lastStart = end;
    while (end < chars.length) {
      const j = nextValid(end);
      const c = j < chars.length ? chars[j]! : prev;
      if (!test(c)) break;
      lastStart = end;
      end = Math.min(j + 1, chars.length);
      prev = c;
    }
    return lastStart;
  };
  let wt: WordType;
  if (isConnector(r)) { wt = 'connector'; run(isConnector); }
  else if (isPunct(r)) { wt = 'punct'; run(isPunct); }
  else if (isUpper(r)) {
    wt = 'upper';
    if (end < chars.length) {
      const j = nextValid(end);
      const r2 = j < chars.length ? chars[j]! : r;
      if (isUpper(r2)) {
        const lastStart = run(isUpper);
        // "HTTPStatus" is "HTTP" then "Status"
        const k = nextValid(end);
        if (end < chars.length && isAlphabet(k < chars.length ? chars[k]! : prev)) end = lastStart;
      } else if (isAlphabet(r2)) {
        run((c) => isAlphabet(c) && !isUpper(c));
      }
    }
  } else if (isAlphabet(r)) { wt = 'alphabet'; run((c) => isAlphabet(c) && !isUpper(c)); }
  else if (isNumber(r)) { wt = 'number'; run(isNumber); }
  else { wt = 'other'; run((c) => !(isConnector(c) || isAlphabet(c) || isNumber(c) || isPunct(c))); }
  return { wt, word: chars.slice(start, end), next: end };
}

function lowerWord(wt: WordType, word: string[], connector: string): string {
  if (wt !== 'upper' && wt !== 'connector') return word.join('');
  // these words are decoded rune by rune: an invalid byte is written back as U+FFFD
  return word.map((r) => (isRuneError(r) ? '\ufffd' : isConnector(r) ? connector : isUpper(r) ? goToLower(r) : r)).join('');
}

function camelCaseToLowerCase(s: string, connector: string): string {
  const chars = Array.from(s);
  if (chars.length === 0) return '';
  let out = '';
  let { wt, word, next } = nextWord(chars, 0);
  const step = (): void => { ({ wt, word, next } = nextWord(chars, next)); };
  while (next < chars.length) {
    if (wt !== 'connector') out += lowerWord(wt, word, connector);
    const prev = wt;
    const last = word;
    step();
    switch (prev) {
      case 'number':
        while (wt === 'alphabet' || wt === 'number') { out += lowerWord(wt, word, connector); step(); }
        if (wt !== 'invalid' && wt !== 'punct' && wt !== 'connector') out += connector;
        break;
      case 'connector':
        out += lowerWord(prev, last, connector);
        break;
      case 'punct':
        break;
      default: {
        if (wt !== 'number') {
          if (wt !== 'connector' && wt !== 'punct') out += connector;
          break;
        }
        if (next >= chars.length) break;
        const numberWord = word;
        step();
        if ((wt as WordType) !== 'alphabet') {
          out += lowerWord('number', numberWord, connector);
          if ((wt as WordType) !== 'connector' && (wt as WordType) !== 'punct') out += connector;
          break;
        }
        out += connector + lowerWord('number', numberWord, connector);
        const current = (): WordType => wt;
        while (current() === 'alphabet' || current() === 'number') { out += lowerWord(current(), word, connector); step(); }
        if (current() !== 'invalid' && current() !== 'connector' && current() !== 'punct') out += connector;
      }
    }
  }
  return out + lowerWord(wt, word, connector);
}

export const toSnakeCase = (s: string): string => camelCaseToLowerCase(s, '_');
export const toKebabCase = (s: string): string => camelCaseToLowerCase(s, '-');
