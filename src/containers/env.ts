// Environment of the agent containers (vault-k8s container_env.go, less what our agent has no use
// for): the pod's identity for templates, the log settings, and VAULT_CONFIG (base64 JSON config).
import type { EnvVar } from '../pod.ts';
import type { InjectionSpec } from '../spec.ts';

const fieldRef = (name: string, fieldPath: string): EnvVar => ({ name, valueFrom: { fieldRef: { fieldPath } } });

export function agentEnv(spec: InjectionSpec, encodedConfig: string): EnvVar[] {
  return [
    fieldRef('NAMESPACE', 'metadata.namespace'),
    fieldRef('HOST_IP', 'status.hostIP'),
    fieldRef('POD_IP', 'status.podIP'),
    { name: 'VAULT_LOG_LEVEL', value: spec.logLevel },
    { name: 'VAULT_LOG_FORMAT', value: spec.logFormat },
    { name: 'VAULT_CONFIG', value: encodedConfig },
  ];
}
