/** `tenants sync`: read Kubernetes and Vault, plan (pure), apply. Also the leader-only controller loop. */
import type { TenancyPolicy } from './types.ts';
import type { SyncChange, SyncPlan } from './plan.ts';
import { planTenancySync, rolesToRead } from './plan.ts';
import type { NamespaceLister } from './kube.ts';
import type { TenancyVault } from './vault.ts';

export interface SyncResult {
  plan: SyncPlan;
  /** The changes made (empty on a dry run). */
  applied: SyncChange[];
  dryRun: boolean;
}

export interface SyncDependencies {
  policy: TenancyPolicy;
  listNamespaces: NamespaceLister;
  vault: TenancyVault;
  dryRun: boolean;
}

/** Reads everything before writing anything; a failed listing changes nothing (never a mass removal). */
export async function runTenancySync({ policy, listNamespaces, vault, dryRun }: SyncDependencies): Promise<SyncResult> {
  const labelled = await listNamespaces();
  const policyNames = (await vault.listPolicies()).filter((name) => name.startsWith('tenant-')).sort();
  const policies = new Map<string, string>();
  for (const name of policyNames) {
    const text = await vault.readPolicy(name);
    if (text !== undefined) policies.set(name, text);
  }
  const roles = new Map<string, Awaited<ReturnType<TenancyVault['readRole']>>>();
  for (const name of rolesToRead(labelled, policies)) roles.set(name, await vault.readRole(policy.vault.authMount, name));

  const plan = planTenancySync(policy, labelled, { policies, roles });
  const applied: SyncChange[] = [];
  if (!dryRun) {
    for (const change of plan.changes) {
      await applyChange(vault, change);
      applied.push(change);
    }
  }
  return { plan, applied, dryRun };
}

async function applyChange(vault: TenancyVault, change: SyncChange): Promise<void> {
  switch (change.kind) {
    case 'write-policy': return vault.writePolicy(change.name, change.text);
    case 'write-role': return vault.writeRole(change.mount, change.name, change.spec);
    case 'delete-role': return vault.deleteRole(change.mount, change.name);
    case 'delete-policy': return vault.deletePolicy(change.name);
  }
}

