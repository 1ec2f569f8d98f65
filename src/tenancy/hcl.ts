/**
 * The Vault ACL policy `tenant-<namespace>` that sync writes, and how sync recognises its own policies:
 * a comment header with the owner marker and the namespace. Vault keeps policy text verbatim, so the
 * header survives a round trip and text equality means "nothing to change".
 */
import type { NamespaceRules } from './types.ts';

export const managedByMarker = '# vault-injector.io/managed-by: tenants-sync';
const namespaceMarkerPrefix = '# vault-injector.io/namespace: ';

export const tenantLabel = 'vault-injector.io/tenant';
export const tenantLabelSelector = `${tenantLabel}=true`;

export const policyNameFor = (namespace: string): string => `tenant-${namespace}`;
export const roleNameFor = (namespace: string): string => namespace;

export function renderTenantPolicy(rules: NamespaceRules): string {
  const lines = [
    `# Vault policy for Kubernetes namespace "${rules.namespace}", written by vault-injector \`tenants sync\` from the tenancy policy.`,
    '# Changes made here are overwritten; the policy is removed when the namespace loses the vault-injector.io/tenant label.',
    managedByMarker,
    `${namespaceMarkerPrefix}${rules.namespace}`,
  ];
  for (const rule of rules.paths) {
    lines.push('', `path "${rule.pattern}" {`, `  capabilities = [${rule.capabilities.map((name) => `"${name}"`).join(', ')}]`, '}');
  }
  return `${lines.join('\n')}\n`;
}

/** The namespace a policy text was written for by sync, or undefined when sync did not write it. */
export function managedPolicyNamespace(policyText: string): string | undefined {
  const lines = policyText.split('\n').slice(0, 8).map((line) => line.trimEnd());
  if (!lines.includes(managedByMarker)) return undefined;
  const namespaceLine = lines.find((line) => line.startsWith(namespaceMarkerPrefix));
  return namespaceLine?.slice(namespaceMarkerPrefix.length).trim() || undefined;
}

/** The policy the injector's own Vault role needs for `tenants sync` (printed by `tenants admin-policy`). */
export function adminPolicyHcl(authMount: string): string {
  return [
    '# Vault policy for the vault-injector service account: lets `tenants sync` manage tenant policies and roles.',
    'path "sys/policies/acl" {',
    '  capabilities = ["list"]',
    '}',
    '',
    'path "sys/policies/acl/tenant-*" {',
    '  capabilities = ["create", "read", "update", "delete"]',
    '}',
    '',
    `path "auth/${authMount}/role/*" {`,
    '  capabilities = ["create", "read", "update", "delete"]',
    '}',
    '',
  ].join('\n');
}
