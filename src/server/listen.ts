/** `-listen` values as vault-k8s takes them: `:8080`, `HOST:PORT`, `[IPv6]:PORT`. */
export interface ListenAddress {
  host: string;
  port: number;
}

export function parseListen(listen: string): ListenAddress | { problem: string } {
  const match = /^(?:\[([^\]]+)\]|([^:]*)):(\d{1,5})$/.exec(listen.trim());
  if (match === null) return { problem: `listen address "${listen}" is not HOST:PORT or :PORT` };
  const port = Number(match[3]);
  if (port > 65535) return { problem: `listen address "${listen}" has port ${port}, above 65535` };
  const host = match[1] ?? match[2] ?? '';
  // An empty host listens on every IPv4 interface, as Go's net.Listen(":8080") does in a pod.
  return { host: host === '' ? '0.0.0.0' : host, port };
}

/** The URL to reach a server listening on `host:port` from this machine. */
export function localUrl(host: string, port: number): string {
  const reachable = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
  return `https://${reachable.includes(':') ? `[${reachable}]` : reachable}:${port}`;
}
