// Go's net/url Parse and URL.String, byte for byte, for sprig's urlParse and urlJoin (WHATWG's
// URL, Node's, lower-cases, resolves dots, takes other characters and has other errors). Strings
// are handled as UTF-8 bytes, one char per byte ("binary" strings), as Go's are.
import { goQuote } from './gostrings.ts';

export interface GoUrl {
  scheme: string;
  opaque: string;
  user: { username: string; password?: string } | undefined;
  host: string;
  path: string;
  omitHost: boolean;
  forceQuery: boolean;
  rawQuery: string;
  fragment: string;
}

type Mode = 'path' | 'host' | 'zone' | 'userPassword' | 'queryComponent' | 'fragment';

export class UrlError extends Error {}

const toBinary = (s: string): string => Buffer.from(s, 'utf8').toString('latin1');
const fromBinary = (s: string): string => Buffer.from(s, 'latin1').toString('utf8');
const quoteBinary = (s: string): string => goQuote(fromBinary(s));

const isAlnum = (c: string): boolean => /^[A-Za-z0-9]$/.test(c);
const isHex = (c: string | undefined): boolean => c !== undefined && /^[0-9A-Fa-f]$/.test(c);

function shouldEscape(c: string, mode: Mode): boolean {
  if (isAlnum(c)) return false;
  if ((mode === 'host' || mode === 'zone') && '!$&\'()*+,;=:[]<>"'.includes(c)) return false;
  if ('-_.~'.includes(c)) return false;
  if ('$&+,/:;=?@'.includes(c)) {
    switch (mode) {
      case 'path': return c === '?';
      case 'userPassword': return c === '@' || c === '/' || c === '?' || c === ':';
      case 'queryComponent': return true;
      case 'fragment': return false;
      default: break;
    }
  }
  if (mode === 'fragment' && '!()*'.includes(c)) return false;
  return true;
}

function escape(s: string, mode: Mode): string {
  let out = '';
  for (const c of s) {
    if (!shouldEscape(c, mode)) out += c;
    else if (c === ' ' && mode === 'queryComponent') out += '+';
    else out += '%' + c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

function unescape(s: string, mode: Mode): string {
  for (let i = 0; i < s.length;) {
    const c = s[i]!;
    if (c === '%') {
      if (i + 2 >= s.length || !isHex(s[i + 1]) || !isHex(s[i + 2])) throw new UrlError(`invalid URL escape ${quoteBinary(s.slice(i, i + 3))}`);
      const triple = s.slice(i, i + 3);
      if (mode === 'host' && parseInt(s[i + 1]!, 16) < 8 && triple !== '%25') throw new UrlError(`invalid URL escape ${quoteBinary(triple)}`);
      if (mode === 'zone') {
        const v = String.fromCharCode(parseInt(triple.slice(1), 16));
        if (triple !== '%25' && v !== ' ' && shouldEscape(v, 'host')) throw new UrlError(`invalid URL escape ${quoteBinary(triple)}`);
      }
      i += 3;
    } else {
      if ((mode === 'host' || mode === 'zone') && c.charCodeAt(0) < 0x80 && shouldEscape(c, mode)) throw new UrlError(`invalid character ${quoteBinary(c)} in host name`);
      i++;
    }
  }
  let out = '';
  for (let i = 0; i < s.length;) {
    const c = s[i]!;
    if (c === '%') {
      out += String.fromCharCode(parseInt(s.slice(i + 1, i + 3), 16));
      i += 3;
    } else {
      out += c === '+' && mode === 'queryComponent' ? ' ' : c;
      i++;
    }
  }
  return out;
}

function validOptionalPort(port: string): boolean {
  if (port === '') return true;
  if (port[0] !== ':') return false;
  return /^[0-9]*$/.test(port.slice(1));
}

function parseHost(host: string): string {
  if (host.startsWith('[')) {
    const i = host.lastIndexOf(']');
    if (i < 0) throw new UrlError("missing ']' in host");
    const colonPort = host.slice(i + 1);
    if (!validOptionalPort(colonPort)) throw new UrlError(`invalid port ${quoteBinary(colonPort)} after host`);
    const zone = host.slice(0, i).indexOf('%25');
    if (zone >= 0) return unescape(host.slice(0, zone), 'host') + unescape(host.slice(zone, i), 'zone') + unescape(host.slice(i), 'host');
  } else {
    const i = host.lastIndexOf(':');
    if (i !== -1) {
      const colonPort = host.slice(i);
      if (!validOptionalPort(colonPort)) throw new UrlError(`invalid port ${quoteBinary(colonPort)} after host`);
    }
  }
  return unescape(host, 'host');
}

const validUserinfo = (s: string): boolean => /^[A-Za-z0-9\-._:~!$&'()*+,;=%@]*$/.test(s);

function parseAuthority(authority: string): { user: GoUrl['user']; host: string } {
  const i = authority.lastIndexOf('@');
  const host = parseHost(i < 0 ? authority : authority.slice(i + 1));
  if (i < 0) return { user: undefined, host };
  const userinfo = authority.slice(0, i);
  if (!validUserinfo(fromBinary(userinfo))) throw new UrlError('net/url: invalid userinfo');
  const colon = userinfo.indexOf(':');
  if (colon < 0) return { user: { username: unescape(userinfo, 'userPassword') }, host };
  return { user: { username: unescape(userinfo.slice(0, colon), 'userPassword'), password: unescape(userinfo.slice(colon + 1), 'userPassword') }, host };
}

function getScheme(raw: string): [string, string] {
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (/[A-Za-z]/.test(c)) continue;
    if (/[0-9+\-.]/.test(c)) {
      if (i === 0) return ['', raw];
      continue;
    }
    if (c === ':') {
      if (i === 0) throw new UrlError('missing protocol scheme');
      return [raw.slice(0, i), raw.slice(i + 1)];
    }
    return ['', raw];
  }
  return ['', raw];
}

function parseWithoutFragment(raw: string): GoUrl {
  if (/[\x00-\x1f\x7f]/.test(raw)) throw new UrlError('net/url: invalid control character in URL');
  const url: GoUrl = { scheme: '', opaque: '', user: undefined, host: '', path: '', omitHost: false, forceQuery: false, rawQuery: '', fragment: '' };
  if (raw === '*') {
    url.path = '*';
    return url;
  }
  const [scheme, afterScheme] = getScheme(raw);
  url.scheme = scheme.toLowerCase();
  let rest = afterScheme;
  if (rest.endsWith('?') && rest.split('?').length === 2) {
    url.forceQuery = true;
    rest = rest.slice(0, -1);
  } else {
    const q = rest.indexOf('?');
    if (q >= 0) {
      url.rawQuery = rest.slice(q + 1);
      rest = rest.slice(0, q);
    }
  }
  if (!rest.startsWith('/')) {
    if (url.scheme !== '') {
      url.opaque = rest;
      return url;
    }
    if (rest.split('/')[0]!.includes(':')) throw new UrlError('first path segment in URL cannot contain colon');
  }
  if ((url.scheme !== '' || !rest.startsWith('///')) && rest.startsWith('//')) {
    let authority = rest.slice(2);
    rest = '';
    const slash = authority.indexOf('/');
    if (slash >= 0) {
      rest = authority.slice(slash);
      authority = authority.slice(0, slash);
    }
    const { user, host } = parseAuthority(authority);
    url.user = user;
    url.host = host;
  } else if (url.scheme !== '' && rest.startsWith('/')) {
    url.omitHost = true;
  }
  url.path = unescape(rest, 'path');
  return url;
}

/** url.Parse; the error is url.Error's text (`parse "…": …`). Fields are UTF-8 text. */
export function parseGoUrl(rawText: string): GoUrl {
  const raw = toBinary(rawText);
  const hash = raw.indexOf('#');
  const withoutFragment = hash < 0 ? raw : raw.slice(0, hash);
  let url: GoUrl;
  try {
    url = parseWithoutFragment(withoutFragment);
  } catch (error) {
    if (error instanceof UrlError) throw new UrlError(`parse ${quoteBinary(withoutFragment)}: ${error.message}`);
    throw error;
  }
  if (hash >= 0) {
    try {
      url.fragment = unescape(raw.slice(hash + 1), 'fragment');
    } catch (error) {
      if (error instanceof UrlError) throw new UrlError(`parse ${quoteBinary(raw)}: ${error.message}`);
      throw error;
    }
  }
  return textFields(url, fromBinary);
}

function textFields(url: GoUrl, convert: (s: string) => string): GoUrl {
  const user = url.user === undefined ? undefined
    : url.user.password === undefined ? { username: convert(url.user.username) } : { username: convert(url.user.username), password: convert(url.user.password) };
  return {
    ...url, scheme: convert(url.scheme), opaque: convert(url.opaque), user, host: convert(url.host), path: convert(url.path),
    rawQuery: convert(url.rawQuery), fragment: convert(url.fragment),
  };
}

/** Userinfo.String(). */
export function userinfoString(user: NonNullable<GoUrl['user']>): string {
  const s = escape(toBinary(user.username), 'userPassword') + (user.password === undefined ? '' : ':' + escape(toBinary(user.password), 'userPassword'));
  return fromBinary(s);
}

/** URL.Hostname(). */
export function urlHostname(host: string): string {
  let h = host;
  const colon = h.lastIndexOf(':');
  if (colon !== -1 && validOptionalPort(h.slice(colon))) h = h.slice(0, colon);
  if (h.startsWith('[') && h.endsWith(']')) h = h.slice(1, -1);
  return h;
}

/** URL.String() of a URL with no RawPath or RawFragment. */
export function goUrlString(textUrl: GoUrl): string {
  const u = textFields(textUrl, toBinary);
  let buf = '';
  if (u.scheme !== '') buf += u.scheme + ':';
  if (u.opaque !== '') buf += u.opaque;
  else {
    if (u.scheme !== '' || u.host !== '' || u.user !== undefined) {
      if (!(u.omitHost && u.host === '' && u.user === undefined)) {
        if (u.host !== '' || u.path !== '' || u.user !== undefined) buf += '//';
        if (u.user !== undefined) buf += toBinary(userinfoString(textUrl.user!)) + '@';
        if (u.host !== '') buf += escape(u.host, 'host');
      }
    }
    const path = u.path === '*' ? '*' : escape(u.path, 'path');
    if (path !== '' && path[0] !== '/' && u.host !== '') buf += '/';
    if (buf === '' && path.split('/')[0]!.includes(':')) buf += './';
    buf += path;
  }
  if (u.forceQuery || u.rawQuery !== '') buf += '?' + u.rawQuery;
  if (u.fragment !== '') buf += '#' + escape(u.fragment, 'fragment');
  return fromBinary(buf);
}
