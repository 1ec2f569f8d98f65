/**
 * `webhook serve` with short certificate lifetimes, for the forced-rotation test: the same
 * settings parsing and server as src/cli.ts, plus the AutoCertificateSource lifetimes and leader
 * timings (test-only dependencies of startServer) from VI_E2E_AUTO_TLS, a JSON object such as
 * {"caValidityMs":60000,"servingValidityMs":30000,"expiryWithin":0.5,"checkIntervalMs":1000}.
 */
import { loadSettings } from '../../src/settings.ts';
import { startServer } from '../../src/server/main.ts';
import type { ServerDeps } from '../../src/server/main.ts';

const [command, ...argv] = process.argv.slice(2);
if (command !== 'serve') throw new Error('usage: webhook-short-certs.ts serve [flags]');
const loaded = loadSettings(argv, process.env);
if (!loaded.ok) throw new Error(loaded.problems.join('; '));
const tuning = JSON.parse(process.env['VI_E2E_AUTO_TLS'] ?? '{}') as {
  caValidityMs?: number; servingValidityMs?: number; expiryWithin?: number; checkIntervalMs?: number;
  leaderTimings?: ServerDeps['leaderTimings'];
};
const { leaderTimings, ...autoTls } = tuning;
await startServer(loaded.settings, { autoTls, ...(leaderTimings !== undefined ? { leaderTimings } : {}) });
