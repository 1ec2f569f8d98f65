/**
 * The tenancy policy file, loaded at start (an invalid file stops the start) and reloaded when it
 * changes; a new version that does not load is logged and the last good policy stays in force.
 */
import { readFile } from 'node:fs/promises';
import { FileWatch } from '../file-watch.ts';
import { loadTenancyPolicy } from '../tenancy/policy.ts';
import type { TenancyCheck } from '../tenancy/types.ts';

export interface TenancyFileEvents {
  onReloaded?(path: string): void;
  onRejected?(path: string, problems: string[]): void;
}

export class TenancyPolicyError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('; '));
    this.name = 'TenancyPolicyError';
  }
}

async function readPolicy(path: string): Promise<{ ok: true; check: TenancyCheck } | { ok: false; problems: string[] }> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = error instanceof Error && 'code' in error ? String(error.code) : 'unknown error';
    return { ok: false, problems: [`${path}: cannot read the tenancy policy file (${code})`] };
  }
  const loaded = loadTenancyPolicy(text, path);
  return loaded.ok ? { ok: true, check: loaded.check } : { ok: false, problems: loaded.problems };
}

export class TenancyPolicyFile {
  private current: TenancyCheck | undefined;
  private readonly watch: FileWatch;

  constructor(
    private readonly path: string,
    private readonly onChange: (check: TenancyCheck) => void,
    private readonly events: TenancyFileEvents = {},
    pollIntervalMs = 1000,
  ) {
    this.watch = new FileWatch([path], () => this.reload(), pollIntervalMs);
  }

  /** Loads the file; throws TenancyPolicyError with every problem when it is not a valid policy. */
  async start(): Promise<TenancyCheck> {
    await this.watch.remember();
    const loaded = await readPolicy(this.path);
    if (!loaded.ok) throw new TenancyPolicyError(loaded.problems);
    this.current = loaded.check;
    this.onChange(loaded.check);
    this.watch.start();
    return loaded.check;
  }

  /** Re-reads the file if it changed; public so tests can force a check. */
  check(): Promise<void> {
    return this.watch.check();
  }

  private async reload(): Promise<void> {
    const loaded = await readPolicy(this.path);
    if (!loaded.ok) {
      this.events.onRejected?.(this.path, loaded.problems);
      return;
    }
    this.current = loaded.check;
    this.onChange(loaded.check);
    this.events.onReloaded?.(this.path);
  }

  currentCheck(): TenancyCheck | undefined {
    return this.current;
  }

  stop(): Promise<void> {
    return this.watch.stop();
  }
}
