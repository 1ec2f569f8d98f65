// Load, short form (inside `npm test`): the real HTTPS webhook in its own process takes a fixed
// rate of mixed admissions (plain, annotated, denied) for a few seconds: every request answered,
// every answer right, and the live heap after the run within a stated bound of the heap after
// warm-up. The long form (1,000/s for 60 s) is test/load/load.long.ts, behind `npm run test:long`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MiB, runLoad, startTarget } from './driver.ts';
import { assertNoLeaks } from '../leaks/scan.ts';

const RATE = 200;
const SECONDS = 3;
/** Live-heap growth allowed between the end of warm-up and the end of the run (after a full GC). */
const HEAP_GROWTH_BOUND = 16 * MiB;

test(`load: ${RATE}/s for ${SECONDS} s of mixed admissions over HTTPS, zero errors, zero dropped, bounded heap`, async () => {
  const target = await startTarget();
  let log = '';
  try {
    const warm = await runLoad(target, { rate: RATE, seconds: 1, firstIndex: 1_000_000, timeoutMs: 30_000 });
    assert.equal(warm.dropped + warm.wrong, 0, warm.problems.join('\n'));
    const before = await target.memory();
    assert.ok(before.gc, 'the target runs with --expose-gc');
    const result = await runLoad(target, { rate: RATE, seconds: SECONDS, timeoutMs: 30_000 });
    const after = await target.memory();
    assert.equal(result.sent, RATE * SECONDS);
    assert.equal(result.dropped, 0, `dropped: ${result.problems.join('\n')}`);
    assert.equal(result.wrong, 0, `wrong answers: ${result.problems.join('\n')}`);
    assert.equal(result.answered, result.sent);
    assert.deepEqual(Object.keys(result.byExpect).sort(), ['denied', 'injected', 'skipped']);
    const growth = after.heapUsed - before.heapUsed;
    assert.ok(growth < HEAP_GROWTH_BOUND, `live heap grew ${(growth / MiB).toFixed(1)} MiB (bound ${HEAP_GROWTH_BOUND / MiB} MiB)`);
  } finally {
    log = await target.close();
  }
  // One log line per admission; none may carry the (fake) credentials that are in the pods' templates' context.
  assert.ok(log.split('\n').filter((line) => line.includes('"uid"')).length >= RATE * SECONDS, 'every admission was logged');
  assert.doesNotMatch(log, /"level":(50|60)/, 'no error-level line under load');
  assertNoLeaks([{ source: 'webhook log', text: log }], ['postgres://{{ .Data.username }}:{{ .Data.password }}']);
});
