/** Certificate files reloaded without restart: new connections see the new certificate. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { X509Certificate } from 'node:crypto';
import { startServer } from '../../../src/server/main.ts';
import { generateCa, generateServing } from '../../../src/tls/generate.ts';
import { captureLogs, eventually, fixture, postReview, servedCertificate, settingsFor } from './helpers.ts';

async function pair() {
  const ca = await generateCa({ nowMs: Date.now() });
  return { ca, serving: await generateServing({ ca, hosts: ['127.0.0.1', 'localhost'], nowMs: Date.now() }) };
}

test('files: served at start, replaced files served to new connections, a broken pair keeps the last good one', async (t) => {
  const directory = await mkdtemp(join(tmpdir(), 'vi-tls-'));
  t.after(() => rm(directory, { recursive: true, force: true }));
  const certFile = join(directory, 'tls.crt');
  const keyFile = join(directory, 'tls.key');
  const first = await pair();
  await writeFile(certFile, first.serving.certPem);
  await writeFile(keyFile, first.serving.keyPem);
  const logs = captureLogs();
  const server = await startServer(settingsFor(['-tls-cert-file', certFile, '-tls-key-file', keyFile]), { logger: logs.logger, handleSignals: false, filePollIntervalMs: 100 });
  t.after(() => server.close());

  const servedFirst = await servedCertificate(server.url);
  assert.equal(servedFirst.fingerprint256, new X509Certificate(first.serving.certPem).fingerprint256);
  assert.equal((await postReview(server.url, first.ca.certPem, fixture('review-v1beta1-plain-pod.json'))).status, 200);

  // cert-manager style: write new files beside, then rename over the old ones.
  const second = await pair();
  await writeFile(`${certFile}.new`, second.serving.certPem);
  await writeFile(`${keyFile}.new`, second.serving.keyPem);
  await rename(`${keyFile}.new`, keyFile);
  await rename(`${certFile}.new`, certFile);
  const secondFingerprint = new X509Certificate(second.serving.certPem).fingerprint256;
  await eventually('the new certificate is served', async () => (await servedCertificate(server.url)).fingerprint256 === secondFingerprint);
  assert.equal((await postReview(server.url, second.ca.certPem, fixture('review-v1beta1-plain-pod.json'))).status, 200);
  await assert.rejects(postReview(server.url, first.ca.certPem, fixture('review-v1beta1-plain-pod.json')), /self-signed|unable to verify|certificate/i);

  // A key that does not belong to the certificate (half-written update): the last good pair stays.
  const third = await pair();
  await writeFile(certFile, third.serving.certPem);
  await eventually('the broken pair is reported', () => logs.lines().some((line) => line['errorCode'] === 'VI_TLS_FILES'));
  assert.equal((await servedCertificate(server.url)).fingerprint256, secondFingerprint);
  const report = logs.lines().find((line) => line['errorCode'] === 'VI_TLS_FILES');
  assert.match(String(report?.['msg']), /is not the private key of the certificate/);
  // Completing the update is picked up.
  await writeFile(keyFile, third.serving.keyPem);
  const thirdFingerprint = new X509Certificate(third.serving.certPem).fingerprint256;
  await eventually('the completed pair is served', async () => (await servedCertificate(server.url)).fingerprint256 === thirdFingerprint);
  assert.ok(!logs.text().includes('PRIVATE KEY'), 'no key material in the logs');
});

test('files: a missing or mismatched pair at start stops the start with a message naming the flags', async (t) => {
  const directory = await mkdtemp(join(tmpdir(), 'vi-tls-'));
  t.after(() => rm(directory, { recursive: true, force: true }));
  const certFile = join(directory, 'tls.crt');
  const keyFile = join(directory, 'tls.key');
  await assert.rejects(startServer(settingsFor(['-tls-cert-file', certFile, '-tls-key-file', keyFile]), { logger: captureLogs().logger, handleSignals: false }), /cannot read TLS files \(tls-cert-file .*tls\.crt, tls-key-file .*tls\.key\): ENOENT/);
  const a = await pair();
  const b = await pair();
  await writeFile(certFile, a.serving.certPem);
  await writeFile(keyFile, b.serving.keyPem);
  await assert.rejects(startServer(settingsFor(['-tls-cert-file', certFile, '-tls-key-file', keyFile]), { logger: captureLogs().logger, handleSignals: false }), /tls-key-file .* is not the private key of the certificate in tls-cert-file/);
});
