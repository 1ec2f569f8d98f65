import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tenancyControllerSettings } from '../../src/tenancy/controller.ts';
import { loadTenancyPolicy, tenancyPolicyOf } from '../../src/tenancy/policy.ts';
import { policyText } from './vectors.ts';

test('controller settings from the environment', () => {
  assert.deepEqual(tenancyControllerSettings({}), {
    ok: true,
    settings: { enabled: false, vaultRole: '', vaultAuthMount: 'kubernetes', jwtFile: '/var/run/secrets/kubernetes.io/serviceaccount/token', intervalMs: 60_000 },
  });
  assert.deepEqual(tenancyControllerSettings({
    AGENT_INJECT_TENANCY_CONTROLLER: 'true', AGENT_INJECT_TENANCY_VAULT_ROLE: 'vault-injector', AGENT_INJECT_TENANCY_VAULT_AUTH_PATH: 'auth/kubernetes-prod/',
    AGENT_INJECT_TENANCY_SYNC_INTERVAL: '5m', AGENT_INJECT_TENANCY_JWT_FILE: '/t', AGENT_INJECT_TENANCY_VAULT_CA_CERT: '/ca.pem',
  }), {
    ok: true,
    settings: { enabled: true, vaultRole: 'vault-injector', vaultAuthMount: 'kubernetes-prod', jwtFile: '/t', caCertFile: '/ca.pem', intervalMs: 300_000 },
  });
  assert.deepEqual(tenancyControllerSettings({ AGENT_INJECT_TENANCY_CONTROLLER: 'yes', AGENT_INJECT_TENANCY_SYNC_INTERVAL: '1s' }), {
    ok: false,
    problems: [
      'AGENT_INJECT_TENANCY_CONTROLLER: "yes" is not a boolean',
      'AGENT_INJECT_TENANCY_SYNC_INTERVAL: "1s" must be a duration of at least 5s (such as 60s or 5m)',
    ],
  });
  assert.deepEqual(tenancyControllerSettings({ AGENT_INJECT_TENANCY_CONTROLLER: '1' }), {
    ok: false, problems: ['AGENT_INJECT_TENANCY_VAULT_ROLE: required when the tenancy controller is on (the injector\'s own Vault role)'],
  });
});

test('the policy behind a loaded check can be found (the server keeps only the check)', () => {
  const loaded = loadTenancyPolicy(policyText, 'tenancy.yaml');
  assert.ok(loaded.ok);
  assert.equal(tenancyPolicyOf(loaded.check), loaded.policy);
  assert.equal(tenancyPolicyOf(() => undefined), undefined);
  assert.equal(tenancyPolicyOf(undefined), undefined);
});
