// writeToFile in the real agent: a template's extra file lands in the secrets volume with its
// mode; a template that tries to write outside it fails (Go's `error calling writeToFile: ...`),
// writes nothing there, and the secret value it would have written is in no log line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readdir, readFile, stat, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { agentConfig, assertNothingSecretLogged, startAgent, startLab } from './harness.ts';

test('writeToFile writes inside the secrets volume, and is refused outside it with nothing written', async () => {
  const lab = await startLab();
  try {
    lab.vault.putKv('secret', 'app/key', { pem: 'private-key-5e1f9c' });
    const volume = join(lab.dir, 'secrets');
    const outside = join(lab.dir, 'outside');
    await mkdir(volume);
    await mkdir(outside);
    await symlink(outside, join(volume, 'link-out'));
    const extension = { secrets_volumes: [volume] };
    const inside = agentConfig(lab, {
      mode: 'init',
      extension,
      templates: [{
        destination: join(volume, 'main'),
        contents: '{{ with secret "secret/app/key" }}{{ .Data.data.pem | writeToFile "keys/app.pem" "" "" "0600" "newline" }}{{ .Data.data.pem | writeToFile "' + join(volume, 'keys/log') + '" "" "" "0640" "append" }}written{{ end }}',
      }],
    });
    const agent = await startAgent(lab, inside);
    assert.equal((await agent.exited).code, 0, agent.lines.slice(-10).join('\n'));
    assert.equal(await readFile(join(volume, 'main'), 'utf8'), 'written');
    assert.equal(await readFile(join(volume, 'keys/app.pem'), 'utf8'), 'private-key-5e1f9c\n', 'a relative path starts at the secrets volume');
    assert.equal((await stat(join(volume, 'keys/app.pem'))).mode & 0o777, 0o600);
    assert.equal((await stat(join(volume, 'keys/log'))).mode & 0o777, 0o640);

    for (const [name, path] of [['absolute', join(outside, 'stolen')], ['climbing', `${volume}/../outside/stolen`], ['symlink', join(volume, 'link-out/stolen')]] as const) {
      const escaping = agentConfig(lab, {
        mode: 'init',
        extension,
        templates: [{ destination: join(volume, `escape-${name}`), contents: `{{ with secret "secret/app/key" }}{{ .Data.data.pem | writeToFile "${path}" "" "" "0644" }}{{ end }}` }],
      });
      const refused = await startAgent(lab, escaping);
      assert.notEqual((await refused.exited).code, 0, `${name}: the render fails`);
      const reason = await readFile(join(lab.dir, 'termination-log'), 'utf8');
      assert.match(reason, /error calling writeToFile: writeToFile: .*outside the secrets volume|has a "\.\." segment/, `${name}: ${reason}`);
      await assert.rejects(stat(join(volume, `escape-${name}`)), `${name}: the template's own file is not written either`);
    }
    assert.deepEqual(await readdir(outside), [], 'nothing was written outside the volume');
    assertNothingSecretLogged(lab);
  } finally {
    await lab.close();
  }
});
