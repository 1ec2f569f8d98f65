// The cache key of a proxied request, as Vault Agent's lease cache computes it (computeIndexID in
// command/agentproxyshared/cache/lease_cache.go): a hash of the whole request as sent (method,
// path with query, headers, body) followed by the token the request is made with. So the same
// read with another token, another body or another namespace header is another entry.
import { createHash } from 'node:crypto';

export interface ProxiedRequest {
  method: string;
  /** Path with its query string, e.g. `/v1/database/creds/app?x=1`. */
  url: string;
  /** Header names lower-cased; X-Vault-Token is not among them (the token is `token`). */
  headers: Readonly<Record<string, string>>;
  body: Buffer;
  /** The token the request goes to Vault with ('' for none). */
  token: string;
}

/** Per-connection headers: they say how this hop was made, not what is asked. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'content-length']);

export function cacheKey(request: ProxiedRequest): string {
  const hash = createHash('sha256');
  hash.update(`${request.method.toUpperCase()} ${request.url}\n`);
  for (const name of Object.keys(request.headers).sort()) {
    if (HOP_BY_HOP.has(name)) continue;
    hash.update(`${name}: ${request.headers[name]}\n`);
  }
  // Lengths keep body and token apart: "ab"+"c" and "a"+"bc" are different requests.
  hash.update(`\n${request.body.length}\n`);
  hash.update(request.body);
  hash.update(request.token);
  return hash.digest('hex');
}
