// Secret requests and the Vault paths they become (pure). A request is what a template asked for
// (`secret "secret/db"`, `secret "pki/issue/web" "common_name=a"`, `secrets "secret/"`); its key
// dedupes it across templates; KV v2 mounts rewrite its path as consul-template's shimKVv2Path does.

export type SecretRequest =
  | { kind: 'read'; path: string }
  | { kind: 'write'; path: string; data: Readonly<Record<string, string>> }
  | { kind: 'list'; path: string };

/** One string per distinct request: the same path read by two templates is fetched once. */
export function requestKey(request: SecretRequest): string {
  if (request.kind !== 'write') return `${request.kind} ${request.path}`;
  const data = Object.keys(request.data)
    .sort()
    .map((key) => [key, request.data[key]]);
  return `write ${request.path} ${JSON.stringify(data)}`;
}

/** How messages name a request: the path, with `write`/`list` spelled out when it is not a read. */
export function describeRequest(request: SecretRequest): string {
  if (request.kind === 'read') return request.path;
  if (request.kind === 'list') return `${request.path} (list)`;
  return `${request.path} (write ${Object.keys(request.data).sort().join(', ')})`;
}

/** `secret/foo?version=2` → path `secret/foo`, query `version=2`. */
export function splitQuery(path: string): { path: string; query: string } {
  const index = path.indexOf('?');
  return index < 0 ? { path, query: '' } : { path: path.slice(0, index), query: path.slice(index + 1) };
}

/** The KV v2 read path: `secret/foo` → `secret/data/foo` on mount `secret/`; paths already under
 *  data/, metadata/ or subkeys/ are kept; the mount root reads `secret/data`. */
export function shimKvV2Path(rawPath: string, mountPath: string): string {
  const mount = mountPath.endsWith('/') ? mountPath : `${mountPath}/`;
  if (rawPath === mount || rawPath === mount.slice(0, -1)) return `${mount}data`;
  if (!rawPath.startsWith(mount)) return rawPath;
  const rest = rawPath.slice(mount.length);
  if (rest.startsWith('data/') || rest.startsWith('metadata/') || rest.startsWith('subkeys/')) return rawPath;
  return joinPath(mount, 'data', rest);
}

/** The KV v2 list path: `secret/foo` → `secret/metadata/foo`. As consul-template's shimKvV2ListPath, a path
 *  that starts with `<mount>metadata` (a plain string prefix) is kept, so `secret/metadata` lists the mount root. */
export function shimKvV2ListPath(rawPath: string, mountPath: string): string {
  const mount = mountPath.endsWith('/') ? mountPath : `${mountPath}/`;
  if (rawPath.startsWith(`${mount}metadata`)) return rawPath;
  if (rawPath === mount || rawPath === mount.slice(0, -1)) return `${mount}metadata`;
  if (!rawPath.startsWith(mount)) return rawPath;
  return joinPath(mount, 'metadata', rawPath.slice(mount.length));
}

function joinPath(...parts: string[]): string {
  return parts
    .join('/')
    .split('/')
    .filter((segment) => segment !== '')
    .join('/');
}

export interface VaultCall {
  method: 'read' | 'write' | 'list';
  /** Path under /v1/, with `?query` when the request had one. */
  path: string;
  body?: Record<string, unknown>;
}

/** The HTTP call for a request, given the KV v2 mount that holds it (undefined: not KV v2). */
export function vaultCallFor(request: SecretRequest, kvV2Mount: string | undefined): VaultCall {
  const { path, query } = splitQuery(request.path);
  const withQuery = (p: string) => (query === '' ? p : `${p}?${query}`);
  if (request.kind === 'list') return { method: 'list', path: withQuery(kvV2Mount === undefined ? path : shimKvV2ListPath(path, kvV2Mount)) };
  if (request.kind === 'read') return { method: 'read', path: withQuery(kvV2Mount === undefined ? path : shimKvV2Path(path, kvV2Mount)) };
  if (kvV2Mount === undefined) return { method: 'write', path: withQuery(path), body: { ...request.data } };
  return { method: 'write', path: withQuery(shimKvV2Path(path, kvV2Mount)), body: { data: { ...request.data } } };
}

/** The mount (from a cache of known KV mounts) that holds a path, longest match first. */
export function mountFor(path: string, knownMounts: Iterable<string>): string | undefined {
  let best: string | undefined;
  for (const mount of knownMounts) {
    const withSlash = mount.endsWith('/') ? mount : `${mount}/`;
    if ((path.startsWith(withSlash) || `${path}/` === withSlash) && (best === undefined || withSlash.length > best.length)) best = withSlash;
  }
  return best;
}
