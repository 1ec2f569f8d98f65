/** The pure certificate decisions: when to rotate, and which caBundle to publish. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { caBundleFor, needsRotation, nextCheckDelayMs, rotationDueAtMs } from '../../../src/tls/schedule.ts';
import { generateCa, splitPemBundle } from '../../../src/tls/generate.ts';
import { parseListen } from '../../../src/server/listen.ts';

const HOUR = 3_600_000;

test('rotation schedule: 10% before expiry by default, never before notBefore', () => {
  const day = { notBeforeMs: 0, notAfterMs: 24 * HOUR };
  const cases: Array<{ nowMs: number; expiryWithin?: number; expected: boolean }> = [
    { nowMs: 0, expected: false },
    { nowMs: 21 * HOUR, expected: false },
    { nowMs: 21.6 * HOUR - 1, expected: false },
    { nowMs: 21.6 * HOUR, expected: true },
    { nowMs: 25 * HOUR, expected: true },
    { nowMs: -1, expected: true },
    { nowMs: 12 * HOUR, expiryWithin: 0.5, expected: true },
    { nowMs: 12 * HOUR - 1, expiryWithin: 0.5, expected: false },
  ];
  for (const { nowMs, expiryWithin, expected } of cases) assert.equal(needsRotation(day, nowMs, expiryWithin), expected, `now=${nowMs} within=${expiryWithin}`);
  assert.equal(needsRotation(undefined, 0), true, 'no certificate yet');
  assert.equal(rotationDueAtMs(day), 21.6 * HOUR);
  assert.equal(nextCheckDelayMs(day, 0, 5000), 5000, 'capped by the check interval');
  assert.equal(nextCheckDelayMs(day, 21.6 * HOUR - 100, 5000), 100);
  assert.equal(nextCheckDelayMs(day, 23 * HOUR, 5000), 0);
});

test('caBundleFor: unchanged when trusted; otherwise the last valid CA of the old bundle, then the new one', async () => {
  const now = Date.now();
  const [a, b, c] = await Promise.all([generateCa({ nowMs: now }), generateCa({ nowMs: now }), generateCa({ nowMs: now })]);
  const expired = await generateCa({ nowMs: now - 10 * HOUR, validityMs: HOUR });
  const fingerprints = (bundle: string): string[] => splitPemBundle(bundle).map((pem) => new X509Certificate(pem).fingerprint256);
  const fp = (pem: string): string => new X509Certificate(pem).fingerprint256;
  const cases: Array<{ name: string; existing: string | undefined; expected: string[]; changed: boolean }> = [
    { name: 'empty bundle', existing: undefined, expected: [fp(c.certPem)], changed: true },
    { name: 'already trusted (alone)', existing: c.certPem, expected: [fp(c.certPem)], changed: false },
    { name: 'already trusted (with others)', existing: a.certPem + c.certPem, expected: [fp(a.certPem), fp(c.certPem)], changed: false },
    { name: 'one old CA', existing: a.certPem, expected: [fp(a.certPem), fp(c.certPem)], changed: true },
    { name: 'two old CAs: only the last is kept', existing: a.certPem + b.certPem, expected: [fp(b.certPem), fp(c.certPem)], changed: true },
    { name: 'the last old CA expired: the last valid one is kept', existing: a.certPem + expired.certPem, expected: [fp(a.certPem), fp(c.certPem)], changed: true },
    { name: 'garbage', existing: 'not a certificate', expected: [fp(c.certPem)], changed: true },
  ];
  for (const { name, existing, expected, changed } of cases) {
    const result = caBundleFor(existing, c.certPem, now);
    assert.deepEqual(fingerprints(result.bundlePem), expected, name);
    assert.equal(result.changed, changed, name);
  }
});

test('parseListen: vault-k8s -listen forms', () => {
  const cases: Array<[string, unknown]> = [
    [':8080', { host: '0.0.0.0', port: 8080 }],
    ['127.0.0.1:0', { host: '127.0.0.1', port: 0 }],
    ['[::1]:8443', { host: '::1', port: 8443 }],
    ['localhost', { problem: 'listen address "localhost" is not HOST:PORT or :PORT' }],
    [':70000', { problem: 'listen address ":70000" has port 70000, above 65535' }],
  ];
  for (const [input, expected] of cases) assert.deepEqual(parseListen(input), expected, input);
});
