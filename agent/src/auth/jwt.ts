// The service-account JWT: read fresh from token_path on every login (projected tokens rotate), and
// its identity claims decoded (without verifying: Vault does that) so failure messages can name
// the service account. The JWT itself is never logged or put in a message.
import { lstat, readFile, realpath, stat, unlink } from 'node:fs/promises';
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
    throw agentError('AGENT_JWT_UNREADABLE', { tokenPath, field: 'auto_auth.method.config.token_path', reason: fileErrorReason(error) }, { retryable: true });
  }
  const jwt = text.trim();
  if (jwt === '') throw agentError('AGENT_JWT_UNREADABLE', { tokenPath, field: 'auto_auth.method.config.token_path', reason: 'the file is empty' }, { retryable: true });
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

/** Where a login's JWT comes from. `watch` (sidecar) calls back when a new JWT appears, as Vault Agent re-auths. */
export interface JwtSource {
  read(): Promise<string>;
  watch?(onNewJwt: () => void): void;
  stop?(): void;
}

/** kubernetes method: the token file, read afresh at every login (projected tokens rotate). */
export function serviceAccountTokenSource(tokenPath: string): JwtSource {
  return { read: () => readServiceAccountJwt(tokenPath) };
}

export interface JwtFileOptions {
  path: string;
  removeAfterReading: boolean;
  removeFollowsSymlinks: boolean;
  readPeriodMs: number;
  logger: { error(object: object, message: string): void; warn(object: object, message: string): void; debug(object: object, message: string): void };
}

/**
 * jwt method, as Vault Agent's (command/agentproxyshared/auth/jwt): each read takes the file's JWT when it is there
 * (a regular file, or a symlink to one), optionally removes the file, and keeps the latest JWT, so a removed file
 * still lets the agent log in again; once watching, a JWT that differs from the last one triggers a new login.
 */
export class JwtFileSource implements JwtSource {
  private latest = '';
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: JwtFileOptions) {}

  async read(): Promise<string> {
    await this.ingest();
    if (this.latest === '') {
      throw agentError('AGENT_JWT_UNREADABLE', { tokenPath: this.options.path, field: 'auto_auth.method.config.path', reason: 'no JWT has been read from it yet (missing or empty)' }, { retryable: true });
    }
    return this.latest;
  }

  watch(onNewJwt: () => void): void {
    if (this.timer !== undefined) return;
    this.timer = setInterval(() => {
      const before = this.latest;
      void this.ingest().then(() => {
        if (this.latest !== before) {
          this.options.logger.debug({ path: this.options.path }, 'new jwt file found');
          onNewJwt();
        }
      });
    }, Math.max(1, this.options.readPeriodMs));
    this.timer.unref();
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }

  private async ingest(): Promise<void> {
    const { path, logger } = this.options;
    let target = path;
    try {
      const info = await lstat(path);
      if (info.isSymbolicLink()) {
        target = await realpath(path);
        await stat(target);
      } else if (!info.isFile()) {
        logger.error({ path }, 'jwt file is not a regular file or symlink');
        return;
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') logger.error({ path, reason: fileErrorReason(error) }, 'error encountered stat\'ing jwt file');
      return;
    }
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      logger.error({ path, reason: fileErrorReason(error) }, 'failed to read jwt file');
      return;
    }
    // Vault Agent sends the file as it is; a trailing newline (kubectl, echo) would make the JWT invalid, so trim it.
    const jwt = text.trim();
    if (jwt === '') logger.warn({ path }, 'empty jwt file read');
    else this.latest = jwt;
    if (this.options.removeAfterReading) {
      await unlink(this.options.removeFollowsSymlinks ? target : path).catch((error: unknown) => {
        logger.error({ path, reason: fileErrorReason(error) }, 'error removing jwt file');
      });
    }
  }
}
