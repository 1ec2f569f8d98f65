// The agent's token against a REAL OpenBao with a short TTL: renew-self extends it (OpenBao's
// lookup shows the renewal), and once renewal can no longer extend it (max TTL) the agent logs in
// again, writes the new token to the sink and keeps rendering with it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { agentConfig, eventually, message, startAgent } from '../agent/harness.ts';
import { assertNoSecretLogged, lookupToken, startRealLab } from '../real/lab.ts';
import { writeKv } from '../real/setup.ts';
import { changedFrom, fileBecomes } from './support.ts';

test('token against OpenBao: a 4 s TTL is renewed, then a new login at the 12 s max TTL; both tokens checked with lookup', async () => {
  const lab = await startRealLab({ tokenTtl: '4s', tokenMaxTtl: '12s' });
  try {
    await writeKv(lab.bao, 'secret', 2, 'app/config', { greeting: 'hi-8812' });
    lab.secrets.add('hi-8812').add('hi-again-2209');
    const sink = join(lab.dir, 'sink', 'token');
    const destination = join(lab.dir, 'out');
    const agent = await startAgent(lab, agentConfig(lab, {
      mode: 'sidecar',
      sinks: [{ path: sink }],
      templateConfig: { static_secret_render_interval: '1s' },
      templates: [{ destination, contents: '{{ with secret "secret/app/config" }}{{ .Data.data.greeting }}{{ end }}' }],
    }));
    await agent.waitFor(message('all templates rendered'), 60_000);
    const firstToken = await readFile(sink, 'utf8');
    lab.secrets.add(firstToken);
    const firstLookup = await lookupToken(lab, firstToken);
    assert.equal(firstLookup.status, 200, firstLookup.errors.join('; '));
    assert.equal(firstLookup.data?.['creation_ttl'], 4);

    const renewed = await eventually(async () => {
      const lookup = await lookupToken(lab, firstToken);
      return lookup.status === 200 && typeof lookup.data?.['last_renewal'] === 'string' ? lookup.data : undefined;
    }, 20_000, 'OpenBao records a renewal of the first token');
    assert.equal(renewed['renewable'], true);

    const secondToken = await changedFrom(sink, firstToken, 30_000, 'a new token in the sink at the max TTL');
    lab.secrets.add(secondToken);
    const secondLookup = await lookupToken(lab, secondToken);
    assert.equal(secondLookup.status, 200, secondLookup.errors.join('; '));
    assert.equal(secondLookup.data?.['path'], 'auth/kubernetes/login', 'a new Kubernetes login, not a child token');
    assert.deepEqual(secondLookup.data?.['policies'], ['app', 'default']);
    assert.notEqual(secondLookup.data?.['accessor'], firstLookup.data?.['accessor']);

    // The first token dies at its max TTL; the agent keeps working with the second.
    await eventually(async () => ((await lookupToken(lab, firstToken)).status === 403 ? true : undefined), 20_000, 'the first token expired in OpenBao');
    assert.deepEqual((await lookupToken(lab, firstToken)).errors, ['bad token']);
    await writeKv(lab.bao, 'secret', 2, 'app/config', { greeting: 'hi-again-2209' });
    await fileBecomes(destination, 'hi-again-2209', 30_000, 'rendering goes on with the new token');
    await agent.stop();
    assertNoSecretLogged(lab);
  } finally {
    await lab.close();
  }
});
