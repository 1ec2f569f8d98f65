/**
 * Tenancy error catalog (admission denials carry these codes as they are). Stable codes; each message names the
 * namespace, the annotation or field, the value and what is allowed, in one sentence.
 */

export interface TenancyErrorEntry {
  code: string;
  /** true: the pod is denied at admission. */
  denies: boolean;
  /** What happened and what to do (README troubleshooting). */
  help: string;
}

const entry = (code: string, denies: boolean, help: string): TenancyErrorEntry => ({ code, denies, help });

export const tenancyErrors = {
  roleNotAllowed: entry('TENANCY_ROLE_NOT_ALLOWED', true,
    'The pod asks for a Vault role its namespace may not use. Use the namespace\'s own role (see the tenancy policy\'s roles).'),
  pathNotAllowed: entry('TENANCY_PATH_NOT_ALLOWED', true,
    'A secret path (agent-inject-secret-* or a template\'s secret call) is outside what the namespace may read. Use a path under the namespace\'s allowed patterns.'),
  capabilityNotAllowed: entry('TENANCY_CAPABILITY_NOT_ALLOWED', true,
    'The path is allowed, but not for this operation (e.g. a write-form secret call on a read-only path).'),
  pathNotLiteral: entry('TENANCY_PATH_NOT_LITERAL', true,
    'Under tenancy every secret path in a template must be a literal string, so it can be checked at admission. Write the path out instead of building it at run time.'),
  pathNotCanonical: entry('TENANCY_PATH_NOT_CANONICAL', true,
    'A secret path has ".", ".." or empty segments, "%" escapes or white space; write it in canonical form.'),
  settingLocked: entry('TENANCY_SETTING_LOCKED', true,
    'The annotation is locked by the tenancy policy (connection, image, TLS and container overrides). Remove it; the injector\'s setting applies.'),
  policyInvalid: entry('TENANCY_POLICY_INVALID', false,
    'The tenancy policy file is invalid; the problems name the field and the reason. The previous policy stays in force when a reload fails.'),
  syncVaultUnreachable: entry('TENANCY_SYNC_VAULT_UNREACHABLE', false, 'tenants sync could not reach Vault.'),
  syncVaultRefused: entry('TENANCY_SYNC_VAULT_REFUSED', false,
    'Vault refused a tenants sync request; the injector\'s Vault role needs the policy printed by `tenants admin-policy`.'),
  syncKubernetesFailed: entry('TENANCY_SYNC_KUBERNETES_FAILED', false,
    'tenants sync could not list the namespaces; nothing was changed (in particular nothing was removed).'),
  syncConflict: entry('TENANCY_SYNC_CONFLICT', false,
    'A Vault policy or role with the name sync would use exists and was not created by sync; it is left alone.'),
  syncFailed: entry('TENANCY_SYNC_FAILED', false, 'tenants sync failed for a reason it did not foresee; the next round retries.'),
  cliUsage: entry('TENANCY_CLI_USAGE', false, 'The tenants command line was wrong; see `tenants --help`.'),
} as const;

export type TenancyErrorName = keyof typeof tenancyErrors;

/** Quote a user-supplied value for a message: JSON escaping (no raw newlines) and a length cap. */
export function quoteValue(value: string, maxLength = 100): string {
  const shortened = value.length > maxLength ? `${value.slice(0, maxLength)}…` : value;
  return JSON.stringify(shortened);
}
