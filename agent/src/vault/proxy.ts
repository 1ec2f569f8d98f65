// Which proxy, if any, the agent uses for its Vault address: Go's http.ProxyFromEnvironment
// (golang.org/x/net/http/httpproxy), which Vault Agent's client uses, so HTTPS_PROXY (vault-k8s's
// `proxy-address`), HTTP_PROXY and NO_PROXY mean for our agent what they mean for Vault Agent.
// Pure: the environment comes in as a parameter.
//
// Written here rather than taken from proxy-from-env: that package reads process.env itself (not
// testable without mutating the process), honours ALL_PROXY, which Go ignores, defaults a
// scheme-less proxy to the target's scheme where Go uses http://, and proxies loopback addresses,
// which Go never does.
import { isIP } from 'node:net';

export type ProxyChoice = { ok: true; proxy: URL | undefined } | { ok: false; reason: string };

const firstSet = (env: NodeJS.ProcessEnv, ...names: string[]): string => {
  for (const name of names) {
    const value = env[name];
    if (value !== undefined && value !== '') return value;
  }
  return '';
};

/** Go's parseProxy: a value without a scheme (or that does not parse) is tried again as http://VALUE. */
export function parseProxyUrl(text: string): URL | undefined {
  const attempt = (candidate: string): URL | undefined => {
    try {
      const url = new URL(candidate);
      return url.host === '' ? undefined : url;
    } catch {
      return undefined;
    }
  };
  const direct = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? attempt(text) : undefined;
  return direct ?? attempt(`http://${text}`);
}

const stripBrackets = (host: string): string => (host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host);

function isLoopback(host: string): boolean {
  if (host === 'localhost') return true;
  const kind = isIP(host);
  if (kind === 4) return host.startsWith('127.');
  if (kind === 6) return host === '::1' || /^(0{0,4}:){7}0{0,3}1$/.test(host);
  return false;
}

function ipv4ToNumber(ip: string): number {
  return ip.split('.').reduce((total, part) => total * 256 + Number(part), 0);
}

function inCidr(host: string, cidr: string): boolean {
  const [base, bitsText] = cidr.split('/');
  const bits = Number(bitsText);
  if (base === undefined || isIP(base) !== 4 || isIP(host) !== 4 || !Number.isInteger(bits) || bits < 0 || bits > 32) return false;
  if (bits === 0) return true;
  const mask = (0xffffffff << (32 - bits)) >>> 0;
  return ((ipv4ToNumber(host) & mask) >>> 0) === ((ipv4ToNumber(base) & mask) >>> 0);
}

/** One NO_PROXY entry against the target host and port (Go's ipMatch, cidrMatch, domainMatch). */
function matchesNoProxy(entry: string, host: string, port: string): boolean {
  if (entry.includes('/')) return inCidr(host, entry);
  let entryHost = entry;
  let entryPort = '';
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
  if (bracketed !== null) {
    entryHost = bracketed[1] ?? '';
    entryPort = bracketed[2] ?? '';
  } else if (isIP(entry) !== 6) {
    const colon = entry.lastIndexOf(':');
    if (colon > 0 && /^\d+$/.test(entry.slice(colon + 1))) {
      entryHost = entry.slice(0, colon);
      entryPort = entry.slice(colon + 1);
    }
  }
  if (entryPort !== '' && entryPort !== port) return false;
  if (isIP(entryHost) !== 0) return entryHost === host;
  // "*.example.com" and ".example.com" match subdomains; "example.com" also matches itself.
  let domain = entryHost.toLowerCase();
  if (domain.startsWith('*.')) domain = domain.slice(1);
  const matchesItself = !domain.startsWith('.');
  if (matchesItself) domain = `.${domain}`;
  return host.endsWith(domain) || (matchesItself && host === domain.slice(1));
}

/**
 * The proxy for requests to `address`: HTTPS_PROXY/https_proxy for https, HTTP_PROXY/http_proxy for
 * http (ignored under CGI, when REQUEST_METHOD is set), none for loopback or a NO_PROXY match.
 * Only http:// and https:// proxies are supported (CONNECT tunnels): a socks proxy is refused.
 */
export function proxyForVault(address: string, env: NodeJS.ProcessEnv): ProxyChoice {
  let target: URL;
  try {
    target = new URL(address);
  } catch {
    return { ok: true, proxy: undefined };
  }
  const isHttps = target.protocol === 'https:';
  const variable = isHttps ? 'HTTPS_PROXY' : 'HTTP_PROXY';
  const raw = isHttps ? firstSet(env, 'HTTPS_PROXY', 'https_proxy') : firstSet(env, 'REQUEST_METHOD') !== '' ? '' : firstSet(env, 'HTTP_PROXY', 'http_proxy');
  if (raw === '') return { ok: true, proxy: undefined };

  const host = stripBrackets(target.hostname).toLowerCase();
  const port = target.port !== '' ? target.port : isHttps ? '443' : '80';
  if (isLoopback(host)) return { ok: true, proxy: undefined };
  const noProxy = firstSet(env, 'NO_PROXY', 'no_proxy');
  const entries = noProxy.split(',').map((entry) => entry.trim().toLowerCase()).filter((entry) => entry !== '');
  if (entries.includes('*') || entries.some((entry) => matchesNoProxy(entry, host, port))) return { ok: true, proxy: undefined };

  const proxy = parseProxyUrl(raw);
  if (proxy === undefined) return { ok: false, reason: `${variable}: ${JSON.stringify(raw)} is not a proxy URL (such as http://proxy.example.com:3128)` };
  if (proxy.protocol !== 'http:' && proxy.protocol !== 'https:') {
    return { ok: false, reason: `${variable}: ${proxy.protocol.replace(/:$/, '')} proxies are not supported; the agent tunnels through an http:// or https:// proxy (HTTP CONNECT)` };
  }
  return { ok: true, proxy };
}
