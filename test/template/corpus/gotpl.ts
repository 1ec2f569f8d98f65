/** Runs cases through Go's text/template (gotpl). Secrets are raw Vault response texts, spliced in
 *  verbatim so that numbers keep their text (gotpl decodes them as json.Number). */
import { execFileSync } from 'node:child_process';
import type { CaseSource } from './case.ts';

export interface GotplResult {
  name: string;
  ok: boolean;
  output?: string;
  error?: string;
  ns_per_op?: number;
  exec_ns_per_op?: number;
}

export const gotplPath = process.env['GOTPL'] ?? '/opt/gotpl/gotpl';

export function gotplInput(sources: readonly CaseSource[]): string {
  const raws: string[] = [];
  const placeholders = sources.map((source) => {
    if (source.secrets === undefined) return source;
    const secrets: Record<string, string> = {};
    for (const [path, body] of Object.entries(source.secrets)) {
      JSON.parse(body); // a malformed fixture is a bug in the case, not something to send Go
      secrets[path] = `\u0000RAW${raws.length}\u0000`;
      raws.push(body);
    }
    return { ...source, secrets };
  });
  return JSON.stringify(placeholders).replace(/"\\u0000RAW(\d+)\\u0000"/g, (_m, index: string) => raws[Number(index)] ?? 'null');
}

export function runGotpl(sources: readonly CaseSource[], benchRuns = 0): GotplResult[] {
  const args = benchRuns > 0 ? ['-bench', String(benchRuns)] : [];
  const stdout = execFileSync(gotplPath, args, { input: gotplInput(sources), maxBuffer: 256 * 1024 * 1024, encoding: 'utf8' });
  return JSON.parse(stdout) as GotplResult[];
}
