// Two small loopback servers for the agent's connection tests: an HTTP CONNECT proxy that counts
// the tunnels it opens (and resolves host names only it knows, so a request that reaches the
// target must have gone through it), and a TCP forwarder that counts connections and the HTTP
// requests sent over them in plain text. Both have a stop() that always closes every socket.
import { createServer as createHttpServer, type IncomingMessage } from 'node:http';
import { connect, createServer as createTcpServer, type AddressInfo, type Socket } from 'node:net';

export interface ConnectProxy {
  url: string;
  /** One entry per CONNECT, in order: `host:port` as the agent asked for it. */
  tunnels: string[];
  /** Requests that were not CONNECT (a proxy here never forwards those). */
  refused: string[];
  stop(): Promise<void>;
}

/** `hosts` maps the names the proxy resolves (e.g. vault.test) to 127.0.0.1 ports' host. */
export async function startConnectProxy(hosts: Readonly<Record<string, string>>): Promise<ConnectProxy> {
  const sockets = new Set<Socket>();
  const tunnels: string[] = [];
  const refused: string[] = [];
  const server = createHttpServer((request, response) => {
    refused.push(`${request.method ?? ''} ${request.url ?? ''}`);
    response.writeHead(405).end();
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('connect', (request: IncomingMessage, client: Socket, head: Buffer) => {
    const target = request.url ?? '';
    const match = /^([^:]+):(\d+)$/.exec(target);
    const host = match?.[1] !== undefined ? hosts[match[1]] : undefined;
    if (match === null || host === undefined) {
      refused.push(`CONNECT ${target}`);
      client.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    tunnels.push(target);
    const upstream = connect(Number(match[2]), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    tunnels,
    refused,
    async stop() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export interface CountingForwarder {
  port: number;
  /** TCP connections accepted. */
  connections(): number;
  /** HTTP request heads seen, with whether each asked for `Connection: close`. */
  requests(): Array<{ line: string; close: boolean }>;
  stop(): Promise<void>;
}

/** Forwards 127.0.0.1:port to 127.0.0.1:targetPort byte for byte, reading plain-text HTTP heads. */
export async function startCountingForwarder(targetPort: number): Promise<CountingForwarder> {
  const sockets = new Set<Socket>();
  let connections = 0;
  const requests: Array<{ line: string; close: boolean }> = [];
  const server = createTcpServer((client) => {
    connections += 1;
    sockets.add(client);
    const upstream = connect(targetPort, '127.0.0.1');
    sockets.add(upstream);
    let pending = '';
    client.on('data', (chunk: Buffer) => {
      pending += chunk.toString('latin1');
      for (;;) {
        const end = pending.indexOf('\r\n\r\n');
        if (end === -1) break;
        const head = pending.slice(0, end);
        const length = Number(/\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1] ?? '0');
        if (pending.length < end + 4 + length) break;
        requests.push({ line: head.split('\r\n')[0] ?? '', close: /\r\nconnection:\s*close/i.test(head) });
        pending = pending.slice(end + 4 + length);
      }
      upstream.write(chunk);
    });
    upstream.pipe(client);
    const drop = (): void => {
      client.destroy();
      upstream.destroy();
    };
    client.on('close', () => { sockets.delete(client); upstream.end(); });
    upstream.on('close', () => { sockets.delete(upstream); client.end(); });
    client.on('error', drop);
    upstream.on('error', drop);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    connections: () => connections,
    requests: () => [...requests],
    async stop() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
