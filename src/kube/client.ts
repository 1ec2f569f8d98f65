/**
 * The few Kubernetes API calls the webhook makes, as thin wrappers over @kubernetes/client-node.
 * Conflicts (409) and absence (404) are results, not exceptions: the callers decide on them.
 * Everything else (403, 5xx, network) throws a KubeError that names the call, never a body.
 */
import { AdmissionregistrationV1Api, ApiException, CoordinationV1Api, CoreV1Api, KubeConfig, V1MicroTime } from '@kubernetes/client-node';
import type { V1Lease, V1Secret } from '@kubernetes/client-node';

export class KubeError extends Error {
  constructor(readonly call: string, readonly status: number | undefined, readonly reason: string | undefined) {
    super(`Kubernetes API call ${call} failed${status !== undefined ? ` with HTTP ${status}` : ''}${reason !== undefined ? ` (${reason})` : ''}`);
    this.name = 'KubeError';
  }
}

export interface SecretRecord {
  resourceVersion: string;
  /** Decoded values of `data`. */
  data: Readonly<Record<string, string>>;
}

export interface LeaseRecord {
  resourceVersion: string;
  holderIdentity: string | undefined;
  leaseDurationSeconds: number | undefined;
  acquireTimeMs: number | undefined;
  renewTimeMs: number | undefined;
  leaseTransitions: number;
}

export interface LeaseSpecInput {
  holderIdentity: string;
  leaseDurationSeconds: number;
  acquireTimeMs: number;
  renewTimeMs: number;
  leaseTransitions: number;
}

export type WriteResult = 'ok' | 'conflict';

/** What the certificate and leader code need from Kubernetes; implemented over client-node below. */
export interface KubeApi {
  /** caBundle (decoded PEM, '' when unset) of each webhook, or undefined when the configuration does not exist. */
  readWebhookCaBundles(configurationName: string): Promise<string[] | undefined>;
  /** Sets the caBundle of every webhook of the configuration (JSON patch, as vault-k8s). */
  patchWebhookCaBundles(configurationName: string, bundlePem: string, webhookCount: number): Promise<void>;
  readSecret(namespace: string, name: string): Promise<SecretRecord | undefined>;
  createSecret(namespace: string, name: string, data: Readonly<Record<string, string>>): Promise<WriteResult>;
  /** Replaces `data` only, keeping the Secret's other metadata (labels, annotations: vault-k8s GH-401). */
  updateSecretData(namespace: string, name: string, data: Readonly<Record<string, string>>, resourceVersion: string): Promise<WriteResult | 'missing'>;
  readLease(namespace: string, name: string): Promise<LeaseRecord | undefined>;
  createLease(namespace: string, name: string, spec: LeaseSpecInput): Promise<WriteResult>;
  updateLease(namespace: string, name: string, spec: LeaseSpecInput, resourceVersion: string): Promise<WriteResult | 'missing'>;
}

function statusOf(error: unknown): number | undefined {
  return error instanceof ApiException ? error.code : undefined;
}

function reasonOf(error: unknown): string | undefined {
  if (!(error instanceof ApiException)) {
    return error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
  }
  const body: unknown = typeof error.body === 'string' ? safeJson(error.body) : error.body;
  if (body !== null && typeof body === 'object' && 'reason' in body && typeof body.reason === 'string') return body.reason;
  return undefined;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function fail(call: string, error: unknown): never {
  throw new KubeError(call, statusOf(error), reasonOf(error));
}

function decodeData(data: Record<string, string> | undefined): Record<string, string> {
  const decoded: Record<string, string> = {};
  for (const [key, value] of Object.entries(data ?? {})) decoded[key] = Buffer.from(value, 'base64').toString('utf8');
  return decoded;
}

function encodeData(data: Readonly<Record<string, string>>): Record<string, string> {
  const encoded: Record<string, string> = {};
  for (const [key, value] of Object.entries(data)) encoded[key] = Buffer.from(value, 'utf8').toString('base64');
  return encoded;
}

function timeMs(value: Date | string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = value instanceof Date ? value.getTime() : Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

function leaseRecord(lease: V1Lease): LeaseRecord {
  const spec = lease.spec ?? {};
  return {
    resourceVersion: lease.metadata?.resourceVersion ?? '',
    holderIdentity: spec.holderIdentity === '' ? undefined : spec.holderIdentity,
    leaseDurationSeconds: spec.leaseDurationSeconds,
    acquireTimeMs: timeMs(spec.acquireTime as Date | string | undefined),
    renewTimeMs: timeMs(spec.renewTime as Date | string | undefined),
    leaseTransitions: spec.leaseTransitions ?? 0,
  };
}

function leaseBody(namespace: string, name: string, spec: LeaseSpecInput, resourceVersion?: string): V1Lease {
  return {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: { name, namespace, ...(resourceVersion !== undefined ? { resourceVersion } : {}) },
    spec: {
      holderIdentity: spec.holderIdentity,
      leaseDurationSeconds: spec.leaseDurationSeconds,
      acquireTime: new V1MicroTime(spec.acquireTimeMs),
      renewTime: new V1MicroTime(spec.renewTimeMs),
      leaseTransitions: spec.leaseTransitions,
    },
  };
}

export function createKubeApi(kubeConfig: KubeConfig): KubeApi {
  const admission = kubeConfig.makeApiClient(AdmissionregistrationV1Api);
  const core = kubeConfig.makeApiClient(CoreV1Api);
  const coordination = kubeConfig.makeApiClient(CoordinationV1Api);

  return {
    async readWebhookCaBundles(configurationName) {
      try {
        const configuration = await admission.readMutatingWebhookConfiguration({ name: configurationName });
        return (configuration.webhooks ?? []).map((webhook) => {
          const bundle = webhook.clientConfig.caBundle;
          return bundle === undefined || bundle === '' ? '' : Buffer.from(bundle, 'base64').toString('utf8');
        });
      } catch (error) {
        if (statusOf(error) === 404) return undefined;
        fail(`get mutatingwebhookconfigurations/${configurationName}`, error);
      }
    },

    async patchWebhookCaBundles(configurationName, bundlePem, webhookCount) {
      const value = Buffer.from(bundlePem, 'utf8').toString('base64');
      // `add` on an existing member replaces it (RFC 6902), so this works whether caBundle is set or not.
      const patch = Array.from({ length: webhookCount }, (_unused, index) => ({ op: 'add', path: `/webhooks/${index}/clientConfig/caBundle`, value }));
      try {
        await admission.patchMutatingWebhookConfiguration({ name: configurationName, body: patch });
      } catch (error) {
        fail(`patch mutatingwebhookconfigurations/${configurationName}`, error);
      }
    },

    async readSecret(namespace, name) {
      try {
        const secret = await core.readNamespacedSecret({ name, namespace });
        return { resourceVersion: secret.metadata?.resourceVersion ?? '', data: decodeData(secret.data) };
      } catch (error) {
        if (statusOf(error) === 404) return undefined;
        fail(`get secrets/${name} in ${namespace}`, error);
      }
    },

    async createSecret(namespace, name, data) {
      const body: V1Secret = { apiVersion: 'v1', kind: 'Secret', type: 'Opaque', metadata: { name, namespace }, data: encodeData(data) };
      try {
        await core.createNamespacedSecret({ namespace, body });
        return 'ok';
      } catch (error) {
        if (statusOf(error) === 409) return 'conflict';
        fail(`create secrets/${name} in ${namespace}`, error);
      }
    },

    async updateSecretData(namespace, name, data, resourceVersion) {
      try {
        const current = await core.readNamespacedSecret({ name, namespace });
        const body: V1Secret = { ...current, metadata: { ...current.metadata, resourceVersion }, data: encodeData(data) };
        delete body.stringData;
        await core.replaceNamespacedSecret({ name, namespace, body });
        return 'ok';
      } catch (error) {
        if (statusOf(error) === 409) return 'conflict';
        if (statusOf(error) === 404) return 'missing';
        fail(`update secrets/${name} in ${namespace}`, error);
      }
    },

    async readLease(namespace, name) {
      try {
        return leaseRecord(await coordination.readNamespacedLease({ name, namespace }));
      } catch (error) {
        if (statusOf(error) === 404) return undefined;
        fail(`get leases/${name} in ${namespace}`, error);
      }
    },

    async createLease(namespace, name, spec) {
      try {
        await coordination.createNamespacedLease({ namespace, body: leaseBody(namespace, name, spec) });
        return 'ok';
      } catch (error) {
        if (statusOf(error) === 409) return 'conflict';
        fail(`create leases/${name} in ${namespace}`, error);
      }
    },

    async updateLease(namespace, name, spec, resourceVersion) {
      try {
        await coordination.replaceNamespacedLease({ name, namespace, body: leaseBody(namespace, name, spec, resourceVersion) });
        return 'ok';
      } catch (error) {
        if (statusOf(error) === 409) return 'conflict';
        if (statusOf(error) === 404) return 'missing';
        fail(`update leases/${name} in ${namespace}`, error);
      }
    },
  };
}

/** A KubeConfig from the pod's service account (in cluster) or the usual kubeconfig search. */
export function defaultKubeConfig(): KubeConfig {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromDefault();
  return kubeConfig;
}
