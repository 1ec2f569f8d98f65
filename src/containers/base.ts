// What both agent containers share: image, resources, env, securityContext, termination message.
// Our agent image's entrypoint runs the agent and reads VAULT_CONFIG itself: no command, no shell.
import type { Container, VolumeMount } from '../pod.ts';
import type { InjectionSpec } from '../spec.ts';
import { agentEnv } from './env.ts';
import { agentSecurityContext } from './security.ts';
import { CONFIG_PATH } from './volumes.ts';

export const INIT_CONTAINER_NAME = 'vault-agent-init';
export const SIDECAR_CONTAINER_NAME = 'vault-agent';

/** `encodedConfig` undefined: ConfigMap mode, the agent runs `configFile` from the mounted ConfigMap. */
export function agentContainer(spec: InjectionSpec, name: string, encodedConfig: string | undefined, volumeMounts: VolumeMount[], configFile?: string): Container {
  const container: Container = {
    name,
    image: spec.image,
    ...(encodedConfig === undefined && configFile !== undefined ? { args: ['run', '--config', `${CONFIG_PATH}/${configFile}`] } : {}),
    env: agentEnv(spec, encodedConfig),
    resources: { limits: { ...spec.resources.limits }, requests: { ...spec.resources.requests } },
    volumeMounts,
    // The agent writes its one-sentence failure reason there; logs are the fallback when it could not.
    terminationMessagePath: '/dev/termination-log',
    terminationMessagePolicy: 'FallbackToLogsOnError',
  };
  const securityContext = agentSecurityContext(spec);
  if (securityContext !== undefined) container.securityContext = securityContext;
  return container;
}
