/**
 * Auto TLS: the webhook makes its own CA and serving certificate and keeps them current.
 *
 * Without Kubernetes (local `npm start`) it generates and rotates in memory. With Kubernetes
 * (`-tls-auto NAME`), the leader keeps the shared Secret (`cert`, `key` as vault-k8s, plus `ca.crt`
 * and `ca.key` so a new leader keeps the same CA) and the MutatingWebhookConfiguration's caBundle;
 * followers serve what the Secret holds. On a CA change the leader first publishes the bundle
 * `[previous CA] + [new CA]`, then the certificate signed by the new CA, so the API server trusts
 * every replica at every moment.
 */
import { caBundleFor, needsRotation, nextCheckDelayMs } from './schedule.ts';
import { certificateTimes, generateCa, generateServing, keyMatchesCertificate, servingMatches } from './generate.ts';
import type { KeyPairPem } from './generate.ts';
import type { CertificateSource, CertificateUpdate } from './source.ts';
import type { KubeApi } from '../kube/client.ts';

export const SECRET_KEYS = { cert: 'cert', key: 'key', caCert: 'ca.crt', caKey: 'ca.key' } as const;
export const DEFAULT_CERT_SECRET_NAME = 'vault-injector-certs';

export interface AutoTlsKubernetes {
  api: KubeApi;
  webhookConfigurationName: string;
  namespace: string;
  secretName: string;
  isLeader(): boolean;
}

export interface AutoTlsOptions {
  hosts: readonly string[];
  now(): number;
  caValidityMs?: number;
  servingValidityMs?: number;
  /** Fraction of the lifetime before expiry at which a certificate is replaced (vault-k8s: 0.1). */
  expiryWithin?: number;
  /** Longest wait between two checks (vault-k8s's notifier: 5 s). */
  checkIntervalMs?: number;
  kubernetes?: AutoTlsKubernetes;
  onError?(message: string): void;
  onEvent?(message: string, fields?: Record<string, string | number | boolean>): void;
}

interface Material {
  ca: KeyPairPem;
  serving: KeyPairPem;
}

function materialFromSecret(data: Readonly<Record<string, string>> | undefined): { ca: KeyPairPem | undefined; serving: KeyPairPem | undefined } {
  if (data === undefined) return { ca: undefined, serving: undefined };
  const ca = data[SECRET_KEYS.caCert] !== undefined && data[SECRET_KEYS.caKey] !== undefined
    ? { certPem: data[SECRET_KEYS.caCert] ?? '', keyPem: data[SECRET_KEYS.caKey] ?? '' } : undefined;
  const serving = data[SECRET_KEYS.cert] !== undefined && data[SECRET_KEYS.key] !== undefined
    ? { certPem: data[SECRET_KEYS.cert] ?? '', keyPem: data[SECRET_KEYS.key] ?? '' } : undefined;
  return {
    ca: ca !== undefined && keyMatchesCertificate(ca) ? ca : undefined,
    serving: serving !== undefined && keyMatchesCertificate(serving) ? serving : undefined,
  };
}

function secretData(material: Material): Record<string, string> {
  return {
    [SECRET_KEYS.cert]: material.serving.certPem,
    [SECRET_KEYS.key]: material.serving.keyPem,
    [SECRET_KEYS.caCert]: material.ca.certPem,
    [SECRET_KEYS.caKey]: material.ca.keyPem,
  };
}

export class AutoCertificateSource implements CertificateSource {
  private material: Material | undefined;
  private served: KeyPairPem | undefined;
  private listeners: Array<(update: CertificateUpdate) => void> = [];
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private running: Promise<void> = Promise.resolve();
  private firstServed: ((pair: KeyPairPem) => void) | undefined;

  constructor(private readonly options: AutoTlsOptions) {}

  onUpdate(listener: (update: CertificateUpdate) => void): void {
    this.listeners.push(listener);
  }

  /** The CA of the certificate being served (undefined for a follower before the first read). */
  caPem(): string | undefined {
    return this.material?.ca.certPem;
  }

  start(): Promise<KeyPairPem> {
    const first = new Promise<KeyPairPem>((resolve) => {
      this.firstServed = resolve;
    });
    this.loop();
    return first;
  }

  private loop(): void {
    if (this.stopped) return;
    this.running = this.tick().then((delayMs) => {
      if (this.stopped) return;
      this.timer = setTimeout(() => this.loop(), delayMs);
      this.timer.unref();
    });
  }

  private get expiryWithin(): number {
    return this.options.expiryWithin ?? 0.1;
  }

  private get interval(): number {
    return this.options.checkIntervalMs ?? 5000;
  }

  private due(pair: KeyPairPem | undefined, nowMs: number): boolean {
    return pair === undefined || needsRotation(certificateTimes(pair.certPem), nowMs, this.expiryWithin);
  }

  private async fresh(previous: { ca: KeyPairPem | undefined; serving: KeyPairPem | undefined }, nowMs: number): Promise<Material> {
    const ca = previous.ca !== undefined && !this.due(previous.ca, nowMs)
      ? previous.ca
      : await generateCa({ nowMs, ...(this.options.caValidityMs !== undefined ? { validityMs: this.options.caValidityMs } : {}) });
    if (ca !== previous.ca) this.options.onEvent?.('generated a new certificate authority');
    const serving = previous.serving !== undefined && !this.due(previous.serving, nowMs) && servingMatches(previous.serving, ca.certPem, this.options.hosts)
      ? previous.serving
      : await generateServing({ ca, hosts: this.options.hosts, nowMs, ...(this.options.servingValidityMs !== undefined ? { validityMs: this.options.servingValidityMs } : {}) });
    if (serving !== previous.serving) this.options.onEvent?.('generated a new serving certificate', { hosts: this.options.hosts.join(',') });
    return { ca, serving };
  }

  private serve(material: Material): void {
    this.material = material;
    if (this.served?.certPem === material.serving.certPem) return;
    this.served = material.serving;
    if (this.firstServed !== undefined) {
      this.firstServed(material.serving);
      this.firstServed = undefined;
    }
    for (const listener of this.listeners) listener({ pair: material.serving, caPem: material.ca.certPem });
  }

  /** One round; returns how long to wait before the next. Public so tests can step it. */
  async tick(): Promise<number> {
    const nowMs = this.options.now();
    try {
      const kubernetes = this.options.kubernetes;
      if (kubernetes === undefined) {
        this.serve(await this.fresh(this.material ?? { ca: undefined, serving: undefined }, nowMs));
      } else if (kubernetes.isLeader()) {
        await this.leaderRound(kubernetes, nowMs);
      } else {
        await this.followerRound(kubernetes, nowMs);
      }
    } catch (error) {
      this.options.onError?.(error instanceof Error ? error.message : 'auto TLS round failed');
      return Math.min(this.interval, 1000);
    }
    const times = this.served !== undefined ? certificateTimes(this.served.certPem) : undefined;
    return this.served === undefined ? Math.min(this.interval, 1000) : Math.max(10, nextCheckDelayMs(times, this.options.now(), this.interval, this.expiryWithin));
  }

  private async leaderRound(kubernetes: AutoTlsKubernetes, nowMs: number): Promise<void> {
    const secret = await kubernetes.api.readSecret(kubernetes.namespace, kubernetes.secretName);
    const stored = materialFromSecret(secret?.data);
    // Prefer the Secret (another leader may have rotated); fall back to what we serve.
    const material = await this.fresh({ ca: stored.ca ?? this.material?.ca, serving: stored.serving ?? this.material?.serving }, nowMs);

    // 1. The API server must trust the CA before anyone serves a certificate signed by it.
    const bundles = await kubernetes.api.readWebhookCaBundles(kubernetes.webhookConfigurationName);
    if (bundles === undefined) {
      this.options.onError?.(`MutatingWebhookConfiguration ${kubernetes.webhookConfigurationName} (tls-auto) was not found; its caBundle cannot be set`);
    } else if (bundles.length > 0) {
      const { bundlePem } = caBundleFor(bundles[0], material.ca.certPem, nowMs);
      if (bundles.some((bundle) => caBundleFor(bundle, material.ca.certPem, nowMs).changed || bundle !== bundlePem)) {
        if (!kubernetes.isLeader()) return;
        await kubernetes.api.patchWebhookCaBundles(kubernetes.webhookConfigurationName, bundlePem, bundles.length);
        this.options.onEvent?.('updated the caBundle', { webhookConfiguration: kubernetes.webhookConfigurationName, certificates: (bundlePem.match(/BEGIN CERTIFICATE/g) ?? []).length });
      }
    }

    // 2. Share the material with the followers.
    const unchanged = stored.ca?.certPem === material.ca.certPem && stored.serving?.certPem === material.serving.certPem;
    if (!unchanged) {
      if (!kubernetes.isLeader()) return;
      const result = secret === undefined
        ? await kubernetes.api.createSecret(kubernetes.namespace, kubernetes.secretName, secretData(material))
        : await kubernetes.api.updateSecretData(kubernetes.namespace, kubernetes.secretName, secretData(material), secret.resourceVersion);
      if (result !== 'ok') {
        // Someone wrote the Secret since we read it: read again next round rather than overwrite.
        this.options.onEvent?.('certificate Secret changed while writing it; retrying', { secret: kubernetes.secretName, result });
        return;
      }
      this.options.onEvent?.('wrote the certificate Secret', { secret: kubernetes.secretName, namespace: kubernetes.namespace });
    }
    this.serve(material);
  }

  private async followerRound(kubernetes: AutoTlsKubernetes, nowMs: number): Promise<void> {
    const secret = await kubernetes.api.readSecret(kubernetes.namespace, kubernetes.secretName);
    const stored = materialFromSecret(secret?.data);
    if (stored.ca === undefined || stored.serving === undefined) return;
    const times = certificateTimes(stored.serving.certPem);
    if (times === undefined || times.notAfterMs <= nowMs) return;
    this.serve({ ca: stored.ca, serving: stored.serving });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    await this.running.catch(() => undefined);
  }
}
