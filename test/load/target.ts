// The webhook under load, in its own process (so its memory is its own and the load generator
// never shares its event loop): the real startServer on 127.0.0.1:0 with its JSON log written to
// LOG_FILE. Talks to the parent over IPC:
//   → {"url"} once listening;  ← "memory" → {"heapUsed","rss"} after a full GC;  ← "close".
// Run with --expose-gc so the heap figure is live objects only.
import { createWriteStream } from 'node:fs';
import { startServer } from '../../src/server/main.ts';
import { loadSettings } from '../../src/settings.ts';
import { createLogger } from '../../src/logger.ts';

const logFile = process.env['LOG_FILE'] ?? '/dev/null';
const loaded = loadSettings(['-listen', '127.0.0.1:0', '-vault-address', 'https://vault.vault.svc:8200', '-log-format', 'json'], {});
if (!loaded.ok) throw new Error(loaded.problems.join('; '));
const log = createWriteStream(logFile);
const server = await startServer(loaded.settings, {
  logger: createLogger({ level: 'info', format: 'json', name: 'handler', destination: log }),
  handleSignals: false,
});
const collect = (globalThis as { gc?: () => void }).gc;
process.on('message', (message: unknown) => {
  if (message === 'memory') {
    collect?.();
    collect?.();
    const usage = process.memoryUsage();
    process.send?.({ heapUsed: usage.heapUsed, rss: usage.rss, gc: collect !== undefined });
  } else if (message === 'close') {
    void server.close().then(() => log.end(() => process.exit(0)));
  }
});
process.send?.({ url: server.url, ca: server.caPem() ?? null });
