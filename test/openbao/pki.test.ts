// A certificate from a REAL OpenBao PKI mount with a short TTL: the sidecar issues a new one before
// the first expires; OpenBao's own certificate store holds both serials.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { agentConfig, message, startAgent } from '../agent/harness.ts';
import { assertNoSecretLogged, startRealLab } from '../real/lab.ts';
import { changedFrom, records } from './support.ts';

interface Issued {
  serial: string;
  expiration: number;
  certificate: X509Certificate;
  key: string;
}

function parse(text: string): Issued {
  const [serial = '', expiration = '', ...pem] = text.split('\n');
  const body = pem.join('\n');
  const certificate = new X509Certificate(body.slice(0, body.indexOf('-----END CERTIFICATE-----') + '-----END CERTIFICATE-----'.length));
  return { serial, expiration: Number(expiration), certificate, key: body.slice(body.indexOf('-----BEGIN')) };
}

test('PKI against OpenBao: a 10 s certificate is re-issued before it expires; OpenBao knows both serials', async () => {
  const lab = await startRealLab({ pki: { ttl: '10s', maxTtl: '10s' } });
  try {
    const destination = join(lab.dir, 'secrets', 'tls.pem');
    const agent = await startAgent(lab, agentConfig(lab, {
      mode: 'sidecar',
      templates: [{
        destination,
        contents: '{{ with secret "pki/issue/web" "common_name=web.example.com" "ttl=10s" }}{{ .Data.serial_number }}\n{{ .Data.expiration }}\n{{ .Data.certificate }}\n{{ .Data.private_key }}{{ end }}',
        perms: '0600',
      }],
    }));
    await agent.waitFor(message('all templates rendered'), 60_000);
    const firstText = await readFile(destination, 'utf8');
    const first = parse(firstText);
    lab.secrets.add(first.key.trim());
    assert.equal(first.certificate.subject, 'CN=web.example.com');
    assert.equal(first.certificate.serialNumber.toLowerCase(), first.serial.replace(/:/g, ''));
    assert.equal(Math.round(Date.parse(first.certificate.validTo) / 1000), first.expiration);
    assert.equal((await stat(destination)).mode & 0o777, 0o600);

    const secondText = await changedFrom(destination, firstText, 30_000, 'a re-issued certificate');
    const second = parse(secondText);
    lab.secrets.add(second.key.trim());
    assert.notEqual(second.serial, first.serial);
    assert.ok(second.expiration > first.expiration);
    // The agent's own clock: the new certificate was fetched before the first expired.
    const fetched = records(agent, 'refreshed secret').find((record) => record['path'] === 'pki/issue/web');
    assert.ok(fetched !== undefined, 'the agent logged the re-issue');
    assert.ok(Date.parse(String(fetched['time'])) < first.expiration * 1000, `re-issued at ${String(fetched['time'])}, before ${first.expiration * 1000}`);

    const listed = await lab.bao.call('LIST', 'pki/certs');
    const keys = (listed.body as { data: { keys: string[] } }).data.keys.map((key) => key.replace(/[-:]/g, ''));
    for (const serial of [first.serial, second.serial]) assert.ok(keys.includes(serial.replace(/:/g, '')), `OpenBao issued ${serial}`);
    const stored = await lab.bao.call('GET', `pki/cert/${second.serial}`);
    assert.equal(new X509Certificate((stored.body as { data: { certificate: string } }).data.certificate).serialNumber, second.certificate.serialNumber, 'the file holds the certificate OpenBao stored');
    await agent.stop();
    assertNoSecretLogged(lab);
  } finally {
    await lab.close();
  }
});
