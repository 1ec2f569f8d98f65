// The agent's code cache file: the SHA-256 of the program it was made from, then V8's data. V8
// checks its data against its own version and flags but against the program only by length, so a
// cache whose digest does not match the program is never handed to it.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

const DIGEST_BYTES = 32;

export const programDigest = (source: string): Buffer => createHash('sha256').update(source).digest();

export const codeCacheFile = (digest: Buffer, v8Data: Buffer): Buffer => Buffer.concat([digest, v8Data]);

/** V8's data from a cache file made for the program with this digest; undefined for any other file. */
export function v8DataFor(digest: Buffer, file: Buffer): Buffer | undefined {
  if (file.length <= DIGEST_BYTES || !file.subarray(0, DIGEST_BYTES).equals(digest)) return undefined;
  return file.subarray(DIGEST_BYTES);
}

/** The cache at `path` for the program with this digest, or undefined (absent, unreadable, another program's). */
export function readCodeCache(path: string, digest: Buffer): Buffer | undefined {
  try {
    return v8DataFor(digest, readFileSync(path));
  } catch {
    return undefined;
  }
}
