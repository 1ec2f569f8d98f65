// Random identifiers in the forms Vault hands out.
import { randomBytes, randomUUID } from 'node:crypto';

const base62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export function randomBase62(length: number): string {
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < 248) out += base62[byte % 62]; // 248 = 4*62: keeps the distribution uniform
      if (out.length === length) break;
    }
  }
  return out;
}

export function uuid(): string {
  return randomUUID();
}

/** A service token as current Vault CE issues them: `hvs.` + 24 base62 characters. */
export function serviceToken(): string {
  return `hvs.${randomBase62(24)}`;
}

export function accessorId(): string {
  return randomBase62(24);
}

/** Database plugin passwords look like `FSREZ1S0kFsZtLat-y94` (20 characters with a dash). */
export function databasePassword(): string {
  const chars = randomBase62(19);
  return `${chars.slice(0, 15)}-${chars.slice(15)}`;
}

export function hex(bytes: number): string {
  return randomBytes(bytes).toString('hex');
}
