// Go's encoding/asn1 Unmarshal into a struct, as far as it accepts or refuses bytes: what
// crypto/x509 and sprig say about a malformed key is the text of these errors ("asn1: syntax
// error: sequence truncated", "asn1: structure error: tags don't match (16 vs {...}) {...}
// pkcs1PrivateKey @2"). Only the field types of the key structures are modelled.

export type AsnField = (
  | { readonly kind: 'int' | 'bigint' | 'bytes' | 'oid' | 'bitstring' | 'raw' }
  | { readonly kind: 'struct'; readonly name: string; readonly fields: readonly AsnField[] }
  | { readonly kind: 'seqof'; readonly elem: AsnField }
) & { readonly optional?: boolean; readonly explicitTag?: number };

export class GoAsn1Error extends Error {}

const syntax = (msg: string): GoAsn1Error => new GoAsn1Error(`asn1: syntax error: ${msg}`);
const structural = (msg: string): GoAsn1Error => new GoAsn1Error(`asn1: structure error: ${msg}`);

interface TagAndLength { cls: number; tag: number; length: number; compound: boolean }

function parseTagAndLength(bytes: Uint8Array, start: number): [TagAndLength, number] {
  let offset = start;
  if (offset >= bytes.length) throw new GoAsn1Error('asn1: internal error in parseTagAndLength');
  let b = bytes[offset++]!;
  const t: TagAndLength = { cls: b >> 6, tag: b & 0x1f, length: 0, compound: (b & 0x20) !== 0 };
  if (t.tag === 0x1f) {
    let tag = 0;
    for (let shifted = 0; ; shifted++) {
      if (offset >= bytes.length) throw syntax('truncated base 128 integer');
      if (shifted === 5) throw structural('base 128 integer too large');
      b = bytes[offset++]!;
      if (shifted === 0 && b === 0x80) throw syntax('integer is not minimally encoded');
      tag = tag * 128 + (b & 0x7f);
      if (!(b & 0x80)) break;
    }
    if (tag > 0x7fffffff) throw structural('base 128 integer too large');
    if (tag < 0x1f) throw syntax('non-minimal tag');
    t.tag = tag;
  }
  if (offset >= bytes.length) throw syntax('truncated tag or length');
  b = bytes[offset++]!;
  if (!(b & 0x80)) {
    t.length = b & 0x7f;
  } else {
    const count = b & 0x7f;
    if (count === 0) throw syntax('indefinite length found (not DER)');
    for (let i = 0; i < count; i++) {
      if (offset >= bytes.length) throw syntax('truncated tag or length');
      b = bytes[offset++]!;
      if (t.length >= 1 << 23) throw structural('length too large');
      t.length = t.length * 256 + b;
      if (t.length === 0) throw structural('superfluous leading zeros in length');
    }
    if (t.length < 0x80) throw structural('non-minimal length');
  }
  return [t, offset];
}

/** getUniversalType: [matches any tag, tag, constructed], and reflect's Type.Name(). */
function universal(f: AsnField): [boolean, number, boolean, string] {
  switch (f.kind) {
    case 'int': return [false, 2, false, 'int'];
    case 'bigint': return [false, 2, false, ''];
    case 'bytes': return [false, 4, false, ''];
    case 'oid': return [false, 6, false, 'ObjectIdentifier'];
    case 'bitstring': return [false, 3, false, 'BitString'];
    case 'raw': return [true, 0, false, 'RawValue'];
    case 'struct': return [false, 16, true, f.name];
    case 'seqof': return [false, 16, true, ''];
  }
}

function checkInteger(b: Uint8Array): void {
  if (b.length === 0) throw structural('empty integer');
  if (b.length === 1) return;
  if ((b[0] === 0 && !(b[1]! & 0x80)) || (b[0] === 0xff && (b[1]! & 0x80))) throw structural('integer not minimally-encoded');
}

function checkValue(f: AsnField, inner: Uint8Array): void {
  switch (f.kind) {
    case 'int':
      checkInteger(inner);
      if (inner.length > 8) throw structural('integer too large');
      return;
    case 'bigint': checkInteger(inner); return;
    case 'oid': {
      if (inner.length === 0) throw syntax('zero length OBJECT IDENTIFIER');
      let i = 0;
      while (i < inner.length) {
        let value = 0;
        for (let shifted = 0; ; shifted++) {
          if (i >= inner.length) throw syntax('truncated base 128 integer');
          if (shifted === 5) throw structural('base 128 integer too large');
          const b = inner[i++]!;
          if (shifted === 0 && b === 0x80) throw syntax('integer is not minimally encoded');
          value = value * 128 + (b & 0x7f);
          if (!(b & 0x80)) break;
        }
        if (value > 0x7fffffff) throw structural('base 128 integer too large');
      }
      return;
    }
    case 'bitstring': {
      if (inner.length === 0) throw syntax('zero length BIT STRING');
      const padding = inner[0]!;
      if (padding > 7 || (inner.length === 1 && padding > 0) || (inner[inner.length - 1]! & ((1 << padding) - 1)) !== 0) {
        throw syntax('invalid padding bits in BIT STRING');
      }
      return;
    }
    case 'struct': {
      let offset = 0;
      for (const field of f.fields) offset = parseField(field, inner, offset);
      return; // Go allows extra elements at the end of a SEQUENCE
    }
    case 'seqof': {
      for (let offset = 0; offset < inner.length;) offset = parseField(f.elem, inner, offset);
      return;
    }
    default: return;
  }
}

const PARAMS = '{optional:false explicit:false application:false private:false defaultValue:<nil> tag:<nil> stringType:0 timeType:0 set:false omitEmpty:false}';

function parseField(f: AsnField, bytes: Uint8Array, initOffset: number): number {
  if (initOffset === bytes.length) {
    if (f.optional) return initOffset;
    throw syntax('sequence truncated');
  }
  let [t, offset] = parseTagAndLength(bytes, initOffset);
  if (f.explicitTag !== undefined) {
    if (offset === bytes.length) throw structural('explicit tag has no child');
    if (t.cls === 2 && t.tag === f.explicitTag && (t.length === 0 || t.compound)) {
      if (f.kind !== 'raw') {
        if (t.length === 0) throw structural('zero length explicit tag was not an asn1.Flag');
        [t, offset] = parseTagAndLength(bytes, offset);
      }
    } else {
      if (f.optional) return initOffset;
      throw structural("explicitly tagged member didn't match");
    }
  }
  const [matchAny, tag, compound, name] = universal(f);
  if (!matchAny && (t.cls !== 0 || t.tag !== tag || t.compound !== compound)) {
    if (f.optional) return initOffset;
    // only untagged, non-optional members reach here, so Go's params print as their zero value
    throw structural(`tags don't match (${tag} vs {class:${t.cls} tag:${t.tag} length:${t.length} isCompound:${t.compound}}) ${PARAMS} ${name} @${offset}`);
  }
  if (offset + t.length > bytes.length) throw syntax('data truncated');
  checkValue(f, bytes.subarray(offset, offset + t.length));
  return offset + t.length;
}

/** asn1.Unmarshal: throws Go's error, or returns how many bytes were read (the rest is Go's `rest`). */
export function goUnmarshal(schema: AsnField, bytes: Uint8Array): number {
  return parseField(schema, bytes, 0);
}

/** Succeeds or not, as `_, err := asn1.Unmarshal(...); err == nil`. */
export function goUnmarshals(schema: AsnField, bytes: Uint8Array): boolean {
  try {
    goUnmarshal(schema, bytes);
    return true;
  } catch (error) {
    if (error instanceof GoAsn1Error) return false;
    throw error;
  }
}

const bigint: AsnField = { kind: 'bigint' };
const optionalBigint: AsnField = { kind: 'bigint', optional: true };

export const PKCS1_PRIVATE_KEY: AsnField = {
  kind: 'struct', name: 'pkcs1PrivateKey', fields: [
    { kind: 'int' }, bigint, { kind: 'int' }, bigint, bigint, bigint, optionalBigint, optionalBigint, optionalBigint,
    { kind: 'seqof', optional: true, elem: { kind: 'struct', name: 'pkcs1AdditionalRSAPrime', fields: [bigint, bigint, bigint] } },
  ],
};
export const EC_PRIVATE_KEY: AsnField = {
  kind: 'struct', name: 'ecPrivateKey', fields: [
    { kind: 'int' }, { kind: 'bytes' }, { kind: 'oid', optional: true, explicitTag: 0 }, { kind: 'bitstring', optional: true, explicitTag: 1 },
  ],
};
export const PKCS8: AsnField = {
  kind: 'struct', name: 'pkcs8', fields: [
    { kind: 'int' }, { kind: 'struct', name: 'AlgorithmIdentifier', fields: [{ kind: 'oid' }, { kind: 'raw', optional: true }] }, { kind: 'bytes' },
  ],
};
export const DSA_KEY_FORMAT: AsnField = { kind: 'struct', name: 'DSAKeyFormat', fields: [{ kind: 'int' }, bigint, bigint, bigint, bigint, bigint] };
export const OCTET_STRING: AsnField = { kind: 'bytes' };
