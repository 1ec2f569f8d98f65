// The scanner itself must find what it is meant to find, or every "zero hits" is worthless.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertNoLeaks, findLeaks } from './scan.ts';

const pem = '-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIBkg4LVWM9nuwNSk3yBqVPpjpaT5c4Y0u2xXgbVq0jwqoAoGCCqGSM49\nAwEHoUQDQgAE\n-----END EC PRIVATE KEY-----\n';

test('finds plain, JSON-escaped and per-line forms; ignores short values; never prints the secret', () => {
  const texts = [
    { source: 'plain', text: 'token hvs.CAESIabcdef123 issued' },
    { source: 'json', text: JSON.stringify({ msg: 'x', key: pem }) },
    { source: 'one-line', text: 'line: MHcCAQEEIBkg4LVWM9nuwNSk3yBqVPpjpaT5c4Y0u2xXgbVq0jwqoAoGCCqGSM49' },
    { source: 'clean', text: 'nothing here; on; 5432' },
  ];
  const hits = findLeaks(texts, ['hvs.CAESIabcdef123', pem, 'on', '5432']);
  assert.deepEqual(hits.map((hit) => hit.source), ['plain', 'json', 'one-line']);
  for (const hit of hits) assert.ok(!hit.excerpt.includes('hvs.CAESIabcdef123') && !hit.value.includes('CAESI'), 'a hit report does not repeat the secret');
  assert.throws(() => assertNoLeaks(texts, ['hvs.CAESIabcdef123']), /plain: token <<SECRET>> issued/);
  assert.deepEqual(assertNoLeaks([{ source: 'clean', text: 'nothing' }], ['hvs.CAESIabcdef123']), { scannedBytes: 7, values: 1 });
  assert.throws(() => assertNoLeaks([], ['x']), /needs values/);
});
