// A path the role's policy does not grant, against a REAL OpenBao: the init agent gives up with one
// sentence naming the template, the path, the role and OpenBao's own error text (its ACL errors
// come wrapped as "1 error occurred: * permission denied"; the agent unwraps them).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { agentConfig, startAgent } from '../agent/harness.ts';
import { assertNoSecretLogged, startRealLab } from '../real/lab.ts';
import { writeKv } from '../real/setup.ts';
import { failedWith } from './support.ts';

test('a forbidden path against OpenBao: termination message with the template, path, role and OpenBao\'s error', async () => {
  const lab = await startRealLab();
  try {
    await writeKv(lab.bao, 'secret', 2, 'other/db', { password: 'other-password-1' });
    lab.secrets.add('other-password-1');
    const denied = await lab.bao.request('GET', 'secret/data/other/db', undefined, { token: (await login(lab)) });
    assert.deepEqual({ status: denied.status, body: denied.body }, { status: 403, body: { errors: ['1 error occurred:\n\t* permission denied\n\n'] } }, 'what OpenBao itself answers');

    const agent = await startAgent(lab, agentConfig(lab, {
      mode: 'init',
      templates: [{ destination: join(lab.dir, 'db'), contents: '{{ with secret "secret/other/db" }}{{ .Data.data.password }}{{ end }}' }],
    }));
    const sentence = await failedWith(lab, agent);
    assert.match(sentence, /template .*\/db: Vault at http:\/\/127\.0\.0\.1:\d+ denied access to "secret\/other\/db" for role "app": 403 permission denied/);
    assert.doesNotMatch(sentence, /1 error occurred|\\t|\\n/, 'OpenBao\'s multierror wrapping is not passed through raw');
    assertNoSecretLogged(lab);
  } finally {
    await lab.close();
  }
});

async function login(lab: Awaited<ReturnType<typeof startRealLab>>): Promise<string> {
  const answer = await lab.bao.call('POST', 'auth/kubernetes/login', { role: 'app', jwt: lab.jwt }, { token: '' });
  const token = (answer.body as { auth: { client_token: string } }).auth.client_token;
  lab.secrets.add(token);
  return token;
}

test('a login OpenBao refuses (service account not bound to the role): termination message with OpenBao\'s error', async () => {
  const lab = await startRealLab();
  try {
    const { writeFile } = await import('node:fs/promises');
    const intruder = lab.kube.issueServiceAccountToken({ namespace: 'team-a', name: 'intruder' });
    lab.secrets.add(intruder);
    await writeFile(lab.tokenFile, intruder);
    const refused = await lab.bao.request('POST', 'auth/kubernetes/login', { role: 'app', jwt: intruder }, { token: '' });
    assert.deepEqual({ status: refused.status, body: refused.body }, { status: 403, body: { errors: ['service account name not authorized'] } }, 'what OpenBao itself answers');
    const agent = await startAgent(lab, agentConfig(lab, { mode: 'init', templates: [{ destination: join(lab.dir, 'x'), contents: 'x' }] }));
    const sentence = await failedWith(lab, agent);
    assert.match(sentence, /Vault at http:\/\/127\.0\.0\.1:\d+ refused the Kubernetes login at auth\/kubernetes\/login for role "app" and service account team-a\/intruder: 403 service account name not authorized/);
    assertNoSecretLogged(lab);
  } finally {
    await lab.close();
  }
});
