// Lease store for dynamic secrets (database creds, PKI with generate_lease). Leases expire by the
// injected clock and die with the token that created them, as Vault revokes them.
import { formatRfc3339, type Clock } from './clock.ts';
import { uuid } from './ids.ts';
import { cappedWarning, systemDefaultTtl, systemMaxTtl } from './tokens.ts';

export interface Lease {
  readonly id: string;
  readonly issuedAt: number;
  expireAt: number;
  readonly maxExpireAt: number;
  readonly renewable: boolean;
  readonly defaultTtl: number;
  readonly tokenId: string | undefined;
  lastRenewal: number | undefined;
  revoked: boolean;
}

export type LeaseRenewal = { ok: true; lease: Lease; ttl: number; warnings: string[] } | { ok: false; message: string };

export class LeaseStore {
  private readonly leases = new Map<string, Lease>();

  constructor(private readonly now: Clock, private readonly tokenIsLive: (token: string | undefined) => boolean) {}

  /** `path` is the creating request path (database/creds/app): lease ids are prefixed by it. */
  create(path: string, spec: { ttl: number; maxTtl: number; renewable: boolean; tokenId: string | undefined }): Lease {
    const now = this.now();
    const maxTtl = spec.maxTtl > 0 ? Math.min(spec.maxTtl, systemMaxTtl) : systemMaxTtl;
    const ttl = Math.min(spec.ttl > 0 ? spec.ttl : systemDefaultTtl, maxTtl);
    const lease: Lease = {
      id: `${path}/${uuid()}`, issuedAt: now, expireAt: now + ttl * 1000, maxExpireAt: now + maxTtl * 1000,
      renewable: spec.renewable, defaultTtl: ttl, tokenId: spec.tokenId, lastRenewal: undefined, revoked: false,
    };
    this.leases.set(lease.id, lease);
    return lease;
  }

  /** The live lease, or undefined (unknown, revoked, expired, or its token is gone). */
  get(id: string): Lease | undefined {
    const lease = this.leases.get(id);
    if (lease === undefined || lease.revoked) return undefined;
    if (lease.expireAt <= this.now()) return undefined;
    if (lease.tokenId !== undefined && !this.tokenIsLive(lease.tokenId)) return undefined;
    return lease;
  }

  ttl(lease: Lease): number {
    return Math.max(0, Math.floor((lease.expireAt - this.now()) / 1000));
  }

  /** sys/leases/renew: increment from now, capped at the lease's max TTL (README §5.1). */
  renew(id: string, increment: number): LeaseRenewal {
    const lease = this.get(id);
    if (lease === undefined) return { ok: false, message: 'lease not found' };
    if (!lease.renewable) return { ok: false, message: 'lease is not renewable' };
    const now = this.now();
    const left = Math.floor((lease.maxExpireAt - now) / 1000);
    if (left <= 0) return { ok: false, message: 'past the max TTL, cannot renew' };
    const proposed = increment > 0 ? increment : lease.defaultTtl;
    const warnings: string[] = [];
    let ttl = proposed;
    if (proposed > left) {
      ttl = left;
      warnings.push(cappedWarning(proposed, left));
    }
    lease.expireAt = now + ttl * 1000;
    lease.lastRenewal = now;
    return { ok: true, lease, ttl, warnings };
  }

  /** Returns whether a live lease was revoked (revoking an unknown lease is not an error in Vault). */
  revoke(id: string): boolean {
    const lease = this.get(id);
    if (lease === undefined) return false;
    lease.revoked = true;
    return true;
  }

  revokePrefix(prefix: string): number {
    let count = 0;
    for (const id of this.leases.keys()) if (id.startsWith(prefix) && this.revoke(id)) count++;
    return count;
  }

  /** sys/leases/lookup `data` (README §5.3: the code's field names). */
  lookupData(lease: Lease): Record<string, unknown> {
    return {
      id: lease.id,
      issue_time: formatRfc3339(lease.issuedAt),
      expire_time: formatRfc3339(lease.expireAt),
      last_renewal: lease.lastRenewal === undefined ? null : formatRfc3339(lease.lastRenewal),
      // The path that created the lease: its id without the random last segment.
      path: lease.id.slice(0, Math.max(0, lease.id.lastIndexOf('/'))),
      renewable: lease.renewable,
      ttl: this.ttl(lease),
    };
  }

  all(): Lease[] {
    return [...this.leases.values()];
  }
}
