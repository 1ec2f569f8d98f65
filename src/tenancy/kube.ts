/** The I/O shell that lists tenant namespaces (label vault-injector.io/tenant=true) through @kubernetes/client-node. */
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { tenantLabel, tenantLabelSelector } from './hcl.ts';
import { tenancyErrors } from './errors.ts';
import { TenancySyncError } from './vault.ts';

export type NamespaceLister = () => Promise<string[]>;

/** `kubeconfigFile`: that file; otherwise in-cluster config or $KUBECONFIG / ~/.kube/config (client-node's default). */
export function loadKubeConfig(kubeconfigFile?: string): KubeConfig {
  const config = new KubeConfig();
  if (kubeconfigFile !== undefined) config.loadFromFile(kubeconfigFile);
  else config.loadFromDefault();
  return config;
}

export function tenantNamespaceLister(config: KubeConfig): NamespaceLister {
  const api = config.makeApiClient(CoreV1Api);
  const server = config.getCurrentCluster()?.server ?? '(no cluster in the kubeconfig)';
  return async () => {
    const names: string[] = [];
    let next: string | undefined;
    do {
      let list;
      try {
        list = await api.listNamespace({ labelSelector: tenantLabelSelector, limit: 500, ...(next ? { _continue: next } : {}) });
      } catch (error) {
        const status = (error as { code?: unknown } | undefined)?.code;
        const detail = typeof status === 'number' ? `HTTP ${status}` : typeof status === 'string' ? status : 'request failed';
        throw new TenancySyncError(tenancyErrors.syncKubernetesFailed.code,
          `cannot list namespaces labelled ${tenantLabelSelector} from the Kubernetes API at ${server}: ${detail}`);
      }
      for (const namespace of list.items) {
        const name = namespace.metadata?.name;
        // The selector is the API server's job; checking the label again costs nothing and never provisions a stranger.
        if (typeof name === 'string' && namespace.metadata?.labels?.[tenantLabel] === 'true') names.push(name);
      }
      next = list.metadata?._continue || undefined;
    } while (next !== undefined);
    return names.sort();
  };
}
