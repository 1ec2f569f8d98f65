// cache.persist (type kubernetes), as vault-k8s uses it: the init agent leaves its lease cache in
// the shared in-memory volume when it exits; the sidecar loads it at start, then deletes it
// (unless keep_after_import). Vault Agent keeps a bolt database there, encrypted because its
// auto-auth token travels with it; ours carries the token too (the sidecar adopts it rather than
// logging in) and the leased answers, in a file only the agent's uid can read (0600), in the
// in-memory volume only the two agent containers mount, deleted once the sidecar has read it.
import { readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../files/atomic.ts';
import type { PersistedEntry } from './core.ts';

export const PERSIST_FILE = 'vault-agent-cache.json';
const FORMAT = 'vault-injector-agent-cache/1';

export async function savePersistedCache(directory: string, entries: ReadonlyArray<PersistedEntry>): Promise<void> {
  const text = JSON.stringify({ format: FORMAT, entries });
  await writeFileAtomic(join(directory, PERSIST_FILE), text, { mode: 0o600, fallbackMode: 0o600, createDirs: true });
}

export type LoadedCache = { status: 'absent' } | { status: 'loaded'; entries: PersistedEntry[] } | { status: 'invalid'; reason: string };

export async function loadPersistedCache(directory: string, keepAfterImport: boolean): Promise<LoadedCache> {
  const file = join(directory, PERSIST_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { status: 'absent' };
    return { status: 'invalid', reason: `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? 'read failed'}` };
  }
  if (!keepAfterImport) await unlink(file).catch(() => undefined);
  try {
    const parsed = JSON.parse(text) as { format?: unknown; entries?: unknown };
    if (parsed.format !== FORMAT || !Array.isArray(parsed.entries)) return { status: 'invalid', reason: `${file} is not a cache this agent wrote` };
    return { status: 'loaded', entries: parsed.entries as PersistedEntry[] };
  } catch {
    return { status: 'invalid', reason: `${file} is not valid JSON` };
  }
}
