// The agent's timing decisions as pure functions: retry backoff, when to renew a lease or token,
// when to re-fetch a secret. Randomness comes in as a number in [0, 1) so tests are exact.
//
// Sources of the rules (behaviour, not code):
// - Vault's LifetimeWatcher (api/lifetime_watcher.go), used by Vault Agent for the token and by
//   consul-template for renewable secrets: sleep = remaining·2/3 + grace/3, grace a random 10-20 %
//   of the lease; stop (and replace the lease) once the next sleep would land inside the grace.
// - consul-template's leaseCheckWait for non-renewable secrets: sleep = base·(threshold ± 0.05),
//   base = lease_duration, or the certificate's remaining life, or static_secret_render_interval.

/** Exponential backoff between min and max, with up to 25 % downward jitter (never below min). */
export function backoffDelay(attempt: number, minMs: number, maxMs: number, random: number): number {
  const exponent = Math.min(Math.max(attempt, 0), 30);
  const base = Math.min(maxMs, minMs * 2 ** exponent);
  return Math.max(minMs, Math.round(base * (1 - 0.25 * random)));
}

/** A random 10-20 % of the lease, as Vault's LifetimeWatcher chooses its grace period. */
export function renewalGraceMs(leaseMs: number, random: number): number {
  return Math.round(leaseMs * (0.1 + 0.1 * random));
}

export type RenewalPlan =
  /** Renew this long from now. */
  | { action: 'renew'; afterMs: number }
  /** Renewing cannot usefully extend the lease any more: replace it (re-login / re-fetch) now. */
  | { action: 'replace' };

/**
 * What to do with a renewable lease (or token) that has `remainingMs` left, given the grace chosen
 * for it. Called after every fetch and renewal; a renewal that stops extending the lease (max TTL
 * reached) shows up as a remaining time that no longer clears the grace.
 */
export function planRenewal(remainingMs: number, graceMs: number): RenewalPlan {
  const sleepMs = Math.round((remainingMs * 2) / 3 + graceMs / 3);
  if (remainingMs <= graceMs || remainingMs - sleepMs <= graceMs) return { action: 'replace' };
  return { action: 'renew', afterMs: sleepMs };
}

export interface RefreshInput {
  /** lease_duration of the response, in seconds (0 for KV v2 and most static data). */
  leaseDurationSeconds: number;
  /** For certificates without a lease: the `expiration` field (unix seconds). */
  expirationUnixSeconds: number | undefined;
  nowMs: number;
  staticIntervalMs: number;
  threshold: number;
  random: number;
}

/** When to re-fetch a non-renewable secret: base·(threshold + (random−0.5)·0.1) from now. */
export function refreshDelay(input: RefreshInput): number {
  let baseMs = input.leaseDurationSeconds * 1000;
  if (baseMs <= 0 && input.expirationUnixSeconds !== undefined) baseMs = input.expirationUnixSeconds * 1000 - input.nowMs;
  if (baseMs <= 0) baseMs = input.staticIntervalMs;
  const fraction = input.threshold + (input.random - 0.5) * 0.1;
  return Math.max(0, Math.round(baseMs * fraction));
}

/** The deadline by which the first render must be complete, or give up. */
export function retryDeadline(startedAtMs: number, retryTimeoutMs: number): number {
  return startedAtMs + retryTimeoutMs;
}
