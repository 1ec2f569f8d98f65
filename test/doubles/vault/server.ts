// The HTTP shell: node:http, request bodies, latency, injected failures, the request log, and
// stop/start on the same port (connections refused while stopped).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FaultInjector } from './faults.ts';
import { ListFront } from './list-method.ts';
import { stringifyWire } from './raw-json.ts';
import { handleRequest, logicalPath, type Core } from './router.ts';
import { errorReply, type Reply } from './wire.ts';

export interface RequestRecord {
  method: string;
  /** URL path as received, without the query (`/v1/secret/data/app`). */
  path: string;
  /** The query string without `?` ('' when none). */
  query: string;
  status: number;
  /** Milliseconds from the double's clock. */
  at: number;
}

const maxBodyBytes = 32 * 1024 * 1024;

export class HttpShell {
  private server: Server | undefined;
  /** The public port (the LIST-rewriting TCP front); the node:http server sits behind it. */
  private port = 0;
  private readonly front = new ListFront(() => (this.server?.address() as AddressInfo | null)?.port ?? 0);
  latencyMs = 0;
  readonly requests: RequestRecord[] = [];

  constructor(private readonly core: Core, private readonly faults: FaultInjector) {}

  get address(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async listen(port: number): Promise<void> {
    const server = createServer((request, response) => {
      void this.serve(request, response);
    });
    // Longer than any client's idle timeout (undici 4s, Node agents 5s), so clients always close idle
    // connections first: a server-side close racing a new request would surface as ECONNRESET.
    server.keepAliveTimeout = 65_000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    this.port = await this.front.listen(port);
    this.running = true;
  }

  private running = false;

  /** Go down: the public port refuses connections and open connections are cut. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    await this.front.close();
    this.server?.closeAllConnections();
  }

  /** Come back on the same port. */
  async restart(): Promise<void> {
    if (this.running) return;
    await this.front.listen(this.port);
    this.running = true;
  }

  async close(): Promise<void> {
    await this.stop();
    const server = this.server;
    this.server = undefined;
    if (server === undefined) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  private async serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const listed = request.headers['x-vault-double-method'] === 'LIST';
    const method = listed ? 'LIST' : (request.method ?? 'GET');
    const url = listed ? stripListMarker(request.url ?? '/') : (request.url ?? '/');
    let reply: Reply;
    try {
      const bodyText = await readBody(request);
      if (this.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, this.latencyMs));
      const { path, query } = logicalPath(url);
      reply = this.faults.take(method, path, this.core.health, this.core.now(), query)
        ?? (bodyText === undefined ? errorReply(413, 'http: request body too large') : await handleRequest(this.core, { method, url, headers: request.headers, bodyText }));
    } catch (error) {
      // A bug in the double itself: answer as Vault would for an internal error, keep the detail
      // on stderr for the test author.
      process.stderr.write(`vault double: internal error handling ${method} ${url}: ${String(error)}\n`);
      reply = errorReply(500, 'internal error');
    }
    this.write(response, reply);
    const { pathname, query } = logicalPath(url);
    this.requests.push({ method, path: pathname, query: query.toString(), status: reply.status, at: this.core.now() });
  }

  private write(response: ServerResponse, reply: Reply): void {
    if (response.destroyed) return;
    const headers: Record<string, string> = { 'cache-control': 'no-store', ...(reply.headers ?? {}) };
    if (reply.rawText !== undefined) {
      response.writeHead(reply.status, headers);
      response.end(reply.rawText);
    } else if (reply.body === undefined) {
      // Vault labels its empty answers (204) application/json too; Vault Agent's cache relies on it.
      response.writeHead(reply.status, { 'content-type': 'application/json', ...headers });
      response.end();
    } else {
      response.writeHead(reply.status, { 'content-type': 'application/json', ...headers });
      response.end(stringifyWire(reply.body));
    }
  }
}

/** Undoes the front's `list=true` so handlers and the request log see the LIST as sent. */
function stripListMarker(url: string): string {
  const [pathname = '/', query = ''] = url.split(/\?(.*)/s);
  const params = new URLSearchParams(query);
  params.delete('list', 'true');
  const rest = params.toString();
  return rest === '' ? pathname : `${pathname}?${rest}`;
}

async function readBody(request: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > maxBodyBytes) return undefined;
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
