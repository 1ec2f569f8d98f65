// sprig's private keys: genPrivateKey (RSA 4096, DSA L2048N256, ECDSA P-256, Ed25519), the PEM
// block each is written as (PKCS#1 "RSA PRIVATE KEY", SEC1 "EC PRIVATE KEY", sprig's own ASN.1
// "DSA PRIVATE KEY", PKCS#8 "PRIVATE KEY" for the rest), and parsePrivateKeyPEM with Go's
// crypto/x509 messages. Keys, exports and signatures come from node:crypto.
import { createPrivateKey, createPublicKey, generateKeyPairSync, KeyObject } from 'node:crypto';
import { GoError } from '../values.ts';
import { bitString, children, explicit, integer, octetString, oid as encodeOid, readInteger, readOid, readOne, readTlv, sequence, TAG } from './der.ts';
import { DSA_KEY_FORMAT, EC_PRIVATE_KEY, GoAsn1Error, goUnmarshal, goUnmarshals, OCTET_STRING, PKCS1_PRIVATE_KEY, PKCS8 } from './goasn1.ts';
import type { AsnField } from './goasn1.ts';
import type { Der } from './der.ts';
import { pemDecode, pemEncode } from './gopem.ts';

export type EcCurve = 'P-224' | 'P-256' | 'P-384' | 'P-521';

/** A private key as sprig holds it (Go's *rsa.PrivateKey, *ecdsa.PrivateKey, ed25519.PrivateKey,
 *  *ecdh.PrivateKey for X25519 from PKCS#8, *dsa.PrivateKey). DSA is kept as its encoding: Go
 *  can neither sign with it nor put it in a certificate, so nothing else is done with it. */
export type SprigKey =
  | { readonly type: 'rsa' | 'ed25519' | 'x25519'; readonly key: KeyObject }
  | { readonly type: 'ecdsa'; readonly key: KeyObject; readonly curve: EcCurve }
  | { readonly type: 'dsa'; readonly der: Uint8Array };

const OID_RSA = '1.2.840.113549.1.1.1';
const OID_EC = '1.2.840.10045.2.1';
const OID_ED25519 = '1.3.101.112';
const OID_X25519 = '1.3.101.110';
const CURVE_OIDS: Record<string, EcCurve> = {
  '1.3.132.0.33': 'P-224', '1.2.840.10045.3.1.7': 'P-256', '1.3.132.0.34': 'P-384', '1.3.132.0.35': 'P-521',
};

const der = (key: KeyObject, type: 'pkcs1' | 'sec1' | 'pkcs8'): Uint8Array => key.export({ format: 'der', type });

/** sprig's DSAKeyFormat {Version, P, Q, G, Y, X} from the PKCS#8 and SPKI forms Node exports. */
function dsaKeyFormat(privateKey: KeyObject, publicKey: KeyObject): Uint8Array {
  const pkcs8 = children(readOne(der(privateKey, 'pkcs8')));
  const [p, q, g] = children(children(pkcs8[1]!)[1]!).map(readInteger);
  const x = readInteger(readOne(pkcs8[2]!.contents));
  const spki = children(readOne(publicKey.export({ format: 'der', type: 'spki' })));
  const y = readInteger(readOne(spki[1]!.contents.subarray(1)));
  return sequence(integer(0n), integer(p!), integer(q!), integer(g!), integer(y), integer(x));
}

/** What genPrivateKey returns: the PEM text, or sprig's message for an unknown type. */
export function generatePrivateKey(type: string): string {
  switch (type) {
    case '': case 'rsa': return pemForKey({ type: 'rsa', key: generateKeyPairSync('rsa', { modulusLength: 4096 }).privateKey });
    case 'dsa': {
      const pair = generateKeyPairSync('dsa', { modulusLength: 2048, divisorLength: 256 });
      return pemForKey({ type: 'dsa', der: dsaKeyFormat(pair.privateKey, pair.publicKey) });
    }
    case 'ecdsa': return pemForKey({ type: 'ecdsa', key: generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey, curve: 'P-256' });
    case 'ed25519': return pemForKey({ type: 'ed25519', key: generateKeyPairSync('ed25519').privateKey });
    default: return `Unknown type ${type}`;
  }
}

/** The RSA 2048 key the certificate functions without a key argument make. */
export function generateRsa2048(): SprigKey {
  return { type: 'rsa', key: generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey };
}

/** sprig's pemBlockForKey, encoded. */
export function pemForKey(key: SprigKey): string {
  switch (key.type) {
    case 'rsa': return pemEncode('RSA PRIVATE KEY', der(key.key, 'pkcs1'));
    case 'ecdsa': return pemEncode('EC PRIVATE KEY', der(key.key, 'sec1'));
    case 'dsa': return pemEncode('DSA PRIVATE KEY', key.der);
    default: return pemEncode('PRIVATE KEY', der(key.key, 'pkcs8'));
  }
}

/** The public key's SubjectPublicKeyInfo, as Go's marshalPublicKey writes it (Node's SPKI export
 *  has the same algorithm identifiers: rsaEncryption with NULL, a named curve, bare Ed25519/X25519). */
export function publicKeyInfo(key: SprigKey): Uint8Array | undefined {
  if (key.type === 'dsa') return undefined;
  return createPublicKey(key.key).export({ format: 'der', type: 'spki' });
}

// ---------------------------------------------------------------------------------------------
// Parsing, with crypto/x509's messages

const USE = (format: string): GoError => new GoError(`x509: failed to parse private key (use ${format} instead for this key format)`);

/** asn1.Unmarshal with Go's error as a GoError; returns the bytes read. */
function unmarshal(schema: AsnField, bytes: Uint8Array): number {
  try {
    return goUnmarshal(schema, bytes);
  } catch (error) {
    if (error instanceof GoAsn1Error) throw new GoError(error.message);
    throw error;
  }
}

function importKey(bytes: Uint8Array, type: 'pkcs1' | 'sec1' | 'pkcs8'): KeyObject | undefined {
  try {
    return createPrivateKey({ key: Buffer.from(bytes), format: 'der', type });
  } catch {
    return undefined;
  }
}

/** The fields of a SEQUENCE Go has already accepted. */
const fieldsOf = (bytes: Uint8Array): Der[] => children(readTlv(bytes));

/** x509.ParsePKCS1PrivateKey */
function parsePkcs1(bytes: Uint8Array): SprigKey {
  let read: number;
  try {
    read = unmarshal(PKCS1_PRIVATE_KEY, bytes);
  } catch (error) {
    if (goUnmarshals(EC_PRIVATE_KEY, bytes)) throw USE('ParseECPrivateKey');
    if (goUnmarshals(PKCS8, bytes)) throw USE('ParsePKCS8PrivateKey');
    throw error;
  }
  if (read < bytes.length) throw new GoError('asn1: syntax error: trailing data');
  const fields = fieldsOf(bytes);
  if (readInteger(fields[0]!) > 1n) throw new GoError('x509: unsupported private key version');
  if ([1, 3, 4, 5, 6, 7, 8].some((i) => fields[i] !== undefined && fields[i]!.tag === TAG.INTEGER && readInteger(fields[i]!) <= 0n)) {
    throw new GoError('x509: private key contains zero or negative value');
  }
  const key = importKey(bytes, 'pkcs1');
  if (key === undefined) throw new GoError('crypto/rsa: invalid private key');
  return { type: 'rsa', key };
}

const CURVE_SIZES: Record<EcCurve, number> = { 'P-224': 28, 'P-256': 32, 'P-384': 48, 'P-521': 66 };

/** x509's parseECPrivateKey (the curve from PKCS#8's parameters when given). */
function parseSec1(bytes: Uint8Array, curveOid?: string): SprigKey {
  try {
    unmarshal(EC_PRIVATE_KEY, bytes);
  } catch (error) {
    if (goUnmarshals(PKCS8, bytes)) throw USE('ParsePKCS8PrivateKey');
    if (goUnmarshals(PKCS1_PRIVATE_KEY, bytes)) throw USE('ParsePKCS1PrivateKey');
    throw new GoError(`x509: failed to parse EC private key: ${(error as Error).message}`);
  }
  const fields = fieldsOf(bytes);
  const version = readInteger(fields[0]!);
  if (version !== 1n) throw new GoError(`x509: unknown EC private key version ${version}`);
  const named = fields.find((f) => f.tag === 0xa0);
  const oid = curveOid ?? (named === undefined ? undefined : readOid(readOne(named.contents)));
  const curve = oid === undefined ? undefined : CURVE_OIDS[oid];
  if (curve === undefined) throw new GoError('x509: unknown elliptic curve');
  // Go drops leading zero bytes past the curve's size and pads a short key
  let scalar = fields[1]!.contents;
  while (scalar.length > CURVE_SIZES[curve]) {
    if (scalar[0] !== 0) throw new GoError('x509: invalid private key length');
    scalar = scalar.subarray(1);
  }
  const padded = Buffer.concat([Buffer.alloc(CURVE_SIZES[curve] - scalar.length), scalar]);
  const curveParam = explicit(0, encodeOid(oid!));
  const bare = importKey(sequence(integer(1n), octetString(padded), curveParam), 'sec1');
  if (bare === undefined) throw new GoError('crypto/ecdsa: invalid private key');
  // Node keeps a key imported without its public point that way; Go always writes the point
  const point = children(readTlv(createPublicKey(bare).export({ format: 'der', type: 'spki' })))[1]!.contents.subarray(1);
  const key = importKey(sequence(integer(1n), octetString(padded), curveParam, explicit(1, bitString(point))), 'sec1')!;
  return { type: 'ecdsa', key, curve };
}

/** x509.ParsePKCS8PrivateKey */
function parsePkcs8(bytes: Uint8Array): SprigKey {
  try {
    unmarshal(PKCS8, bytes);
  } catch (error) {
    if (goUnmarshals(EC_PRIVATE_KEY, bytes)) throw USE('ParseECPrivateKey');
    if (goUnmarshals(PKCS1_PRIVATE_KEY, bytes)) throw USE('ParsePKCS1PrivateKey');
    throw error;
  }
  const fields = fieldsOf(bytes);
  const algorithm = children(fields[1]!);
  const oid = readOid(algorithm[0]!);
  const parameters = algorithm[1];
  const inner = fields[2]!.contents;
  const wrap = (prefix: string, f: () => SprigKey): SprigKey => {
    try {
      return f();
    } catch (error) {
      if (error instanceof GoError) throw new GoError(prefix + error.message);
      throw error;
    }
  };
  switch (oid) {
    case OID_RSA: return wrap('x509: failed to parse RSA private key embedded in PKCS#8: ', () => parsePkcs1(inner));
    case OID_EC: {
      // a parameter that is not an OBJECT IDENTIFIER leaves the curve to the inner key
      const curveOid = parameters !== undefined && goUnmarshals({ kind: 'oid' }, parameters.raw) ? readOid(readTlv(parameters.raw)) : undefined;
      return wrap('x509: failed to parse EC private key embedded in PKCS#8: ', () => parseSec1(inner, curveOid));
    }
    case OID_ED25519: case OID_X25519: {
      const name = oid === OID_ED25519 ? 'Ed25519' : 'X25519';
      if (parameters !== undefined) throw new GoError(`x509: invalid ${name} private key parameters`);
      try {
        unmarshal(OCTET_STRING, inner);
      } catch (error) {
        throw new GoError(`x509: invalid ${name} private key: ${(error as Error).message}`);
      }
      const seed = readTlv(inner).contents;
      if (seed.length !== 32) {
        throw new GoError(oid === OID_ED25519 ? `x509: invalid Ed25519 private key length: ${seed.length}` : 'crypto/ecdh: invalid private key size');
      }
      const key = importKey(bytes, 'pkcs8');
      if (key === undefined) throw new GoError(`x509: invalid ${name} private key`);
      return { type: oid === OID_ED25519 ? 'ed25519' : 'x25519', key };
    }
    default: throw new GoError(`x509: PKCS#8 wrapping contained private key with unknown algorithm: ${oid}`);
  }
}

function parseDsa(bytes: Uint8Array): SprigKey {
  unmarshal(DSA_KEY_FORMAT, bytes);
  return { type: 'dsa', der: bytes };
}

/** sprig's parsePrivateKeyPEM. */
export function parsePrivateKeyPem(text: string): SprigKey {
  const block = pemDecode(text);
  if (block === undefined) throw new GoError('no PEM data in input');
  const prefixed = (prefix: string, f: () => SprigKey): SprigKey => {
    try {
      return f();
    } catch (error) {
      if (error instanceof GoError) throw new GoError(`${prefix}: ${error.message}`);
      throw error;
    }
  };
  if (block.type === 'PRIVATE KEY') return prefixed('decoding PEM as PKCS#8', () => parsePkcs8(block.bytes));
  if (!block.type.endsWith(' PRIVATE KEY')) throw new GoError(`no private key data in PEM block of type ${block.type}`);
  switch (block.type.slice(0, -' PRIVATE KEY'.length)) {
    case 'RSA': return prefixed('parsing RSA private key from PEM', () => parsePkcs1(block.bytes));
    case 'EC': return prefixed('parsing EC private key from PEM', () => parseSec1(block.bytes));
    case 'DSA': return prefixed('parsing DSA private key from PEM', () => parseDsa(block.bytes));
    default: throw new GoError(`invalid private key type ${block.type}`);
  }
}
