// The one seam between the agent and the template engine (agent/src/template) with
// consul-template's functions (agent/src/template/functions): compile a template once with a
// function map bound to the agent's SecretSource, execute it
// as consul-template does (dot = nil, missingkey=zero unless error_on_missing_key, an execution
// error redacted of the values of the secrets it used).
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { decodeGoBytes, executeTemplate, parseTemplate, TemplateError } from '../template/index.ts';
import { hostNetwork, PLUGIN_TIMEOUT_MS, redactSecretValues, runProgram, templateFunctions, withDenylist, type FileWriteRequest, type SecretSource } from '../template/functions/index.ts';
import type { GoStruct } from '../template/values.ts';

export interface CompiledTemplate {
  /** Runs one pass. Throws EngineError for a template error. */
  execute(): string;
}

/** A parse or execution error, with Go's message (`template: db:1:7: ...`). */
export class EngineError extends Error {
  readonly phase: 'parse' | 'exec';
  constructor(phase: 'parse' | 'exec', message: string) {
    super(message);
    this.name = 'EngineError';
    this.phase = phase;
  }
}

export interface TemplateEngine {
  compile(text: string, options: {
    destination: string; leftDelimiter?: string | undefined; rightDelimiter?: string | undefined; errorOnMissingKey: boolean;
    /** the template's function_denylist: these names fail with "function is disabled" */
    functionDenylist?: readonly string[] | undefined;
  }): CompiledTemplate;
}

export interface EngineEnvironment {
  secrets: SecretSource;
  env: NodeJS.ProcessEnv;
  now: () => Date;
  /** writeToFile's writer (files/template-writes.ts); absent: writeToFile fails, saying so. */
  writeFile?: (request: FileWriteRequest) => void;
}

/** Output cap per template: a template that loops forever must not eat the pod's memory. */
const MAX_OUTPUT_BYTES = 16 * 1024 * 1024;

export function createTemplateEngine(environment: EngineEnvironment): TemplateEngine {
  // the secrets the running execution used (executions are synchronous: one at a time)
  let used = new Set<GoStruct>();
  const functions = templateFunctions({
    secretUsed: (secret) => used.add(secret),
    secrets: environment.secrets,
    env: (name) => environment.env[name],
    readFile: (path) => {
      try {
        // Go's bytes: a binary file (a keystore to base64Encode) must not go through UTF-8
        return decodeGoBytes(readFileSync(path));
      } catch (error) {
        const code = typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : 'error';
        throw new Error(`file: cannot read ${JSON.stringify(path)} (${code})`);
      }
    },
    now: environment.now,
    ...(environment.writeFile !== undefined ? { writeFile: environment.writeFile } : {}),
    // `plugin` (unless a template's function_denylist refuses it): the agent's own environment
    runProgram: (name, args) => runProgram(name, args, { env: environment.env, timeoutMs: PLUGIN_TIMEOUT_MS }),
    network: () => hostNetwork(environment.env),
  });
  return {
    compile(text, options) {
      // The template's name in Go's messages: the destination's file name (`db:1:7: ...`).
      const name = basename(options.destination);
      let template: ReturnType<typeof parseTemplate>;
      try {
        template = parseTemplate(text, withDenylist(functions, options.functionDenylist ?? []), {
          name,
          ...(options.leftDelimiter !== undefined ? { leftDelim: options.leftDelimiter } : {}),
          ...(options.rightDelimiter !== undefined ? { rightDelim: options.rightDelimiter } : {}),
        });
      } catch (error) {
        throw new EngineError('parse', error instanceof TemplateError ? error.message : `template: ${name}: cannot parse`);
      }
      const missingKey = options.errorOnMissingKey ? 'error' : 'zero';
      return {
        execute() {
          used = new Set();
          try {
            return executeTemplate(template, undefined, { missingKey, maxOutputBytes: MAX_OUTPUT_BYTES });
          } catch (error) {
            // as consul-template does: the used secrets' values never reach the error
            throw new EngineError('exec', error instanceof TemplateError ? redactSecretValues(error.message, used) : `template: ${name}: execution failed`);
          } finally {
            used = new Set();
          }
        },
      };
    },
  };
}
