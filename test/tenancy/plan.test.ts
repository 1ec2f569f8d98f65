import { test } from 'node:test';
import assert from 'node:assert/strict';
import { planTenancySync, rolesToRead, type ObservedRole } from '../../src/tenancy/plan.ts';
import { renderTenantPolicy } from '../../src/tenancy/hcl.ts';
import { loadTenancyPolicy } from '../../src/tenancy/policy.ts';
import { rulesForNamespace } from '../../src/tenancy/resolve.ts';
import { policyText } from './vectors.ts';

const loaded = loadTenancyPolicy(policyText, 'tenancy.yaml');
assert.ok(loaded.ok);
const policy = loaded.policy;
const textFor = (namespace: string): string => renderTenantPolicy(rulesForNamespace(policy, namespace));
const ownRole = (namespace: string, extra: Partial<ObservedRole> = {}): ObservedRole => ({
  bound_service_account_names: ['*'], bound_service_account_namespaces: [namespace], token_policies: [`tenant-${namespace}`],
  token_ttl: 3600, token_max_ttl: 14400, ...extra,
});
const summary = (plan: ReturnType<typeof planTenancySync>): string[] =>
  plan.changes.map((change) => `${change.kind} ${change.name}${'action' in change ? ` (${change.action})` : ''}`);

test('planner table', () => {
  const cases: Array<[name: string, labelled: string[], policies: Record<string, string>, roles: Record<string, ObservedRole>, changes: string[], extra?: Partial<{ warnings: string[]; unchanged: string[] }>]> = [
    ['nothing labelled, nothing owned', [], { 'tenant-x': 'path "a" { capabilities = ["read"] }' }, {}, []],
    ['new namespace', ['team-a'], {}, {}, ['write-policy tenant-team-a (create)', 'write-role team-a (create)']],
    ['in sync (role fields as Vault returns them, strings included)', ['team-a'], { 'tenant-team-a': textFor('team-a') },
      { 'team-a': ownRole('team-a', { token_ttl: '3600', bound_service_account_names: '*' }) }, [], { unchanged: ['team-a'] }],
    ['a role with a token TTL of its own is updated', ['team-a'], { 'tenant-team-a': textFor('team-a') }, { 'team-a': ownRole('team-a', { token_ttl: 60 }) }, ['write-role team-a (update)']],
    ['a role owned through the legacy policies field', ['team-a'], { 'tenant-team-a': textFor('team-a') },
      { 'team-a': { ...ownRole('team-a'), token_policies: [], policies: ['tenant-team-a'] } }, ['write-role team-a (update)']],
    ['policy text drifted', ['team-a'], { 'tenant-team-a': textFor('team-a').replace('["read"]', '["read", "list"]') }, { 'team-a': ownRole('team-a') }, ['write-policy tenant-team-a (update)']],
    ['label removed: role then policy', [], { 'tenant-team-a': textFor('team-a') }, { 'team-a': ownRole('team-a') }, ['delete-role team-a', 'delete-policy tenant-team-a']],
    ['label removed, role already gone', [], { 'tenant-team-a': textFor('team-a') }, {}, ['delete-policy tenant-team-a']],
    ['a marker for another namespace is not ownership', [], { 'tenant-team-b': textFor('team-a') }, {}, []],
    ['labelled but not a tenant by name: provisioned, with a warning', ['shop'], {}, {}, ['write-policy tenant-shop (create)', 'write-role shop (create)'],
      { warnings: ['namespace "shop" is labelled vault-injector.io/tenant=true but tenants.include/exclude leave it unchecked at admission; Vault still confines it'] }],
    ['an invalid name is skipped', ['Bad_Name'], {}, {}, [], { warnings: ['namespace "Bad_Name" is not a valid namespace name; skipped'] }],
  ];
  for (const [name, labelled, policies, roles, changes, extra] of cases) {
    const plan = planTenancySync(policy, labelled, { policies: new Map(Object.entries(policies)), roles: new Map(Object.entries(roles)) });
    assert.deepEqual(summary(plan), changes, name);
    assert.deepEqual(plan.conflicts, [], name);
    if (extra?.warnings) assert.deepEqual(plan.warnings, extra.warnings, name);
    if (extra?.unchanged) assert.deepEqual(plan.unchanged, extra.unchanged, name);
  }
});

test('the roles to read are the labelled and the owned namespaces', () => {
  assert.deepEqual(rolesToRead(['team-b', 'team-a', 'Bad'], new Map([['tenant-team-c', textFor('team-c')], ['tenant-x', 'path "a" {}']])), ['team-a', 'team-b', 'team-c']);
});
