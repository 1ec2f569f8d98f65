/**
 * Pattern matching with Vault's ACL rules, so that what admission allows is exactly what the generated
 * Vault policy grants (see /work/shared/fixtures/vault-api/README.md §9.1):
 * - no `*` or `+`: exact match;
 * - `*` only as the last character: a prefix match, not limited to a segment (`secret/zip-*` matches
 *   `secret/zip-zap/zong`);
 * - `+` only as a whole segment: matches exactly one segment; the segment counts must be equal, or with a
 *   trailing `*` the request may have more segments;
 * - of several matching patterns, an exact one wins; otherwise one winner by Vault's precedence, and only
 *   its capabilities apply.
 * Names (namespaces, roles, allowed setting values) use a plain glob: `*` anywhere matches any run of
 * characters, like Vault's `StrListContainsGlob` for role bindings.
 */

export const namespacePlaceholder = '${namespace}';

/** Why a Vault path pattern is invalid, or undefined when it is valid. Checked after substitution. */
export function vaultPatternProblem(pattern: string): string | undefined {
  if (pattern.length === 0) return 'is empty';
  if (/\s/.test(pattern)) return 'contains white space';
  if (pattern.startsWith('/') || pattern.startsWith('v1/')) return 'must be a Vault API path without a leading "/" or "v1/" (e.g. secret/data/team-a/*)';
  if (pattern.includes('?')) return 'must not contain "?" (query parameters are not part of ACL paths)';
  const star = pattern.indexOf('*');
  if (star !== -1 && star !== pattern.length - 1) return '"*" is only allowed as the last character (Vault globs are prefix matches)';
  if (pattern.endsWith('+*')) return '"+*" is invalid in Vault: "+" must be a whole path segment';
  const segments = pattern.replace(/\*$/, '').split('/');
  for (const [index, segment] of segments.entries()) {
    if (segment.includes('+') && segment !== '+') return '"+" must be a whole path segment (e.g. secret/data/+/db)';
    const isLast = index === segments.length - 1;
    if (segment === '' && !isLast) return 'has an empty path segment ("//")';
    if (segment === '.' || segment === '..') return 'must not contain "." or ".." segments';
  }
  if (pattern === '*' || pattern === '+' || pattern === '+/*') return 'would grant every path in Vault';
  return undefined;
}

export function hasWildcard(pattern: string): boolean {
  return pattern.endsWith('*') || pattern.split('/').includes('+');
}

/** Does `path` match `pattern` under Vault's ACL glob rules? */
export function vaultPatternMatches(pattern: string, path: string): boolean {
  const isPrefix = pattern.endsWith('*');
  const body = isPrefix ? pattern.slice(0, -1) : pattern;
  if (!body.split('/').includes('+')) return isPrefix ? path.startsWith(body) : path === pattern;
  const patternParts = body.split('/');
  const pathParts = path.split('/');
  if (pathParts.length < patternParts.length) return false;
  if (!isPrefix && pathParts.length !== patternParts.length) return false;
  return patternParts.every((part, index) => {
    const actual = pathParts[index] ?? '';
    if (part === '+') return true;
    if (isPrefix && index === patternParts.length - 1) return actual.startsWith(part);
    return part === actual;
  });
}

function firstWildcardIndex(pattern: string): number {
  const indexes = [pattern.indexOf('+'), pattern.indexOf('*')].filter((index) => index >= 0);
  return indexes.length === 0 ? pattern.length : Math.min(...indexes);
}

/** Vault's precedence: negative when `a` has LOWER priority than `b`. */
export function comparePriority(a: string, b: string): number {
  const firstA = firstWildcardIndex(a);
  const firstB = firstWildcardIndex(b);
  if (firstA !== firstB) return firstA - firstB;
  const globA = a.endsWith('*');
  const globB = b.endsWith('*');
  if (globA !== globB) return globA ? -1 : 1;
  const plusA = a.split('/').filter((part) => part === '+').length;
  const plusB = b.split('/').filter((part) => part === '+').length;
  if (plusA !== plusB) return plusB - plusA;
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The single rule whose capabilities Vault applies to `path`, or undefined when none matches. */
export function winningRule<R extends { pattern: string }>(rules: readonly R[], path: string): R | undefined {
  return exactRule(rules, path) ?? wildcardWinner(rules, path);
}

function exactRule<R extends { pattern: string }>(rules: readonly R[], path: string): R | undefined {
  return rules.find((rule) => !hasWildcard(rule.pattern) && rule.pattern === path);
}

function wildcardWinner<R extends { pattern: string }>(rules: readonly R[], path: string): R | undefined {
  let winner: R | undefined;
  for (const rule of rules) {
    if (!hasWildcard(rule.pattern) || !vaultPatternMatches(rule.pattern, path)) continue;
    if (!winner || comparePriority(winner.pattern, rule.pattern) < 0) winner = rule;
  }
  return winner;
}

/**
 * The rule Vault applies to a LIST of `path`, which ends in "/" (Vault adds it before the ACL check). OpenBao's
 * AllowOperation (vault/acl.go) tries, in order: an exact rule for the path, an exact rule for the path without its
 * "/", the wildcard rules against the path without its "/", then the wildcard rules against the path.
 */
export function listRule<R extends { pattern: string }>(rules: readonly R[], path: string): R | undefined {
  const trimmed = path.endsWith('/') ? path.slice(0, -1) : undefined;
  return exactRule(rules, path)
    ?? (trimmed === undefined ? undefined : exactRule(rules, trimmed) ?? wildcardWinner(rules, trimmed))
    ?? wildcardWinner(rules, path);
}

/** Plain glob for names: `*` matches any run of characters; everything else is literal. */
const compiledGlobs = new Map<string, RegExp>();

export function nameGlobMatches(glob: string, name: string): boolean {
  if (!glob.includes('*')) return glob === name;
  let compiled = compiledGlobs.get(glob);
  if (compiled === undefined) {
    const source = glob.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*');
    compiled = new RegExp(`^${source}$`, 's');
    // Globs come from the policy file (a bounded set); the cap only guards against a pathological file.
    if (compiledGlobs.size > 10_000) compiledGlobs.clear();
    compiledGlobs.set(glob, compiled);
  }
  return compiled.test(name);
}

/** Replace every `${namespace}`; other `${...}` placeholders are rejected at load time. */
export function substituteNamespace(template: string, namespace: string): string {
  return template.split(namespacePlaceholder).join(namespace);
}

/** Placeholders other than `${namespace}` (load-time check). */
export function unknownPlaceholders(template: string): string[] {
  return [...template.matchAll(/\$\{([^}]*)\}/g)].map((match) => match[0]).filter((text) => text !== namespacePlaceholder);
}

/** DNS-1123 label: what a Kubernetes namespace name can be (so it cannot inject `*`, `+` or `/` into a pattern). */
export function isNamespaceName(name: string): boolean {
  return name.length > 0 && name.length <= 63 && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name);
}
