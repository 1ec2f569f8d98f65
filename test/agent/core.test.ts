// Unit tests of the agent's pure core: config, settings, timing maths, paths, facts, discovery, logger.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeVaultConfigEnv, parseAgentConfig } from '../../agent/src/config/load.ts';
import { loginPathFor, resolveSettings } from '../../agent/src/config/settings.ts';
import { backoffDelay, planRenewal, refreshDelay, renewalGraceMs } from '../../agent/src/timing.ts';
import { describeRequest, mountFor, requestKey, shimKvV2ListPath, shimKvV2Path, vaultCallFor, type SecretRequest } from '../../agent/src/secrets/paths.ts';
import { secretFacts, secretStrings } from '../../agent/src/secrets/facts.ts';
import { discoverAll, type DiscoveryTemplate } from '../../agent/src/secrets/discovery.ts';
import { TrackingSource } from '../../agent/src/secrets/source.ts';
import { createAgentLogger, formatStandardLine, resolveLogSettings, SecretRegistry } from '../../agent/src/logger.ts';
import { describeVaultErrors, agentError } from '../../agent/src/errors.ts';
import { serviceAccountOf } from '../../agent/src/auth/jwt.ts';
import { terminationSentence } from '../../agent/src/termination.ts';
import { startupProbeCommand } from '../../agent/src/probe.ts';
import { parseRunArguments } from '../../agent/src/cli-args.ts';

const base = {
  auto_auth: { method: { type: 'kubernetes', mount_path: 'auth/kubernetes', config: { role: 'app' } } },
  exit_after_auth: true,
  vault: { address: 'https://vault.vault.svc:8200' },
};

test('config errors name the field and the reason', () => {
  const cases: Array<[string, unknown, string]> = [
    ['bad perms', { ...base, template: [{ destination: '/a', contents: 'x' }, { destination: '/b', contents: 'x' }, { destination: '/c', contents: 'x', perms: '0999' }] }, 'template[2].perms: "0999" is not an octal file mode'],
    ['unknown field', { ...base, auto_auth_cache: {} }, 'auto_auth_cache: is not a supported field'],
    ['cache without a listener', { ...base, cache: {} }, 'cache: needs a listener'],
    ['bad address', { ...base, vault: { address: 'vault:8200' } }, 'vault.address:'],
    ['bad retry_timeout', { ...base, vault_injector: { retry_timeout: 'soon' } }, 'vault_injector.retry_timeout: "soon" is not a duration'],
  ];
  for (const [name, input, expected] of cases) {
    const result = parseAgentConfig(JSON.stringify(input), 'cfg.json');
    assert.equal(result.ok, false, name);
    if (!result.ok) {
      assert.equal(result.error.code, 'AGENT_CONFIG_INVALID', name);
      assert.ok(result.error.message.includes(expected), `${name}: ${result.error.message}`);
      assert.ok(result.error.message.startsWith('invalid agent config in cfg.json: '), name);
    }
  }
  const notJson = parseAgentConfig('{"a":', 'VAULT_CONFIG');
  assert.equal(notJson.ok, false);
  if (!notJson.ok) assert.equal(notJson.error.code, 'AGENT_CONFIG_UNREADABLE');
});

test('VAULT_CONFIG is base64 JSON (plain JSON accepted)', () => {
  const json = JSON.stringify(base);
  assert.deepEqual(decodeVaultConfigEnv(Buffer.from(json).toString('base64')), { ok: true, text: json });
  assert.deepEqual(decodeVaultConfigEnv(` ${json}\n`), { ok: true, text: json });
  assert.equal(decodeVaultConfigEnv('').ok, false);
  assert.equal(decodeVaultConfigEnv('not base64 !!').ok, false);
});

test('settings apply Vault Agent defaults', () => {
  const parsed = parseAgentConfig(JSON.stringify({ ...base, template: [{ destination: '/vault/secrets/db', contents: 'x', command: 'echo hi' }, { destination: '/d', source: '/t.tpl', perms: '0600', command: ['a', 'b'], create_dest_dirs: false }] }), 'x');
  assert.ok(parsed.ok);
  if (!parsed.ok) return;
  const settings = resolveSettings(parsed.config);
  assert.equal(settings.mode, 'init');
  assert.equal(settings.loginPath, 'auth/kubernetes/login');
  assert.equal(settings.tokenPath, '/var/run/secrets/kubernetes.io/serviceaccount/token');
  assert.equal(settings.minBackoffMs, 1000);
  assert.equal(settings.maxBackoffMs, 300_000);
  assert.equal(settings.exitOnRetryFailure, true);
  assert.equal(settings.retryTimeoutMs, 120_000);
  assert.equal(settings.staticSecretRenderIntervalMs, 300_000);
  assert.equal(settings.leaseRenewalThreshold, 0.9);
  assert.equal(settings.terminationMessagePath, '/dev/termination-log');
  assert.equal(settings.templates[0]?.perms, undefined);
  assert.deepEqual(settings.templates[0]?.command, { shell: 'echo hi' });
  assert.equal(settings.templates[0]?.commandTimeoutMs, 30_000);
  assert.equal(settings.templates[0]?.createDestDirs, true);
  assert.equal(settings.templates[1]?.perms, 0o600);
  assert.deepEqual(settings.templates[1]?.command, { argv: ['a', 'b'] });
  assert.equal(settings.templates[1]?.source, '/t.tpl');
  assert.equal(settings.templates[1]?.createDestDirs, false);
});

test('login path from mount_path', () => {
  const cases: Array<[string | undefined, string]> = [
    [undefined, 'auth/kubernetes/login'],
    ['auth/kubernetes', 'auth/kubernetes/login'],
    ['kubernetes', 'auth/kubernetes/login'],
    ['/auth/k8s-prod/', 'auth/k8s-prod/login'],
    // A mount in a child namespace, as vault-k8s's cross-namespace set-up writes it.
    ['team-a/auth/kubernetes', 'team-a/auth/kubernetes/login'],
    ['tenants/team-a/auth/kubernetes/', 'tenants/team-a/auth/kubernetes/login'],
  ];
  for (const [mount, expected] of cases) assert.equal(loginPathFor(mount), expected, String(mount));
});

test('backoff doubles from min to max with bounded jitter', () => {
  assert.equal(backoffDelay(0, 1000, 300_000, 0), 1000);
  assert.equal(backoffDelay(3, 1000, 300_000, 0), 8000);
  assert.equal(backoffDelay(3, 1000, 300_000, 1), 6000);
  assert.equal(backoffDelay(20, 1000, 300_000, 0), 300_000);
  assert.equal(backoffDelay(0, 1000, 300_000, 1), 1000, 'never below min');
  assert.equal(backoffDelay(100, 100, 200, 0.5), 175);
});

test('renewal at 2/3 of the remaining lease plus grace/3; replace once it cannot extend', () => {
  assert.equal(renewalGraceMs(3_600_000, 0), 360_000);
  assert.equal(renewalGraceMs(3_600_000, 1), 720_000);
  // 1 h lease, 6 min grace: renew after 40 min + 2 min.
  assert.deepEqual(planRenewal(3_600_000, 360_000), { action: 'renew', afterMs: 2_520_000 });
  // Max TTL reached: only 5 min left of a lease whose grace is 6 min.
  assert.deepEqual(planRenewal(300_000, 360_000), { action: 'replace' });
  // Sleeping would land inside the grace: replace now.
  assert.deepEqual(planRenewal(1000, 300), { action: 'replace' });
  assert.deepEqual(planRenewal(2000, 200), { action: 'renew', afterMs: 1400 });
});

test('non-renewable refresh at threshold ± 5 %', () => {
  const at = (over: Partial<Parameters<typeof refreshDelay>[0]>) =>
    refreshDelay({ leaseDurationSeconds: 0, expirationUnixSeconds: undefined, nowMs: 1_000_000, staticIntervalMs: 300_000, threshold: 0.9, random: 0.5, ...over });
  assert.equal(at({}), 270_000, 'static: 0.9 × 5m');
  assert.equal(at({ random: 0 }), 255_000, 'low end 0.85');
  assert.equal(at({ random: 1 }), 285_000, 'high end 0.95');
  assert.equal(at({ leaseDurationSeconds: 3600 }), 3_240_000, 'leased: 0.9 × lease');
  assert.equal(at({ expirationUnixSeconds: 1000 + 100 }), 90_000, 'certificate: 0.9 × time to expiry');
  assert.equal(at({ staticIntervalMs: 2000 }), 1800);
});

test('KV v2 path rewriting', () => {
  const cases: Array<[string, string, string]> = [
    ['secret/foo', 'secret/', 'secret/data/foo'],
    ['secret/foo/bar', 'secret/', 'secret/data/foo/bar'],
    ['secret/data/foo', 'secret/', 'secret/data/foo'],
    ['secret/metadata/foo', 'secret/', 'secret/metadata/foo'],
    ['secret', 'secret/', 'secret/data'],
    ['secret/', 'secret/', 'secret/data'],
    ['team/a/kv/x', 'team/a/kv/', 'team/a/kv/data/x'],
  ];
  for (const [path, mount, expected] of cases) assert.equal(shimKvV2Path(path, mount), expected, path);
  assert.equal(shimKvV2ListPath('secret/app', 'secret/'), 'secret/metadata/app');
  assert.equal(shimKvV2ListPath('secret', 'secret/'), 'secret/metadata');
  // consul-template keeps a path that starts with <mount>/metadata as a string prefix: the mount root's listing.
  assert.equal(shimKvV2ListPath('secret/metadata', 'secret/'), 'secret/metadata');
  assert.equal(shimKvV2ListPath('secret/metadata/app', 'secret/'), 'secret/metadata/app');
  assert.deepEqual(vaultCallFor({ kind: 'read', path: 'secret/foo?version=2' }, 'secret/'), { method: 'read', path: 'secret/data/foo?version=2' });
  assert.deepEqual(vaultCallFor({ kind: 'read', path: 'kv1/foo' }, undefined), { method: 'read', path: 'kv1/foo' });
  assert.deepEqual(vaultCallFor({ kind: 'write', path: 'secret/foo', data: { a: 'b' } }, 'secret/'), { method: 'write', path: 'secret/data/foo', body: { data: { a: 'b' } } });
  assert.deepEqual(vaultCallFor({ kind: 'write', path: 'pki/issue/web', data: { common_name: 'a' } }, undefined), { method: 'write', path: 'pki/issue/web', body: { common_name: 'a' } });
  assert.equal(mountFor('secret/foo', ['secret/', 'sec/']), 'secret/');
  assert.equal(mountFor('secretx/foo', ['secret/']), undefined);
  assert.equal(mountFor('a/b/c', ['a/', 'a/b/']), 'a/b/');
});

test('request keys dedupe identical requests and separate different ones', () => {
  const a: SecretRequest = { kind: 'write', path: 'pki/issue/x', data: { common_name: 'a', ttl: '1h' } };
  const b: SecretRequest = { kind: 'write', path: 'pki/issue/x', data: { ttl: '1h', common_name: 'a' } };
  assert.equal(requestKey(a), requestKey(b));
  assert.notEqual(requestKey({ kind: 'read', path: 'x' }), requestKey({ kind: 'list', path: 'x' }));
  assert.equal(describeRequest({ kind: 'list', path: 'secret/' }), 'secret/ (list)');
});

test('secret facts: leases, KV v2 deletion, certificate expiry', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  assert.deepEqual(secretFacts({ lease_id: 'database/creds/ro/abc', lease_duration: 3600, renewable: true, data: {} }, now), {
    leaseId: 'database/creds/ro/abc', leaseDurationSeconds: 3600, renewable: true, expirationUnixSeconds: undefined, deleted: false,
  });
  assert.equal(secretFacts({ data: { data: null, metadata: { deletion_time: '2025-01-01T00:00:00Z', destroyed: false } } }, now).deleted, true);
  assert.equal(secretFacts({ data: { data: { a: 1 }, metadata: { deletion_time: '2027-01-01T00:00:00Z', destroyed: false } } }, now).deleted, false);
  assert.equal(secretFacts({ data: { data: null, metadata: { deletion_time: '', destroyed: true } } }, now).deleted, true);
  assert.equal(secretFacts({ data: { certificate: 'x', expiration: 1767225600 } }, now).expirationUnixSeconds, 1767225600);
  assert.deepEqual(secretStrings({ data: { data: { password: 's3cr3t', nested: ['a-value'], flag: 'true' }, metadata: { created_time: 't' } } }), ['s3cr3t', 'a-value']);
  assert.deepEqual(secretStrings({ data: null, auth: { client_token: 'hvs.x', policies: ['default'] } }), ['hvs.x']);
});

/** A fake template: reads the paths it is told to, in order; a path's value may name the next path. */
function fakeTemplate(id: number, source: TrackingSource, program: (read: (path: string) => string | undefined) => string): DiscoveryTemplate {
  return {
    id,
    execute() {
      source.begin();
      try {
        return { output: program((path) => source.read(path)), ...source.end() };
      } catch (error) {
        return { error, ...source.end() };
      }
    },
  };
}

test('discovery: fetch what a pass missed, run again, until complete; dedupe across templates', async () => {
  const vault = new Map([['a', 'b'], ['b', 'final'], ['shared', 'S']]);
  const fetched = new Map<string, string>();
  const fetchCalls: string[][] = [];
  const source = new TrackingSource((request) => fetched.get(request.path));
  const chained = fakeTemplate(0, source, (read) => {
    const first = read('a');
    const second = first === undefined ? undefined : read(first); // a path built at run time
    return `${second ?? ''}${read('shared') ?? ''}`;
  });
  const other = fakeTemplate(1, source, (read) => read('shared') ?? '');
  const outcomes = await discoverAll([chained, other], async (requests) => {
    fetchCalls.push(requests.map((request) => request.path));
    const failures = new Map<string, string>();
    for (const request of requests) {
      const value = vault.get(request.path);
      if (value === undefined) failures.set(requestKey(request), 'missing');
      else fetched.set(request.path, value);
    }
    return failures;
  });
  assert.deepEqual(outcomes.get(0), { status: 'complete', output: 'finalS', used: [{ kind: 'read', path: 'a' }, { kind: 'read', path: 'b' }, { kind: 'read', path: 'shared' }] });
  assert.equal(outcomes.get(1)?.status, 'complete');
  assert.deepEqual(fetchCalls, [['a', 'shared'], ['b']], 'shared fetched once, b discovered on the second pass');
});

test('discovery: a failed fetch makes the template incomplete with the reason; others still complete', async () => {
  const fetched = new Map<string, string>();
  const source = new TrackingSource((request) => fetched.get(request.path));
  const failing = fakeTemplate(0, source, (read) => read('denied') ?? '');
  const fine = fakeTemplate(1, source, (read) => read('ok') ?? '');
  const outcomes = await discoverAll([failing, fine], async (requests) => {
    const failures = new Map<string, string>();
    for (const request of requests) {
      if (request.path === 'denied') failures.set(requestKey(request), 'forbidden');
      else fetched.set(request.path, 'v');
    }
    return failures;
  });
  const outcome = outcomes.get(0);
  assert.equal(outcome?.status, 'incomplete');
  if (outcome?.status === 'incomplete') assert.deepEqual([...outcome.failures.values()], ['forbidden']);
  assert.deepEqual(outcomes.get(1), { status: 'complete', output: 'v', used: [{ kind: 'read', path: 'ok' }] });
});

test('discovery: an execution error with nothing missing is an error; with something missing it is retried', async () => {
  const fetched = new Map<string, string>();
  const source = new TrackingSource((request) => fetched.get(request.path));
  let passes = 0;
  const template = fakeTemplate(0, source, (read) => {
    passes++;
    const value = read('x');
    if (value === undefined) throw new Error('nil pointer'); // as `(secret "x").Data.y` could on the first pass
    throw new Error('map has no entry for key "y"');
  });
  const outcomes = await discoverAll([template], async (requests) => {
    for (const request of requests) fetched.set(request.path, '{}');
    return new Map();
  });
  assert.equal(passes, 2);
  const outcome = outcomes.get(0);
  assert.equal(outcome?.status, 'error');
  if (outcome?.status === 'error') assert.match(String(outcome.error), /map has no entry/);
});

test('discovery: a template that keeps asking for new paths stops at the pass limit', async () => {
  const fetched = new Map<string, string>();
  let counter = 0;
  const source = new TrackingSource((request) => fetched.get(request.path));
  const template = fakeTemplate(0, source, (read) => read(`p${counter++}`) ?? '');
  const outcomes = await discoverAll([template], async (requests) => {
    for (const request of requests) fetched.set(`${request.path}-other`, 'x');
    return new Map();
  }, 5);
  assert.equal(outcomes.get(0)?.status, 'incomplete');
});

test('logger: redaction paths and the secret scrubber', () => {
  const lines: string[] = [];
  const secrets = new SecretRegistry();
  const logger = createAgentLogger({ level: 'debug', format: 'json', secrets, write: (line) => lines.push(line) });
  secrets.add('hvs.SECRET-TOKEN');
  secrets.add('pa"ss\nword');
  secrets.add('ab'); // too short to scrub without garbling logs
  logger.info({ token: 'raw-token-value', nested: { password: 'pw-value' }, path: 'secret/db' }, 'x');
  logger.error({ reason: 'parsing "hvs.SECRET-TOKEN": invalid syntax', other: 'pa"ss\nword' }, 'failed');
  const text = lines.join('');
  for (const leaked of ['raw-token-value', 'pw-value', 'hvs.SECRET-TOKEN', 'pa\\"ss\\nword']) assert.ok(!text.includes(leaked), leaked);
  assert.ok(text.includes('secret/db'));
  assert.equal(lines.length, 2);
  assert.equal(JSON.parse(lines[1] ?? '{}').level, 50);
  const standard = formatStandardLine('{"level":30,"time":"2026-01-01T00:00:00.000Z","name":"vault-agent","msg":"rendered template","destination":"/vault/secrets/db"}');
  assert.equal(standard, '2026-01-01T00:00:00.000Z [INFO ] vault-agent: rendered template: destination=/vault/secrets/db\n');
});

test('log settings: env wins over config, bad values reported', () => {
  assert.deepEqual(resolveLogSettings({}, undefined), { level: 'info', format: 'json', problems: [] });
  assert.deepEqual(resolveLogSettings({ VAULT_LOG_LEVEL: 'DEBUG', VAULT_LOG_FORMAT: 'standard' }, { log_level: 'error' }), { level: 'debug', format: 'standard', problems: [] });
  assert.deepEqual(resolveLogSettings({}, { log_level: 'warn', log_format: 'standard' }), { level: 'warn', format: 'standard', problems: [] });
  assert.equal(resolveLogSettings({ VAULT_LOG_LEVEL: 'loud' }, undefined).problems.length, 1);
});

test('Vault error lists read as one phrase', () => {
  assert.equal(describeVaultErrors(['1 error occurred:\n\t* permission denied\n\n']), 'permission denied');
  assert.equal(describeVaultErrors(['2 errors occurred:\n\t* a\n\t* b\n\n']), 'a; b');
  assert.equal(describeVaultErrors(['namespace not authorized']), 'namespace not authorized');
  assert.equal(describeVaultErrors([]), '(no error text)');
});

test('service account identity from projected and legacy JWTs', () => {
  const jwt = (claims: object) => `h.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.s`;
  assert.deepEqual(serviceAccountOf(jwt({ 'kubernetes.io': { namespace: 'team-a', serviceaccount: { name: 'app', uid: 'u' } } })), { namespace: 'team-a', name: 'app' });
  assert.deepEqual(serviceAccountOf(jwt({ 'kubernetes.io/serviceaccount/namespace': 'ns', 'kubernetes.io/serviceaccount/service-account.name': 'sa' })), { namespace: 'ns', name: 'sa' });
  assert.deepEqual(serviceAccountOf(jwt({ sub: 'system:serviceaccount:ns2:sa2' })), { namespace: 'ns2', name: 'sa2' });
  assert.deepEqual(serviceAccountOf('garbage'), { namespace: undefined, name: undefined });
});

test('termination message: one scrubbed sentence', () => {
  const secrets = new SecretRegistry();
  secrets.add('s3cr3t-value');
  const error = agentError('AGENT_TEMPLATE_EXEC', { template: '/vault/secrets/db', reason: 'template: db:1:3: executing "db" at <parseInt>: parsing "s3cr3t-value": invalid syntax\nmore' });
  const sentence = terminationSentence(error.message, secrets);
  assert.equal(sentence, 'vault-agent: Template /vault/secrets/db: template: db:1:3: executing "db" at <parseInt>: parsing "[REDACTED]": invalid syntax more.');
});

test('probe command and run arguments', () => {
  assert.deepEqual(startupProbeCommand('/vault/secrets/.ready'), ['node', '/agent.js', 'probe', '/vault/secrets/.ready']);
  assert.deepEqual(parseRunArguments(['--config', 'a.json']), { ok: true, configFile: 'a.json' });
  assert.deepEqual(parseRunArguments(['--config=b.json']), { ok: true, configFile: 'b.json' });
  assert.deepEqual(parseRunArguments([]), { ok: true, configFile: undefined });
  assert.equal(parseRunArguments(['--config']).ok, false);
  assert.equal(parseRunArguments(['--nope']).ok, false);
});

test('a KV mount path from Vault, relative to the client namespace (as consul-template strips it)', async () => {
  const { relativeToNamespace } = await import('../../agent/src/vault/client.ts');
  const cases: Array<[string, string | undefined, string]> = [
    ['secret/', undefined, 'secret/'],
    ['secret/', 'team-a', 'secret/'],
    ['tenants/team-a/secret/', 'tenants', 'team-a/secret/'],
    ['tenants/team-a/secret/', 'tenants/', 'team-a/secret/'],
    ['tenants/team-a/secret/', 'tenants/team-a', 'secret/'],
    ['tenants-b/secret/', 'tenants', 'tenants-b/secret/'],
    ['tenants/team-a/secret/', undefined, 'tenants/team-a/secret/'],
  ];
  for (const [mount, namespace, expected] of cases) assert.equal(relativeToNamespace(mount, namespace), expected, `${mount} in ${String(namespace)}`);
});
