// Dynamic database credentials against a REAL OpenBao and a REAL PostgreSQL: the lease is renewed
// (OpenBao's lease lookup shows the renewal), replaced near its max TTL by a new user that really
// logs in, and PostgreSQL's own pg_roles shows the users OpenBao created and dropped.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { agentConfig, eventually, message, startAgent } from '../agent/harness.ts';
import { assertNoSecretLogged, lookupLease, startRealLab, type RealLab } from '../real/lab.ts';
import { changedFrom } from './support.ts';

interface Credentials {
  username: string;
  password: string;
  leaseId: string;
}

function parse(text: string): Credentials {
  const [username, password, leaseId] = text.split(' ');
  assert.ok(username !== undefined && password !== undefined && leaseId !== undefined, `three fields in ${JSON.stringify(text.length)} chars`);
  return { username, password, leaseId };
}

async function roleExists(lab: RealLab, username: string): Promise<boolean> {
  const rows = await lab.postgres!.query(`select count(*) from pg_roles where rolname = '${username.replace(/'/g, "''")}'`);
  return rows[0]?.[0] === '1';
}

test('database credentials from OpenBao: renewed, replaced at max TTL, the new user logs in to PostgreSQL', async () => {
  const lab = await startRealLab({ database: { defaultTtl: '4s', maxTtl: '12s' } });
  try {
    const destination = join(lab.dir, 'secrets', 'db');
    const agent = await startAgent(lab, agentConfig(lab, {
      mode: 'sidecar',
      templates: [{ destination, contents: '{{ with secret "database/creds/app" }}{{ .Data.username }} {{ .Data.password }} {{ .LeaseID }}{{ end }}', perms: '0600' }],
    }));
    await agent.waitFor(message('all templates rendered'), 60_000);
    const firstText = await readFile(destination, 'utf8');
    const first = parse(firstText);
    lab.secrets.add(first.password);
    assert.match(first.leaseId, /^database\/creds\/app\//);
    assert.ok(await roleExists(lab, first.username), 'pg_roles has the user OpenBao created');
    assert.deepEqual(await lab.postgres!.query('select current_user', { user: first.username, password: first.password }), [[first.username]], 'the first user logs in');

    // Renewed: OpenBao's own lease record shows a renewal, and the lease is still the agent's.
    const renewed = await eventually(async () => {
      const lease = await lookupLease(lab, first.leaseId);
      return lease.status === 200 && typeof lease.data?.['last_renewal'] === 'string' ? lease.data : undefined;
    }, 20_000, 'OpenBao records a renewal of the first lease');
    assert.equal(renewed['renewable'], true);
    assert.equal(await readFile(destination, 'utf8'), firstText, 'a renewal does not change the file');

    // Replaced before the max TTL ends: new user, new lease; the new user really logs in.
    const secondText = await changedFrom(destination, firstText, 30_000, 'new credentials near the max TTL');
    const second = parse(secondText);
    lab.secrets.add(second.password);
    assert.notEqual(second.username, first.username);
    assert.notEqual(second.leaseId, first.leaseId);
    assert.equal((await lookupLease(lab, second.leaseId)).status, 200, 'the new lease is live in OpenBao');
    assert.ok(await roleExists(lab, second.username), 'pg_roles has the new user');
    assert.deepEqual(await lab.postgres!.query('select current_user', { user: second.username, password: second.password }), [[second.username]], 'the new user logs in');

    // At its max TTL OpenBao revokes the first lease, which drops the first user in PostgreSQL.
    await eventually(async () => ((await lookupLease(lab, first.leaseId)).status === 400 ? true : undefined), 20_000, 'the first lease expired in OpenBao');
    await eventually(async () => ((await roleExists(lab, first.username)) ? undefined : true), 20_000, 'the first user dropped from pg_roles');
    await assert.rejects(lab.postgres!.query('select 1', { user: first.username, password: first.password }), /password authentication failed|does not exist/, 'the old user cannot log in');
    assert.equal(agent.child.exitCode, null, 'the sidecar keeps running');
    await agent.stop();
    assertNoSecretLogged(lab);
  } finally {
    await lab.close();
  }
});
