// KV version 1 (README §3.1; fixtures kv1-read, kv1-list, kv1-write).
import type { Clock } from './clock.ts';
import { parseDurationSeconds } from './clock.ts';
import type { Backend, RequestContext } from './mounts.ts';
import { canonicalJson, parseJsonNode, parseObject, RawJson, stringLeaves } from './raw-json.ts';
import { systemDefaultTtl } from './tokens.ts';
import { badRequest, listReply, noContent, notFound, ok, unsupportedOperation, type Reply, type VaultRequest } from './wire.ts';

export interface KvDeps {
  now: Clock;
  onIssued: (value: string) => void;
}

export class KvV1Backend implements Backend {
  /** Canonical JSON object text per key (numbers keep their text). */
  private readonly entries = new Map<string, string>();

  constructor(private readonly deps: KvDeps) {}

  exists(subpath: string): boolean {
    return this.entries.has(subpath);
  }

  /** Stores a JSON object text; returns an error message when it is not a JSON object. */
  put(path: string, jsonText: string): string | undefined {
    const node = parseJsonNode(jsonText);
    if (node?.kind !== 'object') return 'data must be a JSON object';
    this.entries.set(path.replace(/^\/+/, ''), canonicalJson(node));
    return undefined;
  }

  handle(request: VaultRequest, context: RequestContext): Reply {
    const key = context.subpath;
    switch (request.operation) {
      case 'read': {
        const text = this.entries.get(key);
        if (text === undefined) return notFound();
        const data = parseObject(text) ?? {};
        for (const value of stringLeaves(data)) this.deps.onIssued(value);
        // lease_duration is advisory: the `ttl` (or `lease`) key, else the mount default.
        const advisory = parseDurationSeconds(data['ttl'] ?? data['lease']);
        const leaseDuration = advisory !== undefined && advisory > 0 ? advisory : systemDefaultTtl;
        return ok({ data: new RawJson(text), leaseDuration, mountType: 'kv' });
      }
      case 'list':
        return listReply(childKeys(this.entries.keys(), key), 'kv');
      case 'create':
      case 'update': {
        const node = parseJsonNode(request.bodyText.trim() === '' ? '{}' : request.bodyText);
        if (node?.kind !== 'object' || node.members.length === 0) return badRequest('missing data fields');
        this.entries.set(key, canonicalJson(node));
        return noContent();
      }
      case 'delete':
        this.entries.delete(key);
        return noContent();
      default:
        return unsupportedOperation();
    }
  }
}

/** Immediate children of `prefix` among `keys`; folders end in `/` (kv1-list.response.json). */
export function childKeys(keys: Iterable<string>, rawPrefix: string): string[] {
  const prefix = rawPrefix === '' || rawPrefix.endsWith('/') ? rawPrefix : `${rawPrefix}/`;
  const children = new Set<string>();
  for (const key of keys) {
    if (!key.startsWith(prefix)) continue;
    const rest = key.slice(prefix.length);
    const slash = rest.indexOf('/');
    children.add(slash < 0 ? rest : rest.slice(0, slash + 1));
  }
  children.delete('');
  return [...children].sort();
}
