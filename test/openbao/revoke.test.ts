// agent-revoke-on-shutdown against a REAL OpenBao: after SIGTERM the token is gone from OpenBao's
// token store (its own lookup answers 403 "bad token"), the leases it made end with it (the
// database user is dropped); without the setting the token stays valid.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { agentConfig, eventually, message, startAgent } from '../agent/harness.ts';
import { assertNoSecretLogged, lookupLease, lookupToken, startRealLab } from '../real/lab.ts';
import { writeKv } from '../real/setup.ts';

for (const revoke of [true, false]) {
  test(`sidecar against OpenBao: SIGTERM ${revoke ? 'with revoke_on_shutdown revokes the token in OpenBao' : 'without revoke_on_shutdown leaves the token valid'}`, async () => {
    const lab = await startRealLab();
    try {
      await writeKv(lab.bao, 'secret', 2, 'app/config', { greeting: 'bye-5120' });
      lab.secrets.add('bye-5120');
      const sink = join(lab.dir, 'sink', 'token');
      const agent = await startAgent(lab, agentConfig(lab, {
        mode: 'sidecar',
        sinks: [{ path: sink }],
        extension: { revoke_on_shutdown: revoke },
        templates: [{ destination: join(lab.dir, 'out'), contents: '{{ with secret "secret/app/config" }}{{ .Data.data.greeting }}{{ end }}' }],
      }));
      await agent.waitFor(message('all templates rendered'), 60_000);
      const token = await readFile(sink, 'utf8');
      lab.secrets.add(token);
      assert.equal((await lookupToken(lab, token)).status, 200, 'valid while the sidecar runs');

      const { code } = await agent.stop('SIGTERM');
      assert.equal(code, 0);
      const after = await lookupToken(lab, token);
      if (revoke) {
        assert.ok(agent.lines.some((line) => line.includes('revoked the Vault token')), 'the agent says it revoked');
        assert.deepEqual({ status: after.status, errors: after.errors }, { status: 403, errors: ['bad token'] }, 'OpenBao no longer knows the token');
        const selfLookup = await lab.bao.request('GET', 'auth/token/lookup-self', undefined, { token });
        assert.deepEqual({ status: selfLookup.status, body: selfLookup.body }, { status: 403, body: { errors: ['permission denied'] } });
      } else {
        assert.equal(after.status, 200, 'the token outlives the pod until its TTL');
      }
      assertNoSecretLogged(lab);
    } finally {
      await lab.close();
    }
  });
}

test('sidecar against OpenBao: revoke_on_shutdown also ends the token\'s database lease, and PostgreSQL drops the user', async () => {
  const lab = await startRealLab({ database: { defaultTtl: '1h', maxTtl: '2h' } });
  try {
    const destination = join(lab.dir, 'db');
    const agent = await startAgent(lab, agentConfig(lab, {
      mode: 'sidecar',
      extension: { revoke_on_shutdown: true },
      templates: [{ destination, contents: '{{ with secret "database/creds/app" }}{{ .Data.username }} {{ .Data.password }} {{ .LeaseID }}{{ end }}' }],
    }));
    await agent.waitFor(message('all templates rendered'), 60_000);
    const [username = '', password = '', leaseId = ''] = (await readFile(destination, 'utf8')).split(' ');
    lab.secrets.add(password);
    const users = async (): Promise<string[][]> => lab.postgres!.query(`select rolname from pg_roles where rolname = '${username.replace(/'/g, "''")}'`);
    assert.deepEqual(await users(), [[username]], 'pg_roles has the user while the pod runs');
    assert.equal((await lookupLease(lab, leaseId)).status, 200);

    const { code } = await agent.stop('SIGTERM');
    assert.equal(code, 0);
    const lease = await eventually(async () => {
      const answer = await lookupLease(lab, leaseId);
      return answer.status === 200 ? undefined : answer;
    }, 20_000, 'the lease revoked with the token');
    assert.deepEqual({ status: lease.status, errors: lease.errors }, { status: 400, errors: ['invalid lease'] });
    await eventually(async () => ((await users()).length === 0 ? true : undefined), 20_000, 'PostgreSQL dropped the user');
    await assert.rejects(lab.postgres!.query('select 1', { user: username, password }), /password authentication failed|does not exist/);
    assertNoSecretLogged(lab);
  } finally {
    await lab.close();
  }
});
