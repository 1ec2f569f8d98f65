// What the scenarios against the real OpenBao share: reading files that may not exist yet,
// waiting for a file to change, and the one-sentence termination message of a failed agent.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { eventually, type AgentProcess } from '../agent/harness.ts';
import type { RealLab } from '../real/lab.ts';

export const readOrUndefined = (path: string): Promise<string | undefined> => readFile(path, 'utf8').catch(() => undefined);

/** Waits until the file holds something other than `previous` (and is not empty), and returns it. */
export function changedFrom(path: string, previous: string, timeoutMs: number, what: string): Promise<string> {
  return eventually(async () => {
    const text = await readOrUndefined(path);
    return text !== undefined && text !== '' && text !== previous ? text : undefined;
  }, timeoutMs, what);
}

/** Waits until the file holds exactly `expected`. */
export async function fileBecomes(path: string, expected: string, timeoutMs: number, what: string): Promise<void> {
  await eventually(async () => ((await readOrUndefined(path)) === expected ? true : undefined), timeoutMs, what);
}

/** The agent failed: exit 1, one line in the termination message file; returns that line. */
export async function failedWith(lab: RealLab, agent: AgentProcess): Promise<string> {
  const { code } = await agent.exited;
  assert.equal(code, 1, agent.lines.slice(-10).join('\n'));
  const sentence = (await readFile(join(lab.dir, 'termination-log'), 'utf8')).trim();
  assert.equal(sentence.split('\n').length, 1, 'one line');
  assert.match(sentence, /^vault-agent: /);
  return sentence;
}

/** The lines of an agent's log (parsed JSON) with this message. */
export function records(agent: AgentProcess, msg: string): Array<Record<string, unknown>> {
  return agent.lines.flatMap((line) => {
    try {
      const record = JSON.parse(line) as Record<string, unknown>;
      return record['msg'] === msg ? [record] : [];
    } catch {
      return [];
    }
  });
}
