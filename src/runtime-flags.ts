/**
 * Node flags the webhook image runs with (Dockerfile.webhook's ENTRYPOINT; the image test checks
 * they agree, and the admission benchmark starts its servers with them).
 *
 * Left to itself, V8 sizes the young generation from the machine's memory: 128 MiB of new space on
 * a 24 GiB machine. Under 1,000 admissions/s we then measured single scavenges of 14–54 ms (the
 * whole p99), and the server's RSS climbing from 340 to 518 MiB in a minute with the live heap
 * flat. With 8 MiB semi-spaces: 2–3 ms scavenges for the same total GC time, RSS 260 → 264 MiB.
 */
export const WEBHOOK_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=8'];
