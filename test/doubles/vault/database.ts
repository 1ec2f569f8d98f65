// The database secrets engine: roles and leased dynamic credentials (README §6.1;
// database-creds.full-wire.DERIVED.response.json).
import { parseDurationSeconds } from './clock.ts';
import { databasePassword, randomBase62 } from './ids.ts';
import type { LeaseStore } from './leases.ts';
import type { Backend, RequestContext } from './mounts.ts';
import { badRequest, errorReply, listReply, noContent, notFound, ok, stringField, unsupportedOperation, type Reply, type VaultRequest } from './wire.ts';

export interface DatabaseRoleSpec {
  default_ttl: number;
  max_ttl: number;
  db_name?: string;
}

interface StoredRole {
  dbName: string;
  defaultTtl: number;
  maxTtl: number;
  creationStatements: string[];
}

export interface DatabaseDeps {
  leases: LeaseStore;
  onIssued: (value: string) => void;
}

export class DatabaseBackend implements Backend {
  private readonly roles = new Map<string, StoredRole>();
  mountPath = 'database/';

  constructor(private readonly deps: DatabaseDeps) {}

  exists(subpath: string): boolean | undefined {
    const match = /^roles\/(.+)$/.exec(subpath);
    return match === null ? undefined : this.roles.has(match[1] ?? '');
  }

  writeRole(name: string, spec: DatabaseRoleSpec): void {
    this.roles.set(name, { dbName: spec.db_name ?? 'db', defaultTtl: spec.default_ttl, maxTtl: spec.max_ttl, creationStatements: [] });
  }

  handle(request: VaultRequest, context: RequestContext): Reply {
    const subpath = context.subpath;
    const creds = /^creds\/([^/]+)$/.exec(subpath);
    if (creds !== null) {
      if (request.operation !== 'read') return unsupportedOperation();
      return this.issue(creds[1] ?? '', context);
    }
    if (subpath === 'roles' || subpath === 'roles/') {
      return request.operation === 'list' ? listReply([...this.roles.keys()].sort(), 'database') : unsupportedOperation();
    }
    const role = /^roles\/([^/]+)$/.exec(subpath);
    if (role !== null) return this.roleOp(request, role[1] ?? '');
    return errorReply(404, 'unsupported path');
  }

  private issue(roleName: string, context: RequestContext): Reply {
    const role = this.roles.get(roleName);
    if (role === undefined) return badRequest(`unknown role: ${roleName}`);
    const lease = this.deps.leases.create(`${context.mount.path}creds/${roleName}`, {
      ttl: role.defaultTtl, maxTtl: role.maxTtl, renewable: true, tokenId: context.token?.id,
    });
    const password = databasePassword();
    const username = `v-kubernetes-${roleName}-${randomBase62(20)}`;
    this.deps.onIssued(password);
    return ok({
      leaseId: lease.id, renewable: true, leaseDuration: this.deps.leases.ttl(lease),
      data: { password, username }, mountType: 'database',
    });
  }

  private roleOp(request: VaultRequest, name: string): Reply {
    switch (request.operation) {
      case 'read': {
        const role = this.roles.get(name);
        if (role === undefined) return notFound();
        return ok({
          data: {
            creation_statements: [...role.creationStatements], credential_type: 'password', db_name: role.dbName,
            default_ttl: role.defaultTtl, max_ttl: role.maxTtl, renew_statements: [], revocation_statements: [], rollback_statements: [],
          },
          mountType: 'database',
        });
      }
      case 'create':
      case 'update': {
        const defaultTtl = parseDurationSeconds(request.body['default_ttl']);
        const maxTtl = parseDurationSeconds(request.body['max_ttl']);
        if (defaultTtl === undefined || maxTtl === undefined) return badRequest('invalid ttl');
        const dbName = stringField(request.body, 'db_name');
        if (dbName === undefined || dbName === '') return badRequest('empty database name attribute');
        const statements = request.body['creation_statements'];
        this.roles.set(name, {
          dbName, defaultTtl, maxTtl,
          creationStatements: Array.isArray(statements) ? statements.map(String) : typeof statements === 'string' ? [statements] : [],
        });
        return noContent();
      }
      case 'delete':
        this.roles.delete(name);
        return noContent();
      default:
        return unsupportedOperation();
    }
  }
}
