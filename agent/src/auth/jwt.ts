// The service-account JWT: read fresh from token_path on every login (projected tokens rotate), and
// its identity claims decoded (without verifying: Vault does that) so failure messages can name
// the service account. The JWT itself is never logged or put in a message.
import { readFile } from 'node:fs/promises';
import { agentError } from '../errors.ts';
import { fileErrorReason } from '../config/load.ts';

export interface ServiceAccountIdentity {
  namespace: string | undefined;
  name: string | undefined;
}

export async function readServiceAccountJwt(tokenPath: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(tokenPath, 'utf8');
  } catch (error) {
    throw agentError('AGENT_JWT_UNREADABLE', { tokenPath, reason: fileErrorReason(error) }, { retryable: true });
  }
  const jwt = text.trim();
  if (jwt === '') throw agentError('AGENT_JWT_UNREADABLE', { tokenPath, reason: 'the file is empty' }, { retryable: true });
  return jwt;
}

/** Legacy secret-based tokens carry `kubernetes.io/serviceaccount/*` claims, projected tokens a
 *  `kubernetes.io` object; both carry `sub: system:serviceaccount:NS:NAME`. */
export function serviceAccountOf(jwt: string): ServiceAccountIdentity {
  const payload = jwt.split('.')[1];
  if (payload === undefined) return { namespace: undefined, name: undefined };
  let claims: Record<string, unknown>;
  try {
    const decoded = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as unknown;
    if (typeof decoded !== 'object' || decoded === null) return { namespace: undefined, name: undefined };
    claims = decoded as Record<string, unknown>;
  } catch {
    return { namespace: undefined, name: undefined };
  }
  const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);
  const projected = claims['kubernetes.io'];
  if (typeof projected === 'object' && projected !== null) {
    const p = projected as Record<string, unknown>;
    const serviceAccount = typeof p['serviceaccount'] === 'object' && p['serviceaccount'] !== null ? (p['serviceaccount'] as Record<string, unknown>) : {};
    const namespace = text(p['namespace']);
    const name = text(serviceAccount['name']);
    if (namespace !== undefined || name !== undefined) return { namespace, name };
  }
  const legacyNamespace = text(claims['kubernetes.io/serviceaccount/namespace']);
  const legacyName = text(claims['kubernetes.io/serviceaccount/service-account.name']);
  if (legacyNamespace !== undefined || legacyName !== undefined) return { namespace: legacyNamespace, name: legacyName };
  const subject = /^system:serviceaccount:([^:]+):([^:]+)$/.exec(text(claims['sub']) ?? '');
  return { namespace: subject?.[1], name: subject?.[2] };
}

export function describeServiceAccount(identity: ServiceAccountIdentity): string {
  if (identity.namespace === undefined && identity.name === undefined) return '(unknown: the token is not a service-account JWT)';
  return `${identity.namespace ?? '?'}/${identity.name ?? '?'}`;
}
