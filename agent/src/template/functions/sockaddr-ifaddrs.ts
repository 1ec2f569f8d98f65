// go-sockaddr v1.0.7's operations on lists of interface addresses (ifaddrs.go, ifaddr.go,
// ifattr.go): the sources (GetAllInterfaces, GetPrivateInterfaces, ...), include/exclude,
// sort, unique, join, limit, offset, math and attributes, with its error texts. Pure: the
// machine comes in as a HostNetwork.
import {
  cidrMask, contains, flagsString, FLAG_BROADCAST, FLAG_LOOPBACK, FLAG_MULTICAST, FLAG_POINT_TO_POINT,
  FLAG_UP, FORWARDING_BLACKLIST, ipAttr, ipClass, isRFC, lastUsable, maskBits, networkAddress, newIPAddr, rfcNetworks,
  SockaddrError, sockString, typeName, type HostNetwork, type IfAddr, type IPAddr,
} from './sockaddr-ip.ts';
import { compileGoRegexp, matchString, RegexpError } from './regexp.ts';
import { NumError, parseInt10, parseUint10 } from './strconv.ts';
import { goQuote } from './gostrings.ts';
import { goSort } from './gosort.ts';
import { goQuote as goQuoteAscii } from '../quote.ts';

/** %+q: strconv.QuoteToASCII. */
const quoteAscii = (s: string): string => goQuoteAscii(s, true);
const fail = (message: string): never => { throw new SockaddrError(message); };

/** IfAddr String(): "%s %v" of the address and the net.Interface struct. */
export function ifAddrString(ifAddr: IfAddr): string {
  const i = ifAddr.iface;
  return `${sockString(ifAddr.addr)} {${i.index} ${i.mtu} ${i.name} ${i.hardwareAddr} ${flagsString(i.flags)}}`;
}

// ---------------------------------------------------------------------------------------------
// sorting: comparisons give -1 (receiver first), 1 (argument first) or 0 (the next decides)

export type Compare = (a: IfAddr, b: IfAddr) => number;
const sign = (n: number | bigint): number => (n < 0 ? -1 : n > 0 ? 1 : 0);

const ascAddress: Compare = (a, b) => (a.addr.family === b.addr.family ? sign(a.addr.address - b.addr.address) : 0);
const ascName: Compare = (a, b) => (a.iface.name < b.iface.name ? -1 : a.iface.name > b.iface.name ? 1 : 0);
const ascPort: Compare = (a, b) => sign(a.addr.port - b.addr.port);
const ascSize: Compare = (a, b) => (a.addr.family === b.addr.family ? sign(a.addr.mask - b.addr.mask) : 0);
const ascType: Compare = (a, b) => sign(a.addr.family - b.addr.family);
const ascPrivate: Compare = (a, b) => {
  const mine = isRFC(6890, a.addr);
  if (a.addr.family !== b.addr.family) return mine ? -1 : 0;
  const theirs = isRFC(6890, b.addr);
  return mine === theirs ? 0 : mine ? -1 : 1;
};
/** AscIfDefault: addresses of the default route's interface first (no route: no decision). */
function ascDefault(network: HostNetwork): Compare {
  let name: string | null | undefined;
  return (a, b) => {
    if (name === undefined) {
      try { name = network.defaultInterfaceName(); } catch { name = null; }
    }
    if (name === null) return 0;
    const mine = a.iface.name === name, theirs = b.iface.name === name;
    return mine === theirs ? 0 : mine ? -1 : 1;
  };
}
const descending = (compare: Compare): Compare => (a, b) => -compare(a, b);

/** OrderedIfAddrBy(...).Sort: Go's sort.Sort (not stable) with the comparisons in turn. */
export function sortIfAddrs(ifAddrs: IfAddr[], compares: readonly Compare[]): IfAddr[] {
  const less = (p: IfAddr, q: IfAddr): boolean => {
    for (const compare of compares) {
      const order = compare(p, q);
      if (order !== 0) return order < 0;
    }
    return false;
  };
  const out = [...ifAddrs];
  goSort(out, less);
  return out;
}

/** SortIfBy: "+type,-size,...". */
export function sortIfBy(network: HostNetwork, selector: string, ifAddrs: IfAddr[]): IfAddr[] {
  const compares = selector.split(',').map((clause): Compare => {
    const key = clause.toLowerCase().trim();
    const base = key.replace(/^[+-]/, '');
    const asc: Compare | undefined = { address: ascAddress, default: ascDefault(network), name: ascName, port: ascPort, private: ascPrivate, size: ascSize, type: ascType }[base];
    if (asc === undefined || (key !== base && key !== `+${base}` && key !== `-${base}`)) return fail(`unknown sort type: ${goQuote(clause)}`);
    return key.startsWith('-') ? descending(asc) : asc;
  });
  return sortIfAddrs(ifAddrs, compares);
}

// ---------------------------------------------------------------------------------------------
// selectors: [matched, remainder]

type Split = [IfAddr[], IfAddr[]];

function byRegexp(kind: string, expr: string, ifAddrs: IfAddr[], text: (ifAddr: IfAddr) => string): Split {
  let re;
  try {
    re = compileGoRegexp(expr);
  } catch (error) {
    if (error instanceof RegexpError) fail(`Unable to compile ${kind} regexp ${quoteAscii(expr)}: ${error.message}`);
    throw error;
  }
  const split: Split = [[], []];
  for (const ifAddr of ifAddrs) split[matchString(re, text(ifAddr)) ? 0 : 1].push(ifAddr);
  return split;
}

function parseUintBits(s: string, bits: number): bigint {
  const v = parseUint10(s);
  if (v >= 1n << BigInt(bits)) throw new NumError('ParseUint', s, 'value out of range');
  return v;
}

const numErrorText = (error: unknown): string => (error instanceof NumError ? error.message : String(error));

function byRFC(param: string, ifAddrs: IfAddr[]): Split {
  let rfc: bigint;
  try { rfc = parseUint10(param); } catch (error) { return fail(`unable to parse RFC number ${goQuote(param)}: ${numErrorText(error)}`); }
  const networks = rfc > BigInt(Number.MAX_SAFE_INTEGER) ? undefined : rfcNetworks(Number(rfc));
  if (networks === undefined) fail(`unsupported RFC ${rfc}`);
  const split: Split = [[], []];
  for (const ifAddr of ifAddrs) split[networks!.some((n) => contains(n, ifAddr.addr)) ? 0 : 1].push(ifAddr);
  return split;
}

function byRFCs(param: string, ifAddrs: IfAddr[]): Split {
  const split: Split = [[], []];
  for (const rfc of param.split('|')) {
    let one: Split;
    try { one = byRFC(rfc, ifAddrs); } catch (error) { return fail(`unable to lookup RFC number ${goQuote(rfc)}: ${(error as Error).message}`); }
    split[0].push(...one[0]);
    split[1].push(...one[1]);
  }
  return split;
}

function byMaskSize(param: string, ifAddrs: IfAddr[]): Split {
  let size: bigint;
  try { size = parseUint10(param); } catch (error) { return fail(`invalid exclude size argument (${goQuote(param)}): ${numErrorText(error)}`); }
  const split: Split = [[], []];
  for (const ifAddr of ifAddrs) {
    if (ifAddr.addr.family === 4 && size > 32n) fail(`mask size out of bounds for IPv4 address: ${size}`);
    if (ifAddr.addr.family === 6 && size > 128n) fail(`mask size out of bounds for IPv6 address: ${size}`);
    split[BigInt(maskBits(ifAddr.addr)) === size ? 0 : 1].push(ifAddr);
  }
  return split;
}

function byType(param: string, ifAddrs: IfAddr[]): Split {
  const types = param.toLowerCase().split('|');
  for (const t of types) if (!['ip', 'ipv4', 'ipv6', 'unix'].includes(t)) fail(`unsupported type ${goQuote(t)} ${goQuote(param)}`);
  const split: Split = [[], []];
  // as go-sockaddr does: one verdict per address and type (an address can land twice)
  for (const ifAddr of ifAddrs) {
    for (const t of types) {
      const matched = t === 'ip' || (t === 'ipv4' && ifAddr.addr.family === 4) || (t === 'ipv6' && ifAddr.addr.family === 6);
      split[matched ? 0 : 1].push(ifAddr);
    }
  }
  return split;
}

/** IfByFlag: interface flags and address classes, "|" meaning any of the address classes but
 *  all of the interface flags (go-sockaddr's own mixture). */
export function byFlag(param: string, ifAddrs: IfAddr[]): Split {
  const want = new Set<string>();
  let flags = 0, checkFlags = false, checkAttrs = false;
  for (const name of param.toLowerCase().split('|')) {
    switch (name) {
      case 'broadcast': checkFlags = true; flags |= FLAG_BROADCAST; break;
      case 'down': checkFlags = true; flags &= ~FLAG_UP; break;
      case 'forwardable': case 'global unicast': case 'interface-local multicast': case 'link-local multicast':
      case 'link-local unicast': case 'unspecified':
        checkAttrs = true; want.add(name); break;
      case 'loopback': checkAttrs = true; checkFlags = true; flags |= FLAG_LOOPBACK; want.add(name); break;
      case 'multicast': checkAttrs = true; checkFlags = true; flags |= FLAG_MULTICAST; want.add(name); break;
      case 'point-to-point': checkFlags = true; flags |= FLAG_POINT_TO_POINT; break;
      case 'up': checkFlags = true; flags |= FLAG_UP; break;
      default: fail(`Unknown interface flag: ${quoteAscii(name)}`);
    }
  }
  const split: Split = [[], []];
  for (const ifAddr of ifAddrs) {
    let matched = checkFlags && (ifAddr.iface.flags & flags) === flags;
    if (checkAttrs) {
      const c = ipClass(ifAddr.addr);
      if ((want.has('global unicast') && c.globalUnicast) || (want.has('interface-local multicast') && c.interfaceLocalMulticast)
        || (want.has('link-local multicast') && c.linkLocalMulticast) || (want.has('link-local unicast') && c.linkLocalUnicast)
        || (want.has('loopback') && c.loopback) || (want.has('multicast') && c.multicast) || (want.has('unspecified') && c.unspecified)
        || (want.has('forwardable') && !isRFC(FORWARDING_BLACKLIST, ifAddr.addr))) matched = true;
    }
    split[matched ? 0 : 1].push(ifAddr);
  }
  return split;
}

function byNetwork(param: string, ifAddrs: IfAddr[]): Split {
  const split: Split = [[], []];
  for (const text of param.split('|')) {
    let network: IPAddr;
    try { network = newIPAddr(text); } catch (error) { return fail(`unable to create an IP address from ${quoteAscii(text)}: ${(error as Error).message}`); }
    for (const ifAddr of ifAddrs) split[contains(network, ifAddr.addr) ? 0 : 1].push(ifAddr);
  }
  return split;
}

function select(selector: string, param: string, ifAddrs: IfAddr[], verb: 'include' | 'exclude'): IfAddr[] {
  let split: Split;
  switch (selector.toLowerCase()) {
    case 'address': split = byRegexp('address', param, ifAddrs, (i) => sockString(i.addr)); break;
    case 'flag': case 'flags': split = byFlag(param, ifAddrs); break;
    case 'name': split = byRegexp('name', param, ifAddrs, (i) => i.iface.name); break;
    case 'network': split = byNetwork(param, ifAddrs); break;
    case 'port': split = byRegexp('port', param, ifAddrs, (i) => String(i.addr.port)); break;
    case 'rfc': case 'rfcs': split = byRFCs(param, ifAddrs); break;
    case 'size': split = byMaskSize(param, ifAddrs); break;
    case 'type': split = byType(param, ifAddrs); break;
    default: return fail(`invalid ${verb} selector ${goQuote(selector)}`);
  }
  return verb === 'include' ? split[0] : split[1];
}

export const includeIfs = (selector: string, param: string, ifAddrs: IfAddr[]): IfAddr[] => select(selector, param, ifAddrs, 'include');
export const excludeIfs = (selector: string, param: string, ifAddrs: IfAddr[]): IfAddr[] => select(selector, param, ifAddrs, 'exclude');

// ---------------------------------------------------------------------------------------------
// attributes, unique, join, limit, offset

/** IfAddr.Attr: the interface's name/flags, else the address's attributes, else an error. */
export function ifAddrAttr(ifAddr: IfAddr, name: string): string {
  const own = name === 'name' ? ifAddr.iface.name : name === 'flags' ? flagsString(ifAddr.iface.flags) : '';
  if (own !== '') return own;
  const value = ipAttr(ifAddr.addr, name);
  if (value !== '') return value;
  if (name === 'string') return sockString(ifAddr.addr);
  if (name === 'type') return typeName(ifAddr.addr);
  return fail(`unsupported attribute name ${goQuote(name)}`);
}

export function uniqueIfAddrsBy(selector: string, ifAddrs: IfAddr[]): IfAddr[] {
  const attr = selector.toLowerCase();
  const out: IfAddr[] = [];
  let last = '';
  for (const ifAddr of ifAddrs) {
    let key: string;
    if (attr === 'address') key = sockString(ifAddr.addr);
    else if (attr === 'name') key = ifAddr.iface.name;
    else return fail(`unsupported unique constraint ${quoteAscii(selector)}`);
    if (last === '' || last !== key) {
      last = key;
      out.push(ifAddr);
    }
  }
  return out;
}

export const joinIfAddrs = (selector: string, separator: string, ifAddrs: IfAddr[]): string =>
  ifAddrs.map((ifAddr) => ifAddrAttr(ifAddr, selector.toLowerCase())).join(separator);

export function offsetIfAddrs(offset: bigint, ifAddrs: IfAddr[]): IfAddr[] {
  const fromEnd = offset < 0n;
  const n = fromEnd ? -offset : offset;
  if (n > BigInt(ifAddrs.length)) fail(`unable to seek past the end of the interface array: offset (${n}) exceeds the number of interfaces (${ifAddrs.length})`);
  return fromEnd ? ifAddrs.slice(ifAddrs.length - Number(n)) : ifAddrs.slice(Number(n));
}

// ---------------------------------------------------------------------------------------------
// math

const MASK32 = (1n << 32n) - 1n, MASK128 = (1n << 128n) - 1n;
const signRE = /^[\t\n\v\f\r ]*[+-]/;

/** A big.Int as go-sockaddr turns it into 16 bytes (its magnitude, the leading 16 bytes). */
function asIPv6(value: bigint): bigint {
  let v = value < 0n ? -value : value;
  while (v > MASK128) v >>= 8n;
  return v;
}

function mathOne(operation: string, value: string, ifAddr: IfAddr): IfAddr {
  const ip = ifAddr.addr;
  const parseSigned = (bits: number): bigint => {
    try { return parseInt10(value, bits); } catch (error) { return fail(`unable to convert ${goQuote(value)} to int for operation ${goQuote(operation)}: ${numErrorText(error)}`); }
  };
  const parseUnsigned = (): bigint => {
    try { return parseUintBits(value, 32); } catch (error) { return fail(`unable to convert ${goQuote(value)} to int for operation ${goQuote(operation)}: ${numErrorText(error)}`); }
  };
  const op = operation.toLowerCase();
  const withAddr = (addr: IPAddr): IfAddr => ({ addr, iface: ifAddr.iface });
  switch (op) {
    case 'address': {
      if (!signRE.test(value)) fail(`sign (+/-) is required for operation ${goQuote(operation)}`);
      if (ip.family === 4) return withAddr({ family: 4, address: (ip.address + parseSigned(33)) & MASK32, mask: ip.mask, port: 0 });
      return withAddr({ family: 6, address: (ip.address + parseSigned(64)) & MASK128, mask: ip.mask, port: 0 });
    }
    case 'network': {
      if (!signRE.test(value)) fail(`sign (+/-) is required for operation ${goQuote(operation)}`);
      if (ip.family === 4) {
        const i = parseSigned(33);
        const wrapped = i >= 0n ? i : 1n + i + (~ip.mask & MASK32);
        return withAddr({ family: 4, address: (networkAddress(ip) + ((wrapped & MASK32) & ~ip.mask)) & MASK32, mask: ip.mask, port: 0 });
      }
      const i = parseSigned(64);
      const address = i > 0n ? networkAddress(ip) + (i & ~ip.mask) : lastUsable(ip).address - ((-i - 1n) & ~ip.mask);
      return withAddr({ family: 6, address: asIPv6(address), mask: ip.mask, port: 0 });
    }
    case 'mask': {
      const bits = parseUnsigned();
      const limit = ip.family === 4 ? 32n : 128n;
      if (bits > limit) fail(`parameter for operation ${goQuote(operation)} on ${ip.family === 4 ? 'ipv4' : 'ipv6'} addresses must be between 0 and ${ip.family === 4 ? 32 : 64}`);
      const mask = cidrMask(Number(bits), ip.family);
      return withAddr({ family: ip.family, address: ip.address & mask, mask: mask < ip.mask ? mask : ip.mask, port: 0 });
    }
  }
  return fail(`unsupported math operation: ${goQuote(operation)}`);
}

export function ifAddrsMath(operation: string, value: string, ifAddrs: IfAddr[]): IfAddr[] {
  return ifAddrs.map((ifAddr) => {
    try {
      return mathOne(operation, value, ifAddr);
    } catch (error) {
      if (error instanceof SockaddrError) fail(`unable to perform an IPMath operation on ${ifAddrString(ifAddr)}: ${error.message}`);
      throw error;
    }
  });
}

// ---------------------------------------------------------------------------------------------
// sources and the IP helpers

const forwardable = (ifAddrs: IfAddr[]): IfAddr[] => byFlag('forwardable', ifAddrs)[0];
const up = (ifAddrs: IfAddr[]): IfAddr[] => byFlag('up', ifAddrs)[0];

export function getDefaultInterfaces(network: HostNetwork): IfAddr[] {
  const name = network.defaultInterfaceName();
  return network.interfaces().filter((ifAddr) => ifAddr.iface.name === name);
}

function routedInterfaces(network: HostNetwork, which: 'private' | 'public'): IfAddr[] {
  const candidates = up(forwardable(network.interfaces()));
  const sorted = sortIfAddrs(candidates, [ascDefault(network), ascType, ascSize]);
  return byRFC('6890', sorted)[which === 'private' ? 0 : 1];
}

export const getPrivateInterfaces = (network: HostNetwork): IfAddr[] => routedInterfaces(network, 'private');
export const getPublicInterfaces = (network: HostNetwork): IfAddr[] => routedInterfaces(network, 'public');

export function getPrivateIP(network: HostNetwork): string {
  const first = getPrivateInterfaces(network)[0];
  return first === undefined ? '' : ipAttr(first.addr, 'address');
}

export function getPublicIP(network: HostNetwork): string {
  const first = getPublicInterfaces(network)[0];
  return first === undefined ? '' : ipAttr(first.addr, 'address');
}

/** GetPrivateIPs / GetPublicIPs: every such address, not only the default route's. */
export function getIPs(network: HostNetwork, which: 'private' | 'public'): string {
  const sorted = sortIfAddrs(network.interfaces(), [ascType, ascSize]);
  let chosen = byRFC('6890', sorted)[which === 'private' ? 0 : 1];
  if (which === 'private') chosen = byRFC(String(FORWARDING_BLACKLIST), chosen)[1];
  return chosen.map((ifAddr) => ipAttr(ifAddr.addr, 'address')).join(' ');
}

export function getInterfaceIP(network: HostNetwork, nameExpr: string): string {
  const named = byRegexp('name', nameExpr, network.interfaces(), (i) => i.iface.name)[0];
  const first = sortIfBy(network, '+type,+size', forwardable(named))[0];
  return first === undefined ? '' : ipAttr(first.addr, 'address');
}

export function getInterfaceIPs(network: HostNetwork, nameExpr: string): string {
  const named = byRegexp('name', nameExpr, network.interfaces(), (i) => i.iface.name)[0];
  return sortIfBy(network, '+type,+size', named).map((ifAddr) => ipAttr(ifAddr.addr, 'address')).join(' ');
}

