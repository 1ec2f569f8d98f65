// sprig's bcrypt and htpasswd: golang.org/x/crypto/bcrypt at its default cost (10), with Go's
// "$2a$" prefix and its refusal of passwords over 72 bytes (bcryptjs would cut them silently).
// bcryptjs: a well-kept bcrypt in plain JavaScript (no native build in the agent image).
import bcryptjs from 'bcryptjs';
import type { GoFunction } from '../values.ts';
import { fn } from './define.ts';
import { utf8Bytes } from './gostrings.ts';

const DEFAULT_COST = 10;

export function goBcrypt(input: string): string {
  if (utf8Bytes(input).length > 72) return 'failed to encrypt string with bcrypt: bcrypt: password length exceeds 72 bytes';
  // the salt's version letter is what the hash is labelled with; 2a and 2b hash alike below 255 bytes
  const salt = bcryptjs.genSaltSync(DEFAULT_COST).replace(/^\$2b\$/, '$2a$');
  return bcryptjs.hashSync(input, salt);
}

export function htpasswd(username: string, password: string): string {
  if (username.includes(':')) return `invalid username: ${username}`;
  return `${username}:${goBcrypt(password)}`;
}

export function bcryptFunctions(): Map<string, GoFunction> {
  return new Map<string, GoFunction>([
    ['bcrypt', fn(['string'], (a) => goBcrypt(a[0] as string), { returnsError: false })],
    ['htpasswd', fn(['string', 'string'], (a) => htpasswd(a[0] as string, a[1] as string), { returnsError: false })],
  ]);
}
