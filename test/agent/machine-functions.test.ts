// The real agent runs `plugin` programs and reads the machine for `sockaddr` in its templates,
// as Vault Agent does, and a template's function_denylist turns them off.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { agentConfig, assertNothingSecretLogged, startAgent, startLab } from './harness.ts';
import { parseAgentConfig } from '../../agent/src/config/load.ts';
import { resolveSettings } from '../../agent/src/config/settings.ts';

test('function_denylist: a list or a comma-separated string, function_blacklist added', () => {
  const base = { auto_auth: { method: { type: 'kubernetes', config: { role: 'r' } } }, vault: { address: 'http://127.0.0.1:8200' }, exit_after_auth: true };
  const parsed = parseAgentConfig(JSON.stringify({
    ...base,
    template: [
      { destination: '/a', contents: 'x', function_denylist: ['plugin', 'sprig_*'], function_blacklist: 'sockaddr' },
      { destination: '/b', contents: 'x', function_denylist: 'plugin,sockaddr' },
      { destination: '/c', contents: 'x', function_denylist: '' },
      { destination: '/d', contents: 'x' },
    ],
  }), 'x');
  assert.ok(parsed.ok, JSON.stringify(parsed));
  if (!parsed.ok) return;
  assert.deepEqual(resolveSettings(parsed.config).templates.map((t) => t.functionDenylist), [['plugin', 'sprig_*', 'sockaddr'], ['plugin', 'sockaddr'], [], []]);
  assert.equal(parseAgentConfig(JSON.stringify({ ...base, template: [{ destination: '/a', contents: 'x', function_denylist: [1] }] }), 'x').ok, false);
});

test('init: plugin gets a secret as an argument, sockaddr reads the loopback interface', async () => {
  const lab = await startLab();
  try {
    lab.vault.putKv('secret', 'app/db', { username: 'db-user' });
    const out = (name: string) => join(lab.dir, 'secrets', name);
    const config = agentConfig(lab, {
      mode: 'init',
      templates: [
        { destination: out('upper'), contents: '{{ with secret "secret/app/db" }}{{ plugin "sh" "-c" "printf %s \\"$1\\" | tr a-z A-Z" "sh" .Data.data.username }}{{ end }}' },
        { destination: out('lo'), contents: '[{{ sockaddr "GetInterfaceIP \\"lo\\"" }}] {{ sockaddr "GetAllInterfaces | include \\"flags\\" \\"loopback\\" | include \\"type\\" \\"ipv4\\" | attr \\"string\\"" }}' },
      ],
    });
    const agent = await startAgent(lab, config);
    const { code } = await agent.exited;
    assert.equal(code, 0, agent.lines.slice(-10).join('\n'));
    assert.equal(await readFile(out('upper'), 'utf8'), 'DB-USER');
    // GetInterfaceIP keeps forwardable addresses only: none on lo, as go-sockaddr says
    assert.equal(await readFile(out('lo'), 'utf8'), '[] 127.0.0.1/8');
  } finally {
    await lab.close();
  }
});

test('init: a failing plugin fails its template with consul-template\'s text; a denied one is disabled', async () => {
  const lab = await startLab();
  try {
    const out = (name: string) => join(lab.dir, 'secrets', name);
    lab.vault.putKv('secret', 'app/api', { key: 'api-key-5e2b9c' });
    // the plugin echoes the secret it was given before failing: its stdout is in the error
    const failing = agentConfig(lab, {
      mode: 'init',
      templates: [{ destination: out('fails'), contents: '{{ with secret "secret/app/api" }}{{ plugin "sh" "-c" "echo $1; echo oops >&2; exit 4" "sh" .Data.data.key }}{{ end }}' }],
    });
    const failed = await startAgent(lab, failing);
    assert.notEqual((await failed.exited).code, 0);
    const termination = await readFile(join(lab.dir, 'termination-log'), 'utf8');
    assert.match(termination, /error calling plugin: exec "sh": exit status 4/, termination);
    assert.ok(!termination.includes('api-key-5e2b9c'), `the secret the plugin printed is redacted: ${termination}`);
    assertNothingSecretLogged(lab);

    const denied = agentConfig(lab, {
      mode: 'init',
      templates: [{ destination: out('denied'), contents: '{{ plugin "echo" "hi" }}', function_denylist: ['plug*', 'sockaddr'] }],
    });
    const agent = await startAgent(lab, denied);
    assert.notEqual((await agent.exited).code, 0);
    const message = await readFile(join(lab.dir, 'termination-log'), 'utf8');
    assert.match(message, /error calling plugin: function is disabled/, message);
  } finally {
    await lab.close();
  }
});
