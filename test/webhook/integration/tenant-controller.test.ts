// The leader-only tenant controller inside the server (issue 5): with AGENT_INJECT_TENANCY_CONTROLLER
// on, the elected leader writes each labelled namespace's Vault policy and role; a follower writes nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startKubernetesDouble } from '../../doubles/kubernetes/index.ts';
import { startServer } from '../../../src/server/main.ts';
import type { RunningServer } from '../../../src/server/main.ts';
import { createKubeApi } from '../../../src/kube/client.ts';
import { startHarness, vaultCall } from '../../tenancy/harness.ts';
import { captureLogs, eventually, settingsFor } from './helpers.ts';

const LEADER_TIMINGS = { leaseDurationMs: 8000, renewDeadlineMs: 6000, retryPeriodMs: 200 };

test('the tenant controller needs a policy file and valid settings, or the server does not start', async () => {
  const logs = captureLogs();
  await assert.rejects(
    startServer(settingsFor(['-listen', '127.0.0.1:0']), { logger: logs.logger, handleSignals: false, env: { AGENT_INJECT_TENANCY_CONTROLLER: 'true', AGENT_INJECT_TENANCY_VAULT_ROLE: 'vault-injector' } }),
    /the tenant controller \(AGENT_INJECT_TENANCY_CONTROLLER\) needs a tenancy policy file/,
  );
  await assert.rejects(
    startServer(settingsFor(['-listen', '127.0.0.1:0']), { logger: logs.logger, handleSignals: false, env: { AGENT_INJECT_TENANCY_CONTROLLER: 'yes' } }),
    /AGENT_INJECT_TENANCY_CONTROLLER: "yes" is not a boolean/,
  );
});

test('the elected leader syncs tenant policies and roles into Vault', async (t) => {
  const harness = await startHarness();
  const kube = await startKubernetesDouble();
  const servers: RunningServer[] = [];
  t.after(async () => {
    for (const server of servers) await server.close();
    await kube.close();
    await harness.close();
  });
  harness.label('team-a', true);
  harness.label('team-b', false);
  const env = {
    AGENT_INJECT_TENANCY_CONTROLLER: 'true',
    AGENT_INJECT_TENANCY_VAULT_ROLE: 'vault-injector',
    AGENT_INJECT_TENANCY_JWT_FILE: harness.injectorJwtFile,
    AGENT_INJECT_TENANCY_SYNC_INTERVAL: '5s',
  };
  const start = (identity: string): Promise<RunningServer> => startServer(
    settingsFor(['-listen', '127.0.0.1:0', '-tenancy', harness.policyFile, '-vault-address', harness.vault.address], { NAMESPACE: 'vault' }),
    { logger: captureLogs().logger, handleSignals: false, identity, env, kubeApi: createKubeApi(kube.kubeConfig()), leaderTimings: LEADER_TIMINGS, tenancyKubeconfigFile: harness.kubeconfigFile },
  );
  servers.push(await start('injector-1'));
  servers.push(await start('injector-2'));
  await eventually('one leader', () => servers.filter((server) => server.isLeader()).length === 1, 10_000);

  await eventually('policy tenant-team-a and role team-a written', async () =>
    (await vaultCall(harness.vault.address, 'GET', 'sys/policies/acl/tenant-team-a', harness.vault.rootToken)).status === 200
    && (await vaultCall(harness.vault.address, 'GET', 'auth/kubernetes/role/team-a', harness.vault.rootToken)).status === 200, 15_000);
  const role = await vaultCall(harness.vault.address, 'GET', 'auth/kubernetes/role/team-a', harness.vault.rootToken);
  assert.equal(role.status, 200);
  assert.deepEqual((role.body as { data: { bound_service_account_namespaces: string[] } }).data.bound_service_account_namespaces, ['team-a']);
  const notTenant = await vaultCall(harness.vault.address, 'GET', 'sys/policies/acl/tenant-team-b', harness.vault.rootToken);
  assert.equal(notTenant.status, 404, 'a namespace without the tenant label gets nothing');

  // Only the Lease holder is leader; the controller's own gating on isLeader is tested in test/tenancy.
  const lease = kube.get('leases', 'vault-injector-leader', 'vault') as { spec?: { holderIdentity?: string } } | undefined;
  const leader = servers.find((server) => server.isLeader());
  assert.ok(leader !== undefined);
  assert.equal(lease?.spec?.holderIdentity, leader === servers[0] ? 'injector-1' : 'injector-2');
});
