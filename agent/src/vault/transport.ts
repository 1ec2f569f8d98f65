// The HTTP layer under node-vault. node-vault accepts a `request-promise`-style object
// (`config['request-promise'].defaults(rpDefaults)` → function(options) → Promise<{statusCode, body,
// request: {path}}>). We supply one on node:http/https because node-vault's own (axios) parses the
// JSON and would lose number text such as `5432.0`, which templates must print as Vault sent it.
// The raw text of every parsed body is kept in a WeakMap keyed by the parsed object, so whoever
// receives the body from node-vault can ask for its exact text.
import type * as HttpModule from 'node:http';
import type * as HttpsModule from 'node:https';

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
  timeoutMs: number;
  maxSockets: number;
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

export function createTransport(options: TransportOptions): Transport {
  const rawTexts = new WeakMap<object, string>();
  // keepAlive: the sidecar talks to one Vault for its whole life; reusing the connection saves a
  // TCP (and TLS) handshake per request.
  const httpAgent = new http.Agent({ keepAlive: true, maxSockets: options.maxSockets });
  const httpsAgent = new https.Agent({
    keepAlive: true,
    maxSockets: options.maxSockets,
    rejectUnauthorized: options.tls.rejectUnauthorized,
    ...(options.tls.ca !== undefined ? { ca: options.tls.ca } : {}),
    ...(options.tls.cert !== undefined ? { cert: options.tls.cert } : {}),
    ...(options.tls.key !== undefined ? { key: options.tls.key } : {}),
    ...(options.tls.servername !== undefined ? { servername: options.tls.servername } : {}),
  });

  // A kept-alive connection the server has closed in the meantime fails with ECONNRESET on reuse;
  // such a request never reached Vault, so it is sent once more on a fresh connection.
  const send: RequestFunction = (request) =>
    sendOnce(request).catch((error: unknown) => {
      if (error instanceof StaleSocketError) return sendOnce(request);
      throw error;
    });

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
          agent: isHttps ? httpsAgent : httpAgent,
          ...(isHttps && options.tls.servername !== undefined ? { servername: options.tls.servername } : {}),
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
      outgoing.setTimeout(request.timeout ?? options.timeoutMs, () => {
        outgoing.destroy(new TransportError('AGENT_REQUEST_TIMEOUT', 'request timed out'));
      });
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
      httpAgent.destroy();
      httpsAgent.destroy();
    },
  };
}
