// A template's `command`, run after its file changed: argv as given; a string is split into words
// and run directly when it uses no shell syntax, otherwise through `sh -c` (as consul-template
// does). Splitting matters because the agent image is distroless: it has no /bin/sh, and vault-k8s
// hands every `agent-inject-command` over as a string. Bounded by its timeout; its exit status and
// the first lines of its output are reported; it never throws (a failing command does not stop
// the agent).
import type * as ChildProcessModule from 'node:child_process';

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

// Anything a shell would interpret beyond splitting words and removing quotes.
const SHELL_SYNTAX = /[|&;<>()$`*?[\]{}~#!\n]/;

/** The words of a string command with plain quoting only, or undefined when it needs a shell. */
export function splitCommandWords(command: string): string[] | undefined {
  const words: string[] = [];
  let word: string | undefined;
  let quote: "'" | '"' | undefined;
  for (let i = 0; i < command.length; i++) {
    const char = command[i] ?? '';
    if (quote === "'") {
      if (char === "'") quote = undefined;
      else word += char;
    } else if (quote === '"') {
      // Inside double quotes a shell still expands $ and `; a backslash escapes only " and \.
      if (char === '"') quote = undefined;
      else if (char === '$' || char === '`') return undefined;
      else if (char === '\\' && (command[i + 1] === '"' || command[i + 1] === '\\')) word += command[++i] ?? '';
      else word += char;
    } else if (char === "'" || char === '"') {
      quote = char;
      word = word ?? '';
    } else if (char === ' ' || char === '\t') {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else if (char === '\\' || SHELL_SYNTAX.test(char)) {
      return undefined;
    } else {
      word = (word ?? '') + char;
    }
  }
  if (quote !== undefined) return undefined;
  if (word !== undefined) words.push(word);
  return words.length > 0 ? words : undefined;
}

function argvOf(command: { argv: string[] } | { shell: string }): { argv: string[]; needsShell: boolean } {
  if ('argv' in command) return { argv: command.argv, needsShell: false };
  const words = splitCommandWords(command.shell);
  return words !== undefined ? { argv: words, needsShell: false } : { argv: ['/bin/sh', '-c', command.shell], needsShell: true };
}

export function runCommand(command: { argv: string[] } | { shell: string }, timeoutMs: number, env: NodeJS.ProcessEnv): Promise<CommandResult> {
  const { argv, needsShell } = argvOf(command);
  const [file, ...args] = argv;
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
    // Loaded at the first command, not at start: most pods run none, and it costs ~8 ms to load.
    const { spawn } = process.getBuiltinModule('node:child_process') as typeof ChildProcessModule;
    const child = spawn(file ?? '', args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('error', (error: NodeJS.ErrnoException) => {
      const notFound = needsShell
        ? 'it uses shell syntax and this image has no /bin/sh: give the command as a list of words, or use an image with a shell'
        : 'command not found';
      finish({ exitCode: undefined, signal: undefined, startError: error.code === 'ENOENT' ? notFound : error.code === 'EACCES' ? 'permission denied' : `cannot start (${error.code ?? 'error'})` });
    });
    child.on('close', (code, signal) => finish({ exitCode: code ?? undefined, signal: signal ?? undefined, startError: undefined }));
  });
}
