// The real Kubernetes control plane for the end-to-end tier (issue 14): etcd, kube-apiserver and
// kube-controller-manager built by scripts/setup-controlplane.sh, on loopback, with their own CA,
// service-account signing key and issuer, RBAC and the default admission plugins (which include
// MutatingAdmissionWebhook and PodSecurity). No scheduler and no kubelet: pods stay Pending, which
// is where an injector's work is done. `stop()` always ends every process and removes the
// temporary directory, also when the start failed half-way.
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, sleep, stopChild } from './process.ts';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const controlPlaneBin = join(repoRoot, '.cache', 'controlplane', 'bin');

export interface ControlPlane {
  /** https://127.0.0.1:PORT */
  server: string;
  /** A kubeconfig with a system:masters client certificate. */
  kubeconfigPath: string;
  caCertPath: string;
  caCertPem: string;
  /** The issuer of service account tokens (also the audience the API server accepts by default). */
  serviceAccountIssuer: string;
  /** A temporary directory owned by this control plane, removed by stop(). */
  dir: string;
  /** From the first spawn until the API server is ready and the controllers created the default service account. */
  startupMs: number;
  /** The last lines of each component's log, for failure messages. */
  logTail(lines?: number): string;
  stop(): Promise<void>;
}

export interface ControlPlaneOptions {
  /** Readiness limit for the whole start (default 180 s: the machine is small and shared). */
  startTimeoutMs?: number;
}

const COMPONENTS = ['etcd', 'kube-apiserver', 'kube-controller-manager'] as const;
type Component = typeof COMPONENTS[number];

function openssl(args: string[], cwd: string): void {
  const result = spawnSync('openssl', args, { cwd, encoding: 'utf8' });
  if (result.error !== undefined) throw new Error(`openssl could not be run (is it installed?): ${result.error.message}`);
  if (result.status !== 0) throw new Error(`openssl ${args[0]} failed: ${result.stderr}`);
}

interface Pki { caCert: string; caKey: string; servingCert: string; servingKey: string; adminCert: string; adminKey: string; saKey: string; saPub: string }

/** A one-day CA, the API server's serving certificate, an admin client certificate and the service-account key. */
function makePki(dir: string): Pki {
  const file = (name: string): string => join(dir, name);
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1'];
  openssl(['req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.crt', '-subj', '/CN=vault-injector-e2e-ca',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], dir);
  // 10.0.0.1 is the `kubernetes` Service's cluster IP in --service-cluster-ip-range below.
  openssl(['req', '-x509', ...ec, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-keyout', 'apiserver.key', '-out', 'apiserver.crt',
    '-subj', '/CN=kube-apiserver', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,IP:10.0.0.1',
    '-addext', 'basicConstraints=critical,CA:FALSE', '-addext', 'extendedKeyUsage=serverAuth'], dir);
  openssl(['req', '-x509', ...ec, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-keyout', 'admin.key', '-out', 'admin.crt',
    '-subj', '/O=system:masters/CN=vault-injector-e2e-admin', '-addext', 'basicConstraints=critical,CA:FALSE', '-addext', 'extendedKeyUsage=clientAuth'], dir);
  openssl(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', 'sa.key'], dir);
  openssl(['pkey', '-in', 'sa.key', '-pubout', '-out', 'sa.pub'], dir);
  return {
    caCert: file('ca.crt'), caKey: file('ca.key'), servingCert: file('apiserver.crt'), servingKey: file('apiserver.key'),
    adminCert: file('admin.crt'), adminKey: file('admin.key'), saKey: file('sa.key'), saPub: file('sa.pub'),
  };
}

function kubeconfigText(server: string, pki: Pki): string {
  const b64 = (path: string): string => readFileSync(path).toString('base64');
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'e2e', cluster: { server, 'certificate-authority-data': b64(pki.caCert) } }],
    users: [{ name: 'admin', user: { 'client-certificate-data': b64(pki.adminCert), 'client-key-data': b64(pki.adminKey) } }],
    contexts: [{ name: 'e2e', context: { cluster: 'e2e', user: 'admin' } }],
    'current-context': 'e2e',
  }, null, 2);
}

interface Probe { status: number; body: string }

function httpsGet(url: string, pki: Pki, verify = true): Promise<Probe> {
  return get((onResponse) => request(url, {
    ca: readFileSync(pki.caCert), cert: readFileSync(pki.adminCert), key: readFileSync(pki.adminKey),
    rejectUnauthorized: verify,
    timeout: 5_000,
  }, onResponse));
}

function httpGet(url: string): Promise<Probe> {
  return get((onResponse) => httpRequest(url, { timeout: 5_000 }, onResponse));
}

/** One GET through `send` (http or https), its status and body; a timeout or socket error rejects. */
function get(send: (onResponse: (res: IncomingMessage) => void) => ClientRequest): Promise<Probe> {
  return new Promise((resolveProbe, reject) => {
    const req = send((res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => { body += chunk; });
      res.on('end', () => resolveProbe({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end();
  });
}

function binary(name: string): string {
  const path = join(controlPlaneBin, name);
  if (!existsSync(path)) throw new Error(`${path} is missing: run scripts/setup-controlplane.sh (it builds etcd, kube-apiserver and kube-controller-manager)`);
  return path;
}

function tail(path: string, lines: number): string {
  try {
    return readFileSync(path, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

// stop() is the way out; this is the net under it: a test process that ends without calling it
// (an uncaught error, process.exit) still kills its control plane on 'exit'.
const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export async function startControlPlane(options: ControlPlaneOptions = {}): Promise<ControlPlane> {
  const timeoutMs = options.startTimeoutMs ?? 180_000;
  const dir = mkdtempSync(join(tmpdir(), 'vi-controlplane-'));
  const children = new Map<Component, ChildProcess>();
  const logOf = (name: Component): string => join(dir, `${name}.log`);
  const logTail = (lines = 15): string => COMPONENTS.map((name) => `--- ${name} ---\n${tail(logOf(name), lines)}`).join('\n');
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    // Controllers first, etcd last, so nothing logs storage errors on the way down.
    for (const name of [...COMPONENTS].reverse()) {
      const child = children.get(name);
      if (child === undefined) continue;
      await stopChild(child, 10_000);
      running.delete(child);
    }
    rmSync(dir, { recursive: true, force: true });
  };

  const launch = (name: Component, args: string[]): ChildProcess => {
    const log = openSync(logOf(name), 'a');
    const child = spawn(binary(name), args, { cwd: dir, stdio: ['ignore', log, log] });
    closeSync(log);
    running.add(child);
    children.set(name, child);
    return child;
  };
  const deadline = Date.now() + timeoutMs;
  const waitFor = async (what: string, ready: () => Promise<boolean>): Promise<void> => {
    for (;;) {
      for (const [name, child] of children) {
        if (child.exitCode !== null || child.signalCode !== null) {
          throw new Error(`${name} exited (${child.exitCode ?? child.signalCode}) while waiting for ${what}:\n${logTail(30)}`);
        }
      }
      if (await ready().catch(() => false)) return;
      if (Date.now() > deadline) throw new Error(`the control plane was not ready within ${timeoutMs} ms (waiting for ${what}):\n${logTail(30)}`);
      await sleep(250);
    }
  };

  try {
    const started = Date.now();
    const pki = makePki(dir);
    const [etcdClient, etcdPeer, apiPort, kcmPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
    const server = `https://127.0.0.1:${apiPort}`;
    const serviceAccountIssuer = server;
    const kubeconfigPath = join(dir, 'admin.kubeconfig');
    writeFileSync(kubeconfigPath, kubeconfigText(server, pki), { mode: 0o600 });

    mkdirSync(join(dir, 'etcd'), { mode: 0o700 });
    launch('etcd', [
      '--name=e2e', `--data-dir=${join(dir, 'etcd')}`,
      `--listen-client-urls=http://127.0.0.1:${etcdClient}`, `--advertise-client-urls=http://127.0.0.1:${etcdClient}`,
      `--listen-peer-urls=http://127.0.0.1:${etcdPeer}`, `--initial-advertise-peer-urls=http://127.0.0.1:${etcdPeer}`,
      `--initial-cluster=e2e=http://127.0.0.1:${etcdPeer}`,
      // A throwaway store: durability buys nothing and fsync is slow on a shared disk.
      '--unsafe-no-fsync', '--log-level=warn',
    ]);
    await waitFor('etcd /health', async () => {
      const probe = await httpGet(`http://127.0.0.1:${etcdClient}/health`);
      return probe.status === 200 && probe.body.includes('"health":"true"');
    });

    launch('kube-apiserver', [
      `--etcd-servers=http://127.0.0.1:${etcdClient}`,
      '--bind-address=127.0.0.1', '--advertise-address=127.0.0.1', `--secure-port=${apiPort}`,
      `--cert-dir=${join(dir, 'apiserver-certs')}`,
      `--tls-cert-file=${pki.servingCert}`, `--tls-private-key-file=${pki.servingKey}`, `--client-ca-file=${pki.caCert}`,
      `--service-account-key-file=${pki.saPub}`, `--service-account-signing-key-file=${pki.saKey}`,
      `--service-account-issuer=${serviceAccountIssuer}`,
      '--service-cluster-ip-range=10.0.0.0/24',
      '--authorization-mode=RBAC',
      // Added to the defaults (which already hold them): the two this project is tested against.
      '--enable-admission-plugins=MutatingAdmissionWebhook,PodSecurity',
      '--profiling=false', '--v=1',
    ]);
    await waitFor('kube-apiserver /readyz', async () => {
      const probe = await httpsGet(`${server}/readyz`, pki);
      return probe.status === 200 && probe.body.trim() === 'ok';
    });

    launch('kube-controller-manager', [
      `--kubeconfig=${kubeconfigPath}`,
      '--bind-address=127.0.0.1', `--secure-port=${kcmPort}`, `--cert-dir=${join(dir, 'kcm-certs')}`,
      `--service-account-private-key-file=${pki.saKey}`, `--root-ca-file=${pki.caCert}`,
      '--leader-elect=false', '--use-service-account-credentials=false', '--v=1',
    ]);
    await waitFor('kube-controller-manager /healthz', async () => {
      // kube-controller-manager serves a self-signed certificate of its own in --cert-dir.
      const probe = await httpsGet(`https://127.0.0.1:${kcmPort}/healthz`, pki, false);
      return probe.status === 200 && probe.body.trim() === 'ok';
    });
    // The controllers really run once the service account controller made `default/default`
    // (pods of a namespace are refused until its default service account exists).
    await waitFor('the default service account', async () => (await httpsGet(`${server}/api/v1/namespaces/default/serviceaccounts/default`, pki)).status === 200);

    return {
      server, kubeconfigPath, caCertPath: pki.caCert, caCertPem: readFileSync(pki.caCert, 'utf8'), serviceAccountIssuer, dir,
      startupMs: Date.now() - started, logTail, stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
