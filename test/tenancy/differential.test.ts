/**
 * Differential test: for random rule sets and requests, TenancyCheck (admission) and the Vault double's ACL
 * engine (test/doubles/vault/acl.ts, built independently from Vault's rules) evaluating the policy text
 * `tenants sync` writes must agree on every request. Seeded, so every run checks the same cases.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stringify } from 'yaml';
import { Acl } from '../doubles/vault/acl.ts';
import { parsePolicy } from '../doubles/vault/policy-hcl.ts';
import { loadTenancyPolicy } from '../../src/tenancy/policy.ts';
import { rulesForNamespace } from '../../src/tenancy/resolve.ts';
import { renderTenantPolicy } from '../../src/tenancy/hcl.ts';
import type { SecretOperation } from '../../src/tenancy/types.ts';
import { prng } from '../support/prng.ts';

const random = prng;

const segments = ['a', 'b', 'ab', 'ns', 'ns-x'];
const capabilitySets = [['read'], ['list'], ['create', 'update'], ['update'], ['read', 'list']];

test('admission and the Vault double\'s ACL engine agree on random rules and requests', () => {
  const next = random(20261123);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  let compared = 0;
  let allowedSeen = 0;
  for (let round = 0; round < 60; round += 1) {
    const paths = Array.from({ length: 1 + Math.floor(next() * 5) }, () => {
      const parts = Array.from({ length: 1 + Math.floor(next() * 3) }, () => (next() < 0.25 ? '+' : pick(segments)));
      let pattern = `m/${parts.join('/')}`;
      const ending = next();
      if (ending < 0.3) pattern += '/*';
      else if (ending < 0.5 && !pattern.endsWith('+')) pattern += '*';
      return { path: pattern, capabilities: pick(capabilitySets) };
    });
    const loaded = loadTenancyPolicy(stringify({ version: 1, defaults: { roles: ['ns'], paths } }), 'random.yaml');
    assert.ok(loaded.ok, loaded.ok ? '' : `${loaded.problems.join('\n')}\n${JSON.stringify(paths)}`);
    const parsed = parsePolicy(renderTenantPolicy(rulesForNamespace(loaded.policy, 'ns')));
    assert.ok(parsed.ok, parsed.ok ? '' : parsed.error);
    const acl = new Acl([parsed.rules], undefined);
    for (let request = 0; request < 40; request += 1) {
      const path = `m/${Array.from({ length: 1 + Math.floor(next() * 4) }, () => pick(segments)).join('/')}`;
      const operation = pick<SecretOperation>(['read', 'list', 'write']);
      const admitted: boolean = loaded.check({ namespace: 'ns', role: 'ns', annotations: {}, secretPaths: [{ annotation: 'x', path, operation }] }) === undefined;
      // Vault's router adds the "/" to a LIST's path before the ACL check.
      const vaultAllows = operation === 'write' ? acl.allows(path, 'update') || acl.allows(path, 'create')
        : acl.allows(operation === 'list' ? `${path}/` : path, operation);
      assert.equal(admitted, vaultAllows, `${operation} ${path} under ${JSON.stringify(paths)}`);
      compared += 1;
      if (admitted) allowedSeen += 1;
    }
  }
  assert.equal(compared, 2400);
  assert.ok(allowedSeen > 100 && allowedSeen < 2300, `both outcomes are exercised (${allowedSeen} allowed)`);
});
