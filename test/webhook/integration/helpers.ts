/** Shared pieces of the webhook integration tests: settings, clients over real TLS, log capture. */
import { readFileSync } from 'node:fs';
import https from 'node:https';
import http2 from 'node:http2';
import tls from 'node:tls';
import { Writable } from 'node:stream';
import { X509Certificate } from 'node:crypto';
import { loadSettings } from '../../../src/settings.ts';
import type { InjectorSettings } from '../../../src/settings.ts';
import { createLogger } from '../../../src/logger.ts';
import type { Logger } from '../../../src/logger.ts';

export const FIXTURES = new URL('../../fixtures/kubernetes', import.meta.url).pathname;

export function fixture(name: string): string {
  return readFileSync(`${FIXTURES}/${name}`, 'utf8');
}

export function settingsFor(flags: string[] = [], env: NodeJS.ProcessEnv = {}): InjectorSettings {
  const loaded = loadSettings(['-listen', '127.0.0.1:0', '-vault-address', 'https://vault.vault.svc:8200', ...flags], env);
  if (!loaded.ok) throw new Error(`test settings invalid: ${loaded.problems.join('; ')}`);
  return loaded.settings;
}

/** A logger writing JSON lines into memory, for assertions and leak scans. */
export function captureLogs(level = 'debug'): { logger: Logger; lines(): Array<Record<string, unknown>>; text(): string } {
  let text = '';
  const destination = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      text += chunk.toString();
      callback();
    },
  });
  const logger = createLogger({ level, format: 'json', destination, name: 'handler' });
  return {
    logger,
    text: () => text,
    lines: () => text.split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

export interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json(): unknown;
  /** Negotiated protocol: 'h2' or 'http/1.1'. */
  protocol: string;
}

function answer(status: number, headers: HttpAnswer['headers'], text: string, protocol: string): HttpAnswer {
  return { status, headers, text, protocol, json: () => JSON.parse(text) as unknown };
}

/** One HTTP/1.1 request over TLS (no ALPN h2 offered), trusting `ca`. */
export function request1(url: string, options: { method?: string; path: string; ca: string | undefined; headers?: Record<string, string>; body?: string | Buffer; agent?: https.Agent }): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const outgoing = https.request(`${url}${options.path}`, {
      method: options.method ?? 'GET',
      ...(options.ca !== undefined ? { ca: options.ca } : {}),
      headers: options.headers ?? {},
      agent: options.agent ?? false,
    }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve(answer(response.statusCode ?? 0, response.headers, Buffer.concat(chunks).toString('utf8'), 'http/1.1')));
      response.on('error', reject);
    });
    outgoing.on('error', reject);
    outgoing.end(options.body);
  });
}

/** One HTTP/2 request (ALPN h2), trusting `ca`. */
export function request2(url: string, options: { method?: string; path: string; ca: string | undefined; headers?: Record<string, string>; body?: string }): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const session = http2.connect(url, { ...(options.ca !== undefined ? { ca: options.ca } : {}) });
    session.on('error', reject);
    const stream = session.request({ ':method': options.method ?? 'GET', ':path': options.path, ...(options.headers ?? {}) });
    let status = 0;
    let headers: HttpAnswer['headers'] = {};
    stream.on('response', (incoming) => {
      status = Number(incoming[':status']);
      headers = incoming as HttpAnswer['headers'];
    });
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => {
      const protocol = session.alpnProtocol ?? '';
      session.close();
      resolve(answer(status, headers, Buffer.concat(chunks).toString('utf8'), protocol));
    });
    stream.on('error', reject);
    stream.end(options.body);
  });
}

export function postReview(url: string, ca: string | undefined, body: string, protocol: 1 | 2 = 1): Promise<HttpAnswer> {
  const options = { method: 'POST', path: '/mutate', ca, headers: { 'content-type': 'application/json' }, body };
  return protocol === 2 ? request2(url, options) : request1(url, options);
}

/** The certificate a new TLS connection is served (no verification), as Node's X509Certificate. */
export function servedCertificate(url: string): Promise<X509Certificate> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: hostname, port: Number(port), rejectUnauthorized: false, ALPNProtocols: ['http/1.1'] }, () => {
      const peer = socket.getPeerX509Certificate();
      socket.end();
      if (peer === undefined) reject(new Error('no peer certificate'));
      else resolve(peer);
    });
    socket.on('error', reject);
  });
}

/** Polls `probe` until it returns true or `timeoutMs` passes (then fails with `what`). */
export async function eventually(what: string, probe: () => Promise<boolean> | boolean, timeoutMs = 8000, intervalMs = 50): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await probe()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
