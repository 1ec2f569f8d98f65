// The agent's reading of Vault's client environment (VAULT_CACERT_BYTES, VAULT_CLIENT_TIMEOUT,
// VAULT_MAX_RETRIES, HTTPS_PROXY/HTTP_PROXY/NO_PROXY) and of disable_idle_connections /
// disable_keep_alives: pure functions, as Vault's api.ReadEnvironment and Go's httpproxy read them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateCa } from '../../src/tls/generate.ts';
import { parseDurationSecondMs, readClientEnvironment } from '../../agent/src/config/environment.ts';
import { connectionPolicies } from '../../agent/src/config/settings.ts';
import { validateAgentConfig } from '../../agent/src/config/schema.ts';
import { proxyForVault } from '../../agent/src/vault/proxy.ts';
import { isRetryableError, isRetryableStatus } from '../../agent/src/vault/transport.ts';

const proxyOf = (address: string, env: NodeJS.ProcessEnv): string | undefined => {
  const choice = proxyForVault(address, env);
  assert.ok(choice.ok, choice.ok ? '' : choice.reason);
  return choice.proxy?.href;
};

test('proxy choice follows Go: HTTPS_PROXY for https, HTTP_PROXY for http, loopback and NO_PROXY bypass', () => {
  const cases: Array<[string, string, NodeJS.ProcessEnv, string | undefined]> = [
    ['https uses HTTPS_PROXY', 'https://vault.corp:8200', { HTTPS_PROXY: 'http://proxy:3128' }, 'http://proxy:3128/'],
    ['lower-case form', 'https://vault.corp:8200', { https_proxy: 'http://proxy:3128' }, 'http://proxy:3128/'],
    ['scheme-less proxy is http://', 'https://vault.corp:8200', { HTTPS_PROXY: 'proxy:3128' }, 'http://proxy:3128/'],
    ['https ignores HTTP_PROXY', 'https://vault.corp:8200', { HTTP_PROXY: 'http://proxy:3128' }, undefined],
    ['http uses HTTP_PROXY', 'http://vault.corp:8200', { HTTP_PROXY: 'http://proxy:3128' }, 'http://proxy:3128/'],
    ['http ignores HTTPS_PROXY (proxy-address)', 'http://vault.corp:8200', { HTTPS_PROXY: 'http://proxy:3128' }, undefined],
    ['CGI: HTTP_PROXY ignored', 'http://vault.corp:8200', { HTTP_PROXY: 'http://proxy:3128', REQUEST_METHOD: 'GET' }, undefined],
    ['loopback is never proxied', 'https://127.0.0.1:8200', { HTTPS_PROXY: 'http://proxy:3128' }, undefined],
    ['localhost is never proxied', 'https://localhost:8200', { HTTPS_PROXY: 'http://proxy:3128' }, undefined],
    ['NO_PROXY domain matches itself and subdomains', 'https://vault.corp:8200', { HTTPS_PROXY: 'http://p:1', NO_PROXY: 'corp' }, undefined],
    ['NO_PROXY leading dot: subdomains only', 'https://corp:8200', { HTTPS_PROXY: 'http://p:1', NO_PROXY: '.corp' }, 'http://p:1/'],
    ['NO_PROXY with another port', 'https://vault.corp:8200', { HTTPS_PROXY: 'http://p:1', NO_PROXY: 'vault.corp:443' }, 'http://p:1/'],
    ['NO_PROXY with the port', 'https://vault.corp:8200', { HTTPS_PROXY: 'http://p:1', NO_PROXY: 'vault.corp:8200' }, undefined],
    ['NO_PROXY CIDR', 'https://10.1.2.3:8200', { HTTPS_PROXY: 'http://p:1', NO_PROXY: '10.0.0.0/8' }, undefined],
    ['NO_PROXY CIDR elsewhere', 'https://11.1.2.3:8200', { HTTPS_PROXY: 'http://p:1', NO_PROXY: '10.0.0.0/8' }, 'http://p:1/'],
    ['NO_PROXY *', 'https://vault.corp:8200', { HTTPS_PROXY: 'http://p:1', NO_PROXY: '*' }, undefined],
    ['no variable, no proxy', 'https://vault.corp:8200', {}, undefined],
  ];
  for (const [name, address, env, expected] of cases) assert.equal(proxyOf(address, env), expected, name);
  assert.deepEqual(proxyForVault('https://vault.corp:8200', { HTTPS_PROXY: 'socks5://p:1080' }), { ok: false, reason: 'HTTPS_PROXY: socks5 proxies are not supported; the agent tunnels through an http:// or https:// proxy (HTTP CONNECT)' });
});

test('client environment: defaults, values, and every bad value named', async () => {
  const defaults = readClientEnvironment({}, 'https://vault:8200');
  assert.deepEqual(defaults, { ok: true, environment: { caCertificates: [], timeoutMs: 60_000, maxRetries: 0, proxy: undefined } });
  const ca = await generateCa({ nowMs: Date.now() });
  const set = readClientEnvironment({ VAULT_CACERT_BYTES: ca.certPem, VAULT_CLIENT_TIMEOUT: '90', VAULT_MAX_RETRIES: '3', HTTPS_PROXY: 'http://proxy:3128' }, 'https://vault:8200');
  assert.ok(set.ok);
  assert.deepEqual(set.environment.caCertificates, [`${ca.certPem.trim()}\n`]);
  assert.equal(set.environment.timeoutMs, 90_000);
  assert.equal(set.environment.maxRetries, 3);
  assert.equal(set.environment.proxy?.host, 'proxy:3128');
  const bad = readClientEnvironment({ VAULT_CACERT_BYTES: 'junk', VAULT_CLIENT_TIMEOUT: 'soon', VAULT_MAX_RETRIES: 'many', HTTPS_PROXY: 'socks5://p:1' }, 'https://vault:8200');
  assert.equal(bad.ok, false);
  assert.deepEqual((bad.ok ? [] : bad.problems).map((problem) => problem.split(/[ :]/)[0]), ['VAULT_CACERT_BYTES', 'VAULT_CLIENT_TIMEOUT', 'VAULT_MAX_RETRIES', 'HTTPS_PROXY']);
  assert.deepEqual(['0', '30', '1m30s', '250ms', 'x'].map(parseDurationSecondMs), [0, 30_000, 90_000, 250, undefined]);
});

test('disable_idle_connections / disable_keep_alives: validated, and mapped to each client', () => {
  const base = { auto_auth: { method: { type: 'kubernetes', config: { role: 'r' } } }, exit_after_auth: true, vault: { address: 'https://vault:8200' } };
  assert.ok(validateAgentConfig({ ...base, disable_idle_connections: ['auto-auth', 'caching'], disable_keep_alives: ['templating', 'proxying'] }).ok);
  const refused = validateAgentConfig({ ...base, disable_keep_alives: ['cache'] });
  assert.deepEqual(refused.ok ? [] : refused.problems, [{ path: 'disable_keep_alives[0]', reason: '"cache" is not one of auto-auth, caching, proxying, templating' }]);
  assert.deepEqual(connectionPolicies(['auto-auth'], ['templating', 'proxying']), {
    autoAuth: { idleConnections: false, keepAlives: true },
    templating: { idleConnections: true, keepAlives: false },
    apiProxy: { idleConnections: true, keepAlives: false },
  });
});

test('what a VAULT_MAX_RETRIES retry is for: retryablehttp\'s policy plus Vault\'s 412', () => {
  assert.deepEqual([200, 400, 403, 404, 412, 429, 500, 501, 502, 503].filter(isRetryableStatus), [412, 429, 500, 502, 503]);
  assert.equal(isRetryableError({ code: 'ECONNREFUSED' }), true);
  assert.equal(isRetryableError({ code: 'ECONNRESET' }), true);
  assert.equal(isRetryableError({ code: 'DEPTH_ZERO_SELF_SIGNED_CERT' }), false);
  assert.equal(isRetryableError({ code: 'ERR_TLS_CERT_ALTNAME_INVALID' }), false);
  assert.equal(isRetryableError({ name: 'AbortError' }), false);
});
