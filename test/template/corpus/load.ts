// Loads the generated conformance corpus and runs a case through our engine.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { executeTemplate, goValueFromJson, parseTemplate, TemplateError } from '../../../agent/src/template/index.ts';
import { hostNetwork, PLUGIN_TIMEOUT_MS, runProgram, templateFunctions } from '../../../agent/src/template/functions/index.ts';
import type { SecretSource } from '../../../agent/src/template/functions/index.ts';
import { decodeGoBytes, encodeGoString } from '../../../agent/src/template/gostring.ts';
import type { CaseSource, CorpusCase } from './case.ts';

/** Our output as gotpl reports it: Go writes bytes, and its JSON encoder turns invalid UTF-8
 *  into U+FFFD. */
function asGoJson(text: string): string {
  // each invalid byte becomes one U+FFFD, as utf8.DecodeRuneInString steps over it
  return /[\ud800-\udfff]/.test(text) ? decodeGoBytes(encodeGoString(text)).replace(/[\udc80-\udcff]/g, '\ufffd') : text;
}

const here = fileURLToPath(new URL('.', import.meta.url));

export function loadCorpus(): Array<{ file: string; cases: CorpusCase[] }> {
  return readdirSync(here).filter((f) => /^\d+-.*\.json$/.test(f)).sort()
    .map((file) => ({ file, cases: JSON.parse(readFileSync(join(here, file), 'utf8')) as CorpusCase[] }));
}

/** An in-memory SecretSource over a case's fixtures: every form (read, write, list) answers
 *  from the same path → body map, as the gotpl oracle does. */
export function fixtureSecrets(secrets: Readonly<Record<string, string>> | undefined, calls?: string[]): SecretSource {
  const lookup = (path: string): string | undefined => secrets?.[path];
  return {
    read: (path) => { calls?.push(`read ${path}`); return lookup(path); },
    write: (path) => { calls?.push(`write ${path}`); return lookup(path); },
    list: (path) => { calls?.push(`list ${path}`); return lookup(path); },
  };
}

export interface RunResult { ok: boolean; output: string; error?: string }

/** Runs a case the way gotpl does: template named after the case, dot from JSON (float64). */
export function runCase(c: CaseSource): RunResult {
  const functions = templateFunctions({
    secrets: fixtureSecrets(c.secrets),
    env: (name) => c.env?.[name],
    readFile: () => { throw new Error('file is not available in conformance cases'); },
    now: () => new Date(0),
    // as the oracle runs it: the case's env is the whole environment (PATH included)
    runProgram: (name, args) => runProgram(name, args, { env: c.env ?? {}, timeoutMs: PLUGIN_TIMEOUT_MS }),
    network: () => hostNetwork(c.env ?? {}),
  });
  const dot = c.data === undefined ? undefined : goValueFromJson(JSON.stringify(c.data), 'float64');
  try {
    const template = parseTemplate(c.template, functions, {
      name: c.name,
      ...(c.delims !== undefined ? { leftDelim: c.delims[0], rightDelim: c.delims[1] } : {}),
    });
    const output = executeTemplate(template, dot === null ? undefined : dot, { missingKey: c.missingkey ?? 'default' });
    return { ok: true, output: asGoJson(output) };
  } catch (error) {
    if (error instanceof TemplateError) return { ok: false, output: asGoJson(error.partialOutput), error: asGoJson(error.message) };
    return { ok: false, output: '', error: `JavaScript exception: ${error instanceof Error ? error.stack ?? error.message : String(error)}` };
  }
}
