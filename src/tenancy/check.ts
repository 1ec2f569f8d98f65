/** The admission-time tenancy check: pure, one denial (the first violation) or undefined. */
import type {
  Capability, LockableSetting, NamespaceRules, PathRule, SecretOperation, TenancyCheck, TenancyDenial, TenancyPolicy, TenancyRequest,
} from './types.ts';
import { lockableSettings } from './types.ts';
import { listRule, nameGlobMatches, winningRule } from './patterns.ts';
import { isTenantNamespace, rulesForNamespace } from './resolve.ts';
import { quoteValue, tenancyErrors } from './errors.ts';

const annotationPrefix = 'vault.hashicorp.com/';
const templateFilePrefix = 'agent-inject-template-file-';

// Go's strconv.ParseBool, plus "" = false as vault-k8s reads it.
const falseValues = new Set(['false', 'FALSE', 'False', 'f', 'F', '0', '']);
const trueValues = new Set(['true', 'TRUE', 'True', 't', 'T', '1']);

/** Values of a locked setting that are never an override of the injector's safety defaults. */
const harmlessValue: Partial<Record<LockableSetting, (value: string) => boolean>> = {
  'tls-skip-verify': (value) => falseValues.has(value.trim()),
  'agent-run-as-same-user': (value) => falseValues.has(value.trim()),
  'agent-set-security-context': (value) => trueValues.has(value.trim()),
};

const operationCapabilities: Record<SecretOperation, readonly Capability[]> = {
  read: ['read'],
  list: ['list'],
  // Vault decides create vs update with an existence check (pki/issue has none: update); either is enough here.
  write: ['create', 'update'],
};

export function createTenancyCheck(policy: TenancyPolicy): TenancyCheck {
  const rulesCache = new Map<string, NamespaceRules | null>();
  const rulesFor = (namespace: string): NamespaceRules | null => {
    let rules = rulesCache.get(namespace);
    if (rules === undefined) {
      rules = isTenantNamespace(policy, namespace) ? rulesForNamespace(policy, namespace) : null;
      if (rulesCache.size > 4096) rulesCache.clear();
      rulesCache.set(namespace, rules);
    }
    return rules;
  };
  return (request) => {
    const rules = rulesFor(request.namespace);
    if (rules === null) return undefined;
    return checkRole(request, rules) ?? checkLockedSettings(request, rules) ?? checkSecretPaths(request, rules, policy.vault.kvV2Mounts);
  };
}

function shortAnnotations(annotations: Readonly<Record<string, string>>): Map<string, { key: string; value: string }> {
  const byName = new Map<string, { key: string; value: string }>();
  for (const [key, value] of Object.entries(annotations)) {
    const name = key.startsWith(annotationPrefix) ? key.slice(annotationPrefix.length) : key;
    if (!name.includes('/')) byName.set(name, { key: annotationPrefix + name, value });
  }
  return byName;
}

const listOrNone = (items: readonly string[], none: string): string => (items.length === 0 ? none : items.join(', '));

function describePaths(paths: readonly PathRule[]): string {
  return listOrNone(paths.map((rule) =>
    rule.capabilities.length === 1 && rule.capabilities[0] === 'read' ? rule.pattern : `${rule.pattern} [${rule.capabilities.join(' ')}]`), 'no Vault paths');
}

function deny(entry: { code: string }, message: string): TenancyDenial {
  return { code: entry.code, message };
}

function checkRole(request: TenancyRequest, rules: NamespaceRules): TenancyDenial | undefined {
  if (rules.roles.some((glob) => nameGlobMatches(glob, request.role))) return undefined;
  const annotations = shortAnnotations(request.annotations);
  const source = ['role', 'auth-config-role'].find((name) => annotations.get(name)?.value.trim() === request.role);
  const where = source !== undefined ? `in annotation ${annotationPrefix}${source}` : 'as the injector\'s default role';
  return deny(tenancyErrors.roleNotAllowed,
    `namespace ${quoteValue(request.namespace)} may not use Vault role ${quoteValue(request.role)} ${where} (allowed: ${listOrNone(rules.roles, 'no roles')})`);
}

function checkLockedSettings(request: TenancyRequest, rules: NamespaceRules): TenancyDenial | undefined {
  const annotations = shortAnnotations(request.annotations);
  for (const setting of lockableSettings) {
    if (!rules.locked.has(setting)) continue;
    const present = setting === 'agent-inject-template-file'
      ? [...annotations.entries()].filter(([name]) => name.startsWith(templateFilePrefix)).sort(([a], [b]) => (a < b ? -1 : 1)).map(([, found]) => found)
      : [annotations.get(setting)].filter((found) => found !== undefined);
    for (const { key, value } of present) {
      if (harmlessValue[setting]?.(value)) continue;
      const allowed = rules.allowedValues[setting] ?? [];
      if (allowed.some((glob) => nameGlobMatches(glob, value))) continue;
      const reason = setting === 'agent-inject-template-file'
        ? 'a template file cannot be checked at admission'
        : 'locked by the tenancy policy';
      const allowedText = allowed.length === 0 ? 'the injector\'s setting' : `the injector's setting or ${allowed.join(', ')}`;
      return deny(tenancyErrors.settingLocked,
        `namespace ${quoteValue(request.namespace)} may not set annotation ${key} to ${quoteValue(value)} (${reason}; allowed: ${allowedText})`);
    }
  }
  return undefined;
}

/** consul-template's path normalisation, then the query string dropped (ACLs see the path only). */
function normalisePath(raw: string): { path: string } | { problem: string } {
  const trimmed = raw.trim().replace(/^\/+|\/+$/g, '');
  const path = trimmed.split('?')[0] ?? '';
  if (path === '') return { problem: 'the path is empty' };
  if (/[\s%\\]/.test(path) || /[\u0000-\u001f]/.test(path)) return { problem: 'the path has white space, "%" escapes or backslashes' };
  const segments = path.split('/');
  if (segments.some((segment) => segment === '' || segment === '.' || segment === '..')) return { problem: 'the path has an empty, "." or ".." segment' };
  return { path };
}

/** The longest KV v2 mount the policy declares that holds `path`. */
function kvV2MountOf(path: string, kvV2Mounts: readonly string[]): string | undefined {
  return kvV2Mounts.filter((candidate) => path === candidate || path.startsWith(`${candidate}/`))
    .sort((a, b) => b.length - a.length)[0];
}

/** consul-template's shimKVv2Path (reads and writes) for the mounts the policy declares as KV v2. */
function kvV2ApiPath(path: string, kvV2Mounts: readonly string[]): string {
  const mount = kvV2MountOf(path, kvV2Mounts);
  if (mount === undefined) return path;
  if (path === mount) return `${mount}/data`;
  const rest = path.slice(mount.length + 1);
  return rest.startsWith('data/') || rest.startsWith('delete/') ? path : `${mount}/data/${rest}`;
}

/**
 * consul-template's shimKvV2ListPath: a list on a KV v2 mount goes to `metadata/`. Like consul-template it keeps a
 * path that starts with `<mount>/metadata` as a plain string prefix, so `secret/metadata` lists the mount root.
 */
function kvV2ListApiPath(path: string, kvV2Mounts: readonly string[]): string {
  const mount = kvV2MountOf(path, kvV2Mounts);
  if (mount === undefined || path.startsWith(`${mount}/metadata`)) return path;
  return path === mount ? `${mount}/metadata` : `${mount}/metadata/${path.slice(mount.length + 1)}`;
}

/** The path Vault's ACLs see: a LIST request's path always ends in "/" (Vault adds it before the check). */
function aclPathFor(path: string, operation: SecretOperation | undefined, kvV2Mounts: readonly string[]): string {
  return operation === 'list' ? `${kvV2ListApiPath(path, kvV2Mounts)}/` : kvV2ApiPath(path, kvV2Mounts);
}

function checkSecretPaths(request: TenancyRequest, rules: NamespaceRules, kvV2Mounts: readonly string[]): TenancyDenial | undefined {
  const namespace = quoteValue(request.namespace);
  const allowed = describePaths(rules.paths);
  for (const { annotation, path: rawPath, operation } of request.secretPaths) {
    const verb = operation ?? 'read';
    if (rawPath === null) {
      return deny(tenancyErrors.pathNotLiteral,
        `namespace ${namespace} may not use a secret path built at run time in annotation ${annotation} (under tenancy every secret path in a template must be a literal string; allowed: ${allowed})`);
    }
    const normalised = normalisePath(rawPath);
    if ('problem' in normalised) {
      return deny(tenancyErrors.pathNotCanonical,
        `namespace ${namespace} may not ${verb} ${quoteValue(rawPath)} in annotation ${annotation} (${normalised.problem}; allowed: ${allowed})`);
    }
    const apiPath = aclPathFor(normalised.path, operation, kvV2Mounts);
    const unchanged = apiPath === normalised.path || apiPath === `${normalised.path}/`;
    const shown = unchanged ? quoteValue(rawPath.trim()) : `${quoteValue(rawPath.trim())} (Vault path ${quoteValue(apiPath)})`;
    const rule = operation === 'list' ? listRule(rules.paths, apiPath) : winningRule(rules.paths, apiPath);
    if (rule === undefined) {
      return deny(tenancyErrors.pathNotAllowed, `namespace ${namespace} may not ${verb} ${shown} in annotation ${annotation} (allowed: ${allowed})`);
    }
    if (operation !== undefined && !operationCapabilities[operation].some((capability) => rule.capabilities.includes(capability))) {
      return deny(tenancyErrors.capabilityNotAllowed,
        `namespace ${namespace} may not ${verb} ${shown} in annotation ${annotation} (${rule.pattern} grants ${rule.capabilities.join(', ')} only; allowed: ${allowed})`);
    }
  }
  return undefined;
}
