// writeToFile in the agent: consul-template's behaviour (create or append, mkdir -p unless
// appending, optional newline, chown to a user/group name or id, chmod) with two differences that
// keep a tenant inside its pod's secrets volume and readers safe:
// - the path must stay inside the volume, checked on the real path on disk too (no symlink
//   leading out), and a relative path is taken from the volume;
// - the file is replaced atomically (temporary file, chown, chmod, rename), so a reader never
//   sees a partial file, and a chown the agent cannot do leaves nothing written.
// Synchronous: template functions run inside one synchronous execution, as in Go.
import { closeSync, fchmodSync, fchownSync, fsyncSync, lstatSync, mkdirSync, openSync, readFileSync, realpathSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { checkWritePath, describeVolumes, isWithin } from './write-rule.ts';
import type { FileWriteRequest } from '../template/functions/types.ts';
import { encodeGoString } from '../template/gostring.ts';

/** Go's syscall.Errno texts for the errors a write can meet. */
const ERRNO_TEXT: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or directory', EACCES: 'permission denied', EPERM: 'operation not permitted', EISDIR: 'is a directory',
  ENOTDIR: 'not a directory', EROFS: 'read-only file system', ENOSPC: 'no space left on device', EEXIST: 'file exists',
  ELOOP: 'too many levels of symbolic links', ENAMETOOLONG: 'file name too long', EDQUOT: 'disk quota exceeded', EINVAL: 'invalid argument',
};

function errorCode(error: unknown): string {
  return typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : '';
}

/** Go's *PathError text: `open /vault/secrets/x: permission denied`. */
function pathError(op: string, path: string, error: unknown): Error {
  const code = errorCode(error);
  return new Error(`${op} ${path}: ${ERRNO_TEXT[code] ?? (code === '' ? String(error) : code.toLowerCase())}`);
}

function exists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return false;
    throw error;
  }
}

/** os/user's pure-Go lookups read /etc/passwd and /etc/group the same way. */
function lookupId(file: string, name: string): number | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  for (const line of text.split('\n')) {
    const fields = line.split(':');
    if (fields[0] === name && fields.length >= 3) {
      const id = Number(fields[2]);
      return Number.isInteger(id) ? id : undefined;
    }
  }
  return undefined;
}

/** consul-template: a name, else a number (strconv.Atoi), else the lookup's error. */
function resolveId(kind: 'user' | 'group', name: string, current: number, files: AccountFiles): number {
  if (name === '') return current;
  const id = lookupId(kind === 'user' ? files.passwd : files.group, name);
  if (id !== undefined) return id;
  if (/^[+-]?[0-9]+$/.test(name) && Number.isSafeInteger(Number(name))) return Number(name);
  throw new Error(`${kind}: unknown ${kind} ${name}`);
}

export interface AccountFiles { passwd: string; group: string }
const SYSTEM_ACCOUNTS: AccountFiles = { passwd: '/etc/passwd', group: '/etc/group' };

/** The real path `resolved` will be written at, after checking that every part of it that
 *  exists on disk stays inside the volume's real directory. */
function realDestination(request: FileWriteRequest, resolved: string, volume: string, volumes: readonly string[]): string {
  let realVolume: string;
  try {
    realVolume = realpathSync(volume);
  } catch (error) {
    throw new Error(`writeToFile: ${describeVolumes(volumes)} cannot be used: ${pathError('stat', volume, error).message}`);
  }
  const escape = (real: string): Error => new Error(`writeToFile: ${JSON.stringify(request.path)} resolves to ${JSON.stringify(real)}, outside ${describeVolumes(volumes)}; a template may only write files inside it`);
  // the deepest part that exists (the file itself, or the directory above the ones to create)
  let existing = resolved;
  const missing: string[] = [];
  while (!exists(existing)) {
    missing.unshift(basename(existing));
    existing = dirname(existing);
  }
  let real: string;
  try {
    real = realpathSync(existing);
  } catch (error) {
    throw pathError('open', request.path, error); // a dangling symbolic link
  }
  if (!isWithin(real, realVolume) || (missing.length === 0 && real === realVolume)) throw escape(real);
  return missing.length === 0 ? real : join(real, ...missing);
}

export interface VolumeWriterOptions {
  /** Where user and group names are looked up (tests). */
  accounts?: AccountFiles;
}

/** The agent's writeToFile: throws Error with Go's message or the reason the path is refused. */
export function createVolumeWriter(volumes: readonly string[], options: VolumeWriterOptions = {}): (request: FileWriteRequest) => void {
  const accounts = options.accounts ?? SYSTEM_ACCOUNTS;
  return (request) => {
    const check = checkWritePath(request.path, volumes);
    if (!check.ok) throw new Error(check.reason);
    const destination = realDestination(request, check.resolved, check.volume, volumes);
    const directory = dirname(destination);
    try {
      if (lstatSync(destination).isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    } catch (error) {
      if (errorCode(error) !== 'ENOENT') throw pathError('open', request.path, error);
    }
    if (!exists(directory)) {
      if (request.append) throw pathError('open', request.path, Object.assign(new Error(), { code: 'ENOENT' }));
      try {
        mkdirSync(directory, { recursive: true, mode: 0o777 });
      } catch (error) {
        throw pathError('mkdir', dirname(request.path), error);
      }
      // what was just created must still lead inside (a racing symlink swap in a shared volume)
      realDestination(request, check.resolved, check.volume, volumes);
    }
    let bytes = encodeGoString(request.newline ? `${request.content}\n` : request.content);
    if (request.append) {
      try {
        bytes = Buffer.concat([readFileSync(destination), bytes]);
      } catch (error) {
        if (errorCode(error) !== 'ENOENT') throw pathError('open', request.path, error);
      }
    }
    const chown = request.username !== '' || request.groupName !== '';
    const uid = chown ? resolveId('user', request.username, process.getuid?.() ?? 0, accounts) : 0;
    const gid = chown ? resolveId('group', request.groupName, process.getgid?.() ?? 0, accounts) : 0;
    const temporary = join(directory, `.${basename(destination)}.${randomBytes(6).toString('hex')}.tmp`);
    let fd: number;
    try {
      fd = openSync(temporary, 'wx', 0o600);
    } catch (error) {
      throw pathError('open', request.path, error);
    }
    let step = 'open';
    try {
      writeSync(fd, bytes);
      step = 'chown';
      if (chown) fchownSync(fd, uid, gid);
      step = 'chmod';
      fchmodSync(fd, request.mode);
      step = 'open';
      fsyncSync(fd);
      closeSync(fd);
      fd = -1;
      renameSync(temporary, destination);
    } catch (error) {
      if (fd !== -1) closeSync(fd);
      try { unlinkSync(temporary); } catch { /* already gone */ }
      throw pathError(step, request.path, error);
    }
  };
}
