// The agent's listener against a REAL OpenBao (with PostgreSQL behind the database engine), side by
// side with `bao agent` (Vault Agent) given the same listener, cache and telemetry config: the
// same app requests through each, and what each answers must match (statuses, X-Cache, what is
// cached and what passes through, the redacted lookup of the agent's token, revocation, the quit
// endpoint, the metric names and counts). OpenBao itself confirms the leases' fate.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { agentConfig, message, startAgent } from '../agent/harness.ts';
import { APP_POLICY, assertNoSecretLogged, lookupLease, startRealLab, type RealLab } from '../real/lab.ts';
import { baoBinary } from '../real/openbao.ts';
import { freePort, stopChild, waitUntil } from '../real/process.ts';
import { writeKv, writePolicy } from '../real/setup.ts';

interface Answer {
  status: number;
  xCache: string | null;
  text: string;
  json: Record<string, unknown> | undefined;
}

async function call(port: number, method: string, path: string, options: { token?: string; body?: unknown } = {}): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (options.token !== undefined) headers['x-vault-token'] = options.token;
  const response = await fetch(`http://127.0.0.1:${port}${path}`, { method, headers, ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}) });
  const text = await response.text();
  let json: Record<string, unknown> | undefined;
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    json = undefined;
  }
  return { status: response.status, xCache: response.headers.get('x-cache'), text, json };
}

const METRICS = ['agent_auth_success', 'agent_auth_failure', 'agent_proxy_success', 'agent_proxy_client_error', 'agent_proxy_error', 'agent_cache_hit', 'agent_cache_miss'];

/** The same app session against one agent's listener; returns what an observer can compare. */
async function session(lab: RealLab, port: number): Promise<{ observations: Array<[string, unknown]>; leases: string[] }> {
  const observations: Array<[string, unknown]> = [];
  const see = (step: string, value: unknown) => observations.push([step, value]);
  const kv1 = await call(port, 'GET', '/v1/secret/data/app/config');
  const kv2 = await call(port, 'GET', '/v1/secret/data/app/config');
  see('kv read', [kv1.status, kv1.xCache, kv2.status, kv2.xCache, ((kv1.json?.['data'] as Record<string, unknown> | undefined)?.['data'] as Record<string, unknown> | undefined)?.['greeting']]);
  const creds1 = await call(port, 'GET', '/v1/database/creds/app');
  const creds2 = await call(port, 'GET', '/v1/database/creds/app');
  const lease = String(creds1.json?.['lease_id']);
  lab.secrets.add(String((creds1.json?.['data'] as Record<string, unknown> | undefined)?.['password'] ?? ''));
  see('database creds twice', [creds1.status, creds1.xCache, creds2.status, creds2.xCache, creds2.text === creds1.text]);
  see('lease valid in OpenBao', (await lookupLease(lab, lease)).status);
  const self = await call(port, 'GET', '/v1/auth/token/lookup-self');
  const selfData = (self.json?.['data'] ?? {}) as Record<string, unknown>;
  see('lookup-self of the agent token', [self.status, 'id' in selfData, 'accessor' in selfData, selfData['policies']]);
  const revoked = await call(port, 'PUT', '/v1/sys/leases/revoke', { body: { lease_id: lease } });
  see('revoke through the proxy', revoked.status);
  see('lease gone in OpenBao', (await lookupLease(lab, lease)).status);
  const creds3 = await call(port, 'GET', '/v1/database/creds/app');
  see('creds after revoke', [creds3.status, creds3.xCache, creds3.json?.['lease_id'] !== lease]);
  const denied = await call(port, 'GET', '/v1/secret/data/other');
  see('denied path', [denied.status, Array.isArray(denied.json?.['errors'])]);
  const bogus = await call(port, 'GET', '/v1/secret/data/app/config', { token: 'hvs.not-a-token' });
  see('the app\'s own (bad) token is used with use_auto_auth_token true', bogus.status);
  see('quit not enabled', (await call(port, 'POST', '/agent/v1/quit')).status);
  const metrics = await call(port, 'GET', '/agent/v1/metrics?format=prometheus');
  const counts: Record<string, number> = {};
  for (const line of metrics.text.split('\n')) {
    const match = /^(?:vault|bao)_(agent_[a-z_]+)(?:\{[^}]*\})? (\d+(?:\.\d+)?)$/.exec(line);
    if (match?.[1] !== undefined && METRICS.includes(match[1])) counts[match[1]] = Number(match[2]);
  }
  see('metrics', [metrics.status, counts]);
  const leases = [lease, String(creds3.json?.['lease_id'])];
  return { observations, leases };
}

test('the listener and its cache against real OpenBao, side by side with bao agent', { timeout: 240_000 }, async () => {
  const lab = await startRealLab({ database: { defaultTtl: '1h', maxTtl: '2h' } });
  let bao: ReturnType<typeof spawn> | undefined;
  try {
    await writePolicy(lab.bao, 'app', `${APP_POLICY}\npath "sys/leases/revoke" { capabilities = ["update"] }\n`);
    await writeKv(lab.bao, 'secret', 2, 'app/config', { greeting: 'hello-openbao-8812' });
    const stanzas = (port: number) => ({
      listener: [{ type: 'tcp', address: `127.0.0.1:${port}`, tls_disable: true }],
      cache: { use_auto_auth_token: 'true' },
      telemetry: { prometheus_retention_time: '1h', disable_hostname: true },
    });

    const oursPort = await freePort();
    const destination = join(lab.dir, 'secrets', 'config');
    const ours = await startAgent(lab, {
      ...agentConfig(lab, { mode: 'sidecar', templates: [{ destination, contents: '{{ with secret "secret/app/config" }}{{ .Data.data.greeting }}{{ end }}' }] }),
      ...stanzas(oursPort),
    });
    await ours.waitFor(message('listener started'));
    await ours.waitFor(message('all templates rendered'));

    // Vault Agent itself, same auto_auth, listener, cache, telemetry and template: its templates
    // read through its cache too, so the template's read counts in both agents' metrics.
    const baoPort = await freePort();
    const baoConfig = join(lab.dir, 'bao-agent.json');
    await writeFile(baoConfig, JSON.stringify({
      // OpenBao 2.7's JSON config wants the method block as a list (vault-k8s writes an object).
      auto_auth: { method: [{ type: 'kubernetes', mount_path: 'auth/kubernetes', config: { role: 'app', token_path: lab.tokenFile } }] },
      vault: { address: lab.bao.addr },
      template: [{ destination: join(lab.dir, 'secrets', 'bao-config'), contents: '{{ with secret "secret/app/config" }}{{ .Data.data.greeting }}{{ end }}' }],
      ...stanzas(baoPort),
    }));
    const baoLines: string[] = [];
    bao = spawn(baoBinary(), ['agent', `-config=${baoConfig}`, '-log-level=debug'], { cwd: lab.dir, env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: lab.dir }, stdio: ['ignore', 'pipe', 'pipe'] });
    for (const stream of [bao.stdout, bao.stderr]) stream?.on('data', (chunk: Buffer) => baoLines.push(...chunk.toString('utf8').split('\n')));
    // Ready once its auto-auth token works through the listener; these probes count in its metrics.
    const probes: number[] = [];
    await waitUntil(async () => {
      const status = (await call(baoPort, 'GET', '/v1/auth/token/lookup-self').catch(() => undefined))?.status;
      if (status !== undefined) probes.push(status);
      return status === 200;
    }, 60_000, () => `bao agent did not serve its listener:\n${baoLines.slice(-20).join('\n')}`);

    const theirs = await session(lab, baoPort);
    const mine = await session(lab, oursPort);
    // Allow for what only bao agent saw: the readiness probes, and Vault's LifetimeWatcher renewing
    // the fresh token at once (auth.success counts logins and renewals; ours renews at 2/3 of the TTL).
    const theirMetrics = theirs.observations.find(([step]) => step === 'metrics');
    const counts = (theirMetrics?.[1] as [number, Record<string, number>] | undefined)?.[1];
    assert.ok(counts !== undefined && counts['agent_auth_success'] !== undefined && counts['agent_auth_success'] >= 1, JSON.stringify(theirMetrics));
    const ok = probes.filter((status) => status < 400).length;
    const refused = probes.length - ok;
    counts['agent_proxy_success'] = (counts['agent_proxy_success'] ?? 0) - ok;
    counts['agent_cache_miss'] = (counts['agent_cache_miss'] ?? 0) - ok;
    if (refused > 0) counts['agent_proxy_client_error'] = (counts['agent_proxy_client_error'] ?? 0) - refused;
    const ourCounts = ((mine.observations.find(([step]) => step === 'metrics')?.[1]) as [number, Record<string, number>])[1];
    assert.equal(ourCounts['agent_auth_success'], 1, 'one login, no renewal yet');
    counts['agent_auth_success'] = 1;
    // What Vault Agent does is the expectation, step by step.
    for (const [index, [step, expected]] of theirs.observations.entries()) {
      assert.deepEqual(mine.observations[index], [step, expected], `step "${step}": bao agent answered ${JSON.stringify(expected)}`);
    }
    // And the plain facts, so the comparison cannot pass with both agents broken the same way.
    const byStep = new Map(mine.observations);
    assert.deepEqual(byStep.get('database creds twice'), [200, 'MISS', 200, 'HIT', true]);
    assert.equal(byStep.get('lease valid in OpenBao'), 200);
    assert.equal(byStep.get('revoke through the proxy'), 204);
    assert.equal(byStep.get('lease gone in OpenBao'), 400);
    assert.deepEqual(byStep.get('creds after revoke'), [200, 'MISS', true]);
    assert.equal(((byStep.get('kv read') as unknown[])[4]), 'hello-openbao-8812');

    assert.equal((await ours.stop()).code, 0);
    assertNoSecretLogged(lab);
  } finally {
    if (bao !== undefined) await stopChild(bao);
    await lab.close();
  }
});
