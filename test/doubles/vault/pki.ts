// The PKI secrets engine: a real CA (node:crypto + @peculiar/x509) that issues real certificates
// and keys from pki/issue/<role> (README §6.2; pki-issue.response.json, with `expiration` a number).
import { generateKeyPair, webcrypto } from 'node:crypto';
import type { webcrypto as WebCrypto } from 'node:crypto';
import { promisify } from 'node:util';
import { parseDurationSeconds, type Clock } from './clock.ts';
import type { LeaseStore } from './leases.ts';
import type { Backend, RequestContext } from './mounts.ts';
import { badRequest, errorReply, noContent, notFound, ok, stringField, stringList, unsupportedOperation, type Reply, type VaultRequest } from './wire.ts';

type X509Module = typeof import('@peculiar/x509');
let x509Module: Promise<X509Module> | undefined;

/** Loaded on first use: the library is heavy and most tests never touch PKI. */
function loadX509(): Promise<X509Module> {
  x509Module ??= (async () => {
    // @peculiar/x509 resolves its services through tsyringe, which needs the Reflect metadata polyfill.
    await import('reflect-metadata');
    const x509 = await import('@peculiar/x509');
    x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);
    return x509;
  })();
  return x509Module;
}

const generateKeyPairAsync = promisify(generateKeyPair);

export interface PkiRoleSpec {
  ttl: number;
  max_ttl: number;
  generate_lease?: boolean;
  key_type?: 'rsa' | 'ec';
}

interface StoredRole {
  ttl: number;
  maxTtl: number;
  generateLease: boolean;
  keyType: 'rsa' | 'ec';
}

interface CertificateAuthority {
  certificatePem: string;
  signingKey: WebCrypto.CryptoKey;
  name: string;
}

const signingAlgorithm = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as const;

export interface PkiDeps {
  now: Clock;
  leases: LeaseStore;
  onIssued: (value: string) => void;
}

export class PkiBackend implements Backend {
  private readonly roles = new Map<string, StoredRole>();
  private readonly ca: Promise<CertificateAuthority>;

  constructor(private readonly deps: PkiDeps, commonName = 'vault-double-ca') {
    this.ca = createAuthority(commonName, deps.now());
    this.ca.catch(() => undefined); // surfaced per request instead of as an unhandled rejection
  }

  /** The CA certificate is public: Vault serves ca/pem and cert/ca without a token. */
  unauthenticated(subpath: string): boolean {
    return subpath === 'ca/pem' || subpath === 'cert/ca';
  }

  /** The CA certificate (PEM), once generated. */
  async caPem(): Promise<string> {
    return (await this.ca).certificatePem;
  }

  exists(subpath: string): boolean | undefined {
    const match = /^roles\/(.+)$/.exec(subpath);
    return match === null ? undefined : this.roles.has(match[1] ?? '');
  }

  writeRole(name: string, spec: PkiRoleSpec): void {
    this.roles.set(name, { ttl: spec.ttl, maxTtl: spec.max_ttl, generateLease: spec.generate_lease ?? false, keyType: spec.key_type ?? 'rsa' });
  }

  async handle(request: VaultRequest, context: RequestContext): Promise<Reply> {
    const subpath = context.subpath;
    const issue = /^issue\/([^/]+)$/.exec(subpath);
    if (issue !== null) {
      if (request.operation !== 'create' && request.operation !== 'update') return unsupportedOperation();
      return this.issue(issue[1] ?? '', request, context);
    }
    if (subpath === 'ca/pem' || subpath === 'cert/ca') {
      if (request.operation !== 'read') return unsupportedOperation();
      const pem = await this.caPem();
      if (subpath === 'ca/pem') return { status: 200, rawText: pem, headers: { 'content-type': 'application/pem-certificate-chain' } };
      // Not revoked: revocation_time 0 and an empty RFC 3339 time, as Vault and OpenBao answer.
      return ok({ data: { certificate: pem, revocation_time: 0, revocation_time_rfc3339: '' }, mountType: 'pki' });
    }
    const role = /^roles\/([^/]+)$/.exec(subpath);
    if (role !== null) return this.roleOp(request, role[1] ?? '');
    return errorReply(404, 'unsupported path');
  }

  private roleOp(request: VaultRequest, name: string): Reply {
    switch (request.operation) {
      case 'read': {
        const role = this.roles.get(name);
        if (role === undefined) return notFound();
        return ok({ data: { generate_lease: role.generateLease, key_bits: role.keyType === 'rsa' ? 2048 : 256, key_type: role.keyType, max_ttl: role.maxTtl, ttl: role.ttl }, mountType: 'pki' });
      }
      case 'create':
      case 'update': {
        const ttl = parseDurationSeconds(request.body['ttl']);
        const maxTtl = parseDurationSeconds(request.body['max_ttl']);
        if (ttl === undefined || maxTtl === undefined) return badRequest('invalid ttl');
        const keyType = stringField(request.body, 'key_type') ?? 'rsa';
        if (keyType !== 'rsa' && keyType !== 'ec') return badRequest(`unknown key_type ${keyType}`);
        this.roles.set(name, { ttl, maxTtl, generateLease: request.body['generate_lease'] === true, keyType });
        return noContent();
      }
      case 'delete':
        this.roles.delete(name);
        return noContent();
      default:
        return unsupportedOperation();
    }
  }

  private async issue(roleName: string, request: VaultRequest, context: RequestContext): Promise<Reply> {
    const role = this.roles.get(roleName);
    if (role === undefined) return badRequest(`unknown role: ${roleName}`);
    const commonName = stringField(request.body, 'common_name') ?? '';
    if (commonName === '') {
      return badRequest('the common_name field is required, or must be provided in a CSR with "use_csr_common_name" set to true, unless "require_cn" is set to false');
    }
    const requestedTtl = parseDurationSeconds(request.body['ttl']);
    if (requestedTtl === undefined) return badRequest(`invalid ttl: ${JSON.stringify(request.body['ttl'])}`);
    const maxTtl = role.maxTtl > 0 ? role.maxTtl : 2_764_800;
    let ttl = requestedTtl > 0 ? requestedTtl : role.ttl > 0 ? role.ttl : maxTtl;
    const warnings: string[] = [];
    if (ttl > maxTtl) {
      warnings.push(`TTL ${JSON.stringify(String(ttl))} is longer than permitted maxTTL ${JSON.stringify(String(maxTtl))}, so using maxTTL`);
      ttl = maxTtl;
    }
    const ca = await this.ca;
    const now = this.deps.now();
    const notBefore = new Date(Math.floor((now - 30_000) / 1000) * 1000);
    const notAfter = new Date(Math.floor(now / 1000) * 1000 + ttl * 1000);
    const leaf = await issueLeaf(ca, commonName, stringList(request.body['alt_names']) ?? [], stringList(request.body['ip_sans']) ?? [], role.keyType, notBefore, notAfter);
    this.deps.onIssued(leaf.privateKeyPem);
    const data = {
      ca_chain: [ca.certificatePem],
      certificate: leaf.certificatePem,
      expiration: Math.floor(notAfter.getTime() / 1000),
      issuing_ca: ca.certificatePem,
      private_key: leaf.privateKeyPem,
      private_key_type: role.keyType,
      serial_number: leaf.serialNumber,
    };
    if (!role.generateLease) return ok({ data, warnings, mountType: 'pki' });
    const lease = this.deps.leases.create(`${context.mount.path}issue/${roleName}`, { ttl, maxTtl: ttl, renewable: false, tokenId: context.token?.id });
    return ok({ data, warnings, leaseId: lease.id, leaseDuration: ttl, renewable: false, mountType: 'pki' });
  }
}

async function createAuthority(commonName: string, now: number): Promise<CertificateAuthority> {
  const x509 = await loadX509();
  const keys = await webcrypto.subtle.generateKey(
    { ...signingAlgorithm, modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]) }, true, ['sign', 'verify'],
  ) as WebCrypto.CryptoKeyPair;
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerial(),
    name: `CN=${commonName}`,
    notBefore: new Date(now - 3600_000),
    notAfter: new Date(now + 10 * 365 * 24 * 3600_000),
    signingAlgorithm,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { certificatePem: pemWithNewline(certificate.toString('pem')), signingKey: keys.privateKey, name: `CN=${commonName}` };
}

async function issueLeaf(
  ca: CertificateAuthority, commonName: string, altNames: string[], ipSans: string[], keyType: 'rsa' | 'ec', notBefore: Date, notAfter: Date,
): Promise<{ certificatePem: string; privateKeyPem: string; serialNumber: string }> {
  const x509 = await loadX509();
  const pair = keyType === 'rsa'
    ? await generateKeyPairAsync('rsa', { modulusLength: 2048 })
    : await generateKeyPairAsync('ec', { namedCurve: 'prime256v1' });
  const spki = pair.publicKey.export({ type: 'spki', format: 'der' });
  const publicKey = new x509.PublicKey(spki);
  const names = [...new Set([commonName, ...altNames])];
  const serial = randomSerial();
  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber: serial,
    subject: `CN=${commonName}`,
    issuer: ca.name,
    notBefore,
    notAfter,
    signingAlgorithm,
    publicKey,
    signingKey: ca.signingKey,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment | x509.KeyUsageFlags.keyAgreement, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth]),
      new x509.SubjectAlternativeNameExtension([
        ...names.map((value) => ({ type: 'dns' as const, value })),
        ...ipSans.map((value) => ({ type: 'ip' as const, value })),
      ]),
    ],
  });
  const certificatePem = pemWithNewline(certificate.toString('pem'));
  const privateKeyPem = keyType === 'rsa'
    ? String(pair.privateKey.export({ type: 'pkcs1', format: 'pem' }))
    : String(pair.privateKey.export({ type: 'sec1', format: 'pem' }));
  const serialNumber = serial.match(/../g)?.join(':') ?? '';
  return { certificatePem, privateKeyPem, serialNumber };
}

/** 20 random bytes, positive (high bit clear), as hex: Vault's serial size. */
function randomSerial(): string {
  const bytes = webcrypto.getRandomValues(new Uint8Array(20));
  bytes[0] = (bytes[0] ?? 0) & 0x7f | 0x01;
  return Buffer.from(bytes).toString('hex');
}

function pemWithNewline(pem: string): string {
  const unix = pem.replace(/\r\n/g, '\n').trim();
  return `${unix}\n`;
}
