/**
 * A server for the admission benchmark, in its own process so the load generator does not share
 * its event loop: `admission-target.ts webhook|echo`. Sends `{"url"}` over the IPC channel once
 * listening. The benchmark starts both with the image's Node flags (src/runtime-flags.ts).
 * - webhook: the real server (startServer) as the chart runs it (JSON logs): its per-admission log
 *   line goes to stdout, which the benchmark points at /dev/null, a synchronous write per line as
 *   to a container's log pipe;
 * - echo: a bare fastify HTTPS server (same HTTP/2 + HTTP/1.1 setup, same kind of certificate)
 *   whose POST /mutate parses the JSON body and sends it back: the ceiling for any JSON endpoint.
 */
import { fastify } from 'fastify';
import { startServer } from '../../src/server/main.ts';
import { loadSettings } from '../../src/settings.ts';
import { generateCa, generateServing } from '../../src/tls/generate.ts';

function announce(url: string): void {
  if (process.send === undefined) process.stdout.write(`${JSON.stringify({ url })}\n`);
  else process.send({ url });
}

const kind = process.argv[2];
if (kind === 'webhook') {
  const loaded = loadSettings(['-listen', '127.0.0.1:0', '-vault-address', 'https://vault.vault.svc:8200', '-log-format', 'json'], {});
  if (!loaded.ok) throw new Error(loaded.problems.join('; '));
  const server = await startServer(loaded.settings);
  announce(server.url);
} else if (kind === 'echo') {
  const ca = await generateCa({ nowMs: Date.now() });
  const serving = await generateServing({ ca, hosts: ['127.0.0.1', 'localhost'], nowMs: Date.now() });
  const app = fastify({ http2: true, https: { allowHTTP1: true, key: serving.keyPem, cert: serving.certPem, minVersion: 'TLSv1.2' }, logger: false, bodyLimit: 4 * 1024 * 1024 });
  app.post('/mutate', (request, reply) => {
    void reply.send(request.body);
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
  announce(`https://127.0.0.1:${port}`);
} else {
  process.stderr.write('usage: admission-target.ts webhook|echo\n');
  process.exit(2);
}
