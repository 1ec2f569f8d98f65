// The agent's listener, run as the real agent (child process) against the Vault double and used
// as an app would: plain HTTP to 127.0.0.1:PORT with Vault's API. use_auto_auth_token true/force,
// the lease cache (hit, miss, pass-through, revocation, renewal), /agent/v1/quit, the metrics.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { writeFile, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { agentConfig, assertNothingSecretLogged, countRequests, eventually, message, startAgent, startLab, type Lab } from './harness.ts';
import { encodedAgentConfig } from '../../src/agent-config.ts';
import { makePod, specOf } from '../webhook/unit/helpers.ts';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

interface Answer {
  status: number;
  headers: Headers;
  text: string;
  json: Record<string, unknown> | undefined;
}

async function call(port: number, method: string, path: string, options: { token?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<Answer> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token !== undefined) headers['x-vault-token'] = options.token;
  const response = await fetch(`http://127.0.0.1:${port}${path}`, { method, headers, ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}) });
  const text = await response.text();
  let json: Record<string, unknown> | undefined;
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

const dataOf = (answer: Answer): Record<string, unknown> => (answer.json?.['data'] ?? {}) as Record<string, unknown>;

async function sidecarWithListener(lab: Lab, extra: Record<string, unknown>, port: number) {
  lab.vault.putKv('secret', 'app/config', { greeting: 'hello-listener-5521' });
  const destination = join(lab.dir, 'secrets', 'config');
  const config = {
    ...agentConfig(lab, { mode: 'sidecar', templates: [{ destination, contents: '{{ with secret "secret/app/config" }}{{ .Data.data.greeting }}{{ end }}' }] }),
    ...extra,
  };
  const agent = await startAgent(lab, config);
  await agent.waitFor(message('all templates rendered'));
  await agent.waitFor(message('listener started'));
  return agent;
}

test('listener with use_auto_auth_token true: the app talks to 127.0.0.1 unchanged, leases are cached, KV passes through', async () => {
  const lab = await startLab();
  try {
    lab.vault.writeDatabaseRole('database', 'app', { default_ttl: 3600, max_ttl: 7200 });
    lab.vault.writePolicy('app', `
path "secret/data/app/*" { capabilities = ["read"] }
path "database/creds/app" { capabilities = ["read"] }
path "sys/leases/revoke" { capabilities = ["update"] }
`);
    const port = await freePort();
    const agent = await sidecarWithListener(lab, {
      listener: [{ type: 'tcp', address: `127.0.0.1:${port}`, tls_disable: true }],
      cache: { use_auto_auth_token: 'true' },
      telemetry: { prometheus_retention_time: '1h', disable_hostname: true },
    }, port);

    // KV v2 (no lease): served, never cached: every read reaches Vault.
    const before = countRequests(lab, 'GET', '/v1/secret/data/app/config');
    const kv1 = await call(port, 'GET', '/v1/secret/data/app/config');
    const kv2 = await call(port, 'GET', '/v1/secret/data/app/config');
    assert.equal(kv1.status, 200, kv1.text);
    assert.deepEqual((dataOf(kv1)['data'] as Record<string, unknown>)['greeting'], 'hello-listener-5521');
    assert.equal(kv2.headers.get('x-cache'), 'MISS');
    assert.equal(countRequests(lab, 'GET', '/v1/secret/data/app/config') - before, 2);

    // A renewable database lease read with the agent's token: cached, the same credentials again.
    const creds1 = await call(port, 'GET', '/v1/database/creds/app');
    const creds2 = await call(port, 'GET', '/v1/database/creds/app');
    assert.equal(creds1.status, 200, creds1.text);
    assert.equal(creds1.headers.get('x-cache'), 'MISS');
    assert.equal(creds2.headers.get('x-cache'), 'HIT');
    assert.ok(creds2.headers.get('age') !== null);
    assert.equal(creds2.text, creds1.text, 'a hit answers with Vault\'s bytes');
    assert.equal(countRequests(lab, 'GET', '/v1/database/creds/app'), 1);

    // The app's own token is used as it is (true: the agent's only when there is none), and its
    // leases are not cached: the agent does not manage that token.
    const appToken = lab.vault.createToken({ policies: ['app'] });
    const own1 = await call(port, 'GET', '/v1/database/creds/app', { token: appToken });
    const own2 = await call(port, 'GET', '/v1/database/creds/app', { token: appToken });
    assert.equal(own1.status, 200);
    assert.notEqual(own1.text, own2.text);
    assert.equal(countRequests(lab, 'GET', '/v1/database/creds/app'), 3);
    const lookupOwn = await call(port, 'GET', '/v1/auth/token/lookup-self', { token: appToken });
    assert.equal(dataOf(lookupOwn)['id'], appToken);

    // The agent's own token is never handed to the app: lookup-self through the proxy is redacted.
    const lookupAgent = await call(port, 'GET', '/v1/auth/token/lookup-self');
    assert.equal(lookupAgent.status, 200, lookupAgent.text);
    assert.equal(dataOf(lookupAgent)['id'], undefined);
    assert.equal(dataOf(lookupAgent)['accessor'], undefined);
    assert.deepEqual(dataOf(lookupAgent)['policies'], ['app', 'default']);

    // Revoking the cached lease through the proxy evicts it: the next read gets new credentials.
    const leaseId = String(creds1.json?.['lease_id']);
    const revoked = await call(port, 'PUT', '/v1/sys/leases/revoke', { body: { lease_id: leaseId, sync: true } });
    assert.equal(revoked.status, 204, revoked.text);
    const creds3 = await call(port, 'GET', '/v1/database/creds/app');
    assert.equal(creds3.headers.get('x-cache'), 'MISS');
    assert.notEqual(creds3.json?.['lease_id'], leaseId);

    // Vault's errors come back as Vault sent them.
    const denied = await call(port, 'GET', '/v1/secret/data/other/thing');
    assert.equal(denied.status, 403);
    assert.ok(Array.isArray(denied.json?.['errors']));

    // The quit endpoint is off: 404, and the agent keeps running.
    assert.equal((await call(port, 'POST', '/agent/v1/quit')).status, 404);

    // Metrics under Vault Agent's names.
    const metrics = await call(port, 'GET', '/agent/v1/metrics?format=prometheus');
    assert.equal(metrics.status, 200);
    assert.match(metrics.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
    const value = (name: string) => Number(new RegExp(`^${name} (\\d+)$`, 'm').exec(metrics.text)?.[1] ?? 'NaN');
    assert.equal(value('vault_agent_auth_success'), 1, metrics.text);
    assert.equal(value('vault_agent_cache_hit'), 1, metrics.text);
    assert.ok(value('vault_agent_cache_miss') >= 8, metrics.text);
    assert.ok(value('vault_agent_proxy_success') >= 9, metrics.text);
    assert.equal(value('vault_agent_proxy_client_error'), 1, metrics.text);
    assert.match(metrics.text, /# TYPE vault_agent_auth_success counter/);
    const summary = await call(port, 'GET', '/agent/v1/metrics');
    assert.ok(Array.isArray(summary.json?.['Counters']), summary.text);
    assert.equal((await call(port, 'POST', '/agent/v1/metrics')).status, 405);

    // cache-clear empties it.
    await call(port, 'GET', '/v1/database/creds/app');
    assert.equal((await call(port, 'POST', '/agent/v1/cache-clear', { body: { type: 'request_path', value: '/v1/database/creds' } })).status, 200);
    assert.equal((await call(port, 'GET', '/v1/database/creds/app')).headers.get('x-cache'), 'MISS');

    assert.equal((await agent.stop()).code, 0);
    assertNothingSecretLogged(lab);
  } finally {
    await lab.close();
  }
});

test('use_auto_auth_token force replaces the app\'s token; POST /agent/v1/quit stops the agent (exit 0)', async () => {
  const lab = await startLab();
  try {
    const port = await freePort();
    const agent = await sidecarWithListener(lab, {
      listener: [{ type: 'tcp', address: `127.0.0.1:${port}`, tls_disable: true, agent_api: { enable_quit: true } }],
      cache: { use_auto_auth_token: 'force' },
    }, port);
    const read = await call(port, 'GET', '/v1/secret/data/app/config', { token: 'hvs.not-a-real-token' });
    assert.equal(read.status, 200, read.text);
    // No telemetry stanza: Prometheus is off, as in Vault Agent.
    const metrics = await call(port, 'GET', '/agent/v1/metrics?format=prometheus');
    assert.equal(metrics.status, 400);
    assert.equal(metrics.text, 'prometheus is not enabled');
    assert.equal((await call(port, 'GET', '/agent/v1/quit')).status, 405);
    assert.equal((await call(port, 'POST', '/agent/v1/quit')).status, 200);
    const exit = await agent.exited;
    assert.equal(exit.code, 0);
    await agent.waitFor(message('received a quit request on the listener; stopping'));
  } finally {
    await lab.close();
  }
});

test('use_auto_auth_token false: requests go with the app\'s token or none', async () => {
  const lab = await startLab();
  try {
    const port = await freePort();
    await sidecarWithListener(lab, { listener: [{ type: 'tcp', address: `127.0.0.1:${port}`, tls_disable: true }], cache: {} }, port);
    const anonymous = await call(port, 'GET', '/v1/secret/data/app/config');
    assert.equal(anonymous.status, 403, anonymous.text);
    const appToken = lab.vault.createToken({ policies: ['app'] });
    assert.equal((await call(port, 'GET', '/v1/secret/data/app/config', { token: appToken })).status, 200);
  } finally {
    await lab.close();
  }
});

test('the cache renews a cached lease before it expires, keeps serving it, and sends identical requests in flight once', async () => {
  const lab = await startLab();
  try {
    lab.vault.writeDatabaseRole('database', 'app', { default_ttl: 3, max_ttl: 60 });
    const port = await freePort();
    await sidecarWithListener(lab, { listener: [{ type: 'tcp', address: `127.0.0.1:${port}`, tls_disable: true }], cache: { use_auto_auth_token: true } }, port);
    // Identical requests at once: one goes to Vault, the others wait for it and share its answer.
    const burst = await Promise.all(Array.from({ length: 5 }, () => call(port, 'GET', '/v1/database/creds/app')));
    const [first] = burst;
    assert.ok(first !== undefined);
    assert.equal(first.status, 200, first.text);
    for (const answer of burst) assert.equal(answer.text, first.text);
    assert.equal(countRequests(lab, 'GET', '/v1/database/creds/app'), 1);
    await eventually(() => (countRequests(lab, 'PUT', '/v1/sys/leases/renew') >= 2 ? true : undefined), 15_000, 'two renewals of the cached lease');
    const again = await call(port, 'GET', '/v1/database/creds/app');
    assert.equal(again.headers.get('x-cache'), 'HIT');
    assert.equal(again.text, first.text);
  } finally {
    await lab.close();
  }
});

test('cache.persist: the init agent leaves its cache; a sidecar with exit_on_err refuses a broken one, without it starts empty', async () => {
  const lab = await startLab();
  try {
    const cacheDir = join(lab.dir, 'agent-cache');
    lab.vault.putKv('secret', 'app/config', { greeting: 'persist' });
    const destination = join(lab.dir, 'secrets', 'config');
    const template = [{ destination, contents: '{{ with secret "secret/app/config" }}{{ .Data.data.greeting }}{{ end }}' }];
    const port = await freePort();
    const listener = [{ type: 'tcp', address: `127.0.0.1:${port}`, tls_disable: true }];
    const init = await startAgent(lab, { ...agentConfig(lab, { mode: 'init', templates: template }), listener, cache: { use_auto_auth_token: 'true', persist: { type: 'kubernetes', path: cacheDir } } });
    assert.equal((await init.exited).code, 0);
    const saved = JSON.parse(await readFile(join(cacheDir, 'vault-agent-cache.json'), 'utf8')) as { format: string; entries: unknown[] };
    assert.equal(saved.format, 'vault-injector-agent-cache/1');

    await mkdir(cacheDir, { recursive: true });
    await writeFile(join(cacheDir, 'vault-agent-cache.json'), 'not json');
    const strict = await startAgent(lab, { ...agentConfig(lab, { mode: 'sidecar', templates: template }), listener, cache: { use_auto_auth_token: 'true', persist: { type: 'kubernetes', path: cacheDir, exit_on_err: true } } });
    assert.equal((await strict.exited).code, 1);
    assert.match(await readFile(join(lab.dir, 'termination-log'), 'utf8'), /cannot restore the persisted cache .*not valid JSON/i);

    await writeFile(join(cacheDir, 'vault-agent-cache.json'), 'not json');
    const lenient = await startAgent(lab, { ...agentConfig(lab, { mode: 'sidecar', templates: template }), listener, cache: { use_auto_auth_token: 'true', persist: { type: 'kubernetes', path: cacheDir } } });
    await lenient.waitFor(message('cache: cannot restore the persisted cache; starting empty'));
    await lenient.waitFor(message('all templates rendered'));
    assert.equal((await call(port, 'GET', '/v1/secret/data/app/config')).status, 200);
    assert.equal((await lenient.stop()).code, 0);
  } finally {
    await lab.close();
  }
});

test('a listener port already in use is a clear failure', async () => {
  const lab = await startLab();
  const blocker = createServer();
  try {
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', () => resolve()));
    const address = blocker.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    const agent = await startAgent(lab, { ...agentConfig(lab, { mode: 'sidecar', templates: [] }), listener: [{ type: 'tcp', address: `127.0.0.1:${port}`, tls_disable: true }], cache: {} });
    assert.equal((await agent.exited).code, 1);
    assert.match(await readFile(join(lab.dir, 'termination-log'), 'utf8'), new RegExp(`cannot listen on 127\\.0\\.0\\.1:${port} \\(listener\\): the port is in use`, 'i'));
  } finally {
    blocker.close();
    await lab.close();
  }
});

test('from annotations to a running listener: the webhook\'s config for agent-cache-* and agent-enable-quit, run by the agent', async () => {
  const lab = await startLab();
  try {
    lab.vault.putKv('secret', 'app/config', { greeting: 'from-annotations' });
    lab.vault.writeDatabaseRole('database', 'app', { default_ttl: 3600, max_ttl: 7200 });
    const port = await freePort();
    const spec = specOf(makePod({
      role: 'app',
      service: lab.vault.address,
      'auth-config-token-path': lab.tokenFile,
      'agent-pre-populate': 'false',
      'agent-cache-enable': 'true',
      'agent-cache-listener-port': String(port),
      'agent-enable-quit': 'true',
      'secret-volume-path': join(lab.dir, 'secrets'),
      'agent-inject-secret-config': 'secret/data/app/config',
      'log-format': 'json',
    }));
    const built = encodedAgentConfig(spec, 'sidecar');
    assert.ok(built.ok, built.ok ? '' : built.reason);
    const agent = await startAgent(lab, built.config as unknown as Record<string, unknown>, {}, { viaEnv: true });
    await agent.waitFor(message('all templates rendered'));
    await agent.waitFor(message('listener started'));
    assert.match(await readFile(join(lab.dir, 'secrets', 'config'), 'utf8'), /^data: map\[greeting:from-annotations\]$/m);
    const first = await call(port, 'GET', '/v1/database/creds/app');
    const second = await call(port, 'GET', '/v1/database/creds/app');
    assert.deepEqual([first.status, first.headers.get('x-cache'), second.headers.get('x-cache')], [200, 'MISS', 'HIT']);
    assert.equal((await call(port, 'POST', '/agent/v1/quit')).status, 200);
    assert.equal((await agent.exited).code, 0);
  } finally {
    await lab.close();
  }
});
