// Vault Agent itself (`bao agent -config FILE`, OpenBao's build of it: the same config format and
// the same consul-template engine) as a child process, for comparing what it writes with what our
// agent writes. `bao agent` reads HCL and JSON configs alike, so it is given the JSON config our
// webhook builds, minus what only our agent reads (see baoAgentConfig). stop() always ends it.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { baoBinary } from './openbao.ts';
import { stopChild } from './process.ts';

/**
 * Our config without what is ours: the `vault_injector` block (log format, termination message,
 * retry timeout, revoke-on-shutdown, ready file) is read by our agent alone, and Vault Agent has no
 * such key. Everything else (auto_auth, sinks, exit_after_auth, pid_file, vault, template,
 * template_config) is Vault Agent's own format and goes to it unchanged.
 */
export function baoAgentConfig(config: Record<string, unknown>): Record<string, unknown> {
  const { vault_injector: _ours, ...theirs } = config;
  return theirs;
}

export interface BaoAgent {
  child: ChildProcess;
  readonly pid: number;
  /** Every line it printed (hclog text on stderr). */
  lines: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stop(): Promise<void>;
}

export interface BaoAgentOptions {
  /** Extra `bao agent` flags, e.g. `-log-level=debug`. */
  args?: string[];
  /** stdio for the child; 'pipe' (the default) collects its lines. */
  quiet?: boolean;
}

/** Starts `bao agent` with the config (stripped with baoAgentConfig) written to a temporary file. */
export async function startBaoAgent(config: Record<string, unknown>, options: BaoAgentOptions = {}): Promise<BaoAgent> {
  const dir = await mkdtemp(join(tmpdir(), 'bao-agent-'));
  const configFile = join(dir, 'agent.json');
  await writeFile(configFile, JSON.stringify(baoAgentConfig(config), null, 2));
  const child = spawn(baoBinary(), ['agent', `-config=${configFile}`, ...(options.args ?? [])], {
    cwd: dir,
    // A clean environment, as in the agent container: no VAULT_*/BAO_* of the developer's shell.
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: dir },
    stdio: options.quiet === true ? 'ignore' : ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    let partial = '';
    stream?.setEncoding('utf8');
    stream?.on('data', (chunk: string) => {
      partial += chunk;
      const parts = partial.split('\n');
      partial = parts.pop() ?? '';
      lines.push(...parts.filter((line) => line !== ''));
    });
    stream?.on('end', () => {
      if (partial !== '') lines.push(partial);
    });
  }
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolveExit) => child.once('exit', (code, signal) => resolveExit({ code, signal })));
  if (child.pid === undefined) {
    await rm(dir, { recursive: true, force: true });
    throw new Error(`bao agent did not start (${baoBinary()})`);
  }
  const pid = child.pid;
  return {
    child,
    pid,
    lines,
    exited,
    async stop() {
      await stopChild(child);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Runs an init (exit_after_auth) config to its end; the agent is stopped after `timeoutMs` at the
 *  latest, and then `code` is null (Vault Agent exits 0 on SIGTERM, which must not pass for success). */
export async function runBaoAgent(config: Record<string, unknown>, timeoutMs = 120_000, options: BaoAgentOptions = {}): Promise<{ code: number | null; lines: string[]; timedOut: boolean }> {
  const agent = await startBaoAgent(config, options);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    void agent.stop();
  }, timeoutMs);
  try {
    const { code } = await agent.exited;
    return { code: timedOut ? null : code, lines: agent.lines, timedOut };
  } finally {
    clearTimeout(timer);
    await agent.stop();
  }
}
