// An HCL config from Vault's documentation (the Kubernetes tutorial's, test/agent/fixtures/hcl/k8s-tutorial.hcl,
// with this lab's role, token file and paths) run by `bao agent` (Vault Agent) and by our agent against the same
// real OpenBao: both log in, render, exit 0, and write the same bytes with the same mode.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ROLE, startAgent } from '../agent/harness.ts';
import { baoBinary } from '../real/openbao.ts';
import { assertNoSecretLogged, startRealLab, type RealLab } from '../real/lab.ts';
import { writeKv } from '../real/setup.ts';

const tutorial = new URL('../agent/fixtures/hcl/k8s-tutorial.hcl', import.meta.url).pathname;

async function configFor(lab: RealLab, name: string): Promise<{ file: string; output: string }> {
  const dir = join(lab.dir, name);
  await mkdir(join(dir, 'out'), { recursive: true });
  const text = (await readFile(tutorial, 'utf8'))
    .replace('role = "example"', `role = "${ROLE}"\n            token_path = "${lab.tokenFile}"`)
    .replace('/home/vault/pidfile', join(dir, 'pidfile'))
    .replace('/home/vault/.vault-token', join(dir, 'sink-token'))
    .replace('/etc/secrets/index.html', join(dir, 'out', 'index.html'))
    .replace('secret/data/myapp/config', 'secret/data/app/config');
  const file = join(dir, 'config-init.hcl');
  await writeFile(file, text);
  return { file, output: join(dir, 'out', 'index.html') };
}

test('the Kubernetes tutorial\'s HCL config: bao agent and our agent render the same file from OpenBao', async () => {
  const lab = await startRealLab();
  try {
    await writeKv(lab.bao, 'secret', 2, 'app/config', { username: 'tutorial-user', password: 'tutorial-pw-6120' });
    lab.secrets.add('tutorial-pw-6120');

    const reference = await configFor(lab, 'bao');
    const bao = spawn(baoBinary(), ['agent', `-config=${reference.file}`], {
      env: { PATH: process.env['PATH'], HOME: lab.dir, VAULT_ADDR: lab.bao.addr }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let baoOutput = '';
    bao.stdout.on('data', (chunk: Buffer) => { baoOutput += chunk.toString('utf8'); });
    bao.stderr.on('data', (chunk: Buffer) => { baoOutput += chunk.toString('utf8'); });
    const timer = setTimeout(() => bao.kill('SIGKILL'), 60_000);
    const baoCode = await new Promise<number | null>((resolveExit) => bao.on('exit', (code) => resolveExit(code)));
    clearTimeout(timer);
    assert.equal(baoCode, 0, baoOutput.slice(-2000));

    const ours = await configFor(lab, 'ours');
    const agent = await startAgent(lab, {}, { VAULT_ADDR: lab.bao.addr }, { configFile: ours.file });
    assert.equal((await agent.exited).code, 0, agent.lines.slice(-10).join('\n'));

    const expected = await readFile(reference.output, 'utf8');
    assert.match(expected, /username: tutorial-user/);
    assert.equal(await readFile(ours.output, 'utf8'), expected);
    assert.equal((await stat(ours.output)).mode & 0o777, (await stat(reference.output)).mode & 0o777);
    assertNoSecretLogged(lab);
  } finally {
    await lab.close();
  }
});
