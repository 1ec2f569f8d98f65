// The agent's listener (Vault Agent's `listener` + `api_proxy` + `cache`): plain HTTP on loopback.
//   /agent/v1/quit         POST stops the agent when agent_api.enable_quit (404 when not, 405 for other methods)
//   /agent/v1/metrics      GET: ?format=prometheus (or a Prometheus Accept header), else the JSON summary
//   /agent/v1/cache-clear  POST/PUT {type, value, namespace}: evicts from the cache
//   anything else          proxied to Vault, through the lease cache when there is one
// The token: with use_auto_auth_token `force` the app's X-Vault-Token is dropped and the agent's
// used; with `true` the agent's is used only when the request carries none; with false, never.
import type * as HttpModule from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { ListenerSettings } from '../config/settings.ts';
import { LeaseCacheCore, sanitizeAutoAuthAnswer, type ClearRequest } from '../cache/core.ts';
import { cacheKey } from '../cache/key.ts';
import type { AgentMetrics } from '../telemetry/metrics.ts';
import type { Upstream, UpstreamResponse } from './upstream.ts';
import { CacheRenewer } from './renewer.ts';

const http = process.getBuiltinModule('node:http') as typeof HttpModule;

const MAX_BODY_BYTES = 32 * 1024 * 1024;

export interface ListenerDependencies {
  settings: ListenerSettings;
  upstream: Upstream;
  metrics: AgentMetrics;
  logger: Logger;
  now: () => number;
  random: () => number;
  /** The agent's current token (undefined before the first login). */
  autoAuthToken: () => string | undefined;
  /** A POST to /agent/v1/quit. */
  onQuit: () => void;
}

export interface AgentListener {
  readonly port: number;
  readonly cache: LeaseCacheCore | undefined;
  /** Every new auto-auth token (the inmem sink): leases read with it are cached. */
  registerAutoAuthToken(token: string): void;
  close(): Promise<void>;
}

function errorBody(errors: string[]): Buffer {
  return Buffer.from(`${JSON.stringify({ errors })}\n`);
}

function send(response: ServerResponse, status: number, headers: Record<string, string | string[]>, body: Buffer | string): void {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  response.writeHead(status, { ...headers, 'content-length': String(bytes.length) });
  response.end(bytes);
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error('request body too large'));
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

function headerMap(request: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  return headers;
}

export async function startListener(deps: ListenerDependencies): Promise<AgentListener> {
  const { settings, upstream, metrics, logger } = deps;
  const core = settings.cache ? new LeaseCacheCore({ now: deps.now, random: deps.random }) : undefined;
  const renewer = core === undefined ? undefined : new CacheRenewer(core, upstream, logger, deps.now);
  /** Identical requests in flight wait for the first instead of all going to Vault (the inflight cache). */
  const inflight = new Map<string, Promise<void>>();

  async function proxy(request: IncomingMessage, response: ServerResponse, url: string): Promise<void> {
    const body = await readBody(request);
    const headers = headerMap(request);
    let token = settings.autoAuthToken === 'force' ? '' : (headers['x-vault-token'] ?? '');
    delete headers['x-vault-token'];
    const autoAuthToken = settings.autoAuthToken === 'off' ? undefined : deps.autoAuthToken();
    if (token === '' && autoAuthToken !== undefined) token = autoAuthToken;
    const method = request.method ?? 'GET';
    const path = url.split('?')[0] ?? url;
    const facts = { method, path, namespace: headers['x-vault-namespace'], body, token };

    let id: string | undefined;
    if (core !== undefined) {
      id = cacheKey({ method, url, headers, body, token });
      let waiting = inflight.get(id);
      while (waiting !== undefined) {
        await waiting;
        waiting = inflight.get(id);
      }
      const hit = core.lookup(id);
      if (hit?.response !== undefined) {
        const answer = sanitizeAutoAuthAnswer(facts, autoAuthToken, hit.response.status, hit.response.body) ?? hit.response.body;
        metrics.increment('agent', 'proxy', 'success');
        metrics.increment('agent', 'cache', 'hit');
        logger.debug({ method, path }, 'cache: hit');
        send(response, hit.response.status, {
          ...hit.response.headers,
          age: String(Math.max(0, Math.round((deps.now() - hit.response.receivedAtMs) / 1000))),
          date: new Date(deps.now()).toUTCString(),
          'x-cache': 'HIT',
        }, answer);
        return;
      }
    }

    let release: () => void = () => undefined;
    if (id !== undefined) inflight.set(id, new Promise<void>((resolve) => { release = resolve; }));
    try {
      let answer: UpstreamResponse;
      try {
        answer = await upstream.send({ method, url, headers, body, token });
      } catch (error) {
        metrics.increment('agent', 'proxy', 'error');
        logger.warn({ method, path, reason: error instanceof Error ? error.message : 'request failed' }, 'proxy: no answer from Vault');
        send(response, 500, { 'content-type': 'application/json' }, errorBody([`failed to get the response: ${error instanceof Error ? error.message : 'request failed'}`]));
        return;
      }
      if (answer.status >= 400) {
        metrics.increment('agent', 'proxy', 'client_error');
        send(response, answer.status, answer.headers, answer.body);
        return;
      }
      if (core !== undefined && id !== undefined) {
        const contentType = answer.headers['content-type'];
        const outcome = core.admit(id, facts, { status: answer.status, contentType: Array.isArray(contentType) ? contentType[0] : contentType, body: answer.body });
        if (outcome.action === 'cached') {
          core.keepHeaders(id, answer.headers);
          logger.debug({ method, path, kind: outcome.entry.kind }, 'cache: stored');
        } else if (outcome.action === 'revocation') {
          logger.debug({ method, path, evicted: outcome.evicted }, 'cache: revocation evicted entries');
        }
        renewer?.poke();
      }
      const sanitized = sanitizeAutoAuthAnswer(facts, autoAuthToken, answer.status, answer.body);
      metrics.increment('agent', 'proxy', 'success');
      if (core !== undefined) metrics.increment('agent', 'cache', 'miss');
      const headersOut = sanitized === undefined ? answer.headers : { ...answer.headers };
      send(response, answer.status, core === undefined ? headersOut : { ...headersOut, 'x-cache': 'MISS' }, sanitized ?? answer.body);
    } finally {
      if (id !== undefined) inflight.delete(id);
      release();
    }
  }

  async function metricsEndpoint(request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
    if (request.method !== 'GET') return send(response, 405, { 'content-type': 'application/json' }, errorBody([]));
    let format = url.searchParams.get('format') ?? '';
    const accept = request.headers.accept ?? '';
    if (format === '' && (accept.startsWith('application/openmetrics-text') || accept.includes('text/plain; version=0.0.4'))) format = 'prometheus';
    if (format === 'prometheus') {
      const answer = await metrics.prometheus();
      return send(response, answer.status, { 'content-type': answer.contentType }, answer.body);
    }
    if (format !== '') return send(response, 400, { 'content-type': 'text/plain' }, `metric response format "${format}" unknown`);
    const answer = metrics.summary();
    send(response, answer.status, { 'content-type': answer.contentType }, answer.body);
  }

  async function cacheClear(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (request.method !== 'POST' && request.method !== 'PUT') return send(response, 200, {}, '');
    if (core === undefined) return send(response, 200, {}, '');
    let input: { type?: unknown; value?: unknown; namespace?: unknown };
    try {
      input = JSON.parse((await readBody(request)).toString('utf8')) as typeof input;
    } catch {
      return send(response, 400, { 'content-type': 'application/json' }, errorBody(['failed to parse JSON input']));
    }
    const value = typeof input.value === 'string' ? input.value : '';
    const namespace = typeof input.namespace === 'string' && input.namespace !== '' ? input.namespace : undefined;
    let clear: ClearRequest;
    switch (input.type) {
      case 'all': clear = { type: 'all' }; break;
      case 'request_path': clear = { type: 'request_path', namespace, path: value }; break;
      case 'token': case 'token_accessor': case 'lease': clear = { type: input.type, value }; break;
      default:
        return send(response, 400, { 'content-type': 'application/json' }, errorBody([`invalid type provided: ${JSON.stringify(input.type ?? '')}`]));
    }
    const evicted = core.clear(clear);
    logger.info({ type: clear.type, evicted }, 'cache: cleared');
    renewer?.poke();
    send(response, 200, {}, '');
  }

  const server = http.createServer((request, response) => {
    const rawUrl = request.url ?? '/';
    const url = new URL(rawUrl, 'http://127.0.0.1');
    const handle = async (): Promise<void> => {
      switch (url.pathname) {
        case '/agent/v1/quit':
          if (!settings.enableQuit) return send(response, 404, {}, '');
          if (request.method !== 'POST') return send(response, 405, {}, '');
          logger.info('received a quit request on the listener; stopping');
          send(response, 200, {}, '');
          deps.onQuit();
          return;
        case '/agent/v1/metrics':
          return metricsEndpoint(request, response, url);
        case '/agent/v1/cache-clear':
          return cacheClear(request, response);
        default:
          return proxy(request, response, rawUrl);
      }
    };
    handle().catch(() => {
      if (!response.headersSent) send(response, 500, { 'content-type': 'application/json' }, errorBody(['failed to process the request']));
      else response.destroy();
    });
  });
  server.keepAliveTimeout = 5 * 60 * 1000;
  server.headersTimeout = 10_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(settings.port, settings.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : settings.port;
  logger.info({ address: `http://${settings.host}:${port}`, cache: settings.cache, useAutoAuthToken: settings.autoAuthToken, quit: settings.enableQuit }, 'listener started');

  return {
    port,
    cache: core,
    registerAutoAuthToken: (token) => {
      if (core !== undefined && settings.autoAuthToken !== 'off') core.registerAutoAuthToken(token);
    },
    close: () => {
      renewer?.stop();
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
