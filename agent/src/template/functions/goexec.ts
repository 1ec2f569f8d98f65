// Go's os/exec as consul-template's `plugin` uses it (exec.Command, Start, Wait with a timeout),
// run synchronously: the template engine executes a template in one synchronous pass (functions
// return values, not promises; see exec.ts), so a program a template runs must have finished
// before the function returns. spawnSync blocks the agent's event loop for that long, which is
// what Vault Agent's render goroutine does too (its renders wait for the plugin), bounded by the
// same 30 s timeout. Error texts are Go's: `exec: "x": executable file not found in $PATH`,
// `fork/exec ./x: permission denied`, `exit status 3`, `signal: killed`.
import { accessSync, constants, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { isAbsolute, join } from 'node:path';
import { decodeGoBytes } from '../gostring.ts';

/** What became of one run, with Go's texts. */
export type ProgramRun =
  | { readonly kind: 'not-started'; readonly error: string }          // Start's error
  | { readonly kind: 'timed-out' }                                     // killed after the timeout
  | { readonly kind: 'finished'; readonly error: string | undefined; readonly stdout: string; readonly stderr: string };

export interface ProgramOptions {
  /** The environment the program inherits (Go: the process's); PATH is looked up in it. */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly timeoutMs: number;
}

/** Output cap per stream: Go's buffers have none; far past what a template could use. */
const MAX_STREAM_BYTES = 256 * 1024 * 1024;

// Linux errno names as Go's syscall.Errno prints them (the ones exec can meet)
const ERRNO_TEXT: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or directory', EACCES: 'permission denied', EISDIR: 'is a directory',
  ENOTDIR: 'not a directory', ENOEXEC: 'exec format error', ELOOP: 'too many levels of symbolic links',
  ENAMETOOLONG: 'file name too long', E2BIG: 'argument list too long', ETXTBSY: 'text file busy',
  EPERM: 'operation not permitted', ENOMEM: 'cannot allocate memory', EAGAIN: 'resource temporarily unavailable',
};

// Go's syscall signal names (Signal.String on Linux)
const SIGNAL_TEXT: Readonly<Record<string, string>> = {
  SIGHUP: 'hangup', SIGINT: 'interrupt', SIGQUIT: 'quit', SIGILL: 'illegal instruction', SIGTRAP: 'trace/breakpoint trap',
  SIGABRT: 'aborted', SIGBUS: 'bus error', SIGFPE: 'floating point exception', SIGKILL: 'killed',
  SIGUSR1: 'user defined signal 1', SIGSEGV: 'segmentation fault', SIGUSR2: 'user defined signal 2',
  SIGPIPE: 'broken pipe', SIGALRM: 'alarm clock', SIGTERM: 'terminated', SIGSTKFLT: 'stack fault',
  SIGCHLD: 'child exited', SIGCONT: 'continued', SIGSTOP: 'stopped (signal)', SIGTSTP: 'stopped',
  SIGTTIN: 'stopped (tty input)', SIGTTOU: 'stopped (tty output)', SIGURG: 'urgent I/O condition',
  SIGXCPU: 'CPU time limit exceeded', SIGXFSZ: 'file size limit exceeded', SIGVTALRM: 'virtual timer expired',
  SIGPROF: 'profiling timer expired', SIGWINCH: 'window changed', SIGIO: 'I/O possible', SIGPWR: 'power failure',
  SIGSYS: 'bad system call',
};

function errnoText(error: unknown): string {
  const code = typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : '';
  return ERRNO_TEXT[code] ?? (code !== '' ? code : String(error));
}

/** Go's findExecutable: a regular (non-directory) file the caller may execute. */
function findExecutable(file: string): string | undefined {
  try {
    if (statSync(file).isDirectory()) return ERRNO_TEXT['EISDIR'];
    accessSync(file, constants.X_OK);
    return undefined;
  } catch (error) {
    return errnoText(error);
  }
}

/** exec.Command's look-up: a name without a slash is searched in PATH (Go's LookPath);
 *  returns the path to start, or Start's error. */
export function lookPath(name: string, path: string): { path: string } | { error: string } {
  if (name.includes('/')) return { path: name };
  const quoted = JSON.stringify(name);
  if (name === '' || name === '.' || name === '..') return { error: `exec: ${quoted}: executable file not found in $PATH` };
  for (const entry of path.split(':')) {
    const candidate = join(entry === '' ? '.' : entry, name);
    if (findExecutable(candidate) !== undefined) continue;
    if (!isAbsolute(candidate)) return { error: `exec: ${quoted}: cannot run executable found relative to current directory` };
    return { path: candidate };
  }
  return { error: `exec: ${quoted}: executable file not found in $PATH` };
}

/** Runs name with args (stdin from /dev/null), as exec.Command(name, args...).Start + Wait. */
export function runProgram(name: string, args: readonly string[], options: ProgramOptions): ProgramRun {
  const found = lookPath(name, options.env['PATH'] ?? '');
  if ('error' in found) return { kind: 'not-started', error: found.error };
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(options.env)) if (value !== undefined) env[key] = value;
  const result = spawnSync(found.path, args, {
    argv0: name, env, stdio: ['ignore', 'pipe', 'pipe'], timeout: options.timeoutMs, killSignal: 'SIGKILL',
    maxBuffer: MAX_STREAM_BYTES, windowsHide: true,
  });
  if (result.error !== undefined) {
    const code = (result.error as NodeJS.ErrnoException).code;
    if (code === 'ETIMEDOUT') return { kind: 'timed-out' };
    if (result.pid === 0 || result.pid === undefined) return { kind: 'not-started', error: `fork/exec ${found.path}: ${errnoText(result.error)}` };
    throw new Error(`plugin ${JSON.stringify(name)}: ${code === 'ENOBUFS' ? `more than ${MAX_STREAM_BYTES} bytes of output` : result.error.message}`);
  }
  const stdout = decodeGoBytes(result.stdout);
  const stderr = decodeGoBytes(result.stderr);
  let error: string | undefined;
  if (result.signal !== null) error = `signal: ${SIGNAL_TEXT[result.signal] ?? result.signal}`;
  else if (result.status !== 0) error = `exit status ${result.status ?? -1}`;
  return { kind: 'finished', error, stdout, stderr };
}
