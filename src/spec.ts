// InjectionSpec: everything the annotations (with the injector's defaults) ask for, resolved
// against the pod. Built by annotations/parse.ts; read by agent-config.ts and containers/*.
import type { JsonPatch } from './annotations/json-patch.ts';
import type { AgentLogLevel } from './annotations/values.ts';
import type { VolumeMount } from './pod.ts';
import type { ConnectionFeature } from '../agent/src/config/schema.ts';

/** How the agent runs: vault-k8s's three shapes, plus one native sidecar (ours). */
export type AgentMode = 'init-and-sidecar' | 'init-only' | 'sidecar-only' | 'native-sidecar';

export interface SecretSpec {
  /** NAME as written in the annotation keys (case kept). */
  name: string;
  /** The annotation whose text the template comes from (for error messages and tenancy). */
  templateAnnotation: string;
  /** agent-inject-secret-NAME, when given. */
  path?: string;
  /** Inline or default template text; absent when a template file is used. */
  contents?: string;
  /** Whether `contents` is the default map/json template built from `path`. */
  isDefaultTemplate: boolean;
  /** agent-inject-template-file-NAME, used when there is no inline template. */
  source?: string;
  mountPath: string;
  destination: string;
  perms?: string;
  command?: string;
  leftDelimiter: string;
  rightDelimiter: string;
  errorOnMissingKey: boolean;
}

export interface ServiceAccountToken {
  volumeName: string;
  /** Where the agent containers mount the token volume. */
  mountPath: string;
  /** The token file: mountPath joined with the projected path. */
  tokenFile: string;
}

export interface InjectionSpec {
  namespace: string;
  /** All `vault.hashicorp.com/*` annotations of the pod, as given. */
  annotations: Readonly<Record<string, string>>;
  role: string;
  authPath: string;
  vaultNamespace?: string;
  authMinBackoff?: string;
  authMaxBackoff?: string;
  autoAuthExitOnErr: boolean;
  vault: {
    address: string;
    caCert?: string;
    caPath?: string;
    tlsSkipVerify: boolean;
    tlsServerName?: string;
    clientCert?: string;
    clientKey?: string;
    /** The injector's CA bundle (VAULT_CACERT_BYTES), PEM. */
    caCertBytes?: string;
    /** HTTPS_PROXY of the agent containers. */
    proxyAddress?: string;
    /** VAULT_CLIENT_TIMEOUT, as given (seconds or a Go duration). */
    clientTimeout?: string;
    /** VAULT_MAX_RETRIES. */
    clientMaxRetries?: number;
  };
  disableIdleConnections: ConnectionFeature[];
  disableKeepAlives: ConnectionFeature[];
  /** go-max-procs: GOMAXPROCS, UV_THREADPOOL_SIZE and V8's pool size of the agent containers. */
  goMaxProcs?: number;
  serviceAccount: ServiceAccountToken;
  /** auto_auth token_path: auth-config-token-path, else the discovered token file. */
  tokenPath: string;
  /** agent-configmap: the agents run the HCL configs of this ConfigMap instead of the generated one. */
  configMap?: string;
  /** auth-type: the auto-auth method. */
  authType: 'kubernetes' | 'jwt';
  /** The other auth-config-KEY values (KEY with `_`), checked against the method's keys; jwt has `path` filled in. */
  authConfig: Readonly<Record<string, string>>;
  image: string;
  resources: { limits: Record<string, string>; requests: Record<string, string> };
  securityContext?: { runAsUser: number; runAsGroup: number };
  mode: AgentMode;
  initFirst: boolean;
  /** App containers (spec.containers names) that get the secrets volume. */
  injectContainers: string[];
  injectToken: boolean;
  secretVolumePath: string;
  /** Distinct per-secret mount paths other than secretVolumePath, in secret order: volume vault-secrets-custom-N. */
  customVolumePaths: string[];
  /** Sorted by name. */
  secrets: SecretSpec[];
  shareProcessNamespace?: boolean;
  revokeOnShutdown: boolean;
  revokeGrace: number;
  tlsSecret?: string;
  extraSecret?: string;
  /** Mounts copied from agent-copy-volume-mounts' container (service account mounts skipped). */
  copiedVolumeMounts: VolumeMount[];
  jsonPatch: JsonPatch;
  initJsonPatch: JsonPatch;
  templateConfig: {
    exitOnRetryFailure: boolean;
    staticSecretRenderInterval?: string;
    leaseRenewalThreshold?: number;
    maxConnectionsPerHost?: number;
  };
  logLevel: AgentLogLevel;
  logFormat: 'json' | 'standard';
  /** agent-cache-*: the listener's API proxy and lease cache. */
  agentCache: {
    enabled: boolean;
    /** As given: true/false words or force (cache.use_auto_auth_token). */
    useAutoAuthToken: string;
    listenerPort: string;
    exitOnErr: boolean;
  };
  /** agent-enable-quit. */
  enableQuit: boolean;
  /** agent-telemetry-*: the telemetry stanza, keys with `_`; absent when no such annotation. */
  telemetry?: Record<string, unknown>;
}
