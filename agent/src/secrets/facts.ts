// What the agent needs to know about a fetched secret to keep it fresh (pure): its lease, whether
// it is a soft-deleted or destroyed KV v2 version (consul-template treats those as missing), and a
// certificate's expiration.

export interface SecretFacts {
  leaseId: string;
  leaseDurationSeconds: number;
  renewable: boolean;
  /** PKI `expiration` (unix seconds), for certificates issued without a lease. */
  expirationUnixSeconds: number | undefined;
  /** KV v2 version deleted (deletion_time in the past) or destroyed: no secret exists. */
  deleted: boolean;
}

export function secretFacts(body: unknown, nowMs: number): SecretFacts {
  const envelope = isObject(body) ? body : {};
  const data = isObject(envelope['data']) ? envelope['data'] : undefined;
  const expiration = data?.['expiration'];
  return {
    leaseId: typeof envelope['lease_id'] === 'string' ? envelope['lease_id'] : '',
    leaseDurationSeconds: typeof envelope['lease_duration'] === 'number' ? envelope['lease_duration'] : 0,
    renewable: envelope['renewable'] === true,
    expirationUnixSeconds: typeof expiration === 'number' ? expiration : typeof expiration === 'string' && /^\d+$/.test(expiration) ? Number(expiration) : undefined,
    deleted: isDeletedKvV2(data, nowMs),
  };
}

function isDeletedKvV2(data: Record<string, unknown> | undefined, nowMs: number): boolean {
  if (data === undefined || !('metadata' in data) || !('data' in data)) return false;
  const metadata = data['metadata'];
  if (!isObject(metadata)) return false;
  if (metadata['destroyed'] === true) return true;
  const deletionTime = metadata['deletion_time'];
  if (typeof deletionTime !== 'string' || deletionTime === '') return false;
  const at = Date.parse(deletionTime);
  return Number.isFinite(at) && at <= nowMs;
}

/** The strings of a secret that must never be logged: every leaf of `data` (for KV v2 only the
 *  user's `data.data`, not the version metadata), `auth.client_token` and a wrapping token. */
export function secretStrings(body: unknown): string[] {
  const found: string[] = [];
  const walk = (value: unknown): void => {
    if (typeof value === 'string') {
      if (!/^(true|false|null)$/.test(value)) found.push(value);
    } else if (Array.isArray(value)) value.forEach(walk);
    else if (isObject(value)) Object.values(value).forEach(walk);
  };
  if (!isObject(body)) return found;
  const data = body['data'];
  if (isObject(data) && 'metadata' in data && 'data' in data && isObject(data['metadata'])) walk(data['data']);
  else walk(data);
  if (isObject(body['auth'])) walk(body['auth']['client_token']);
  if (isObject(body['wrap_info'])) walk(body['wrap_info']['token']);
  return found;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
