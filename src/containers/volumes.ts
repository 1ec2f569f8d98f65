// The volumes the injector adds and the mounts that go with them (vault-k8s container_volume.go).
// Every generated volume is an in-memory emptyDir, except the Secrets the user names.
import type { InjectionSpec } from '../spec.ts';
import type { Volume, VolumeMount } from '../pod.ts';
import { AGENT_HOME } from '../agent-config.ts';

export const SECRETS_VOLUME = 'vault-secrets';
export const HOME_INIT_VOLUME = 'home-init';
export const HOME_SIDECAR_VOLUME = 'home-sidecar';
export const EXTRA_SECRETS_VOLUME = 'extra-secrets';
export const TLS_SECRETS_VOLUME = 'vault-tls-secrets';
export const EXTRA_SECRETS_PATH = '/vault/custom';
export const TLS_SECRETS_PATH = '/vault/tls';
export const CONFIG_VOLUME = 'vault-config';
export const CONFIG_PATH = '/vault/configs';
export const CACHE_VOLUME = 'vault-agent-cache';
export const CACHE_VOLUME_PATH = '/vault/agent-cache';

export const customVolumeName = (index: number): string => `${SECRETS_VOLUME}-custom-${index}`;

const memory = (name: string): Volume => ({ name, emptyDir: { medium: 'Memory' } });

export function usesInitAgent(spec: InjectionSpec): boolean {
  return spec.mode === 'init-and-sidecar' || spec.mode === 'init-only';
}

/**
 * vault-k8s's persistent cache: with the cache on and both an init container and a sidecar, the
 * init agent's cache (its token and leases) is handed to the sidecar through a shared volume.
 */
export function persistsCache(spec: InjectionSpec): boolean {
  return spec.agentCache.enabled && spec.mode === 'init-and-sidecar';
}

export function usesSidecarAgent(spec: InjectionSpec): boolean {
  return spec.mode === 'init-and-sidecar' || spec.mode === 'sidecar-only';
}

/** Volumes in vault-k8s's order: homes, secrets (default then custom), config map, extra secret, TLS secret, cache. */
export function injectedVolumes(spec: InjectionSpec): Volume[] {
  const volumes: Volume[] = [];
  if (usesInitAgent(spec)) volumes.push(memory(HOME_INIT_VOLUME));
  if (usesSidecarAgent(spec) || spec.mode === 'native-sidecar') volumes.push(memory(HOME_SIDECAR_VOLUME));
  volumes.push(memory(SECRETS_VOLUME));
  spec.customVolumePaths.forEach((_, index) => volumes.push(memory(customVolumeName(index))));
  if (spec.configMap !== undefined) volumes.push({ name: CONFIG_VOLUME, configMap: { name: spec.configMap } });
  if (spec.extraSecret !== undefined) volumes.push({ name: EXTRA_SECRETS_VOLUME, secret: { secretName: spec.extraSecret } });
  if (spec.tlsSecret !== undefined) volumes.push({ name: TLS_SECRETS_VOLUME, secret: { secretName: spec.tlsSecret } });
  if (persistsCache(spec)) volumes.push(memory(CACHE_VOLUME));
  return volumes;
}

/** What app containers (and existing init containers) mount: the secrets volumes, read-write as in vault-k8s. */
export function secretMounts(spec: InjectionSpec): VolumeMount[] {
  return [
    { name: SECRETS_VOLUME, mountPath: spec.secretVolumePath },
    ...spec.customVolumePaths.map((mountPath, index) => ({ name: customVolumeName(index), mountPath })),
  ];
}

/**
 * An agent container's mounts. The init agent has its home first, the sidecar the token first
 * (vault-k8s's order, which its tests pin).
 */
export function agentMounts(spec: InjectionSpec, home: string, homeFirst: boolean): VolumeMount[] {
  const homeMount: VolumeMount = { name: home, mountPath: AGENT_HOME };
  const tokenMount: VolumeMount = { name: spec.serviceAccount.volumeName, mountPath: spec.serviceAccount.mountPath, readOnly: true };
  const mounts: VolumeMount[] = homeFirst ? [homeMount, tokenMount] : [tokenMount, homeMount];
  mounts.push(...secretMounts(spec));
  if (spec.extraSecret !== undefined) mounts.push({ name: EXTRA_SECRETS_VOLUME, mountPath: EXTRA_SECRETS_PATH, readOnly: true });
  mounts.push(...spec.copiedVolumeMounts.map((mount) => ({ ...mount })));
  if (spec.configMap !== undefined) mounts.push({ name: CONFIG_VOLUME, mountPath: CONFIG_PATH, readOnly: true });
  if (spec.tlsSecret !== undefined) mounts.push({ name: TLS_SECRETS_VOLUME, mountPath: TLS_SECRETS_PATH, readOnly: true });
  if (persistsCache(spec)) mounts.push({ name: CACHE_VOLUME, mountPath: CACHE_VOLUME_PATH });
  return mounts;
}
