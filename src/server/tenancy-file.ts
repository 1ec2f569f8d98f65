/**
 * The tenancy policy file, loaded at start (an invalid file stops the start) and reloaded when it
 * changes; a new version that does not load is logged and the last good policy stays in force.
 */
import { watch, type FSWatcher } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
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

async function fingerprint(path: string): Promise<string> {
  try {
    const info = await stat(path);
    return `${info.ino}:${info.size}:${info.mtimeMs}`;
  } catch {
    return 'missing';
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
  private lastFingerprint = '';
  private watcher: FSWatcher | undefined;
  private timer: NodeJS.Timeout | undefined;
  private debounce: NodeJS.Timeout | undefined;
  private checking: Promise<void> = Promise.resolve();

  constructor(
    private readonly path: string,
    private readonly onChange: (check: TenancyCheck) => void,
    private readonly events: TenancyFileEvents = {},
    private readonly pollIntervalMs = 1000,
  ) {}

  /** Loads the file; throws TenancyPolicyError with every problem when it is not a valid policy. */
  async start(): Promise<TenancyCheck> {
    this.lastFingerprint = await fingerprint(this.path);
    const loaded = await readPolicy(this.path);
    if (!loaded.ok) throw new TenancyPolicyError(loaded.problems);
    this.current = loaded.check;
    this.onChange(loaded.check);
    try {
      this.watcher = watch(dirname(this.path), { persistent: false }, () => this.scheduleCheck());
      this.watcher.on('error', () => undefined);
    } catch {
      // The poll below still notices changes.
    }
    this.timer = setInterval(() => this.scheduleCheck(), this.pollIntervalMs);
    this.timer.unref();
    return loaded.check;
  }

  private scheduleCheck(): void {
    if (this.debounce !== undefined) clearTimeout(this.debounce);
    this.debounce = setTimeout(() => {
      this.debounce = undefined;
      this.checking = this.checking.then(() => this.check());
    }, 20);
    this.debounce.unref();
  }

  async check(): Promise<void> {
    const now = await fingerprint(this.path);
    if (now === this.lastFingerprint) return;
    this.lastFingerprint = now;
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

  async stop(): Promise<void> {
    this.watcher?.close();
    if (this.timer !== undefined) clearInterval(this.timer);
    if (this.debounce !== undefined) clearTimeout(this.debounce);
    await this.checking;
  }
}
