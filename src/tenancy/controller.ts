/** The leader-only tenancy controller: reconcile on an interval with the policy in force. */
import type { TenancyPolicy } from './types.ts';
import type { NamespaceLister } from './kube.ts';
import { loadKubeConfig, tenantNamespaceLister } from './kube.ts';
import type { TenancyVault, VaultConnection } from './vault.ts';
import { connectVault, TenancySyncError } from './vault.ts';
import type { SyncResult } from './sync.ts';
import { runTenancySync } from './sync.ts';
import { tenancyErrors } from './errors.ts';

export interface TenancyControllerOptions {
  /** The policy in force now (the server reloads the file); undefined: tenancy is off and nothing is done. */
  currentPolicy: () => TenancyPolicy | undefined;
  /** Only the leader reconciles; followers skip the round. */
  isLeader: () => boolean;
  listNamespaces: NamespaceLister;
  /** A fresh Vault session per round (the Kubernetes-auth login re-reads the rotating service account token). */
  connectVault: () => Promise<TenancyVault>;
  intervalMs: number;
  onResult?: (result: SyncResult) => void;
  onError?: (error: TenancySyncError) => void;
  timers?: { setTimeout: (run: () => void, ms: number) => unknown; clearTimeout: (handle: unknown) => void };
}

export interface TenancyController {
  /** One reconcile round now (tests, and a reload of the policy file); undefined when skipped. */
  runOnce(): Promise<SyncResult | undefined>;
  stop(): Promise<void>;
}

export function startTenancyController(options: TenancyControllerOptions): TenancyController {
  const timers = options.timers ?? {
    setTimeout: (run: () => void, ms: number): unknown => setTimeout(run, ms).unref(),
    clearTimeout: (handle: unknown): void => clearTimeout(handle as NodeJS.Timeout),
  };
  let stopped = false;
  let handle: unknown;
  let running: Promise<SyncResult | undefined> = Promise.resolve(undefined);

  const round = async (): Promise<SyncResult | undefined> => {
    const policy = options.currentPolicy();
    if (stopped || policy === undefined || !options.isLeader()) return undefined;
    let vault: TenancyVault | undefined;
    try {
      vault = await options.connectVault();
      const result = await runTenancySync({ policy, listNamespaces: options.listNamespaces, vault, dryRun: false });
      options.onResult?.(result);
      return result;
    } catch (error) {
      const syncError = error instanceof TenancySyncError ? error : new TenancySyncError(tenancyErrors.syncFailed.code, 'tenants sync failed unexpectedly');
      options.onError?.(syncError);
      return undefined;
    } finally {
      await vault?.close();
    }
  };
  // Rounds never overlap: a slow Vault delays the next round instead of racing it.
  const runOnce = (): Promise<SyncResult | undefined> => {
    running = running.then(round, round);
    return running;
  };
  const schedule = (): void => {
    if (stopped) return;
    handle = timers.setTimeout(() => {
      void runOnce().finally(schedule);
    }, options.intervalMs);
  };
  void runOnce().finally(schedule);
  return {
    runOnce,
    async stop() {
      stopped = true;
      timers.clearTimeout(handle);
      await running.catch(() => undefined);
    },
  };
}

export interface ServerTenancyControllerOptions {
  currentPolicy: () => TenancyPolicy | undefined;
  isLeader: () => boolean;
  /** Vault address and the injector's own Kubernetes-auth login (role, mount, service account token file). */
  vault: VaultConnection;
  /** A kubeconfig file; default: in-cluster configuration. */
  kubeconfigFile?: string;
  /** Default 60 s. */
  intervalMs?: number;
  onResult?: (result: SyncResult) => void;
  onError?: (error: TenancySyncError) => void;
}

/** What the server starts on the leader when a tenancy policy is configured. */
export function startServerTenancyController(options: ServerTenancyControllerOptions): TenancyController {
  const listNamespaces = tenantNamespaceLister(loadKubeConfig(options.kubeconfigFile));
  return startTenancyController({
    currentPolicy: options.currentPolicy,
    isLeader: options.isLeader,
    listNamespaces,
    connectVault: () => connectVault(options.vault),
    intervalMs: options.intervalMs ?? 60_000,
    ...(options.onResult ? { onResult: options.onResult } : {}),
    ...(options.onError ? { onError: options.onError } : {}),
  });
}

export interface TenancyControllerSettings {
  enabled: boolean;
  /** The injector's own Kubernetes-auth role in Vault. */
  vaultRole: string;
  vaultAuthMount: string;
  jwtFile: string;
  caCertFile?: string;
  intervalMs: number;
}

/**
 * The controller's settings from the environment (the chart sets them with tenancy.controller.enabled):
 * AGENT_INJECT_TENANCY_CONTROLLER (true/false), AGENT_INJECT_TENANCY_VAULT_ROLE (required when on),
 * AGENT_INJECT_TENANCY_VAULT_AUTH_PATH (default kubernetes), AGENT_INJECT_TENANCY_JWT_FILE (default the pod's
 * service account token), AGENT_INJECT_TENANCY_VAULT_CA_CERT (file), AGENT_INJECT_TENANCY_SYNC_INTERVAL
 * (seconds or 30s/5m/1h; default 60s).
 */
export function tenancyControllerSettings(env: NodeJS.ProcessEnv): { ok: true; settings: TenancyControllerSettings } | { ok: false; problems: string[] } {
  const problems: string[] = [];
  const flag = (env.AGENT_INJECT_TENANCY_CONTROLLER ?? '').trim();
  const enabled = ['true', 'TRUE', 'True', 't', 'T', '1'].includes(flag);
  if (!enabled && !['', 'false', 'FALSE', 'False', 'f', 'F', '0'].includes(flag)) {
    problems.push(`AGENT_INJECT_TENANCY_CONTROLLER: ${JSON.stringify(flag)} is not a boolean`);
  }
  const vaultRole = (env.AGENT_INJECT_TENANCY_VAULT_ROLE ?? '').trim();
  if (enabled && vaultRole === '') problems.push('AGENT_INJECT_TENANCY_VAULT_ROLE: required when the tenancy controller is on (the injector\'s own Vault role)');
  const intervalText = (env.AGENT_INJECT_TENANCY_SYNC_INTERVAL ?? '60s').trim();
  const match = /^(\d+)(s|m|h)?$/.exec(intervalText);
  const intervalMs = match === null ? NaN : Number(match[1]) * ({ s: 1000, m: 60_000, h: 3_600_000 }[match[2] as 's' | 'm' | 'h' | undefined ?? 's']);
  if (!(intervalMs >= 5000)) problems.push(`AGENT_INJECT_TENANCY_SYNC_INTERVAL: ${JSON.stringify(intervalText)} must be a duration of at least 5s (such as 60s or 5m)`);
  if (problems.length > 0) return { ok: false, problems };
  const caCertFile = env.AGENT_INJECT_TENANCY_VAULT_CA_CERT?.trim();
  return {
    ok: true,
    settings: {
      enabled,
      vaultRole,
      vaultAuthMount: (env.AGENT_INJECT_TENANCY_VAULT_AUTH_PATH ?? 'kubernetes').trim().replace(/^\/*(auth\/)?|\/+$/g, '') || 'kubernetes',
      jwtFile: env.AGENT_INJECT_TENANCY_JWT_FILE?.trim() || '/var/run/secrets/kubernetes.io/serviceaccount/token',
      ...(caCertFile ? { caCertFile } : {}),
      intervalMs,
    },
  };
}
