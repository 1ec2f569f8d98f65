// consul-template's `plugin name args...`: runs a program (looked up in PATH), each argument
// trimmed and empty ones dropped, and returns its stdout trimmed; a program that cannot start,
// fails, or runs past 30 s is the call's error, with Go's texts (stdout and stderr included).
import type { GoFunction } from '../values.ts';
import { fn, goError } from './define.ts';
import type { ProgramRun } from './goexec.ts';
import { trimSpace } from './gostrings.ts';
import { goQuote } from '../quote.ts';

/** consul-template's fixed limit (not configurable in Vault Agent). */
export const PLUGIN_TIMEOUT_MS = 30_000;

export function pluginFunction(runProgram: ((name: string, args: readonly string[]) => ProgramRun) | undefined): GoFunction {
  return fn(['string', 'string'], (argv) => {
    const name = argv[0] as string;
    if (name === '') return '';
    const args = (argv.slice(1) as string[]).map(trimSpace).filter((arg) => arg !== '');
    if (runProgram === undefined) throw goError(`exec ${goQuote(name)}: running programs is not available here`);
    // Node passes arguments as UTF-8 text: bytes that are not UTF-8 cannot reach the program
    // as Go would pass them, so refuse rather than run it with other bytes
    if ([name, ...args].some((text) => /[\udc80-\udcff]/.test(text))) {
      throw goError(`exec ${goQuote(name)}: an argument is not valid UTF-8, which this agent cannot pass to a program`);
    }
    const run = runProgram(name, args);
    const failure = (reason: string, stdout: string, stderr: string) =>
      goError(`exec ${goQuote(name)}: ${reason}\n\nstdout:\n\n${stdout}\n\nstderr:\n\n${stderr}`);
    switch (run.kind) {
      case 'not-started': throw failure(run.error, '', '');
      case 'timed-out': throw goError(`exec ${goQuote(name)}: did not finish in 30s`);
      case 'finished':
        if (run.error !== undefined) throw failure(run.error, run.stdout, run.stderr);
        return trimSpace(run.stdout);
    }
  }, { variadic: true });
}
