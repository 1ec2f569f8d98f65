// The real agent with auto_auth method "jwt" against the Vault double's JWT auth method (OpenBao's jwt plugin,
// role_type jwt, the service-account signing key as jwt_validation_pubkeys): POST auth/<mount>/login with role and
// jwt, Vault Agent's remove_jwt_after_reading and jwt_read_period behaviour, and a refused login's message.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { agentConfig, assertNothingSecretLogged, countRequests, eventually, message, NAMESPACE, SERVICE_ACCOUNT, startAgent, startLab, type Lab } from './harness.ts';

const subject = `system:serviceaccount:${NAMESPACE}:${SERVICE_ACCOUNT}`;

describe('auth-type jwt: the agent logs in to a JWT auth method with the service account token', () => {
  let lab: Lab;

  before(async () => {
    lab = await startLab();
    lab.vault.enableJwtAuth('jwt');
    lab.vault.writeJwtRole('jwt', 'app', { role_type: 'jwt', user_claim: 'sub', bound_subject: subject, bound_audiences: ['https://kubernetes.default.svc.cluster.local'], token_policies: ['app'], token_ttl: 3600 });
    lab.vault.writeJwtRole('jwt', 'vault-aud', { role_type: 'jwt', user_claim: 'sub', bound_audiences: ['vault'], token_policies: ['app'] });
    lab.vault.putKv('secret', 'app/db', { password: 'jwt-pw-5521' });
  });
  after(async () => lab.close());

  const jwtMethod = (config: Record<string, unknown>, role = 'app') => ({
    type: 'jwt', mount_path: 'auth/jwt', config: { role, path: lab.tokenFile, remove_jwt_after_reading: false, ...config },
  });

  test('init: logs in at auth/jwt/login, renders, and leaves the service account token in place', async () => {
    const destination = join(lab.dir, 'db.txt');
    const logins = countRequests(lab, 'POST', '/v1/auth/jwt/login');
    const agent = await startAgent(lab, agentConfig(lab, {
      mode: 'init', method: jwtMethod({}), templates: [{ destination, contents: '{{ with secret "secret/data/app/db" }}{{ .Data.data.password }}{{ end }}' }],
    }));
    assert.equal((await agent.exited).code, 0, agent.lines.slice(-5).join('\n'));
    assert.equal(await readFile(destination, 'utf8'), 'jwt-pw-5521');
    assert.equal(countRequests(lab, 'POST', '/v1/auth/jwt/login'), logins + 1);
    assert.equal(countRequests(lab, 'POST', '/v1/auth/kubernetes/login'), 0, 'never the kubernetes method');
    await stat(lab.tokenFile);
    assertNothingSecretLogged(lab);
  });

  test('remove_jwt_after_reading (Vault Agent\'s default): the JWT file is removed once read, the login still works', async () => {
    const jwtFile = join(lab.dir, 'oidc.jwt');
    await writeFile(jwtFile, lab.jwt);
    const destination = join(lab.dir, 'db-removed.txt');
    const agent = await startAgent(lab, agentConfig(lab, {
      mode: 'init', method: { type: 'jwt', mount_path: 'auth/jwt', config: { role: 'app', path: jwtFile } },
      templates: [{ destination, contents: '{{ with secret "secret/data/app/db" }}{{ .Data.data.password }}{{ end }}' }],
    }));
    assert.equal((await agent.exited).code, 0, agent.lines.slice(-5).join('\n'));
    assert.equal(await readFile(destination, 'utf8'), 'jwt-pw-5521');
    await assert.rejects(stat(jwtFile), { code: 'ENOENT' });
  });

  test('sidecar: a new JWT in the file (jwt_read_period) makes the agent log in again', async () => {
    const jwtFile = join(lab.dir, 'rotating.jwt');
    await writeFile(jwtFile, lab.jwt);
    const agent = await startAgent(lab, agentConfig(lab, {
      mode: 'sidecar', method: { type: 'jwt', mount_path: 'auth/jwt', config: { role: 'app', path: jwtFile, remove_jwt_after_reading: 'false', jwt_read_period: '200ms' } },
      templates: [{ destination: join(lab.dir, 'sidecar.txt'), contents: '{{ with secret "secret/data/app/db" }}{{ .Data.data.password }}{{ end }}' }],
    }));
    await agent.waitFor(message('logged in to Vault'));
    await eventually(async () => (await stat(join(lab.dir, 'sidecar.txt')).catch(() => undefined)), 20_000, 'the first render');
    const before = countRequests(lab, 'POST', '/v1/auth/jwt/login');
    // The kubelet rotating the projected token: a new JWT for the same service account.
    await writeFile(jwtFile, lab.vault.issueServiceAccountJwt({ namespace: NAMESPACE, name: SERVICE_ACCOUNT }));
    await eventually(() => (countRequests(lab, 'POST', '/v1/auth/jwt/login') > before ? true : undefined), 20_000, 'a login with the new JWT');
    await agent.stop();
    assertNothingSecretLogged(lab);
  });

  test('a refused JWT login names the method, the role and Vault\'s reason', async () => {
    const agent = await startAgent(lab, agentConfig(lab, {
      mode: 'init', method: jwtMethod({}, 'vault-aud'), extension: { retry_timeout: '1s' },
      templates: [{ destination: join(lab.dir, 'never.txt'), contents: 'x' }],
    }));
    assert.equal((await agent.exited).code, 1);
    const reason = await readFile(join(lab.dir, 'termination-log'), 'utf8');
    assert.match(reason, /refused the JWT login at auth\/jwt\/login for role "vault-aud" and service account team-a\/app-sa: 400 error validating token: invalid audience \(aud\) claim: audience claim does not match any expected audience/);
  });
});
