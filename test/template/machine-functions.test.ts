// The parts of `plugin` and `sockaddr` the oracle cannot judge: the 30 s timeout (fixed in
// consul-template, so tried here with a small one), arguments Node cannot pass, and
// go-sockaddr's pure parts (address parsing and classification, sorting) on fixed inputs.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runProgram } from '../../agent/src/template/functions/goexec.ts';
import { pluginFunction } from '../../agent/src/template/functions/plugin.ts';
import type { CallContext, GoValue } from '../../agent/src/template/values.ts';
import {
  FLAG_BROADCAST, FLAG_LOOPBACK, FLAG_MULTICAST, FLAG_RUNNING, FLAG_UP, ipAttr, ipClass, isRFC, newIPAddr, SockaddrError, sockString,
  type HostNetwork, type IfAddr, type NetInterface,
} from '../../agent/src/template/functions/sockaddr-ip.ts';
import {
  excludeIfs, getInterfaceIP, getIPs, getPrivateInterfaces, getPrivateIP, getPublicIP, ifAddrsMath, includeIfs, sortIfBy,
} from '../../agent/src/template/functions/sockaddr-ifaddrs.ts';
import { globMatch, withDenylist } from '../../agent/src/template/functions/denylist.ts';
import { goSort } from '../../agent/src/template/functions/gosort.ts';
import { addressesFromIPAddr, defaultInterfaceFromIPRoute, defaultInterfaceFromProcRoute } from '../../agent/src/template/functions/sockaddr-host.ts';

const env = { PATH: '/usr/bin:/bin' };
const noContext = {} as CallContext;
const callPlugin = (run: Parameters<typeof pluginFunction>[0], ...args: string[]): GoValue => pluginFunction(run).call(args, noContext);

describe('plugin', () => {
  it('kills a program that runs past the timeout and says so as consul-template does', () => {
    const started = Date.now();
    const run = runProgram('sleep', ['5'], { env, timeoutMs: 200 });
    assert.deepEqual(run, { kind: 'timed-out' });
    assert.ok(Date.now() - started < 4000, 'the program was killed, not waited for');
    assert.throws(() => callPlugin((name, args) => runProgram(name, args, { env, timeoutMs: 200 }), 'sleep', '5'), { message: 'exec "sleep": did not finish in 30s' });
  });

  it('looks programs up in the given PATH only', () => {
    assert.deepEqual(runProgram('echo', ['x'], { env: {}, timeoutMs: 5000 }), { kind: 'not-started', error: 'exec: "echo": executable file not found in $PATH' });
    assert.deepEqual(runProgram('echo', ['x'], { env, timeoutMs: 5000 }), { kind: 'finished', error: undefined, stdout: 'x\n', stderr: '' });
  });

  it('refuses an argument that is not UTF-8 (Node cannot pass its bytes) instead of changing it', () => {
    let ran = false;
    assert.throws(() => callPlugin(() => { ran = true; return { kind: 'finished', error: undefined, stdout: '', stderr: '' }; }, 'echo', '\udcff'), /not valid UTF-8/);
    assert.equal(ran, false);
  });

  it('fails clearly where no program runner is given (admission parses only)', () => {
    assert.throws(() => callPlugin(undefined, 'echo'), /running programs is not available here/);
  });
});

// ---------------------------------------------------------------------------------------------
// go-sockaddr's pure parts, on fixed addresses (this machine has no RFC 1918 address, so the
// private/public choices are checked here with a fake machine)

const iface = (index: number, name: string, flags: number): NetInterface => ({ index, mtu: 1500, name, hardwareAddr: '', flags });
const lo = iface(1, 'lo', FLAG_UP | FLAG_LOOPBACK | FLAG_RUNNING);
const eth0 = iface(2, 'eth0', FLAG_UP | FLAG_BROADCAST | FLAG_MULTICAST | FLAG_RUNNING);
const eth1 = iface(3, 'eth1', FLAG_UP | FLAG_BROADCAST | FLAG_MULTICAST | FLAG_RUNNING);
const down = iface(4, 'eth2', FLAG_BROADCAST);
const at = (text: string, on: NetInterface): IfAddr => ({ addr: newIPAddr(text), iface: on });
const machine = (addrs: IfAddr[], defaultName: string | undefined): HostNetwork => ({
  interfaces: () => addrs,
  defaultInterfaceName: () => {
    if (defaultName === undefined) throw new SockaddrError('No default interface found');
    return defaultName;
  },
});
const strings = (ifAddrs: IfAddr[]): string[] => ifAddrs.map((i) => sockString(i.addr));

describe('sockaddr: addresses', () => {
  it('parses as NewIPAddr does (CIDR, host:port, plain; IPv4 first) and prints Go\'s text', () => {
    const table: Array<[string, string]> = [
      ['10.1.2.3/8', '10.1.2.3/8'], ['10.1.2.3', '10.1.2.3'], ['10.1.2.3:8080', '10.1.2.3:8080'], ['[2001:db8::1]:443', '[2001:db8::1]:443'],
      ['2001:DB8:0:0:1:0:0:1/64', '2001:db8::1:0:0:1/64'], ['::ffff:10.0.0.1', '10.0.0.1'], ['::ffff:10.0.0.0/104', '10.0.0.0/8'],
      ['fe80::1:0:0:0/10', 'fe80::1:0:0:0/10'], ['1:0:0:2:0:0:0:3', '1:0:0:2::3'], ['::', '::'], ['10.0.0.1/ffffff00', '10.0.0.1'],
    ];
    for (const [text, expected] of table) assert.equal(sockString(newIPAddr(text)), expected, text);
    for (const bad of ['010.0.0.1', '10.0.0.1/33', '1.2.3.4:99999', 'fe80::1%eth0', '1::2::3', '', 'x']) assert.throws(() => newIPAddr(bad), { message: `invalid IPAddr ${bad}` }, bad);
    assert.throws(() => newIPAddr('localhost:80'), /host names are not resolved here/);
  });

  it('classifies by go-sockaddr\'s RFC tables and Go\'s net.IP rules', () => {
    assert.equal(isRFC(1918, newIPAddr('172.31.255.255')), true);
    assert.equal(isRFC(1918, newIPAddr('172.32.0.1')), false);
    assert.equal(isRFC(6890, newIPAddr('100.64.0.1')), true, 'carrier-grade NAT is special-purpose');
    assert.equal(isRFC(6890, newIPAddr('8.8.8.8')), false);
    assert.equal(isRFC(4193, newIPAddr('fd12::1')), true);
    assert.equal(isRFC(4291, newIPAddr('10.0.0.1')), false, '::ffff:0:0/96 is an IPv6 network: it holds no IPv4Addr');
    assert.deepEqual(ipClass(newIPAddr('169.254.1.1')), { loopback: false, multicast: false, unspecified: false, linkLocalUnicast: true, linkLocalMulticast: false, interfaceLocalMulticast: false, globalUnicast: false });
    assert.equal(ipClass(newIPAddr('ff02::1')).linkLocalMulticast, true);
    assert.equal(ipClass(newIPAddr('ff01::1')).interfaceLocalMulticast, true);
    assert.equal(ipAttr(newIPAddr('10.1.2.3/30'), 'broadcast'), '10.1.2.3');
    assert.equal(ipAttr(newIPAddr('10.1.2.3/30'), 'first_usable'), '10.1.2.1');
    assert.equal(ipAttr(newIPAddr('10.1.2.3/31'), 'first_usable'), '10.1.2.2', '/31 has no network or broadcast address');
    assert.equal(ipAttr(newIPAddr('2001:db8::1/126'), 'last_usable'), '2001:db8::3');
    assert.equal(ipAttr(newIPAddr('10.0.0.0/0'), 'size'), '4294967296');
  });
});

describe('sockaddr: interface lists', () => {
  const addrs = [
    at('127.0.0.1/8', lo), at('::1/128', lo), at('203.0.113.7/24', eth0), at('10.0.0.5/16', eth1), at('10.0.0.9/24', eth0),
    at('2600:1f18::8/64', eth0), at('fd00::5/64', eth1), at('192.168.7.1/24', down),
  ];
  const host = machine(addrs, 'eth0');

  it('GetPrivateIP prefers the default route\'s interface, IPv4, then the larger network', () => {
    assert.deepEqual(strings(getPrivateInterfaces(host)), ['10.0.0.9/24', '10.0.0.5/16', 'fd00::5/64']);
    assert.equal(getPrivateIP(host), '10.0.0.9');
    assert.equal(getPrivateIP(machine(addrs, undefined)), '10.0.0.5', 'no default route: no preference, the larger network first');
    assert.equal(getPublicIP(host), '2600:1f18::8', 'TEST-NET-3 is not forwardable: the public IPv6 address');
    assert.equal(isRFC(6890, newIPAddr('2001:4860::8')), true, 'go-sockaddr\'s RFC 6890 table holds all of 2001::/16');
    assert.equal(getIPs(host, 'private'), '10.0.0.5 10.0.0.9 192.168.7.1 fd00::5');
    assert.equal(getInterfaceIP(host, '^eth'), '10.0.0.5');
  });

  it('sorts stably by the clauses in turn and filters as go-sockaddr does', () => {
    // +size: the shorter mask (the larger network) first
    assert.deepEqual(strings(sortIfBy(host, '-type,+size,address', addrs)), ['2600:1f18::8/64', 'fd00::5/64', '::1', '127.0.0.1/8', '10.0.0.5/16', '10.0.0.9/24', '192.168.7.1/24', '203.0.113.7/24']);
    assert.deepEqual(strings(sortIfBy(host, 'default,name', addrs)).slice(0, 3), ['203.0.113.7/24', '10.0.0.9/24', '2600:1f18::8/64']);
    const v4 = [at('203.0.113.7/24', eth0), at('8.8.8.8', eth0), at('10.0.0.5/16', eth1), at('1.1.1.1', eth1)];
    assert.deepEqual(strings(sortIfBy(host, 'private', v4)), ['203.0.113.7/24', '10.0.0.5/16', '8.8.8.8', '1.1.1.1']);
    assert.deepEqual(strings(sortIfBy(host, '-private', v4)), ['8.8.8.8', '1.1.1.1', '203.0.113.7/24', '10.0.0.5/16']);
    assert.deepEqual(strings(includeIfs('flags', 'up', addrs)).length, 7);
    assert.deepEqual(strings(includeIfs('type', 'ipv4|ipv6', addrs.slice(0, 2))), ['127.0.0.1/8', '::1'], 'one verdict per address and type');
    assert.deepEqual(strings(excludeIfs('type', 'ipv4|ipv6', addrs.slice(0, 2))), ['127.0.0.1/8', '::1'], 'each also fails the other type');
    assert.deepEqual(strings(includeIfs('rfc', '1918|4193', addrs)), ['10.0.0.5/16', '10.0.0.9/24', '192.168.7.1/24', 'fd00::5/64']);
    assert.deepEqual(strings(includeIfs('network', '10.0.0.0/24', addrs)), ['10.0.0.9/24'], 'a /16 is not within a /24');
    assert.deepEqual(strings(ifAddrsMath('network', '-1', [at('10.0.0.5/16', eth1)])), ['10.0.255.255/16']);
    assert.deepEqual(strings(ifAddrsMath('mask', '8', [at('10.9.8.7/16', eth1)])), ['10.0.0.0/8']);
  });
});

describe('Go\'s sort.Sort', () => {
  it('leaves equal elements where Go 1.26 leaves them (pdqsort past 12 elements)', () => {
    // the permutations are what Go 1.26's sort.Sort printed for these keys (ids in order)
    const table: Array<[number[], number[]]> = [
      [[1, 0, 1, 0, 1, 0, 1, 1, 0, 0, 0, 0, 1], [9, 1, 3, 5, 8, 10, 11, 2, 4, 6, 7, 0, 12]],
      [[2, 0, 1, 2, 2, 1, 0, 0, 1, 2, 0, 1, 1, 2, 0, 0, 2, 1, 0, 2, 1, 1, 0, 2, 2, 0, 1, 0, 0, 2, 1, 2, 0, 1, 2, 0, 1, 1, 2, 0],
        [14, 1, 39, 35, 32, 28, 6, 7, 27, 25, 10, 22, 18, 15, 20, 8, 2, 17, 12, 37, 36, 21, 11, 33, 30, 5, 26, 23, 9, 29, 24, 31, 4, 13, 34, 3, 0, 19, 38, 16]],
    ];
    for (const [keys, ids] of table) {
      const items = keys.map((key, id) => ({ key, id }));
      goSort(items, (a, b) => a.key < b.key);
      assert.deepEqual(items.map((item) => item.id), ids);
    }
  });
});

describe('sockaddr: reading the machine', () => {
  it('takes the default route\'s interface from `ip route` as go-sockaddr parses it', () => {
    assert.equal(defaultInterfaceFromIPRoute('10.0.0.0/8 dev eth1 scope link\ndefault via 192.0.2.1 dev eth0 proto dhcp metric 100\n'), 'eth0');
    assert.throws(() => defaultInterfaceFromIPRoute('10.0.0.0/8 dev eth1 scope link\ndefault dev wg0 scope link\n'), { message: 'No default interface found' });
  });

  it('without `ip`, takes the same interface from /proc/net/route', () => {
    const head = 'Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n';
    assert.equal(defaultInterfaceFromProcRoute(head + 'eth1\t0000000A\t00000000\t0001\t0\t0\t0\t000000FF\t0\t0\t0\neth0\t00000000\t010200C0\t0003\t0\t0\t0\t00000000\t0\t0\t0\n'), 'eth0');
    assert.throws(() => defaultInterfaceFromProcRoute(head + 'wg0\t00000000\t00000000\t0001\t0\t0\t0\t00000000\t0\t0\t0\n'), { message: 'No default interface found' }, 'no gateway: `ip route` prints no "via"');
  });

  it('reads the addresses of an interface that is down from `ip -o addr show`', () => {
    const output = '3: ifb0    inet 10.9.9.9/24 brd 10.9.9.255 scope global ifb0\\       valid_lft forever preferred_lft forever\n'
      + '3: ifb0    inet 10.8.0.1 peer 10.8.0.2/32 scope global ifb0\\       valid_lft forever preferred_lft forever\n'
      + '3: ifb0    inet6 fd01::9/64 scope global \\       valid_lft forever preferred_lft forever\n';
    assert.deepEqual(addressesFromIPAddr(output), [{ index: 3, text: '10.9.9.9/24' }, { index: 3, text: '10.8.0.1/32' }, { index: 3, text: 'fd01::9/64' }]);
  });
});

describe('function_denylist', () => {
  it('matches names with go-glob\'s * and disables them', () => {
    const table: Array<[string, string, boolean]> = [
      ['plugin', 'plugin', true], ['plug*', 'plugin', true], ['*in', 'plugin', true], ['sprig_*', 'sprig_upper', true], ['s*r*', 'sockaddr', true],
      ['plugin', 'plugins', false], ['*', 'anything', true], ['', '', true], ['p*x', 'plugin', false], ['*ck*', 'sockaddr', true],
    ];
    for (const [pattern, name, expected] of table) assert.equal(globMatch(pattern, name), expected, `${pattern} ~ ${name}`);
    const denied = withDenylist(new Map([['plugin', pluginFunction(undefined)]]), ['plugin']).get('plugin')!;
    assert.throws(() => denied.call(['echo'], noContext), { message: 'function is disabled' });
  });
});
