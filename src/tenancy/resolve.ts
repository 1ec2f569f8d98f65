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

/** `secret/data/team-a/*` → `secret/metadata/team-a/*` when `secret` is a KV v2 mount; undefined otherwise. */
export function kvV2MetadataPattern(pattern: string, kvV2Mounts: readonly string[]): string | undefined {
  const mount = kvV2Mounts.filter((candidate) => pattern.startsWith(`${candidate}/data/`)).sort((a, b) => b.length - a.length)[0];
  return mount === undefined ? undefined : `${mount}/metadata/${pattern.slice(mount.length + '/data/'.length)}`;
}

export function rulesForNamespace(policy: TenancyPolicy, namespace: string): NamespaceRules {
  const exception = policy.exceptions[namespace];
  const roles = [...new Set([...policy.defaults.roles, ...(exception?.roles ?? [])].map((role) => substituteNamespace(role, namespace)))];

  // Vault merges the capabilities of identical patterns, so one stanza per pattern, as the generated policy has.
  const byPattern = new Map<string, Set<Capability>>();
  const grant = (pattern: string, granted: readonly Capability[]): void => {
    const capabilities = byPattern.get(pattern) ?? new Set<Capability>();
    for (const capability of granted) capabilities.add(capability);
    byPattern.set(pattern, capabilities);
  };
  for (const rule of [...policy.defaults.paths, ...(exception?.paths ?? [])]) {
    const pattern = substituteNamespace(rule.path, namespace);
    const metadataPattern = rule.capabilities.includes('list') ? kvV2MetadataPattern(pattern, policy.vault.kvV2Mounts) : undefined;
    if (metadataPattern === undefined) {
      grant(pattern, rule.capabilities);
      continue;
    }
    // KV v2 serves no LIST under data/: a list of the secrets under a data/ pattern is a LIST of the same names
    // under metadata/ (consul-template's `secrets` goes there), so that is where the capability is granted.
    grant(metadataPattern, ['list']);
    const rest = rule.capabilities.filter((capability) => capability !== 'list');
    if (rest.length > 0) grant(pattern, rest);
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
