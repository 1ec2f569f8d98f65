// `vault-agent`: keeps the token and leases alive and re-renders, either as a classic sidecar in
// spec.containers or as a Kubernetes native sidecar (an init container with restartPolicy Always
// whose startup probe passes once the first render is complete, so the app starts after it).
import type { Container } from '../pod.ts';
import type { InjectionSpec } from '../spec.ts';
import { READY_FILE } from '../agent-config.ts';
import { startupProbeCommand } from '../../agent/src/probe.ts';
import { agentContainer, SIDECAR_CONTAINER_NAME } from './base.ts';
import { agentMounts, HOME_SIDECAR_VOLUME } from './volumes.ts';

export function sidecarContainer(spec: InjectionSpec, encodedConfig: string | undefined): Container {
  return agentContainer(spec, SIDECAR_CONTAINER_NAME, encodedConfig, agentMounts(spec, HOME_SIDECAR_VOLUME, false), 'config.hcl');
}

/** Probe timing: checked every second, for up to 5 minutes of first render (login backoff included). */
export const NATIVE_STARTUP_PROBE = { periodSeconds: 1, timeoutSeconds: 5, failureThreshold: 300 } as const;

export function nativeSidecarContainer(spec: InjectionSpec, encodedConfig: string | undefined): Container {
  return {
    ...agentContainer(spec, SIDECAR_CONTAINER_NAME, encodedConfig, agentMounts(spec, HOME_SIDECAR_VOLUME, false)),
    restartPolicy: 'Always',
    startupProbe: { exec: { command: startupProbeCommand(READY_FILE) }, ...NATIVE_STARTUP_PROBE },
  };
}
