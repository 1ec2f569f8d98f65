// The system backend paths the double serves: ACL policies, leases, mounts listing,
// sys/internal/ui/mounts and sys/health (README §5, §7, §9, §11).
import type { Acl } from './acl.ts';
import type { Clock } from './clock.ts';
import { parseDurationSeconds, unixSeconds } from './clock.ts';
import { hex, uuid } from './ids.ts';
import type { LeaseStore } from './leases.ts';
import type { Backend, MountEntry, MountTable, RequestContext } from './mounts.ts';
import type { PolicyStore } from './policies.ts';
import type { WrappingStore } from './wrapping.ts';
import { badRequest, errorReply, listReply, noContent, notFound, ok, stringField, unsupportedOperation, type Reply, type VaultRequest } from './wire.ts';

export interface SysDeps {
  now: Clock;
  wrapping: WrappingStore;
  policies: PolicyStore;
  leases: LeaseStore;
  mounts: MountTable;
}

const writes = new Set(['create', 'update']);

/** Paths under sys/ that need `sudo` in addition to the operation's capability. */
export function sysNeedsSudo(subpath: string): boolean {
  return subpath.startsWith('leases/revoke-prefix/') || subpath.startsWith('leases/revoke-force/') || subpath.startsWith('revoke-prefix/');
}

export class SysBackend implements Backend {
  constructor(private readonly deps: SysDeps) {}

  /** sys/wrapping/lookup needs no token (the wrapping token is the credential). */
  unauthenticated(subpath: string): boolean {
    return subpath === 'wrapping/lookup';
  }

  exists(subpath: string): boolean | undefined {
    const match = /^(?:policies\/acl|policy)\/(.+)$/.exec(subpath);
    return match === null ? undefined : this.deps.policies.read(match[1] ?? '') !== undefined;
  }

  handle(request: VaultRequest, context: RequestContext): Reply {
    const subpath = context.subpath;
    if (subpath === 'policies/acl' || subpath === 'policies/acl/') {
      return request.operation === 'list' ? listReply(this.deps.policies.names(), 'system') : unsupportedOperation();
    }
    const acl = /^policies\/acl\/(.+)$/.exec(subpath);
    if (acl !== null) return this.policyOp(request, acl[1] ?? '', 'acl');
    if (subpath === 'policy' || subpath === 'policy/') {
      if (request.operation !== 'read' && request.operation !== 'list') return unsupportedOperation();
      const keys = this.deps.policies.names();
      return injected({ keys, policies: keys });
    }
    const legacy = /^policy\/(.+)$/.exec(subpath);
    if (legacy !== null) return this.policyOp(request, legacy[1] ?? '', 'legacy');
    const wrapping = /^wrapping\/(wrap|unwrap|lookup)$/.exec(subpath);
    if (wrapping !== null) return this.wrappingOp(request, context, wrapping[1] as 'wrap' | 'unwrap' | 'lookup');
    const lease = /^(?:leases\/(renew|revoke|lookup)|(renew|revoke))(?:\/(.+))?$/.exec(subpath);
    if (lease !== null) return this.leaseOp(request, (lease[1] ?? lease[2] ?? '') as 'renew' | 'revoke' | 'lookup', lease[3]);
    const prefix = /^(?:leases\/revoke-prefix|revoke-prefix)\/(.+)$/.exec(subpath);
    if (prefix !== null) {
      if (!writes.has(request.operation)) return unsupportedOperation();
      this.deps.leases.revokePrefix(prefix[1] ?? '');
      return noContent();
    }
    if (subpath === 'mounts' || subpath === 'auth') {
      if (request.operation !== 'read') return unsupportedOperation();
      const auth = subpath === 'auth';
      const listing: Record<string, unknown> = {};
      for (const mount of this.deps.mounts.all()) {
        if (mount.path.startsWith('auth/') !== auth) continue;
        listing[auth ? mount.path.slice('auth/'.length) : mount.path] = mountInfo(mount);
      }
      return injected(listing);
    }
    return errorReply(404, `unsupported path`);
  }

  private wrappingOp(request: VaultRequest, context: RequestContext, op: 'wrap' | 'unwrap' | 'lookup'): Reply {
    if (!writes.has(request.operation)) return unsupportedOperation();
    const bodyToken = stringField(request.body, 'token');
    if (op === 'unwrap') return this.deps.wrapping.unwrap(bodyToken ?? context.token?.id);
    if (op === 'lookup') {
      const found = this.deps.wrapping.lookup(bodyToken);
      return found.ok ? ok({ data: found.data, mountType: 'system' }) : found.reply;
    }
    // The router wraps this answer (it needs X-Vault-Wrap-TTL); without the header it is an error.
    return request.wrapTtl === undefined ? badRequest('must specify a wrapping TTL') : ok({ data: { ...request.body }, mountType: 'system' });
  }

  private policyOp(request: VaultRequest, name: string, form: 'acl' | 'legacy'): Reply {
    switch (request.operation) {
      case 'read': {
        const policy = this.deps.policies.read(name);
        if (policy === undefined) return notFound();
        return form === 'acl'
          ? ok({ data: { name: policy.name, policy: policy.text }, mountType: 'system' })
          : injected({ name: policy.name, rules: policy.text });
      }
      case 'create':
      case 'update': {
        const text = stringField(request.body, 'policy') ?? (form === 'legacy' ? stringField(request.body, 'rules') : undefined);
        if (text === undefined || text.trim() === '') return badRequest("'policy' parameter not supplied or empty");
        const result = this.deps.policies.write(name, text);
        return result.ok ? noContent() : badRequest(result.error);
      }
      case 'delete': {
        const result = this.deps.policies.delete(name);
        return result.ok ? noContent() : badRequest(result.error);
      }
      default:
        return unsupportedOperation();
    }
  }

  private leaseOp(request: VaultRequest, op: 'renew' | 'revoke' | 'lookup', pathLeaseId: string | undefined): Reply {
    if (!writes.has(request.operation)) return unsupportedOperation();
    // The body wins over the path form (README §5.1).
    const leaseId = stringField(request.body, 'lease_id') ?? (op === 'lookup' ? undefined : pathLeaseId) ?? '';
    if (leaseId === '') return badRequest('lease_id must be specified');
    if (op === 'lookup') {
      const lease = this.deps.leases.get(leaseId);
      return lease === undefined ? badRequest('invalid lease') : ok({ data: this.deps.leases.lookupData(lease), mountType: 'system' });
    }
    if (op === 'revoke') {
      this.deps.leases.revoke(leaseId);
      // `sync` defaults to true (Vault's and OpenBao's API schema; OpenBao answers 204, checked by
      // contract.test.ts): revoked inline, 204; sync=false queues it and answers 202 with no body.
      const queued = request.body['sync'] === false || request.body['sync'] === 'false';
      return queued ? { status: 202 } : noContent();
    }
    const increment = parseDurationSeconds(request.body['increment']);
    if (increment === undefined) return badRequest(`invalid increment: ${JSON.stringify(request.body['increment'])}`);
    const result = this.deps.leases.renew(leaseId, increment);
    if (!result.ok) return badRequest(result.message);
    return ok({ leaseId: result.lease.id, renewable: result.lease.renewable, leaseDuration: result.ttl, warnings: result.warnings, mountType: 'system' });
  }
}

/** sys/ responses on Vault's "sys injector" list carry their data keys at the top level too. */
function injected(data: Record<string, unknown>): Reply {
  const reply = ok({ data, mountType: 'system' });
  return { ...reply, body: { ...data, ...(reply.body as Record<string, unknown>) } };
}

/** The version built-in plugins report (Vault's own version; any fixed value does). */
const BUILTIN_PLUGIN_VERSION = '1.19.0';

export function mountInfo(mount: MountEntry): Record<string, unknown> {
  return {
    accessor: mount.accessor,
    config: { default_lease_ttl: 0, force_no_cache: false, max_lease_ttl: 0 },
    deprecation_status: 'supported',
    description: mount.description,
    external_entropy_access: false,
    local: mount.local,
    options: mount.options === null ? null : { ...mount.options },
    path: mount.path,
    // Plugin versioning fields of every mount entry since Vault 1.12 (and in OpenBao): built-in
    // plugins report an empty plugin_version and a `+builtin` running version.
    plugin_version: '',
    running_plugin_version: `v${BUILTIN_PLUGIN_VERSION}+builtin.vault`,
    running_sha256: '',
    seal_wrap: false,
    type: mount.type,
    uuid: mount.uuid,
  };
}

/**
 * GET sys/internal/ui/mounts/<path> (sys-internal-ui-mounts-path.response.json, enveloped as with a
 * token). No mount, or no access to it → 403 with Vault's preflight message.
 */
export function uiMountReply(path: string, mounts: MountTable, acl: Acl | 'root'): Reply {
  const mount = mounts.route(path);
  const denied = errorReply(403, `preflight capability check returned 403, please ensure client's policies grant access to path ${JSON.stringify(path.endsWith('/') ? path : `${path}/`)}`);
  if (mount === undefined || mount.path === 'sys/') return denied;
  if (acl !== 'root' && !acl.hasMountAccess(mount.path)) return denied;
  return ok({ data: mountInfo(mount), mountType: 'system' });
}

export interface HealthState {
  sealed: boolean;
  clusterName: string;
  clusterId: string;
  version: string;
}

export function newHealthState(): HealthState {
  return { sealed: false, clusterName: `vault-cluster-${hex(4)}`, clusterId: uuid(), version: '1.20.4' };
}

/** GET|HEAD sys/health (sys-health.response.json; README §7): status by state and *code params. */
export function healthReply(method: string, query: URLSearchParams, state: HealthState, now: number): Reply {
  const code = (name: string, fallback: number): number | string => {
    const raw = query.get(name);
    if (raw === null) return fallback;
    const parsed = Number(raw);
    return Number.isInteger(parsed) ? parsed : `bad code value`;
  };
  const active = code('activecode', 200);
  const sealed = code('sealedcode', 503);
  if (typeof active === 'string' || typeof sealed === 'string') return badRequest(`bad code value`);
  for (const name of ['standbycode', 'drsecondarycode', 'performancestandbycode', 'uninitcode', 'removedcode', 'haunhealthycode']) {
    if (typeof code(name, 0) === 'string') return badRequest(`bad code value`);
  }
  const body: Record<string, unknown> = {
    clock_skew_ms: 0,
    ...(state.sealed ? {} : { cluster_id: state.clusterId, cluster_name: state.clusterName }),
    echo_duration_ms: 0,
    enterprise: false,
    initialized: true,
    performance_standby: false,
    replication_dr_mode: 'disabled',
    replication_performance_mode: 'disabled',
    sealed: state.sealed,
    server_time_utc: unixSeconds(now),
    standby: state.sealed,
    version: state.version,
  };
  const status = state.sealed ? sealed : active;
  return method === 'HEAD' ? { status } : { status, body };
}
