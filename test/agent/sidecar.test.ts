// Sidecar mode (exit_after_auth: false): the real agent keeps token, leases and files fresh, keeps
// the last good files while Vault is away, and stops promptly on SIGTERM. Short TTLs (1-4 s).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { runProbe } from '../../agent/src/probe.ts';
import { agentConfig, assertNothingSecretLogged, countRequests, eventually, message, repoRoot, sleep, startAgent, startLab } from './harness.ts';

const run = promisify(execFile);
const readOrUndefined = (path: string) => readFile(path, 'utf8').catch(() => undefined);

async function probe(readyFile: string): Promise<number> {
  try {
    await run(join(repoRoot, 'node_modules/.bin/node'), ['--import', 'tsx', join(repoRoot, 'agent/src/cli.ts'), 'probe', readyFile], { cwd: repoRoot });
    return 0;
  } catch (error) {
    return (error as { code?: number }).code ?? -1;
  }
}

test('sidecar: ready file after the first render, re-render on rotation (atomic, command run), SIGTERM with revoke', async () => {
  const lab = await startLab();
  try {
    lab.vault.putKv('secret', 'app/config', { greeting: 'hello-v1-4417' });
    const destination = join(lab.dir, 'secrets', 'config');
    const readyFile = join(lab.dir, 'secrets', '.ready');
    const marker = join(lab.dir, 'command-ran');
    assert.equal(await runProbe(readyFile), 1, 'probe fails before the first render');
    const agent = await startAgent(
      lab,
      agentConfig(lab, {
        mode: 'sidecar',
        templateConfig: { static_secret_render_interval: '1s' },
        extension: { ready_file: readyFile, revoke_on_shutdown: true },
        templates: [{ destination, contents: '{{ with secret "secret/app/config" }}greeting={{ .Data.data.greeting }}{{ end }}', command: ['/bin/sh', '-c', `cat ${destination} > ${marker}; echo ran`] }],
      }),
    );
    await agent.waitFor(message('all templates rendered'));
    assert.equal(await readFile(destination, 'utf8'), 'greeting=hello-v1-4417');
    await eventually(() => readOrUndefined(readyFile), 2000, 'ready file');
    assert.equal(await probe(readyFile), 0, 'probe passes after the first render');
    await eventually(async () => ((await readOrUndefined(marker)) === 'greeting=hello-v1-4417' ? true : undefined), 6000, 'command ran after the first render');

    // A reader that must never see a partial or empty file while the value rotates.
    const seen = new Set<string>();
    let reading = true;
    const reader = (async () => {
      while (reading) {
        seen.add(await readFile(destination, 'utf8'));
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    try {
      lab.vault.putKv('secret', 'app/config', { greeting: 'hello-v2-9902' });
      await eventually(async () => ((await readFile(destination, 'utf8')) === 'greeting=hello-v2-9902' ? true : undefined), 8000, 'rotation rendered');
    } finally {
      reading = false;
      await reader;
    }
    const whole = ['greeting=hello-v1-4417', 'greeting=hello-v2-9902'];
    assert.ok(seen.has(whole[0] ?? ''), 'the reader saw the first version');
    for (const text of seen) assert.ok(whole.includes(text), `only whole files were ever seen, not ${JSON.stringify(text)}`);
    await eventually(async () => ((await readOrUndefined(marker)) === 'greeting=hello-v2-9902' ? true : undefined), 6000, 'command ran after the change');
    const commandLog = await agent.waitFor((record) => record['msg'] === 'template command succeeded');
    assert.deepEqual(commandLog['output'], ['ran']);

    // An unchanged secret re-read does not rewrite the file.
    const before = (await stat(destination)).mtimeMs;
    const reads = countRequests(lab, 'GET', '/v1/secret/data/app/config');
    await eventually(() => (countRequests(lab, 'GET', '/v1/secret/data/app/config') > reads ? true : undefined), 6000, 'another refresh');
    await sleep(100);
    assert.equal((await stat(destination)).mtimeMs, before, 'unchanged content is not rewritten');

    const stoppedAt = Date.now();
    const { code } = await agent.stop('SIGTERM');
    assert.equal(code, 0);
    // The agent's own measure (this machine may be busy enough to delay the exit itself).
    const stopped = await agent.waitFor(message('stopped'), 1000);
    assert.ok(Number(stopped['msSinceSignal']) < 1000, `stopped within a second of SIGTERM (${String(stopped['msSinceSignal'])} ms)`);
    assert.ok(Date.now() - stoppedAt < 5000, 'exited');
    assert.equal(countRequests(lab, 'POST', '/v1/auth/token/revoke-self') + countRequests(lab, 'PUT', '/v1/auth/token/revoke-self'), 1, 'token revoked on shutdown');
    assertNothingSecretLogged(lab);
  } finally {
    await lab.close();
  }
});

test('sidecar: a dynamic lease is renewed, then re-fetched at its max TTL', async () => {
  const lab = await startLab();
  try {
    lab.vault.writeDatabaseRole('database', 'app', { default_ttl: 2, max_ttl: 4 });
    const destination = join(lab.dir, 'creds');
    const agent = await startAgent(lab, agentConfig(lab, { mode: 'sidecar', templates: [{ destination, contents: '{{ with secret "database/creds/app" }}{{ .Data.username }}/{{ .Data.password }}{{ end }}' }] }));
    await agent.waitFor(message('all templates rendered'));
    const first = await readFile(destination, 'utf8');
    await eventually(() => (countRequests(lab, 'PUT', '/v1/sys/leases/renew') + countRequests(lab, 'POST', '/v1/sys/leases/renew') > 0 ? true : undefined), 8000, 'a lease renewal');
    const second = await eventually(async () => {
      const text = await readFile(destination, 'utf8');
      return text !== first ? text : undefined;
    }, 10_000, 'new credentials after max TTL');
    assert.match(second, /^\S+\/\S+$/);
    assert.ok(countRequests(lab, 'GET', '/v1/database/creds/app') >= 2);
    const renewBeforeRefetch = lab.vault.requests.findIndex((r) => r.path === '/v1/sys/leases/renew') < lab.vault.requests.map((r) => r.path).lastIndexOf('/v1/database/creds/app');
    assert.ok(renewBeforeRefetch, 'renewed before re-fetching');
    await agent.stop();
    assertNothingSecretLogged(lab);
  } finally {
    await lab.close();
  }
});

test('sidecar: a token at its max TTL, or revoked, leads to a new login', async () => {
  const lab = await startLab({ tokenTtl: 2, tokenMaxTtl: 3 });
  try {
    lab.vault.putKv('secret', 'app/config', { greeting: 'hi-8812' });
    const sink = join(lab.dir, 'token-sink');
    const destination = join(lab.dir, 'out');
    const agent = await startAgent(
      lab,
      agentConfig(lab, { mode: 'sidecar', sinks: [{ path: sink }], templates: [{ destination, contents: '{{ with secret "secret/app/config" }}{{ .Data.data.greeting }}{{ end }}' }] }),
    );
    await agent.waitFor(message('all templates rendered'));
    const firstToken = await readFile(sink, 'utf8');
    await eventually(() => (countRequests(lab, 'POST', '/v1/auth/kubernetes/login') >= 2 ? true : undefined), 8000, 'a second login');
    const secondToken = await eventually(async () => {
      const token = await readFile(sink, 'utf8');
      return token !== firstToken ? token : undefined;
    }, 2000, 'the sink holds the new token');
    assert.ok(countRequests(lab, 'PUT', '/v1/auth/token/renew-self') + countRequests(lab, 'POST', '/v1/auth/token/renew-self') >= 1, 'renewed before the new login');

    // Revoked behind the agent's back: the next request fails 403, lookup-self too: log in again.
    lab.vault.revokeToken(secondToken);
    lab.vault.putKv('secret', 'app/config', { greeting: 'hi-again-2209' });
    const logins = countRequests(lab, 'POST', '/v1/auth/kubernetes/login');
    await eventually(() => (countRequests(lab, 'POST', '/v1/auth/kubernetes/login') > logins ? true : undefined), 8000, 'a login after revocation');
    assert.equal(await readFile(destination, 'utf8').then((text) => text.length > 0), true);
    await agent.stop();
    assertNothingSecretLogged(lab);
  } finally {
    await lab.close();
  }
});

test('sidecar: Vault down mid-run keeps the files intact, then recovers', async () => {
  const lab = await startLab();
  try {
    lab.vault.putKv('secret', 'app/config', { greeting: 'stable-3301' });
    const destination = join(lab.dir, 'out');
    const agent = await startAgent(
      lab,
      agentConfig(lab, {
        mode: 'sidecar',
        templateConfig: { static_secret_render_interval: '1s' },
        templates: [{ destination, contents: '{{ with secret "secret/app/config" }}{{ .Data.data.greeting }}{{ end }}', perms: '0640' }],
      }),
    );
    await agent.waitFor(message('all templates rendered'));
    await lab.vault.stop();
    await agent.waitFor((record) => record['msg'] === 'refreshing a secret failed; keeping the last good data', 10_000);
    await sleep(1500);
    assert.equal(await readFile(destination, 'utf8'), 'stable-3301', 'the last good file is kept');
    assert.equal((await stat(destination)).mode & 0o777, 0o640);
    assert.equal(agent.child.exitCode, null, 'the sidecar keeps running');
    await lab.vault.start();
    lab.vault.putKv('secret', 'app/config', { greeting: 'recovered-7719' });
    await eventually(async () => ((await readFile(destination, 'utf8')) === 'recovered-7719' ? true : undefined), 10_000, 'recovery after Vault came back');
    await agent.stop();
    assertNothingSecretLogged(lab);
  } finally {
    await lab.close();
  }
});

test('sidecar: a certificate from the write form of secret is re-issued before it expires', async () => {
  const lab = await startLab();
  try {
    lab.vault.writePkiRole('pki', 'web', { ttl: 2, max_ttl: 2 });
    const destination = join(lab.dir, 'tls.pem');
    const agent = await startAgent(
      lab,
      agentConfig(lab, { mode: 'sidecar', templates: [{ destination, contents: '{{ with secret "pki/issue/web" "common_name=web.team-a.svc" }}{{ .Data.serial_number }}\n{{ .Data.private_key }}{{ end }}', perms: '0600' }] }),
    );
    await agent.waitFor(message('all templates rendered'));
    const first = await readFile(destination, 'utf8');
    assert.match(first, /PRIVATE KEY/);
    const second = await eventually(async () => {
      const text = await readFile(destination, 'utf8');
      return text !== first ? text : undefined;
    }, 10_000, 'a re-issued certificate');
    assert.notEqual(second.split('\n')[0], first.split('\n')[0], 'a new serial number');
    assert.ok(countRequests(lab, 'POST', '/v1/pki/issue/web') + countRequests(lab, 'PUT', '/v1/pki/issue/web') >= 2);
    await agent.stop();
    assertNothingSecretLogged(lab);
  } finally {
    await lab.close();
  }
});
