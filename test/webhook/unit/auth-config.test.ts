// auth-type and auth-config-KEY, ported in spirit from vault-k8s's TestAuthConfigAnnotations and config_test.go:
// `-` becomes `_`, values stay strings, role beats auth-config-role, token_path comes from the service account
// volume unless overridden; plus what we add: every key is checked against the keys the method reads.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { agents, decodeConfig, injected, makePod, problemsOf, specOf } from './helpers.ts';
import { buildAgentConfig } from '../../../src/agent-config.ts';
import { resolveSettings } from '../../../agent/src/config/settings.ts';
import { loadSettings } from '../../../src/settings.ts';
import { validateAgentConfig } from '../../../agent/src/config/schema.ts';

const SA_TOKEN = '/var/run/secrets/kubernetes.io/serviceaccount/token';
const methodOf = (annotations: Record<string, string>): unknown => buildAgentConfig(specOf(makePod(annotations)), 'init').auto_auth.method;

test('kubernetes (the default): role and token_path, keys sorted as encoding/json writes a Go map', () => {
  assert.deepEqual(methodOf({}), { type: 'kubernetes', mount_path: 'auth/kubernetes', config: { role: 'web', token_path: SA_TOKEN } });
  assert.deepEqual(methodOf({ role: 'r1', 'auth-config-role': 'r2', 'auth-config-token-path': '/custom/token' }),
    { type: 'kubernetes', mount_path: 'auth/kubernetes', config: { role: 'r1', token_path: '/custom/token' } });
});

test('jwt: the service account token as the JWT, not removed, unless auth-config-path names another file', () => {
  assert.deepEqual(methodOf({ 'auth-type': 'jwt', 'auth-path': 'auth/jwt' }), {
    type: 'jwt', mount_path: 'auth/jwt', config: { path: SA_TOKEN, remove_jwt_after_reading: 'false', role: 'web', token_path: SA_TOKEN },
  });
  assert.deepEqual(methodOf({
    'auth-type': 'jwt', 'auth-path': 'auth/jwt', 'auth-config-path': '/vault/custom/oidc.jwt', 'auth-config-remove-jwt-after-reading': 'true',
    'auth-config-remove-jwt-follows-symlinks': 'T', 'auth-config-jwt-read-period': '30s',
  }), {
    type: 'jwt', mount_path: 'auth/jwt',
    config: { jwt_read_period: '30s', path: '/vault/custom/oidc.jwt', remove_jwt_after_reading: 'true', remove_jwt_follows_symlinks: 'T', role: 'web', token_path: SA_TOKEN },
  });
  // With its own path, Vault Agent's remove_jwt_after_reading default (true) is left to the agent, as vault-k8s does.
  assert.deepEqual(methodOf({ 'auth-type': 'jwt', 'auth-config-path': '/tmp/jwt' }),
    { type: 'jwt', mount_path: 'auth/kubernetes', config: { path: '/tmp/jwt', role: 'web', token_path: SA_TOKEN } });
});

test('the injected agent reads the jwt config as the webhook meant it', () => {
  const pod = injected(makePod({ 'auth-type': 'jwt', 'auth-path': 'jwt-external', 'agent-inject-secret-db': 'secret/db' }));
  for (const agent of agents(pod)) {
    const config = decodeConfig(agent);
    const checked = validateAgentConfig(config);
    assert.ok(checked.ok);
    if (!checked.ok) continue;
    const settings = resolveSettings(checked.config);
    assert.equal(settings.loginPath, 'auth/jwt-external/login');
    assert.equal(settings.tokenPath, SA_TOKEN);
    assert.deepEqual(settings.auth, { type: 'jwt', removeAfterReading: false, removeFollowsSymlinks: false, readPeriodMs: 60_000 });
  }
});

test('refused: an unknown method, a key the method does not read, a bad value, the same key twice', () => {
  const cases: Array<[Record<string, string>, string[]]> = [
    [{ 'auth-type': 'approle' }, ['VI_ANNOTATION_INVALID annotation vault.hashicorp.com/auth-type: "approle" is not supported ("kubernetes" or "jwt")']],
    [{ 'auth-config-path': '/x' }, ['VI_ANNOTATION_UNSUPPORTED annotation vault.hashicorp.com/auth-config-path: the kubernetes auth method has no config key "path" (auth-config-KEY accepts role, token-path)']],
    [{ 'auth-type': 'jwt', 'auth-config-bound-audiences': 'x' }, ['VI_ANNOTATION_UNSUPPORTED annotation vault.hashicorp.com/auth-config-bound-audiences: the jwt auth method has no config key "bound_audiences" (auth-config-KEY accepts role, token-path, path, remove-jwt-after-reading, remove-jwt-follows-symlinks, jwt-read-period)']],
    [{ 'auth-type': 'jwt', 'auth-config-remove-jwt-after-reading': 'yes' }, ['VI_ANNOTATION_INVALID annotation vault.hashicorp.com/auth-config-remove-jwt-after-reading: "yes" is not a boolean (true, false, 1, 0, t, f)']],
    [{ 'auth-type': 'jwt', 'auth-config-jwt-read-period': 'soon' }, ['VI_ANNOTATION_INVALID annotation vault.hashicorp.com/auth-config-jwt-read-period: "soon" is not a duration (seconds, or a Go duration such as 30s)']],
    [{ 'auth-type': 'jwt', 'auth-config-path': 'relative/jwt' }, ['VI_ANNOTATION_INVALID annotation vault.hashicorp.com/auth-config-path: "relative/jwt" is not an absolute path without ".."']],
    [{ 'auth-type': 'jwt', 'auth-config-path': '/a', 'auth-config-path_': '/b' }, ['VI_ANNOTATION_UNSUPPORTED annotation vault.hashicorp.com/auth-config-path_: the jwt auth method has no config key "path_" (auth-config-KEY accepts role, token-path, path, remove-jwt-after-reading, remove-jwt-follows-symlinks, jwt-read-period)']],
    [{ 'auth-type': 'jwt', 'auth-config-jwt_read_period': '1m', 'auth-config-jwt-read-period': '2m' }, ['VI_ANNOTATION_INVALID annotation vault.hashicorp.com/auth-config-jwt_read_period: sets the same key "jwt_read_period" as vault.hashicorp.com/auth-config-jwt-read-period']],
    [{ 'auth-config-token_path': '/t' }, ['VI_ANNOTATION_INVALID annotation vault.hashicorp.com/auth-config-token_path: sets the same key as vault.hashicorp.com/auth-config-token-path; use that one']],
  ];
  for (const [annotations, expected] of cases) assert.deepEqual(problemsOf(makePod(annotations)), expected, JSON.stringify(annotations));
  // An empty value asks for nothing, as before (vault-k8s would pass "" on, which Vault Agent's ParseBool refuses).
  assert.equal(specOf(makePod({ 'auth-type': 'jwt', 'auth-config-remove-jwt-after-reading': '' })).authConfig['remove_jwt_after_reading'], 'false');
});

test('role is required for jwt too (Vault Agent\'s jwt method needs it), named for the method', () => {
  const pod = makePod({ 'auth-type': 'jwt' });
  delete pod.metadata?.annotations?.['vault.hashicorp.com/role'];
  assert.deepEqual(problemsOf(pod), ['VI_ANNOTATION_REQUIRED annotation vault.hashicorp.com/role: is required: the Vault JWT auth role the agent logs in with']);
});

test('AGENT_INJECT_VAULT_AUTH_TYPE sets the default auth-type (vault-k8s -vault-auth-type); the annotation still wins', () => {
  const parsed = loadSettings([], { AGENT_INJECT_VAULT_ADDR: 'https://vault:8200', AGENT_INJECT_VAULT_AUTH_TYPE: 'jwt', AGENT_INJECT_VAULT_AUTH_PATH: 'auth/jwt' });
  assert.ok(parsed.ok, JSON.stringify(parsed));
  const method = (annotations: Record<string, string>) => buildAgentConfig(specOf(makePod(annotations), parsed.settings), 'init').auto_auth.method as { type: string; mount_path: string };
  assert.deepEqual([method({}).type, method({}).mount_path], ['jwt', 'auth/jwt']);
  assert.equal(method({ 'auth-type': 'kubernetes' }).type, 'kubernetes');
  const refused = loadSettings([], { AGENT_INJECT_VAULT_ADDR: 'https://vault:8200', AGENT_INJECT_VAULT_AUTH_TYPE: 'approle' });
  assert.ok(!refused.ok);
  assert.equal(refused.problems.length, 1);
  assert.match(refused.problems[0] ?? '', /AGENT_INJECT_VAULT_AUTH_TYPE/);
  assert.match(refused.problems[0] ?? '', /"approle" is not supported \("kubernetes" or "jwt"\)/);
});
