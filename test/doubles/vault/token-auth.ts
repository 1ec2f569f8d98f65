// The token auth method at auth/token/ (README §4): create, lookup(-self), renew(-self), revoke(-self).
import { parseDurationSeconds } from './clock.ts';
import type { Backend, RequestContext } from './mounts.ts';
import { sanitizePolicies, type TokenEntry, type TokenStore } from './tokens.ts';
import { badRequest, badToken, errorReply, noContent, ok, stringField, stringList, unsupportedOperation, type Reply, type VaultRequest } from './wire.ts';

const writes = new Set(['create', 'update']);

export class TokenAuthBackend implements Backend {
  constructor(private readonly tokens: TokenStore) {}

  handle(request: VaultRequest, context: RequestContext): Reply {
    const caller = context.token;
    if (caller === undefined) return badToken();
    const isWrite = writes.has(request.operation);
    switch (context.subpath) {
      case 'lookup-self':
        return request.operation === 'read' || isWrite ? this.lookupReply(caller) : unsupportedOperation();
      case 'lookup': {
        if (!isWrite && request.operation !== 'read') return unsupportedOperation();
        const target = this.tokens.lookup(stringField(request.body, 'token') ?? request.query.get('token') ?? '');
        // Vault and OpenBao answer an unknown token here with 403 (logical.ErrPermissionDenied).
        return target === undefined ? errorReply(403, 'bad token') : this.lookupReply(target);
      }
      case 'renew-self':
        return isWrite ? this.renewReply(caller, request) : unsupportedOperation();
      case 'renew': {
        if (!isWrite) return unsupportedOperation();
        const target = this.tokens.lookup(stringField(request.body, 'token'));
        return target === undefined ? badRequest('invalid token') : this.renewReply(target, request);
      }
      case 'revoke-self':
        if (!isWrite) return unsupportedOperation();
        this.tokens.revoke(caller.id);
        return noContent();
      case 'revoke': {
        if (!isWrite) return unsupportedOperation();
        const token = stringField(request.body, 'token');
        if (token === undefined || token === '') return badRequest('missing token');
        this.tokens.revoke(token);
        return noContent();
      }
      case 'create':
      case 'create-orphan':
        return isWrite ? this.create(caller, request, context.subpath === 'create-orphan') : unsupportedOperation();
      default:
        return errorReply(404, 'unsupported path');
    }
  }

  private lookupReply(entry: TokenEntry): Reply {
    return ok({ data: this.tokens.lookupData(entry), mountType: 'token' });
  }

  private renewReply(entry: TokenEntry, request: VaultRequest): Reply {
    const increment = parseDurationSeconds(request.body['increment']);
    if (increment === undefined) return badRequest(`invalid increment: ${JSON.stringify(request.body['increment'])}`);
    const result = this.tokens.renew(entry, increment);
    if (!result.ok) return errorReply(result.status, result.message);
    return ok({ auth: this.tokens.authBlock(result.entry, result.ttl), warnings: result.warnings, mountType: 'token' });
  }

  /** auth/token/create (token-create.response.json). Non-root callers may only grant a subset of their policies. */
  private create(caller: TokenEntry, request: VaultRequest, orphan: boolean): Reply {
    const requested = stringList(request.body['policies']) ?? caller.policies.filter((policy) => policy !== 'default');
    const noDefault = request.body['no_default_policy'] === true;
    const policies = sanitizePolicies(requested, !noDefault);
    const isRoot = caller.policies.includes('root');
    if (!isRoot && policies.some((policy) => !caller.policies.includes(policy))) {
      return badRequest('child policies must be subset of parent');
    }
    const ttl = parseDurationSeconds(request.body['ttl']);
    const maxTtl = parseDurationSeconds(request.body['explicit_max_ttl']);
    if (ttl === undefined || maxTtl === undefined) return badRequest('invalid ttl');
    const metadataField = request.body['meta'];
    const metadata = typeof metadataField === 'object' && metadataField !== null
      ? Object.fromEntries(Object.entries(metadataField).map(([key, value]) => [key, String(value)]))
      : null;
    const { entry, warnings } = this.tokens.create({
      policies,
      metadata,
      displayName: `token${stringField(request.body, 'display_name') ? `-${stringField(request.body, 'display_name')}` : ''}`,
      path: orphan ? 'auth/token/create-orphan' : 'auth/token/create',
      ttl,
      maxTtl,
      renewable: request.body['renewable'] !== false,
      orphan: orphan || request.body['no_parent'] === true,
      ...(orphan || request.body['no_parent'] === true || isRoot ? {} : { parent: caller.id }),
    });
    return ok({ auth: this.tokens.authBlock(entry, entry.creationTtl), warnings, mountType: 'token' });
  }
}
