// KV version 2 (README §3.2–3.4): data/, metadata/, delete/, undelete/, destroy/, config.
import { formatRfc3339, goDuration, parseDurationSeconds } from './clock.ts';
import { childKeys, type KvDeps } from './kv-v1.ts';
import type { Backend, RequestContext } from './mounts.ts';
import { float64Json, memberOf, parseJsonNode, parseObject, RawJson, stringLeaves } from './raw-json.ts';
import { badRequest, envelope, errorReply, noContent, notFound, ok, unsupportedOperation, type Reply, type VaultRequest } from './wire.ts';

interface Version {
  /** Canonical JSON object text, null once destroyed. */
  data: string | null;
  createdAt: number;
  deletedAt: number | undefined;
  destroyed: boolean;
}

interface KeyMetadata {
  versions: Map<number, Version>;
  currentVersion: number;
  oldestVersion: number;
  maxVersions: number;
  casRequired: boolean;
  deleteVersionAfter: number;
  customMetadata: Record<string, string> | null;
  createdAt: number;
  updatedAt: number;
}

const defaultMaxVersions = 10;

export class KvV2Backend implements Backend {
  private readonly keys = new Map<string, KeyMetadata>();
  private config = { maxVersions: 0, casRequired: false, deleteVersionAfter: 0 };

  constructor(private readonly deps: KvDeps) {}

  exists(subpath: string): boolean | undefined {
    const [section, key] = split(subpath);
    if (section === 'data' || section === 'metadata') return this.keys.has(key);
    return undefined;
  }

  /** Writes a new version (seeding); returns an error message when `jsonText` is not an object. */
  put(path: string, jsonText: string): string | undefined {
    const node = parseJsonNode(jsonText);
    if (node?.kind !== 'object') return 'data must be a JSON object';
    this.writeVersion(path.replace(/^\/+/, ''), float64Json(node));
    return undefined;
  }

  handle(request: VaultRequest, context: RequestContext): Reply {
    const [section, key] = split(context.subpath);
    switch (section) {
      case 'data':
        return this.data(request, key);
      case 'metadata':
        return this.metadata(request, key);
      case 'delete':
      case 'undelete':
      case 'destroy':
        return this.versionsOp(request, section, key);
      case 'config':
        return this.configOp(request);
      default:
        return invalidPath(request);
    }
  }

  private writeVersion(key: string, text: string): { metadata: KeyMetadata; version: number } {
    const now = this.deps.now();
    let metadata = this.keys.get(key);
    if (metadata === undefined) {
      metadata = {
        versions: new Map(), currentVersion: 0, oldestVersion: 0, maxVersions: 0, casRequired: false,
        deleteVersionAfter: 0, customMetadata: null, createdAt: now, updatedAt: now,
      };
      this.keys.set(key, metadata);
    }
    const version = metadata.currentVersion + 1;
    const deleteAfter = metadata.deleteVersionAfter || this.config.deleteVersionAfter;
    metadata.versions.set(version, { data: text, createdAt: now, deletedAt: deleteAfter > 0 ? now + deleteAfter * 1000 : undefined, destroyed: false });
    metadata.currentVersion = version;
    metadata.updatedAt = now;
    if (metadata.oldestVersion === 0) metadata.oldestVersion = 1;
    const limit = metadata.maxVersions || this.config.maxVersions || defaultMaxVersions;
    while (metadata.versions.size > limit) {
      metadata.versions.delete(metadata.oldestVersion);
      metadata.oldestVersion++;
    }
    return { metadata, version };
  }

  private versionMetadata(metadata: KeyMetadata, number: number, version: Version): Record<string, unknown> {
    return {
      created_time: formatRfc3339(version.createdAt),
      custom_metadata: metadata.customMetadata === null ? null : { ...metadata.customMetadata },
      deletion_time: version.deletedAt === undefined ? '' : formatRfc3339(version.deletedAt),
      destroyed: version.destroyed,
      version: number,
    };
  }

  private data(request: VaultRequest, key: string): Reply {
    switch (request.operation) {
      case 'read': {
        const metadata = this.keys.get(key);
        if (metadata === undefined) return notFound();
        const requested = Number.parseInt(request.query.get('version') ?? '0', 10);
        const number = Number.isFinite(requested) && requested > 0 ? requested : metadata.currentVersion;
        const version = metadata.versions.get(number);
        if (version === undefined) return notFound();
        const versionMetadata = this.versionMetadata(metadata, number, version);
        const deleted = version.deletedAt !== undefined && version.deletedAt <= this.deps.now();
        if (deleted || version.destroyed || version.data === null) {
          // The plugin marshals this body itself, so mount_type is "" (DERIVED fixtures).
          return { status: 404, body: envelope({ data: { data: null, metadata: versionMetadata }, mountType: '' }) };
        }
        for (const value of stringLeaves(parseObject(version.data))) this.deps.onIssued(value);
        return ok({ data: { data: new RawJson(version.data), metadata: versionMetadata }, mountType: 'kv' });
      }
      case 'create':
      case 'update': {
        const node = parseJsonNode(request.bodyText.trim() === '' ? '{}' : request.bodyText);
        const dataNode = node === undefined ? undefined : memberOf(node, 'data');
        if (dataNode === undefined || dataNode.kind !== 'object') return badRequest('no data provided');
        const existing = this.keys.get(key);
        const cas = request.body['options'] !== null && typeof request.body['options'] === 'object'
          ? (request.body['options'] as Record<string, unknown>)['cas']
          : undefined;
        const casRequired = this.config.casRequired || (existing?.casRequired ?? false);
        if (cas === undefined && casRequired) return badRequest('check-and-set parameter required for this call');
        if (cas !== undefined && Number(cas) !== (existing?.currentVersion ?? 0)) {
          return badRequest('check-and-set parameter did not match the current version');
        }
        const { metadata, version } = this.writeVersion(key, float64Json(dataNode));
        const stored = metadata.versions.get(version);
        if (stored === undefined) return errorReply(500, 'internal error');
        return ok({ data: this.versionMetadata(metadata, version, stored), mountType: 'kv' });
      }
      case 'delete': {
        const metadata = this.keys.get(key);
        const latest = metadata?.versions.get(metadata.currentVersion);
        if (latest !== undefined && latest.deletedAt === undefined) latest.deletedAt = this.deps.now();
        return noContent();
      }
      case 'list':
        return unsupportedOperation();
      default:
        return unsupportedOperation();
    }
  }

  private metadata(request: VaultRequest, key: string): Reply {
    switch (request.operation) {
      case 'list':
        return listReply(childKeys(this.keys.keys(), key));
      case 'read': {
        const metadata = this.keys.get(key);
        if (metadata === undefined) return notFound();
        const versions: Record<string, unknown> = {};
        for (const [number, version] of metadata.versions) {
          versions[String(number)] = {
            created_time: formatRfc3339(version.createdAt),
            deletion_time: version.deletedAt === undefined ? '' : formatRfc3339(version.deletedAt),
            destroyed: version.destroyed,
          };
        }
        return ok({
          data: {
            cas_required: metadata.casRequired,
            created_time: formatRfc3339(metadata.createdAt),
            current_version: metadata.currentVersion,
            custom_metadata: metadata.customMetadata === null ? null : { ...metadata.customMetadata },
            delete_version_after: goDuration(metadata.deleteVersionAfter),
            max_versions: metadata.maxVersions,
            oldest_version: metadata.oldestVersion,
            updated_time: formatRfc3339(metadata.updatedAt),
            versions,
          },
          mountType: 'kv',
        });
      }
      case 'create':
      case 'update': {
        let metadata = this.keys.get(key);
        if (metadata === undefined) {
          const now = this.deps.now();
          metadata = { versions: new Map(), currentVersion: 0, oldestVersion: 0, maxVersions: 0, casRequired: false, deleteVersionAfter: 0, customMetadata: null, createdAt: now, updatedAt: now };
          this.keys.set(key, metadata);
        }
        const body = request.body;
        if (body['max_versions'] !== undefined) metadata.maxVersions = Number(body['max_versions']) || 0;
        if (body['cas_required'] !== undefined) metadata.casRequired = body['cas_required'] === true || body['cas_required'] === 'true';
        if (body['delete_version_after'] !== undefined) metadata.deleteVersionAfter = parseDurationSeconds(body['delete_version_after']) ?? 0;
        const custom = body['custom_metadata'];
        if (custom !== undefined && custom !== null && typeof custom === 'object') {
          metadata.customMetadata = Object.fromEntries(Object.entries(custom).map(([name, value]) => [name, String(value)]));
        }
        return noContent();
      }
      case 'delete':
        this.keys.delete(key);
        return noContent();
      default:
        return unsupportedOperation();
    }
  }

  private versionsOp(request: VaultRequest, op: 'delete' | 'undelete' | 'destroy', key: string): Reply {
    if (request.operation !== 'create' && request.operation !== 'update') return unsupportedOperation();
    const raw = request.body['versions'];
    const numbers = (Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(',') : []).map((item) => Number(item)).filter((item) => Number.isInteger(item) && item > 0);
    if (numbers.length === 0) return badRequest('no version number provided');
    const metadata = this.keys.get(key);
    if (metadata === undefined) return noContent();
    for (const number of numbers) {
      const version = metadata.versions.get(number);
      if (version === undefined) continue;
      if (op === 'delete' && version.deletedAt === undefined) version.deletedAt = this.deps.now();
      if (op === 'undelete' && !version.destroyed) version.deletedAt = undefined;
      if (op === 'destroy') {
        version.destroyed = true;
        version.data = null;
      }
    }
    return noContent();
  }

  private configOp(request: VaultRequest): Reply {
    if (request.operation === 'read') {
      return ok({
        data: { cas_required: this.config.casRequired, delete_version_after: goDuration(this.config.deleteVersionAfter), max_versions: this.config.maxVersions },
        mountType: 'kv',
      });
    }
    if (request.operation === 'create' || request.operation === 'update') {
      const body = request.body;
      if (body['max_versions'] !== undefined) this.config.maxVersions = Number(body['max_versions']) || 0;
      if (body['cas_required'] !== undefined) this.config.casRequired = body['cas_required'] === true || body['cas_required'] === 'true';
      if (body['delete_version_after'] !== undefined) this.config.deleteVersionAfter = parseDurationSeconds(body['delete_version_after']) ?? 0;
      return noContent();
    }
    return unsupportedOperation();
  }
}

function split(subpath: string): [string, string] {
  const slash = subpath.indexOf('/');
  return slash < 0 ? [subpath, ''] : [subpath.slice(0, slash), subpath.slice(slash + 1)];
}

function listReply(keys: string[]): Reply {
  return keys.length === 0 ? notFound() : ok({ data: { keys }, mountType: 'kv' });
}

/** A v1-style path on a v2 mount: 404 carrying a warning (KV backend.go, README §3.4). */
function invalidPath(request: VaultRequest): Reply {
  const verb = request.operation === 'read' ? 'get' : request.operation === 'list' ? 'list' : request.operation === 'delete' ? 'delete' : 'put';
  return {
    status: 404,
    body: envelope({
      warnings: [`Invalid path for a versioned K/V secrets engine. See the API docs for the appropriate API endpoints to use. If using the Vault CLI, use 'vault kv ${verb}' for this operation.`],
      mountType: 'kv',
    }),
  };
}
