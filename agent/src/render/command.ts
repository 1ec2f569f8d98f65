// A template's `command`, run after its file changed: argv as given, or a string through `sh -c`
// (as consul-template does). Bounded by its timeout; its exit status and the first lines of its
// output are reported; it never throws (a failing command does not stop the agent).
import { spawn } from 'node:child_process';

export interface CommandResult {
  /** Exit code, or undefined when it did not exit normally. */
  exitCode: number | undefined;
  signal: string | undefined;
  timedOut: boolean;
  /** The command could not be started (not found, not executable). */
  startError: string | undefined;
  /** First lines of stdout and stderr together, as produced. */
  outputHead: string[];
}

export const OUTPUT_LINES_KEPT = 10;

export function runCommand(command: { argv: string[] } | { shell: string }, timeoutMs: number, env: NodeJS.ProcessEnv): Promise<CommandResult> {
  const [file, ...args] = 'argv' in command ? command.argv : ['/bin/sh', '-c', command.shell];
  return new Promise((resolve) => {
    const lines: string[] = [];
    let partial = '';
    let timedOut = false;
    let settled = false;
    const collect = (chunk: Buffer): void => {
      if (lines.length >= OUTPUT_LINES_KEPT) return;
      partial += chunk.toString('utf8');
      const parts = partial.split('\n');
      partial = parts.pop() ?? '';
      for (const line of parts) if (lines.length < OUTPUT_LINES_KEPT) lines.push(line.slice(0, 500));
    };
    const finish = (result: Omit<CommandResult, 'outputHead' | 'timedOut'>): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (partial !== '' && lines.length < OUTPUT_LINES_KEPT) lines.push(partial.slice(0, 500));
      resolve({ ...result, timedOut, outputHead: lines });
    };
    const child = spawn(file ?? '', args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('error', (error: NodeJS.ErrnoException) => {
      finish({ exitCode: undefined, signal: undefined, startError: error.code === 'ENOENT' ? 'command not found' : error.code === 'EACCES' ? 'permission denied' : `cannot start (${error.code ?? 'error'})` });
    });
    child.on('close', (code, signal) => finish({ exitCode: code ?? undefined, signal: signal ?? undefined, startError: undefined }));
  });
}
