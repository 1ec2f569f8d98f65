// sprig's certificate functions: genCA, genSelfSignedCert and genSignedCert (a fresh RSA 2048
// key), their ...WithKey forms (a PEM key from the template), buildCustomCert (base64 PEM in,
// checked), all returning sprig's `certificate` struct {Cert, Key} of PEM texts. The arguments,
// checks and messages follow sprig v3.3.0's crypto.go in its order.
import { randomBytes } from 'node:crypto';
import { sprintOne } from '../format.ts';
import { GoError, GoSlice, GoStruct, structType } from '../values.ts';
import type { GoFunction, GoInt, GoValue, StructType } from '../values.ts';
import { base64Decode, CorruptInputError, STD } from './base64.ts';
import { fn } from './define.ts';
import { parseGoIP } from './goip.ts';
import { pemDecode, pemEncode } from './gopem.ts';
import { utf8Bytes, utf8String } from './gostrings.ts';
import { generatePrivateKey, generateRsa2048, parsePrivateKeyPem, pemForKey } from './sprig-keys.ts';
import type { SprigKey } from './sprig-keys.ts';
import { createCertificate, KEY_USAGE } from './x509build.ts';
import { parseCertificate } from './x509parse.ts';
import type { CertTemplate, ParentCert } from './x509build.ts';

/** sprig's unexported `certificate` struct (so %T prints sprig.certificate). */
export const certificateType: StructType = structType('sprig.certificate', [
  { name: 'Cert', type: 'string' },
  { name: 'Key', type: 'string' },
]);

const certificate = (cert: string, key: string): GoStruct => new GoStruct(certificateType, [cert, key]);

/** Errors from a helper, prefixed as sprig wraps them with fmt.Errorf("...: %s", err). */
function prefixed<T>(prefix: string, f: () => T): T {
  try {
    return f();
  } catch (error) {
    if (error instanceof GoError) throw new GoError(`${prefix}: ${error.message}`);
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------
// Templates

function listItems(list: GoValue): GoValue[] {
  return list instanceof GoSlice ? list.items : [];
}

function netIPs(ips: GoValue): Uint8Array[] {
  return listItems(ips).map((ip) => {
    if (typeof ip !== 'string') throw new GoError(`error parsing ip: ${sprintOne(ip ?? null)} is not a string`);
    const parsed = parseGoIP(ip);
    if (parsed === undefined) throw new GoError(`error parsing ip: ${ip}`);
    return parsed;
  });
}

function dnsNames(names: GoValue): string[] {
  return listItems(names).map((name) => {
    if (typeof name !== 'string') throw new GoError(`error processing alternate dns name: ${sprintOne(name ?? null)} is not a string`);
    return name;
  });
}

const NS_PER_DAY = 86_400_000_000_000n;

/** sprig's getBaseCertTemplate: NotAfter is now + 24h × days as a time.Duration (int64
 *  nanoseconds, so a huge day count wraps around as Go's multiplication does). */
function baseTemplate(cn: string, ips: GoValue, alternateDNS: GoValue, daysValid: bigint, now: Date): CertTemplate {
  const ipAddresses = netIPs(ips);
  const names = dnsNames(alternateDNS);
  const duration = BigInt.asIntN(64, NS_PER_DAY * daysValid);
  const nowNs = BigInt(now.getTime()) * 1_000_000n;
  const seconds = (ns: bigint): Date => {
    const s = ns / 1_000_000_000n - (ns < 0n && ns % 1_000_000_000n !== 0n ? 1n : 0n);
    return new Date(Number(s) * 1000);
  };
  return {
    serial: BigInt('0x' + randomBytes(16).toString('hex')),
    commonName: cn,
    commonNameBytes: utf8Bytes(cn),
    ips: ipAddresses,
    dnsNames: names,
    notBefore: seconds(nowNs),
    notAfter: seconds(nowNs + duration),
    keyUsage: KEY_USAGE.keyEncipherment | KEY_USAGE.digitalSignature,
    isCA: false,
  };
}

// ---------------------------------------------------------------------------------------------
// The functions

/** sprig's getCertAndKey: the certificate and the signee's key, as PEM. */
function certAndKey(template: CertTemplate, signee: SprigKey, parent: ParentCert | undefined, signer: SprigKey): GoStruct {
  const der = prefixed('error creating certificate', () => createCertificate(template, signee, parent, signer));
  return certificate(pemEncode('CERTIFICATE', der), pemForKey(signee));
}

function caWithKey(cn: string, days: bigint, key: SprigKey, now: Date): GoStruct {
  const template: CertTemplate = {
    ...baseTemplate(cn, undefined, undefined, days, now),
    keyUsage: KEY_USAGE.keyEncipherment | KEY_USAGE.digitalSignature | KEY_USAGE.certSign,
    isCA: true,
  };
  return certAndKey(template, key, undefined, key);
}

function selfSignedWithKey(cn: string, ips: GoValue, dns: GoValue, days: bigint, key: SprigKey, now: Date): GoStruct {
  return certAndKey(baseTemplate(cn, ips, dns, days, now), key, undefined, key);
}

function signedWithKey(cn: string, ips: GoValue, dns: GoValue, days: bigint, ca: GoStruct, key: () => SprigKey, now: Date): GoStruct {
  const block = pemDecode(ca.field('Cert') as string);
  if (block === undefined) throw new GoError('unable to decode certificate');
  const parent = prefixed('error parsing certificate: decodedSignerCert.Bytes', () => parseCertificate(block.bytes));
  const signer = prefixed('error parsing private key', () => parsePrivateKeyPem(ca.field('Key') as string));
  const template = baseTemplate(cn, ips, dns, days, now);
  return certAndKey(template, key(), parent, signer);
}

function decodeBase64(text: string, what: string): string {
  try {
    return utf8String(base64Decode(text, STD));
  } catch (error) {
    if (error instanceof CorruptInputError) throw new GoError(`unable to decode base64 ${what}`);
    throw error;
  }
}

/** buildCustomCert: base64 PEM texts in, checked, returned as they are. */
function buildCustomCert(b64cert: string, b64key: string): GoStruct {
  const cert = decodeBase64(b64cert, 'certificate');
  const key = decodeBase64(b64key, 'private key');
  const block = pemDecode(cert);
  if (block === undefined) throw new GoError('unable to decode certificate');
  prefixed('error parsing certificate: decodedCert.Bytes', () => parseCertificate(block.bytes));
  prefixed('error parsing private key', () => parsePrivateKeyPem(key));
  return certificate(cert, key);
}

const withKey = (pem: string): SprigKey => prefixed('parsing private key', () => parsePrivateKeyPem(pem));

export function certificateFunctions(now: () => Date): Map<string, GoFunction> {
  const s = (v: GoValue): string => v as string;
  const days = (v: GoValue): bigint => (v as GoInt).value;
  const LIST = '[]interface {}';
  const CERT = certificateType.name;
  return new Map<string, GoFunction>([
    ['genPrivateKey', fn(['string'], (a) => generatePrivateKey(s(a[0])), { returnsError: false })],
    ['buildCustomCert', fn(['string', 'string'], (a) => buildCustomCert(s(a[0]), s(a[1])))],
    ['genCA', fn(['string', 'int'], (a) => caWithKey(s(a[0]), days(a[1]), generateRsa2048(), now()))],
    ['genCAWithKey', fn(['string', 'int', 'string'], (a) => caWithKey(s(a[0]), days(a[1]), withKey(s(a[2])), now()))],
    ['genSelfSignedCert', fn(['string', LIST, LIST, 'int'], (a) => {
      const key = generateRsa2048();
      return selfSignedWithKey(s(a[0]), a[1], a[2], days(a[3]), key, now());
    })],
    ['genSelfSignedCertWithKey', fn(['string', LIST, LIST, 'int', 'string'], (a) =>
      selfSignedWithKey(s(a[0]), a[1], a[2], days(a[3]), withKey(s(a[4])), now()))],
    ['genSignedCert', fn(['string', LIST, LIST, 'int', CERT], (a) =>
      signedWithKey(s(a[0]), a[1], a[2], days(a[3]), a[4] as GoStruct, generateRsa2048, now()))],
    ['genSignedCertWithKey', fn(['string', LIST, LIST, 'int', CERT, 'string'], (a) => {
      const key = withKey(s(a[5]));
      return signedWithKey(s(a[0]), a[1], a[2], days(a[3]), a[4] as GoStruct, () => key, now());
    })],
  ]);
}
