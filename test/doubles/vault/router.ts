// The request pipeline, in Vault's order: parse → health → token → existence check → ACL → route
// → backend (README §1, §9). Pure with respect to I/O: takes a parsed request, returns a Reply.
import type { Clock } from './clock.ts';
import type { EntityStore } from './identity.ts';
import type { MountTable } from './mounts.ts';
import type { PolicyStore } from './policies.ts';
import { parseObject } from './raw-json.ts';
import { healthReply, sysNeedsSudo, uiMountReply, type HealthState } from './sys.ts';
import type { TokenEntry, TokenStore } from './tokens.ts';
import type { WrappingStore } from './wrapping.ts';
import { parseDurationSeconds } from './clock.ts';
import {
  aclDenied, badRequest, badToken, errorReply, isListQuery, noHandler, notFound, unsupportedOperation,
  type Operation, type Reply, type VaultRequest,
} from './wire.ts';

export interface Core {
  now: Clock;
  tokens: TokenStore;
  policies: PolicyStore;
  entities: EntityStore;
  mounts: MountTable;
  health: HealthState;
  wrapping: WrappingStore;
}

export interface IncomingRequest {
  method: string;
  /** Path and query as received, e.g. `/v1/secret/data/app?version=2`. */
  url: string;
  headers: Readonly<Record<string, string | string[] | undefined>>;
  bodyText: string;
}

/** Where a request string points (for the fault matcher and the request log). */
export function logicalPath(url: string): { pathname: string; path: string; query: URLSearchParams } {
  const parsed = new URL(url, 'http://vault.invalid');
  const pathname = parsed.pathname;
  let path = '';
  try {
    path = pathname.startsWith('/v1/') ? decodeURIComponent(pathname.slice(4)).replace(/^\/+/, '') : '';
  } catch {
    path = pathname.slice(4);
  }
  return { pathname, path, query: parsed.searchParams };
}

function header(headers: IncomingRequest['headers'], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** X-Vault-Token wins; otherwise `Authorization: Bearer <token>` (README §1.2). */
export function clientToken(headers: IncomingRequest['headers']): string | undefined {
  const direct = header(headers, 'x-vault-token');
  if (direct !== undefined && direct !== '') return direct;
  const authorization = header(headers, 'authorization');
  if (authorization !== undefined && authorization.startsWith('Bearer ')) return authorization.slice('Bearer '.length).trim();
  return undefined;
}

function operationFor(method: string, query: URLSearchParams): Operation | undefined {
  switch (method) {
    case 'GET':
      return isListQuery(query) ? 'list' : 'read';
    case 'LIST':
      return 'list';
    case 'POST':
    case 'PUT':
      return 'update'; // create vs update is decided by the existence check
    case 'DELETE':
      return 'delete';
    case 'PATCH':
      return 'patch';
    default:
      return undefined;
  }
}

export async function handleRequest(core: Core, incoming: IncomingRequest): Promise<Reply> {
  const wrapHeader = header(incoming.headers, 'x-vault-wrap-ttl');
  const wrapTtl = wrapHeader === undefined || wrapHeader === '' ? undefined : parseDurationSeconds(wrapHeader);
  if (wrapTtl !== undefined && wrapTtl <= 0) return badRequest('invalid wrap TTL');
  if (wrapHeader !== undefined && wrapHeader !== '' && wrapTtl === undefined) return badRequest('error parsing wrap TTL');
  const reply = await route(core, incoming, wrapTtl);
  const { path } = logicalPath(incoming.url);
  // Errors and empty answers are never wrapped; the answer of an unwrap is not re-wrapped here.
  if (wrapTtl === undefined || reply.status !== 200 || reply.body === undefined || path === 'sys/wrapping/unwrap') return reply;
  return core.wrapping.wrap(reply.body, wrapTtl, path);
}

async function route(core: Core, incoming: IncomingRequest, wrapTtl: number | undefined): Promise<Reply> {
  const { pathname, path: rawPath, query } = logicalPath(incoming.url);
  if (!pathname.startsWith('/v1/')) return notFound();
  const method = incoming.method.toUpperCase();

  if (rawPath === 'sys/health') {
    if (method !== 'GET' && method !== 'HEAD') return errorReply(405);
    return healthReply(method, query, core.health, core.now());
  }
  if (core.health.sealed) return errorReply(503, 'Vault is sealed');

  let operation = operationFor(method, query);
  if (operation === undefined) return errorReply(405);
  // Vault appends the slash to LIST paths before routing and ACL checks.
  const path = operation === 'list' && !rawPath.endsWith('/') ? `${rawPath}/` : rawPath;

  const namespace = header(incoming.headers, 'x-vault-namespace');
  if (namespace !== undefined && namespace.replace(/\/+$/, '') !== '' && namespace !== 'root') {
    return errorReply(403, 'namespaces feature not enabled');
  }

  let body: Record<string, unknown> = {};
  if (incoming.bodyText.trim() !== '') {
    const parsed = parseObject(incoming.bodyText);
    if (parsed === undefined) return badRequest('failed to parse JSON input: invalid JSON object');
    body = parsed;
  }

  const token = clientToken(incoming.headers);
  const mount = core.mounts.route(path);
  const subpath = mount === undefined ? '' : path.slice(Math.min(mount.path.length, path.length));

  if (path.startsWith('sys/internal/ui/mounts/')) {
    const entry = core.tokens.lookup(token);
    if (entry === undefined) return badToken();
    if (operation !== 'read') return unsupportedOperation();
    return uiMountReply(path.slice('sys/internal/ui/mounts/'.length), core.mounts, aclOf(core, entry));
  }

  const request: VaultRequest = { method, operation, path, query, bodyText: incoming.bodyText, body, clientToken: token, ...(wrapTtl === undefined ? {} : { wrapTtl }) };

  if (mount?.backend.unauthenticated?.(subpath) === true) {
    return mount.backend.handle(request, { token: undefined, mount, subpath });
  }

  const entry = core.tokens.lookup(token);
  if (entry === undefined) return badToken();

  if (operation === 'update' || operation === 'create') {
    if (path.endsWith('/')) return badRequest("cannot write to a path ending in '/'");
    const exists = mount?.backend.exists;
    operation = exists === undefined || (exists.call(mount?.backend, subpath) ?? true) ? 'update' : 'create';
    request.operation = operation;
  }

  const acl = aclOf(core, entry);
  const needsSudo = mount?.path === 'sys/' && sysNeedsSudo(subpath);
  if (acl !== 'root' && !acl.allows(path, operation, needsSudo)) return aclDenied();

  if (mount === undefined) return noHandler(path);
  return mount.backend.handle(request, { token: entry, mount, subpath });
}

function aclOf(core: Core, entry: TokenEntry): ReturnType<PolicyStore['acl']> | 'root' {
  if (entry.policies.includes('root')) return 'root';
  return core.policies.acl(entry.policies, core.entities.get(entry.entityId));
}
