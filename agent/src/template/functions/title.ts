// consul-template's toTitle: golang.org/x/text/cases.Title(language.Und, cases.NoLower). The first
// cased letter after a word break is title-cased (full mapping: ß → Ss, ﬁ → Fi, ǆ → ǅ); the rest is
// kept. Words break as x/text approximates Unicode's word breaking: letters, digits, marks,
// connector punctuation and format characters never break; MidLetter, MidNumLet and the apostrophe
// do not break between letters but two in a row do; anything else breaks.
import { goToUpper } from './gostrings.ts';

const CASED = /\p{Cased}/u;
/** Word_Break MidLetter, MidNumLet and Single_Quote (UAX #29). */
const MID = new Set([0x27, 0x2e, 0x3a, 0xb7, 0x387, 0x55f, 0x5f4, 0x2018, 0x2019, 0x2024, 0x2027, 0xfe13, 0xfe52, 0xfe55, 0xff07, 0xff0e, 0xff1a]);
/** Word_Break ALetter, Hebrew_Letter, Numeric, Extend, ExtendNumLet, Format, ZWJ, approximated by
 *  general categories: alphabetic minus the scripts UAX #29 leaves out of ALetter. */
const LETTER = /[\p{Alphabetic}\p{Nd}\p{Mn}\p{Me}\p{Mc}\p{Pc}\p{Cf}\u202f]/u;
const NOT_ALETTER = /[\p{Ideographic}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Myanmar}\p{Script=Khmer}\p{Script=Tai_Tham}\p{Script=Tai_Viet}\u200b\u3031-\u3035\u309b\u309c\u30a0\u30fc\uff70]/u;

/** SpecialCasing title mappings, and the title-case letters of the DŽ/LJ/NJ/DZ families. */
const TITLE = new Map<string, string>([
  ['ß', 'Ss'], ['ﬀ', 'Ff'], ['ﬁ', 'Fi'], ['ﬂ', 'Fl'], ['ﬃ', 'Ffi'], ['ﬄ', 'Ffl'], ['ﬅ', 'St'], ['ﬆ', 'St'],
  ['և', 'Եւ'], ['ﬓ', 'Մն'], ['ﬔ', 'Մե'], ['ﬕ', 'Մի'], ['ﬖ', 'Վն'], ['ﬗ', 'Մխ'], ['ŉ', 'ʼN'], ['ǰ', 'J̌'],
  ['ẖ', 'H̱'], ['ẗ', 'T̈'], ['ẘ', 'W̊'], ['ẙ', 'Y̊'], ['ẚ', 'Aʾ'],
  ['Ǆ', 'ǅ'], ['ǆ', 'ǅ'], ['Ǉ', 'ǈ'], ['ǉ', 'ǈ'], ['Ǌ', 'ǋ'], ['ǌ', 'ǋ'], ['Ǳ', 'ǲ'], ['ǳ', 'ǲ'],
]);

// Greek letters with ypogegrammeni title-case to the prosgegrammeni form, not to upper + IOTA
for (const base of [0x1f80, 0x1f90, 0x1fa0]) for (let i = 0; i < 8; i++) TITLE.set(String.fromCodePoint(base + i), String.fromCodePoint(base + 8 + i));
for (const [from, to] of [[0x1fb3, '\u1fbc'], [0x1fc3, '\u1fcc'], [0x1ff3, '\u1ffc'], [0x1fb2, '\u1fba\u0345'], [0x1fb4, '\u0386\u0345'],
  [0x1fb7, '\u0391\u0342\u0345'], [0x1fc2, '\u1fca\u0345'], [0x1fc4, '\u0389\u0345'], [0x1fc7, '\u0397\u0342\u0345'],
  [0x1ff2, '\u1ffa\u0345'], [0x1ff4, '\u038f\u0345'], [0x1ff7, '\u03a9\u0342\u0345']] as const) TITLE.set(String.fromCodePoint(from), to);

function titleRune(r: string): string {
  const special = TITLE.get(r);
  if (special !== undefined) return special;
  if (/\p{Lt}/u.test(r)) return r;
  // SpecialCasing's other unconditional entries title-case as they upper-case (ΐ → Ϊ́); the rest
  // take the simple mapping of Go's Unicode tables
  const full = r.toUpperCase();
  return Array.from(full).length > 1 && /\p{Ll}/u.test(r) ? full : goToUpper(r);
}

function isMid(cp: number): boolean {
  return MID.has(cp);
}

function isBreak(r: string, cp: number): boolean {
  if (isMid(cp)) return false;
  return !(LETTER.test(r) && !NOT_ALETTER.test(r));
}

export function xtextTitle(s: string): string {
  let out = '';
  let midWord = false;
  let previousMid = false;
  for (const r of s) {
    const cp = r.codePointAt(0)!;
    const mid = isMid(cp);
    if (previousMid && mid) midWord = false;
    if (CASED.test(r)) {
      out += midWord ? r : titleRune(r);
      midWord = true;
    } else {
      out += r;
      if (isBreak(r, cp)) midWord = false;
    }
    previousMid = mid;
  }
  return out;
}
