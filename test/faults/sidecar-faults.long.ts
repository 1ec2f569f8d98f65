// Agent faults, long form (`npm run test:long`): three rounds; Vault slow by 3 s per request and
// down for 5 s each time.
import { test } from 'node:test';
import { runSidecarFaults } from './sidecar-faults.ts';

test('agent faults (long): three rounds of every fault, Vault slow by seconds', { timeout: 900_000 }, async () => {
  const report = await runSidecarFaults({ rounds: 3, slowMs: 3000, downMs: 5000 });
  console.log(`FAULTS ${JSON.stringify(report)}`);
});
