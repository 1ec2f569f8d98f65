// sprig's urlParse and urlJoin over Go's net/url (gourl.ts).
import { GoComplex, GoInt, GoMap, GoSlice, JsonNumber, kindOf } from '../values.ts';
import type { GoFunction, GoValue } from '../values.ts';
import { fn, goError, panicError } from './define.ts';
import { goUrlString, parseGoUrl, UrlError, urlHostname, userinfoString, type GoUrl } from './gourl.ts';
import { msi } from './sprig-values.ts';

function parseOrPanic(raw: string, what: string): GoUrl {
  try {
    return parseGoUrl(raw);
  } catch (error) {
    // sprig panics with the message; text/template reports the panic value
    if (error instanceof UrlError) throw goError(`${what}: ${error.message}`);
    throw error;
  }
}

/** sprig's metaStringFromDict: an absent key is "", anything but a string panics naming its type
 *  (nil's reflect type is a nil pointer, so a nil value is Go's nil dereference). */
function metaString(d: GoMap, key: string): string {
  if (!d.entries.has(key)) return '';
  const v = d.entries.get(key);
  if (typeof v === 'string') return v;
  if (v === undefined || v === null) throw panicError('invalid memory address or nil pointer dereference');
  throw goError(`unable to parse ${key} key, must be of type string, but ${reflectKind(v)} found`);
}

/** reflect.Kind's String() of a non-nil value. */
function reflectKind(v: GoValue): string {
  if (typeof v === 'number') return 'float64';
  if (typeof v === 'boolean') return 'bool';
  if (v instanceof GoInt) return v.kind;
  if (v instanceof JsonNumber) return 'string';
  if (v instanceof GoSlice) return v.type.startsWith('[]') ? 'slice' : 'array';
  if (v instanceof GoComplex) return 'complex128';
  return kindOf(v);
}

export function urlFunctions(): Map<string, GoFunction> {
  return new Map<string, GoFunction>([
    ['urlParse', fn(['string'], (a) => {
      const u = parseOrPanic(a[0] as string, 'unable to parse url');
      return msi(new Map<GoValue, GoValue>([
        ['scheme', u.scheme], ['host', u.host], ['hostname', urlHostname(u.host)], ['path', u.path], ['query', u.rawQuery],
        ['opaque', u.opaque], ['fragment', u.fragment], ['userinfo', u.user === undefined ? '' : userinfoString(u.user)],
      ]));
    }, { returnsError: false })],
    ['urlJoin', fn(['map[string]interface {}'], (a) => {
      const d = a[0] as GoMap;
      const url: GoUrl = {
        scheme: metaString(d, 'scheme'), host: metaString(d, 'host'), path: metaString(d, 'path'), rawQuery: metaString(d, 'query'),
        opaque: metaString(d, 'opaque'), fragment: metaString(d, 'fragment'), user: undefined, omitHost: false, forceQuery: false,
      };
      const userinfo = metaString(d, 'userinfo');
      if (userinfo !== '') url.user = parseOrPanic(`proto://${userinfo}@host`, 'unable to parse userinfo in dict').user;
      return goUrlString(url);
    }, { returnsError: false })],
  ]);
}
