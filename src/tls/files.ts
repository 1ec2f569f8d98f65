/**
 * Certificate and key from files (cert-manager, a mounted Secret), reloaded without restart when
 * they change (see FileWatch). A half-written pair (key not matching the certificate) is not
 * taken: the last good pair stays.
 */
import { readFile } from 'node:fs/promises';
import { FileWatch } from '../file-watch.ts';
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

export class FileCertificateSource implements CertificateSource {
  private current: KeyPairPem | undefined;
  private currentCa: string | undefined;
  private listeners: Array<(update: CertificateUpdate) => void> = [];
  private readonly watch: FileWatch;

  constructor(private readonly options: FileSourceOptions) {
    const files = [options.certFile, options.keyFile, ...(options.caFile !== undefined ? [options.caFile] : [])];
    this.watch = new FileWatch(files, () => this.reload(), options.pollIntervalMs ?? 1000);
  }

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
    await this.watch.remember();
    const { pair, caPem } = await this.readPair();
    this.current = pair;
    this.currentCa = caPem;
    this.watch.start();
    return pair;
  }

  caPem(): string | undefined {
    return this.currentCa;
  }

  /** Re-reads the files if they changed; public so tests and the server can force a check. */
  check(): Promise<void> {
    return this.watch.check();
  }

  private async reload(): Promise<void> {
    try {
      const { pair, caPem } = await this.readPair();
      if (pair.certPem === this.current?.certPem && pair.keyPem === this.current.keyPem && caPem === this.currentCa) return;
      this.current = pair;
      this.currentCa = caPem;
      for (const listener of this.listeners) listener({ pair, caPem });
    } catch (error) {
      // Keep serving the last good pair; reported once per distinct state of the files.
      this.options.onError?.(error instanceof FileCertificateError ? error.message : 'cannot load the TLS files');
    }
  }

  stop(): Promise<void> {
    return this.watch.stop();
  }
}
