/** Shared setup of the tenancy tests that talk HTTP: the Vault double (V) and the namespaces double. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startVaultDouble, type VaultDouble } from '../doubles/vault/index.ts';
import { startNamespacesDouble, type NamespacesDouble } from './namespaces-double.ts';
import { adminPolicyHcl, tenantLabel } from '../../src/tenancy/hcl.ts';
import { loadTenancyPolicy } from '../../src/tenancy/policy.ts';
import type { TenancyPolicy } from '../../src/tenancy/types.ts';
import { policyFile, policyText } from './vectors.ts';

export interface Harness {
  vault: VaultDouble;
  kube: NamespacesDouble;
  policy: TenancyPolicy;
  policyFile: string;
  directory: string;
  /** The injector's own service account JWT (namespace vault, name vault-injector), in a file. */
  injectorJwt: string;
  injectorJwtFile: string;
  kubeconfigFile: string;
  label(namespace: string, tenant: boolean): void;
  /** Requests to the double that change something (not logins or token revocations). */
  writesSince(index: number): string[];
  close(): Promise<void>;
}

export async function startHarness(): Promise<Harness> {
  const vault = await startVaultDouble();
  const kube = await startNamespacesDouble();
  const loaded = loadTenancyPolicy(policyText, policyFile);
  if (!loaded.ok) throw new Error(loaded.problems.join('\n'));

  vault.enableKubernetesAuth('kubernetes');
  // The injector's own role: only what `tenants admin-policy` prints.
  vault.writePolicy('vault-injector-tenancy', adminPolicyHcl('kubernetes'));
  vault.writeKubernetesRole('kubernetes', 'vault-injector', {
    bound_service_account_names: ['vault-injector'], bound_service_account_namespaces: ['vault'], token_policies: ['vault-injector-tenancy'],
  });
  const injectorJwt = vault.issueServiceAccountJwt({ namespace: 'vault', name: 'vault-injector' });

  const directory = await mkdtemp(join(tmpdir(), 'tenancy-sync-'));
  const injectorJwtFile = join(directory, 'token');
  await writeFile(injectorJwtFile, `${injectorJwt}\n`);
  const kubeconfigFile = join(directory, 'kubeconfig');
  await writeFile(kubeconfigFile, kube.kubeconfigYaml());

  return {
    vault, kube, policy: loaded.policy, policyFile, directory, injectorJwt, injectorJwtFile, kubeconfigFile,
    label(namespace, tenant) {
      kube.setNamespace(namespace, tenant ? { [tenantLabel]: 'true', team: namespace } : { team: namespace });
    },
    writesSince(index) {
      return vault.requests.slice(index)
        .filter((request) => ['POST', 'PUT', 'DELETE', 'PATCH'].includes(request.method))
        .filter((request) => !request.path.endsWith('/login') && request.path !== '/v1/auth/token/revoke-self')
        .map((request) => `${request.method} ${request.path}`);
    },
    async close() {
      await vault.close();
      await kube.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}

/** A raw call to the double, as a hand-crafted agent would make it. */
export async function vaultCall(address: string, method: string, path: string, token?: string, body?: unknown): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${address}/v1/${path}`, {
    method,
    headers: { ...(token ? { 'x-vault-token': token } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text === '' ? undefined : JSON.parse(text) };
}
