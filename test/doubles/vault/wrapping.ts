// Response wrapping (README §8): X-Vault-Wrap-TTL stores the response behind a single-use token;
// sys/wrapping/{wrap,unwrap,lookup}. Fixtures: sys-wrapping-*.json.
import { formatRfc3339, type Clock } from './clock.ts';
import type { TokenStore } from './tokens.ts';
import { badRequest, type Reply } from './wire.ts';

interface Wrapped {
  body: unknown;
  creationPath: string;
  creationTime: number;
  ttl: number;
}

/** Vault's built-in policy for wrapping tokens. */
export const responseWrappingPolicyText = `
path "cubbyhole/response" {
    capabilities = ["create", "read"]
}

path "sys/wrapping/unwrap" {
    capabilities = ["update"]
}
`;

const invalidToken = 'wrapping token is not valid or does not exist';

export class WrappingStore {
  private readonly wrapped = new Map<string, Wrapped>();

  constructor(private readonly now: Clock, private readonly tokens: TokenStore) {}

  /** The wrap_info-only answer for `body` (sys-wrapping-wrap.response.json). */
  wrap(body: unknown, ttl: number, creationPath: string): Reply {
    const { entry } = this.tokens.create({
      policies: ['response-wrapping'], displayName: 'response-wrapping', path: creationPath,
      ttl, maxTtl: ttl, renewable: false, orphan: true,
    });
    const creationTime = this.now();
    this.wrapped.set(entry.id, { body, creationPath, creationTime, ttl });
    const wrappedAuth = typeof body === 'object' && body !== null ? (body as { auth?: { accessor?: unknown } }).auth : undefined;
    return {
      status: 200,
      body: {
        request_id: '',
        lease_id: '',
        lease_duration: 0,
        renewable: false,
        data: null,
        warnings: null,
        wrap_info: {
          token: entry.id,
          accessor: entry.accessor,
          ttl,
          creation_time: formatRfc3339(creationTime),
          creation_path: creationPath,
          ...(typeof wrappedAuth?.accessor === 'string' ? { wrapped_accessor: wrappedAuth.accessor } : {}),
        },
        auth: null,
        mount_type: '',
      },
    };
  }

  /** The original response, once; then the token is gone. */
  unwrap(token: string | undefined): Reply {
    const record = this.live(token);
    if (record === undefined || token === undefined) return badRequest(invalidToken);
    this.wrapped.delete(token);
    this.tokens.revoke(token);
    return { status: 200, body: record.body };
  }

  lookup(token: string | undefined): { ok: true; data: Record<string, unknown> } | { ok: false; reply: Reply } {
    const record = this.live(token);
    if (record === undefined) return { ok: false, reply: badRequest(invalidToken) };
    return { ok: true, data: { creation_path: record.creationPath, creation_time: formatRfc3339(record.creationTime), creation_ttl: record.ttl } };
  }

  private live(token: string | undefined): Wrapped | undefined {
    if (token === undefined || this.tokens.lookup(token) === undefined) return undefined;
    return this.wrapped.get(token);
  }
}
