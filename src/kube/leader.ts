/**
 * Leader election on a coordination.k8s.io/v1 Lease, the way client-go's leaderelection does it:
 * - a record held by someone else is expired only after leaseDuration has passed on OUR clock since
 *   we last saw it change (never by comparing their timestamps with our clock: no skew trust);
 * - the leader renews every retryPeriod and stops leading when it could not renew for renewDeadline;
 * - writes carry the resourceVersion read, so two candidates never both win (409 for the loser).
 * `decideLease` is the pure core; `LeaderElector` is the I/O shell with a timer.
 */
import type { KubeApi, LeaseRecord, LeaseSpecInput } from './client.ts';

export interface LeaderTimings {
  leaseDurationMs: number;
  renewDeadlineMs: number;
  retryPeriodMs: number;
}

/** client-go's defaults (15 s / 10 s / 2 s). */
export const DEFAULT_LEADER_TIMINGS: LeaderTimings = { leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000 };

/** What we remember between attempts: the last record we saw and when (our clock) it last changed. */
export interface ObservedLease {
  key: string;
  observedAtMs: number;
}

export type LeaseDecision =
  | { action: 'create'; spec: LeaseSpecInput }
  | { action: 'update'; spec: LeaseSpecInput; resourceVersion: string; acquiring: boolean }
  | { action: 'wait'; holder: string; observed: ObservedLease };

function recordKey(record: LeaseRecord): string {
  return `${record.resourceVersion}|${record.holderIdentity ?? ''}|${record.renewTimeMs ?? ''}`;
}

export function decideLease(input: {
  record: LeaseRecord | undefined;
  previous: ObservedLease | undefined;
  identity: string;
  nowMs: number;
  timings: LeaderTimings;
}): LeaseDecision {
  const { record, previous, identity, nowMs, timings } = input;
  const leaseDurationSeconds = Math.max(1, Math.ceil(timings.leaseDurationMs / 1000));
  if (record === undefined) {
    return { action: 'create', spec: { holderIdentity: identity, leaseDurationSeconds, acquireTimeMs: nowMs, renewTimeMs: nowMs, leaseTransitions: 0 } };
  }
  const key = recordKey(record);
  const observed: ObservedLease = previous !== undefined && previous.key === key ? previous : { key, observedAtMs: nowMs };
  const holder = record.holderIdentity;
  if (holder === identity) {
    return {
      action: 'update',
      acquiring: false,
      resourceVersion: record.resourceVersion,
      spec: { holderIdentity: identity, leaseDurationSeconds, acquireTimeMs: record.acquireTimeMs ?? nowMs, renewTimeMs: nowMs, leaseTransitions: record.leaseTransitions },
    };
  }
  const recordDurationMs = (record.leaseDurationSeconds ?? leaseDurationSeconds) * 1000;
  const expired = holder === undefined || observed.observedAtMs + recordDurationMs <= nowMs;
  if (!expired) return { action: 'wait', holder: holder ?? '', observed };
  return {
    action: 'update',
    acquiring: true,
    resourceVersion: record.resourceVersion,
    spec: { holderIdentity: identity, leaseDurationSeconds, acquireTimeMs: nowMs, renewTimeMs: nowMs, leaseTransitions: record.leaseTransitions + (holder === undefined ? 0 : 1) },
  };
}

/** Whether a leader whose last successful renewal was at `lastRenewMs` may still act as leader. */
export function stillLeading(lastRenewMs: number | undefined, nowMs: number, timings: LeaderTimings): boolean {
  return lastRenewMs !== undefined && nowMs - lastRenewMs < timings.renewDeadlineMs;
}

export interface LeaderEvents {
  onStartedLeading?(): void;
  onStoppedLeading?(): void;
  onError?(error: unknown): void;
}

export class LeaderElector {
  private observed: ObservedLease | undefined;
  private lastRenewMs: number | undefined;
  private leading = false;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly api: KubeApi,
    private readonly lease: { namespace: string; name: string },
    private readonly identity: string,
    private readonly timings: LeaderTimings,
    private readonly now: () => number,
    private readonly events: LeaderEvents = {},
  ) {}

  /** True only while a renewal within renewDeadline succeeded: a stuck leader stops writing by itself. */
  isLeader(): boolean {
    return this.leading && stillLeading(this.lastRenewMs, this.now(), this.timings);
  }

  /** Runs the first attempt and resolves when it finished (leader or not). */
  async start(): Promise<void> {
    await this.attempt();
    this.schedule();
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.attempt().finally(() => this.schedule());
    }, this.timings.retryPeriodMs);
    this.timer.unref();
  }

  private setLeading(leading: boolean): void {
    if (leading === this.leading) return;
    this.leading = leading;
    if (leading) this.events.onStartedLeading?.();
    else this.events.onStoppedLeading?.();
  }

  /** One try to acquire or renew; public for tests that step the election by hand. */
  async attempt(): Promise<void> {
    try {
      const record = await this.api.readLease(this.lease.namespace, this.lease.name);
      const decision = decideLease({ record, previous: this.observed, identity: this.identity, nowMs: this.now(), timings: this.timings });
      if (decision.action === 'wait') {
        this.observed = decision.observed;
        this.setLeading(false);
        return;
      }
      const result = decision.action === 'create'
        ? await this.api.createLease(this.lease.namespace, this.lease.name, decision.spec)
        : await this.api.updateLease(this.lease.namespace, this.lease.name, decision.spec, decision.resourceVersion);
      if (result === 'ok') {
        this.lastRenewMs = decision.spec.renewTimeMs;
        this.observed = undefined;
        this.setLeading(true);
        return;
      }
      // Lost the race (409) or the Lease vanished: someone else wrote first; look again next period.
      this.observed = undefined;
      if (!this.isLeader()) this.setLeading(false);
    } catch (error) {
      this.events.onError?.(error);
      if (!stillLeading(this.lastRenewMs, this.now(), this.timings)) this.setLeading(false);
    }
  }

  /** Stops the loop and, when leading, releases the Lease so another replica takes over at once. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    await this.running?.catch(() => undefined);
    if (this.isLeader()) {
      try {
        const record = await this.api.readLease(this.lease.namespace, this.lease.name);
        if (record !== undefined && record.holderIdentity === this.identity) {
          const nowMs = this.now();
          await this.api.updateLease(this.lease.namespace, this.lease.name, {
            holderIdentity: '', leaseDurationSeconds: 1, acquireTimeMs: nowMs, renewTimeMs: nowMs, leaseTransitions: record.leaseTransitions,
          }, record.resourceVersion);
        }
      } catch (error) {
        this.events.onError?.(error);
      }
    }
    this.setLeading(false);
  }
}
