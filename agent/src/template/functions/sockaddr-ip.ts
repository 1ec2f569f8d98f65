// go-sockaddr v1.0.7's IP addresses (IPv4Addr, IPv6Addr): parsing as NewIPAddr does (CIDR,
// host:port, plain address, in its order), Go's net.IP text, network arithmetic, the RFC
// tables and the attributes `attr`/`join` print. Pure: no I/O.
import { parseGoIP } from './goip.ts';
import { RFC_NETWORKS } from './sockaddr-rfc.ts';
import { GoError } from '../values.ts';

/** An IPv4 or IPv6 address with its mask and port (go-sockaddr's IPv4Addr / IPv6Addr). */
export interface IPAddr {
  readonly family: 4 | 6;
  readonly address: bigint;
  readonly mask: bigint;
  readonly port: number;
}

/** Go's net.Interface as go-sockaddr reads it (net.Interfaces()). */
export interface NetInterface {
  readonly index: number;
  readonly mtu: number;
  readonly name: string;
  /** net.HardwareAddr's String(): "" when the kernel's address is all zeros */
  readonly hardwareAddr: string;
  /** net.Flags bits (FLAG_*) */
  readonly flags: number;
}

/** go-sockaddr's IfAddr: one address of one interface. */
export interface IfAddr {
  readonly addr: IPAddr;
  readonly iface: NetInterface;
}

/** What `sockaddr` reads from the machine (sockaddr-host.ts gives the real one). */
export interface HostNetwork {
  /** GetAllInterfaces: every address of every interface, in net.Interfaces() order. */
  interfaces(): IfAddr[];
  /** The default route's interface name, from `ip route`; throws SockaddrError with Go's text. */
  defaultInterfaceName(): string;
}

/** An error go-sockaddr returns (its text is Go's); a GoError, so templates report it. */
export class SockaddrError extends GoError {}

export const FLAG_UP = 1, FLAG_BROADCAST = 2, FLAG_LOOPBACK = 4, FLAG_POINT_TO_POINT = 8, FLAG_MULTICAST = 16, FLAG_RUNNING = 32;
const FLAG_NAMES = ['up', 'broadcast', 'loopback', 'pointtopoint', 'multicast', 'running'];

/** net.Flags String(). */
export function flagsString(flags: number): string {
  const names = FLAG_NAMES.filter((_, bit) => (flags & (1 << bit)) !== 0);
  return names.length === 0 ? '0' : names.join('|');
}

const HOST_MASK = { 4: (1n << 32n) - 1n, 6: (1n << 128n) - 1n } as const;
const bitsOf = (family: 4 | 6): bigint => (family === 4 ? 32n : 128n);

export function cidrMask(ones: number, family: 4 | 6): bigint {
  const bits = bitsOf(family);
  return HOST_MASK[family] ^ ((1n << (bits - BigInt(ones))) - 1n);
}

/** IPMask.Size()'s ones (0 for a mask that is not ones then zeros). */
export function maskBits(ip: IPAddr): number {
  const bits = Number(bitsOf(ip.family));
  let ones = 0;
  while (ones < bits && (ip.mask >> BigInt(bits - 1 - ones)) & 1n) ones++;
  const rest = ip.mask & ((1n << BigInt(bits - ones)) - 1n);
  return rest === 0n ? ones : 0;
}

// ---------------------------------------------------------------------------------------------
// parsing (netip.ParseAddr, net.ParseCIDR, then go-sockaddr's NewIPv4Addr / NewIPv6Addr)

/** net.ParseIP (goip.ts): the address as 16 bytes' worth (IPv4 as ::ffff:a.b.c.d), with whether
 *  it was written as IPv4. */
function parseAddr(s: string): { value: bigint; is4: boolean } | undefined {
  const bytes = parseGoIP(s);
  if (bytes === undefined) return undefined;
  let value = 0n;
  for (const byte of bytes) value = (value << 8n) | BigInt(byte);
  return { value, is4: /^[^:]*\./.test(s) };
}

/** Go's IP.To4 on a 16-byte address: the IPv4 address when it is IPv4-mapped. */
function to4(value: bigint): bigint | undefined {
  return value >> 32n === 0xffffn ? value & 0xffffffffn : undefined;
}

/** net.ParseCIDR: the address (16 bytes) and the mask's length and bit length. */
function parseCIDR(s: string): { value: bigint; ones: number; bitLen: 32 | 128 } | undefined {
  const slash = s.indexOf('/');
  if (slash < 0) return undefined;
  const addr = parseAddr(s.slice(0, slash));
  const maskText = s.slice(slash + 1);
  if (addr === undefined || !/^[0-9]+$/.test(maskText)) return undefined;
  const bitLen = addr.is4 ? 32 : 128;
  const ones = maskText.length > 8 ? Infinity : Number(maskText);
  if (ones > bitLen) return undefined;
  return { value: addr.value, ones, bitLen };
}

/** net.ResolveTCPAddr on a literal "host:port" (names would need DNS: refused, clearly). */
function resolveTCP(s: string, network: 'tcp4' | 'tcp6'): { value: bigint; is4: boolean; port: number } | undefined {
  const split = splitHostPort(s);
  if (split === undefined) return undefined;
  const port = parsePort(split.port);
  if (port === 'name') throw new SockaddrError(`sockaddr: ${JSON.stringify(s)}: service names are not supported here (give the port as a number)`);
  if (port === undefined || split.host === '') return undefined;
  const addr = parseAddr(split.host.replace(/%.*$/, ''));
  if (addr === undefined) {
    if (/^[0-9.:]*$/.test(split.host) || split.host.includes('%')) return undefined;
    throw new SockaddrError(`sockaddr: ${JSON.stringify(s)}: host names are not resolved here (give an address)`);
  }
  const mapped = to4(addr.value) !== undefined;
  if (network === 'tcp4' && !mapped) return undefined;
  if (network === 'tcp6' && mapped) return undefined;
  return { ...addr, port };
}

/** net.SplitHostPort. */
function splitHostPort(s: string): { host: string; port: string } | undefined {
  const colon = s.lastIndexOf(':');
  if (colon < 0) return undefined;
  let host: string;
  if (s[0] === '[') {
    const end = s.indexOf(']');
    if (end < 0 || end + 1 !== colon) return undefined;
    host = s.slice(1, end);
    if (host.includes('[') || host.includes(']') || s.slice(end + 1).includes('[') || s.slice(end + 1).includes(']')) return undefined;
  } else {
    host = s.slice(0, colon);
    if (host.includes(':') || host.includes('[') || host.includes(']')) return undefined;
  }
  return { host, port: s.slice(colon + 1) };
}

/** net's parsePort + LookupPort's range check: the port, 'name' for a service name. */
function parsePort(service: string): number | 'name' | undefined {
  if (service === '') return 0;
  const match = /^([+-]?)([0-9]+)$/.exec(service);
  if (match === null) return 'name';
  const n = match[2]!.length > 10 ? Infinity : Number(match[2]);
  const port = match[1] === '-' ? -n : n;
  return port < 0 || port > 0xffff ? undefined : port;
}

function newIPv4Addr(input: string): IPAddr | undefined {
  const s = input.replace(/\/[0f]{8}$/, '');
  const cidr = parseCIDR(s);
  if (cidr !== undefined) {
    const v4 = to4(cidr.value);
    if (v4 === undefined) return undefined;
    // go-sockaddr reads the first 4 bytes of the mask, and re-bases masks of 96 and more
    let mask = cidrMask(cidr.ones, cidr.bitLen === 32 ? 4 : 6) >> BigInt(cidr.bitLen - 32);
    if (cidr.ones >= 96) mask = cidrMask(cidr.ones - 96, 4);
    return { family: 4, address: v4, mask, port: 0 };
  }
  const tcp = resolveTCP(s, 'tcp4');
  if (tcp !== undefined) return { family: 4, address: to4(tcp.value)!, mask: HOST_MASK[4], port: tcp.port };
  const ip = parseAddr(s);
  if (ip !== undefined) {
    const v4 = to4(ip.value);
    return v4 === undefined ? undefined : { family: 4, address: v4, mask: HOST_MASK[4], port: 0 };
  }
  return undefined;
}

function newIPv6Addr(input: string): IPAddr | undefined {
  let s = input;
  const first = /[.:]/.exec(s);
  if (first === null || first[0] === '.') return undefined;
  const tcp = resolveTCP(s, 'tcp6');
  if (tcp !== undefined) return { family: 6, address: tcp.value, mask: HOST_MASK[6], port: tcp.port };
  if (s.length > 2 && s[0] === '[' && s[s.length - 1] === ']') s = s.slice(1, -1);
  const ip = parseAddr(s);
  if (ip !== undefined) return { family: 6, address: ip.value, mask: HOST_MASK[6], port: 0 };
  const cidr = parseCIDR(s);
  if (cidr !== undefined) return { family: 6, address: cidr.value, mask: cidrMask(cidr.ones, cidr.bitLen === 32 ? 4 : 6) << BigInt(128 - cidr.bitLen), port: 0 };
  return undefined;
}

/** go-sockaddr's NewIPAddr: IPv4 first, then IPv6. */
export function newIPAddr(s: string): IPAddr {
  const ip = newIPv4Addr(s) ?? newIPv6Addr(s);
  if (ip === undefined) throw new SockaddrError(`invalid IPAddr ${s}`);
  return ip;
}

// ---------------------------------------------------------------------------------------------
// text

/** Go's net.IP String() of the address (IPv4-mapped IPv6 prints as IPv4, as Go's does). */
export function ipText(ip: IPAddr): string {
  const v4 = ip.family === 4 ? ip.address : to4(ip.address);
  if (v4 !== undefined) return [24n, 16n, 8n, 0n].map((shift) => String((v4 >> shift) & 0xffn)).join('.');
  const groups = Array.from({ length: 8 }, (_, i) => Number((ip.address >> BigInt(112 - 16 * i)) & 0xffffn));
  // the longest run of two or more zero groups (the first of equals) becomes ::
  let bestStart = -1, bestLength = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) { bestStart = i; bestLength = j - i; }
    i = j;
  }
  if (bestStart < 0) return groups.map((g) => g.toString(16)).join(':');
  const head = groups.slice(0, bestStart).map((g) => g.toString(16)).join(':');
  const tail = groups.slice(bestStart + bestLength).map((g) => g.toString(16)).join(':');
  return `${head}::${tail}`;
}

/** IPv4Addr / IPv6Addr String(): address, /bits unless a host, :port when there is one. */
export function sockString(ip: IPAddr): string {
  if (ip.port !== 0) return ip.family === 4 ? `${ipText(ip)}:${ip.port}` : `[${ipText(ip)}]:${ip.port}`;
  const bits = maskBits(ip);
  return bits === (ip.family === 4 ? 32 : 128) ? ipText(ip) : `${ipText(ip)}/${bits}`;
}

export const typeName = (ip: IPAddr): string => (ip.family === 4 ? 'IPv4' : 'IPv6');

// ---------------------------------------------------------------------------------------------
// arithmetic

const host = (family: 4 | 6, address: bigint, port = 0): IPAddr => ({ family, address, mask: HOST_MASK[family], port });
export const networkAddress = (ip: IPAddr): bigint => ip.address & ip.mask;
export const broadcastAddress = (ip: IPAddr): bigint => (ip.address & ip.mask) | (HOST_MASK[ip.family] ^ ip.mask);

export function firstUsable(ip: IPAddr): IPAddr {
  if (ip.family === 6) return host(6, networkAddress(ip));
  return host(4, (networkAddress(ip) + (maskBits(ip) < 31 ? 1n : 0n)) & HOST_MASK[4]);
}

export function lastUsable(ip: IPAddr): IPAddr {
  if (ip.family === 6) return host(6, broadcastAddress(ip));
  return host(4, (broadcastAddress(ip) - (maskBits(ip) < 31 ? 1n : 0n)) & HOST_MASK[4]);
}

/** SockAddr.Contains: the network of b lies within a (same family only). */
export function contains(a: IPAddr, b: IPAddr): boolean {
  if (a.family !== b.family) return false;
  if (a.family === 4) return networkAddress(a) <= networkAddress(b) && broadcastAddress(a) >= broadcastAddress(b);
  return firstUsable(a).address <= firstUsable(b).address && lastUsable(a).address >= lastUsable(b).address;
}

const rfcCache = new Map<number, IPAddr[]>();

/** KnownRFCs()[rfc], parsed once; undefined for an RFC go-sockaddr does not know. */
export function rfcNetworks(rfc: number): IPAddr[] | undefined {
  const cached = rfcCache.get(rfc);
  if (cached !== undefined) return cached;
  const texts = RFC_NETWORKS.get(rfc);
  if (texts === undefined) return undefined;
  // go-sockaddr parses each with MustIPv4Addr or MustIPv6Addr (those with a colon): through
  // NewIPAddr, ::ffff:0:0/96 would be the IPv4 network 0.0.0.0/0
  const networks = texts.map((text) => (text.includes(':') ? newIPv6Addr(text) : newIPv4Addr(text))!);
  rfcCache.set(rfc, networks);
  return networks;
}

export const FORWARDING_BLACKLIST = 4294967295;

export function isRFC(rfc: number, ip: IPAddr): boolean {
  return (rfcNetworks(rfc) ?? []).some((network) => contains(network, ip));
}

// net.IP's classifications (IsLoopback, IsMulticast, ...), on the address as Go holds it
export function ipClass(ip: IPAddr): { loopback: boolean; multicast: boolean; linkLocalUnicast: boolean; linkLocalMulticast: boolean; interfaceLocalMulticast: boolean; unspecified: boolean; globalUnicast: boolean } {
  const v4 = ip.family === 4 ? ip.address : to4(ip.address);
  if (v4 !== undefined) {
    const a = Number(v4 >> 24n), b = Number((v4 >> 16n) & 0xffn);
    const loopback = a === 127, multicast = a >= 224 && a <= 239, unspecified = v4 === 0n;
    const linkLocalUnicast = a === 169 && b === 254, linkLocalMulticast = a === 224 && b === 0 && Number((v4 >> 8n) & 0xffn) === 0;
    const broadcast = v4 === 0xffffffffn;
    return { loopback, multicast, unspecified, linkLocalUnicast, linkLocalMulticast, interfaceLocalMulticast: false, globalUnicast: !broadcast && !unspecified && !loopback && !multicast && !linkLocalUnicast };
  }
  const top = Number(ip.address >> 112n);
  const loopback = ip.address === 1n, unspecified = ip.address === 0n, multicast = top >> 8 === 0xff;
  const linkLocalUnicast = (top & 0xffc0) === 0xfe80, linkLocalMulticast = (top & 0xff0f) === 0xff02, interfaceLocalMulticast = (top & 0xff0f) === 0xff01;
  return { loopback, multicast, unspecified, linkLocalUnicast, linkLocalMulticast, interfaceLocalMulticast, globalUnicast: !unspecified && !loopback && !multicast && !linkLocalUnicast };
}

// ---------------------------------------------------------------------------------------------
// attributes (IPAddrAttr, IPv4AddrAttr, IPv6AddrAttr, SockAddrAttr): "" = not an attribute

const pad = (text: string, width: number): string => text.padStart(width, '0');

export function ipAttr(ip: IPAddr, name: string): string {
  const bits = ip.family === 4 ? 32 : 128;
  switch (name) {
    case 'address': return ipText(ip);
    case 'binary': return pad(ip.address.toString(2), bits);
    case 'first_usable': return sockString(firstUsable(ip));
    case 'hex': return pad(ip.address.toString(16), bits / 4);
    case 'host': return sockString({ ...ip, mask: HOST_MASK[ip.family] });
    case 'last_usable': return sockString(lastUsable(ip));
    case 'mask_bits': return String(maskBits(ip));
    case 'netmask': return sockString(host(ip.family, ip.mask));
    case 'network': return ipText({ ...ip, address: networkAddress(ip) });
    case 'octets': {
      const count = bits / 8;
      return Array.from({ length: count }, (_, i) => String((ip.address >> BigInt(8 * (count - 1 - i))) & 0xffn)).join(' ');
    }
    case 'port': return String(ip.port);
    case 'size': return String(1n << BigInt(bits - maskBits(ip)));
  }
  if (ip.family === 4) {
    if (name === 'broadcast') return sockString(host(4, broadcastAddress(ip)));
    if (name === 'uint32') return String(ip.address);
  } else if (name === 'uint128') {
    return String(ip.address);
  }
  return '';
}
