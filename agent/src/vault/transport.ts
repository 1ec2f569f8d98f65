// The HTTP layer under node-vault. node-vault accepts a `request-promise`-style object
// (`config['request-promise'].defaults(rpDefaults)` → function(options) → Promise<{statusCode, body,
// request: {path}}>). We supply one on node:http/https because node-vault's own (axios) parses the
// JSON and would lose number text such as `5432.0`, which templates must print as Vault sent it.
// The raw text of every parsed body is kept in a WeakMap keyed by the parsed object, so whoever
// receives the body from node-vault can ask for its exact text.
import type * as HttpModule from 'node:http';
import type * as HttpsModule from 'node:https';
import { setTimeout as sleep } from 'node:timers/promises';
import { HttpProxyAgent } from 'http-proxy-agent';
import { HttpsProxyAgent } from 'https-proxy-agent';
import type { ConnectionPolicy } from '../config/settings.ts';

// Not `import ... from 'node:http'`: an ESM import of node:http builds its ESM facade, which reads
// every export, including lazy getters that load undici (~100 ms of CPU at start, measured).
// getBuiltinModule returns the plain CommonJS module and leaves those getters alone.
const http = process.getBuiltinModule('node:http') as typeof HttpModule;
const https = process.getBuiltinModule('node:https') as typeof HttpsModule;

export interface TransportTls {
  ca?: string | string[];
  cert?: string;
  key?: string;
  servername?: string;
  rejectUnauthorized: boolean;
}

export interface TransportOptions {
  tls: TransportTls;
  /** Whole-request timeout (VAULT_CLIENT_TIMEOUT); 0: none. */
  timeoutMs: number;
  maxSockets: number;
  /** disable_idle_connections / disable_keep_alives for this client; both kept by default. */
  policy?: ConnectionPolicy;
  /** HTTP(S) proxy to reach Vault through (HTTPS_PROXY / HTTP_PROXY), CONNECT-tunnelled for https. */
  proxy?: URL;
  /** Extra attempts on a network error, 412, 429 or 5xx other than 501 (VAULT_MAX_RETRIES). */
  maxRetries?: number;
  /** For the retry backoff's jitter. */
  random?: () => number;
  /** Aborts every request in flight (SIGTERM). */
  signal?: AbortSignal;
}

/** The request shape node-vault passes (the subset we use). */
export interface NodeVaultRequest {
  method: string;
  uri: string;
  headers?: Record<string, string>;
  json?: unknown;
  timeout?: number;
}

export interface NodeVaultResponse {
  statusCode: number;
  body: unknown;
  request: { path: string };
}

export type RequestFunction = (options: NodeVaultRequest) => Promise<NodeVaultResponse>;

export interface Transport {
  /** What node-vault's `request-promise` option expects. */
  requestPromise: { defaults(rpDefaults: Record<string, unknown>): RequestFunction };
  /** The exact text a parsed body was decoded from. */
  rawTextOf(body: unknown): string | undefined;
  close(): void;
}

export class TransportError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'TransportError';
    this.code = code;
  }
}

class StaleSocketError extends Error {}

/** Go's retryablehttp.DefaultRetryPolicy plus Vault's 412 (a standby not yet caught up). */
export function isRetryableStatus(status: number): boolean {
  return status === 412 || status === 429 || (status >= 500 && status !== 501);
}

/** Network errors worth another attempt: not a certificate Vault's client would reject again. */
export function isRetryableError(error: unknown): boolean {
  const code = typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : '';
  const name = typeof error === 'object' && error !== null && 'name' in error ? String((error as { name: unknown }).name) : '';
  if (name === 'AbortError' || code === 'ABORT_ERR' || code === 'ERR_INVALID_URL') return false;
  return !/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/.test(code);
}

/**
 * One pool for the one Vault the agent talks to. keepAlive: the sidecar talks to one Vault for its
 * whole life; reusing the connection saves a TCP (and TLS) handshake per request. The target's TLS
 * settings travel with each request, not in the agent, so that an https:// proxy's own TLS is
 * verified against the system's roots and not against Vault's CA.
 */
export function connectionAgent(isHttps: boolean, options: Pick<TransportOptions, 'policy' | 'proxy' | 'maxSockets'>): HttpModule.Agent {
  const policy = options.policy ?? { idleConnections: true, keepAlives: true };
  const agentOptions = { keepAlive: policy.keepAlives, maxSockets: options.maxSockets };
  let agent: HttpModule.Agent;
  if (options.proxy !== undefined) agent = isHttps ? new HttpsProxyAgent(options.proxy, agentOptions) : new HttpProxyAgent(options.proxy, agentOptions);
  else agent = isHttps ? new https.Agent(agentOptions) : new http.Agent(agentOptions);
  // Go's MaxIdleConns = -1 (Vault's disable_idle_connections): a connection is closed as soon as
  // its response is read instead of waiting in the pool.
  if (!policy.idleConnections) agent.keepSocketAlive = () => false;
  return agent;
}

export function createTransport(options: TransportOptions): Transport {
  const rawTexts = new WeakMap<object, string>();
  const agents = new Map<boolean, HttpModule.Agent>();
  const agentFor = (isHttps: boolean): HttpModule.Agent => {
    let agent = agents.get(isHttps);
    if (agent === undefined) {
      agent = connectionAgent(isHttps, options);
      agents.set(isHttps, agent);
    }
    return agent;
  };
  const maxRetries = options.maxRetries ?? 0;
  const random = options.random ?? Math.random;

  // A kept-alive connection the server has closed in the meantime fails with ECONNRESET on reuse;
  // such a request never reached Vault, so it is sent once more on a fresh connection.
  const sendFresh: RequestFunction = (request) =>
    sendOnce(request).catch((error: unknown) => {
      if (error instanceof StaleSocketError) return sendOnce(request);
      throw error;
    });

  // VAULT_MAX_RETRIES, with retryablehttp's LinearJitterBackoff (attempt × 1–1.5 s) as Vault uses it.
  const send: RequestFunction = async (request) => {
    for (let attempt = 1; ; attempt += 1) {
      let response: NodeVaultResponse;
      try {
        response = await sendFresh(request);
      } catch (error) {
        if (attempt > maxRetries || !isRetryableError(error) || options.signal?.aborted === true) throw error;
        await backoff(attempt);
        continue;
      }
      if (attempt > maxRetries || !isRetryableStatus(response.statusCode) || options.signal?.aborted === true) return response;
      await backoff(attempt);
    }
  };
  const backoff = (attempt: number): Promise<void> =>
    sleep(Math.round(attempt * (1000 + random() * 500)), undefined, options.signal !== undefined ? { signal: options.signal } : {}).catch(() => undefined);

  const sendOnce: RequestFunction = (request) =>
    new Promise<NodeVaultResponse>((resolve, reject) => {
      let url: URL;
      try {
        url = new URL(request.uri);
      } catch {
        reject(new TransportError('ERR_INVALID_URL', 'invalid Vault URL'));
        return;
      }
      const isHttps = url.protocol === 'https:';
      const payload = request.json !== undefined && typeof request.json === 'object' ? JSON.stringify(request.json) : undefined;
      const headers: Record<string, string> = { ...request.headers, accept: 'application/json', 'x-vault-request': 'true' };
      // Go's DisableKeepAlives asks the server to close; Node's Agent, with a finite maxSockets,
      // would still send keep-alive and only drop the socket on its side.
      if (options.policy?.keepAlives === false) headers['connection'] = 'close';
      if (payload !== undefined) {
        headers['content-type'] ??= 'application/json';
        headers['content-length'] = String(Buffer.byteLength(payload));
      }
      const module = isHttps ? https : http;
      const outgoing = module.request(
        url,
        {
          method: request.method,
          headers,
          agent: agentFor(isHttps),
          ...(isHttps ? targetTls(options.tls) : {}),
          ...(options.signal !== undefined ? { signal: options.signal } : {}),
        },
        (incoming) => {
          const chunks: Buffer[] = [];
          incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
          incoming.on('error', (error) => reject(error));
          incoming.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let body: unknown = undefined;
            if (text.trim() !== '') {
              try {
                body = JSON.parse(text) as unknown;
              } catch {
                body = text;
              }
            }
            if (typeof body === 'object' && body !== null) rawTexts.set(body, text);
            resolve({ statusCode: incoming.statusCode ?? 0, body, request: { path: url.pathname } });
          });
        },
      );
      // Go's http.Client.Timeout bounds the whole exchange, not the time between two packets.
      const timeoutMs = request.timeout ?? options.timeoutMs;
      const timer = timeoutMs > 0
        ? setTimeout(() => outgoing.destroy(new TransportError('AGENT_REQUEST_TIMEOUT', 'request timed out')), timeoutMs)
        : undefined;
      outgoing.on('close', () => clearTimeout(timer));
      outgoing.on('error', (error: NodeJS.ErrnoException) => {
        if (error.code === 'ECONNRESET' && outgoing.reusedSocket) reject(new StaleSocketError());
        else reject(error);
      });
      if (payload !== undefined) outgoing.write(payload);
      outgoing.end();
    });

  return {
    requestPromise: { defaults: () => send },
    rawTextOf: (body) => (typeof body === 'object' && body !== null ? rawTexts.get(body) : undefined),
    close: () => {
      for (const agent of agents.values()) agent.destroy();
    },
  };
}

export function targetTls(tls: TransportTls): HttpsModule.RequestOptions {
  return {
    rejectUnauthorized: tls.rejectUnauthorized,
    ...(tls.ca !== undefined ? { ca: tls.ca } : {}),
    ...(tls.cert !== undefined ? { cert: tls.cert } : {}),
    ...(tls.key !== undefined ? { key: tls.key } : {}),
    ...(tls.servername !== undefined ? { servername: tls.servername } : {}),
  };
}
