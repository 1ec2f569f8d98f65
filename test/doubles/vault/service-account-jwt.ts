// Service-account JWTs as the Kubernetes API server issues them (projected, bound tokens), and the
// double's TokenReview: a JWT is valid only if this double issued it and it was not revoked.
import { createHash, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import type { Clock } from './clock.ts';
import { uuid } from './ids.ts';

export interface ServiceAccountRef {
  namespace: string;
  name: string;
  uid?: string;
}

export interface ServiceAccountClaims {
  iss: string;
  sub: string;
  aud: string[];
  exp: number;
  iat: number;
  nbf: number;
  jti: string;
  'kubernetes.io': {
    namespace: string;
    serviceaccount: { name: string; uid: string };
  };
}

/** The service account a JWT names, from projected or legacy claims (README §2.4 step 5). */
export interface ServiceAccountIdentity {
  namespace: string;
  name: string;
  uid: string;
  secretName: string;
  exp: number | undefined;
  nbf: number | undefined;
  aud: string[];
}

let signingKey: { privateKey: KeyObject; publicKey: KeyObject; keyId: string } | undefined;

function key(): { privateKey: KeyObject; publicKey: KeyObject; keyId: string } {
  if (signingKey === undefined) {
    // ES256: an algorithm kube-apiserver signs with when given an ECDSA key, and cheap to generate.
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const keyId = createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('base64url').slice(0, 43);
    signingKey = { privateKey, publicKey, keyId };
  }
  return signingKey;
}

export const serviceAccountIssuer = 'https://kubernetes.default.svc.cluster.local';
const issuer = serviceAccountIssuer;

/** The PEM of the key service-account JWTs are signed with (what a JWT auth method's jwt_validation_pubkeys holds). */
export function serviceAccountSigningKeyPem(): string {
  return key().publicKey.export({ type: 'spki', format: 'pem' }).toString();
}

export class ServiceAccountIssuer {
  private readonly issued = new Map<string, { namespace: string; name: string; uid: string; revoked: boolean }>();
  private readonly uids = new Map<string, string>();

  constructor(private readonly now: Clock) {}

  /** A signed ES256 JWT with Kubernetes' claims; default lifetime one year (long-lived test tokens). */
  issue(sa: ServiceAccountRef, lifetimeSeconds = 365 * 24 * 3600): string {
    const uid = sa.uid ?? this.uidFor(sa.namespace, sa.name);
    const iat = Math.floor(this.now() / 1000);
    const claims: ServiceAccountClaims = {
      iss: issuer,
      sub: `system:serviceaccount:${sa.namespace}:${sa.name}`,
      aud: [issuer],
      exp: iat + lifetimeSeconds,
      iat,
      nbf: iat,
      jti: uuid(),
      'kubernetes.io': { namespace: sa.namespace, serviceaccount: { name: sa.name, uid } },
    };
    const { privateKey, keyId } = key();
    const header = base64url(JSON.stringify({ alg: 'ES256', kid: keyId }));
    const payload = base64url(JSON.stringify(claims));
    const signature = sign('sha256', Buffer.from(`${header}.${payload}`), { key: privateKey, dsaEncoding: 'ieee-p1363' }).toString('base64url');
    const jwt = `${header}.${payload}.${signature}`;
    this.issued.set(jwt, { namespace: sa.namespace, name: sa.name, uid, revoked: false });
    return jwt;
  }

  /** Stable UID per service account, like the API server's object UID. */
  uidFor(namespace: string, name: string): string {
    const key = `${namespace}/${name}`;
    let uid = this.uids.get(key);
    if (uid === undefined) {
      uid = uuid();
      this.uids.set(key, uid);
    }
    return uid;
  }

  revoke(jwt: string): boolean {
    const entry = this.issued.get(jwt);
    if (entry === undefined) return false;
    entry.revoked = true;
    return true;
  }

  /** TokenReview: authenticated only for JWTs issued here, not revoked, naming the same account. */
  review(jwt: string, identity: ServiceAccountIdentity): boolean {
    const entry = this.issued.get(jwt);
    return entry !== undefined && !entry.revoked && entry.namespace === identity.namespace && entry.name === identity.name && entry.uid === identity.uid;
  }
}

function base64url(text: string): string {
  return Buffer.from(text).toString('base64url');
}

/** Decodes (without verifying: Vault does not without pem_keys) the claims of a JWT. */
export function readServiceAccountJwt(jwt: string): ServiceAccountIdentity | undefined {
  const parts = jwt.split('.');
  if (parts.length !== 3) return undefined;
  let claims: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(parts[1] ?? '', 'base64url').toString('utf8'));
    if (typeof parsed !== 'object' || parsed === null) return undefined;
    claims = parsed as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const projected = claims['kubernetes.io'];
  const k8s = typeof projected === 'object' && projected !== null ? (projected as Record<string, unknown>) : undefined;
  const sa = typeof k8s?.['serviceaccount'] === 'object' && k8s['serviceaccount'] !== null ? (k8s['serviceaccount'] as Record<string, unknown>) : undefined;
  const text = (value: unknown): string => (typeof value === 'string' ? value : '');
  const namespace = text(k8s?.['namespace']) || text(claims['kubernetes.io/serviceaccount/namespace']);
  const name = text(sa?.['name']) || text(claims['kubernetes.io/serviceaccount/service-account.name']);
  const uid = text(sa?.['uid']) || text(claims['kubernetes.io/serviceaccount/service-account.uid']);
  const secretName = text(claims['kubernetes.io/serviceaccount/secret.name']);
  const aud = Array.isArray(claims['aud']) ? claims['aud'].map(String) : typeof claims['aud'] === 'string' ? [claims['aud']] : [];
  const numberClaim = (value: unknown): number | undefined => (typeof value === 'number' ? value : undefined);
  return { namespace, name, uid, secretName, exp: numberClaim(claims['exp']), nbf: numberClaim(claims['nbf']), aud };
}
