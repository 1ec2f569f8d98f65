// The timer around the lease cache core: wakes when the core says (a renewal or an expiry is due),
// renews through Vault with the token each lease belongs to, reports the outcome back. Vault
// Agent's lifetime watcher evicts on any failed renewal; so does this.
import type { Logger } from 'pino';
import type { LeaseCacheCore, Renewal } from '../cache/core.ts';
import type { Upstream } from './upstream.ts';

export class CacheRenewer {
  private timer: NodeJS.Timeout | undefined;
  private wakeAt: number | undefined;
  private stopped = false;

  constructor(private readonly core: LeaseCacheCore, private readonly upstream: Upstream, private readonly logger: Logger, private readonly now: () => number) {}

  /** Something changed in the core (an entry cached or evicted): re-plan the next wake. */
  poke(): void {
    if (this.stopped) return;
    const next = this.core.nextWakeAtMs();
    if (next === undefined) return this.clear();
    if (this.timer !== undefined && this.wakeAt !== undefined && this.wakeAt <= next) return;
    this.clear();
    this.wakeAt = next;
    this.timer = setTimeout(() => void this.wake(), Math.min(Math.max(0, next - this.now()), 2 ** 31 - 1));
    this.timer.unref();
  }

  stop(): void {
    this.stopped = true;
    this.clear();
  }

  private clear(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.wakeAt = undefined;
  }

  private async wake(): Promise<void> {
    this.timer = undefined;
    this.wakeAt = undefined;
    const expired = this.core.sweep();
    if (expired > 0) this.logger.debug({ evicted: expired }, 'cache: evicted expired entries');
    await Promise.all(this.core.due().map((renewal) => this.renew(renewal)));
    this.poke();
  }

  private async renew(renewal: Renewal): Promise<void> {
    const body = renewal.kind === 'lease' ? { lease_id: renewal.lease, increment: renewal.incrementSeconds } : { increment: renewal.incrementSeconds };
    const url = renewal.kind === 'lease' ? '/v1/sys/leases/renew' : '/v1/auth/token/renew-self';
    try {
      const answer = await this.upstream.send({ method: 'PUT', url, headers: { 'content-type': 'application/json' }, body: Buffer.from(JSON.stringify(body)), token: renewal.token });
      if (this.stopped) return;
      const parsed = answer.status === 200 ? (JSON.parse(answer.body.toString('utf8')) as { lease_duration?: number; renewable?: boolean; auth?: { lease_duration?: number; renewable?: boolean } }) : undefined;
      const lease = renewal.kind === 'lease' ? parsed : parsed?.auth;
      if (lease === undefined || typeof lease.lease_duration !== 'number') {
        const evicted = this.core.renewalFailed(renewal.id);
        this.logger.warn({ kind: renewal.kind, status: answer.status, evicted }, 'cache: renewal refused; evicted from the cache');
        return;
      }
      this.core.renewed(renewal.id, lease.lease_duration, lease.renewable === true);
      this.logger.debug({ kind: renewal.kind, ttlSeconds: lease.lease_duration }, 'cache: renewed');
    } catch {
      if (this.stopped) return;
      const evicted = this.core.renewalFailed(renewal.id);
      this.logger.warn({ kind: renewal.kind, evicted }, 'cache: renewal failed (Vault unreachable); evicted from the cache');
    }
  }
}
