// Go strings are bytes; JS strings are UTF-16. Bytes that are not valid UTF-8 (from slicing,
// base64Decode, "\xff") are kept as lone surrogates U+DC80..U+DCFF ("surrogate escape"), so
// they survive round trips, print as Go prints them (%q gives \xff) and can be written back
// as the original bytes with encodeGoString.

/** Bytes to a JS string: valid UTF-8 decoded, each invalid byte b as U+DC00+b. */
export function decodeGoBytes(bytes: Uint8Array): string {
  const fast = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  if (!fast.includes('\ufffd')) return fast;
  let out = '';
  let i = 0;
  const n = bytes.length;
  while (i < n) {
    const b0 = bytes[i]!;
    if (b0 < 0x80) {
      out += String.fromCharCode(b0);
      i++;
      continue;
    }
    let size = 0;
    let cp = 0;
    let min = 0;
    if (b0 >= 0xc2 && b0 <= 0xdf) { size = 2; cp = b0 & 0x1f; min = 0x80; }
    else if (b0 >= 0xe0 && b0 <= 0xef) { size = 3; cp = b0 & 0x0f; min = 0x800; }
    else if (b0 >= 0xf0 && b0 <= 0xf4) { size = 4; cp = b0 & 0x07; min = 0x10000; }
    let ok = size > 0 && i + size <= n;
    for (let k = 1; ok && k < size; k++) {
      const b = bytes[i + k]!;
      if ((b & 0xc0) !== 0x80) ok = false;
      else cp = (cp << 6) | (b & 0x3f);
    }
    if (ok && (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))) ok = false;
    if (ok) {
      out += String.fromCodePoint(cp);
      i += size;
    } else {
      out += String.fromCharCode(0xdc00 + b0);
      i++;
    }
  }
  return out;
}

/** A JS string to Go's bytes (escaped bytes restored; other lone surrogates as U+FFFD). */
export function encodeGoString(s: string): Buffer {
  if (!/[\ud800-\udfff]/.test(s)) return Buffer.from(s, 'utf8');
  const parts: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        for (const b of Buffer.from(s.slice(i, i + 2), 'utf8')) parts.push(b);
        i++;
        continue;
      }
    }
    if (c >= 0xdc80 && c <= 0xdcff) parts.push(c - 0xdc00);
    else for (const b of Buffer.from(s[i]!, 'utf8')) parts.push(b);
  }
  return Buffer.from(parts);
}

/** len(s) in Go: UTF-8 bytes, an escaped byte counting one. */
export function goByteLength(s: string): number {
  if (!/[\udc80-\udcff]/.test(s)) return Buffer.byteLength(s, 'utf8');
  return encodeGoString(s).length;
}
