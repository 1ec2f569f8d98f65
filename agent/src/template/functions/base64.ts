// encoding/base64 as Go does it: padded std and URL alphabets, strict decoding with Go's
// "illegal base64 data at input byte N" errors (\r and \n skipped).
import { utf8Bytes } from './gostrings.ts';

export const STD = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
export const URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

export function base64Encode(bytes: Uint8Array, alphabet: string, pad: boolean): string {
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += alphabet[n >> 18]! + alphabet[(n >> 12) & 63]! + alphabet[(n >> 6) & 63]! + alphabet[n & 63]!;
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i]! << 16;
    out += alphabet[n >> 18]! + alphabet[(n >> 12) & 63]! + (pad ? '==' : '');
  } else if (rest === 2) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8);
    out += alphabet[n >> 18]! + alphabet[(n >> 12) & 63]! + alphabet[(n >> 6) & 63]! + (pad ? '=' : '');
  }
  return out;
}

export class CorruptInputError extends Error {
  constructor(readonly offset: number) {
    super(`illegal base64 data at input byte ${offset}`);
  }
}

/** encoding/base64 DecodeString (padded encodings; \r and \n are skipped as Go does). */
export function base64Decode(text: string, alphabet: string, pad = true): Uint8Array {
  const src = utf8Bytes(text);
  const out: number[] = [];
  let si = 0;
  const isNl = (b: number | undefined): boolean => b === 0x0a || b === 0x0d;
  while (si < src.length) {
    const quantum: number[] = [];
    let dlen = 4;
    for (let j = 0; j < 4; j++) {
      while (si < src.length && isNl(src[si])) si++;
      if (si === src.length) {
        if (j === 0) return Uint8Array.from(out);
        if (j === 1 || pad) throw new CorruptInputError(si - j);
        dlen = j;
        break;
      }
      const b = src[si]!;
      si++;
      const v = b < 128 ? alphabet.indexOf(String.fromCharCode(b)) : -1;
      if (v >= 0) { quantum[j] = v; continue; }
      if (isNl(b)) { j--; continue; }
      if (b !== 0x3d || !pad) throw new CorruptInputError(si - 1);
      // padding
      switch (j) {
        case 0: case 1: throw new CorruptInputError(si - 1);
        case 2:
          while (si < src.length && isNl(src[si])) si++;
          if (si === src.length) throw new CorruptInputError(src.length);
          if (src[si] !== 0x3d) throw new CorruptInputError(si - 1);
          si++;
      }
      while (si < src.length && isNl(src[si])) si++;
      if (si < src.length) throw new CorruptInputError(si);
      dlen = j;
      break;
    }
    const v = ((quantum[0] ?? 0) << 18) | ((quantum[1] ?? 0) << 12) | ((quantum[2] ?? 0) << 6) | (quantum[3] ?? 0);
    const bytes = [(v >> 16) & 255, (v >> 8) & 255, v & 255];
    if (dlen === 4) out.push(...bytes);
    else if (dlen === 3) out.push(bytes[0]!, bytes[1]!);
    else if (dlen === 2) out.push(bytes[0]!);
    if (dlen < 4) return Uint8Array.from(out);
  }
  return Uint8Array.from(out);
}

