import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadTenancyPolicy } from '../../src/tenancy/policy.ts';
import { lockableSettings } from '../../src/tenancy/types.ts';
import { rulesForNamespace } from '../../src/tenancy/resolve.ts';
import { policyText } from './vectors.ts';

test('the example policy loads into the documented model', () => {
  const loaded = loadTenancyPolicy(policyText, 'tenancy.yaml');
  assert.ok(loaded.ok);
  const { policy } = loaded;
  assert.deepEqual(policy.tenants, { include: ['team-*'], exclude: ['team-platform'] });
  assert.deepEqual(policy.defaults.locked, [...lockableSettings]);
  assert.deepEqual(policy.defaults.paths, [
    { path: 'secret/data/${namespace}/*', capabilities: ['read'] },
    { path: 'database/creds/${namespace}-*', capabilities: ['read'] },
    { path: 'pki/issue/${namespace}', capabilities: ['create', 'update'] },
  ]);
  assert.deepEqual(policy.vault, { kvV2Mounts: ['secret'], authMount: 'kubernetes', tokenTtl: 3600, tokenMaxTtl: 14400 });
  const legacy = rulesForNamespace(policy, 'team-legacy');
  assert.deepEqual(legacy.roles, ['team-legacy', 'team-legacy-*', 'legacy-app']);
  assert.deepEqual(legacy.paths.map((rule) => rule.pattern), [
    'database/creds/team-legacy-*', 'pki/issue/team-legacy', 'secret/data/shared/legacy/*', 'secret/data/team-legacy/*',
  ]);
  assert.equal(legacy.locked.has('agent-json-patch'), false);
  assert.equal(legacy.locked.has('service'), true);
});

test('the same pattern twice is one rule with the capabilities merged, as Vault merges them', () => {
  const loaded = loadTenancyPolicy(`version: 1
defaults:
  paths: ["secret/data/\${namespace}/*", {path: "secret/data/\${namespace}/*", capabilities: [list]}]
exceptions:
  team-a: {paths: [{path: "secret/data/team-a/*", capabilities: [create]}]}
`, 'p.yaml');
  assert.ok(loaded.ok);
  assert.deepEqual(rulesForNamespace(loaded.policy, 'team-a').paths, [{ pattern: 'secret/data/team-a/*', capabilities: ['read', 'list', 'create'] }]);
});

test('invalid policy files: every problem, each with the field path and the reason', () => {
  const cases: Array<[name: string, text: string, problems: string[]]> = [
    ['empty', '', ['p.yaml: the file is empty; a tenancy policy needs at least "version: 1" and "defaults"']],
    ['YAML syntax', 'version: 1\ndefaults: [\n', ['p.yaml: invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ] at line 3, column 1']],
    ['duplicate key', 'version: 1\nversion: 1\ndefaults: {}\n', ['p.yaml: invalid YAML: Map keys must be unique at line 2, column 1']],
    ['not a mapping', '- a\n', ['p.yaml: (top level): must be a mapping (see the tenancy policy format in the README)']],
    ['missing fields', 'tenants: {}\n', ['p.yaml: version: is required', 'p.yaml: defaults: is required']],
    ['wrong version', 'version: 2\ndefaults: {}\n', ['p.yaml: version: must be 1 (the only version of this format)']],
    ['unknown field', 'version: 1\ndefaults: {role: [x]}\n', ['p.yaml: defaults: unknown field "role"']],
    ['bad paths', `version: 1
defaults:
  paths:
    - secret/data/\${namespace}/*
    - /v1/secret/x
    - secret/*/\${namespace}
    - secret/data/\${team}/*
    - {path: pki/issue/x, capabilities: [write]}
    - {path: pki/issue/y, capabilities: []}
    - 3
`, [
      'p.yaml: defaults.paths[1]: "/v1/secret/x" must be a Vault API path without a leading "/" or "v1/" (e.g. secret/data/team-a/*)',
      'p.yaml: defaults.paths[2]: "secret/*/${namespace}" "*" is only allowed as the last character (Vault globs are prefix matches)',
      'p.yaml: defaults.paths[3]: unknown placeholder ${team} (only ${namespace} is defined)',
      'p.yaml: defaults.paths[4].capabilities[0]: must be one of read, list, create, update',
      'p.yaml: defaults.paths[5].capabilities: must list at least one capability',
      'p.yaml: defaults.paths[6]: must be a Vault path pattern, or {path, capabilities}',
    ]],
    ['bad roles and locks', `version: 1
defaults:
  roles: ["*", "a b"]
  locked: [service, vault-address]
exceptions:
  Team_A: {unlock: [agent-image]}
  team-b: {unlock: all}
`, [
      'p.yaml: defaults.roles[0]: "*" would allow every role; list the roles a namespace may use, e.g. ${namespace}',
      'p.yaml: defaults.roles[1]: must be a non-empty role name pattern without white space',
      `p.yaml: defaults.locked[1]: must be one of ${lockableSettings.join(', ')}`,
      'p.yaml: exceptions.Team_A: "Team_A" is not a namespace name (lower-case letters, digits and "-")',
      'p.yaml: exceptions.team-b.unlock: must be a list of setting names',
    ]],
    ['bad tenants and vault', `version: 1
tenants: {include: [], exclude: ["Kube_*"]}
defaults: {}
vault: {kvV2Mounts: ["/secret/"], tokenTtl: 2h, tokenMaxTtl: 1h}
`, [
      'p.yaml: tenants.exclude[0]: must be a namespace name or a glob of one (lower-case letters, digits, "-" and "*")',
      'p.yaml: vault.kvV2Mounts[0]: must be a Vault mount path without leading or trailing "/" (e.g. secret, kubernetes)',
    ]],
    ['semantic checks after the schema', `version: 1
tenants: {include: []}
defaults: {}
vault: {tokenTtl: 2h, tokenMaxTtl: 1h}
`, [
      'p.yaml: vault.tokenTtl: must not be greater than vault.tokenMaxTtl (Vault rejects such a role)',
      'p.yaml: tenants.include: must list at least one namespace glob ("*" for every namespace)',
    ]],
  ];
  for (const [name, text, problems] of cases) {
    const loaded = loadTenancyPolicy(text, 'p.yaml');
    assert.equal(loaded.ok, false, name);
    if (!loaded.ok) assert.deepEqual(loaded.problems, problems, name);
  }
});

test('reload through the server\'s policy file watcher: a new version applies, a broken one is refused and the last good stays', async () => {
  const { TenancyPolicyFile } = await import('../../src/server/tenancy-file.ts');
  const directory = await mkdtemp(join(tmpdir(), 'tenancy-'));
  const file = join(directory, 'tenancy.yaml');
  try {
    await writeFile(file, policyText);
    const rejected: string[][] = [];
    let current: ((request: never) => unknown) | undefined;
    const watcher = new TenancyPolicyFile(file, (check) => { current = check as never; }, { onRejected: (_path, problems) => rejected.push(problems) }, 60_000);
    const started = await watcher.start();
    const foreign = { namespace: 'team-a', annotations: {}, role: 'team-a', secretPaths: [{ annotation: 'x', path: 'secret/data/shared/x' }] };
    assert.equal(started(foreign)?.code, 'TENANCY_PATH_NOT_ALLOWED');

    await writeFile(file, policyText.replace('    - database/creds/${namespace}-*', '    - database/creds/${namespace}-*\n    - secret/data/shared/*'));
    await watcher.check();
    assert.equal(watcher.currentCheck()?.(foreign), undefined, 'the reloaded policy allows the shared path');

    await writeFile(file, 'version: 1\ndefaults: {roles: ["*"]}\n# a different size\n');
    await watcher.check();
    assert.deepEqual(rejected, [[`${file}: defaults.roles[0]: "*" would allow every role; list the roles a namespace may use, e.g. \${namespace}`]]);
    assert.equal(watcher.currentCheck()?.(foreign), undefined, 'the last good policy stays in force');
    assert.ok(current);
    await watcher.stop();
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
});
