/**
 * Certificate and key from files (cert-manager, a mounted Secret), reloaded without restart.
 * Kubernetes updates mounted Secrets by swapping a `..data` symlink in the directory, and editors
 * replace files by rename, so the directories are watched (fs.watch) and the files are also
 * stat-polled as a fallback for filesystems where watching does not work.
 * A half-written pair (key not matching the certificate) is not taken: the last good pair stays.
 */
import { watch, type FSWatcher } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { keyMatchesCertificate } from './generate.ts';
import type { KeyPairPem } from './generate.ts';
import type { CertificateSource, CertificateUpdate } from './source.ts';

export interface FileSourceOptions {
  certFile: string;
  keyFile: string;
  caFile?: string;
  pollIntervalMs?: number;
  onError?(message: string): void;
}

export class FileCertificateError extends Error {
  override name = 'FileCertificateError';
}

async function fingerprint(path: string): Promise<string> {
  try {
    const info = await stat(path);
    return `${info.ino}:${info.size}:${info.mtimeMs}`;
  } catch {
    return 'missing';
  }
}

export class FileCertificateSource implements CertificateSource {
  private current: KeyPairPem | undefined;
  private currentCa: string | undefined;
  private lastFingerprint = '';
  private watchers: FSWatcher[] = [];
  private timer: NodeJS.Timeout | undefined;
  private listeners: Array<(update: CertificateUpdate) => void> = [];
  private checking: Promise<void> = Promise.resolve();
  private debounce: NodeJS.Timeout | undefined;

  constructor(private readonly options: FileSourceOptions) {}

  onUpdate(listener: (update: CertificateUpdate) => void): void {
    this.listeners.push(listener);
  }

  private async readPair(): Promise<{ pair: KeyPairPem; caPem: string | undefined }> {
    const { certFile, keyFile, caFile } = this.options;
    let certPem: string;
    let keyPem: string;
    let caPem: string | undefined;
    try {
      [certPem, keyPem, caPem] = await Promise.all([
        readFile(certFile, 'utf8'),
        readFile(keyFile, 'utf8'),
        caFile !== undefined ? readFile(caFile, 'utf8') : Promise.resolve(undefined),
      ]);
    } catch (error) {
      const code = error instanceof Error && 'code' in error ? String(error.code) : 'unknown error';
      throw new FileCertificateError(`cannot read TLS files (tls-cert-file ${certFile}, tls-key-file ${keyFile}${caFile !== undefined ? `, tls-ca-cert-file ${caFile}` : ''}): ${code}`);
    }
    const pair = { certPem, keyPem };
    if (!keyMatchesCertificate(pair)) {
      throw new FileCertificateError(`tls-key-file ${keyFile} is not the private key of the certificate in tls-cert-file ${certFile} (or one of them is not PEM)`);
    }
    return { pair, caPem };
  }

  async start(): Promise<KeyPairPem> {
    this.lastFingerprint = await this.fingerprints();
    const { pair, caPem } = await this.readPair();
    this.current = pair;
    this.currentCa = caPem;
    for (const directory of new Set([this.options.certFile, this.options.keyFile, ...(this.options.caFile !== undefined ? [this.options.caFile] : [])].map((file) => dirname(file)))) {
      try {
        const watcher = watch(directory, { persistent: false }, () => this.scheduleCheck());
        watcher.on('error', () => undefined);
        this.watchers.push(watcher);
      } catch {
        // Polling below still notices changes.
      }
    }
    this.timer = setInterval(() => this.scheduleCheck(), this.options.pollIntervalMs ?? 1000);
    this.timer.unref();
    return pair;
  }

  caPem(): string | undefined {
    return this.currentCa;
  }

  private async fingerprints(): Promise<string> {
    const files = [this.options.certFile, this.options.keyFile, ...(this.options.caFile !== undefined ? [this.options.caFile] : [])];
    return (await Promise.all(files.map(fingerprint))).join('/');
  }

  private scheduleCheck(): void {
    // Several events arrive for one update (write, rename, symlink swap): check once they settle.
    if (this.debounce !== undefined) clearTimeout(this.debounce);
    this.debounce = setTimeout(() => {
      this.debounce = undefined;
      this.checking = this.checking.then(() => this.check());
    }, 20);
    this.debounce.unref();
  }

  /** Re-reads the files if they changed; public so tests and the server can force a check. */
  async check(): Promise<void> {
    const now = await this.fingerprints();
    if (now === this.lastFingerprint) return;
    try {
      const { pair, caPem } = await this.readPair();
      this.lastFingerprint = now;
      if (pair.certPem === this.current?.certPem && pair.keyPem === this.current.keyPem && caPem === this.currentCa) return;
      this.current = pair;
      this.currentCa = caPem;
      for (const listener of this.listeners) listener({ pair, caPem });
    } catch (error) {
      // Keep serving the last good pair; report once per distinct state of the files.
      this.lastFingerprint = now;
      this.options.onError?.(error instanceof FileCertificateError ? error.message : 'cannot load the TLS files');
    }
  }

  async stop(): Promise<void> {
    for (const watcher of this.watchers) watcher.close();
    this.watchers = [];
    if (this.timer !== undefined) clearInterval(this.timer);
    if (this.debounce !== undefined) clearTimeout(this.debounce);
    await this.checking;
  }
}
