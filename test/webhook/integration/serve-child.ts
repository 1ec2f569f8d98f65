/**
 * A webhook server as its own process, for the signal tests: `serve-child.ts FLAGS...`.
 * Logs go to stderr; one JSON line `{"url", "ca"}` goes to stdout once it listens.
 */
import { startServer } from '../../../src/server/main.ts';
import { createLogger } from '../../../src/logger.ts';
import { settingsFor } from './helpers.ts';

const settings = settingsFor(process.argv.slice(2));
const server = await startServer(settings, { logger: createLogger({ level: 'info', format: 'json', destination: process.stderr, name: 'handler' }) });
process.stdout.write(`${JSON.stringify({ url: server.url, ca: server.caPem() })}\n`);
