// libyaml's reader, as yaml.v2 runs it: the input's encoding (a BOM picks UTF-16), each character
// checked (no control characters, valid UTF-8), decoded 512 raw bytes at a time. A bad character
// is only reported when the scanner asks for a character of the chunk that holds it, so a long
// document can fail at its first line or parse fine (yaml.v2 stops after the first document).
import { encodeGoString } from '../../gostring.ts';

/** The characters the scanner may read, in the reader's chunks. */
export interface ReaderInput {
  /** the decoded characters (an initial BOM left out) */
  readonly text: string;
  /** characters decoded once each raw chunk is read (cumulative); a bad character ends them */
  readonly chunkEnds: readonly number[];
  /** libyaml's words for the bad character after the last chunk ('' when none) */
  readonly problem: string;
}

const RAW_CHUNK = 512;

// characters libyaml refuses, and lone surrogates (Go bytes that are not UTF-8)
const SUSPICIOUS = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]/;

function allowed(cp: number): boolean {
  return cp === 0x09 || cp === 0x0a || cp === 0x0d || (cp >= 0x20 && cp <= 0x7e) || cp === 0x85
    || (cp >= 0xa0 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff);
}

export function readInput(input: string): ReaderInput {
  if (SUSPICIOUS.test(input)) return decodeBytes(encodeGoString(input));
  const bom = input.charCodeAt(0) === 0xfeff;
  const text = bom ? input.slice(1) : input;
  // chunk boundaries from the UTF-8 width of each character (the BOM's 3 bytes are in the first)
  const chunkEnds: number[] = [];
  let byte = bom ? 3 : 0;
  let chunkEnd = RAW_CHUNK;
  let chars = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    let width = c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
    if (c >= 0xd800 && c <= 0xdbff) { width = 4; i++; }
    if (byte + width > chunkEnd) { chunkEnds.push(chars); chunkEnd = byte + RAW_CHUNK; }
    byte += width;
    chars++;
  }
  chunkEnds.push(chars);
  return { text, chunkEnds, problem: '' };
}

function decodeBytes(bytes: Uint8Array): ReaderInput {
  const n = bytes.length;
  let encoding: 'utf8' | 'le' | 'be' = 'utf8';
  let pos = 0;
  if (n >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) { encoding = 'le'; pos = 2; }
  else if (n >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) { encoding = 'be'; pos = 2; }
  else if (n >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) pos = 3;
  let chunkEnd = RAW_CHUNK;
  let chars = 0;
  const chunkEnds: number[] = [];
  const parts: string[] = [];
  const fail = (problem: string): ReaderInput => ({ text: parts.slice(0, chunkEnds.at(-1) ?? 0).join(''), chunkEnds, problem });
  while (pos < n) {
    const b0 = bytes[pos]!;
    let width: number;
    let value: number;
    if (encoding === 'utf8') {
      width = (b0 & 0x80) === 0 ? 1 : (b0 & 0xe0) === 0xc0 ? 2 : (b0 & 0xf0) === 0xe0 ? 3 : (b0 & 0xf8) === 0xf0 ? 4 : 0;
      if (pos >= chunkEnd || (width > 0 && pos + width > chunkEnd)) { chunkEnds.push(chars); chunkEnd = pos + RAW_CHUNK; }
      if (width === 0) return fail('invalid leading UTF-8 octet');
      if (pos + width > n) return fail('incomplete UTF-8 octet sequence');
      value = width === 1 ? b0 & 0x7f : width === 2 ? b0 & 0x1f : width === 3 ? b0 & 0x0f : b0 & 0x07;
      for (let k = 1; k < width; k++) {
        const octet = bytes[pos + k]!;
        if ((octet & 0xc0) !== 0x80) return fail('invalid trailing UTF-8 octet');
        value = (value << 6) + (octet & 0x3f);
      }
      if (!(width === 1 || (width === 2 && value >= 0x80) || (width === 3 && value >= 0x800) || (width === 4 && value >= 0x10000))) return fail('invalid length of a UTF-8 sequence');
      if ((value >= 0xd800 && value <= 0xdfff) || value > 0x10ffff) return fail('invalid Unicode character');
    } else {
      const unit = (at: number): number => encoding === 'le' ? bytes[at]! + (bytes[at + 1]! << 8) : (bytes[at]! << 8) + bytes[at + 1]!;
      if (pos >= chunkEnd || pos + 2 > chunkEnd) { chunkEnds.push(chars); chunkEnd = pos + RAW_CHUNK; }
      if (pos + 2 > n) return fail('incomplete UTF-16 character');
      value = unit(pos);
      if ((value & 0xfc00) === 0xdc00) return fail('unexpected low surrogate area');
      width = 2;
      if ((value & 0xfc00) === 0xd800) {
        width = 4;
        if (pos + 4 > chunkEnd) { chunkEnds.push(chars); chunkEnd = pos + RAW_CHUNK; }
        if (pos + 4 > n) return fail('incomplete UTF-16 surrogate pair');
        const low = unit(pos + 2);
        if ((low & 0xfc00) !== 0xdc00) return fail('expected low surrogate area');
        value = 0x10000 + ((value & 0x3ff) << 10) + (low & 0x3ff);
      }
    }
    if (!allowed(value)) return fail('control characters are not allowed');
    parts.push(String.fromCodePoint(value));
    chars++;
    pos += width;
  }
  chunkEnds.push(chars);
  return { text: parts.join(''), chunkEnds, problem: '' };
}
