// Seeding a double from a JSON document (the format main.ts documents). Validation errors name the
// field; KV data keeps each number's text from the seed file.
import { z } from 'zod';
import type { VaultDouble } from './index.ts';
import { canonicalJson, memberOf, parseJsonNode, type JsonNode } from './raw-json.ts';

const seconds = z.union([z.number().int().nonnegative(), z.string()]);

const kubernetesRole = z.object({
  bound_service_account_names: z.array(z.string()).min(1),
  bound_service_account_namespaces: z.array(z.string()).min(1),
  token_policies: z.array(z.string()).optional(),
  token_ttl: z.number().int().nonnegative().optional(),
  token_max_ttl: z.number().int().nonnegative().optional(),
  audience: z.string().optional(),
  alias_name_source: z.enum(['serviceaccount_uid', 'serviceaccount_name']).optional(),
  token_no_default_policy: z.boolean().optional(),
}).strict();

export const seedSchema = z.object({
  kubernetes: z.array(z.object({ mount: z.string().default('kubernetes'), roles: z.record(z.string(), kubernetesRole).default({}) }).strict()).default([]),
  serviceAccounts: z.array(z.object({
    namespace: z.string().min(1), name: z.string().min(1), uid: z.string().optional(), lifetimeSeconds: z.number().int().positive().optional(),
  }).strict()).default([]),
  policies: z.record(z.string(), z.string()).default({}),
  kv: z.array(z.object({ mount: z.string().min(1), version: z.union([z.literal(1), z.literal(2)]), data: z.record(z.string(), z.record(z.string(), z.unknown())).default({}) }).strict()).default([]),
  database: z.array(z.object({
    mount: z.string().default('database'),
    roles: z.record(z.string(), z.object({ default_ttl: z.number().int().nonnegative(), max_ttl: z.number().int().nonnegative() }).strict()).default({}),
    staticRoles: z.record(z.string(), z.object({ username: z.string().min(1), rotation_period: z.number().int().positive() }).strict()).default({}),
  }).strict()).default([]),
  pki: z.array(z.object({
    mount: z.string().default('pki'),
    roles: z.record(z.string(), z.object({
      ttl: z.number().int().nonnegative(), max_ttl: z.number().int().nonnegative(), generate_lease: z.boolean().optional(), key_type: z.enum(['rsa', 'ec']).optional(),
    }).strict()).default({}),
  }).strict()).default([]),
  tokens: z.array(z.object({ name: z.string().min(1), policies: z.array(z.string()), ttl: seconds.optional(), maxTtl: seconds.optional() }).strict()).default([]),
}).strict();

export type Seed = z.infer<typeof seedSchema>;

export interface SeedResult {
  /** `namespace/name` → JWT for each seeded service account. */
  jwts: Record<string, string>;
  /** token name → token for each seeded token. */
  tokens: Record<string, string>;
}

export type SeedParse = { ok: true; seed: Seed; kvTexts: Map<string, string> } | { ok: false; problems: string[] };

/** Parses and validates seed JSON text; `kvTexts` maps `index/path` to the data's JSON text. */
export function parseSeed(text: string, source: string): SeedParse {
  const node = parseJsonNode(text);
  if (node === undefined) return { ok: false, problems: [`${source}: not valid JSON`] };
  const result = seedSchema.safeParse(JSON.parse(text));
  if (!result.success) {
    return { ok: false, problems: result.error.issues.map((issue) => `${source}: ${issue.path.join('.') || '(root)'}: ${issue.message}`) };
  }
  const kvTexts = new Map<string, string>();
  const kvNode = memberOf(node, 'kv');
  if (kvNode?.kind === 'array') {
    kvNode.items.forEach((mountNode: JsonNode, index: number) => {
      const data = memberOf(mountNode, 'data');
      if (data?.kind !== 'object') return;
      for (const [path, value] of data.members) kvTexts.set(`${index}/${path}`, canonicalJson(value));
    });
  }
  return { ok: true, seed: result.data, kvTexts };
}

export function applySeed(double: VaultDouble, seed: Seed, kvTexts: ReadonlyMap<string, string>): SeedResult {
  for (const [name, hcl] of Object.entries(seed.policies)) double.writePolicy(name, hcl);
  for (const auth of seed.kubernetes) {
    double.enableKubernetesAuth(auth.mount);
    for (const [role, spec] of Object.entries(auth.roles)) double.writeKubernetesRole(auth.mount, role, spec);
  }
  seed.kv.forEach((mount, index) => {
    double.enableKv(mount.mount, mount.version);
    for (const path of Object.keys(mount.data)) {
      double.putKv(mount.mount, path, kvTexts.get(`${index}/${path}`) ?? JSON.stringify(mount.data[path]));
    }
  });
  for (const database of seed.database) {
    double.enableDatabase(database.mount);
    for (const [role, spec] of Object.entries(database.roles)) double.writeDatabaseRole(database.mount, role, spec);
    for (const [role, spec] of Object.entries(database.staticRoles)) double.writeDatabaseStaticRole(database.mount, role, spec);
  }
  for (const pki of seed.pki) {
    double.enablePki(pki.mount);
    for (const [role, spec] of Object.entries(pki.roles)) double.writePkiRole(pki.mount, role, spec);
  }
  const jwts: Record<string, string> = {};
  for (const sa of seed.serviceAccounts) jwts[`${sa.namespace}/${sa.name}`] = double.issueServiceAccountJwt(sa);
  const tokens: Record<string, string> = {};
  for (const token of seed.tokens) {
    const ttl = typeof token.ttl === 'string' ? undefined : token.ttl;
    const maxTtl = typeof token.maxTtl === 'string' ? undefined : token.maxTtl;
    tokens[token.name] = double.createToken({ policies: token.policies, ...(ttl !== undefined ? { ttl } : {}), ...(maxTtl !== undefined ? { maxTtl } : {}) });
  }
  return { jwts, tokens };
}
