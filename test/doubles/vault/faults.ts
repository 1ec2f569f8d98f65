// Injected failures: the next N requests under a path prefix answer with a Vault error body.
import { healthReply, type HealthState } from './sys.ts';
import { errorReply, type Reply } from './wire.ts';

export interface FailureSpec {
  status: 403 | 500 | 503;
  /** How many matching requests fail; omitted = every matching request until clearFailures(). */
  count?: number;
  /** Logical path prefix (`secret/data/`), with or without a leading `/v1/`. Omitted = every path. */
  pathPrefix?: string;
}

interface ActiveFailure {
  status: 403 | 500 | 503;
  remaining: number;
  pathPrefix: string;
}

export class FaultInjector {
  private failures: ActiveFailure[] = [];

  add(spec: FailureSpec): void {
    const prefix = (spec.pathPrefix ?? '').replace(/^\/?(v1\/)?/, '').replace(/^\/+/, '');
    this.failures.push({ status: spec.status, remaining: spec.count ?? Number.POSITIVE_INFINITY, pathPrefix: prefix });
  }

  clear(): void {
    this.failures = [];
  }

  /** The failure reply for this request, consuming one use, or undefined. */
  take(method: string, path: string, health: HealthState, now: number, query: URLSearchParams): Reply | undefined {
    const failure = this.failures.find((item) => item.remaining > 0 && path.startsWith(item.pathPrefix));
    if (failure === undefined) return undefined;
    failure.remaining--;
    this.failures = this.failures.filter((item) => item.remaining > 0);
    switch (failure.status) {
      case 403:
        return errorReply(403, 'permission denied');
      case 500:
        return errorReply(500, 'internal error');
      case 503:
        // A sealed Vault still answers sys/health, with its sealed body and code.
        if (path === 'sys/health') return healthReply(method, query, { ...health, sealed: true }, now);
        return errorReply(503, 'Vault is sealed');
    }
  }
}
