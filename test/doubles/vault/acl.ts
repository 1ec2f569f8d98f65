// ACL evaluation as Vault documents it (policies.mdx; README §9): exact match wins; otherwise the
// single highest-priority glob/`+` pattern applies; the same pattern in several policies is unioned,
// with `deny` winning. Templated paths are resolved against the token's entity; a stanza whose
// template cannot be resolved is dropped.
import type { Capability, PolicyPathRule } from './policy-hcl.ts';
import type { Operation } from './wire.ts';

export interface EntityAlias {
  mountAccessor: string;
  id: string;
  name: string;
  metadata: Readonly<Record<string, string>>;
}

export interface EntityView {
  id: string;
  name: string;
  aliases: readonly EntityAlias[];
}

interface CompiledRule {
  pattern: string;
  exact: boolean;
  regex: RegExp;
  capabilities: Set<Capability>;
}

export class Acl {
  private readonly rules = new Map<string, CompiledRule>();

  constructor(policies: ReadonlyArray<readonly PolicyPathRule[]>, entity: EntityView | undefined) {
    for (const policy of policies) {
      for (const rule of policy) {
        const pattern = resolveTemplates(rule.pattern, entity);
        if (pattern === undefined) continue;
        const existing = this.rules.get(pattern);
        if (existing === undefined) this.rules.set(pattern, compile(pattern, rule.capabilities));
        else for (const capability of rule.capabilities) existing.capabilities.add(capability);
      }
    }
  }

  /** Capabilities that apply to `path` (deny collapses to just deny). */
  capabilitiesFor(path: string, operation?: Operation): Set<Capability> {
    const rule = operation === 'list' && path.endsWith('/') ? this.matchList(path) : this.match(path);
    if (rule === undefined) return new Set();
    if (rule.capabilities.has('deny')) return new Set<Capability>(['deny']);
    return rule.capabilities;
  }

  allows(path: string, operation: Operation, needsSudo = false): boolean {
    const capabilities = this.capabilitiesFor(path, operation);
    if (capabilities.has('deny')) return false;
    if (needsSudo && !capabilities.has('sudo')) return false;
    return capabilities.has(operation);
  }

  /** Vault's hasMountAccess (used by sys/internal/ui/mounts): any non-deny rule that reaches into the mount. */
  hasMountAccess(mountPath: string): boolean {
    for (const rule of this.rules.values()) {
      if (rule.capabilities.has('deny') || rule.capabilities.size === 0) continue;
      const literal = literalPrefix(rule.pattern);
      if (rule.exact ? rule.pattern.startsWith(mountPath) : literal.startsWith(mountPath) || mountPath.startsWith(literal)) return true;
    }
    return false;
  }

  private match(path: string): CompiledRule | undefined {
    return this.exactMatch(path) ?? this.wildcardMatch(path);
  }

  /**
   * A LIST (its path ends in "/"), in OpenBao's order (vault/acl.go AllowOperation): exact rule for the path, exact
   * rule without the "/", wildcard rules without the "/", wildcard rules with it.
   */
  private matchList(path: string): CompiledRule | undefined {
    const trimmed = path.slice(0, -1);
    return this.exactMatch(path) ?? this.exactMatch(trimmed) ?? this.wildcardMatch(trimmed) ?? this.wildcardMatch(path);
  }

  private exactMatch(path: string): CompiledRule | undefined {
    const exact = this.rules.get(path);
    return exact?.exact ? exact : undefined;
  }

  private wildcardMatch(path: string): CompiledRule | undefined {
    let best: CompiledRule | undefined;
    for (const rule of this.rules.values()) {
      if (rule.exact || !rule.regex.test(path)) continue;
      if (best === undefined || lowerPriority(best.pattern, rule.pattern)) best = rule;
    }
    return best;
  }
}

function compile(pattern: string, capabilities: readonly Capability[]): CompiledRule {
  const exact = !pattern.endsWith('*') && !pattern.split('/').includes('+');
  const body = pattern.endsWith('*') ? pattern.slice(0, -1) : pattern;
  const source = body
    .split('/')
    .map((segment) => (segment === '+' ? '[^/]*' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  const regex = new RegExp(`^${source}${pattern.endsWith('*') ? '.*' : ''}$`, 's');
  return { pattern, exact, regex, capabilities: new Set(capabilities) };
}

function literalPrefix(pattern: string): string {
  const plus = pattern.split('/').indexOf('+');
  const upToPlus = plus < 0 ? pattern : pattern.split('/').slice(0, plus).join('/') + '/';
  return upToPlus.endsWith('*') ? upToPlus.slice(0, -1) : upToPlus;
}

function firstWildcard(pattern: string): number {
  const segments = pattern.split('/');
  let offset = 0;
  for (const segment of segments) {
    if (segment === '+') return offset;
    offset += segment.length + 1;
  }
  return pattern.endsWith('*') ? pattern.length - 1 : pattern.length;
}

function plusCount(pattern: string): number {
  return pattern.split('/').filter((segment) => segment === '+').length;
}

/** True if p1 has lower priority than p2 (README §9.1, the five ordered rules). */
export function lowerPriority(p1: string, p2: string): boolean {
  const w1 = firstWildcard(p1);
  const w2 = firstWildcard(p2);
  if (w1 !== w2) return w1 < w2;
  const g1 = p1.endsWith('*');
  const g2 = p2.endsWith('*');
  if (g1 !== g2) return g1;
  const c1 = plusCount(p1);
  const c2 = plusCount(p2);
  if (c1 !== c2) return c1 > c2;
  if (p1.length !== p2.length) return p1.length < p2.length;
  return p1 < p2;
}

/** Resolves `{{identity...}}` parameters; undefined when any cannot be resolved. */
export function resolveTemplates(pattern: string, entity: EntityView | undefined): string | undefined {
  if (!pattern.includes('{{')) return pattern;
  let failed = false;
  const resolved = pattern.replace(/\{\{\s*([^}]*?)\s*\}\}/g, (_match, expression: string) => {
    const value = entity === undefined ? undefined : templateValue(expression, entity);
    if (value === undefined || value === '') failed = true;
    return value ?? '';
  });
  return failed ? undefined : resolved;
}

function templateValue(expression: string, entity: EntityView): string | undefined {
  if (expression === 'identity.entity.id') return entity.id;
  if (expression === 'identity.entity.name') return entity.name;
  const alias = /^identity\.entity\.aliases\.([^.]+)\.(id|name|metadata\.(.+))$/.exec(expression);
  if (alias === null) return undefined;
  const found = entity.aliases.find((item) => item.mountAccessor === alias[1]);
  if (found === undefined) return undefined;
  if (alias[2] === 'id') return found.id;
  if (alias[2] === 'name') return found.name;
  return found.metadata[alias[3] ?? ''];
}
