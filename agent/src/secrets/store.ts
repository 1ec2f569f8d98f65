// The secret store: fetches each distinct request once (whatever number of templates use it),
// remembers the exact response text, and (in sidecar mode) keeps every entry fresh:
//  - renewable leases are renewed as Vault's LifetimeWatcher does and re-fetched once renewal
//    stops extending them (max TTL) or fails;
//  - non-renewable leases, certificates and static data are re-fetched at threshold·lifetime
//    (static data: threshold·static_secret_render_interval);
//  - a failed refresh keeps the last good data (files stay intact) and retries with backoff.
import type { Logger } from 'pino';
import { describeVaultErrors } from '../errors.ts';
import type { SecretRegistry } from '../logger.ts';
import { backoffDelay, planRenewal, refreshDelay, renewalGraceMs } from '../timing.ts';
import type { VaultClient } from '../vault/client.ts';
import { VaultFailure } from '../vault/client.ts';
import { secretFacts, secretStrings, type SecretFacts } from './facts.ts';
import { describeRequest, mountFor, requestKey, splitQuery, vaultCallFor, type SecretRequest } from './paths.ts';

export type FailureKind = 'unreachable' | 'forbidden' | 'missing' | 'failed' | 'token';

export interface FetchFailure {
  kind: FailureKind;
  request: SecretRequest;
  /** The path as the template wrote it. */
  path: string;
  /** The path actually requested (after the KV v2 rewrite). */
  vaultPath: string;
  status: number;
  vaultErrors: string[];
  networkReason: string | undefined;
}

interface Entry {
  request: SecretRequest;
  key: string;
  rawText: string | undefined;
  vaultPath: string;
  facts: SecretFacts | undefined;
  graceMs: number;
  expiresAtMs: number;
  failures: number;
  timer: NodeJS.Timeout | undefined;
}

export interface StoreOptions {
  client: VaultClient;
  logger: Logger;
  secrets: SecretRegistry;
  now: () => number;
  random: () => number;
  staticIntervalMs: number;
  leaseRenewalThreshold: number;
  minBackoffMs: number;
  maxBackoffMs: number;
  /** A refresh changed an entry's data: re-render what uses it. */
  onChange: (key: string) => void;
  /** Vault rejected the token itself (not an ACL denial): log in again. */
  onTokenRejected: () => void;
}

export class SecretStore {
  private readonly entries = new Map<string, Entry>();
  private readonly inFlight = new Map<string, Promise<FetchFailure | undefined>>();
  /** KV mounts seen: mount path → KV version 2 or not. */
  private readonly mounts = new Map<string, boolean>();
  private mountLookup: Promise<void> | undefined;
  private refreshing = false;
  private stopped = false;
  /** The agent's own caching listener as a client, when there is one (see readThroughCache). */
  private cacheClient: VaultClient | undefined;

  constructor(private readonly options: StoreOptions) {}

  lookup(request: SecretRequest): string | undefined {
    return this.entries.get(requestKey(request))?.rawText;
  }

  /**
   * With a lease cache, the first fetch of each secret goes through the agent's listener, as
   * Vault Agent points its templates at its own cache: the init agent's leases land in the cache
   * it persists, and the sidecar, holding the same token, is served the same lease from the
   * restored cache instead of a new one. Refreshes go to Vault directly: a refresh wants a new
   * secret, which the cache would answer with the one it holds; and a renewal through the cache
   * would be stored there and answered from it the next time.
   */
  readThroughCache(cacheClient: VaultClient): void {
    this.cacheClient = cacheClient;
  }

  /** Turns refresh scheduling on (sidecar mode); entries fetched before get their timers now. */
  startRefreshing(): void {
    this.refreshing = true;
    for (const entry of this.entries.values()) if (entry.rawText !== undefined && entry.timer === undefined) this.scheduleAfterFetch(entry);
  }

  stop(): void {
    this.stopped = true;
    for (const entry of this.entries.values()) this.clearTimer(entry);
  }

  /** Forget entries no template uses any more (their paths changed), so they stop being refreshed. */
  retainOnly(keys: ReadonlySet<string>): void {
    for (const [key, entry] of this.entries) {
      if (keys.has(key) || entry.rawText === undefined) continue;
      this.clearTimer(entry);
      this.entries.delete(key);
    }
  }

  /** After a new login the old token's leases are gone with it: fetch everything again now. */
  refetchAll(): void {
    if (!this.refreshing) {
      // Before the first render: forget them; the next render round fetches with the new token.
      for (const entry of this.entries.values()) this.clearTimer(entry);
      this.entries.clear();
      return;
    }
    for (const entry of this.entries.values()) {
      this.clearTimer(entry);
      void this.refresh(entry, 'token changed');
    }
  }

  async fetchAll(requests: ReadonlyArray<SecretRequest>): Promise<Map<string, FetchFailure>> {
    const failures = new Map<string, FetchFailure>();
    await Promise.all(
      requests.map(async (request) => {
        const failure = await this.fetch(request);
        if (failure !== undefined) failures.set(requestKey(request), failure);
      }),
    );
    return failures;
  }

  /** Fetches one request now (deduplicated with a fetch already in flight). */
  fetch(request: SecretRequest): Promise<FetchFailure | undefined> {
    const key = requestKey(request);
    const running = this.inFlight.get(key);
    if (running !== undefined) return running;
    const promise = this.fetchNow(request, key).finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, promise);
    return promise;
  }

  private async fetchNow(request: SecretRequest, key: string): Promise<FetchFailure | undefined> {
    const { client, logger } = this.options;
    const kvV2Mount = await this.kvV2MountFor(request);
    const call = vaultCallFor(request, kvV2Mount);
    const entry = this.entries.get(key) ?? this.newEntry(request, key, call.path);
    entry.vaultPath = call.path;
    const via = entry.rawText === undefined && this.cacheClient !== undefined ? this.cacheClient : client;
    try {
      const answer =
        call.method === 'read' ? await via.read(call.path) : call.method === 'list' ? await via.list(call.path) : await via.write(call.path, call.body ?? {});
      const facts = secretFacts(answer.body, this.options.now());
      if (facts.deleted) return this.failed(entry, { kind: 'missing', status: 404, vaultErrors: [], networkReason: undefined });
      if (call.method === 'write' && answer.status === 204) {
        // A KV v1 write answers with no body; consul-template keeps what it had (or nothing).
        this.accept(entry, entry.rawText ?? 'null', facts);
        return undefined;
      }
      for (const value of secretStrings(answer.body)) this.options.secrets.add(value);
      const previous = entry.rawText;
      this.accept(entry, answer.rawText, facts);
      if (answer.body !== null && typeof answer.body === 'object' && Array.isArray((answer.body as { warnings?: unknown }).warnings)) {
        logger.warn({ path: request.path, warnings: (answer.body as { warnings: unknown[] }).warnings.map(String) }, 'Vault returned warnings');
      }
      logger.debug({ path: request.path, vaultPath: call.path, changed: previous !== answer.rawText }, 'fetched secret');
      return undefined;
    } catch (error) {
      if (!(error instanceof VaultFailure)) throw error;
      if (call.method === 'list' && error.status === 404) {
        // Vault answers an empty LIST with 404; consul-template's `secrets` then yields no keys.
        this.accept(entry, '{"data":{"keys":[]}}', secretFacts(undefined, this.options.now()));
        return undefined;
      }
      const kind = await this.classify(error, call.path);
      return this.failed(entry, { kind, status: error.status, vaultErrors: error.vaultErrors, networkReason: error.networkReason });
    }
  }

  private newEntry(request: SecretRequest, key: string, vaultPath: string): Entry {
    const entry: Entry = { request, key, rawText: undefined, vaultPath, facts: undefined, graceMs: 0, expiresAtMs: 0, failures: 0, timer: undefined };
    this.entries.set(key, entry);
    return entry;
  }

  private accept(entry: Entry, rawText: string, facts: SecretFacts): void {
    entry.rawText = rawText;
    entry.facts = facts;
    entry.failures = 0;
    const leaseMs = facts.leaseDurationSeconds * 1000;
    entry.graceMs = renewalGraceMs(leaseMs, this.options.random());
    entry.expiresAtMs = this.options.now() + leaseMs;
    if (this.refreshing) this.scheduleAfterFetch(entry);
  }

  private failed(entry: Entry, failure: Omit<FetchFailure, 'request' | 'path' | 'vaultPath'>): FetchFailure {
    entry.failures += 1;
    if (this.refreshing && entry.rawText !== undefined) this.scheduleRetry(entry);
    return { ...failure, request: entry.request, path: entry.request.path, vaultPath: entry.vaultPath };
  }

  /** A 403 is either the token being dead (re-login helps) or an ACL denial of this path. */
  private async classify(error: VaultFailure, vaultPath: string): Promise<FailureKind> {
    if (error.unreachable) return 'unreachable';
    if (error.status === 404) return 'missing';
    if (error.status !== 403) return 'failed';
    try {
      await this.options.client.lookupSelf();
      return 'forbidden';
    } catch (lookupError) {
      if (lookupError instanceof VaultFailure && lookupError.status === 403) {
        this.options.logger.warn({ vaultPath }, 'Vault rejected the token; logging in again');
        this.options.onTokenRejected();
        return 'token';
      }
      return 'forbidden';
    }
  }

  private async kvV2MountFor(request: SecretRequest): Promise<string | undefined> {
    const { path } = splitQuery(request.path);
    // Ten templates reading one mount start ten fetches at once: let the first lookup finish, so
    // the others find its mount in the cache instead of asking Vault again.
    while (this.mountLookup !== undefined) await this.mountLookup;
    const known = mountFor(path, this.mounts.keys());
    if (known !== undefined) return this.mounts.get(known) === true ? known : undefined;
    let finished!: () => void;
    this.mountLookup = new Promise<void>((resolve) => (finished = resolve));
    try {
      return await this.lookupMount(path);
    } finally {
      this.mountLookup = undefined;
      finished();
    }
  }

  private async lookupMount(path: string): Promise<string | undefined> {
    try {
      // Through the cache when there is one, as Vault Agent's templates ask it (it passes through).
      const info = await (this.cacheClient ?? this.options.client).mountInfo(path);
      if (info === undefined) return undefined;
      const isV2 = info.type === 'kv' && info.version === '2';
      this.mounts.set(info.path.endsWith('/') ? info.path : `${info.path}/`, isV2);
      return isV2 ? (info.path.endsWith('/') ? info.path : `${info.path}/`) : undefined;
    } catch (error) {
      // consul-template: any failure here means "assume KV v1".
      const reason = error instanceof VaultFailure ? (error.networkReason ?? `${error.status} ${describeVaultErrors(error.vaultErrors)}`) : 'request failed';
      this.options.logger.debug({ path, reason }, 'could not check whether the mount is KV v2; assuming not');
      return undefined;
    }
  }

  // ---- refresh scheduling (sidecar) ----

  private scheduleAfterFetch(entry: Entry): void {
    const facts = entry.facts;
    if (facts === undefined) return;
    const now = this.options.now();
    if (facts.renewable && facts.leaseId !== '') {
      const plan = planRenewal(entry.expiresAtMs - now, entry.graceMs);
      if (plan.action === 'renew') this.setTimer(entry, plan.afterMs, () => this.renew(entry));
      else this.setTimer(entry, 0, () => this.refresh(entry, 'lease at its end'));
      return;
    }
    const delay = refreshDelay({
      leaseDurationSeconds: facts.leaseDurationSeconds,
      expirationUnixSeconds: facts.expirationUnixSeconds,
      nowMs: now,
      staticIntervalMs: this.options.staticIntervalMs,
      threshold: this.options.leaseRenewalThreshold,
      random: this.options.random(),
    });
    this.setTimer(entry, delay, () => this.refresh(entry, 'refresh interval'));
  }

  private scheduleRetry(entry: Entry): void {
    const delay = backoffDelay(entry.failures - 1, this.options.minBackoffMs, this.options.maxBackoffMs, this.options.random());
    this.setTimer(entry, delay, () => this.refresh(entry, 'retry'));
  }

  private async renew(entry: Entry): Promise<void> {
    const leaseId = entry.facts?.leaseId;
    if (leaseId === undefined || leaseId === '') return this.refresh(entry, 'no lease');
    try {
      const renewed = await this.options.client.renewLease(leaseId);
      if (this.stopped || !this.entries.has(entry.key)) return;
      entry.failures = 0;
      entry.expiresAtMs = this.options.now() + renewed.leaseDurationSeconds * 1000;
      this.options.logger.debug({ path: entry.request.path, leaseDurationSeconds: renewed.leaseDurationSeconds }, 'renewed lease');
      const plan = renewed.renewable ? planRenewal(entry.expiresAtMs - this.options.now(), entry.graceMs) : ({ action: 'replace' } as const);
      if (plan.action === 'renew') this.setTimer(entry, plan.afterMs, () => this.renew(entry));
      else await this.refresh(entry, 'lease reached its max TTL');
    } catch (error) {
      if (this.stopped) return;
      const failure = error instanceof VaultFailure ? error : new VaultFailure({ status: 0, networkReason: 'request failed' });
      const expired = this.options.now() >= entry.expiresAtMs;
      if (failure.unreachable && !expired) {
        entry.failures += 1;
        const delay = backoffDelay(entry.failures - 1, this.options.minBackoffMs, this.options.maxBackoffMs, this.options.random());
        this.options.logger.warn({ path: entry.request.path, reason: failure.networkReason, retryInMs: delay }, 'lease renewal failed; will retry');
        this.setTimer(entry, Math.min(delay, Math.max(0, entry.expiresAtMs - this.options.now())), () => this.renew(entry));
        return;
      }
      // Not renewable any more (lease expired, revoked, not found): fetch a new secret.
      await this.refresh(entry, 'lease renewal refused');
    }
  }

  private async refresh(entry: Entry, reason: string): Promise<void> {
    if (this.stopped) return;
    this.clearTimer(entry);
    const before = entry.rawText;
    const failure = await this.fetch(entry.request);
    if (this.stopped) return;
    if (failure !== undefined) {
      this.options.logger.warn(
        {
          path: describeRequest(entry.request),
          kind: failure.kind,
          status: failure.status,
          reason: failure.networkReason ?? failure.vaultErrors.join('; '),
          attempt: entry.failures,
        },
        'refreshing a secret failed; keeping the last good data',
      );
      if (entry.timer === undefined) this.scheduleRetry(entry);
      return;
    }
    this.options.logger.debug({ path: entry.request.path, reason }, 'refreshed secret');
    if (entry.rawText !== before) this.options.onChange(entry.key);
  }

  private setTimer(entry: Entry, delayMs: number, action: () => Promise<void>): void {
    this.clearTimer(entry);
    if (this.stopped) return;
    entry.timer = setTimeout(() => {
      entry.timer = undefined;
      void action();
    }, Math.max(0, delayMs));
  }

  private clearTimer(entry: Entry): void {
    if (entry.timer !== undefined) clearTimeout(entry.timer);
    entry.timer = undefined;
  }
}
