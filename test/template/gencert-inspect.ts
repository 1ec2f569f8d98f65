// What sprig's generated certificates and keys are made of, read with a parser of its own
// (@peculiar/asn1-x509, not the agent's DER code) and node:crypto, as plain data that two
// renderings (the oracle's and ours) can be compared on. Random parts (serial value, key
// material, signatures, the clock's seconds) are reduced to their form.
import { createHash, createPrivateKey, X509Certificate } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import {
  AuthorityKeyIdentifier, BasicConstraints, Certificate, ExtendedKeyUsage, KeyUsage, SubjectAlternativeName,
  SubjectKeyIdentifier,
} from '@peculiar/asn1-x509';
import type { Time } from '@peculiar/asn1-x509';

const hex = (b: ArrayBuffer | Uint8Array): string => Buffer.from(b instanceof Uint8Array ? b : new Uint8Array(b)).toString('hex');

export function pemBody(pem: string): Buffer {
  return Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
}

export interface CertFacts {
  version: number;
  serial: { positive: boolean; atMost17Bytes: boolean };
  signature: string;
  outerSignatureSame: boolean;
  issuer: string;
  subject: string;
  notBefore: 'utcTime' | 'generalTime';
  notAfter: 'utcTime' | 'generalTime';
  publicKeyAlgorithm: string;
  extensions: Array<{ id: string; critical: boolean; value: string; decoded: unknown }>;
}

export interface ParsedCert {
  facts: CertFacts;
  notBefore: Date;
  notAfter: Date;
  subjectKeyId: string | undefined;
  x509: X509Certificate;
}

const timeKind = (t: Time): 'utcTime' | 'generalTime' => (t.utcTime !== undefined ? 'utcTime' : 'generalTime');
const timeValue = (t: Time): Date => (t.utcTime ?? t.generalTime)!;
const algorithm = (a: { algorithm: string; parameters?: ArrayBuffer | null }): string =>
  a.parameters === undefined || a.parameters === null ? a.algorithm : `${a.algorithm} ${hex(a.parameters)}`;

function decodeExtension(id: string, value: ArrayBuffer): unknown {
  switch (id) {
    case '2.5.29.15': return { keyUsage: AsnConvert.parse(value, KeyUsage).toJSON() };
    case '2.5.29.37': return { extKeyUsage: Array.from(AsnConvert.parse(value, ExtendedKeyUsage)) };
    case '2.5.29.19': {
      const bc = AsnConvert.parse(value, BasicConstraints);
      return { cA: bc.cA, pathLen: bc.pathLenConstraint };
    }
    case '2.5.29.17': return { san: Array.from(AsnConvert.parse(value, SubjectAlternativeName), (n) => n.dNSName ?? n.iPAddress ?? '?') };
    default: return undefined;
  }
}

/** The certificate's fields, with the key ids said as what they are derived from. */
export function parseCert(pem: string, issuer?: ParsedCert): ParsedCert {
  const der = pemBody(pem);
  const cert = AsnConvert.parse(der, Certificate);
  const tbs = cert.tbsCertificate;
  const spkiBits = new Uint8Array(tbs.subjectPublicKeyInfo.subjectPublicKey);
  const keyId = createHash('sha256').update(spkiBits).digest().subarray(0, 20).toString('hex');
  let subjectKeyId: string | undefined;
  const extensions = Array.from(tbs.extensions ?? [], (ext) => {
    const value = ext.extnValue.buffer;
    let shown = hex(value);
    if (ext.extnID === '2.5.29.14') {
      subjectKeyId = hex(AsnConvert.parse(value, SubjectKeyIdentifier).buffer);
      shown = subjectKeyId === keyId ? 'sha256[:20] of the public key' : shown;
    }
    if (ext.extnID === '2.5.29.35') {
      const aki = AsnConvert.parse(value, AuthorityKeyIdentifier);
      const id = aki.keyIdentifier === undefined ? undefined : hex(aki.keyIdentifier.buffer);
      shown = id !== undefined && id === issuer?.subjectKeyId && aki.authorityCertIssuer === undefined ? "the issuer's key id" : shown;
    }
    return { id: ext.extnID, critical: ext.critical, value: shown, decoded: decodeExtension(ext.extnID, value) };
  });
  const serial = new Uint8Array(tbs.serialNumber);
  return {
    facts: {
      version: tbs.version,
      serial: { positive: (serial[0]! & 0x80) === 0 && serial.some((b) => b !== 0), atMost17Bytes: serial.length <= 17 },
      signature: algorithm(tbs.signature),
      outerSignatureSame: algorithm(cert.signatureAlgorithm) === algorithm(tbs.signature),
      issuer: hex(AsnConvert.serialize(tbs.issuer)),
      subject: hex(AsnConvert.serialize(tbs.subject)),
      notBefore: timeKind(tbs.validity.notBefore),
      notAfter: timeKind(tbs.validity.notAfter),
      publicKeyAlgorithm: algorithm(tbs.subjectPublicKeyInfo.algorithm),
      extensions,
    },
    notBefore: timeValue(tbs.validity.notBefore),
    notAfter: timeValue(tbs.validity.notAfter),
    subjectKeyId,
    x509: new X509Certificate(der),
  };
}

export interface KeyFacts {
  pemType: string;
  keyType: string | undefined;
  details: unknown;
  /** the PEM is what OpenSSL writes for the key in that format (same encoding as Go's) */
  canonical: boolean;
}

function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  let b = base % modulus;
  for (let e = exponent; e > 0n; e >>= 1n) {
    if (e & 1n) result = (result * b) % modulus;
    b = (b * b) % modulus;
  }
  return result;
}

/** sprig's "DSA PRIVATE KEY": SEQUENCE { 0, p, q, g, y, x } with y = g^x mod p. */
function dsaConsistent(der: Buffer): boolean {
  const ints: bigint[] = [];
  let i = 2 + (der[1]! & 0x80 ? der[1]! & 0x7f : 0);
  while (i < der.length) {
    if (der[i] !== 0x02) return false;
    let len = der[i + 1]!;
    let start = i + 2;
    if (len & 0x80) {
      const n = len & 0x7f;
      len = 0;
      for (let j = 0; j < n; j++) len = len * 256 + der[start + j]!;
      start += n;
    }
    ints.push(BigInt('0x' + (der.subarray(start, start + len).toString('hex') || '0')));
    i = start + len;
  }
  const [version, p, , g, y, x] = ints;
  return ints.length === 6 && version === 0n && modPow(g!, x!, p!) === y;
}

export function keyFacts(pem: string): KeyFacts {
  const pemType = /-----BEGIN ([A-Z ]+)-----/.exec(pem)?.[1] ?? '?';
  const key = createPrivateKey(pem);
  let canonical: boolean;
  switch (pemType) {
    case 'RSA PRIVATE KEY': canonical = key.export({ type: 'pkcs1', format: 'pem' }) === pem; break;
    case 'EC PRIVATE KEY': canonical = key.export({ type: 'sec1', format: 'pem' }) === pem; break;
    case 'PRIVATE KEY': canonical = key.export({ type: 'pkcs8', format: 'pem' }) === pem; break;
    case 'DSA PRIVATE KEY': canonical = dsaConsistent(pemBody(pem)); break;
    default: canonical = false;
  }
  return { pemType, keyType: key.asymmetricKeyType, details: key.asymmetricKeyDetails, canonical };
}
