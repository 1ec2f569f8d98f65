// Sends a proxied request to Vault as the app made it (method, path, query, headers, body), with
// the token the proxy chose, over keep-alive connections with the agent's TLS settings. Bytes in,
// bytes out: the proxy never re-encodes what Vault answers.
import type * as HttpModule from 'node:http';
import type * as HttpsModule from 'node:https';
import { connectionAgent, targetTls, type TransportTls } from '../vault/transport.ts';
import type { ConnectionPolicy } from '../config/settings.ts';

const http = process.getBuiltinModule('node:http') as typeof HttpModule;
const https = process.getBuiltinModule('node:https') as typeof HttpsModule;

export interface UpstreamRequest {
  method: string;
  /** Path and query, e.g. `/v1/database/creds/app?version=2`. */
  url: string;
  headers: Readonly<Record<string, string>>;
  body: Buffer;
  token: string;
}

export interface UpstreamResponse {
  status: number;
  headers: Record<string, string | string[]>;
  body: Buffer;
}

export interface Upstream {
  send(request: UpstreamRequest): Promise<UpstreamResponse>;
  close(): void;
}

/** Not forwarded: they describe one hop, or the proxy sets them itself. */
const DROPPED_REQUEST_HEADERS = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'host', 'content-length', 'accept-encoding', 'x-vault-token']);
export const DROPPED_RESPONSE_HEADERS = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'trailer', 'upgrade']);

export const USER_AGENT = 'vault-injector-agent API proxy';

export interface UpstreamOptions {
  address: string;
  tls: TransportTls;
  timeoutMs: number;
  /** HTTPS_PROXY / HTTP_PROXY for the Vault address, as the agent's own client uses it. */
  proxy?: URL;
  /** disable_idle_connections / disable_keep_alives for `caching`/`proxying`. */
  policy?: ConnectionPolicy;
}

export function createUpstream(options: UpstreamOptions): Upstream {
  const base = new URL(options.address);
  const isHttps = base.protocol === 'https:';
  // The same pool as the agent's own client: keep-alive unless switched off, through the proxy
  // if there is one, with the target's TLS settings on each request.
  const agent = connectionAgent(isHttps, {
    maxSockets: Infinity,
    ...(options.policy !== undefined ? { policy: options.policy } : {}),
    ...(options.proxy !== undefined ? { proxy: options.proxy } : {}),
  });
  const basePath = base.pathname.replace(/\/+$/, '');

  const sendOnce = (request: UpstreamRequest): Promise<UpstreamResponse> =>
    new Promise((resolve, reject) => {
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(request.headers)) if (!DROPPED_REQUEST_HEADERS.has(name)) headers[name] = value;
      // As Vault Agent: its own User-Agent, keeping the app's after it.
      headers['user-agent'] = request.headers['user-agent'] === undefined ? USER_AGENT : `${USER_AGENT}; ${request.headers['user-agent']}`;
      if (request.token !== '') headers['x-vault-token'] = request.token;
      if (options.policy?.keepAlives === false) headers['connection'] = 'close';
      if (request.body.length > 0 || !['GET', 'HEAD'].includes(request.method)) headers['content-length'] = String(request.body.length);
      const outgoing = (isHttps ? https : http).request(
        {
          protocol: base.protocol,
          hostname: base.hostname,
          port: base.port,
          path: `${basePath}${request.url}`,
          method: request.method,
          headers,
          agent,
          ...(isHttps ? targetTls(options.tls) : {}),
        },
        (incoming) => {
          const chunks: Buffer[] = [];
          incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
          incoming.on('error', reject);
          incoming.on('end', () => {
            const responseHeaders: Record<string, string | string[]> = {};
            for (const [name, value] of Object.entries(incoming.headers)) {
              if (value !== undefined && !DROPPED_RESPONSE_HEADERS.has(name)) responseHeaders[name] = value;
            }
            resolve({ status: incoming.statusCode ?? 502, headers: responseHeaders, body: Buffer.concat(chunks) });
          });
        },
      );
      outgoing.setTimeout(options.timeoutMs, () => outgoing.destroy(new Error(`no answer from Vault within ${options.timeoutMs / 1000}s`)));
      outgoing.on('error', (error: NodeJS.ErrnoException) => {
        const stale = error.code === 'ECONNRESET' && outgoing.reusedSocket;
        reject(stale ? new StaleSocket() : error);
      });
      outgoing.end(request.body);
    });

  return {
    // A kept-alive connection Vault closed meanwhile: the request never arrived, send it again.
    send: (request) => sendOnce(request).catch((error: unknown) => (error instanceof StaleSocket ? sendOnce(request) : Promise.reject(error))),
    close: () => agent.destroy(),
  };
}

class StaleSocket extends Error {}
