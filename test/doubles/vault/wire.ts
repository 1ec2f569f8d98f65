// Vault's wire formats: the logical response envelope and the `{"errors":[...]}` body
// (fixtures: /work/shared/fixtures/vault-api, README §1.3–1.5).
import { uuid } from './ids.ts';
import type { RawJson } from './raw-json.ts';

export type Operation = 'read' | 'list' | 'create' | 'update' | 'delete' | 'patch';

/** One request as the backends see it (after token and ACL checks). */
export interface VaultRequest {
  method: string;
  operation: Operation;
  /** Logical path without `/v1/` and without a leading `/`. */
  path: string;
  query: URLSearchParams;
  bodyText: string;
  body: Record<string, unknown>;
  clientToken: string | undefined;
  /** Seconds from X-Vault-Wrap-TTL, when the client asked for a wrapped answer. */
  wrapTtl?: number;
}

export interface Reply {
  status: number;
  /** Serialized with stringifyWire; undefined = no body (204/202). */
  body?: unknown;
  /** A non-JSON body (pki/ca/pem), written as is. */
  rawText?: string;
  headers?: Record<string, string>;
}

export interface AuthBlock {
  client_token: string;
  accessor: string;
  policies: string[];
  token_policies: string[];
  metadata: Record<string, string> | null;
  lease_duration: number;
  renewable: boolean;
  entity_id: string;
  token_type: 'service';
  orphan: boolean;
  mfa_requirement: null;
  num_uses: number;
}

export interface EnvelopeParts {
  data?: Record<string, unknown> | RawJson | null;
  leaseId?: string;
  renewable?: boolean;
  leaseDuration?: number;
  warnings?: string[] | null;
  auth?: AuthBlock | null;
  mountType: string;
}

/** The HTTPResponse struct every logical response is serialized from (README §1.3). */
export function envelope(parts: EnvelopeParts): Record<string, unknown> {
  return {
    request_id: uuid(),
    lease_id: parts.leaseId ?? '',
    renewable: parts.renewable ?? false,
    lease_duration: parts.leaseDuration ?? 0,
    data: parts.data ?? null,
    wrap_info: null,
    warnings: parts.warnings && parts.warnings.length > 0 ? parts.warnings : null,
    auth: parts.auth ?? null,
    mount_type: parts.mountType,
  };
}

export function ok(parts: EnvelopeParts): Reply {
  return { status: 200, body: envelope(parts) };
}

export function noContent(): Reply {
  return { status: 204 };
}

export function errorReply(status: number, ...messages: string[]): Reply {
  return { status, body: { errors: messages } };
}

/** 404 `{"errors":[]}`: missing secret, empty LIST (README §1.5). */
export function notFound(): Reply {
  return errorReply(404);
}

/** Bad, absent, expired or revoked token (error-permission-denied-bad-token.response.json). */
export function badToken(): Reply {
  return errorReply(403, 'permission denied');
}

/** Valid token, ACL denies: the multierror string (error-permission-denied-acl.response.json). */
export function aclDenied(): Reply {
  return errorReply(403, '1 error occurred:\n\t* permission denied\n\n');
}

export function badRequest(message: string): Reply {
  return errorReply(400, message);
}

export function noHandler(path: string): Reply {
  return errorReply(404, `no handler for route ${JSON.stringify(path)}. route entry not found.`);
}

export function unsupportedOperation(): Reply {
  return errorReply(405, 'unsupported operation');
}

export function listReply(keys: string[], mountType: string): Reply {
  if (keys.length === 0) return notFound();
  return ok({ data: { keys }, mountType });
}

/** `?list=true` as Vault parses it (strconv.ParseBool). */
export function isListQuery(query: URLSearchParams): boolean {
  const value = query.get('list');
  return value !== null && ['1', 't', 'T', 'TRUE', 'true', 'True'].includes(value);
}

export function stringField(body: Record<string, unknown>, name: string): string | undefined {
  const value = body[name];
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

/** Vault's comma-string-or-array parameters (framework.TypeCommaStringSlice), trimmed, empties dropped. */
export function stringList(value: unknown): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  const items = Array.isArray(value) ? value.map((item) => String(item)) : String(value).split(',');
  return items.map((item) => item.trim()).filter((item) => item !== '');
}

/** Read, write and delete of `role/NAME` as every auth method serves them; `apply` validates a
 *  write and stores it, answering with its error text or the stored role. */
export function roleOperation<Role>(request: VaultRequest, roles: Map<string, Role>, name: string, handlers: { apply(name: string, body: Record<string, unknown>): Role | string; data(role: Role): Record<string, unknown>; mountType: string }): Reply {
  switch (request.operation) {
    case 'read': {
      const role = roles.get(name);
      return role === undefined ? notFound() : ok({ data: handlers.data(role), mountType: handlers.mountType });
    }
    case 'create':
    case 'update': {
      const result = handlers.apply(name, request.body);
      return typeof result === 'string' ? badRequest(result) : noContent();
    }
    case 'delete':
      roles.delete(name);
      return noContent();
    default:
      return unsupportedOperation();
  }
}
