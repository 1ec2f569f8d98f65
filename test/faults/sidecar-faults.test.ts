// Agent faults, short form (inside npm test): one round of every fault. Long form:
// test/faults/sidecar-faults.long.ts (three rounds, Vault slow by seconds, down for longer).
import { test } from 'node:test';
import { runSidecarFaults } from './sidecar-faults.ts';

test('agent faults: slow Vault, 500s, 503s, restart, revoked lease, rotated JWT: recovers every time, files always whole, modes kept, nothing outside the secrets dir, nothing leaked', { timeout: 240_000 }, async () => {
  const report = await runSidecarFaults({ rounds: 1, slowMs: 1000, downMs: 1500 });
  console.log(`FAULTS ${JSON.stringify(report)}`);
});
