// The part of Go's crypto/x509 CreateCertificate that sprig's generators reach: a v3 certificate
// from a template (serial, subject CN, validity, key usage, server+client auth, basic
// constraints, DNS and IP SANs), the subject/authority key ids Go adds, the signature algorithm
// Go picks for the signing key, and Go's checks and messages in its order.
import { createHash, sign } from 'node:crypto';
import { GoError } from '../values.ts';
import {
  bitString, boolean, children, explicit, implicitPrimitive, integer, NULL, octetString, oid, readOne,
  sequence, set, tlv, TAG,
} from './der.ts';
import { goQuote } from '../quote.ts';
import { ipForSan } from './goip.ts';
import { publicKeyInfo } from './sprig-keys.ts';
import type { SprigKey } from './sprig-keys.ts';

export const KEY_USAGE = { digitalSignature: 1, keyEncipherment: 4, certSign: 32 } as const;

export interface CertTemplate {
  readonly serial: bigint;
  readonly commonName: string;       // Go bytes (invalid UTF-8 as U+DC80..U+DCFF)
  readonly commonNameBytes: Uint8Array;
  readonly ips: readonly Uint8Array[]; // 16-byte net.IP values
  readonly dnsNames: readonly string[];
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly keyUsage: number;
  readonly isCA: boolean;
}

/** The signing certificate as the parts CreateCertificate uses: its raw subject, its subject key
 *  id, and its public key (for Go's check that the signing key is the parent's). */
export interface ParentCert {
  readonly rawSubject: Uint8Array;
  readonly subjectKeyId: Uint8Array | undefined;
  readonly publicKeyInfo: Uint8Array;
}

const EMPTY_SUBJECT = Uint8Array.of(TAG.SEQUENCE, 0);

// encoding/asn1 writes a plain string as PrintableString when every byte is in this set
const PRINTABLE = /^[A-Za-z0-9'()+,\-./:=? ]*$/;

function subjectBytes(t: CertTemplate): Uint8Array {
  if (t.commonName === '') return EMPTY_SUBJECT;
  let tag: number = TAG.PRINTABLE_STRING;
  if (!PRINTABLE.test(t.commonName)) {
    if (/[\udc80-\udcff]/.test(t.commonName) && !isValidUtf8(t.commonNameBytes)) throw new GoError('asn1: string not valid UTF-8');
    tag = TAG.UTF8_STRING;
  }
  return sequence(set(sequence(oid('2.5.4.3'), tlv(tag, t.commonNameBytes))));
}

function isValidUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** UTCTime for 1950..2049, else GeneralizedTime; whole seconds, UTC. */
function timeDer(date: Date): Uint8Array {
  const year = date.getUTCFullYear();
  const rest = pad(date.getUTCMonth() + 1) + pad(date.getUTCDate()) + pad(date.getUTCHours()) + pad(date.getUTCMinutes()) + pad(date.getUTCSeconds()) + 'Z';
  if (year >= 1950 && year < 2050) return tlv(TAG.UTC_TIME, Buffer.from(pad(year % 100) + rest));
  return tlv(TAG.GENERALIZED_TIME, Buffer.from(pad(year, 4) + rest));
}

function extension(id: string, critical: boolean, value: Uint8Array): Uint8Array {
  return critical ? sequence(oid(id), boolean(true), octetString(value)) : sequence(oid(id), octetString(value));
}

function reverseBits(b: number): number {
  let out = 0;
  for (let i = 0; i < 8; i++) if (b & (1 << i)) out |= 1 << (7 - i);
  return out;
}

/** Go's marshalKeyUsage: the bits reversed into one or two bytes, unused trailing bits counted. */
function keyUsageValue(ku: number): Uint8Array {
  const bytes = [reverseBits(ku & 0xff), reverseBits((ku >> 8) & 0xff)];
  const used = Uint8Array.from(bytes[1] !== 0 ? bytes : bytes.slice(0, 1));
  const last = used[used.length - 1]!;
  let unused = 0;
  if (last !== 0) while (!(last & (1 << unused))) unused++;
  return bitString(used, last === 0 ? 0 : unused);
}

/** The signature algorithm Go's signingParamsForKey picks, or its error for keys that cannot sign. */
function signingParams(key: SprigKey): { algorithm: Uint8Array; sign(tbs: Uint8Array): Uint8Array } {
  switch (key.type) {
    case 'rsa':
      return { algorithm: sequence(oid('1.2.840.113549.1.1.11'), NULL), sign: (tbs) => sign('sha256', tbs, key.key) };
    case 'ecdsa': {
      const [hash, id] = key.curve === 'P-384' ? ['sha384', '3'] : key.curve === 'P-521' ? ['sha512', '4'] : ['sha256', '2'];
      return { algorithm: sequence(oid(`1.2.840.10045.4.3.${id}`)), sign: (tbs) => sign(hash, tbs, { key: key.key, dsaEncoding: 'der' }) };
    }
    case 'ed25519':
      return { algorithm: sequence(oid('1.3.101.112')), sign: (tbs) => sign(null, tbs, key.key) };
    default:
      throw new GoError('x509: certificate private key does not implement crypto.Signer');
  }
}

/** The subjectPublicKey bits of an SPKI (what Go hashes for a key id). */
function publicKeyBits(spki: Uint8Array): Uint8Array {
  return children(readOne(spki))[1]!.contents.subarray(1);
}

const RSA_MIN_BITS = 1024;

/** CreateCertificate(template, parent, signee's public key, signing key), as DER. `parent`
 *  undefined: self-signed (the template is its own parent). */
export function createCertificate(t: CertTemplate, signee: SprigKey, parent: ParentCert | undefined, signer: SprigKey): Uint8Array {
  const signing = signingParams(signer);
  // Go marshals DSA keys nowhere and X25519 keys, though it writes them, not into certificates
  const spki = publicKeyInfo(signee);
  if (spki === undefined) throw new GoError('x509: unsupported public key type: *dsa.PublicKey');
  if (signee.type === 'x25519') throw new GoError('x509: unsupported public key type: *ecdh.PublicKey');
  const issuer = parent === undefined ? subjectBytes(t) : parent.rawSubject;
  const subject = subjectBytes(t);
  const signerSpki = publicKeyInfo(signer)!;
  const authorityKeyId = parent !== undefined && !Buffer.from(issuer).equals(subject) && parent.subjectKeyId !== undefined && parent.subjectKeyId.length > 0
    ? parent.subjectKeyId : undefined;
  const subjectKeyId = t.isCA ? createHash('sha256').update(publicKeyBits(spki)).digest().subarray(0, 20) : undefined;
  if (parent !== undefined && !Buffer.from(parent.publicKeyInfo).equals(signerSpki)) {
    throw new GoError("x509: provided PrivateKey doesn't match parent's PublicKey");
  }

  const extensions: Uint8Array[] = [];
  if (t.keyUsage !== 0) extensions.push(extension('2.5.29.15', true, keyUsageValue(t.keyUsage)));
  extensions.push(extension('2.5.29.37', false, sequence(oid('1.3.6.1.5.5.7.3.1'), oid('1.3.6.1.5.5.7.3.2'))));
  extensions.push(extension('2.5.29.19', true, t.isCA ? sequence(boolean(true)) : sequence()));
  if (subjectKeyId !== undefined) extensions.push(extension('2.5.29.14', false, octetString(subjectKeyId)));
  if (authorityKeyId !== undefined) extensions.push(extension('2.5.29.35', false, sequence(implicitPrimitive(0, authorityKeyId))));
  if (t.dnsNames.length > 0 || t.ips.length > 0) {
    const names: Uint8Array[] = [];
    for (const name of t.dnsNames) {
      if (/[^\x00-\x7f]/.test(name)) throw new GoError(`x509: ${goQuote(name)} cannot be encoded as an IA5String`);
      names.push(implicitPrimitive(2, Buffer.from(name, 'latin1')));
    }
    for (const ip of t.ips) names.push(implicitPrimitive(7, ipForSan(ip)));
    extensions.push(extension('2.5.29.17', Buffer.from(subject).equals(EMPTY_SUBJECT), sequence(...names)));
  }

  const tbs = sequence(
    explicit(0, integer(2n)),
    integer(t.serial),
    signing.algorithm,
    issuer,
    sequence(timeDer(t.notBefore), timeDer(t.notAfter)),
    subject,
    spki,
    explicit(3, sequence(...extensions)),
  );
  if (signer.type === 'rsa') {
    const bits = signer.key.asymmetricKeyDetails?.modulusLength ?? 0;
    if (bits < RSA_MIN_BITS) throw new GoError(`crypto/rsa: ${bits}-bit keys are insecure (see https://go.dev/pkg/crypto/rsa#hdr-Minimum_key_size)`);
  }
  const signature = signing.sign(tbs);
  return sequence(tbs, signing.algorithm, bitString(signature));
}
