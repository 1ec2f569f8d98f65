/** Loading the tenancy policy file: YAML → schema → TenancyPolicy and its check, or every problem found. */
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import type { TenancyCheck, TenancyPolicy } from './types.ts';
import { tenancyPolicyFileSchema } from './schema.ts';
import { createTenancyCheck } from './check.ts';

export type TenancyPolicyLoad = { ok: true; check: TenancyCheck; policy: TenancyPolicy } | { ok: false; problems: string[] };

// The server keeps only the check it installs in the admission hooks; this lets the controller find the policy
// behind it without a second copy to keep in step on reload.
const policyByCheck = new WeakMap<TenancyCheck, TenancyPolicy>();

/** The policy a check from loadTenancyPolicy enforces (undefined for any other function). */
export function tenancyPolicyOf(check: TenancyCheck | undefined): TenancyPolicy | undefined {
  return check === undefined ? undefined : policyByCheck.get(check);
}

export function loadTenancyPolicy(yamlText: string, source: string): TenancyPolicyLoad {
  const document = parseDocument(yamlText, { uniqueKeys: true, prettyErrors: true });
  if (document.errors.length > 0) {
    return { ok: false, problems: document.errors.map((error) => `${source}: ${yamlErrorText(error.message, error.linePos?.[0])}`) };
  }
  const content: unknown = document.toJS({ maxAliasCount: 100 });
  if (content === null || content === undefined) {
    return { ok: false, problems: [`${source}: the file is empty; a tenancy policy needs at least "version: 1" and "defaults"`] };
  }
  const parsed = tenancyPolicyFileSchema.safeParse(content);
  if (!parsed.success) return { ok: false, problems: parsed.error.issues.map((issue) => `${source}: ${issueText(issue, content)}`) };
  const file = parsed.data;
  const policy: TenancyPolicy = {
    source,
    tenants: file.tenants,
    defaults: {
      roles: file.defaults.roles,
      paths: file.defaults.paths,
      allowedValues: file.defaults.allowedValues,
      locked: [...new Set(file.defaults.locked)],
    },
    exceptions: file.exceptions,
    vault: {
      kvV2Mounts: file.vault.kvV2Mounts,
      authMount: file.vault.authMount,
      ...(file.vault.tokenTtl === undefined ? {} : { tokenTtl: file.vault.tokenTtl }),
      ...(file.vault.tokenMaxTtl === undefined ? {} : { tokenMaxTtl: file.vault.tokenMaxTtl }),
    },
  };
  const problems = semanticProblems(policy).map((problem) => `${source}: ${problem}`);
  if (problems.length > 0) return { ok: false, problems };
  const check = createTenancyCheck(policy);
  policyByCheck.set(check, policy);
  return { ok: true, check, policy };
}

function semanticProblems(policy: TenancyPolicy): string[] {
  const problems: string[] = [];
  const { tokenTtl, tokenMaxTtl } = policy.vault;
  if (tokenTtl !== undefined && tokenMaxTtl !== undefined && tokenTtl > tokenMaxTtl) {
    problems.push('vault.tokenTtl: must not be greater than vault.tokenMaxTtl (Vault rejects such a role)');
  }
  if (policy.tenants.include.length === 0) problems.push('tenants.include: must list at least one namespace glob ("*" for every namespace)');
  return problems;
}

function yamlErrorText(message: string, position: { line: number; col: number } | undefined): string {
  const text = (message.split(':\n')[0] ?? message).replace(/ at line \d+, column \d+$/, '');
  return `invalid YAML: ${text}${position ? ` at line ${position.line}, column ${position.col}` : ''}`;
}

function fieldPath(path: ReadonlyArray<PropertyKey>): string {
  let text = '';
  for (const part of path) {
    if (typeof part === 'number') text += `[${part}]`;
    else text += text === '' ? String(part) : `.${String(part)}`;
  }
  return text;
}

/** The value at `path` in the parsed YAML, and whether it is there at all. */
function valueAt(content: unknown, path: ReadonlyArray<PropertyKey>): { present: boolean; value: unknown } {
  let value: unknown = content;
  for (const part of path) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, part)) return { present: false, value: undefined };
    value = (value as Record<PropertyKey, unknown>)[part];
  }
  return { present: true, value };
}

function issueText(issue: z.core.$ZodIssue, content: unknown): string {
  let path = issue.path;
  // A path rule written as a plain string is reported at the list item, not at its implied "path" field.
  if (path.at(-1) === 'path' && typeof valueAt(content, path.slice(0, -1)).value === 'string') path = path.slice(0, -1);
  const where = fieldPath(path);
  let reason = issue.message;
  if (issue.code === 'unrecognized_keys') reason = `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((key) => JSON.stringify(key)).join(', ')}`;
  else if (issue.code === 'invalid_key') reason = `${JSON.stringify(String(path.at(-1)))} is not a namespace name (lower-case letters, digits and "-")`;
  else if ((issue.code === 'invalid_type' || issue.code === 'invalid_value') && !valueAt(content, issue.path).present) reason = 'is required';
  return where === '' ? `(top level): ${reason}` : `${where}: ${reason}`;
}
