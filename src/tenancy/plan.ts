/** The pure planner of `tenants sync`: desired state (policy + labelled namespaces) vs what Vault holds. */
import type { TenancyPolicy } from './types.ts';
import { isNamespaceName } from './patterns.ts';
import { isTenantNamespace, rulesForNamespace } from './resolve.ts';
import { managedPolicyNamespace, policyNameFor, renderTenantPolicy, roleNameFor } from './hcl.ts';

/** The role fields sync manages, in the form Vault's kubernetes auth accepts and returns. */
export interface TenantRoleSpec {
  bound_service_account_names: string[];
  bound_service_account_namespaces: string[];
  token_policies: string[];
  token_ttl: number;
  token_max_ttl: number;
}

/** A role as read back from Vault (only the fields sync looks at). */
export interface ObservedRole {
  bound_service_account_names?: unknown;
  bound_service_account_namespaces?: unknown;
  token_policies?: unknown;
  policies?: unknown;
  token_ttl?: unknown;
  token_max_ttl?: unknown;
}

export interface ObservedVaultState {
  /** Policy name → text, for every policy named tenant-* (others are never touched). */
  policies: ReadonlyMap<string, string>;
  /** Role name → role, for every role name in `rolesToRead(...)`; absent or undefined = no such role. */
  roles: ReadonlyMap<string, ObservedRole | undefined>;
}

export type SyncChange =
  | { kind: 'write-policy'; namespace: string; name: string; text: string; action: 'create' | 'update' }
  | { kind: 'write-role'; namespace: string; mount: string; name: string; spec: TenantRoleSpec; action: 'create' | 'update' }
  | { kind: 'delete-role'; namespace: string; mount: string; name: string }
  | { kind: 'delete-policy'; namespace: string; name: string };

export interface SyncPlan {
  changes: SyncChange[];
  conflicts: string[];
  warnings: string[];
  /** Namespaces whose policy and role are already as desired. */
  unchanged: string[];
}

export function desiredRoleSpec(policy: TenancyPolicy, namespace: string): TenantRoleSpec {
  return {
    bound_service_account_names: ['*'],
    bound_service_account_namespaces: [namespace],
    token_policies: [policyNameFor(namespace)],
    token_ttl: policy.vault.tokenTtl ?? 0,
    token_max_ttl: policy.vault.tokenMaxTtl ?? 0,
  };
}

/** Namespaces sync once provisioned (policies carrying its header), by the policy text. */
export function managedNamespaces(policies: ReadonlyMap<string, string>): Map<string, string> {
  const managed = new Map<string, string>();
  for (const [name, text] of policies) {
    const namespace = managedPolicyNamespace(text);
    if (namespace !== undefined && name === policyNameFor(namespace)) managed.set(namespace, name);
  }
  return managed;
}

/** The roles the I/O shell must read before planning. */
export function rolesToRead(labelled: readonly string[], policies: ReadonlyMap<string, string>): string[] {
  const namespaces = new Set([...labelled.filter(isNamespaceName), ...managedNamespaces(policies).keys()]);
  return [...namespaces].sort().map(roleNameFor);
}

const stringList = (value: unknown): string[] =>
  Array.isArray(value) ? value.map(String) : typeof value === 'string' && value !== '' ? value.split(',').map((item) => item.trim()) : [];

const sameSet = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && [...a].sort().every((item, index) => item === [...b].sort()[index]);

/** Ours: the role carries the policy sync named after its namespace. */
export function roleIsManaged(role: ObservedRole, namespace: string): boolean {
  return [...stringList(role.token_policies), ...stringList(role.policies)].includes(policyNameFor(namespace));
}

function roleMatches(role: ObservedRole, spec: TenantRoleSpec): boolean {
  const seconds = (value: unknown): number => (typeof value === 'number' ? value : Number(value ?? 0));
  return sameSet(stringList(role.bound_service_account_names), spec.bound_service_account_names)
    && sameSet(stringList(role.bound_service_account_namespaces), spec.bound_service_account_namespaces)
    && sameSet(stringList(role.token_policies), spec.token_policies)
    && stringList(role.policies).every((name) => spec.token_policies.includes(name))
    && seconds(role.token_ttl) === spec.token_ttl
    && seconds(role.token_max_ttl) === spec.token_max_ttl;
}

export function planTenancySync(policy: TenancyPolicy, labelledNamespaces: readonly string[], observed: ObservedVaultState): SyncPlan {
  const plan: SyncPlan = { changes: [], conflicts: [], warnings: [], unchanged: [] };
  const mount = policy.vault.authMount;
  const labelled = [...new Set(labelledNamespaces)].sort();
  const wanted = new Set<string>();

  for (const namespace of labelled) {
    if (!isNamespaceName(namespace)) {
      plan.warnings.push(`namespace ${JSON.stringify(namespace)} is not a valid namespace name; skipped`);
      continue;
    }
    wanted.add(namespace);
    if (!isTenantNamespace(policy, namespace)) {
      plan.warnings.push(`namespace "${namespace}" is labelled ${'vault-injector.io/tenant=true'} but tenants.include/exclude leave it unchecked at admission; Vault still confines it`);
    }
    const policyName = policyNameFor(namespace);
    const text = renderTenantPolicy(rulesForNamespace(policy, namespace));
    const existingText = observed.policies.get(policyName);
    if (existingText !== undefined && managedPolicyNamespace(existingText) !== namespace) {
      plan.conflicts.push(`policy "${policyName}" exists and was not written by tenants sync; namespace "${namespace}" is not provisioned (delete or rename that policy)`);
      continue;
    }
    let changed = false;
    if (existingText !== text) {
      plan.changes.push({ kind: 'write-policy', namespace, name: policyName, text, action: existingText === undefined ? 'create' : 'update' });
      changed = true;
    }
    const roleName = roleNameFor(namespace);
    const spec = desiredRoleSpec(policy, namespace);
    const role = observed.roles.get(roleName);
    if (role !== undefined && !roleIsManaged(role, namespace)) {
      plan.conflicts.push(`role "${roleName}" at auth/${mount} exists and was not written by tenants sync; it is left alone (namespace "${namespace}" gets its policy but no role)`);
    } else if (role === undefined || !roleMatches(role, spec)) {
      plan.changes.push({ kind: 'write-role', namespace, mount, name: roleName, spec, action: role === undefined ? 'create' : 'update' });
      changed = true;
    }
    if (!changed) plan.unchanged.push(namespace);
  }

  for (const [namespace, policyName] of [...managedNamespaces(observed.policies)].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (wanted.has(namespace)) continue;
    const roleName = roleNameFor(namespace);
    const role = observed.roles.get(roleName);
    // The role goes first, so no window where a login gets a token naming a deleted policy.
    if (role !== undefined && roleIsManaged(role, namespace)) plan.changes.push({ kind: 'delete-role', namespace, mount, name: roleName });
    plan.changes.push({ kind: 'delete-policy', namespace, name: policyName });
  }
  return plan;
}

export function describeChange(change: SyncChange): string {
  switch (change.kind) {
    case 'write-policy':
      return `${change.action} policy ${change.name} (namespace ${change.namespace})`;
    case 'write-role':
      return `${change.action} role auth/${change.mount}/role/${change.name} (bound to namespace ${change.namespace}, service accounts *, policies ${change.spec.token_policies.join(', ')})`;
    case 'delete-role':
      return `delete role auth/${change.mount}/role/${change.name} (namespace ${change.namespace} is no longer labelled)`;
    case 'delete-policy':
      return `delete policy ${change.name} (namespace ${change.namespace} is no longer labelled)`;
  }
}
