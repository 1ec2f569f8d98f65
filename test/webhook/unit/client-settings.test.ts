// The Vault client settings vault-k8s hands to its agents (issue 16, and issue 15's client
// annotations): how the webhook parses them and what the agent containers get, in vault-k8s's
// env order (container_env.go, TestContainerSidecar's NAMESPACE … HTTPS_PROXY, VAULT_CONFIG).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateCa } from '../../../src/tls/generate.ts';
import { loadSettings } from '../../../src/settings.ts';
import { parseVaultCaCertBytes } from '../../../src/vault-ca.ts';
import { parseConnectionFeatures, parseDurationSecond, parseLogLevel, parseProcessorCount, parseProxyAddress } from '../../../src/annotations/values.ts';
import { agents, decodeConfig, injected, makePod, problemsOf } from './helpers.ts';

const envNames = (pod: ReturnType<typeof injected>): string[][] => agents(pod).map((agent) => (agent.env ?? []).map((entry) => entry.name));
const envValue = (pod: ReturnType<typeof injected>, name: string): Array<string | undefined> => agents(pod).map((agent) => agent.env?.find((entry) => entry.name === name)?.value);

test('value grammars: proxy address, client lists, durations in seconds, processor counts, empty log level', () => {
  const cases: Array<[string, unknown, unknown]> = [
    ['proxy http URL', parseProxyAddress('http://proxy:3128'), { ok: true, value: 'http://proxy:3128' }],
    ['proxy host:port kept as given (Go reads it as http://)', parseProxyAddress('proxy.corp:3128'), { ok: true, value: 'proxy.corp:3128' }],
    ['proxy empty: none', parseProxyAddress(''), { ok: true, value: undefined }],
    ['proxy socks refused', parseProxyAddress('socks5://proxy:1080').ok, false],
    ['clients trimmed, repeats dropped', parseConnectionFeatures(' auto-auth,templating,,auto-auth'), { ok: true, value: ['auto-auth', 'templating'] }],
    ['unknown client refused', parseConnectionFeatures('auto-auth,cache'), { ok: false, reason: '"cache" is not one of auto-auth, caching, proxying, templating' }],
    ['seconds', parseDurationSecond('30'), { ok: true, value: '30' }],
    ['Go duration', parseDurationSecond('1m30s'), { ok: true, value: '1m30s' }],
    ['bad duration', parseDurationSecond('soon').ok, false],
    ['processors', parseProcessorCount('2'), { ok: true, value: 2 }],
    ['zero processors refused', parseProcessorCount('0').ok, false],
    ['empty log level is info (vault-k8s logLevel())', parseLogLevel(''), { ok: true, value: 'info' }],
  ];
  for (const [name, actual, expected] of cases) assert.deepEqual(actual, expected, name);
});

test('-log-level= (explicitly empty) starts at info, as vault-k8s does', () => {
  const result = loadSettings(['-log-level=', '-vault-address=https://vault:8200'], {});
  assert.ok(result.ok, result.ok ? '' : result.problems.join('; '));
  assert.equal(result.settings.logLevel, 'info');
});

test('CA bytes: PEM or base64 of PEM; anything else stops the start with the reason', async () => {
  const ca = await generateCa({ nowMs: Date.now() });
  const other = await generateCa({ nowMs: Date.now() });
  const bundle = `${ca.certPem}\n${other.certPem}`;
  assert.deepEqual(parseVaultCaCertBytes(ca.certPem), { ok: true, value: `${ca.certPem.trim()}\n` });
  assert.deepEqual(parseVaultCaCertBytes(Buffer.from(bundle).toString('base64')), { ok: true, value: `${ca.certPem.trim()}\n${other.certPem.trim()}\n` });
  assert.deepEqual(parseVaultCaCertBytes(''), { ok: true, value: undefined });
  const refused = loadSettings([], { AGENT_INJECT_VAULT_ADDR: 'https://vault:8200', AGENT_INJECT_VAULT_CACERT_BYTES: 'not-a-certificate' });
  assert.deepEqual(refused.ok ? [] : refused.problems, ['AGENT_INJECT_VAULT_CACERT_BYTES: is neither PEM (-----BEGIN CERTIFICATE-----) nor base64 of PEM']);
  assert.deepEqual(parseVaultCaCertBytes('bm90IGEgY2VydGlmaWNhdGU='), { ok: false, reason: 'holds no PEM certificate (-----BEGIN CERTIFICATE-----)' }, 'base64 of something else');
  const broken = ca.certPem.replace(/\n[A-Za-z0-9+/]{20}/, '\nAAAAAAAAAAAAAAAAAAAA');
  assert.deepEqual(parseVaultCaCertBytes(broken), { ok: false, reason: 'certificate 1 of 1 is not a valid X.509 certificate' });
  assert.equal(parseVaultCaCertBytes(ca.keyPem).ok, false, 'a private key is not a CA');
});

test('the injector CA reaches both agent containers as VAULT_CACERT_BYTES, last, beside ca-cert', async () => {
  const ca = await generateCa({ nowMs: Date.now() });
  const pod = injected(makePod({ 'agent-inject-secret-db': 'kv/db', 'ca-cert': '/vault/tls/ca.crt', 'tls-secret': 'vault-tls' }), { vaultCaCertBytes: ca.certPem });
  assert.deepEqual(envValue(pod, 'VAULT_CACERT_BYTES'), [ca.certPem, ca.certPem]);
  for (const names of envNames(pod)) assert.equal(names.at(-1), 'VAULT_CACERT_BYTES');
  for (const agent of agents(pod)) assert.equal((decodeConfig(agent)['vault'] as Record<string, unknown>)['ca_cert'], '/vault/tls/ca.crt');
  assert.deepEqual(envValue(injected(makePod({ 'agent-inject-secret-db': 'kv/db' })), 'VAULT_CACERT_BYTES'), [undefined, undefined]);
});

test('client annotations become vault-k8s\'s env vars, in its order; the injector defaults apply without them', () => {
  const pod = injected(makePod({
    'agent-inject-secret-db': 'kv/db', 'proxy-address': 'http://proxy.corp:3128', 'client-timeout': '90s', 'client-max-retries': '4', 'go-max-procs': '2',
  }));
  for (const names of envNames(pod)) {
    assert.deepEqual(names, ['NAMESPACE', 'HOST_IP', 'POD_IP', 'GOMAXPROCS', 'UV_THREADPOOL_SIZE', 'NODE_OPTIONS', 'VAULT_CLIENT_TIMEOUT', 'VAULT_MAX_RETRIES', 'VAULT_LOG_LEVEL', 'VAULT_LOG_FORMAT', 'HTTPS_PROXY', 'VAULT_CONFIG']);
  }
  assert.deepEqual(envValue(pod, 'HTTPS_PROXY'), ['http://proxy.corp:3128', 'http://proxy.corp:3128']);
  assert.deepEqual(envValue(pod, 'VAULT_CLIENT_TIMEOUT'), ['90s', '90s']);
  assert.deepEqual(envValue(pod, 'VAULT_MAX_RETRIES'), ['4', '4']);
  assert.deepEqual(envValue(pod, 'NODE_OPTIONS'), ['--v8-pool-size=2', '--v8-pool-size=2']);
  const plain = injected(makePod({ 'agent-inject-secret-db': 'kv/db' }));
  for (const names of envNames(plain)) assert.deepEqual(names, ['NAMESPACE', 'HOST_IP', 'POD_IP', 'VAULT_LOG_LEVEL', 'VAULT_LOG_FORMAT', 'VAULT_CONFIG']);
  const fromInjector = injected(makePod({ 'agent-inject-secret-db': 'kv/db' }), { proxyAddress: 'http://egress:8080' });
  assert.deepEqual(envValue(fromInjector, 'HTTPS_PROXY'), ['http://egress:8080', 'http://egress:8080']);
  const overridden = injected(makePod({ 'agent-inject-secret-db': 'kv/db', 'proxy-address': '' }), { proxyAddress: 'http://egress:8080' });
  assert.deepEqual(envValue(overridden, 'HTTPS_PROXY'), [undefined, undefined], 'an empty annotation turns the injector\'s proxy off for this pod');
});

test('agent-disable-idle-connections / -keep-alives: in the agent config, injector default or annotation', () => {
  const pod = injected(makePod({ 'agent-inject-secret-db': 'kv/db', 'agent-disable-idle-connections': 'auto-auth,templating', 'agent-disable-keep-alives': 'templating' }));
  for (const agent of agents(pod)) {
    const config = decodeConfig(agent);
    assert.deepEqual(config['disable_idle_connections'], ['auto-auth', 'templating']);
    assert.deepEqual(config['disable_keep_alives'], ['templating']);
  }
  const byDefault = injected(makePod({ 'agent-inject-secret-db': 'kv/db' }), { disableKeepAlives: ['auto-auth'] });
  for (const agent of agents(byDefault)) {
    assert.deepEqual(decodeConfig(agent)['disable_keep_alives'], ['auto-auth']);
    assert.equal('disable_idle_connections' in decodeConfig(agent), false);
  }
});

test('bad client annotations refuse the pod, naming the annotation', () => {
  const cases: Array<[Record<string, string>, string]> = [
    [{ 'client-timeout': 'forever' }, 'client-timeout'],
    [{ 'client-max-retries': '-1' }, 'client-max-retries'],
    [{ 'proxy-address': 'socks5://proxy:1080' }, 'proxy-address'],
    [{ 'agent-disable-keep-alives': 'everything' }, 'agent-disable-keep-alives'],
    [{ 'go-max-procs': 'all' }, 'go-max-procs'],
  ];
  for (const [annotations, name] of cases) {
    const problems = problemsOf(makePod({ 'agent-inject-secret-db': 'kv/db', ...annotations }));
    assert.equal(problems.length, 1, name);
    assert.match(problems[0] ?? '', new RegExp(`^VI_ANNOTATION_INVALID .*vault\\.hashicorp\\.com/${name}`), name);
  }
});

test('agent-run-as-user 100 with agent-run-as-group 0: runAsNonRoot stays true (a difference from vault-k8s, in the README)', () => {
  const pod = injected(makePod({ 'agent-inject-secret-db': 'kv/db', 'agent-run-as-user': '100', 'agent-run-as-group': '0' }));
  for (const agent of agents(pod)) {
    assert.equal(agent.securityContext?.runAsUser, 100);
    assert.equal(agent.securityContext?.runAsGroup, 0);
    assert.equal(agent.securityContext?.runAsNonRoot, true);
  }
  const root = injected(makePod({ 'agent-inject-secret-db': 'kv/db', 'agent-run-as-user': '0' }));
  for (const agent of agents(root)) assert.equal(agent.securityContext?.runAsNonRoot, false);
});
