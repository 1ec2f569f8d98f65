// consul-template's `secret` and `secrets`, over a synchronous view of what has been fetched.
// `secret` returns the *dependency.Secret consul-template builds from a Vault response (numbers
// keep their JSON text as json.Number), or nil while the secret has not arrived.
import { appendedCap, goValueFromJson } from '../values.ts';
import {
  GoInt, GoMap, GoNilPointer, GoSlice, GoStruct, goInt, stringMap, stringSlice, structType,
} from '../values.ts';
import type { GoFunction, GoValue, StructType } from '../values.ts';
import { GoError } from '../values.ts';
import { fn, goError } from './define.ts';
import { compareGoStrings, goQuote, trimSpace } from './gostrings.ts';
import type { SecretSource } from './types.ts';
import { pemBundle, PemError } from './pem.ts';
import { parseInLocation } from './timeformat.ts';
import { zeroTime, type GoTime } from './timevalue.ts';
import { processLocalLocation, UTC } from './gozone.ts';

export const secretAuthType: StructType = structType('*dependency.SecretAuth', [
  { name: 'ClientToken', type: 'string' },
  { name: 'Accessor', type: 'string' },
  { name: 'Policies', type: '[]string' },
  { name: 'Metadata', type: 'map[string]string' },
  { name: 'LeaseDuration', type: 'int' },
  { name: 'Renewable', type: 'bool' },
]);

export const secretWrapInfoType: StructType = structType('*dependency.SecretWrapInfo', [
  { name: 'Token', type: 'string' },
  { name: 'TTL', type: 'int' },
  { name: 'CreationTime', type: 'time.Time' },
  { name: 'WrappedAccessor', type: 'string' },
]);

export const secretType: StructType = structType('*dependency.Secret', [
  { name: 'RequestID', type: 'string' },
  { name: 'LeaseID', type: 'string' },
  { name: 'LeaseDuration', type: 'int' },
  { name: 'Renewable', type: 'bool' },
  { name: 'Data', type: 'map[string]interface {}' },
  { name: 'Warnings', type: '[]string' },
  { name: 'Auth', type: '*dependency.SecretAuth' },
  { name: 'WrapInfo', type: '*dependency.SecretWrapInfo' },
]);

function str(v: GoValue): string {
  return typeof v === 'string' ? v : '';
}

function int(v: GoValue): GoInt {
  if (v instanceof GoInt) return goInt(v.value, 'int');
  const text = typeof v === 'number' ? String(Math.trunc(v)) : v !== null && typeof v === 'object' && 'text' in v ? String((v as { text: string }).text) : '0';
  try {
    return goInt(BigInt(text), 'int');
  } catch {
    return goInt(0n, 'int');
  }
}

function bool(v: GoValue): boolean {
  return v === true;
}

function stringList(v: GoValue): GoSlice {
  if (!(v instanceof GoSlice)) return stringSlice([]);
  const items = v.items.map((item) => (typeof item === 'string' ? item : item === null ? '' : String((item as { text?: string }).text ?? '')));
  // decoded into a []string by appending, as the JSON array was: the same capacity
  return new GoSlice('[]string', 'string', items, false, v.cap);
}

function nilWhenEmpty(s: GoSlice): GoSlice {
  return s.items.length > 0 ? s : new GoSlice(s.type, s.elemType, [], true);
}

/** The *dependency.Secret for a Vault response body (as the Vault API client decodes it), or nil
 *  for a body of `null` (a write that answered 204, such as a KV v1 write). */
/** wrap_info.creation_time as Vault's client decodes it (time.Time's UnmarshalJSON: RFC 3339, in
 *  Local when the offset is Local's); absent, it stays the zero time. */
function creationTime(v: GoValue): GoTime {
  const local = processLocalLocation();
  if (typeof v !== 'string') return zeroTime(local);
  try {
    return parseInLocation('2006-01-02T15:04:05Z07:00', v, UTC, local);
  } catch (error) {
    throw goError(`Vault returned a wrap_info.creation_time that is not RFC 3339: ${error instanceof Error ? error.message : String(error)}`);
  }
}

export function secretFromBody(bodyText: string): GoStruct | null {
  let body: GoValue;
  try {
    body = goValueFromJson(bodyText, 'json.Number');
  } catch {
    throw goError('Vault returned a response that is not JSON');
  }
  if (body === null) return null;
  const get = (key: string): GoValue => (body instanceof GoMap ? body.entries.get(key) : undefined);
  const data = get('data');
  const authBody = get('auth');
  let auth: GoValue = new GoNilPointer('*dependency.SecretAuth');
  if (authBody instanceof GoMap) {
    const a = (key: string): GoValue => authBody.entries.get(key);
    const metadata = new Map<GoValue, GoValue>();
    const meta = a('metadata');
    if (meta instanceof GoMap) for (const [k, v] of meta.entries) metadata.set(k, typeof v === 'string' ? v : '');
    auth = new GoStruct(secretAuthType, [
      str(a('client_token')), str(a('accessor')), nilWhenEmpty(stringList(a('policies'))),
      new GoMap('map[string]string', 'string', 'string', metadata, metadata.size === 0), int(a('lease_duration')), bool(a('renewable')),
    ]);
  }
  let wrapInfo: GoValue = new GoNilPointer('*dependency.SecretWrapInfo');
  const wrapBody = get('wrap_info');
  if (wrapBody instanceof GoMap) {
    const w = (key: string): GoValue => wrapBody.entries.get(key);
    wrapInfo = new GoStruct(secretWrapInfoType, [str(w('token')), int(w('ttl')), creationTime(w('creation_time')), str(w('wrapped_accessor'))]);
  }
  const warnings = get('warnings');
  return new GoStruct(secretType, [
    str(get('request_id')), str(get('lease_id')), int(get('lease_duration')), bool(get('renewable')),
    // dependency.updateSecret copies Data and Warnings only when they are not empty: else nil
    data instanceof GoMap && data.entries.size > 0 ? data : new GoMap('map[string]interface {}', 'string', 'interface {}', new Map(), true),
    nilWhenEmpty(warnings instanceof GoSlice ? stringList(warnings) : stringSlice([])),
    auth, wrapInfo,
  ]);
}

const pemMethods = new Map<string, GoFunction>();
/** consul-template's dependency.PemEncoded: what `pkiCert` returns; Data() returns itself so
 *  both {{ .Cert }} and {{ .Data.Cert }} work. */
export const pemEncodedType: StructType = structType('dependency.PemEncoded', [
  { name: 'Cert', type: 'string' },
  { name: 'Key', type: 'string' },
  { name: 'CA', type: 'string' },
  { name: 'CAChain', type: '[]string' },
], pemMethods);
pemMethods.set('Data', fn([], (a) => a[0] ?? null, { returnsError: false }));

/** The PemEncoded of a PKI issue response, as consul-template's VaultPKIQuery builds it from the
 *  PEM blocks in the response (pem.ts). It fetches again, and never renders, while the response
 *  holds no leaf certificate ("needs renewal"): here that is the render's error. */
export function pemFromBody(bodyText: string, path: string): GoStruct | null {
  const secret = secretFromBody(bodyText);
  if (secret === null) return null;
  const data = secret.field('Data');
  const entries = data instanceof GoMap ? [...data.entries].map(([k, v]) => [String(k), v instanceof GoSlice ? v.items : v] as const) : [];
  let bundle: ReturnType<typeof pemBundle>;
  try {
    bundle = pemBundle(entries);
  } catch (error) {
    if (error instanceof PemError) throw goError(`vault.pki(${path}): ${error.message}`);
    throw error;
  }
  if (!bundle.hasCert) throw goError(`vault.pki(${path}): needs renewal (the response holds no certificate that is not a CA)`);
  const chain = bundle.caChain.length > 0 ? stringSlice(bundle.caChain) : new GoSlice('[]string', 'string', [], true);
  return new GoStruct(pemEncodedType, [bundle.cert, bundle.key, bundle.ca, chain]);
}

/** consul-template's path normalisation for Vault queries. */
/** What Go's url.Parse says about a dependency path that it refuses (the read and PKI queries
 *  parse theirs for a ?query), or undefined. */
export function urlParseError(s: string): string | undefined {
  const quoted = goQuote(s);
  if (/[\x00-\x1f\x7f]/.test(s)) return `parse ${quoted}: net/url: invalid control character in URL`;
  let rest = s;
  const hash = rest.indexOf('#');
  if (hash >= 0) rest = rest.slice(0, hash);
  // getScheme: a letter, then letters, digits, + - . up to a colon
  for (let i = 0; i < rest.length; i++) {
    const c = rest[i]!;
    if (/[A-Za-z]/.test(c)) continue;
    if (/[0-9+.-]/.test(c)) { if (i === 0) break; continue; }
    if (c === ':') {
      if (i === 0) return `parse ${quoted}: missing protocol scheme`;
      return undefined; // a scheme: the rest is opaque or an authority, which Go accepts here
    }
    break;
  }
  const query = rest.indexOf('?');
  const path = query >= 0 ? rest.slice(0, query) : rest;
  if (!path.startsWith('/')) {
    const slash = path.indexOf('/');
    if ((slash < 0 ? path : path.slice(0, slash)).includes(':')) return `parse ${quoted}: first path segment in URL cannot contain colon`;
  }
  const badEscape = /%(?![0-9A-Fa-f]{2})(.{0,2})/.exec(path);
  if (badEscape !== null) return `parse ${quoted}: invalid URL escape ${goQuote('%' + badEscape[1]!)}`;
  return undefined;
}

export function normaliseSecretPath(path: string): string {
  return trimSpace(path).replace(/^\/+|\/+$/g, '');
}

/** The same response body yields the same *Secret, as consul-template's brain hands out one
 *  value per dependency (so decoding happens once per fetched body, not once per call). */
class BodyCache<T> {
  private readonly entries = new Map<string, T>();
  constructor(private readonly limit: number, private readonly make: (body: string) => T) {}
  get(body: string): T {
    let value = this.entries.get(body);
    if (value === undefined) {
      if (this.entries.size >= this.limit) this.entries.delete(this.entries.keys().next().value as string);
      value = this.make(body);
      this.entries.set(body, value);
    }
    return value;
  }
}

export function secretFunctions(source: SecretSource, used?: (secret: GoStruct) => void): Map<string, GoFunction> {
  const m = new Map<string, GoFunction>();
  const secrets = new BodyCache<GoStruct | null | GoError>(256, (body) => {
    try {
      return secretFromBody(body);
    } catch (error) {
      if (error instanceof GoError) return error;
      throw error;
    }
  });
  const secretFor = (body: string): GoStruct | null => {
    const value = secrets.get(body);
    if (value instanceof GoError) throw value;
    if (value !== null) used?.(value);
    return value;
  };
  const lists = new BodyCache(64, listKeys);
  m.set('secret', fn(['string'], (args) => {
    if (args.length === 0) return null;
    const rawPath = args[0] as string;
    const path = normaliseSecretPath(rawPath);
    const rest = args.slice(1) as string[];
    if (rest.length === 0) {
      if (path === '') throw goError('vault.read: invalid format: ""');
      const invalid = urlParseError(path);
      if (invalid !== undefined) throw goError(invalid);
      const body = source.read(path);
      return body === undefined ? null : secretFor(body);
    }
    const data: Record<string, string> = {};
    for (const pair of rest) {
      if (pair === '') continue;
      const i = pair.indexOf('=');
      if (i < 0) throw goError(`not k=v pair ${goQuote(pair)}`);
      data[trimSpace(pair.slice(0, i))] = trimSpace(pair.slice(i + 1));
    }
    if (path === '') throw goError('vault.write: invalid format: ""');
    const body = source.write(path, data);
    return body === undefined ? null : secretFor(body);
  }, { variadic: true }));
  m.set('pkiCert', fn(['string'], (args) => {
    if (args.length === 0) return null;
    const path = normaliseSecretPath(args[0] as string);
    const data: Record<string, string> = {};
    for (const pair of args.slice(1) as string[]) {
      if (pair === '') continue;
      const i = pair.indexOf('=');
      if (i < 0) throw goError(`not k=v pair ${goQuote(pair)}`);
      data[trimSpace(pair.slice(0, i))] = trimSpace(pair.slice(i + 1));
    }
    if (path === '') throw goError('vault.read: invalid format: ""');
    const invalid = urlParseError(path);
    if (invalid !== undefined) throw goError(invalid);
    const body = source.write(path, data);
    if (body === undefined) return null;
    try {
      return pemFromBody(body, path);
    } catch (error) {
      if (error instanceof GoError) throw error;
      throw goError('Vault returned a response that is not JSON');
    }
  }, { variadic: true }));
  m.set('secrets', fn(['string'], (args) => {
    // consul-template's result starts as a nil []string: "" and a missing or empty list give nil
    const none = new GoSlice('[]string', 'string', [], true);
    if ((args[0] as string) === '') return none;
    const path = normaliseSecretPath(args[0] as string);
    if (path === '') throw goError('vault.list: invalid format: ""');
    const body = source.list(path);
    if (body === undefined) return none;
    const keys = lists.get(body);
    if (keys instanceof GoError) throw keys;
    // consul-template appends the keys one by one
    return keys.length === 0 ? none : new GoSlice('[]string', 'string', keys.slice(), false, appendedCap(keys.length));
  }));
  return m;
}

/** The sorted `data.keys` of a LIST response (consul-template's `secrets`). */
function listKeys(body: string): string[] | GoError {
  let parsed: GoValue;
  try {
    parsed = goValueFromJson(body, 'json.Number');
  } catch {
    return goError('Vault returned a response that is not JSON');
  }
  const data = parsed instanceof GoMap ? parsed.entries.get('data') : undefined;
  const keys = data instanceof GoMap ? data.entries.get('keys') : undefined;
  const out: string[] = [];
  if (keys instanceof GoSlice) {
    for (const key of keys.items) {
      if (typeof key !== 'string') return goError(`vault.list: expected string key, got ${JSON.stringify(key)}`);
      out.push(key);
    }
  }
  out.sort(compareGoStrings);
  return out;
}
