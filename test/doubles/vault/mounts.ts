// The mount table: secrets engines at `<path>/` and auth methods at `auth/<path>/`.
import { hex, uuid } from './ids.ts';
import type { TokenEntry } from './tokens.ts';
import type { Reply, VaultRequest } from './wire.ts';

export interface RequestContext {
  /** The calling token's live entry (undefined for unauthenticated paths such as login). */
  token: TokenEntry | undefined;
  mount: MountEntry;
  /** The request path relative to the mount (no leading `/`). */
  subpath: string;
}

export interface Backend {
  handle(request: VaultRequest, context: RequestContext): Reply | Promise<Reply>;
  /**
   * Vault's existence check: decides create vs update for POST/PUT. Returns undefined (or is absent)
   * for paths without an existence check, which Vault treats as update.
   */
  exists?(subpath: string): boolean | undefined;
  /** Sub-paths reachable without a token (auth methods' login). */
  unauthenticated?(subpath: string): boolean;
}

export interface MountEntry {
  /** With trailing slash: `secret/`, `auth/kubernetes/`, `sys/`. */
  readonly path: string;
  readonly type: string;
  readonly accessor: string;
  readonly uuid: string;
  readonly description: string;
  readonly options: Record<string, string> | null;
  readonly local: boolean;
  readonly backend: Backend;
}

export class MountTable {
  private readonly entries = new Map<string, MountEntry>();

  /** `path` without trailing slash (`secret`, `auth/kubernetes`). Replaces an existing mount. */
  mount(path: string, type: string, backend: Backend, options: Record<string, string> | null = null, description = ''): MountEntry {
    const normalized = `${path.replace(/^\/+|\/+$/g, '')}/`;
    const accessorPrefix = normalized.startsWith('auth/') ? `auth_${type}` : type;
    const entry: MountEntry = {
      path: normalized, type, accessor: `${accessorPrefix}_${hex(4)}`, uuid: uuid(), description, options,
      local: type === 'cubbyhole', backend,
    };
    this.entries.set(normalized, entry);
    return entry;
  }

  get(path: string): MountEntry | undefined {
    return this.entries.get(`${path.replace(/^\/+|\/+$/g, '')}/`);
  }

  /** Longest-prefix match, as Vault's router does. */
  route(path: string): MountEntry | undefined {
    let best: MountEntry | undefined;
    for (const entry of this.entries.values()) {
      const matches = path.startsWith(entry.path) || `${path}/` === entry.path;
      if (matches && (best === undefined || entry.path.length > best.path.length)) best = entry;
    }
    return best;
  }

  all(): MountEntry[] {
    return [...this.entries.values()];
  }
}
