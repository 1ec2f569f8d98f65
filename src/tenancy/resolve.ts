/** From the policy to what one namespace is allowed: defaults plus its exception, `${namespace}` substituted. */
import type { Capability, LockableSetting, NamespaceRules, PathRule, TenancyPolicy } from './types.ts';
import { capabilityNames } from './types.ts';
import { nameGlobMatches, substituteNamespace } from './patterns.ts';

/** At admission only the namespace NAME is known, so the name globs decide who is a tenant there. */
export function isTenantNamespace(policy: TenancyPolicy, namespace: string): boolean {
  const included = policy.tenants.include.some((glob) => nameGlobMatches(glob, namespace));
  const excluded = policy.tenants.exclude.some((glob) => nameGlobMatches(glob, namespace));
  return included && !excluded;
}

export function rulesForNamespace(policy: TenancyPolicy, namespace: string): NamespaceRules {
  const exception = policy.exceptions[namespace];
  const roles = [...new Set([...policy.defaults.roles, ...(exception?.roles ?? [])].map((role) => substituteNamespace(role, namespace)))];

  // Vault merges the capabilities of identical patterns, so one stanza per pattern, as the generated policy has.
  const byPattern = new Map<string, Set<Capability>>();
  for (const rule of [...policy.defaults.paths, ...(exception?.paths ?? [])]) {
    const pattern = substituteNamespace(rule.path, namespace);
    const capabilities = byPattern.get(pattern) ?? new Set<Capability>();
    for (const capability of rule.capabilities) capabilities.add(capability);
    byPattern.set(pattern, capabilities);
  }
  const paths: PathRule[] = [...byPattern.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([pattern, capabilities]) => ({ pattern, capabilities: capabilityNames.filter((name) => capabilities.has(name)) }));

  const unlocked = new Set(exception?.unlock ?? []);
  const locked = new Set(policy.defaults.locked.filter((setting) => !unlocked.has(setting)));

  const allowedValues: Partial<Record<LockableSetting, string[]>> = {};
  for (const source of [policy.defaults.allowedValues, exception?.allowedValues ?? {}]) {
    for (const [setting, values] of Object.entries(source) as Array<[LockableSetting, readonly string[]]>) {
      allowedValues[setting] = [...(allowedValues[setting] ?? []), ...values.map((value) => substituteNamespace(value, namespace))];
    }
  }
  return { namespace, roles, paths, locked, allowedValues };
}
