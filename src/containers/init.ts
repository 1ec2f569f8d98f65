// `vault-agent-init`: renders every file once before the app starts, then exits.
import type { Container } from '../pod.ts';
import type { InjectionSpec } from '../spec.ts';
import { agentContainer, INIT_CONTAINER_NAME } from './base.ts';
import { agentMounts, HOME_INIT_VOLUME } from './volumes.ts';

export function initContainer(spec: InjectionSpec, encodedConfig: string | undefined): Container {
  return agentContainer(spec, INIT_CONTAINER_NAME, encodedConfig, agentMounts(spec, HOME_INIT_VOLUME, true), 'config-init.hcl');
}
