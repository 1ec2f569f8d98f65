// Environment of the agent containers (vault-k8s container_env.go, less what our agent has no use
// for): the pod's identity for templates, the log settings, and VAULT_CONFIG (base64 JSON config).
import type { EnvVar } from '../pod.ts';
import type { InjectionSpec } from '../spec.ts';

const fieldRef = (name: string, fieldPath: string): EnvVar => ({ name, valueFrom: { fieldRef: { fieldPath } } });

export function agentEnv(spec: InjectionSpec, encodedConfig: string | undefined): EnvVar[] {
  return [
    fieldRef('NAMESPACE', 'metadata.namespace'),
    fieldRef('HOST_IP', 'status.hostIP'),
    fieldRef('POD_IP', 'status.podIP'),
    { name: 'VAULT_LOG_LEVEL', value: spec.logLevel },
    { name: 'VAULT_LOG_FORMAT', value: spec.logFormat },
    ...(encodedConfig !== undefined ? [{ name: 'VAULT_CONFIG', value: encodedConfig }] : connectionEnv(spec)),
  ];
}

/** ConfigMap mode (vault-k8s container_env.go): the connection settings as the Vault client's variables. */
function connectionEnv(spec: InjectionSpec): EnvVar[] {
  const { vault } = spec;
  const optional = (name: string, value: string | undefined): EnvVar[] => (value === undefined || value === '' ? [] : [{ name, value }]);
  return [
    ...optional('VAULT_ADDR', vault.address),
    ...optional('VAULT_CACERT', vault.caCert),
    ...optional('VAULT_CAPATH', vault.caPath),
    ...optional('VAULT_CLIENT_CERT', vault.clientCert),
    ...optional('VAULT_CLIENT_KEY', vault.clientKey),
    { name: 'VAULT_SKIP_VERIFY', value: vault.tlsSkipVerify ? 'true' : 'false' },
    ...optional('VAULT_TLS_SERVER_NAME', vault.tlsServerName),
  ];
}
