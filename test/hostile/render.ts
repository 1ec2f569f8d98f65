// Runs `npm run -s agent -- render TEMPLATE --secrets FIXTURES` as a user would, with a wall-clock
// cap, and reports exit code, output, stderr and the peak RSS (from /usr/bin/time when present).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');

export interface RenderRun { code: number | null; timedOut: boolean; stdoutBytes: number; stderr: string; seconds: number; peakRssMiB?: number }

export async function renderWithAgent(template: string, capSeconds: number): Promise<RenderRun> {
  const dir = await mkdtemp(join(tmpdir(), 'render-bomb-'));
  try {
    const file = join(dir, 'bomb.tpl');
    await writeFile(file, template);
    const fixtures = join(dir, 'secrets.json');
    await writeFile(fixtures, '{}');
    const timeFile = join(dir, 'time');
    const command = ['npm', 'run', '-s', 'agent', '--', 'render', file, '--secrets', fixtures];
    const argv = existsSync('/usr/bin/time') ? ['/usr/bin/time', '-f', '%M', '-o', timeFile, ...command] : command;
    const started = Date.now();
    return await new Promise<RenderRun>((done) => {
      const child = spawn(argv[0]!, argv.slice(1), { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
      let stdoutBytes = 0;
      let stderr = '';
      let timedOut = false;
      child.stdout.on('data', (chunk: Buffer) => { stdoutBytes += chunk.length; });
      child.stderr.on('data', (chunk: Buffer) => { if (stderr.length < 10_000) stderr += chunk.toString(); });
      const timer = setTimeout(() => {
        timedOut = true;
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL'); // the whole group: time, npm, node
      }, capSeconds * 1000);
      child.on('close', (code) => {
        clearTimeout(timer);
        void readFile(timeFile, 'utf8').catch(() => '').then((text) => {
          const kib = Number(/(\d+)\s*$/.exec(text.trim())?.[1]);
          done({ code, timedOut, stdoutBytes, stderr: stderr.replace(/^Command exited with non-zero status \d+\n?/m, ''), seconds: (Date.now() - started) / 1000, ...(Number.isFinite(kib) && kib > 0 ? { peakRssMiB: Math.round(kib / 1024) } : {}) });
        });
      });
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
