// Init mode against a REAL OpenBao: the agent logs in through the real Kubernetes auth method
// (which reviews the token with the Kubernetes API double), renders KV v1 and v2, and exits 0.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { agentConfig, NAMESPACE, ROLE, SERVICE_ACCOUNT, startAgent } from '../agent/harness.ts';
import { assertNoSecretLogged, lookupToken, startRealLab } from '../real/lab.ts';
import { writeKv } from '../real/setup.ts';

for (const tls of [false, true]) {
  test(`init against OpenBao${tls ? ' over TLS (ca_cert)' : ''}: KV v1 and v2 rendered, token sink valid in OpenBao, exit 0`, async () => {
    const lab = await startRealLab({ tls });
    try {
      await writeKv(lab.bao, 'secret', 2, 'app/db', { username: 'db-user-7f3a', password: 'pw-Zq9!x&<y>' });
      await writeKv(lab.bao, 'kv', 1, 'app/api', { key: 'api-key-93ab41' });
      lab.secrets.add('pw-Zq9!x&<y>').add('api-key-93ab41');
      const out = (name: string) => join(lab.dir, 'secrets', name);
      const sink = join(lab.dir, 'sink', 'token');
      const config = agentConfig(lab, {
        mode: 'init',
        sinks: [{ path: sink }],
        templates: [
          { destination: out('db'), contents: '{{ with secret "secret/app/db" }}{{ .Data.data.username }}:{{ .Data.data.password }} v{{ .Data.metadata.version }}{{ end }}', perms: '0600' },
          { destination: out('api'), contents: '{{ with secret "kv/app/api" }}{{ .Data.key }}{{ end }}' },
        ],
      });
      const agent = await startAgent(lab, config);
      const { code } = await agent.exited;
      assert.equal(code, 0, agent.lines.slice(-10).join('\n'));
      assert.equal(await readFile(out('db'), 'utf8'), 'db-user-7f3a:pw-Zq9!x&<y> v1');
      assert.equal(await readFile(out('api'), 'utf8'), 'api-key-93ab41');
      assert.equal((await stat(out('db'))).mode & 0o777, 0o600);

      const token = await readFile(sink, 'utf8');
      lab.secrets.add(token);
      const lookup = await lookupToken(lab, token);
      assert.equal(lookup.status, 200, lookup.errors.join('; '));
      assert.deepEqual(lookup.data?.['meta'], { role: ROLE, service_account_name: SERVICE_ACCOUNT, service_account_namespace: NAMESPACE, service_account_secret_name: '', service_account_uid: (lookup.data?.['meta'] as Record<string, string>)['service_account_uid'] });
      assert.deepEqual(lookup.data?.['policies'], ['app', 'default']);
      assert.equal(lookup.data?.['path'], 'auth/kubernetes/login');
      assertNoSecretLogged(lab);
    } finally {
      await lab.close();
    }
  });
}
