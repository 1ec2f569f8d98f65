// The database secrets engine: roles and leased dynamic credentials (README §6.1;
// database-creds.full-wire.DERIVED.response.json).
import { formatRfc3339, parseDurationSeconds } from './clock.ts';
import { databasePassword, randomBase62 } from './ids.ts';
import type { LeaseStore } from './leases.ts';
import type { Backend, RequestContext } from './mounts.ts';
import { badRequest, errorReply, listReply, noContent, notFound, ok, stringField, unsupportedOperation, type Reply, type VaultRequest } from './wire.ts';

export interface DatabaseRoleSpec {
  default_ttl: number;
  max_ttl: number;
  db_name?: string;
}

export interface DatabaseStaticRoleSpec {
  username: string;
  /** Seconds between password rotations. */
  rotation_period: number;
}

interface StaticRole {
  username: string;
  rotationPeriod: number;
  createdAt: number;
  /** Password per rotation number (rotation n covers [createdAt + n*period, createdAt + (n+1)*period)). */
  passwords: Map<number, string>;
}

interface StoredRole {
  dbName: string;
  defaultTtl: number;
  maxTtl: number;
  creationStatements: string[];
}

export interface DatabaseDeps {
  now: () => number;
  leases: LeaseStore;
  onIssued: (value: string) => void;
}

export class DatabaseBackend implements Backend {
  private readonly roles = new Map<string, StoredRole>();
  private readonly staticRoles = new Map<string, StaticRole>();
  mountPath = 'database/';

  constructor(private readonly deps: DatabaseDeps) {}

  exists(subpath: string): boolean | undefined {
    const match = /^roles\/(.+)$/.exec(subpath);
    return match === null ? undefined : this.roles.has(match[1] ?? '');
  }

  writeRole(name: string, spec: DatabaseRoleSpec): void {
    this.roles.set(name, { dbName: spec.db_name ?? 'db', defaultTtl: spec.default_ttl, maxTtl: spec.max_ttl, creationStatements: [] });
  }

  writeStaticRole(name: string, spec: DatabaseStaticRoleSpec): void {
    this.staticRoles.set(name, { username: spec.username, rotationPeriod: spec.rotation_period, createdAt: this.deps.now(), passwords: new Map() });
  }

  handle(request: VaultRequest, context: RequestContext): Reply {
    const subpath = context.subpath;
    const staticCreds = /^static-creds\/([^/]+)$/.exec(subpath);
    if (staticCreds !== null) {
      if (request.operation !== 'read') return unsupportedOperation();
      return this.staticCreds(staticCreds[1] ?? '');
    }
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

  /**
   * database/static-creds/<name> (database-static-creds.response.json): no lease; `ttl` counts down to
   * the next rotation, when the password changes (rotations happen by the injected clock).
   */
  private staticCreds(name: string): Reply {
    const role = this.staticRoles.get(name);
    if (role === undefined) return badRequest(`unknown role: ${name}`);
    const elapsed = Math.max(0, Math.floor((this.deps.now() - role.createdAt) / 1000));
    const rotation = role.rotationPeriod > 0 ? Math.floor(elapsed / role.rotationPeriod) : 0;
    let password = role.passwords.get(rotation);
    if (password === undefined) {
      password = databasePassword();
      role.passwords.set(rotation, password);
    }
    this.deps.onIssued(password);
    const lastRotation = role.createdAt + rotation * role.rotationPeriod * 1000;
    return ok({
      data: {
        last_vault_rotation: formatRfc3339(lastRotation),
        password,
        rotation_period: role.rotationPeriod,
        ttl: role.rotationPeriod > 0 ? role.rotationPeriod - (elapsed % role.rotationPeriod) : 0,
        username: role.username,
      },
      mountType: 'database',
    });
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
