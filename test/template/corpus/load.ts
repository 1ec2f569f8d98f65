// Loads the generated conformance corpus and runs a case through our engine.
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { executeTemplate, goValueFromJson, parseTemplate, TemplateError } from '../../../agent/src/template/index.ts';
import { hostNetwork, PLUGIN_TIMEOUT_MS, redactSecretValues, runProgram, templateFunctions } from '../../../agent/src/template/functions/index.ts';
import type { GoStruct } from '../../../agent/src/template/values.ts';
import type { SecretSource } from '../../../agent/src/template/functions/index.ts';
import { localLocation } from '../../../agent/src/template/functions/gozone.ts';
import { decodeGoBytes, encodeGoString } from '../../../agent/src/template/gostring.ts';
import { createVolumeWriter } from '../../../agent/src/files/template-writes.ts';
import type { CaseSource, CorpusCase } from './case.ts';

/** Where corpus cases may writeToFile (the oracle writes the same paths): our secrets volume. */
export const CORPUS_WRITE_VOLUME = '/tmp/vault-injector-corpus-writes';
let corpusWriter: ReturnType<typeof createVolumeWriter> | undefined;
function writeInCorpusVolume(...args: Parameters<ReturnType<typeof createVolumeWriter>>): void {
  if (corpusWriter === undefined) {
    mkdirSync(CORPUS_WRITE_VOLUME, { recursive: true });
    corpusWriter = createVolumeWriter([CORPUS_WRITE_VOLUME]);
  }
  corpusWriter(...args);
}

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
  const used = new Set<GoStruct>();
  const functions = templateFunctions({
    secrets: fixtureSecrets(c.secrets),
    secretUsed: (secret) => used.add(secret),
    env: (name) => c.env?.[name],
    // as the oracle reads them: the machine's files, relative paths from the working directory
    // (the repository's root), bytes kept
    readFile: (path) => decodeGoBytes(readFileSync(path)),
    // the oracle's clock: no corpus case may depend on it, but the differential's calls of
    // sprig_durationRound on a time then agree (its unit is coarse)
    now: () => new Date(),
    local: c.tz === undefined ? undefined : localLocation(c.tz),
    writeFile: writeInCorpusVolume,
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
    if (error instanceof TemplateError) {
      const message = error.phase === 'exec' && c.redact === true ? redactSecretValues(error.message, used) : error.message;
      return { ok: false, output: asGoJson(error.partialOutput), error: asGoJson(message) };
    }
    return { ok: false, output: '', error: `JavaScript exception: ${error instanceof Error ? error.stack ?? error.message : String(error)}` };
  }
}
