// Vault clients send the non-standard HTTP verb LIST, which Node's HTTP parser rejects (400 before
// any handler runs). A small TCP front rewrites each `LIST <target>` request line into
// `GET <target>?list=true` (Vault's own equivalent form) plus an `X-Vault-Double-Method: LIST`
// header, then hands the bytes to the node:http server behind it. It tracks message boundaries
// (Content-Length and chunked bodies) so keep-alive connections are rewritten correctly.
import { connect, createServer, type Server, type Socket } from 'node:net';

const headEnd = Buffer.from('\r\n\r\n');
const crlf = Buffer.from('\r\n');
const maxHeadBytes = 64 * 1024;

/** Rewrites a stream of HTTP/1.1 requests; push() returns what to forward. */
export class ListRewriter {
  private pending: Buffer = Buffer.alloc(0);
  private state: 'head' | 'body' | 'chunk-size' | 'chunk-data' | 'trailer' = 'head';
  private remaining = 0;

  push(chunk: Buffer): Buffer[] {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const out: Buffer[] = [];
    for (;;) {
      if (this.state === 'head') {
        const end = this.pending.indexOf(headEnd);
        if (end < 0) {
          if (this.pending.length > maxHeadBytes) {
            out.push(this.pending); // let node:http reject the oversized head
            this.pending = Buffer.alloc(0);
          }
          return out;
        }
        const head = this.pending.subarray(0, end + headEnd.length).toString('latin1');
        this.pending = this.pending.subarray(end + headEnd.length);
        out.push(Buffer.from(rewriteHead(head), 'latin1'));
        const lines = head.split('\r\n');
        const value = (name: string): string | undefined =>
          lines.find((line) => line.toLowerCase().startsWith(`${name}:`))?.slice(name.length + 1).trim();
        if ((value('transfer-encoding') ?? '').toLowerCase().includes('chunked')) this.state = 'chunk-size';
        else {
          this.remaining = Number.parseInt(value('content-length') ?? '0', 10) || 0;
          this.state = this.remaining > 0 ? 'body' : 'head';
        }
      } else if (this.state === 'body' || this.state === 'chunk-data') {
        if (this.pending.length === 0) return out;
        const take = Math.min(this.remaining, this.pending.length);
        out.push(this.pending.subarray(0, take));
        this.pending = this.pending.subarray(take);
        this.remaining -= take;
        if (this.remaining > 0) return out;
        this.state = this.state === 'body' ? 'head' : 'chunk-size';
      } else {
        const end = this.pending.indexOf(crlf);
        if (end < 0) return out;
        const line = this.pending.subarray(0, end).toString('latin1');
        out.push(this.pending.subarray(0, end + crlf.length));
        this.pending = this.pending.subarray(end + crlf.length);
        if (this.state === 'trailer') {
          if (line === '') this.state = 'head';
        } else {
          const size = Number.parseInt(line.split(';')[0] ?? '', 16);
          if (!Number.isFinite(size) || size === 0) this.state = 'trailer';
          else {
            this.remaining = size + crlf.length; // chunk data and its CRLF
            this.state = 'chunk-data';
          }
        }
      }
    }
  }
}

function rewriteHead(head: string): string {
  if (!head.startsWith('LIST ')) return head;
  const lineEnd = head.indexOf('\r\n');
  const [, target = '/', version = 'HTTP/1.1'] = head.slice(0, lineEnd).split(' ');
  const separator = target.includes('?') ? '&' : '?';
  return `GET ${target}${separator}list=true ${version}\r\nX-Vault-Double-Method: LIST${head.slice(lineEnd)}`;
}

/** A TCP front on 127.0.0.1:`port` forwarding to the HTTP server on `backendPort`. */
export class ListFront {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();

  constructor(private readonly backendPort: () => number) {}

  async listen(port: number): Promise<number> {
    const server = createServer((client) => this.accept(client));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    const address = server.address();
    return typeof address === 'object' && address !== null ? address.port : port;
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server === undefined) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    await closed;
  }

  private accept(client: Socket): void {
    const upstream = connect(this.backendPort(), '127.0.0.1');
    this.sockets.add(client);
    this.sockets.add(upstream);
    const rewriter = new ListRewriter();
    client.on('data', (chunk: Buffer) => {
      for (const piece of rewriter.push(chunk)) upstream.write(piece);
    });
    upstream.pipe(client);
    const teardown = (): void => {
      client.destroy();
      upstream.destroy();
      this.sockets.delete(client);
      this.sockets.delete(upstream);
    };
    client.on('end', () => upstream.end());
    upstream.on('end', () => client.end());
    client.on('error', teardown);
    upstream.on('error', teardown);
    client.on('close', teardown);
    upstream.on('close', teardown);
  }
}
