// Masterminds/goutils string helpers behind sprig's abbrev, abbrevboth, initials, wrap and
// wrapWith. They work on bytes (Go string indexing), so they run over UTF-8 bytes here too.
import { isGoSpace, utf8Bytes, utf8String } from './gostrings.ts';

const dec = (bytes: Uint8Array): string => utf8String(bytes);

function abbreviateFull(s: string, offsetIn: number, maxWidth: number): string {
  const str = utf8Bytes(s);
  const n = str.length;
  if (n === 0) return '';
  if (maxWidth < 4) return ''; // goutils returns an error; sprig ignores it and uses ""
  if (n <= maxWidth) return s;
  let offset = Math.min(offsetIn, n);
  if (n - offset < maxWidth - 3) offset = n - (maxWidth - 3);
  if (offset <= 4) return dec(str.slice(0, maxWidth - 3)) + '...';
  if (maxWidth < 7) return '';
  if (offset + maxWidth - 3 < n) return '...' + abbreviateFull(dec(str.slice(offset)), 0, maxWidth - 3);
  return '...' + dec(str.slice(n - (maxWidth - 3)));
}

export function abbrev(width: number, s: string): string {
  return width < 4 ? s : abbreviateFull(s, 0, width);
}

export function abbrevboth(left: number, right: number, s: string): string {
  if (right < 4 || (left > 0 && right < 7)) return s;
  return abbreviateFull(s, left, right);
}

export function initials(s: string): string {
  if (s === '') return s;
  let out = '';
  let lastWasGap = true;
  for (const b of utf8Bytes(s)) {
    if (isGoSpace(b)) lastWasGap = true;
    else if (lastWasGap) {
      out += String.fromCharCode(b); // goutils writes the byte as a rune
      lastWasGap = false;
    }
  }
  return out;
}

export function wrapCustom(s: string, wrapLengthIn: number, newLineIn: string, wrapLongWords: boolean): string {
  if (s === '') return '';
  const newLine = newLineIn === '' ? '\n' : newLineIn;
  const wrapLength = wrapLengthIn < 1 ? 1 : wrapLengthIn;
  const str = utf8Bytes(s);
  const n = str.length;
  let offset = 0;
  let out = '';
  const lastSpace = (from: number, to: number): number => {
    for (let i = Math.min(to, n) - 1; i >= from; i--) if (str[i] === 0x20) return i;
    return -1;
  };
  while (n - offset > wrapLength) {
    if (str[offset] === 0x20) { offset++; continue; }
    const end = wrapLength + offset + 1;
    if (end > n) throw new Error(`slice bounds out of range [:${end}] with length ${n}`);
    const space = lastSpace(offset, end);
    if (space >= offset) {
      out += dec(str.slice(offset, space)) + newLine;
      offset = space + 1;
    } else if (wrapLongWords) {
      out += dec(str.slice(offset, wrapLength + offset)) + newLine;
      offset += wrapLength;
    } else {
      const e = wrapLength + offset;
      let index = -1;
      for (let i = e; i < n; i++) if (str[i] === 0x20) { index = i; break; }
      if (index === -1) {
        out += dec(str.slice(offset));
        offset = n;
      } else {
        out += dec(str.slice(offset, index)) + newLine;
        offset = index + 1;
      }
    }
  }
  return out + dec(str.slice(offset));
}
