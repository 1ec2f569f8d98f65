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

/** Reads go out a few at a time (a cluster has hundreds of tenants); writes stay one by one, in plan order. */
const readConcurrency = 8;

async function mapWithLimit<T, R>(items: readonly T[], limit: number, run: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let nextIndex = 0;
  const worker = async (): Promise<void> => {
    while (nextIndex < items.length) {
      const index = nextIndex;
      nextIndex += 1;
      results[index] = await run(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** Reads everything before writing anything; a failed listing changes nothing (never a mass removal). */
export async function runTenancySync({ policy, listNamespaces, vault, dryRun }: SyncDependencies): Promise<SyncResult> {
  const labelled = await listNamespaces();
  const policyNames = (await vault.listPolicies()).filter((name) => name.startsWith('tenant-')).sort();
  const policies = new Map<string, string>();
  const texts = await mapWithLimit(policyNames, readConcurrency, (name) => vault.readPolicy(name));
  policyNames.forEach((name, index) => {
    const text = texts[index];
    if (text !== undefined) policies.set(name, text);
  });
  const roleNames = rolesToRead(labelled, policies);
  const observedRoles = await mapWithLimit(roleNames, readConcurrency, (name) => vault.readRole(policy.vault.authMount, name));
  const roles = new Map(roleNames.map((name, index) => [name, observedRoles[index]]));

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

