/**
 * Tenancy: the contract with the webhook core (src/admission) and the server (src/server), and the resolved policy model.
 * The first three declarations are the contract with src/admission.
 */

export interface TenancyRequest {
  namespace: string;
  /** All vault.hashicorp.com/* annotations of the pod (full keys; short keys are accepted too). */
  annotations: Readonly<Record<string, string>>;
  /** The effective role (annotation or injector default). */
  role: string;
  /**
   * agent-inject-secret-* values and every `secret`/`secrets` call in every template (null = not a literal).
   * `operation` is an optional extension of the contract: when the caller knows how the agent will use the
   * path (`secret "p" "k=v"` is a write, `secrets` is a list) the check also requires the matching Vault
   * capability; without it, any capability granted on the path is enough.
   */
  secretPaths: ReadonlyArray<{ annotation: string; path: string | null; operation?: SecretOperation }>;
}
export interface TenancyDenial { code: string; message: string }
export type TenancyCheck = (request: TenancyRequest) => TenancyDenial | undefined;

export type SecretOperation = 'read' | 'write' | 'list';

/** Vault ACL capabilities a tenancy path rule may grant. */
export const capabilityNames = ['read', 'list', 'create', 'update'] as const;
export type Capability = (typeof capabilityNames)[number];

/**
 * Settings (annotation names without the vault.hashicorp.com/ prefix) that a tenant pod may not set unless the
 * policy unlocks them or allows the value. The first fifteen are the issue's list; tls-server-name and ca-key
 * change how Vault's certificate is verified (a TLS downgrade like ca-cert); the last two carry agent
 * configuration or templates the webhook cannot see at admission, so they would bypass the path check.
 */
export const lockableSettings = [
  'service', 'auth-path', 'namespace', 'agent-image', 'tls-skip-verify', 'ca-cert',
  'agent-json-patch', 'agent-init-json-patch', 'agent-copy-volume-mounts', 'agent-extra-secret',
  'tls-secret', 'agent-run-as-user', 'agent-run-as-group', 'agent-run-as-same-user',
  'agent-set-security-context', 'tls-server-name', 'ca-key', 'agent-configmap',
  // prefix setting: every agent-inject-template-file-NAME annotation
  'agent-inject-template-file',
] as const;
export type LockableSetting = (typeof lockableSettings)[number];

/** A path rule as written in the policy file, `${namespace}` not yet substituted. */
export interface PathRuleTemplate { path: string; capabilities: readonly Capability[] }

export interface TenancyRuleSet {
  roles: readonly string[];
  paths: readonly PathRuleTemplate[];
  /** Values (globs) a tenant may give a locked setting, e.g. a pinned agent image. */
  allowedValues: Readonly<Partial<Record<LockableSetting, readonly string[]>>>;
}

export interface TenancyException extends TenancyRuleSet {
  /** Settings this namespace may set freely. */
  unlock: readonly LockableSetting[];
}

/** The validated policy file. */
export interface TenancyPolicy {
  source: string;
  tenants: { include: readonly string[]; exclude: readonly string[] };
  defaults: TenancyRuleSet & { locked: readonly LockableSetting[] };
  exceptions: Readonly<Record<string, TenancyException>>;
  vault: {
    /** KV v2 mounts: a path the agent reads as `secret/x` is checked as `secret/data/x` (consul-template's shim). */
    kvV2Mounts: readonly string[];
    /** Kubernetes auth mount where `tenants sync` writes the per-namespace roles. */
    authMount: string;
    tokenTtl?: number;
    tokenMaxTtl?: number;
  };
}

/** A path rule after `${namespace}` substitution: what admission allows and Vault grants. */
export interface PathRule { pattern: string; capabilities: readonly Capability[] }

/** Everything one tenant namespace is allowed. */
export interface NamespaceRules {
  namespace: string;
  roles: readonly string[];
  /** Merged by pattern (capabilities unioned), sorted by pattern: the same stanzas the Vault policy holds. */
  paths: readonly PathRule[];
  locked: ReadonlySet<LockableSetting>;
  allowedValues: Readonly<Partial<Record<LockableSetting, readonly string[]>>>;
}
