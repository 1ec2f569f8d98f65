// Token store: service tokens with TTL and max TTL that expire by the injected clock.
import { formatRfc3339, goDuration, unixSeconds, type Clock } from './clock.ts';
import { accessorId, serviceToken } from './ids.ts';
import type { AuthBlock } from './wire.ts';

/** Vault's system defaults: default_lease_ttl = max_lease_ttl = 768h. */
export const systemDefaultTtl = 2_764_800;
export const systemMaxTtl = 2_764_800;

export interface TokenEntry {
  readonly id: string;
  readonly accessor: string;
  /** Token policies, sorted, `default` included unless no_default_policy (README §2.1). */
  readonly policies: readonly string[];
  readonly metadata: Readonly<Record<string, string>> | null;
  readonly displayName: string;
  readonly path: string;
  readonly entityId: string;
  readonly createdAt: number;
  readonly creationTtl: number;
  /** undefined = never expires (root). */
  expireAt: number | undefined;
  readonly maxExpireAt: number | undefined;
  readonly renewable: boolean;
  readonly orphan: boolean;
  readonly parent: string | undefined;
  /** TTL used when a renewal asks for increment 0 (the role's token_ttl or the default). */
  readonly defaultRenewTtl: number;
  /** Returns an error text when the token's auth method no longer allows renewal (role deleted). */
  readonly renewCheck: (() => string | undefined) | undefined;
  lastRenewal: number | undefined;
  revoked: boolean;
}

export interface NewToken {
  policies: readonly string[];
  metadata?: Readonly<Record<string, string>> | null;
  displayName: string;
  path: string;
  entityId?: string;
  /** Seconds; 0 means the system default. */
  ttl: number;
  /** Seconds; 0 means the system max. */
  maxTtl: number;
  renewable?: boolean;
  orphan?: boolean;
  parent?: string;
  renewCheck?: () => string | undefined;
}

export type RenewResult = { ok: true; entry: TokenEntry; ttl: number; warnings: string[] } | { ok: false; status: number; message: string };

export class TokenStore {
  private readonly byId = new Map<string, TokenEntry>();
  private readonly byAccessor = new Map<string, TokenEntry>();

  constructor(private readonly now: Clock, private readonly onIssued: (value: string) => void) {}

  createRoot(): TokenEntry {
    const entry = this.insert({
      id: serviceToken(), accessor: accessorId(), policies: ['root'], metadata: null, displayName: 'root',
      path: 'auth/token/root', entityId: '', createdAt: this.now(), creationTtl: 0, expireAt: undefined,
      maxExpireAt: undefined, renewable: false, orphan: true, parent: undefined, defaultRenewTtl: 0,
      renewCheck: undefined, lastRenewal: undefined, revoked: false,
    });
    return entry;
  }

  create(spec: NewToken): { entry: TokenEntry; warnings: string[] } {
    const now = this.now();
    const maxTtl = spec.maxTtl > 0 ? Math.min(spec.maxTtl, systemMaxTtl) : systemMaxTtl;
    const requested = spec.ttl > 0 ? spec.ttl : systemDefaultTtl;
    const warnings: string[] = [];
    let ttl = requested;
    if (requested > maxTtl) {
      ttl = maxTtl;
      warnings.push(cappedWarning(requested, maxTtl));
    }
    const entry = this.insert({
      id: serviceToken(), accessor: accessorId(), policies: [...spec.policies], metadata: spec.metadata ?? null,
      displayName: spec.displayName, path: spec.path, entityId: spec.entityId ?? '', createdAt: now, creationTtl: ttl,
      expireAt: now + ttl * 1000, maxExpireAt: now + maxTtl * 1000, renewable: spec.renewable ?? true,
      orphan: spec.orphan ?? false, parent: spec.parent, defaultRenewTtl: spec.ttl > 0 ? spec.ttl : systemDefaultTtl,
      renewCheck: spec.renewCheck, lastRenewal: undefined, revoked: false,
    });
    return { entry, warnings };
  }

  private insert(entry: TokenEntry): TokenEntry {
    this.byId.set(entry.id, entry);
    this.byAccessor.set(entry.accessor, entry);
    this.onIssued(entry.id);
    return entry;
  }

  /** The live entry for a token (undefined if unknown, revoked, expired, or its parent is gone). */
  lookup(id: string | undefined): TokenEntry | undefined {
    if (id === undefined || id === '') return undefined;
    const entry = this.byId.get(id);
    if (entry === undefined || !this.isLive(entry)) return undefined;
    return entry;
  }

  isLiveId(id: string | undefined): boolean {
    return this.lookup(id) !== undefined;
  }

  private isLive(entry: TokenEntry): boolean {
    if (entry.revoked) return false;
    if (entry.expireAt !== undefined && entry.expireAt <= this.now()) return false;
    // Vault revokes a token's children with it.
    if (entry.parent !== undefined) {
      const parent = this.byId.get(entry.parent);
      if (parent === undefined || !this.isLive(parent)) return false;
    }
    return true;
  }

  /** Revokes by token id or accessor. Returns whether a token was found. */
  revoke(idOrAccessor: string): boolean {
    const entry = this.byId.get(idOrAccessor) ?? this.byAccessor.get(idOrAccessor);
    if (entry === undefined) return false;
    entry.revoked = true;
    return true;
  }

  /** Remaining TTL in whole seconds (0 for tokens without expiry). */
  remainingTtl(entry: TokenEntry): number {
    if (entry.expireAt === undefined) return 0;
    return Math.max(0, Math.floor((entry.expireAt - this.now()) / 1000));
  }

  /** auth/token/renew-self: new TTL counted from now, capped at the max TTL (README §4.2). */
  renew(entry: TokenEntry, increment: number): RenewResult {
    if (!entry.renewable || entry.expireAt === undefined || entry.maxExpireAt === undefined) {
      return { ok: false, status: 400, message: 'lease is not renewable' };
    }
    const refusal = entry.renewCheck?.();
    // A plain error from the plugin's renew handler surfaces as 500 (not a coded error).
    if (refusal !== undefined) return { ok: false, status: 500, message: refusal };
    const now = this.now();
    if (entry.maxExpireAt <= now) return { ok: false, status: 400, message: 'past the max TTL, cannot renew' };
    const proposed = increment > 0 ? increment : entry.defaultRenewTtl;
    const left = Math.floor((entry.maxExpireAt - now) / 1000);
    const warnings: string[] = [];
    let ttl = proposed;
    if (proposed > left) {
      ttl = left;
      warnings.push(cappedWarning(proposed, left));
    }
    entry.expireAt = now + ttl * 1000;
    entry.lastRenewal = now;
    return { ok: true, entry, ttl, warnings };
  }

  authBlock(entry: TokenEntry, leaseDuration: number): AuthBlock {
    return {
      client_token: entry.id,
      accessor: entry.accessor,
      policies: [...entry.policies],
      token_policies: [...entry.policies],
      metadata: entry.metadata === null ? null : { ...entry.metadata },
      lease_duration: leaseDuration,
      renewable: entry.renewable,
      entity_id: entry.entityId,
      token_type: 'service',
      orphan: entry.orphan,
      mfa_requirement: null,
      num_uses: 0,
    };
  }

  /** auth/token/lookup-self `data` (token-lookup-self.response.json plus `type`, README §4.1). */
  lookupData(entry: TokenEntry): Record<string, unknown> {
    const data: Record<string, unknown> = {
      accessor: entry.accessor,
      creation_time: unixSeconds(entry.createdAt),
      creation_ttl: entry.creationTtl,
      display_name: entry.displayName,
      entity_id: entry.entityId,
      expire_time: entry.expireAt === undefined ? null : formatRfc3339(entry.expireAt),
      explicit_max_ttl: 0,
      id: entry.id,
      issue_time: formatRfc3339(entry.createdAt),
      meta: entry.metadata === null ? null : { ...entry.metadata },
      num_uses: 0,
      orphan: entry.orphan,
      path: entry.path,
      policies: [...entry.policies],
      renewable: entry.renewable,
      ttl: this.remainingTtl(entry),
      type: 'service',
    };
    if (entry.lastRenewal !== undefined) {
      data['last_renewal'] = formatRfc3339(entry.lastRenewal);
      data['last_renewal_time'] = unixSeconds(entry.lastRenewal);
    }
    return data;
  }

  all(): TokenEntry[] {
    return [...this.byId.values()];
  }
}

/** sdk/framework CalculateTTL's warning (README §4.2), durations in Go's String() form. */
export function cappedWarning(requestedSeconds: number, allowedSeconds: number): string {
  return `TTL of ${JSON.stringify(goDuration(requestedSeconds))} exceeded the effective max_ttl of ${JSON.stringify(goDuration(allowedSeconds))}; TTL value is capped accordingly`;
}

/** Policies as Vault sanitizes them: trimmed, lowercased, deduplicated, sorted, `default` added. */
export function sanitizePolicies(policies: readonly string[], addDefault: boolean): string[] {
  const set = new Set(policies.map((policy) => policy.trim().toLowerCase()).filter((policy) => policy !== ''));
  if (set.has('root')) return ['root'];
  if (addDefault) set.add('default');
  return [...set].sort();
}
