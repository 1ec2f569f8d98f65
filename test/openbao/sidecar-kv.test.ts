// The sidecar against a REAL OpenBao: a KV v2 write is picked up at the next static refresh, the
// file is replaced whole and its command runs; what OpenBao reports (the secret's current version,
// the sink token's lookup) agrees with what the agent wrote.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { agentConfig, message, startAgent } from '../agent/harness.ts';
import { assertNoSecretLogged, lookupToken, startRealLab } from '../real/lab.ts';
import { writeKv } from '../real/setup.ts';
import { fileBecomes, records } from './support.ts';

test('sidecar against OpenBao: a KV v2 write is re-rendered and its command runs; the file names the version OpenBao holds', async () => {
  const lab = await startRealLab();
  try {
    await writeKv(lab.bao, 'secret', 2, 'app/config', { greeting: 'hello-v1-4417' });
    await writeKv(lab.bao, 'kv', 1, 'app/flags', { mode: 'blue-2231' });
    lab.secrets.add('hello-v1-4417').add('hello-v2-9902').add('blue-2231').add('green-6610');
    const destination = join(lab.dir, 'secrets', 'config');
    const marker = join(lab.dir, 'command-ran');
    const sink = join(lab.dir, 'sink', 'token');
    const agent = await startAgent(lab, agentConfig(lab, {
      mode: 'sidecar',
      sinks: [{ path: sink }],
      templateConfig: { static_secret_render_interval: '1s' },
      templates: [{
        destination,
        contents: '{{ with secret "secret/app/config" }}greeting={{ .Data.data.greeting }} v{{ .Data.metadata.version }}{{ end }}\n{{ with secret "kv/app/flags" }}mode={{ .Data.mode }}{{ end }}',
        command: ['/bin/sh', '-c', `cp ${destination} ${marker}`],
      }],
    }));
    await agent.waitFor(message('all templates rendered'), 60_000);
    assert.equal(await readFile(destination, 'utf8'), 'greeting=hello-v1-4417 v1\nmode=blue-2231');
    await fileBecomes(marker, 'greeting=hello-v1-4417 v1\nmode=blue-2231', 20_000, 'the command ran after the first render');

    await writeKv(lab.bao, 'secret', 2, 'app/config', { greeting: 'hello-v2-9902' });
    await fileBecomes(destination, 'greeting=hello-v2-9902 v2\nmode=blue-2231', 30_000, 'the KV v2 write re-rendered');
    await fileBecomes(marker, 'greeting=hello-v2-9902 v2\nmode=blue-2231', 20_000, 'the command ran after the change');
    const metadata = await lab.bao.call('GET', 'secret/metadata/app/config');
    assert.equal((metadata.body as { data: { current_version: number } }).data.current_version, 2, 'OpenBao holds version 2, the one rendered');

    await writeKv(lab.bao, 'kv', 1, 'app/flags', { mode: 'green-6610' });
    await fileBecomes(destination, 'greeting=hello-v2-9902 v2\nmode=green-6610', 30_000, 'the KV v1 write re-rendered');
    await fileBecomes(marker, 'greeting=hello-v2-9902 v2\nmode=green-6610', 20_000, 'the command ran after the KV v1 change');
    assert.equal(records(agent, 'template command succeeded').length, 3, 'one command run per change, none for the unchanged refreshes');

    const token = await readFile(sink, 'utf8');
    lab.secrets.add(token);
    const lookup = await lookupToken(lab, token);
    assert.equal(lookup.status, 200, lookup.errors.join('; '));
    assert.deepEqual(lookup.data?.['policies'], ['app', 'default']);
    assert.equal(agent.child.exitCode, null, 'the sidecar keeps running');
    const { code } = await agent.stop('SIGTERM');
    assert.equal(code, 0);
    assertNoSecretLogged(lab);
  } finally {
    await lab.close();
  }
});
