// sprig's encryptAES/decryptAES (AES-256-CBC, the password zero-padded or cut to 32 bytes as the
// key, a random IV before the ciphertext, PKCS#7 padding that decrypt strips unchecked, base64)
// and derivePassword (the Master Password algorithm: scrypt and HMAC-SHA256), on node:crypto.
import { createCipheriv, createDecipheriv, createHmac, randomBytes, scryptSync } from 'node:crypto';
import type { GoFunction, GoInt } from '../values.ts';
import { base64Decode, base64Encode, CorruptInputError, STD } from './base64.ts';
import { fn, goError, panicError } from './define.ts';
import { utf8Bytes, utf8String } from './gostrings.ts';

const BLOCK = 16;

function aesKey(password: string): Buffer {
  const key = Buffer.alloc(32);
  Buffer.from(utf8Bytes(password)).copy(key, 0, 0, 32);
  return key;
}

export function encryptAES(password: string, plaintext: string): string {
  if (plaintext === '') return '';
  const content = Buffer.from(utf8Bytes(plaintext));
  const padding = BLOCK - (content.length % BLOCK);
  const padded = Buffer.concat([content, Buffer.alloc(padding, padding)]);
  const iv = randomBytes(BLOCK);
  const cipher = createCipheriv('aes-256-cbc', aesKey(password), iv).setAutoPadding(false);
  return base64Encode(Buffer.concat([iv, cipher.update(padded), cipher.final()]), STD, true);
}

export function decryptAES(password: string, crypt64: string): string {
  if (crypt64 === '') return '';
  let crypt: Uint8Array;
  try {
    crypt = base64Decode(crypt64, STD);
  } catch (error) {
    if (error instanceof CorruptInputError) throw goError(error.message);
    throw error;
  }
  // Go slices and indexes without checks: too short or too much padding is a runtime panic
  if (crypt.length < BLOCK) throw panicError(`slice bounds out of range [:${BLOCK}] with capacity ${crypt.length}`);
  const body = crypt.subarray(BLOCK);
  if (body.length % BLOCK !== 0) throw goError('crypto/cipher: input not full blocks');
  if (body.length === 0) throw panicError('index out of range [-1]');
  const decipher = createDecipheriv('aes-256-cbc', aesKey(password), crypt.subarray(0, BLOCK)).setAutoPadding(false);
  const decrypted = Buffer.concat([decipher.update(body), decipher.final()]);
  const end = decrypted.length - decrypted[decrypted.length - 1]!;
  if (end < 0) throw panicError(`slice bounds out of range [:${end}]`);
  return utf8String(decrypted.subarray(0, end));
}

// The Master Password templates and character classes sprig uses.
const CHARACTERS: Record<string, string> = {
  V: 'AEIOU',
  C: 'BCDFGHJKLMNPQRSTVWXYZ',
  v: 'aeiou',
  c: 'bcdfghjklmnpqrstvwxyz',
  A: 'AEIOUBCDFGHJKLMNPQRSTVWXYZ',
  a: 'AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz',
  n: '0123456789',
  o: "@&%?,=[]_:-+*$#!'^~;()/.",
  x: 'AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz0123456789!@#$%^&*()',
};
const TEMPLATES: Record<string, string[]> = {
  maximum: ['anoxxxxxxxxxxxxxxxxx', 'axxxxxxxxxxxxxxxxxno'],
  long: ['CvcvnoCvcvCvcv', 'CvcvCvcvnoCvcv', 'CvcvCvcvCvcvno', 'CvccnoCvcvCvcv', 'CvccCvcvnoCvcv', 'CvccCvcvCvcvno', 'CvcvnoCvccCvcv', 'CvcvCvccnoCvcv',
    'CvcvCvccCvcvno', 'CvcvnoCvcvCvcc', 'CvcvCvcvnoCvcc', 'CvcvCvcvCvccno', 'CvccnoCvccCvcv', 'CvccCvccnoCvcv', 'CvccCvccCvcvno', 'CvcvnoCvccCvcc',
    'CvcvCvccnoCvcc', 'CvcvCvccCvccno', 'CvccnoCvcvCvcc', 'CvccCvcvnoCvcc', 'CvccCvcvCvccno'],
  medium: ['CvcnoCvc', 'CvcCvcno'],
  short: ['Cvcn'],
  basic: ['aaanaaan', 'aannaaan', 'aaannaaa'],
  pin: ['nnnn'],
};
const SEED = Buffer.from('com.lyndir.masterpassword');

function uint32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
}

export function derivePassword(counter: number, passwordType: string, password: string, user: string, site: string): string {
  const templates = Object.hasOwn(TEMPLATES, passwordType) ? TEMPLATES[passwordType]! : undefined;
  if (templates === undefined) return `cannot find password template ${passwordType}`;
  const userBytes = Buffer.from(utf8Bytes(user));
  const siteBytes = Buffer.from(utf8Bytes(site));
  const salt = Buffer.concat([SEED, uint32(userBytes.length), userBytes]);
  // N=32768, r=8 takes 32 MiB: over Node's default scrypt memory limit
  const key = scryptSync(Buffer.from(utf8Bytes(password)), salt, 64, { N: 32768, r: 8, p: 2, maxmem: 64 * 1024 * 1024 });
  const seed = createHmac('sha256', key).update(Buffer.concat([SEED, uint32(siteBytes.length), siteBytes, uint32(counter)])).digest();
  const template = templates[seed[0]! % templates.length]!;
  return Array.from(template, (element, i) => {
    const chars = CHARACTERS[element]!;
    return chars[seed[i + 1]! % chars.length]!;
  }).join('');
}

export function cryptoFunctions(): Map<string, GoFunction> {
  return new Map<string, GoFunction>([
    ['encryptAES', fn(['string', 'string'], (a) => encryptAES(a[0] as string, a[1] as string))],
    ['decryptAES', fn(['string', 'string'], (a) => decryptAES(a[0] as string, a[1] as string))],
    ['derivePassword', fn(['uint32', 'string', 'string', 'string', 'string'], (a) =>
      derivePassword(Number((a[0] as GoInt).value), a[1] as string, a[2] as string, a[3] as string, a[4] as string), { returnsError: false })],
  ]);
}
