// The container's termination message: one plain sentence saying why the agent gave up, which
// `kubectl describe pod` shows. Scrubbed of every known secret, like the logs.
import { writeFile, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { SecretRegistry } from './logger.ts';

/** Kubernetes truncates termination messages to 4096 bytes; keep well under. */
const MAX_MESSAGE_BYTES = 4000;

export function terminationSentence(message: string, secrets: SecretRegistry): string {
  let sentence = secrets.scrub(message).replace(/\s+/g, ' ').trim();
  if (!/[.!?]$/.test(sentence)) sentence += '.';
  const text = `vault-agent: ${sentence.charAt(0).toUpperCase()}${sentence.slice(1)}`;
  return Buffer.byteLength(text) <= MAX_MESSAGE_BYTES ? text : `${Buffer.from(text).subarray(0, MAX_MESSAGE_BYTES - 3).toString('utf8')}...`;
}

/** Writes the sentence; a missing directory (not in a container) is skipped silently. */
export async function writeTerminationMessage(path: string, sentence: string): Promise<'written' | 'skipped' | 'failed'> {
  try {
    await stat(dirname(path));
  } catch {
    return 'skipped';
  }
  try {
    await writeFile(path, `${sentence}\n`);
    return 'written';
  } catch {
    return 'failed';
  }
}
