// A template's function_denylist (Vault Agent takes consul-template's template stanza, where it
// lives; `function_blacklist` is its old name): every function whose name matches one of the
// patterns, `*` matching any run of characters (ryanuber/go-glob), is replaced by one that fails
// with "function is disabled". Parsing is unchanged: a denied name is still defined.
import type { FunctionMap, GoFunction } from '../values.ts';
import { fn, goError } from './define.ts';

/** go-glob's Glob: `*` is the only wildcard; every other character stands for itself. */
export function globMatch(pattern: string, subject: string): boolean {
  if (pattern === '') return subject === '';
  if (pattern === '*') return true;
  const parts = pattern.split('*');
  if (parts.length === 1) return subject === pattern;
  const leading = pattern.startsWith('*'), trailing = pattern.endsWith('*');
  let rest = subject;
  for (let i = 0; i < parts.length - 1; i++) {
    const part = parts[i]!;
    const at = rest.indexOf(part);
    if (i === 0 ? !leading && at !== 0 : at < 0) return false;
    rest = rest.slice(at + part.length);
  }
  return trailing || rest.endsWith(parts[parts.length - 1]!);
}

/** consul-template's `denied`: func(...string) (string, error). */
const denied: GoFunction = fn(['string'], () => { throw goError('function is disabled'); }, { variadic: true });

export function withDenylist(functions: FunctionMap, patterns: readonly string[]): FunctionMap {
  if (patterns.length === 0) return functions;
  const map = new Map(functions);
  for (const name of functions.keys()) if (patterns.some((pattern) => globMatch(pattern, name))) map.set(name, denied);
  return map;
}
