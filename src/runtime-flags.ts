/**
 * Node flags the webhook image runs with (Dockerfile.webhook's ENTRYPOINT; the image test checks
 * they agree, and the admission benchmark starts its servers with them).
 *
 * V8 sizes the young generation up to 16 MiB per semi-space by default. A webhook allocates tens of
 * kilobytes per admission that all die young, so the big space fills slowly and each scavenge then
 * touches many fresh pages: on a 2-vCPU VM we measured single scavenges of 14–54 ms, which is the
 * whole p99 at 1,000 admissions/s. With 8 MiB they stay at 2–3 ms for the same total GC time.
 */
export const WEBHOOK_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=8'];
