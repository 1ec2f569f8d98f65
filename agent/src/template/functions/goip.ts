// Go's net.ParseIP (netip.ParseAddr without zones): dotted IPv4 with no leading zeros, IPv6 with
// one `::` and an optional trailing dotted quad. Returns the 16-byte form, or undefined (Go's nil).

function parseIPv4Bytes(s: string): number[] | undefined {
  const fields = s.split('.');
  if (fields.length !== 4) return undefined;
  const out: number[] = [];
  for (const field of fields) {
    if (!/^[0-9]{1,3}$/.test(field) || (field.length > 1 && field[0] === '0')) return undefined;
    const value = Number(field);
    if (value > 255) return undefined;
    out.push(value);
  }
  return out;
}

function parseIPv6Bytes(input: string): number[] | undefined {
  const ip = new Array<number>(16).fill(0);
  let s = input;
  let ellipsis = -1;
  let i = 0;
  if (s.startsWith('::')) {
    ellipsis = 0;
    s = s.slice(2);
    if (s === '') return ip;
  }
  while (i < 16) {
    const m = /^[0-9a-fA-F]*/.exec(s)![0];
    if (m.length === 0 || m.length > 4) return undefined;
    if (s[m.length] === '.') {
      if (ellipsis < 0 && i !== 12) return undefined;
      if (i + 4 > 16) return undefined;
      const v4 = parseIPv4Bytes(s);
      if (v4 === undefined) return undefined;
      ip.splice(i, 4, ...v4);
      i += 4;
      s = '';
      break;
    }
    const value = parseInt(m, 16);
    ip[i] = value >> 8;
    ip[i + 1] = value & 0xff;
    i += 2;
    s = s.slice(m.length);
    if (s === '') break;
    if (s[0] !== ':' || s.length === 1) return undefined;
    s = s.slice(1);
    if (s[0] === ':') {
      if (ellipsis >= 0) return undefined;
      ellipsis = i;
      s = s.slice(1);
      if (s === '') break;
    }
  }
  if (s !== '') return undefined;
  if (i < 16) {
    if (ellipsis < 0) return undefined;
    const tail = ip.slice(ellipsis, i);
    ip.fill(0, ellipsis);
    ip.splice(16 - tail.length, tail.length, ...tail);
  } else if (ellipsis >= 0) {
    return undefined;
  }
  return ip;
}

const V4_PREFIX = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff];

export function parseGoIP(s: string): Uint8Array | undefined {
  for (const c of s) {
    if (c === '.') {
      const v4 = parseIPv4Bytes(s);
      return v4 === undefined ? undefined : Uint8Array.from([...V4_PREFIX, ...v4]);
    }
    if (c === ':') {
      const v6 = parseIPv6Bytes(s);
      return v6 === undefined ? undefined : Uint8Array.from(v6);
    }
    if (c === '%') return undefined;
  }
  return undefined;
}

/** net.IP.To4: the 4-byte form of an IPv4 or IPv4-mapped address, else the 16 bytes as they are. */
export function ipForSan(ip: Uint8Array): Uint8Array {
  const mapped = V4_PREFIX.every((b, i) => ip[i] === b);
  return mapped ? ip.subarray(12) : ip;
}
