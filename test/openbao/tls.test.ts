// The agent's TLS settings against OpenBao's real TLS listener (`-dev-tls`: a certificate for
// localhost and 127.0.0.1, signed by a CA of its own): ca_cert with tls_server_name passes; a name
// the certificate does not carry, or no CA, fails with the reason in the termination message.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { agentConfig, startAgent } from '../agent/harness.ts';
import { assertNoSecretLogged, startRealLab } from '../real/lab.ts';
import { writeKv } from '../real/setup.ts';
import { failedWith } from './support.ts';

test('TLS against OpenBao: tls_server_name "localhost" verifies; a wrong name and a missing CA fail naming the reason', async () => {
  const lab = await startRealLab({ tls: true });
  try {
    await writeKv(lab.bao, 'secret', 2, 'app/config', { greeting: 'tls-2718' });
    lab.secrets.add('tls-2718');
    const destination = join(lab.dir, 'out');
    const templates = [{ destination, contents: '{{ with secret "secret/app/config" }}{{ .Data.data.greeting }}{{ end }}' }];
    const caCert = lab.bao.caCertPath ?? assert.fail('a CA file');

    const ok = await startAgent(lab, { ...agentConfig(lab, { mode: 'init', templates }), vault: { address: lab.bao.addr, ca_cert: caCert, tls_server_name: 'localhost' } });
    assert.equal((await ok.exited).code, 0, ok.lines.slice(-10).join('\n'));
    assert.equal(await readFile(destination, 'utf8'), 'tls-2718');

    const wrongName = await startAgent(lab, { ...agentConfig(lab, { mode: 'init', templates }), vault: { address: lab.bao.addr, ca_cert: caCert, tls_server_name: 'vault.example.com' } });
    const wrongNameSentence = await failedWith(lab, wrongName);
    assert.match(wrongNameSentence, /cannot reach Vault at https:\/\/127\.0\.0\.1:\d+: TLS: the server certificate does not match the host name \(set vault\.tls_server_name\)/);

    const noCa = await startAgent(lab, { ...agentConfig(lab, { mode: 'init', templates }), vault: { address: lab.bao.addr } });
    const noCaSentence = await failedWith(lab, noCa);
    assert.match(noCaSentence, /cannot reach Vault at https:\/\/127\.0\.0\.1:\d+: TLS: cannot verify the server certificate \(set vault\.ca_cert\)/);
    assertNoSecretLogged(lab);
  } finally {
    await lab.close();
  }
});
