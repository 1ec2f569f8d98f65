// A small DER writer and reader for the certificates and keys sprig's generators make. Written out
// rather than taken from a schema library because the bytes must be the ones Go's encoding/asn1
// and crypto/x509 choose (PrintableString or UTF8String by character set, UTCTime or
// GeneralizedTime by year, minimal INTEGERs, omitted defaults), which is plainer to read here.

export const TAG = {
  BOOLEAN: 0x01, INTEGER: 0x02, BIT_STRING: 0x03, OCTET_STRING: 0x04, NULL: 0x05, OID: 0x06,
  UTF8_STRING: 0x0c, PRINTABLE_STRING: 0x13, UTC_TIME: 0x17, GENERALIZED_TIME: 0x18,
  SEQUENCE: 0x30, SET: 0x31,
} as const;

function lengthBytes(n: number): number[] {
  if (n < 0x80) return [n];
  const out: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) out.unshift(v & 0xff);
  return [0x80 | out.length, ...out];
}

/** One TLV: tag byte, DER length, contents. */
export function tlv(tag: number, ...contents: readonly Uint8Array[]): Uint8Array {
  const body = Buffer.concat(contents);
  return Buffer.concat([Uint8Array.from([tag, ...lengthBytes(body.length)]), body]);
}

export const sequence = (...items: readonly Uint8Array[]): Uint8Array => tlv(TAG.SEQUENCE, ...items);
export const set = (...items: readonly Uint8Array[]): Uint8Array => tlv(TAG.SET, ...items);
export const octetString = (bytes: Uint8Array): Uint8Array => tlv(TAG.OCTET_STRING, bytes);
/** A context-specific constructed tag ([n] EXPLICIT). */
export const explicit = (n: number, inner: Uint8Array): Uint8Array => tlv(0xa0 | n, inner);
/** A context-specific primitive tag ([n] IMPLICIT of a primitive), as GeneralName's dNSName and iPAddress. */
export const implicitPrimitive = (n: number, bytes: Uint8Array): Uint8Array => tlv(0x80 | n, bytes);
export const boolean = (value: boolean): Uint8Array => tlv(TAG.BOOLEAN, Uint8Array.of(value ? 0xff : 0));
export const NULL = Uint8Array.of(TAG.NULL, 0);

/** A two's-complement INTEGER in the fewest bytes. */
export function integer(value: bigint): Uint8Array {
  if (value === 0n) return tlv(TAG.INTEGER, Uint8Array.of(0));
  const bytes: number[] = [];
  let v = value;
  if (v > 0n) {
    while (v > 0n) { bytes.unshift(Number(v & 0xffn)); v >>= 8n; }
    if (bytes[0]! & 0x80) bytes.unshift(0);
  } else {
    while (v < -1n || bytes.length === 0 || !(bytes[0]! & 0x80)) { bytes.unshift(Number(v & 0xffn)); v >>= 8n; }
  }
  return tlv(TAG.INTEGER, Uint8Array.from(bytes));
}

/** A BIT STRING of whole bytes, or with the given count of unused trailing bits. */
export function bitString(bytes: Uint8Array, unusedBits = 0): Uint8Array {
  return tlv(TAG.BIT_STRING, Uint8Array.of(unusedBits), bytes);
}

export function oid(dotted: string): Uint8Array {
  const arcs = dotted.split('.').map(BigInt);
  const out: number[] = [];
  const push = (arc: bigint): void => {
    const chunk: number[] = [Number(arc & 0x7fn)];
    for (let v = arc >> 7n; v > 0n; v >>= 7n) chunk.unshift(Number(v & 0x7fn) | 0x80);
    out.push(...chunk);
  };
  push(arcs[0]! * 40n + arcs[1]!);
  for (const arc of arcs.slice(2)) push(arc);
  return tlv(TAG.OID, Uint8Array.from(out));
}

// ---------------------------------------------------------------------------------------------
// Reading

/** A parsed TLV: its tag, contents and the whole encoding. */
export interface Der {
  readonly tag: number;
  readonly contents: Uint8Array;
  readonly raw: Uint8Array;
}

export class DerError extends Error {}

/** The TLV at `offset` (definite lengths only, as DER has). */
export function readTlv(bytes: Uint8Array, offset = 0): Der {
  if (offset + 2 > bytes.length) throw new DerError('truncated');
  const tag = bytes[offset]!;
  if ((tag & 0x1f) === 0x1f) throw new DerError('high tag number');
  let length = bytes[offset + 1]!;
  let start = offset + 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    if (count === 0 || count > 4 || start + count > bytes.length) throw new DerError('bad length');
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + bytes[start + i]!;
    start += count;
  }
  if (start + length > bytes.length) throw new DerError('truncated');
  return { tag, contents: bytes.subarray(start, start + length), raw: bytes.subarray(offset, start + length) };
}

/** The TLVs inside a constructed value. */
export function children(der: Der): Der[] {
  const out: Der[] = [];
  for (let offset = 0; offset < der.contents.length;) {
    const child = readTlv(der.contents, offset);
    out.push(child);
    offset += child.raw.length;
  }
  return out;
}

/** Reads exactly one TLV (no trailing bytes). */
export function readOne(bytes: Uint8Array): Der {
  const der = readTlv(bytes);
  if (der.raw.length !== bytes.length) throw new DerError('trailing data');
  return der;
}

export function readInteger(der: Der): bigint {
  if (der.tag !== TAG.INTEGER || der.contents.length === 0) throw new DerError('not an integer');
  let value = 0n;
  for (const b of der.contents) value = (value << 8n) | BigInt(b);
  if (der.contents[0]! & 0x80) value -= 1n << BigInt(der.contents.length * 8);
  return value;
}

export function readOid(der: Der): string {
  if (der.tag !== TAG.OID || der.contents.length === 0) throw new DerError('not an object identifier');
  const arcs: bigint[] = [];
  let value = 0n;
  for (const b of der.contents) {
    value = (value << 7n) | BigInt(b & 0x7f);
    if (!(b & 0x80)) { arcs.push(value); value = 0n; }
  }
  const first = arcs[0]!;
  const head = first < 80n ? [first / 40n, first % 40n] : [2n, first - 80n];
  return [...head, ...arcs.slice(1)].join('.');
}
