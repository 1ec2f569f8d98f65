/**
 * Pure decisions about certificate lifetimes and the caBundle; the clock comes in as `nowMs`.
 */
import { X509Certificate } from 'node:crypto';
import { splitPemBundle } from './generate.ts';
import type { CertificateTimes } from './generate.ts';

/** vault-k8s regenerates when within 10% of the lifetime of expiry (2.4 h of a 24 h certificate). */
export const DEFAULT_EXPIRY_WITHIN = 0.1;

/** The instant at which a certificate with these times should be replaced. */
export function rotationDueAtMs(times: CertificateTimes, expiryWithin: number = DEFAULT_EXPIRY_WITHIN): number {
  const lifetime = Math.max(0, times.notAfterMs - times.notBeforeMs);
  return times.notAfterMs - Math.ceil(lifetime * expiryWithin);
}

export function needsRotation(times: CertificateTimes | undefined, nowMs: number, expiryWithin: number = DEFAULT_EXPIRY_WITHIN): boolean {
  if (times === undefined) return true;
  return nowMs >= rotationDueAtMs(times, expiryWithin) || nowMs < times.notBeforeMs;
}

/** Milliseconds until the next check: the rotation instant, but never longer than `maxDelayMs`. */
export function nextCheckDelayMs(times: CertificateTimes | undefined, nowMs: number, maxDelayMs: number, expiryWithin: number = DEFAULT_EXPIRY_WITHIN): number {
  if (times === undefined) return 0;
  return Math.max(0, Math.min(maxDelayMs, rotationDueAtMs(times, expiryWithin) - nowMs));
}

function derOf(pem: string): string | undefined {
  try {
    return new X509Certificate(pem).raw.toString('base64');
  } catch {
    return undefined;
  }
}

function stillValid(pem: string, nowMs: number): boolean {
  try {
    return Date.parse(new X509Certificate(pem).validTo) > nowMs;
  } catch {
    return false;
  }
}

/**
 * The caBundle to publish for `currentCaPem`, given the bundle the webhook configuration has now.
 * - Already trusted: the existing bundle, unchanged (no write).
 * - Otherwise `[last valid CA of the old bundle] + [current CA]`, as vault-k8s's prependLastCA
 *   (GH-287): the API server keeps trusting the certificate served by replicas that have not yet
 *   switched to the new CA.
 */
export function caBundleFor(existingBundlePem: string | undefined, currentCaPem: string, nowMs: number): { bundlePem: string; changed: boolean } {
  const existing = splitPemBundle(existingBundlePem ?? '');
  const currentDer = derOf(currentCaPem);
  if (currentDer !== undefined && existing.some((pem) => derOf(pem) === currentDer)) {
    return { bundlePem: existingBundlePem ?? '', changed: false };
  }
  const previous = [...existing].reverse().find((pem) => derOf(pem) !== undefined && stillValid(pem, nowMs));
  const bundlePem = `${previous ?? ''}${currentCaPem.endsWith('\n') ? currentCaPem : `${currentCaPem}\n`}`;
  return { bundlePem, changed: true };
}
