// Go's x509.ParseCertificate as far as sprig needs it: its checks of the certificate's outline in
// its order and with its messages ("x509: malformed tbs certificate", "x509: trailing data"),
// Node's X509Certificate for the rest, and the parts a signer uses.
import { X509Certificate } from 'node:crypto';
import { GoError } from '../values.ts';
import { children, DerError, readInteger, readOid, readOne, readTlv, TAG } from './der.ts';
import type { Der } from './der.ts';
import type { ParentCert } from './x509build.ts';

const malformed = (what: string): GoError => new GoError(`x509: malformed ${what}`);

/** The TLV at `offset` if it is well-formed and has the tag, else undefined (cryptobyte's false). */
function element(bytes: Uint8Array, offset: number, tag: number): Der | undefined {
  try {
    const der = readTlv(bytes, offset);
    return der.tag === tag ? der : undefined;
  } catch (error) {
    if (error instanceof DerError) return undefined;
    throw error;
  }
}

export function parseCertificate(der: Uint8Array): ParentCert {
  const outer = element(der, 0, TAG.SEQUENCE) ?? (() => { throw malformed('certificate'); })();
  const body = outer.contents;
  const tbs = element(body, 0, TAG.SEQUENCE) ?? (() => { throw malformed('tbs certificate'); })();
  const fields = tbs.contents;
  let at = 0;
  const take = (tag: number, what: string): Der => {
    const d = element(fields, at, tag);
    if (d === undefined) throw malformed(what);
    at += d.raw.length;
    return d;
  };
  const version = element(fields, at, 0xa0);
  if (version !== undefined) {
    at += version.raw.length;
    const value = element(version.contents, 0, TAG.INTEGER);
    if (value === undefined || value.raw.length !== version.contents.length || value.contents.length === 0) throw malformed('version');
    const v = readInteger(value);
    if (v < 0n) throw malformed('version');
    if (v > 2n) throw new GoError('x509: invalid version');
  }
  const serial = take(TAG.INTEGER, 'serial number');
  if (serial.contents.length === 0) throw malformed('serial number');
  if (readInteger(serial) < 0n) throw new GoError('x509: negative serial number');
  const signatureAlgorithm = take(TAG.SEQUENCE, 'signature algorithm identifier');
  const outerAlgorithm = element(body, tbs.raw.length, TAG.SEQUENCE);
  if (outerAlgorithm === undefined) throw malformed('algorithm identifier');
  if (!Buffer.from(outerAlgorithm.contents).equals(signatureAlgorithm.contents)) {
    throw new GoError("x509: inner and outer signature algorithm identifiers don't match");
  }
  take(TAG.SEQUENCE, 'issuer');
  take(TAG.SEQUENCE, 'validity');
  const subject = take(TAG.SEQUENCE, 'issuer'); // sic: Go names the subject "issuer" here
  const spki = take(TAG.SEQUENCE, 'spki');
  if (element(spki.contents, 0, TAG.SEQUENCE) === undefined) throw malformed('public key algorithm identifier');
  if (element(spki.contents, children(spki)[0]!.raw.length, TAG.BIT_STRING) === undefined) throw malformed('subjectPublicKey');
  if (element(body, tbs.raw.length + outerAlgorithm.raw.length, TAG.BIT_STRING) === undefined) throw malformed('signature');
  if (outer.raw.length !== der.length) throw new GoError('x509: trailing data');
  try {
    new X509Certificate(Buffer.from(der));
  } catch {
    throw malformed('certificate');
  }

  let subjectKeyId: Uint8Array | undefined;
  for (const field of children(tbs)) {
    if (field.tag !== 0xa3) continue;
    for (const extension of children(readOne(field.contents))) {
      const parts = children(extension);
      if (readOid(parts[0]!) === '2.5.29.14') subjectKeyId = readOne(parts[parts.length - 1]!.contents).contents;
    }
  }
  return { rawSubject: subject.raw, subjectKeyId, publicKeyInfo: spki.raw };
}
