// Load, long form (`npm run test:long`): the real HTTPS webhook in its own process at 1,000
// admissions/s for 60 s (LOAD_RATE, LOAD_SECONDS override) with mixed pods, after 10 s of warm-up.
// Asserts zero dropped and zero wrong answers, and live-heap growth after warm-up below the bound;
// reports p50/p99/max latency, the achieved rate, and heap and RSS over time as one JSON line
// (BENCHMARKS.md quotes it). Latency is reported, not asserted (a shared machine would make it flaky).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MiB, percentile, runLoad, startTarget } from './driver.ts';

const RATE = Number(process.env['LOAD_RATE'] ?? 1000);
const SECONDS = Number(process.env['LOAD_SECONDS'] ?? 60);
const WARM_UP_SECONDS = 10;
/** Live heap (after a full GC) may grow at most this much from the end of warm-up to the end. */
const HEAP_GROWTH_BOUND = 16 * MiB;

test(`load (long): ${RATE}/s for ${SECONDS} s, zero errors, zero dropped, heap flat after warm-up`, { timeout: (SECONDS + WARM_UP_SECONDS + 120) * 1000 }, async () => {
  const target = await startTarget();
  try {
    const warm = await runLoad(target, { rate: RATE, seconds: WARM_UP_SECONDS, firstIndex: 10_000_000, timeoutMs: 30_000 });
    assert.equal(warm.dropped + warm.wrong, 0, warm.problems.join('\n'));
    const before = await target.memory();
    const rssSamples: number[] = [];
    const result = await runLoad(target, {
      rate: RATE, seconds: SECONDS, timeoutMs: 30_000,
      onSecond: (second) => { if (second % 5 === 0) void target.rssNow().then((rss) => rssSamples.push(rss)); },
    });
    const after = await target.memory();
    const sorted = [...result.latenciesMs].sort((a, b) => a - b);
    const report = {
      rate: RATE, seconds: SECONDS, sent: result.sent, answered: result.answered, dropped: result.dropped, wrong: result.wrong,
      byDecision: result.byExpect, achievedRate: Math.round(result.achievedRate),
      latencyMs: { p50: +percentile(sorted, 0.5).toFixed(2), p90: +percentile(sorted, 0.9).toFixed(2), p99: +percentile(sorted, 0.99).toFixed(2), max: +(sorted.at(-1) ?? Number.NaN).toFixed(2) },
      heapAfterWarmUpMiB: +(before.heapUsed / MiB).toFixed(1), heapAtEndMiB: +(after.heapUsed / MiB).toFixed(1),
      heapGrowthMiB: +((after.heapUsed - before.heapUsed) / MiB).toFixed(2), heapGrowthBoundMiB: HEAP_GROWTH_BOUND / MiB,
      rssAfterWarmUpMiB: +(before.rss / MiB).toFixed(1), rssAtEndMiB: +(after.rss / MiB).toFixed(1),
      rssEvery5sMiB: rssSamples.map((rss) => +(rss / MiB).toFixed(1)),
    };
    console.log(`LOAD-RESULT ${JSON.stringify(report)}`);
    assert.equal(result.dropped, 0, result.problems.join('\n'));
    assert.equal(result.wrong, 0, result.problems.join('\n'));
    assert.equal(result.answered, result.sent);
    assert.ok(after.heapUsed - before.heapUsed < HEAP_GROWTH_BOUND, `live heap grew ${report.heapGrowthMiB} MiB (bound ${report.heapGrowthBoundMiB} MiB)`);
  } finally {
    await target.close();
  }
});
