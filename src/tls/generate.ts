/**
 * Certificate authority and serving certificate generation (ECDSA P-256), as vault-k8s's
 * `helper/cert/source_gen.go` makes them: CA "Agent Inject CA", leaf "Agent Inject Service"
 * with the configured hosts as SANs. The clock comes in as a parameter.
 */
// @peculiar/x509 resolves its algorithm providers through tsyringe, which needs the Reflect metadata API.
import 'reflect-metadata';
import { createPrivateKey, randomBytes, webcrypto, X509Certificate as NodeX509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import * as x509 from '@peculiar/x509';

type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;
const crypto = webcrypto;
const KEY_ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const SIGNING_ALGORITHM = { name: 'ECDSA', hash: 'SHA-256' } as const;
/** vault-k8s backdates NotBefore by a minute for clock skew between nodes. */
const BACKDATE_MS = 60_000;

export const DAY_MS = 24 * 60 * 60 * 1000;
export const DEFAULT_CA_VALIDITY_MS = 10 * 365 * DAY_MS;
export const DEFAULT_SERVING_VALIDITY_MS = DAY_MS;

/** A certificate with its key, both PEM. */
export interface KeyPairPem {
  certPem: string;
  keyPem: string;
}

export interface CertificateTimes {
  notBeforeMs: number;
  notAfterMs: number;
}

function serialNumber(): string {
  // Positive and below 2^159, as vault-k8s: clear the top bit of a 20-byte random value.
  const bytes = randomBytes(20);
  bytes[0] = (bytes[0] ?? 0) & 0x7f;
  if (bytes[0] === 0) bytes[0] = 1;
  return bytes.toString('hex');
}

async function exportKeyPem(privateKey: CryptoKey): Promise<string> {
  const pkcs8 = await crypto.subtle.exportKey('pkcs8', privateKey);
  return x509.PemConverter.encode(pkcs8, 'PRIVATE KEY');
}

async function importKeyPair(keyPem: string): Promise<CryptoKeyPair> {
  const der = x509.PemConverter.decodeFirst(keyPem);
  const privateKey = await crypto.subtle.importKey('pkcs8', der, KEY_ALGORITHM, true, ['sign']);
  // WebCrypto cannot derive a public key from a private one; the JWK of a private EC key carries x and y.
  const jwk = await crypto.subtle.exportKey('jwk', privateKey);
  const { d: _d, key_ops: _ops, ...publicJwk } = jwk;
  const publicKey = await crypto.subtle.importKey('jwk', publicJwk, KEY_ALGORITHM, true, ['verify']);
  return { privateKey, publicKey };
}

export async function generateCa(options: { nowMs: number; validityMs?: number }): Promise<KeyPairPem> {
  const keys = (await crypto.subtle.generateKey(KEY_ALGORITHM, true, ['sign', 'verify'])) as CryptoKeyPair;
  const certificate = await x509.X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: serialNumber(),
      name: 'CN=Agent Inject CA',
      notBefore: new Date(options.nowMs - BACKDATE_MS),
      notAfter: new Date(options.nowMs + (options.validityMs ?? DEFAULT_CA_VALIDITY_MS)),
      keys,
      signingAlgorithm: SIGNING_ALGORITHM,
      extensions: [
        new x509.BasicConstraintsExtension(true, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.digitalSignature, true),
        new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey, false, crypto),
      ],
    },
    crypto,
  );
  return { certPem: certificate.toString('pem'), keyPem: await exportKeyPem(keys.privateKey) };
}

export async function generateServing(options: {
  ca: KeyPairPem;
  hosts: readonly string[];
  nowMs: number;
  validityMs?: number;
}): Promise<KeyPairPem> {
  if (options.hosts.length === 0) throw new Error('a serving certificate needs at least one host name or IP address');
  const caCertificate = new x509.X509Certificate(options.ca.certPem);
  const caKeys = await importKeyPair(options.ca.keyPem);
  const keys = (await crypto.subtle.generateKey(KEY_ALGORITHM, true, ['sign', 'verify'])) as CryptoKeyPair;
  const names = options.hosts.map((host) => (isIP(host) !== 0 ? { type: 'ip' as const, value: host } : { type: 'dns' as const, value: host }));
  const certificate = await x509.X509CertificateGenerator.create(
    {
      serialNumber: serialNumber(),
      subject: 'CN=Agent Inject Service',
      issuer: caCertificate.subject,
      notBefore: new Date(options.nowMs - BACKDATE_MS),
      notAfter: new Date(options.nowMs + (options.validityMs ?? DEFAULT_SERVING_VALIDITY_MS)),
      publicKey: keys.publicKey,
      signingKey: caKeys.privateKey,
      signingAlgorithm: SIGNING_ALGORITHM,
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
        new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
        new x509.SubjectAlternativeNameExtension(names),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey, false, crypto),
        await x509.AuthorityKeyIdentifierExtension.create(caCertificate, false, crypto),
      ],
    },
    crypto,
  );
  return { certPem: certificate.toString('pem'), keyPem: await exportKeyPem(keys.privateKey) };
}

/** Validity of the first certificate in `pem`, or undefined when it does not parse. */
export function certificateTimes(pem: string): CertificateTimes | undefined {
  try {
    const certificate = new NodeX509Certificate(pem);
    return { notBeforeMs: Date.parse(certificate.validFrom), notAfterMs: Date.parse(certificate.validTo) };
  } catch {
    return undefined;
  }
}

/** True when `keyPem` is the private key of the certificate `certPem` (and both parse). */
export function keyMatchesCertificate(pair: KeyPairPem): boolean {
  try {
    const certificate = new NodeX509Certificate(pair.certPem);
    return certificate.checkPrivateKey(createPrivateKey(pair.keyPem));
  } catch {
    return false;
  }
}

/** True when the serving certificate was signed by `caPem` and names every host. */
export function servingMatches(serving: KeyPairPem, caPem: string, hosts: readonly string[]): boolean {
  try {
    const certificate = new NodeX509Certificate(serving.certPem);
    const ca = new NodeX509Certificate(caPem);
    if (!certificate.verify(ca.publicKey)) return false;
    return hosts.every((host) => (isIP(host) !== 0 ? certificate.checkIP(host) !== undefined : certificate.checkHost(host, { wildcards: false }) !== undefined));
  } catch {
    return false;
  }
}

/** Splits a PEM bundle into its certificates (each with its BEGIN/END lines). */
export function splitPemBundle(bundle: string): string[] {
  return bundle.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g)?.map((block) => `${block}\n`) ?? [];
}
