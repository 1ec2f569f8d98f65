/** The tenancy policy file's schema (zod), with the semantic checks that need Vault's glob rules. */
import { z } from 'zod';
import { capabilityNames, lockableSettings } from './types.ts';
import { namespacePlaceholder, substituteNamespace, unknownPlaceholders, vaultPatternProblem } from './patterns.ts';

const exampleNamespace = 'ns';

const placeholderCheck = (value: string, context: z.core.$RefinementCtx<string>): void => {
  const unknown = unknownPlaceholders(value);
  if (unknown.length > 0) {
    context.addIssue({ code: 'custom', message: `unknown placeholder ${unknown.join(', ')} (only ${namespacePlaceholder} is defined)` });
  }
};

const vaultPathPattern = z.string({ error: 'must be a string' }).superRefine((value, context) => {
  placeholderCheck(value, context);
  const problem = vaultPatternProblem(substituteNamespace(value, exampleNamespace));
  if (problem) context.addIssue({ code: 'custom', message: `${JSON.stringify(value)} ${problem}` });
});

const rolePattern = z.string({ error: 'must be a string' }).superRefine((value, context) => {
  placeholderCheck(value, context);
  if (value.trim() === '' || /\s/.test(value)) context.addIssue({ code: 'custom', message: 'must be a non-empty role name pattern without white space' });
  else if (value.replaceAll('*', '') === '') context.addIssue({ code: 'custom', message: `${JSON.stringify(value)} would allow every role; list the roles a namespace may use, e.g. ${namespacePlaceholder}` });
});

const namespaceGlob = z.string({ error: 'must be a string' }).regex(/^[a-z0-9*-]{1,63}$/, {
  message: 'must be a namespace name or a glob of one (lower-case letters, digits, "-" and "*")',
});

const capability = z.enum(capabilityNames, { error: `must be one of ${capabilityNames.join(', ')}` });

const pathRule = z.preprocess(
  (value) => (typeof value === 'string' ? { path: value } : value),
  z.strictObject({
    path: vaultPathPattern,
    capabilities: z.array(capability).min(1, { message: 'must list at least one capability' }).default(['read']),
  }, { error: 'must be a Vault path pattern, or {path, capabilities}' }),
);

const lockable = z.enum(lockableSettings, { error: `must be one of ${lockableSettings.join(', ')}` });

const allowedValues = z.partialRecord(lockable, z.array(z.string({ error: 'must be a string' }), { error: 'must be a list of value globs' }))
  .default({});

const ruleFields = {
  roles: z.array(rolePattern, { error: 'must be a list of role patterns' }).default([]),
  paths: z.array(pathRule, { error: 'must be a list of Vault path patterns' }).default([]),
  allowedValues,
};

const durationSeconds = z.union([
  z.number().int().positive(),
  z.string().regex(/^(\d+h)?(\d+m)?(\d+s)?$/).refine((text) => text !== ''),
], { error: 'must be a positive number of seconds or a duration such as 1h, 30m, 90s' }).transform((value) => {
  if (typeof value === 'number') return value;
  const part = (unit: string): number => Number(new RegExp(`(\\d+)${unit}`).exec(value)?.[1] ?? 0);
  return part('h') * 3600 + part('m') * 60 + part('s');
});

const mountName = z.string({ error: 'must be a string' }).regex(/^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*$/, {
  message: 'must be a Vault mount path without leading or trailing "/" (e.g. secret, kubernetes)',
});

export const tenancyPolicyFileSchema = z.strictObject({
  version: z.literal(1, { error: 'must be 1 (the only version of this format)' }),
  tenants: z.strictObject({
    include: z.array(namespaceGlob).default(['*']),
    exclude: z.array(namespaceGlob).default([]),
  }).default({ include: ['*'], exclude: [] }),
  defaults: z.strictObject({
    ...ruleFields,
    locked: z.preprocess((value) => (value === 'all' ? [...lockableSettings] : value),
      z.array(lockable, { error: 'must be "all" or a list of setting names' })).default([...lockableSettings]),
  }, { error: 'must be a mapping with roles, paths, locked, allowedValues' }),
  exceptions: z.record(
    z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, { message: 'must be a namespace name' }),
    z.strictObject({
      ...ruleFields,
      unlock: z.array(lockable, { error: 'must be a list of setting names' }).default([]),
    }, { error: 'must be a mapping with roles, paths, unlock, allowedValues' }),
  ).default({}),
  vault: z.strictObject({
    kvV2Mounts: z.array(mountName).default([]),
    authMount: mountName.default('kubernetes'),
    tokenTtl: durationSeconds.optional(),
    tokenMaxTtl: durationSeconds.optional(),
  }).default({ kvV2Mounts: [], authMount: 'kubernetes' }),
}, { error: 'must be a mapping (see the tenancy policy format in the README)' });

export type TenancyPolicyFile = z.output<typeof tenancyPolicyFileSchema>;
