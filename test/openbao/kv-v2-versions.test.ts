// KV v2 deleted and destroyed versions against a REAL OpenBao. OpenBao answers such a read 404
// with the version's metadata (deletion_time set, or destroyed: true) and "data": null;
// consul-template (in Vault Agent) treats that as "no secret exists", and so does our agent:
// init fails naming the path, a pinned live version (?version=N) renders, and a sidecar keeps its
// last good file while the latest version is deleted, then renders the next version written.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { agentConfig, message, startAgent } from '../agent/harness.ts';
import { assertNoSecretLogged, startRealLab, type RealLab } from '../real/lab.ts';
import { writeKv } from '../real/setup.ts';
import { failedWith, fileBecomes, records } from './support.ts';

/** secret/app/x with versions 1 (destroyed), 2 (live) and 3 (latest, soft-deleted). */
async function seedVersions(lab: RealLab): Promise<void> {
  for (const value of ['one-1101', 'two-2202', 'three-3303']) {
    await writeKv(lab.bao, 'secret', 2, 'app/x', { value });
    lab.secrets.add(value);
  }
  await lab.bao.call('DELETE', 'secret/data/app/x');
  await lab.bao.call('POST', 'secret/destroy/app/x', { versions: [1] });
  const latest = await lab.bao.request('GET', 'secret/data/app/x');
  assert.equal(latest.status, 404);
  const metadata = (latest.body as { data: { data: unknown; metadata: Record<string, unknown> } }).data;
  assert.equal(metadata.data, null);
  assert.equal(metadata.metadata['version'], 3);
  assert.notEqual(metadata.metadata['deletion_time'], '', 'OpenBao reports the soft delete');
  const destroyed = await lab.bao.request('GET', 'secret/data/app/x?version=1');
  assert.equal((destroyed.body as { data: { metadata: Record<string, unknown> } }).data.metadata['destroyed'], true, 'OpenBao reports the destroy');
}

const cases: Array<{ name: string; path: string; expect: string | RegExp }> = [
  { name: 'the latest version soft-deleted', path: 'secret/app/x', expect: /template .*\/x: no secret exists at "secret\/app\/x"/ },
  { name: 'a destroyed version', path: 'secret/app/x?version=1', expect: /template .*\/x: no secret exists at "secret\/app\/x\?version=1"/ },
  { name: 'a live older version', path: 'secret/app/x?version=2', expect: 'two-2202 v2' },
];

for (const { name, path, expect } of cases) {
  test(`init against OpenBao, KV v2 ${name}: ${typeof expect === 'string' ? 'rendered' : 'no secret exists'}`, async () => {
    const lab = await startRealLab();
    try {
      await seedVersions(lab);
      const destination = join(lab.dir, 'x');
      const agent = await startAgent(lab, agentConfig(lab, {
        mode: 'init',
        templates: [{ destination, contents: `{{ with secret "${path}" }}{{ .Data.data.value }} v{{ .Data.metadata.version }}{{ end }}` }],
      }));
      if (typeof expect === 'string') {
        const { code } = await agent.exited;
        assert.equal(code, 0, agent.lines.slice(-10).join('\n'));
        assert.equal(await readFile(destination, 'utf8'), expect);
      } else {
        assert.match(await failedWith(lab, agent), expect);
        await assert.rejects(readFile(destination), 'nothing written for a deleted or destroyed version');
      }
      assertNoSecretLogged(lab);
    } finally {
      await lab.close();
    }
  });
}

test('sidecar against OpenBao: the latest KV v2 version deleted keeps the last good file; the next version written is rendered', async () => {
  const lab = await startRealLab();
  try {
    await writeKv(lab.bao, 'secret', 2, 'app/y', { value: 'first-4401' });
    lab.secrets.add('first-4401').add('second-5502');
    const destination = join(lab.dir, 'y');
    const agent = await startAgent(lab, agentConfig(lab, {
      mode: 'sidecar',
      templateConfig: { static_secret_render_interval: '1s' },
      templates: [{ destination, contents: '{{ with secret "secret/app/y" }}{{ .Data.data.value }} v{{ .Data.metadata.version }}{{ end }}' }],
    }));
    await agent.waitFor(message('all templates rendered'), 60_000);
    assert.equal(await readFile(destination, 'utf8'), 'first-4401 v1');

    await lab.bao.call('DELETE', 'secret/data/app/y');
    const failed = await agent.waitFor((record) => record['msg'] === 'refreshing a secret failed; keeping the last good data', 30_000);
    assert.equal(failed['kind'], 'missing');
    assert.equal(failed['status'], 404);
    assert.equal(await readFile(destination, 'utf8'), 'first-4401 v1', 'the last good file stays');

    await writeKv(lab.bao, 'secret', 2, 'app/y', { value: 'second-5502' });
    await fileBecomes(destination, 'second-5502 v2', 30_000, 'the next version rendered');
    assert.equal(agent.child.exitCode, null);
    assert.ok(records(agent, 'rendered template').length >= 2);
    await agent.stop();
    assertNoSecretLogged(lab);
  } finally {
    await lab.close();
  }
});
