// The agent's Vault connections as Vault Agent's config and environment shape them, with the real
// agent (child process) or its real client against the Vault double: disable_keep_alives and
// disable_idle_connections per client (a TCP forwarder counts connections and requests),
// VAULT_MAX_RETRIES and VAULT_CLIENT_TIMEOUT, and go-max-procs' thread cap.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { agentConfig, message, startAgent, startLab, type Lab } from './harness.ts';
import { startCountingForwarder } from '../support/proxy.ts';
import { createVaultClient, VaultFailure } from '../../agent/src/vault/client.ts';

const noTls = { caCertFile: undefined, caPath: undefined, clientCertFile: undefined, clientKeyFile: undefined, serverName: undefined, skipVerify: false };

function seeded(lab: Lab): void {
  lab.vault.putKv('kv', 'app/a', { value: 'alpha-6d1f' });
  lab.vault.putKv('kv', 'app/b', { value: 'bravo-93e2' });
}

async function initThroughForwarder(lab: Lab, extra: Record<string, unknown>) {
  const forwarder = await startCountingForwarder(Number(new URL(lab.vault.address).port));
  try {
    const config = {
      ...agentConfig(lab, {
        mode: 'init',
        address: `http://127.0.0.1:${forwarder.port}`,
        templates: ['a', 'b'].map((name) => ({ destination: join(lab.dir, name), contents: `{{ with secret "kv/app/${name}" }}{{ .Data.value }}{{ end }}` })),
      }),
      ...extra,
    };
    const agent = await startAgent(lab, config);
    assert.equal((await agent.exited).code, 0, agent.lines.slice(-8).join('\n'));
    assert.equal(await readFile(join(lab.dir, 'b'), 'utf8'), 'bravo-93e2');
    return { connections: forwarder.connections(), requests: forwarder.requests() };
  } finally {
    await forwarder.stop();
  }
}

test('keep-alives and idle connections: reused by default, one connection per request when disabled, per client', async () => {
  const lab = await startLab();
  try {
    seeded(lab);
    const kept = await initThroughForwarder(lab, {});
    assert.ok(kept.requests.length >= 3, `requests: ${kept.requests.map((request) => request.line).join(', ')}`);
    assert.ok(kept.connections < kept.requests.length, `by default connections are reused (${kept.connections} for ${kept.requests.length} requests)`);
    assert.ok(kept.requests.every((request) => !request.close));

    const noKeepAlive = await initThroughForwarder(lab, { disable_keep_alives: ['auto-auth', 'templating'] });
    assert.ok(noKeepAlive.requests.every((request) => request.close), 'every request says Connection: close');
    assert.equal(noKeepAlive.connections, noKeepAlive.requests.length);

    const noIdle = await initThroughForwarder(lab, { disable_idle_connections: ['auto-auth', 'templating'] });
    assert.ok(noIdle.requests.every((request) => !request.close), 'keep-alive is still asked for');
    assert.equal(noIdle.connections, noIdle.requests.length, 'but no connection waits in the pool for a second request');

    const authOnly = await initThroughForwarder(lab, { disable_keep_alives: ['auto-auth'] });
    const login = authOnly.requests.filter((request) => request.line.includes('/v1/auth/kubernetes/login'));
    assert.equal(login.length, 1);
    assert.ok(login.every((request) => request.close), 'the login client closes');
    assert.ok(authOnly.requests.filter((request) => request.line.includes('/v1/kv/')).every((request) => !request.close), 'the templating client keeps alive');
  } finally {
    await lab.close();
  }
});

test('VAULT_MAX_RETRIES: a 503 is retried that many times (retryablehttp\'s policy), and not at all by default', async () => {
  const lab = await startLab();
  try {
    seeded(lab);
    const reads = () => lab.vault.requests.filter((request) => request.path.includes('kv/app/a')).length;
    const retrying = createVaultClient({ address: lab.vault.address, namespace: undefined, tls: noTls, maxRetries: 2 });
    retrying.setToken(lab.vault.rootToken);
    lab.vault.failRequests({ status: 503, count: 2, pathPrefix: 'kv/app/a' });
    const before = reads();
    const answer = await retrying.read('kv/app/a');
    assert.equal(answer.status, 200);
    assert.equal(reads() - before, 3, 'two failures, then the answer');
    retrying.close();

    const plain = createVaultClient({ address: lab.vault.address, namespace: undefined, tls: noTls });
    plain.setToken(lab.vault.rootToken);
    lab.vault.failRequests({ status: 503, count: 1, pathPrefix: 'kv/app/a' });
    await assert.rejects(plain.read('kv/app/a'), (error: unknown) => error instanceof VaultFailure && error.status === 503);
    plain.close();
  } finally {
    await lab.close();
  }
});

test('VAULT_CLIENT_TIMEOUT bounds the whole request: a Vault that never answers is a timeout, said so', async () => {
  const held = new Set<import('node:http').ServerResponse>();
  const silent: Server = createServer((_request, response) => { held.add(response); });
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  try {
    const client = createVaultClient({ address: `http://127.0.0.1:${(silent.address() as AddressInfo).port}`, namespace: undefined, tls: noTls, timeoutMs: 300 });
    client.setToken('t');
    await assert.rejects(client.read('kv/app/a'), (error: unknown) => error instanceof VaultFailure && error.unreachable && error.networkReason === 'request timed out');
    client.close();
  } finally {
    for (const response of held) response.destroy();
    silent.closeAllConnections();
    await new Promise<void>((resolve) => silent.close(() => resolve()));
  }
});

test('go-max-procs: the env the webhook sets caps the agent\'s threads (libuv\'s pool and V8\'s)', async () => {
  const lab = await startLab();
  try {
    seeded(lab);
    const threadsWith = async (count: number): Promise<number> => {
      const config = agentConfig(lab, { mode: 'sidecar', templates: [{ destination: join(lab.dir, `t${count}`), contents: '{{ with secret "kv/app/a" }}{{ .Data.value }}{{ end }}' }] });
      const agent = await startAgent(lab, config, { GOMAXPROCS: String(count), UV_THREADPOOL_SIZE: String(count), NODE_OPTIONS: `--v8-pool-size=${count}` });
      await agent.waitFor(message('all templates rendered'));
      const status = await readFile(`/proc/${agent.child.pid ?? 0}/status`, 'utf8');
      await agent.stop();
      return Number(/^Threads:\s+(\d+)/m.exec(status)?.[1] ?? 'NaN');
    };
    const one = await threadsWith(1);
    const eight = await threadsWith(8);
    assert.ok(eight - one >= 7, `threads: ${one} with go-max-procs 1, ${eight} with 8`);
  } finally {
    await lab.close();
  }
});
