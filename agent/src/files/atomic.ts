// Atomic file replacement: write a temporary file in the destination's own directory, set its mode,
// then rename it over the destination, so a reader sees the old file or the new one, never a
// partial or empty one. Unchanged content (and mode) is not rewritten.
import { chmod, mkdir, open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';

export interface WriteResult {
  /** Whether the file was (re)written. */
  written: boolean;
}

export interface AtomicWriteOptions {
  /** undefined: keep an existing file's mode, else `fallbackMode`. */
  mode: number | undefined;
  fallbackMode: number;
  createDirs: boolean;
}

/** `content` as bytes: rendered templates may carry bytes that are not UTF-8 (a decoded keystore). */
export async function writeFileAtomic(destination: string, content: string | Buffer, options: AtomicWriteOptions): Promise<WriteResult> {
  const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  const directory = dirname(destination);
  let existingMode: number | undefined;
  try {
    const info = await stat(destination);
    existingMode = info.mode & 0o7777;
    const mode = options.mode ?? existingMode;
    if (mode === existingMode && info.size === bytes.length) {
      const existing = await readFile(destination);
      if (existing.equals(bytes)) return { written: false };
    }
  } catch (error) {
    if (!isNotFound(error)) throw error;
    if (options.createDirs) await mkdir(directory, { recursive: true, mode: 0o755 });
  }
  const mode = options.mode ?? existingMode ?? options.fallbackMode;
  const temporary = join(directory, `.${basename(destination)}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(temporary, 'wx', mode);
  try {
    await handle.writeFile(bytes);
    // The process umask may have narrowed the mode given to open().
    await handle.chmod(mode);
    await handle.sync();
  } catch (error) {
    await handle.close().catch(() => undefined);
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
  await handle.close();
  try {
    await rename(temporary, destination);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
  return { written: true };
}

/** For files whose mode must be exact even when the content is unchanged (token sinks). */
export async function ensureMode(path: string, mode: number): Promise<void> {
  await chmod(path, mode);
}

function isNotFound(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && (error as { code: unknown }).code === 'ENOENT';
}
