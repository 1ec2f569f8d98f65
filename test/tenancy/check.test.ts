import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadTenancyPolicy } from '../../src/tenancy/policy.ts';
import type { TenancyCheck, TenancyRequest } from '../../src/tenancy/types.ts';
import { attackVectors, policyText } from './vectors.ts';

function loadCheck(text = policyText): TenancyCheck {
  const loaded = loadTenancyPolicy(text, 'tenancy.yaml');
  assert.ok(loaded.ok, loaded.ok ? '' : loaded.problems.join('\n'));
  return loaded.check;
}

const A = 'vault.hashicorp.com/';
const request = (overrides: Partial<TenancyRequest>): TenancyRequest => ({
  namespace: 'team-a', annotations: {}, role: 'team-a', secretPaths: [], ...overrides,
});
const secret = (path: string | null, annotation = `${A}agent-inject-secret-db`, operation?: 'read' | 'write' | 'list') =>
  ({ annotation, path, ...(operation ? { operation } : {}) });

test('every attack vector is denied at admission with its one-sentence message', () => {
  const check = loadCheck();
  for (const vector of attackVectors) {
    const denial = check(vector.request);
    assert.deepEqual(denial, { code: vector.code, message: vector.message }, vector.name);
    assert.equal(denial?.message.includes('\n'), false, `${vector.name}: one line`);
  }
});

test('the same pods without the attack are allowed', () => {
  const check = loadCheck();
  const cases: Array<[string, TenancyRequest]> = [
    ['own role and paths', request({ annotations: { [`${A}role`]: 'team-a' }, secretPaths: [secret('secret/data/team-a/db'), secret('database/creds/team-a-ro'), secret('pki/issue/team-a', `${A}agent-inject-template-cert`, 'write')] })],
    ['role by pattern', request({ role: 'team-a-batch' })],
    ['KV v2 path as consul-template writes it', request({ secretPaths: [secret('secret/team-a/db')] })],
    ['version query and slashes trimmed', request({ secretPaths: [secret(' /secret/data/team-a/db?version=2/ ')] })],
    ['tls-skip-verify false is no downgrade', request({ annotations: { [`${A}tls-skip-verify`]: 'false' } })],
    ['empty tls-skip-verify means false', request({ annotations: { [`${A}tls-skip-verify`]: '' } })],
    ['set-security-context true is the default', request({ annotations: { [`${A}agent-set-security-context`]: 'true' } })],
    ['allowed agent image', request({ annotations: { [`${A}agent-image`]: 'registry.example.com/vault-injector-agent:1.4.0' } })],
    ['short annotation keys', request({ annotations: { 'tls-skip-verify': 'f' } })],
    ['not a tenant (include)', request({ namespace: 'default', role: 'anything', annotations: { [`${A}service`]: 'https://x' }, secretPaths: [secret(null)] })],
    ['not a tenant (exclude)', request({ namespace: 'team-platform', role: 'platform', secretPaths: [secret('secret/data/team-b/db')] })],
    ['exception: extra role, path and unlocked setting', request({ namespace: 'team-legacy', role: 'legacy-app', annotations: { [`${A}agent-json-patch`]: '[]' }, secretPaths: [secret('secret/data/shared/legacy/cfg')] })],
  ];
  for (const [name, input] of cases) assert.equal(check(input), undefined, name);
});

test('other denials: capability, canonical form, KV v2 shim, exceptions stay per namespace, defaults role', () => {
  const check = loadCheck();
  const cases: Array<[string, TenancyRequest, string, string]> = [
    ['read of a write-only path', request({ secretPaths: [secret('pki/issue/team-a', `${A}agent-inject-template-cert`, 'read')] }), 'TENANCY_CAPABILITY_NOT_ALLOWED',
      `namespace "team-a" may not read "pki/issue/team-a" in annotation ${A}agent-inject-template-cert (pki/issue/team-a grants create, update only; allowed: database/creds/team-a-*, pki/issue/team-a [create update], secret/data/team-a/*)`],
    ['write of a read-only path', request({ secretPaths: [secret('database/creds/team-a-ro', `${A}agent-inject-template-x`, 'write')] }), 'TENANCY_CAPABILITY_NOT_ALLOWED',
      `namespace "team-a" may not write "database/creds/team-a-ro" in annotation ${A}agent-inject-template-x (database/creds/team-a-* grants read only; allowed: database/creds/team-a-*, pki/issue/team-a [create update], secret/data/team-a/*)`],
    ['parent reference', request({ secretPaths: [secret('secret/data/team-a/../team-b/db')] }), 'TENANCY_PATH_NOT_CANONICAL',
      `namespace "team-a" may not read "secret/data/team-a/../team-b/db" in annotation ${A}agent-inject-secret-db (the path has an empty, "." or ".." segment; allowed: database/creds/team-a-*, pki/issue/team-a [create update], secret/data/team-a/*)`],
    ['percent escape', request({ secretPaths: [secret('secret/data/team-a/%2e%2e/x')] }), 'TENANCY_PATH_NOT_CANONICAL',
      `namespace "team-a" may not read "secret/data/team-a/%2e%2e/x" in annotation ${A}agent-inject-secret-db (the path has white space, "%" escapes or backslashes; allowed: database/creds/team-a-*, pki/issue/team-a [create update], secret/data/team-a/*)`],
    ['KV v2 path of another team, shown with its Vault path', request({ secretPaths: [secret('secret/team-b/db')] }), 'TENANCY_PATH_NOT_ALLOWED',
      `namespace "team-a" may not read "secret/team-b/db" (Vault path "secret/data/team-b/db") in annotation ${A}agent-inject-secret-db (allowed: database/creds/team-a-*, pki/issue/team-a [create update], secret/data/team-a/*)`],
    ['a prefix that only looks like the namespace', request({ secretPaths: [secret('secret/data/team-ab/db')] }), 'TENANCY_PATH_NOT_ALLOWED',
      `namespace "team-a" may not read "secret/data/team-ab/db" in annotation ${A}agent-inject-secret-db (allowed: database/creds/team-a-*, pki/issue/team-a [create update], secret/data/team-a/*)`],
    ['another namespace may not use team-legacy\'s exception', request({ role: 'legacy-app' }), 'TENANCY_ROLE_NOT_ALLOWED',
      'namespace "team-a" may not use Vault role "legacy-app" as the injector\'s default role (allowed: team-a, team-a-*)'],
    ['team-legacy keeps the other locks', request({ namespace: 'team-legacy', role: 'team-legacy', annotations: { [`${A}service`]: 'http://x' } }), 'TENANCY_SETTING_LOCKED',
      `namespace "team-legacy" may not set annotation ${A}service to "http://x" (locked by the tenancy policy; allowed: the injector's setting)`],
    ['template file cannot be checked', request({ annotations: { [`${A}agent-inject-template-file-db`]: '/vault/custom/db.tmpl' } }), 'TENANCY_SETTING_LOCKED',
      `namespace "team-a" may not set annotation ${A}agent-inject-template-file-db to "/vault/custom/db.tmpl" (a template file cannot be checked at admission; allowed: the injector's setting)`],
    ['agent configmap', request({ annotations: { [`${A}agent-configmap`]: 'my-agent-config' } }), 'TENANCY_SETTING_LOCKED',
      `namespace "team-a" may not set annotation ${A}agent-configmap to "my-agent-config" (locked by the tenancy policy; allowed: the injector's setting)`],
    ['role from auth-config-role is named as such', request({ role: 'team-b', annotations: { [`${A}auth-config-role`]: 'team-b' } }), 'TENANCY_ROLE_NOT_ALLOWED',
      `namespace "team-a" may not use Vault role "team-b" in annotation ${A}auth-config-role (allowed: team-a, team-a-*)`],
    ['TLS server name override', request({ annotations: { [`${A}tls-server-name`]: 'vault.evil.example' } }), 'TENANCY_SETTING_LOCKED',
      `namespace "team-a" may not set annotation ${A}tls-server-name to "vault.evil.example" (locked by the tenancy policy; allowed: the injector's setting)`],
    ['value with a newline is quoted on one line', request({ annotations: { [`${A}ca-cert`]: '/a\n/b' } }), 'TENANCY_SETTING_LOCKED',
      `namespace "team-a" may not set annotation ${A}ca-cert to "/a\\n/b" (locked by the tenancy policy; allowed: the injector's setting)`],
  ];
  for (const [name, input, code, message] of cases) assert.deepEqual(check(input), { code, message }, name);
});

test('locked: a policy may lock fewer settings, and namespaces with no paths are told so', () => {
  const check = loadCheck(`version: 1
defaults:
  roles: ["\${namespace}"]
  locked: [service]
`);
  assert.equal(check(request({ annotations: { [`${A}agent-image`]: 'anything:1' } })), undefined);
  assert.equal(check(request({ annotations: { [`${A}service`]: 'http://x' } }))?.code, 'TENANCY_SETTING_LOCKED');
  assert.deepEqual(check(request({ secretPaths: [secret('secret/data/team-a/db')] })), {
    code: 'TENANCY_PATH_NOT_ALLOWED',
    message: `namespace "team-a" may not read "secret/data/team-a/db" in annotation ${A}agent-inject-secret-db (allowed: no Vault paths)`,
  });
});
