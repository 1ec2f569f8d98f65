import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Acl, lowerPriority, resolveTemplates } from './acl.ts';
import { startVaultDouble, type VaultDouble } from './index.ts';
import { parsePolicy, type PolicyPathRule } from './policy-hcl.ts';
import { aclDeniedBody, call, fixture, pick, pickString } from './test-helpers.ts';
import type { Operation } from './wire.ts';

function rules(hcl: string): PolicyPathRule[] {
  const parsed = parsePolicy(hcl);
  assert.ok(parsed.ok, parsed.ok ? '' : parsed.error);
  return parsed.rules;
}

describe('policy HCL parser', () => {
  it('reads path blocks, comments, the legacy policy form and ignores other attributes', () => {
    const parsed = rules(`
      # comment
      // another
      /* block
         comment */
      path "secret/data/app/*" {
        capabilities = ["read", "list",]
        allowed_parameters = { "foo" = [] }
      }
      path "/old" { policy = "read" }
    `);
    assert.deepEqual(parsed, [
      { pattern: 'secret/data/app/*', capabilities: ['read', 'list'] },
      { pattern: 'old', capabilities: ['read', 'list'] },
    ]);
  });

  const invalid: Array<[string, RegExp]> = [
    ['path "a" { capabilities = ["fly"] }', /invalid capability "fly"/],
    ['path "a/*/b" { capabilities = ["read"] }', /only allowed as the last character/],
    ['path "a/+*" { capabilities = ["read"] }', /"\+\*" is not allowed/],
    ['path "a" { capabilities = ["read"]', /missing "}"/],
    ['path a { }', /expected the quoted path/],
    ['path "a" { capabilities = "read" }', /capabilities must be a list/],
  ];
  for (const [text, message] of invalid) {
    it(`rejects ${JSON.stringify(text)}`, () => {
      const parsed = parsePolicy(text);
      assert.equal(parsed.ok, false);
      assert.match(parsed.ok ? '' : parsed.error, /^failed to parse policy: /);
      assert.match(parsed.ok ? '' : parsed.error, message);
    });
  }
});

describe('ACL evaluation (policies.mdx rules)', () => {
  const acl = new Acl([rules(`
    path "secret/foo" { capabilities = ["read"] }
    path "secret/zip-*" { capabilities = ["read"] }
    path "secret/bar/*" { capabilities = ["read", "list"] }
    path "secret/bar/private/*" { capabilities = ["deny"] }
    path "secret/+/teamb" { capabilities = ["update"] }
    path "secret/+/+/teamb" { capabilities = ["delete"] }
    path "secret/+/shared/*" { capabilities = ["create"] }
    path "kv/*" { capabilities = ["read"] }
    path "kv/data/special" { capabilities = ["list"] }
    path "list-me" { capabilities = ["list"] }
  `), rules(`
    path "secret/foo" { capabilities = ["update"] }
    path "secret/zip-*" { capabilities = ["deny"] }
  `)], undefined);

  const cases: Array<[string, Operation, boolean, string]> = [
    ['secret/foo', 'read', true, 'exact match'],
    ['secret/foo', 'update', true, 'same pattern in two policies is unioned'],
    ['secret/food', 'read', false, 'exact does not prefix-match'],
    ['secret/foo/bar', 'read', false, 'exact does not match children'],
    ['secret/zip-zap', 'read', false, 'deny in another policy on the same pattern wins'],
    ['secret/bar/zip/zap', 'read', true, 'glob is a prefix match across segments'],
    ['secret/bars/zip', 'read', false, 'secret/bar/* does not match secret/bars/...'],
    ['secret/bar/private/x', 'read', false, 'longer glob with deny wins'],
    ['secret/x/teamb', 'update', true, '+ matches one segment'],
    ['secret/x/y/teamb', 'update', false, '+ does not match two segments'],
    ['secret/x/y/teamb', 'delete', true, 'two + segments'],
    ['secret/a/shared/deep/path', 'create', true, '+ combined with a trailing *'],
    ['kv/data/special', 'read', false, 'an exact match wins over a glob and is not unioned with it'],
    ['kv/data/special', 'list', true, 'exact match capabilities'],
    ['kv/data/other', 'read', true, 'glob'],
    ['list-me/', 'list', true, 'LIST on foo/ also tries the rule for foo'],
    ['list-me/', 'read', false, 'only for LIST'],
    ['other/path', 'read', false, 'deny by default'],
  ];
  for (const [path, operation, allowed, why] of cases) {
    it(`${operation} ${path}: ${allowed ? 'allowed' : 'denied'} (${why})`, () => assert.equal(acl.allows(path, operation), allowed));
  }

  it('sudo is needed on root-protected paths', () => {
    const sudoAcl = new Acl([rules('path "sys/leases/revoke-prefix/*" { capabilities = ["update"] }\npath "sys/x/*" { capabilities = ["update", "sudo"] }')], undefined);
    assert.equal(sudoAcl.allows('sys/leases/revoke-prefix/db', 'update', true), false);
    assert.equal(sudoAcl.allows('sys/x/y', 'update', true), true);
  });

  const priority: Array<[string, string, string]> = [
    ['secret/*', 'secret/a/*', 'first wildcard later wins'],
    ['secret/+/x', 'secret/a/+', 'first + later wins'],
    ['secret/a/*', 'secret/a/+', 'a trailing * loses to no trailing * at the same position'],
    ['secret/+/+/x', 'secret/+/y/x', 'more + segments loses'],
    ['secret/+/a', 'secret/+/ab', 'shorter loses'],
    ['secret/+/ab', 'secret/+/ac', 'lexicographically smaller loses'],
  ];
  for (const [lower, higher, why] of priority) {
    it(`${lower} < ${higher} (${why})`, () => {
      assert.equal(lowerPriority(lower, higher), true);
      assert.equal(lowerPriority(higher, lower), false);
    });
  }

  it('templated paths resolve from the entity; unresolved stanzas are dropped', () => {
    const entity = { id: 'e1', name: 'entity_1', aliases: [{ mountAccessor: 'auth_kubernetes_1234', id: 'a1', name: 'uid', metadata: { service_account_namespace: 'team-a' } }] };
    assert.equal(resolveTemplates('secret/data/{{identity.entity.aliases.auth_kubernetes_1234.metadata.service_account_namespace}}/*', entity), 'secret/data/team-a/*');
    assert.equal(resolveTemplates('x/{{identity.entity.id}}', entity), 'x/e1');
    assert.equal(resolveTemplates('x/{{identity.entity.aliases.auth_other.metadata.service_account_namespace}}', entity), undefined);
    assert.equal(resolveTemplates('x/{{identity.entity.aliases.auth_kubernetes_1234.metadata.missing}}', entity), undefined);
    assert.equal(resolveTemplates('x/{{identity.entity.id}}', undefined), undefined);
    const templated = new Acl([rules('path "secret/{{identity.entity.aliases.auth_other.metadata.x}}*" { capabilities = ["read"] }')], entity);
    assert.equal(templated.allows('secret/anything', 'read'), false);
  });
});

describe('ACL enforcement over HTTP', () => {
  let vault: VaultDouble;
  let tenantA: string;
  before(async () => {
    vault = await startVaultDouble();
    vault.enableKubernetesAuth();
    vault.enableKv('secret', 2);
    vault.putKv('secret', 'team-a/db', { password: 'a-secret' });
    vault.putKv('secret', 'team-b/db', { password: 'b-secret' });
    const accessor = vault.authMountAccessor('kubernetes');
    vault.writePolicy('per-namespace', `
      path "secret/data/{{identity.entity.aliases.${accessor}.metadata.service_account_namespace}}/*" { capabilities = ["read"] }
      path "secret/metadata/{{identity.entity.aliases.${accessor}.metadata.service_account_namespace}}/*" { capabilities = ["list"] }
    `);
    vault.writeKubernetesRole('kubernetes', 'tenants', { bound_service_account_names: ['app'], bound_service_account_namespaces: ['team-*'], token_policies: ['per-namespace'] });
    const jwt = vault.issueServiceAccountJwt({ namespace: 'team-a', name: 'app' });
    tenantA = pickString((await call(vault, 'POST', 'auth/kubernetes/login', { body: { role: 'tenants', jwt } })).body, 'auth.client_token');
  });
  after(() => vault.close());

  it('a templated policy gives each namespace its own subtree', async () => {
    const own = await call(vault, 'GET', 'secret/data/team-a/db', { token: tenantA });
    assert.equal(own.status, 200);
    assert.equal(pick(own.body, 'data.data.password'), 'a-secret');
    const other = await call(vault, 'GET', 'secret/data/team-b/db', { token: tenantA });
    assert.equal(other.status, 403);
    assert.deepEqual(other.body, aclDeniedBody);
    assert.deepEqual(other.body, fixture('error-permission-denied-acl.response.json'));
  });

  it('ACL is checked before routing: a non-root token gets 403, root gets 404 no handler', async () => {
    const denied = await call(vault, 'GET', 'nowhere/x', { token: tenantA });
    assert.equal(denied.status, 403);
    assert.deepEqual(denied.body, aclDeniedBody);
    const missing = await call(vault, 'GET', 'nowhere/x', { token: vault.rootToken });
    assert.equal(missing.status, 404);
    assert.deepEqual(missing.body, { errors: ['no handler for route "nowhere/x". route entry not found.'] });
  });

  it('create vs update follows the existence check', async () => {
    vault.writePolicy('creator', 'path "secret/data/new/*" { capabilities = ["create"] }');
    const token = vault.createToken({ policies: ['creator'] });
    assert.equal((await call(vault, 'POST', 'secret/data/new/one', { token, body: { data: { a: '1' } } })).status, 200);
    const again = await call(vault, 'POST', 'secret/data/new/one', { token, body: { data: { a: '2' } } });
    assert.equal(again.status, 403, 'the second write is an update, which the policy does not grant');
  });

  it('the default policy grants the token self-service and lease renew/lookup but not revoke', async () => {
    const token = vault.createToken({ policies: [] });
    assert.equal((await call(vault, 'GET', 'auth/token/lookup-self', { token })).status, 200);
    assert.equal((await call(vault, 'PUT', 'sys/leases/lookup', { token, body: { lease_id: 'x/y' } })).status, 400);
    assert.equal((await call(vault, 'PUT', 'sys/leases/renew', { token, body: { lease_id: 'x/y' } })).status, 400);
    assert.equal((await call(vault, 'PUT', 'sys/leases/revoke', { token, body: { lease_id: 'x/y' } })).status, 403);
  });

  it('manages policies at sys/policies/acl and sys/policy', async () => {
    const root = vault.rootToken;
    const text = 'path "secret/data/x" {\n  capabilities = ["read"]\n}\n';
    assert.equal((await call(vault, 'PUT', 'sys/policies/acl/Reader', { token: root, body: { policy: text } })).status, 204);
    const read = await call(vault, 'GET', 'sys/policies/acl/reader', { token: root });
    assert.equal(read.status, 200);
    assert.deepEqual(pick(read.body, 'data'), { name: 'reader', policy: text });
    const legacy = await call(vault, 'GET', 'sys/policy/reader', { token: root });
    assert.equal(pick(legacy.body, 'rules'), text, 'sys/policy copies data keys to the top level');
    assert.equal(pick(legacy.body, 'data.rules'), text);
    const list = await call(vault, 'LIST', 'sys/policies/acl', { token: root });
    assert.deepEqual(pick(list.body, 'data.keys'), ['creator', 'default', 'per-namespace', 'reader', 'root']);
    assert.deepEqual(pick((await call(vault, 'GET', 'sys/policy', { token: root })).body, 'policies'), ['creator', 'default', 'per-namespace', 'reader', 'root']);
    assert.equal((await call(vault, 'PUT', 'sys/policy/legacy', { token: root, body: { rules: text } })).status, 204);
    const bad = await call(vault, 'PUT', 'sys/policies/acl/bad', { token: root, body: { policy: 'path "x" { capabilities = ["fly"] }' } });
    assert.equal(bad.status, 400);
    assert.match(pickString(bad.body, 'errors.0'), /^failed to parse policy: .*invalid capability "fly"/);
    assert.deepEqual((await call(vault, 'DELETE', 'sys/policies/acl/default', { token: root })).body, { errors: ['cannot delete "default" policy'] });
    assert.deepEqual((await call(vault, 'PUT', 'sys/policies/acl/root', { token: root, body: { policy: text } })).body, { errors: ['cannot update "root" policy'] });
    assert.equal((await call(vault, 'DELETE', 'sys/policies/acl/reader', { token: root })).status, 204);
    assert.equal((await call(vault, 'GET', 'sys/policies/acl/reader', { token: root })).status, 404);
    assert.equal((await call(vault, 'GET', 'sys/policies/acl/default', { token: root })).status, 200);
  });

  it('policy changes apply to existing tokens at once', async () => {
    vault.writePolicy('flip', 'path "secret/data/team-b/*" { capabilities = ["read"] }');
    const token = vault.createToken({ policies: ['flip'] });
    assert.equal((await call(vault, 'GET', 'secret/data/team-b/db', { token })).status, 200);
    vault.writePolicy('flip', 'path "secret/data/team-b/*" { capabilities = ["deny"] }');
    assert.equal((await call(vault, 'GET', 'secret/data/team-b/db', { token })).status, 403);
  });
});
