// Environment of the agent containers (vault-k8s container_env.go, less what our agent has no use
// for): the pod's identity for templates, the log settings, and VAULT_CONFIG (base64 JSON config).
import type { EnvVar } from '../pod.ts';
import type { InjectionSpec } from '../spec.ts';

const fieldRef = (name: string, fieldPath: string): EnvVar => ({ name, valueFrom: { fieldRef: { fieldPath } } });

/** In vault-k8s's order (container_env.go); the two thread settings of ours follow GOMAXPROCS. With agent-configmap
 *  (`encodedConfig` undefined) there is no VAULT_CONFIG but the connection settings as the Vault client's variables. */
export function agentEnv(spec: InjectionSpec, encodedConfig: string | undefined): EnvVar[] {
  const env: EnvVar[] = [
    fieldRef('NAMESPACE', 'metadata.namespace'),
    fieldRef('HOST_IP', 'status.hostIP'),
    fieldRef('POD_IP', 'status.podIP'),
  ];
  if (spec.goMaxProcs !== undefined) {
    const count = String(spec.goMaxProcs);
    env.push({ name: 'GOMAXPROCS', value: count }, { name: 'UV_THREADPOOL_SIZE', value: count }, { name: 'NODE_OPTIONS', value: `--v8-pool-size=${count}` });
  }
  if (spec.vault.clientTimeout !== undefined) env.push({ name: 'VAULT_CLIENT_TIMEOUT', value: spec.vault.clientTimeout });
  if (spec.vault.clientMaxRetries !== undefined) env.push({ name: 'VAULT_MAX_RETRIES', value: String(spec.vault.clientMaxRetries) });
  env.push({ name: 'VAULT_LOG_LEVEL', value: spec.logLevel }, { name: 'VAULT_LOG_FORMAT', value: spec.logFormat });
  if (spec.vault.proxyAddress !== undefined) env.push({ name: 'HTTPS_PROXY', value: spec.vault.proxyAddress });
  if (encodedConfig !== undefined) env.push({ name: 'VAULT_CONFIG', value: encodedConfig });
  else env.push(...connectionEnv(spec));
  if (spec.vault.caCertBytes !== undefined) env.push({ name: 'VAULT_CACERT_BYTES', value: spec.vault.caCertBytes });
  return env;
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
