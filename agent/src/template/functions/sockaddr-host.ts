// The machine as go-sockaddr sees it on Linux: net.Interfaces() (index order, MTU, hardware
// address, flags) with each interface's addresses, and the default route's interface from
// `ip route` (go-sockaddr runs that program too: `ip` from PATH, else /sbin/ip; where neither
// exists, as in our distroless agent image, /proc/net/route says what it would have printed).
// Interfaces and flags come from /sys/class/net (IFF_RUNNING is the kernel's operstate rule:
// up and "up" or "unknown"); addresses from Node's os.networkInterfaces(), which lists them in
// the kernel's order but only for interfaces that are up and running. For the others (an
// interface that is down keeps its IPv4 addresses) `ip -o addr show dev NAME` is asked, where
// there is an `ip`; without one their addresses are not seen, where Go would list them.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { lookPath, runProgram } from './goexec.ts';
import {
  FLAG_BROADCAST, FLAG_LOOPBACK, FLAG_MULTICAST, FLAG_POINT_TO_POINT, FLAG_RUNNING, FLAG_UP, ipText, newIPAddr, SockaddrError,
  type HostNetwork, type IfAddr, type NetInterface,
} from './sockaddr-ip.ts';

const SYS_NET = '/sys/class/net';
const IFF_UP = 0x1, IFF_BROADCAST = 0x2, IFF_LOOPBACK = 0x8, IFF_POINTOPOINT = 0x10, IFF_MULTICAST = 0x1000;
// ARPHRD_TUNNEL, ARPHRD_SIT, ARPHRD_IPGRE: Go never reports their IP-sized link addresses
const IP_TUNNEL_TYPES = new Set([768, 776, 778]);

function readSys(name: string, attribute: string): string {
  return readFileSync(`${SYS_NET}/${name}/${attribute}`, 'utf8').trim();
}

function readInterface(name: string): NetInterface {
  const kernelFlags = parseInt(readSys(name, 'flags'), 16);
  const operstate = readSys(name, 'operstate');
  let flags = 0;
  if (kernelFlags & IFF_UP) flags |= FLAG_UP;
  if (kernelFlags & IFF_BROADCAST) flags |= FLAG_BROADCAST;
  if (kernelFlags & IFF_LOOPBACK) flags |= FLAG_LOOPBACK;
  if (kernelFlags & IFF_POINTOPOINT) flags |= FLAG_POINT_TO_POINT;
  if (kernelFlags & IFF_MULTICAST) flags |= FLAG_MULTICAST;
  if ((kernelFlags & IFF_UP) && (operstate === 'up' || operstate === 'unknown')) flags |= FLAG_RUNNING;
  let hardwareAddr = '';
  try {
    const address = readSys(name, 'address');
    const octets = address.split(':');
    const tunnel = IP_TUNNEL_TYPES.has(Number(readSys(name, 'type'))) && (octets.length === 4 || octets.length === 16);
    if (!tunnel && octets.some((octet) => parseInt(octet, 16) !== 0)) hardwareAddr = address.toLowerCase();
  } catch {
    // no link address (some virtual devices): Go's is nil too
  }
  return { index: Number(readSys(name, 'ifindex')), mtu: Number(readSys(name, 'mtu')), name, hardwareAddr, flags };
}

/** `ip -o addr show` lines: "3: ifb0    inet 10.9.9.9/24 brd ... scope global ifb0\ ..."; the
 *  local address with its prefix, in the kernel's order (a peer address is not the local one). */
export function addressesFromIPAddr(output: string): Array<{ index: number; text: string }> {
  const out: Array<{ index: number; text: string }> = [];
  for (const line of output.split('\n')) {
    const match = /^(\d+):\s+\S+\s+(inet6?)\s+(\S+)(?:\s+peer\s+\S+?(\/\d+))?/.exec(line);
    if (match === null) continue;
    const [, index, , local, peerPrefix] = match;
    out.push({ index: Number(index), text: peerPrefix !== undefined ? `${local}${peerPrefix}` : local! });
  }
  return out;
}

/** The addresses of interfaces Node does not list (not up and running), from `ip`. */
function addressesOfQuietInterfaces(names: readonly string[], env: Readonly<Record<string, string | undefined>>): Map<number, string[]> {
  const byIndex = new Map<number, string[]>();
  if (names.length === 0) return byIndex;
  const found = lookPath('ip', env['PATH'] ?? '');
  const ip = 'path' in found ? found.path : '/sbin/ip';
  for (const name of names) {
    const run = runProgram(ip, ['-o', 'addr', 'show', 'dev', name], { env, timeoutMs: 30_000 });
    if (run.kind !== 'finished' || run.error !== undefined) continue;
    for (const { index, text } of addressesFromIPAddr(run.stdout)) byIndex.set(index, [...(byIndex.get(index) ?? []), text]);
  }
  return byIndex;
}

/** go-sockaddr parses the text of Go's net.IPNet: Go's form of the address, /prefix. */
function ifAddrFrom(address: string, prefix: string, iface: NetInterface): IfAddr {
  const text = `${ipText(newIPAddr(address))}/${prefix}`;
  try {
    return { addr: newIPAddr(text), iface };
  } catch {
    throw new SockaddrError(`unable to create an IP address from ${JSON.stringify(text)}`);
  }
}

/** GetAllInterfaces: every address of every interface, interfaces in index order. */
export function readHostInterfaces(env: Readonly<Record<string, string | undefined>> = {}): IfAddr[] {
  const interfaces = readdirSync(SYS_NET).map(readInterface).sort((a, b) => a.index - b.index);
  const listed = (iface: NetInterface) => (iface.flags & FLAG_UP) !== 0 && (iface.flags & FLAG_RUNNING) !== 0;
  const addresses = networkInterfaces();
  const quiet = addressesOfQuietInterfaces(interfaces.filter((iface) => !listed(iface)).map((iface) => iface.name), env);
  const out: IfAddr[] = [];
  for (const iface of interfaces) {
    if (listed(iface)) {
      for (const entry of addresses[iface.name] ?? []) {
        out.push(ifAddrFrom(entry.address, entry.cidr === null ? '' : entry.cidr.slice(entry.cidr.lastIndexOf('/') + 1), iface));
      }
    } else {
      for (const text of quiet.get(iface.index) ?? []) {
        const slash = text.lastIndexOf('/');
        out.push(ifAddrFrom(slash < 0 ? text : text.slice(0, slash), slash < 0 ? '' : text.slice(slash + 1), iface));
      }
    }
  }
  return out;
}

/** parseDefaultIfNameFromIPCmd: the "default via X dev NAME" line of `ip route`. */
export function defaultInterfaceFromIPRoute(output: string): string {
  for (const line of output.split('\n')) {
    const fields = line.split(/[\t\n\f\r ]+/);
    if (fields.length >= 5 && fields[0] === 'default' && fields[1] === 'via' && fields[3] === 'dev') return fields[4]!.trim();
  }
  throw new SockaddrError('No default interface found');
}

/** `ip route`'s "default via GW dev NAME" read from /proc/net/route instead: the first up route
 *  to 0.0.0.0/0 through a gateway. */
export function defaultInterfaceFromProcRoute(table: string): string {
  for (const line of table.split('\n').slice(1)) {
    const [name, destination, , flags, , , , mask] = line.trim().split(/\s+/);
    const bits = parseInt(flags ?? '', 16);
    if (name !== undefined && destination === '00000000' && mask === '00000000' && (bits & 0x1) !== 0 && (bits & 0x2) !== 0) return name;
  }
  throw new SockaddrError('No default interface found');
}

/** The machine, read once per `sockaddr` call (Go reads it afresh in each function). */
export function hostNetwork(env: Readonly<Record<string, string | undefined>>): HostNetwork {
  let interfaces: IfAddr[] | undefined;
  let route: { name: string } | { error: string } | undefined;
  return {
    interfaces: () => (interfaces ??= readHostInterfaces(env)),
    defaultInterfaceName() {
      if (route === undefined) {
        const found = lookPath('ip', env['PATH'] ?? '');
        const ip = 'path' in found ? found.path : '/sbin/ip';
        const run = runProgram(ip, ['route'], { env, timeoutMs: 30_000 });
        if (run.kind === 'not-started' && !('path' in found) && !existsSync(ip)) {
          // no `ip` at all (our distroless agent image; Vault's own image has one): the kernel's
          // table gives what `ip route` would have printed
          try { route = { name: defaultInterfaceFromProcRoute(readFileSync('/proc/net/route', 'utf8')) }; } catch (error) { route = { error: (error as Error).message }; }
        } else if (run.kind === 'not-started') route = { error: run.error };
        else if (run.kind === 'timed-out') route = { error: `${ip} route: did not finish in 30s` };
        else if (run.error !== undefined) route = { error: run.error };
        else {
          try { route = { name: defaultInterfaceFromIPRoute(run.stdout) }; } catch (error) { route = { error: (error as Error).message }; }
        }
      }
      if ('error' in route) throw new SockaddrError(route.error);
      return route.name;
    },
  };
}
