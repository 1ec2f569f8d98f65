// `agent render` against a REAL OpenBao (VAULT_ADDR, VAULT_TOKEN, VAULT_CACERT, VAULT_NAMESPACE as
// the README says): the template is read from the server, KV v2 paths rewritten, over plain HTTP
// and over TLS with the server's CA.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { repoRoot } from '../agent/harness.ts';
import { startRealLab, type RealLab } from '../real/lab.ts';
import { createNamespace, enableKv, writeKv } from '../real/setup.ts';

function render(lab: RealLab, templateFile: string, env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolveRun) => {
    const child = spawn(join(repoRoot, 'node_modules/.bin/node'), ['--import', 'tsx', join(repoRoot, 'agent/src/cli.ts'), 'render', templateFile], {
      cwd: repoRoot,
      env: { PATH: process.env['PATH'], HOME: lab.dir, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('exit', (code) => resolveRun({ code, stdout, stderr }));
  });
}

for (const tls of [false, true]) {
  test(`render against OpenBao${tls ? ' over TLS (VAULT_CACERT)' : ''}: KV v1 and v2, and a namespace (VAULT_NAMESPACE)`, async () => {
    const lab = await startRealLab({ tls });
    try {
      await writeKv(lab.bao, 'secret', 2, 'app/db', { username: 'render-user-41', port: 5432 });
      await writeKv(lab.bao, 'kv', 1, 'app/api', { key: 'render-key-77' });
      await createNamespace(lab.bao, 'team-a');
      await enableKv(lab.bao, 'secret', 2, { namespace: 'team-a' });
      await writeKv(lab.bao, 'secret', 2, 'app/db', { username: 'ns-user-93', port: 6432 }, { namespace: 'team-a' });
      const templateFile = join(lab.dir, 'db.tpl');
      await writeFile(templateFile, '{{ with secret "secret/app/db" }}{{ .Data.data.username }}:{{ .Data.data.port }}{{ end }}{{ with secret "kv/app/api" }} {{ .Data.key }}{{ end }}\n');
      const env = { VAULT_ADDR: lab.bao.addr, VAULT_TOKEN: lab.bao.rootToken, ...(tls && lab.bao.caCertPath !== undefined ? { VAULT_CACERT: lab.bao.caCertPath } : {}) };
      const root = await render(lab, templateFile, env);
      assert.equal(root.code, 0, root.stderr);
      assert.equal(root.stdout, 'render-user-41:5432 render-key-77\n');
      assert.doesNotMatch(root.stderr, new RegExp(lab.bao.rootToken), 'the token is never printed');

      const inNamespace = join(lab.dir, 'ns.tpl');
      await writeFile(inNamespace, '{{ with secret "secret/app/db" }}{{ .Data.data.username }}:{{ .Data.data.port }}{{ end }}\n');
      const scoped = await render(lab, inNamespace, { ...env, VAULT_NAMESPACE: 'team-a' });
      assert.equal(scoped.code, 0, scoped.stderr);
      assert.equal(scoped.stdout, 'ns-user-93:6432\n');
    } finally {
      await lab.close();
    }
  });
}
