// Where a template's writeToFile may write: inside the agent's secrets volume(s), the directories
// its rendered files go to (the webhook passes them as vault_injector.secrets_volumes). This is
// the lexical half of the rule, shared by admission (a literal path is checked before the pod
// runs) and the agent; the agent also checks the real path on disk (template-writes.ts).
import { posix } from 'node:path';

export type WritePathCheck =
  | { ok: true; resolved: string; volume: string }
  | { ok: false; reason: string };

function trimSlashes(directory: string): string {
  const normalised = posix.normalize(directory);
  return normalised.length > 1 ? normalised.replace(/\/+$/, '') : normalised;
}

export function describeVolumes(volumes: readonly string[]): string {
  return volumes.length === 1 ? `the secrets volume (${volumes[0]})` : `the secrets volumes (${volumes.join(', ')})`;
}

/** Whether `inner` is `outer` or below it (both absolute and normalised). */
export function isWithin(inner: string, outer: string): boolean {
  return inner === outer || inner.startsWith(outer === '/' ? '/' : `${outer}/`);
}

/** The absolute path `path` names, if it is inside one of the volumes. A relative path is taken
 *  from the first volume; a `..` segment is refused outright (it could only climb out). */
export function checkWritePath(path: string, volumeList: readonly string[]): WritePathCheck {
  const volumes = volumeList.map(trimSlashes);
  if (volumes.length === 0) return { ok: false, reason: `writeToFile: ${JSON.stringify(path)} cannot be written: no secrets volume is configured for this agent` };
  if (path === '') return { ok: false, reason: 'writeToFile: the path is empty' };
  if (path.split('/').includes('..')) {
    return { ok: false, reason: `writeToFile: ${JSON.stringify(path)} has a ".." segment; a template may only write files inside ${describeVolumes(volumes)}` };
  }
  const resolved = posix.isAbsolute(path) ? posix.normalize(path) : posix.join(volumes[0]!, path);
  const bare = trimSlashes(resolved);
  const volume = volumes.find((candidate) => isWithin(bare, candidate) && bare !== candidate);
  if (volume === undefined) {
    return { ok: false, reason: `writeToFile: ${JSON.stringify(path)} is outside ${describeVolumes(volumes)}; a template may only write files inside it` };
  }
  return { ok: true, resolved, volume };
}
