// consul-template's `sockaddr args...`: "{{ args }}" evaluated as a go-sockaddr v1.0.7 template
// (template.Parse: its own text/template named sockaddr.Parse, missingkey=error, dot =
// GetAllInterfaces, go-sockaddr's function map only), through our engine with go-sockaddr's
// functions over the machine's interfaces. Errors are go-sockaddr's, wrapped as it wraps them.
import { executeTemplate, parseTemplate, TemplateError } from '../index.ts';
import { sprintf } from '../format.ts';
import { GoInt, GoSlice, GoStruct, structType, type FunctionMap, type GoFunction, type GoValue } from '../values.ts';
import { fn, goError } from './define.ts';
import { goQuote } from '../quote.ts';
import { contains, flagsString, SockaddrError, sockString, typeName, type HostNetwork, type IfAddr } from './sockaddr-ip.ts';
import {
  excludeIfs, getDefaultInterfaces, getInterfaceIP, getInterfaceIPs, getIPs, getPrivateInterfaces, getPrivateIP,
  getPublicInterfaces, getPublicIP, ifAddrAttr, ifAddrsMath, ifAddrString, includeIfs, joinIfAddrs, offsetIfAddrs,
  sortIfBy, uniqueIfAddrsBy,
} from './sockaddr-ifaddrs.ts';

const IF_ADDRS = 'sockaddr.IfAddrs';
const IF_ADDR = 'sockaddr.IfAddr';

// The Go values templates see. IfAddr embeds SockAddr and net.Interface: the promoted fields a
// template can name (.Name, .Index, ...) are methods here, which text/template treats alike.
const ifAddrOf = new WeakMap<GoStruct, IfAddr>();
const typeValueType = structType('sockaddr.SockAddrType', [], new Map([
  ['String', fn([], (a) => typeNames.get(a[0] as GoStruct) ?? '', { returnsError: false })],
]));
const typeNames = new WeakMap<GoStruct, string>();
function typeValue(ifAddr: IfAddr): GoStruct {
  const value = new GoStruct(typeValueType, []);
  typeNames.set(value, typeName(ifAddr.addr));
  return value;
}
/** SockAddr's methods a template can call (IfAddr has them promoted): Type and Contains. */
const sockAddrMethods = (): Array<[string, GoFunction]> => [
  ['Type', fn([], (a) => typeValue(ifAddrOf.get(a[0] as GoStruct)!), { returnsError: false })],
  ['Contains', fn(['interface {}'], (a) => {
    const other = a[1] instanceof GoStruct ? ifAddrOf.get(a[1]) : undefined;
    if (other === undefined) throw goError(`Contains: want a sockaddr.SockAddr, got ${sprintf('%T', [a[1] ?? null])}`);
    // an IfAddr is a SockAddr too, but never an IPv4Addr or IPv6Addr: it contains nothing's
    return (a[1] as GoStruct).type !== ifAddrType && contains(ifAddrOf.get(a[0] as GoStruct)!.addr, other.addr);
  }, { returnsError: false })],
];
const sockAddrType = (family: 4 | 6) => structType(family === 4 ? 'sockaddr.IPv4Addr' : 'sockaddr.IPv6Addr', [], new Map([
  ['String', fn([], (a) => sockString(ifAddrOf.get(a[0] as GoStruct)!.addr), { returnsError: false })],
  ...sockAddrMethods(),
]));
const SOCK_ADDR_TYPES = { 4: sockAddrType(4), 6: sockAddrType(6) } as const;
const interfaceType = structType('net.Interface', [
  { name: 'Index', type: 'int' }, { name: 'MTU', type: 'int' }, { name: 'Name', type: 'string' },
  { name: 'HardwareAddr', type: 'string' }, { name: 'Flags', type: 'string' },
]);
const own = (f: (ifAddr: IfAddr, args: GoValue[]) => GoValue, params: string[] = [], returnsError = false): GoFunction =>
  fn(params, (a) => f(ifAddrOf.get(a[0] as GoStruct)!, a.slice(1)), { returnsError });
const ifAddrType = structType(IF_ADDR, [{ name: 'SockAddr', type: 'sockaddr.SockAddr' }, { name: 'Interface', type: 'net.Interface' }], new Map([
  ['String', own((i) => ifAddrString(i))],
  ['Attr', own((i, [name]) => ifAddrAttr(i, name as string), ['string'], true)],
  ['Name', own((i) => i.iface.name)],
  ['Index', own((i) => new GoInt('int', BigInt(i.iface.index)))],
  ['MTU', own((i) => new GoInt('int', BigInt(i.iface.mtu)))],
  ['HardwareAddr', own((i) => i.iface.hardwareAddr)],
  ['Flags', own((i) => flagsString(i.iface.flags))],
  ...sockAddrMethods(),
]));

function ifAddrValue(ifAddr: IfAddr): GoStruct {
  const sockAddr = new GoStruct(SOCK_ADDR_TYPES[ifAddr.addr.family], []);
  ifAddrOf.set(sockAddr, ifAddr);
  const i = ifAddr.iface;
  const iface = new GoStruct(interfaceType, [new GoInt('int', BigInt(i.index)), new GoInt('int', BigInt(i.mtu)), i.name, i.hardwareAddr, flagsString(i.flags)]);
  const value = new GoStruct(ifAddrType, [sockAddr, iface]);
  ifAddrOf.set(value, ifAddr);
  return value;
}

const ifAddrsValue = (ifAddrs: IfAddr[]): GoSlice => new GoSlice(IF_ADDRS, IF_ADDR, ifAddrs.map(ifAddrValue));
const ifAddrsOf = (value: GoValue): IfAddr[] => (value as GoSlice).items.map((item) => ifAddrOf.get(item as GoStruct)!);

/** go-sockaddr's template function map (template.go's Source, Sort, Filter and Helper funcs). */
export function sockaddrFunctions(network: HostNetwork): FunctionMap {
  const list = (f: (args: GoValue[]) => IfAddr[], params: string[]) => fn(params, (a) => ifAddrsValue(f(a)));
  const text = (f: (args: GoValue[]) => string, params: string[] = []) => fn(params, (a) => f(a));
  const ifs = (v: GoValue) => ifAddrsOf(v);
  return new Map<string, GoFunction>([
    ['GetAllInterfaces', list(() => network.interfaces(), [])],
    ['GetDefaultInterfaces', list(() => getDefaultInterfaces(network), [])],
    ['GetPrivateInterfaces', list(() => getPrivateInterfaces(network), [])],
    ['GetPublicInterfaces', list(() => getPublicInterfaces(network), [])],
    ['sort', list(([by, l]) => sortIfBy(network, by as string, ifs(l)), ['string', IF_ADDRS])],
    ['exclude', list(([name, param, l]) => excludeIfs(name as string, param as string, ifs(l)), ['string', 'string', IF_ADDRS])],
    ['include', list(([name, param, l]) => includeIfs(name as string, param as string, ifs(l)), ['string', 'string', IF_ADDRS])],
    ['attr', text(([name, value]) => attr(name as string, value), ['string', 'interface {}'])],
    ['join', text(([name, separator, l]) => joinIfAddrs(name as string, separator as string, ifs(l)), ['string', 'string', IF_ADDRS])],
    ['limit', list(([n, l]) => limit((n as GoInt).value, ifs(l)), ['uint', IF_ADDRS])],
    ['offset', list(([n, l]) => offsetIfAddrs((n as GoInt).value, ifs(l)), ['int', IF_ADDRS])],
    ['unique', list(([name, l]) => uniqueIfAddrsBy(name as string, ifs(l)), ['string', IF_ADDRS])],
    ['math', list(([operation, value, l]) => ifAddrsMath(operation as string, value as string, ifs(l)), ['string', 'string', IF_ADDRS])],
    ['GetPrivateIP', text(() => getPrivateIP(network))],
    ['GetPrivateIPs', text(() => getIPs(network, 'private'))],
    ['GetPublicIP', text(() => getPublicIP(network))],
    ['GetPublicIPs', text(() => getIPs(network, 'public'))],
    ['GetInterfaceIP', text(([name]) => getInterfaceIP(network, name as string), ['string'])],
    ['GetInterfaceIPs', text(([name]) => getInterfaceIPs(network, name as string), ['string'])],
  ]);
}

/** template.Attr: an IfAddr's attribute, or the first IfAddr's of a list ("" for none). */
function attr(name: string, value: GoValue): string {
  if (value instanceof GoStruct && ifAddrOf.has(value) && value.type === ifAddrType) return ifAddrAttr(ifAddrOf.get(value)!, name.toLowerCase());
  if (value instanceof GoSlice && value.type === IF_ADDRS) {
    const first = ifAddrsOf(value)[0];
    return first === undefined ? '' : ifAddrAttr(first, name.toLowerCase());
  }
  throw new SockaddrError(`unable to obtain attribute ${name} from type ${sprintf('%T (%v)', [value ?? null, value ?? null])}`);
}

/** LimitIfAddrs(lim uint, ...): a limit past int64 is Go's slice panic, as the template reports it. */
function limit(n: bigint, ifAddrs: IfAddr[]): IfAddr[] {
  if (n >= 1n << 63n) throw new SockaddrError(`runtime error: slice bounds out of range [:${n}] with capacity ${ifAddrs.length}`);
  return ifAddrs.slice(0, Number(n < BigInt(ifAddrs.length) ? n : BigInt(ifAddrs.length)));
}

/** go-sockaddr's template.Parse of input against the machine. */
export function parseSockaddrTemplate(input: string, network: HostNetwork): string {
  let all: IfAddr[];
  try {
    all = network.interfaces();
  } catch (error) {
    throw goError(`unable to query interface addresses: ${error instanceof Error ? error.message : String(error)}`);
  }
  const quoted = goQuote(input, true);
  let template;
  try {
    template = parseTemplate(input, sockaddrFunctions(network), { name: 'sockaddr.Parse' });
  } catch (error) {
    if (error instanceof TemplateError) throw goError(`unable to parse template ${quoted}: ${error.message}`);
    throw error;
  }
  try {
    return executeTemplate(template, ifAddrsValue(all), { missingKey: 'error' });
  } catch (error) {
    if (error instanceof TemplateError) throw goError(`unable to execute sockaddr input ${quoted}: ${error.message}`);
    throw error;
  }
}

/** consul-template's sockaddr(args ...string): "{{ " + args joined by spaces + " }}". */
export function sockaddrFunction(network: (() => HostNetwork) | undefined): GoFunction {
  return fn(['string'], (args) => {
    if (network === undefined) throw goError('sockaddr: reading the machine\'s interfaces is not available here');
    return parseSockaddrTemplate(`{{ ${(args as string[]).join(' ')} }}`, network());
  }, { variadic: true });
}
