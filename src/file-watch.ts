/**
 * Notices that any of a few files changed, for the files the webhook reloads without a restart
 * (certificate and key, the tenancy policy). Kubernetes updates mounted Secrets and ConfigMaps by
 * swapping a `..data` symlink in the directory, and editors replace files by rename, so the
 * directories are watched (fs.watch), and the files are also stat-polled for filesystems where
 * watching does not work. Several events arrive for one update: they are debounced into one check.
 */
import { watch, type FSWatcher } from 'node:fs';
import { stat } from 'node:fs/promises';
import { dirname } from 'node:path';

async function fingerprint(path: string): Promise<string> {
  try {
    const info = await stat(path);
    return `${info.ino}:${info.size}:${info.mtimeMs}`;
  } catch {
    return 'missing';
  }
}

export class FileWatch {
  private lastFingerprint = '';
  private watchers: FSWatcher[] = [];
  private timer: NodeJS.Timeout | undefined;
  private debounce: NodeJS.Timeout | undefined;
  private checking: Promise<void> = Promise.resolve();

  /** `onChanged` runs once per distinct state of the files, never two at a time. */
  constructor(
    private readonly files: readonly string[],
    private readonly onChanged: () => Promise<void>,
    private readonly pollIntervalMs = 1000,
  ) {}

  /** Takes the files' current state as the known one; call it before the first load. */
  async remember(): Promise<void> {
    this.lastFingerprint = await this.fingerprints();
  }

  start(): void {
    for (const directory of new Set(this.files.map((file) => dirname(file)))) {
      try {
        const watcher = watch(directory, { persistent: false }, () => this.scheduleCheck());
        watcher.on('error', () => undefined);
        this.watchers.push(watcher);
      } catch {
        // The poll below still notices changes.
      }
    }
    this.timer = setInterval(() => this.scheduleCheck(), this.pollIntervalMs);
    this.timer.unref();
  }

  /** Runs `onChanged` now if the files changed since the last check. */
  check(): Promise<void> {
    this.checking = this.checking.then(async () => {
      const now = await this.fingerprints();
      if (now === this.lastFingerprint) return;
      this.lastFingerprint = now;
      await this.onChanged();
    });
    return this.checking;
  }

  async stop(): Promise<void> {
    for (const watcher of this.watchers) watcher.close();
    this.watchers = [];
    if (this.timer !== undefined) clearInterval(this.timer);
    if (this.debounce !== undefined) clearTimeout(this.debounce);
    await this.checking;
  }

  private scheduleCheck(): void {
    if (this.debounce !== undefined) clearTimeout(this.debounce);
    this.debounce = setTimeout(() => {
      this.debounce = undefined;
      void this.check();
    }, 20);
    this.debounce.unref();
  }

  private async fingerprints(): Promise<string> {
    return (await Promise.all(this.files.map(fingerprint))).join('/');
  }
}
