// The lease cache of the agent's listener, as a pure state machine: no sockets, no timers, the
// clock and randomness passed in. The rules are Vault Agent's (command/agentproxyshared/cache/
// lease_cache.go), read for behaviour:
// - only a 2xx JSON answer carrying a renewable lease (lease_id) or a renewable token (auth) is
//   cached; anything else passes through (KV reads, lookups, errors, non-renewable secrets);
// - a lease is cached only when the token that asked is one the agent manages (the auto-auth
//   token, or a token it cached); a non-orphan token only when its parent is managed;
// - cached leases and tokens are renewed while they last (the LifetimeWatcher rule in timing.ts),
//   and evicted when renewal fails or stops extending them, when they expire, or when a revocation
//   goes through the proxy; evicting a token evicts its leases and child tokens with it.
// The shell (listener/) sends the requests, renews on schedule and reports back.
import { planRenewal, renewalGraceMs } from '../timing.ts';

export interface StoredResponse {
  status: number;
  headers: Record<string, string | string[]>;
  body: Buffer;
  /** When Vault sent it (for the Age header of a hit). */
  receivedAtMs: number;
}

export interface CacheEntry {
  id: string;
  kind: 'lease' | 'token';
  /** Path without the query, e.g. `/v1/database/creds/app`. */
  requestPath: string;
  /** The X-Vault-Namespace of the request, `root/` without one. */
  namespace: string;
  /** Undefined for the auto-auth token, which the agent registers but never fetched here. */
  response: StoredResponse | undefined;
  /** lease entries: the lease and the token it belongs to. */
  lease: string | undefined;
  leaseToken: string | undefined;
  /** token entries. */
  token: string | undefined;
  tokenAccessor: string | undefined;
  tokenParent: string | undefined;
  leaseDurationMs: number;
  lastRenewedMs: number;
  graceMs: number;
  /** When the shell should renew it; undefined when the agent renews it elsewhere (auto-auth token). */
  renewAtMs: number | undefined;
}

export interface ResponseFacts {
  status: number;
  contentType: string | undefined;
  body: Buffer;
}

export type Outcome =
  | { action: 'pass'; reason: string }
  | { action: 'revocation'; evicted: number }
  | { action: 'cached'; entry: CacheEntry };

export interface RequestFacts {
  method: string;
  path: string;
  namespace: string | undefined;
  body: Buffer;
  token: string;
}

/** The due work the shell must do: renew a lease with its token, or a token as itself. */
export type Renewal =
  | { id: string; kind: 'lease'; lease: string; token: string; incrementSeconds: number }
  | { id: string; kind: 'token'; token: string; incrementSeconds: number };

export type ClearRequest =
  | { type: 'all' }
  | { type: 'request_path'; namespace: string | undefined; path: string }
  | { type: 'token'; value: string }
  | { type: 'token_accessor'; value: string }
  | { type: 'lease'; value: string };

interface SecretShape {
  lease_id?: unknown;
  renewable?: unknown;
  lease_duration?: unknown;
  auth?: { client_token?: unknown; accessor?: unknown; renewable?: unknown; lease_duration?: unknown; orphan?: unknown } | null;
}

const PATHS = {
  tokenRevoke: '/v1/auth/token/revoke',
  tokenRevokeSelf: '/v1/auth/token/revoke-self',
  tokenRevokeAccessor: '/v1/auth/token/revoke-accessor',
  tokenRevokeOrphan: '/v1/auth/token/revoke-orphan',
  tokenLookup: '/v1/auth/token/lookup',
  tokenLookupSelf: '/v1/auth/token/lookup-self',
  tokenRenew: '/v1/auth/token/renew',
  tokenRenewSelf: '/v1/auth/token/renew-self',
  leaseRevoke: '/v1/sys/leases/revoke',
  leaseRevokeForce: '/v1/sys/leases/revoke-force',
  leaseRevokePrefix: '/v1/sys/leases/revoke-prefix',
} as const;

const REVOCATION_PATHS = [PATHS.tokenRevoke, PATHS.tokenRevokeSelf, PATHS.tokenRevokeAccessor, PATHS.tokenRevokeOrphan, PATHS.leaseRevoke, PATHS.leaseRevokeForce, PATHS.leaseRevokePrefix, PATHS.tokenLookup, PATHS.tokenLookupSelf, PATHS.tokenRenew, PATHS.tokenRenewSelf]
  .map((path) => path.slice('/v1'.length));

/**
 * `/v1/ns1/sys/leases/revoke` → `/v1/sys/leases/revoke`: the namespace may be in the path as well
 * as in the header (deriveNamespaceAndRevocationPath).
 */
export function apiPathOf(path: string): string {
  const unversioned = path.startsWith('/v1') ? path.slice(3) : path;
  for (const known of REVOCATION_PATHS) {
    const index = unversioned.indexOf(known);
    if (index > 0) return `/v1${unversioned.slice(index)}`;
    if (index === 0) break;
  }
  return `/v1${unversioned}`;
}

function parseJson(body: Buffer): Record<string, unknown> | undefined {
  try {
    const parsed = JSON.parse(body.toString('utf8')) as unknown;
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

const stringField = (body: Buffer, field: string): string | undefined => {
  const value = parseJson(body)?.[field];
  return typeof value === 'string' ? value : undefined;
};

const seconds = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : 0);

export class LeaseCacheCore {
  private readonly entries = new Map<string, CacheEntry>();

  constructor(private readonly clock: { now: () => number; random: () => number }) {}

  get size(): number {
    return this.entries.size;
  }

  all(): CacheEntry[] {
    return [...this.entries.values()];
  }

  private byToken(token: string): CacheEntry | undefined {
    if (token === '') return undefined;
    for (const entry of this.entries.values()) if (entry.kind === 'token' && entry.token === token) return entry;
    return undefined;
  }

  /** A stored answer for this key, unless it has outlived its lease (then it is evicted). */
  lookup(id: string): CacheEntry | undefined {
    const entry = this.entries.get(id);
    if (entry === undefined || entry.response === undefined) return undefined;
    if (this.expired(entry)) {
      this.evict(entry);
      return undefined;
    }
    return entry;
  }

  private expired(entry: CacheEntry): boolean {
    return entry.leaseDurationMs > 0 && this.clock.now() - entry.lastRenewedMs > entry.leaseDurationMs;
  }

  /** The auto-auth token: leases read with it are cached (RegisterAutoAuthToken). */
  registerAutoAuthToken(token: string): void {
    if (this.byToken(token) !== undefined) return;
    const id = `auto-auth:${this.entries.size}:${Math.floor(this.clock.random() * 1e9)}`;
    this.entries.set(id, {
      id, kind: 'token', requestPath: '', namespace: '', response: undefined, lease: undefined, leaseToken: undefined,
      token, tokenAccessor: undefined, tokenParent: undefined, leaseDurationMs: 0, lastRenewedMs: this.clock.now(), graceMs: 0, renewAtMs: undefined,
    });
  }

  /** What to do with Vault's answer to a request that missed the cache; stores it when cacheable. */
  admit(id: string, request: RequestFacts, response: ResponseFacts): Outcome {
    if (response.status < 200 || response.status >= 300 || response.contentType?.split(';')[0]?.trim() !== 'application/json') {
      return { action: 'pass', reason: 'not a 2xx JSON answer' };
    }
    // Vault answers a revocation 204 (still labelled application/json): evict what it revoked.
    const revoked = response.status === 204 ? this.revocation(request) : undefined;
    if (revoked !== undefined) return { action: 'revocation', evicted: revoked };
    const secret = parseJson(response.body) as SecretShape | undefined;
    if (secret === undefined) return { action: 'pass', reason: 'no secret in the answer' };
    const auth = typeof secret.auth === 'object' && secret.auth !== null ? secret.auth : undefined;
    const leaseId = typeof secret.lease_id === 'string' ? secret.lease_id : '';
    if (secret.renewable !== true && auth?.renewable !== true) return { action: 'pass', reason: 'not renewable' };

    const now = this.clock.now();
    const base = { id, requestPath: request.path, namespace: request.namespace ?? 'root/', lastRenewedMs: now, response: { status: response.status, headers: {}, body: response.body, receivedAtMs: now } };
    let entry: CacheEntry;
    if (leaseId !== '') {
      if (this.byToken(request.token) === undefined) return { action: 'pass', reason: 'the lease belongs to a token the agent does not manage' };
      const durationMs = seconds(secret.lease_duration) * 1000;
      entry = { ...base, kind: 'lease', lease: leaseId, leaseToken: request.token, token: undefined, tokenAccessor: undefined, tokenParent: undefined, leaseDurationMs: durationMs, graceMs: 0, renewAtMs: undefined };
    } else if (auth !== undefined && typeof auth.client_token === 'string') {
      let parent: string | undefined;
      if (auth.orphan !== true) {
        if (this.byToken(request.token) === undefined) return { action: 'pass', reason: 'the parent token is not managed by the agent' };
        parent = request.token;
      }
      const durationMs = seconds(auth.lease_duration) * 1000;
      entry = {
        ...base, kind: 'token', lease: undefined, leaseToken: undefined, token: auth.client_token,
        tokenAccessor: typeof auth.accessor === 'string' ? auth.accessor : undefined, tokenParent: parent, leaseDurationMs: durationMs, graceMs: 0, renewAtMs: undefined,
      };
    } else {
      return { action: 'pass', reason: 'a secret without lease and token' };
    }
    this.schedule(entry, entry.leaseDurationMs, true);
    this.entries.set(id, entry);
    return { action: 'cached', entry };
  }

  /** Vault's answer headers are kept with the entry, so a hit answers as Vault did. */
  keepHeaders(id: string, headers: Record<string, string | string[]>): void {
    const entry = this.entries.get(id);
    if (entry?.response !== undefined) entry.response.headers = headers;
  }

  private schedule(entry: CacheEntry, remainingMs: number, renewable: boolean): void {
    if (remainingMs <= 0) {
      // No TTL: nothing to renew, never expires.
      entry.renewAtMs = undefined;
      return;
    }
    if (entry.graceMs === 0) entry.graceMs = renewalGraceMs(remainingMs, this.clock.random());
    const plan = renewable ? planRenewal(remainingMs, entry.graceMs) : ({ action: 'replace' } as const);
    entry.renewAtMs = plan.action === 'renew' ? this.clock.now() + plan.afterMs : undefined;
    // A lease that can no longer be extended stays served until it expires, then is evicted.
    if (plan.action === 'replace') entry.renewAtMs = undefined;
  }

  /** Entries whose renewal is due now. */
  due(): Renewal[] {
    const now = this.clock.now();
    const renewals: Renewal[] = [];
    for (const entry of this.entries.values()) {
      if (entry.renewAtMs === undefined || entry.renewAtMs > now) continue;
      entry.renewAtMs = undefined;
      const incrementSeconds = Math.round(entry.leaseDurationMs / 1000);
      if (entry.kind === 'lease' && entry.lease !== undefined && entry.leaseToken !== undefined) renewals.push({ id: entry.id, kind: 'lease', lease: entry.lease, token: entry.leaseToken, incrementSeconds });
      else if (entry.kind === 'token' && entry.token !== undefined) renewals.push({ id: entry.id, kind: 'token', token: entry.token, incrementSeconds });
    }
    return renewals;
  }

  /** The next time the shell must wake: a renewal or an expiry. */
  nextWakeAtMs(): number | undefined {
    let next: number | undefined;
    for (const entry of this.entries.values()) {
      const candidates = [entry.renewAtMs, entry.response !== undefined && entry.leaseDurationMs > 0 ? entry.lastRenewedMs + entry.leaseDurationMs + 1 : undefined];
      for (const at of candidates) if (at !== undefined && (next === undefined || at < next)) next = at;
    }
    return next;
  }

  /** Evicts what has expired (the shell calls it when it wakes). Returns how many. */
  sweep(): number {
    let evicted = 0;
    for (const entry of [...this.entries.values()]) {
      if (entry.response !== undefined && this.entries.has(entry.id) && this.expired(entry)) evicted += this.evict(entry);
    }
    return evicted;
  }

  renewed(id: string, leaseDurationSeconds: number, renewable: boolean): void {
    const entry = this.entries.get(id);
    if (entry === undefined) return;
    entry.lastRenewedMs = this.clock.now();
    const remainingMs = leaseDurationSeconds * 1000;
    entry.leaseDurationMs = remainingMs;
    if (!renewable) {
      this.evict(entry);
      return;
    }
    this.schedule(entry, remainingMs, renewable);
    // planRenewal said "replace": Vault's watcher returns and the entry is evicted.
    if (entry.renewAtMs === undefined && remainingMs > 0) this.evict(entry);
  }

  /** Renewal refused or impossible: the lease or token is gone for the agent (and its children). */
  renewalFailed(id: string): number {
    const entry = this.entries.get(id);
    return entry === undefined ? 0 : this.evict(entry);
  }

  /** Evicts an entry, and for a token everything derived from it. Returns how many were evicted. */
  private evict(entry: CacheEntry): number {
    if (!this.entries.delete(entry.id)) return 0;
    let count = 1;
    if (entry.kind === 'token' && entry.token !== undefined) {
      const token = entry.token;
      for (const other of [...this.entries.values()]) {
        if ((other.kind === 'lease' && other.leaseToken === token) || (other.kind === 'token' && other.tokenParent === token)) count += this.evict(other);
      }
    }
    return count;
  }

  /** The cache-clear API (/agent/v1/cache-clear) and the revocations seen through the proxy. */
  clear(request: ClearRequest): number {
    let count = 0;
    const matching = (test: (entry: CacheEntry) => boolean): void => {
      for (const entry of [...this.entries.values()]) if (this.entries.has(entry.id) && test(entry)) count += this.evict(entry);
    };
    switch (request.type) {
      case 'all':
        count = this.entries.size;
        this.entries.clear();
        break;
      case 'request_path':
        matching((entry) => entry.response !== undefined && entry.namespace === (request.namespace ?? 'root/') && entry.requestPath.startsWith(request.path));
        break;
      case 'token':
        matching((entry) => entry.kind === 'token' && entry.token === request.value);
        break;
      case 'token_accessor':
        matching((entry) => entry.kind === 'token' && entry.tokenAccessor !== undefined && entry.tokenAccessor === request.value);
        break;
      case 'lease':
        matching((entry) => entry.kind === 'lease' && entry.lease === request.value);
        break;
    }
    return count;
  }

  /** A successful revocation through the proxy (204): evict what it revoked. Undefined: not one. */
  private revocation(request: RequestFacts): number | undefined {
    const path = apiPathOf(request.path);
    switch (path) {
      case PATHS.tokenRevoke: {
        const token = stringField(request.body, 'token');
        return token === undefined ? 0 : this.clear({ type: 'token', value: token });
      }
      case PATHS.tokenRevokeSelf:
        return this.clear({ type: 'token', value: request.token });
      case PATHS.tokenRevokeAccessor: {
        const accessor = stringField(request.body, 'accessor');
        return accessor === undefined ? 0 : this.clear({ type: 'token_accessor', value: accessor });
      }
      case PATHS.tokenRevokeOrphan: {
        // The token and its leases go; its children stay, now without a parent.
        const token = stringField(request.body, 'token');
        if (token === undefined) return 0;
        let count = 0;
        for (const entry of [...this.entries.values()]) {
          if (entry.kind === 'lease' && entry.leaseToken === token) count += this.evict(entry);
          if (entry.kind === 'token' && entry.tokenParent === token) entry.tokenParent = undefined;
        }
        const own = this.byToken(token);
        if (own !== undefined) {
          this.entries.delete(own.id);
          count += 1;
        }
        return count;
      }
      case PATHS.leaseRevoke: {
        const lease = stringField(request.body, 'lease_id');
        return lease === undefined ? 0 : this.clear({ type: 'lease', value: lease });
      }
      default:
        break;
    }
    for (const prefixPath of [PATHS.leaseRevokeForce, PATHS.leaseRevokePrefix]) {
      if (!path.startsWith(prefixPath)) continue;
      const prefix = path.slice(prefixPath.length).replace(/^\/+/, '');
      let count = 0;
      for (const entry of [...this.entries.values()]) {
        if (entry.kind === 'lease' && entry.lease !== undefined && entry.lease.startsWith(prefix) && this.entries.has(entry.id)) count += this.evict(entry);
      }
      return count;
    }
    return undefined;
  }

  /** Everything the cache holds, for the persistent cache (cache.persist). */
  snapshot(): PersistedEntry[] {
    return this.all().map((entry) => ({ ...entry, response: entry.response === undefined ? undefined : { ...entry.response, body: entry.response.body.toString('base64') } }));
  }

  /**
   * Loads a snapshot: expired entries are dropped, the rest renewed on their schedule from now.
   * The init agent's auto-auth token comes back too (Vault Agent restores it from its bolt
   * database), with the leases read with it: the sidecar checks it and adopts it, or forgets it
   * (`clear` by token, which takes its leases along) and logs in.
   */
  restore(entries: ReadonlyArray<PersistedEntry>): { restored: number; autoAuthToken: string | undefined } {
    let restored = 0;
    let autoAuthToken: string | undefined;
    // Tokens first: a lease is only kept when its token came back too.
    const ordered = [...entries].sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'token' ? -1 : 1));
    for (const saved of ordered) {
      const entry: CacheEntry = { ...saved, response: saved.response === undefined ? undefined : { ...saved.response, body: Buffer.from(saved.response.body, 'base64') } };
      if (entry.response !== undefined && this.expired(entry)) continue;
      if (entry.kind === 'lease' && (entry.leaseToken === undefined || this.byToken(entry.leaseToken) === undefined)) continue;
      if (entry.response === undefined) {
        // The auto-auth token: the agent renews it (TokenKeeper), the cache only knows it.
        if (entry.kind !== 'token' || entry.token === undefined || entry.token === '' || autoAuthToken !== undefined) continue;
        autoAuthToken = entry.token;
        this.entries.set(entry.id, { ...entry, renewAtMs: undefined });
        continue;
      }
      entry.graceMs = 0;
      this.schedule(entry, Math.max(0, entry.lastRenewedMs + entry.leaseDurationMs - this.clock.now()), true);
      this.entries.set(entry.id, entry);
      restored += 1;
    }
    return { restored, autoAuthToken };
  }
}

export type PersistedEntry = Omit<CacheEntry, 'response'> & { response: (Omit<StoredResponse, 'body'> & { body: string }) | undefined };

/**
 * sanitizeAutoAuthTokenResponse: a lookup or renewal of the agent's own token through the proxy
 * must not hand the app the token itself or its accessor. Returns the body to send instead, or
 * undefined to send Vault's as it is.
 */
export function sanitizeAutoAuthAnswer(request: RequestFacts, autoAuthToken: string | undefined, status: number, body: Buffer): Buffer | undefined {
  if (autoAuthToken === undefined || status !== 200) return undefined;
  const path = apiPathOf(request.path);
  if (path === PATHS.tokenLookupSelf || path === PATHS.tokenRenewSelf) {
    if (request.token !== autoAuthToken) return undefined;
  } else if (path === PATHS.tokenLookup || path === PATHS.tokenRenew) {
    const token = stringField(request.body, 'token');
    if (token === undefined || (token !== '' && token !== autoAuthToken)) return undefined;
  } else {
    return undefined;
  }
  const secret = parseJson(body);
  if (secret === undefined) return undefined;
  const data = secret.data;
  const auth = secret.auth;
  if (typeof data === 'object' && data !== null && !Array.isArray(data)) {
    const record = data as Record<string, unknown>;
    if (record.id === undefined && record.accessor === undefined) return undefined;
    delete record.id;
    delete record.accessor;
  } else if (typeof auth === 'object' && auth !== null) {
    const record = auth as Record<string, unknown>;
    if (!record.accessor && !record.client_token) return undefined;
    record.accessor = '';
    record.client_token = '';
  } else {
    return undefined;
  }
  return Buffer.from(JSON.stringify(secret));
}
