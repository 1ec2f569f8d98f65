/**
 * The webhook server: composes the certificate source, the tenancy policy file, metrics, logging
 * and signals around the pure `handleAdmissionReview`. Answering never calls Vault nor any
 * address taken from a pod. Its outbound calls are to the Kubernetes API with -tls-auto, and, only
 * when the tenant controller is turned on, the leader's background sync of Vault policies and roles.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { KubeConfig } from '@kubernetes/client-node';
import { handleAdmissionReview, warmUp } from '../admission/review.ts';
import { VerdictCache } from '../admission/cache.ts';
import type { AdmissionHooks } from '../admission/review.ts';
import type { InjectorSettings } from '../settings.ts';
import { createLogger } from '../logger.ts';
import type { Logger } from '../logger.ts';
import { createMetrics } from '../metrics.ts';
import type { InjectorMetrics } from '../metrics.ts';
import { AutoCertificateSource, DEFAULT_CERT_SECRET_NAME } from '../tls/auto.ts';
import { FileCertificateSource } from '../tls/files.ts';
import type { CertificateSource } from '../tls/source.ts';
import type { KeyPairPem } from '../tls/generate.ts';
import { caBundleFor } from '../tls/schedule.ts';
import type { KubeApi } from '../kube/client.ts';
import { DEFAULT_LEADER_TIMINGS, LeaderElector } from '../kube/leader.ts';
import type { LeaderTimings } from '../kube/leader.ts';
import { buildApp } from './app.ts';
import { tenancyPolicyOf } from '../tenancy/policy.ts';
import { localUrl, parseListen } from './listen.ts';
import { TenancyPolicyFile } from './tenancy-file.ts';
import { installSignalHandlers } from './signals.ts';

export const LEADER_LEASE_NAME = 'vault-injector-leader';

export interface ServerDeps {
  logger?: Logger;
  metrics?: InjectorMetrics;
  /** Kubernetes access for -tls-auto; the in-cluster/kubeconfig default when absent. */
  kubeConfig?: KubeConfig;
  kubeApi?: KubeApi;
  now?: () => number;
  /** Leader election identity (default: POD_NAME, else hostname plus a random suffix). */
  identity?: string;
  leaderTimings?: LeaderTimings;
  autoTls?: { caValidityMs?: number; servingValidityMs?: number; expiryWithin?: number; checkIntervalMs?: number; secretName?: string };
  filePollIntervalMs?: number;
  bodyLimitBytes?: number;
  /** Install SIGTERM/SIGINT handlers that drain and exit (default true; tests running several servers pass false). */
  handleSignals?: boolean;
  /** Where the tenant controller's AGENT_INJECT_TENANCY_* settings come from (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** The tenant controller's Kubernetes access (namespaces); default in-cluster. */
  tenancyKubeconfigFile?: string;
}

export interface RunningServer {
  url: string;
  port: number;
  /** The CA of the served certificate when the webhook generated it or was given tls-ca-cert-file. */
  caPem(): string | undefined;
  isLeader(): boolean;
  close(): Promise<void>;
}

const TLS_VERSIONS = { tls12: 'TLSv1.2', tls13: 'TLSv1.3' } as const;

/** @kubernetes/client-node is large: load it only when -tls-auto needs the Kubernetes API. */
async function kubeApiFrom(kubeConfig: KubeConfig | undefined): Promise<KubeApi> {
  const { createKubeApi, defaultKubeConfig } = await import('../kube/client.ts');
  return createKubeApi(kubeConfig ?? defaultKubeConfig());
}

function defaultIdentity(): string {
  const podName = process.env['POD_NAME'];
  return podName !== undefined && podName !== '' ? podName : `${hostname()}_${randomUUID()}`;
}

export async function startServer(settings: InjectorSettings, deps: ServerDeps = {}): Promise<RunningServer> {
  const logger = deps.logger ?? createLogger({ level: settings.logLevel, format: settings.logFormat, name: 'handler' });
  const metrics = deps.metrics ?? createMetrics();
  const now = deps.now ?? Date.now;
  const listen = parseListen(settings.listen);
  if ('problem' in listen) throw new Error(listen.problem);

  // Tenancy policy first: an invalid policy file stops the start with every problem listed.
  const hooks: AdmissionHooks = { verdicts: new VerdictCache() };
  let tenancyFile: TenancyPolicyFile | undefined;
  if (settings.tenancyPolicyFile !== undefined) {
    tenancyFile = new TenancyPolicyFile(settings.tenancyPolicyFile, (check) => {
      hooks.tenancy = check;
    }, {
      onReloaded: (path) => logger.info({ file: path }, 'tenancy policy reloaded'),
      onRejected: (path, problems) => logger.error({ file: path, problems }, 'tenancy policy change rejected; the previous policy stays in force'),
    }, deps.filePollIntervalMs ?? 1000);
    await tenancyFile.start();
    logger.info({ file: settings.tenancyPolicyFile }, 'tenancy policy loaded');
  }

  // Certificates: files, or auto TLS (with Kubernetes when -tls-auto names a webhook configuration).
  let elector: LeaderElector | undefined;
  let kubeApi: KubeApi | undefined;
  let source: CertificateSource;
  let caPem: () => string | undefined;
  if (settings.tlsCertFile !== undefined || settings.tlsKeyFile !== undefined) {
    if (settings.tlsCertFile === undefined || settings.tlsKeyFile === undefined) {
      throw new Error('tls-cert-file and tls-key-file must be given together');
    }
    const files = new FileCertificateSource({
      certFile: settings.tlsCertFile,
      keyFile: settings.tlsKeyFile,
      ...(settings.tlsCaCertFile !== undefined ? { caFile: settings.tlsCaCertFile } : {}),
      pollIntervalMs: deps.filePollIntervalMs ?? 1000,
      onError: (message) => logger.error({ errorCode: 'VI_TLS_FILES' }, message),
    });
    source = files;
    caPem = () => files.caPem();
  } else {
    const hosts = settings.tlsAutoHosts.length > 0 ? settings.tlsAutoHosts : ['localhost', '127.0.0.1'];
    let kubernetes;
    if (settings.tlsAuto !== undefined) {
      kubeApi = deps.kubeApi ?? await kubeApiFrom(deps.kubeConfig);
      elector = new LeaderElector(kubeApi, { namespace: settings.podNamespace, name: LEADER_LEASE_NAME }, deps.identity ?? defaultIdentity(), deps.leaderTimings ?? DEFAULT_LEADER_TIMINGS, now, {
        onStartedLeading: () => logger.info({ lease: LEADER_LEASE_NAME, namespace: settings.podNamespace }, 'became the leader'),
        onStoppedLeading: () => logger.info({ lease: LEADER_LEASE_NAME, namespace: settings.podNamespace }, 'stopped leading'),
        onError: (error) => logger.warn({ errorCode: 'VI_LEADER_ELECTION' }, error instanceof Error ? error.message : 'leader election failed'),
      });
      const leader = elector;
      kubernetes = {
        api: kubeApi,
        webhookConfigurationName: settings.tlsAuto,
        namespace: settings.podNamespace,
        secretName: deps.autoTls?.secretName ?? DEFAULT_CERT_SECRET_NAME,
        isLeader: () => leader.isLeader(),
      };
    }
    const auto = new AutoCertificateSource({
      hosts,
      now,
      ...(deps.autoTls?.caValidityMs !== undefined ? { caValidityMs: deps.autoTls.caValidityMs } : {}),
      ...(deps.autoTls?.servingValidityMs !== undefined ? { servingValidityMs: deps.autoTls.servingValidityMs } : {}),
      ...(deps.autoTls?.expiryWithin !== undefined ? { expiryWithin: deps.autoTls.expiryWithin } : {}),
      ...(deps.autoTls?.checkIntervalMs !== undefined ? { checkIntervalMs: deps.autoTls.checkIntervalMs } : {}),
      ...(kubernetes !== undefined ? { kubernetes } : {}),
      onError: (message) => logger.error({ errorCode: 'VI_TLS_AUTO' }, message),
      onEvent: (message, fields) => logger.info(fields ?? {}, message),
    });
    source = auto;
    caPem = () => auto.caPem();
  }

  // A start that fails after this point must not leave timers, watchers or a held Lease behind.
  const abandon = async (): Promise<void> => {
    await source.stop().catch(() => undefined);
    await tenancyFile?.stop().catch(() => undefined);
    await elector?.stop().catch(() => undefined);
  };
  let first: KeyPairPem;
  try {
    if (elector !== undefined) await elector.start();
    first = await source.start();
  } catch (error) {
    await abandon();
    throw error;
  }
  if (settings.tlsAuto === undefined && settings.tlsCertFile === undefined) {
    // Local mode (`npm start` without certificates): clients need this CA to verify the server.
    logger.info({ caCertificate: caPem() }, 'serving a generated certificate (no -tls-cert-file, no -tls-auto)');
  }
  // The first real pod should not pay for lazy compilation and empty caches.
  warmUp(settings);
  let served = false;
  let closing = false;

  const minVersion = TLS_VERSIONS[settings.tlsMinVersion ?? 'tls12'];
  const app = buildApp({
    https: { key: first.keyPem, cert: first.certPem, minVersion },
    admit: (body) => handleAdmissionReview(body, settings, hooks),
    logger,
    metrics,
    isReady: () => served && !closing,
    ...(deps.bodyLimitBytes !== undefined ? { bodyLimitBytes: deps.bodyLimitBytes } : {}),
    ...(settings.telemetryPath !== undefined ? { telemetryPath: settings.telemetryPath } : {}),
  });
  source.onUpdate(({ pair }) => {
    // New connections get the new certificate; open connections finish on the old one.
    try {
      app.server.setSecureContext({ key: pair.keyPem, cert: pair.certPem, minVersion });
      logger.info({}, 'serving a new certificate');
    } catch {
      logger.error({ errorCode: 'VI_TLS_CONTEXT' }, 'the new certificate could not be loaded into TLS; the previous one is still served');
    }
  });

  // -tls-auto with certificate files: the leader keeps the caBundle on tls-ca-cert-file (vault-k8s GH-679).
  let bundleTimer: NodeJS.Timeout | undefined;
  if (settings.tlsAuto !== undefined && settings.tlsCertFile !== undefined && settings.tlsCaCertFile !== undefined) {
    const api = kubeApi = deps.kubeApi ?? await kubeApiFrom(deps.kubeConfig);
    const leader = elector = new LeaderElector(api, { namespace: settings.podNamespace, name: LEADER_LEASE_NAME }, deps.identity ?? defaultIdentity(), deps.leaderTimings ?? DEFAULT_LEADER_TIMINGS, now);
    await leader.start();
    const configurationName = settings.tlsAuto;
    const publish = async (): Promise<void> => {
      const ca = caPem();
      if (ca === undefined || !leader.isLeader()) return;
      try {
        const bundles = await api.readWebhookCaBundles(configurationName);
        if (bundles === undefined || bundles.length === 0) return;
        const { bundlePem } = caBundleFor(bundles[0], ca, now());
        if (bundles.some((bundle) => bundle !== bundlePem)) await api.patchWebhookCaBundles(configurationName, bundlePem, bundles.length);
      } catch (error) {
        logger.error({ errorCode: 'VI_TLS_AUTO' }, error instanceof Error ? error.message : 'caBundle update failed');
      }
    };
    await publish();
    bundleTimer = setInterval(() => void publish(), deps.autoTls?.checkIntervalMs ?? 5000);
    bundleTimer.unref();
  }

  // The tenant controller (AGENT_INJECT_TENANCY_CONTROLLER): only the leader writes each tenant
  // namespace's Vault policy and role. It needs a leader even without -tls-auto.
  let tenancyController: { stop(): Promise<void> | void } | undefined;
  const { tenancyControllerSettings, startServerTenancyController } = await import('../tenancy/controller.ts');
  const controllerSettings = tenancyControllerSettings(deps.env ?? process.env);
  if (!controllerSettings.ok || (controllerSettings.settings.enabled && settings.tenancyPolicyFile === undefined)) {
    await app.close().catch(() => undefined);
    await abandon();
    throw new Error(controllerSettings.ok
      ? 'the tenant controller (AGENT_INJECT_TENANCY_CONTROLLER) needs a tenancy policy file (-tenancy / AGENT_INJECT_TENANCY_POLICY_FILE)'
      : controllerSettings.problems.join('; '));
  }
  if (controllerSettings.settings.enabled) {
    const controller = controllerSettings.settings;
    if (elector === undefined) {
      const api = kubeApi ?? deps.kubeApi ?? await kubeApiFrom(deps.kubeConfig);
      elector = new LeaderElector(api, { namespace: settings.podNamespace, name: LEADER_LEASE_NAME }, deps.identity ?? defaultIdentity(), deps.leaderTimings ?? DEFAULT_LEADER_TIMINGS, now);
      await elector.start();
    }
    const leader = elector;
    tenancyController = startServerTenancyController({
      currentPolicy: () => tenancyPolicyOf(hooks.tenancy),
      isLeader: () => leader.isLeader(),
      vault: {
        address: settings.vaultAddress,
        credentials: { kind: 'kubernetes', mount: controller.vaultAuthMount, role: controller.vaultRole, jwtFile: controller.jwtFile },
        ...(controller.caCertFile !== undefined ? { caCertFile: controller.caCertFile } : {}),
      },
      ...(deps.tenancyKubeconfigFile !== undefined ? { kubeconfigFile: deps.tenancyKubeconfigFile } : {}),
      intervalMs: controller.intervalMs,
      onResult: (result) => logger.info({ tenants: result }, 'tenant sync round finished'),
      onError: (error) => logger.error({ errorCode: 'VI_TENANCY_CONTROLLER', tenancyCode: error.code }, error.message),
    });
    logger.info({ intervalMs: controller.intervalMs, role: controller.vaultRole }, 'tenant controller started (syncs on the leader)');
  }

  try {
    await app.listen({ host: listen.host, port: listen.port });
  } catch (error) {
    if (bundleTimer !== undefined) clearInterval(bundleTimer);
    await tenancyController?.stop();
    await app.close().catch(() => undefined);
    await abandon();
    const code = error instanceof Error && 'code' in error ? String(error.code) : 'unknown error';
    throw new Error(`cannot listen on ${settings.listen} (-listen): ${code}`);
  }
  served = true;
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : listen.port;
  const url = localUrl(listen.host, port);
  logger.info({ url, tlsMinVersion: minVersion, http2: true }, 'listening');

  let closed: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closed ??= (async () => {
      closing = true;
      if (bundleTimer !== undefined) clearInterval(bundleTimer);
      // fastify stops accepting, answers in-flight requests, then closes idle and HTTP/2 sessions.
      await app.close();
      await source.stop();
      await tenancyController?.stop();
      await tenancyFile?.stop();
      await elector?.stop();
      logger.info({}, 'stopped');
    })();
    return closed;
  };

  if (deps.handleSignals ?? true) installSignalHandlers(close, logger);

  const leaderRef = elector;
  return { url, port, caPem, isLeader: () => leaderRef?.isLeader() ?? false, close };
}
