// Init mode (exit_after_auth: true): the real agent renders everything once and exits 0, or gives
// up with one clear sentence in the termination message file. Every line is scanned for secrets.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { agentConfig, assertNothingSecretLogged, countRequests, NAMESPACE, startAgent, startLab } from './harness.ts';

test('init: renders KV v1, KV v2, database and PKI templates, writes sinks, exits 0', async () => {
  const lab = await startLab();
  try {
    lab.vault.putKv('secret', 'app/db', '{"username":"db-user-7f3a","password":"pw-Zq9!x&<y>","port":5432.0}');
    lab.vault.putKv('kv', 'app/api', { key: 'api-key-93ab41' });
    lab.vault.writeDatabaseRole('database', 'app', { default_ttl: 3600, max_ttl: 7200 });
    lab.vault.writePkiRole('pki', 'web', { ttl: 3600, max_ttl: 7200 });
    const out = (name: string) => join(lab.dir, 'secrets', name);
    const config = agentConfig(lab, {
      mode: 'init',
      sinks: [{ path: join(lab.dir, 'sink', 'token') }],
      templates: [
        { destination: out('db'), contents: '{{ with secret "secret/app/db" }}{{ .Data.data.username }}:{{ .Data.data.password }}:{{ .Data.data.port }}{{ end }}', perms: '0600' },
        { destination: out('db-again'), contents: '{{ with secret "secret/app/db" }}v{{ .Data.metadata.version }}{{ end }}' },
        { destination: out('api'), contents: '{{ with secret "kv/app/api" }}{{ .Data.key }}{{ end }}' },
        { destination: out('creds'), contents: '{{ with secret "database/creds/app" }}{{ .Data.username }} {{ .LeaseDuration }} {{ .Renewable }}{{ end }}' },
        { destination: out('nested/dir/cert.pem'), contents: '{{ with secret "pki/issue/web" "common_name=web.team-a.svc" }}{{ .Data.certificate }}{{ end }}' },
      ],
    });
    const agent = await startAgent(lab, config);
    const { code } = await agent.exited;
    assert.equal(code, 0, agent.lines.slice(-10).join('\n'));

    assert.equal(await readFile(out('db'), 'utf8'), 'db-user-7f3a:pw-Zq9!x&<y>:5432', 'KV v2 answers numbers as float64 (5432.0 written, 5432 read), as OpenBao does');
    assert.equal(await readFile(out('db-again'), 'utf8'), 'v1');
    assert.equal(await readFile(out('api'), 'utf8'), 'api-key-93ab41');
    assert.match(await readFile(out('creds'), 'utf8'), /^\S+ (3600|3599) true$/);
    assert.match(await readFile(out('nested/dir/cert.pem'), 'utf8'), /^-----BEGIN CERTIFICATE-----/);
    assert.equal((await stat(out('db'))).mode & 0o777, 0o600);
    assert.equal((await stat(out('api'))).mode & 0o777, 0o644, 'default perms 0644');
    const sink = join(lab.dir, 'sink', 'token');
    assert.equal((await stat(sink)).mode & 0o777, 0o640, 'sink mode 0640');
    assert.ok(lab.vault.issuedValues().includes(await readFile(sink, 'utf8')), 'the sink holds the issued token');

    assert.equal(countRequests(lab, 'GET', '/v1/secret/data/app/db'), 1, 'a path used by two templates is fetched once');
    assert.equal(countRequests(lab, 'POST', '/v1/auth/kubernetes/login'), 1);
    await assert.rejects(stat(join(lab.dir, 'termination-log')), 'no termination message on success');
    assertNothingSecretLogged(lab);
  } finally {
    await lab.close();
  }
});

test('init: all files are written first, then the commands of the changed ones in template order; a shared destination keeps the last template', async () => {
  const lab = await startLab();
  try {
    lab.vault.putKv('secret', 'app/a', { value: 'alpha-1' });
    lab.vault.putKv('secret', 'app/b', { value: 'bravo-2' });
    const out = (name: string) => join(lab.dir, 'secrets', name);
    const commandLog = join(lab.dir, 'commands.log');
    // Each command notes its name and whether the other template's file is already there.
    const note = (name: string, other: string) => [process.execPath, '-e', `require('fs').appendFileSync(${JSON.stringify(commandLog)}, '${name}:' + require('fs').existsSync(${JSON.stringify(out(other))}) + '\\n')`];
    const config = agentConfig(lab, {
      mode: 'init',
      templates: [
        { destination: out('a'), contents: '{{ with secret "secret/app/a" }}{{ .Data.data.value }}{{ end }}', command: note('a', 'b') },
        { destination: out('b'), contents: '{{ with secret "secret/app/b" }}{{ .Data.data.value }}{{ end }}', command: note('b', 'a') },
        { destination: out('shared'), contents: 'first' },
        { destination: out('shared'), contents: '{{ with secret "secret/app/b" }}last {{ .Data.data.value }}{{ end }}' },
      ],
    });
    const agent = await startAgent(lab, config);
    const { code } = await agent.exited;
    assert.equal(code, 0, agent.lines.slice(-10).join('\n'));
    assert.equal(await readFile(commandLog, 'utf8'), 'a:true\nb:true\n', 'a ran first, and both files were written before any command');
    assert.equal(await readFile(out('shared'), 'utf8'), 'last bravo-2', 'the later template wins a shared destination, as before');
    assertNothingSecretLogged(lab);
  } finally {
    await lab.close();
  }
});

test('init: secrets inside if/range and paths built at run time are discovered (config from VAULT_CONFIG)', async () => {
  const lab = await startLab();
  try {
    lab.vault.putKv('secret', 'app/index', { next: 'app/leaf-2' });
    lab.vault.putKv('secret', 'app/leaf-2', { value: 'leaf-value-5521' });
    const destination = join(lab.dir, 'chained');
    const contents = '{{ with secret "secret/app/index" }}{{ if .Data.data.next }}{{ with secret (printf "secret/%s" .Data.data.next) }}{{ .Data.data.value }}{{ end }}{{ end }}{{ end }}';
    // As the webhook runs it: config in VAULT_CONFIG, standard log format from VAULT_LOG_FORMAT.
    const agent = await startAgent(lab, agentConfig(lab, { mode: 'init', templates: [{ destination, contents }] }), { VAULT_LOG_FORMAT: 'standard' }, { viaEnv: true });
    assert.equal((await agent.exited).code, 0, agent.lines.slice(-10).join('\n'));
    assert.ok(agent.lines.some((line) => /^\S+ \[INFO \] vault-agent: all templates rendered/.test(line)), 'standard log format');
    assert.equal(await readFile(destination, 'utf8'), 'leaf-value-5521');
    assertNothingSecretLogged(lab);
  } finally {
    await lab.close();
  }
});

const failures: Array<{ name: string; setup: (lab: Awaited<ReturnType<typeof startLab>>) => Promise<Record<string, unknown>>; expect: RegExp[] }> = [
  {
    name: 'Vault down at start: the address and the network error',
    async setup(lab) {
      await lab.vault.stop();
      return agentConfig(lab, { mode: 'init', templates: [{ destination: join(lab.dir, 'x'), contents: '{{ with secret "secret/app/db" }}{{ end }}' }] });
    },
    expect: [/ave up after \d+s of retries: cannot reach Vault at http:\/\/127\.0\.0\.1:\d+: connection refused/i],
  },
  {
    name: 'login refused: the address, role, service account and Vault error',
    async setup(lab) {
      const { writeFile } = await import('node:fs/promises');
      await writeFile(lab.tokenFile, lab.vault.issueServiceAccountJwt({ namespace: NAMESPACE, name: 'intruder' }));
      return agentConfig(lab, { mode: 'init', templates: [{ destination: join(lab.dir, 'x'), contents: 'x' }] });
    },
    expect: [/Vault at http:\/\/127\.0\.0\.1:\d+ refused the Kubernetes login at auth\/kubernetes\/login for role "app" and service account team-a\/intruder: 403 service account name not authorized/i],
  },
  {
    name: '403 on a path: the template and the path',
    async setup(lab) {
      lab.vault.putKv('secret', 'other/db', { password: 'other-password-1' });
      return agentConfig(lab, { mode: 'init', templates: [{ destination: join(lab.dir, 'db'), contents: '{{ with secret "secret/other/db" }}{{ .Data.data.password }}{{ end }}' }] });
    },
    expect: [/template .*\/db: Vault at http:\/\/127\.0\.0\.1:\d+ denied access to "secret\/other\/db" for role "app": 403 permission denied/i],
  },
  {
    name: 'a missing secret: the template and the path',
    async setup(lab) {
      return agentConfig(lab, { mode: 'init', templates: [{ destination: join(lab.dir, 'db'), contents: '{{ with secret "secret/app/nothing-here" }}{{ end }}' }] });
    },
    expect: [/template .*\/db: no secret exists at "secret\/app\/nothing-here"/i],
  },
  {
    name: 'error_on_missing_key: the template, position and key (no retry needed)',
    async setup(lab) {
      lab.vault.putKv('secret', 'app/db', { username: 'u-3319' });
      return agentConfig(lab, {
        mode: 'init',
        templates: [{ destination: join(lab.dir, 'db'), contents: '{{ with secret "secret/app/db" }}{{ .Data.data.passwrd }}{{ end }}', error_on_missing_key: true }],
      });
    },
    expect: [/template .*\/db: template: db:1:\d+: executing "db" at <\.Data\.data\.passwrd>: map has no entry for key "passwrd"/i],
  },
  {
    name: 'an invalid config: the field and the reason',
    async setup(lab) {
      return agentConfig(lab, { mode: 'init', templates: [{ destination: join(lab.dir, 'db'), contents: 'x', perms: '0999' }] });
    },
    expect: [/template\[0\]\.perms: "0999" is not an octal file mode/i],
  },
];

for (const failure of failures) {
  test(`init failure, said clearly: ${failure.name}`, async () => {
    const lab = await startLab();
    try {
      const config = await failure.setup(lab);
      const agent = await startAgent(lab, config);
      const { code } = await agent.exited;
      if (process.env['AGENT_TEST_DEBUG'] === '1') console.log(agent.lines.join('\n'));
      assert.equal(code, 1);
      const terminationFile = join(lab.dir, 'termination-log');
      const errorLines = agent.lines.filter((line) => line.includes('"level":50'));
      assert.ok(errorLines.length > 0, 'an error is logged');
      const texts = [errorLines.map((line) => String((JSON.parse(line) as { msg: unknown }).msg)).join('\n')];
      const sentence = await readFile(terminationFile, 'utf8');
      assert.equal(sentence.trim().split('\n').length, 1, 'one line');
      assert.match(sentence, /^vault-agent: /);
      texts.push(sentence.trim());
      for (const text of texts) for (const pattern of failure.expect) assert.match(text, pattern);
      if (lab.vault.issuedValues().length > 0 && lab.lines.length > 0) assertNothingSecretLogged(lab);
    } finally {
      await lab.close();
    }
  });
}
