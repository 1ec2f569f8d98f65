import type { KeyPairPem } from './generate.ts';

export interface CertificateUpdate {
  pair: KeyPairPem;
  /** The CA that signed `pair`, when known (auto TLS, tls-ca-cert-file). */
  caPem: string | undefined;
}

/** Where the served certificate comes from; the server swaps its TLS context on every update. */
export interface CertificateSource {
  /** Resolves with the first certificate (the server listens only then). */
  start(): Promise<KeyPairPem>;
  onUpdate(listener: (update: CertificateUpdate) => void): void;
  stop(): Promise<void>;
}
