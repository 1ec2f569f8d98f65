// The agent's input format: the JSON form of Vault Agent's configuration (DESIGN.md contract 2).
// The agent owns it; the webhook imports this module to build configs that are valid by
// construction. Unknown and unsupported fields are rejected (strict objects), never ignored,
// because a silently dropped field is a secret that silently never arrives.
//
// zod/mini, not zod's classic API: the same validator, but its functions tree-shake, so the agent
// bundle carries a few kilobytes of zod instead of ~460 KB that took 60-80 ms to load at every pod
// start. The English messages are loaded explicitly (mini ships none).
import * as z from 'zod/mini';
import en from 'zod/v4/locales/en.js';

z.config(en());
// Compiling a validator with new Function pays off after thousands of parses; the agent parses once.
// (zod's config is process-wide: in the webhook, which imports this module, it applies to the
// tenancy schema too; both validate rarely, the agent configs once per distinct config.)
z.config({ jitless: true });

const durationPattern = /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/;

/** A Vault duration: a whole number of seconds, or a Go duration string such as "5m" or "1h30m". */
export const durationSchema = z.union([
  z.int().check(z.nonnegative()),
  z.string().check(z.refine((text) => /^\d+$/.test(text) || durationPattern.test(text), {
    error: (issue) => `${JSON.stringify(issue.input)} is not a duration (use seconds or a Go duration such as "30s", "5m", "1h30m")`,
  })),
]);

/** A file mode as Vault Agent parses it: an octal string ("0600", "600") of at most 12 bits. */
export const fileModeSchema = z.string().check(z.refine((text) => /^0?[0-7]{1,4}$/.test(text) && parseInt(text, 8) <= 0o7777, {
  error: (issue) => `${JSON.stringify(issue.input)} is not an octal file mode`,
}));

const nonEmpty = (what: string) => z.string().check(z.minLength(1, { error: `${what} must not be empty` }));
const optionalString = () => z.optional(z.string());
const optionalBoolean = () => z.optional(z.boolean());

/** A boolean as Vault's parseutil.ParseBool reads a method config value: a JSON boolean, or a Go ParseBool string. */
const configBoolean = () => z.optional(z.union([
  z.boolean(),
  z.string().check(z.refine((text) => ['1', 't', 'T', 'TRUE', 'true', 'True', '0', 'f', 'F', 'FALSE', 'false', 'False'].includes(text), {
    error: (issue) => `${JSON.stringify(issue.input)} is not a boolean (true, false, 1, 0, t, f)`,
  })),
]));

const methodFields = {
  mount_path: optionalString(),
  namespace: optionalString(),
  min_backoff: z.optional(durationSchema),
  max_backoff: z.optional(durationSchema),
  exit_on_err: optionalBoolean(),
};

/** The kubernetes method: the keys Vault Agent's kubernetes auto-auth reads. */
const kubernetesMethodSchema = z.strictObject({
  type: z.literal('kubernetes'),
  ...methodFields,
  config: z.strictObject({
    role: nonEmpty('role'),
    token_path: optionalString(),
  }),
});

/**
 * The jwt method: the keys Vault Agent's jwt auto-auth reads (path, role, remove_jwt_after_reading,
 * remove_jwt_follows_symlinks, jwt_read_period). token_path is accepted because vault-k8s writes it into every
 * method's config; the jwt method does not read it (Vault Agent ignores it too).
 */
const jwtMethodSchema = z.strictObject({
  type: z.literal('jwt'),
  ...methodFields,
  config: z.strictObject({
    role: nonEmpty('role'),
    path: nonEmpty('path (the file holding the JWT)'),
    remove_jwt_after_reading: configBoolean(),
    remove_jwt_follows_symlinks: configBoolean(),
    jwt_read_period: z.optional(durationSchema),
    token_path: optionalString(),
  }),
});

export const authMethodTypes = ['kubernetes', 'jwt'] as const;
export type AuthMethodType = (typeof authMethodTypes)[number];

export const authMethodSchema = z.discriminatedUnion('type', [kubernetesMethodSchema, jwtMethodSchema], {
  error: (issue) => (issue.code === 'invalid_union'
    ? `auth method ${JSON.stringify((issue.input as { type?: unknown } | undefined)?.type)} is not supported (${authMethodTypes.map((type) => JSON.stringify(type)).join(' or ')})`
    : undefined),
});

export const sinkSchema = z.strictObject({
  type: z.literal('file', { error: (issue) => `sink type ${JSON.stringify(issue.input)} is not supported (only "file")` }),
  config: z.strictObject({
    path: nonEmpty('sink path'),
    mode: z.optional(z.int().check(z.minimum(0), z.maximum(0o7777))),
  }),
});

export const templateSchema = z
  .strictObject({
    destination: nonEmpty('destination'),
    contents: optionalString(),
    source: optionalString(),
    perms: z.optional(fileModeSchema),
    command: z.optional(z.union([z.string(), z.array(z.string()).check(z.minLength(1))])),
    command_timeout: z.optional(durationSchema),
    left_delimiter: optionalString(),
    right_delimiter: optionalString(),
    error_on_missing_key: optionalBoolean(),
    create_dest_dirs: optionalBoolean(),
    // consul-template's template stanza (Vault Agent decodes into it): a list, or one string of
    // comma-separated names as its decoder also takes
    function_denylist: z.optional(z.union([z.string(), z.array(z.string())])),
    function_blacklist: z.optional(z.union([z.string(), z.array(z.string())])),
  })
  .check(z.superRefine((template, ctx) => {
    const hasSource = template.source !== undefined && template.source !== '';
    const hasContents = template.contents !== undefined && template.contents !== '';
    if (hasSource && hasContents) ctx.addIssue({ code: 'custom', message: "cannot specify both 'source' and 'contents'" });
    if (!hasSource && template.contents === undefined) ctx.addIssue({ code: 'custom', message: "must specify exactly one of 'source' or 'contents'" });
  }));

export const vaultSchema = z.strictObject({
  address: z.url({ error: (issue) => `${JSON.stringify(issue.input)} is not a URL`, protocol: /^https?$/ }),
  ca_cert: optionalString(),
  ca_path: optionalString(),
  tls_skip_verify: optionalBoolean(),
  tls_server_name: optionalString(),
  client_cert: optionalString(),
  client_key: optionalString(),
});

/** Vault Agent's `disable_idle_connections` / `disable_keep_alives` values: which of its clients
 *  they apply to (`caching` and `proxying` both name the API proxy's client). */
export const CONNECTION_FEATURES = ['auto-auth', 'caching', 'proxying', 'templating'] as const;
export type ConnectionFeature = (typeof CONNECTION_FEATURES)[number];
const connectionFeatures = () => z.optional(z.array(z.enum(CONNECTION_FEATURES, {
  error: (issue) => `${JSON.stringify(issue.input)} is not one of ${CONNECTION_FEATURES.join(', ')}`,
})));

export const templateConfigSchema = z.strictObject({
  exit_on_retry_failure: optionalBoolean(),
  static_secret_render_interval: z.optional(durationSchema),
  lease_renewal_threshold: z.optional(z.number().check(z.gt(0), z.lt(1))),
  max_connections_per_host: z.optional(z.int().check(z.positive())),
});

/** `use_auto_auth_token` as Vault Agent parses it: a boolean (or its string forms), or "force". */
export const useAutoAuthTokenSchema = z.union([
  z.boolean(),
  // Go's strconv.ParseBool words, or "force" in any case.
  z.string().check(z.refine((text) => /^(1|t|T|TRUE|true|True|0|f|F|FALSE|false|False)$/.test(text) || text.toLowerCase() === 'force', {
    error: (issue) => `use_auto_auth_token can be either true/false/force, ${JSON.stringify(issue.input)} is an invalid option`,
  })),
]);

/** A listener: vault-k8s writes one tcp listener on loopback without TLS. */
export const listenerSchema = z.strictObject({
  type: z.literal('tcp', { error: (issue) => `listener type ${JSON.stringify(issue.input)} is not supported (only "tcp")` }),
  address: z.string().check(z.refine((text) => /^127\.0\.0\.1:\d{1,5}$/.test(text) && Number(text.slice(10)) >= 1 && Number(text.slice(10)) <= 65535, {
    error: (issue) => `${JSON.stringify(issue.input)} is not a loopback address with a port (127.0.0.1:PORT); the agent listens on loopback only`,
  })),
  tls_disable: z.literal(true, { error: 'the listener serves plain HTTP on loopback only: tls_disable must be true' }),
  agent_api: z.optional(z.strictObject({ enable_quit: optionalBoolean() })),
});

export const apiProxySchema = z.strictObject({
  use_auto_auth_token: z.optional(useAutoAuthTokenSchema),
});

export const cacheSchema = z.strictObject({
  use_auto_auth_token: z.optional(useAutoAuthTokenSchema),
  persist: z.optional(z.strictObject({
    type: z.literal('kubernetes', { error: (issue) => `persist type ${JSON.stringify(issue.input)} is not supported (only "kubernetes")` }),
    path: nonEmpty('persist path'),
    keep_after_import: optionalBoolean(),
    exit_on_err: optionalBoolean(),
    service_account_token_file: optionalString(),
  })),
});

/** The telemetry fields Vault Agent's Prometheus endpoint uses; the push sinks are refused. */
export const telemetrySchema = z.strictObject({
  usage_gauge_period: optionalString(),
  maximum_gauge_cardinality: z.optional(z.int()),
  disable_hostname: optionalBoolean(),
  enable_hostname_label: optionalBoolean(),
  lease_metrics_epsilon: optionalString(),
  num_lease_metrics_buckets: z.optional(z.int()),
  add_lease_metrics_namespace_labels: optionalBoolean(),
  filter_default: optionalBoolean(),
  prefix_filter: z.optional(z.array(z.string().check(z.refine((text) => text.startsWith('+') || text.startsWith('-'), {
    error: (issue) => `${JSON.stringify(issue.input)} must start with "+" (allow) or "-" (block)`,
  })))),
  prometheus_retention_time: z.optional(durationSchema),
});

/** Each telemetry field's own schema, so the webhook can name the annotation that is wrong. */
export const telemetryFieldSchemas: Readonly<Record<string, z.ZodMiniType>> = telemetrySchema.def.shape;

/** Settings of ours that Vault Agent has no field for; each is documented in the README. */
export const injectorExtensionSchema = z.strictObject({
  /** Revoke the Vault token on SIGTERM (annotation `agent-revoke-on-shutdown`). */
  revoke_on_shutdown: optionalBoolean(),
  /** Seconds to wait before revoking on shutdown (annotation `agent-revoke-grace`). */
  revoke_grace: z.optional(z.int().check(z.nonnegative())),
  /** Where the init agent writes its one-sentence failure reason. */
  termination_message_path: optionalString(),
  /** Native sidecar: after the first complete render, create this file so a startup probe passes. */
  ready_file: optionalString(),
  /** The secrets volume mount path(s) in the agent container: where a template's writeToFile may
   *  write (the first is where a relative path starts). Absent: writeToFile is refused. */
  secrets_volumes: z.optional(z.array(z.string().check(z.minLength(1)))),
  /** How long the first render keeps retrying before the agent gives up and exits non-zero
   *  (with template_config.exit_on_retry_failure, our default). Default 2m. */
  retry_timeout: z.optional(durationSchema),
  log_level: z.optional(z.enum(['trace', 'debug', 'info', 'warn', 'error'])),
  log_format: z.optional(z.enum(['json', 'standard'])),
});

export const agentConfigSchema = z.strictObject({
  auto_auth: z.strictObject({
    method: authMethodSchema,
    sink: z.optional(z.array(sinkSchema)),
  }),
  exit_after_auth: z.boolean(),
  pid_file: optionalString(),
  vault: vaultSchema,
  template: z.optional(z.array(templateSchema)),
  template_config: z.optional(templateConfigSchema),
  disable_idle_connections: connectionFeatures(),
  disable_keep_alives: connectionFeatures(),
  listener: z.optional(z.array(listenerSchema).check(z.maxLength(1, { error: 'only one listener is supported' }))),
  api_proxy: z.optional(apiProxySchema),
  cache: z.optional(cacheSchema),
  telemetry: z.optional(telemetrySchema),
  vault_injector: z.optional(injectorExtensionSchema),
}).check(z.superRefine((config, ctx) => {
  if (config.cache?.use_auto_auth_token !== undefined && config.api_proxy?.use_auto_auth_token !== undefined) {
    ctx.addIssue({ code: 'custom', path: ['cache', 'use_auto_auth_token'], message: 'use_auto_auth_token defined in both api_proxy and cache config; remove it from the cache block' });
  }
  // Vault Agent's templates would read through a cache without a listener; ours read directly,
  // so such a cache would do nothing: refused rather than ignored.
  if ((config.cache !== undefined || config.api_proxy !== undefined) && (config.listener ?? []).length === 0) {
    ctx.addIssue({ code: 'custom', path: [config.cache !== undefined ? 'cache' : 'api_proxy'], message: 'needs a listener (listener: [{type: "tcp", address: "127.0.0.1:PORT", tls_disable: true}])' });
  }
}));

export type AgentConfig = z.infer<typeof agentConfigSchema>;
export type TemplateConfig = z.infer<typeof templateSchema>;
export type VaultConnection = z.infer<typeof vaultSchema>;
export type AuthMethod = z.infer<typeof authMethodSchema>;
export type Sink = z.infer<typeof sinkSchema>;
export type ListenerConfig = z.infer<typeof listenerSchema>;
export type CacheConfig = z.infer<typeof cacheSchema>;
export type TelemetryConfig = z.infer<typeof telemetrySchema>;
export type InjectorExtension = z.infer<typeof injectorExtensionSchema>;

/** One problem with a config, located by its path: `template[2].perms`. */
export interface ConfigProblem {
  path: string;
  reason: string;
}

export function formatConfigPath(path: ReadonlyArray<PropertyKey>): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else text += text === '' ? String(segment) : `.${String(segment)}`;
  }
  return text === '' ? '(config)' : text;
}

function describeIssue(issue: z.core.$ZodIssue): ConfigProblem[] {
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({
      path: formatConfigPath([...issue.path, key]),
      reason: 'is not a supported field',
    }));
  }
  if (issue.code === 'invalid_type' && issue.input === undefined) {
    return [{ path: formatConfigPath(issue.path), reason: 'is required' }];
  }
  return [{ path: formatConfigPath(issue.path), reason: issue.message }];
}

export type ConfigResult = { ok: true; config: AgentConfig } | { ok: false; problems: ConfigProblem[] };

/** Validates a parsed JSON value as an agent config; every problem is reported with its path. */
export function validateAgentConfig(input: unknown): ConfigResult {
  const parsed = agentConfigSchema.safeParse(input);
  if (parsed.success) return { ok: true, config: parsed.data };
  return { ok: false, problems: parsed.error.issues.flatMap(describeIssue) };
}

/** `template[2].perms: "0999" is not an octal file mode` */
export function formatConfigProblems(problems: ReadonlyArray<ConfigProblem>): string {
  return problems.map((problem) => `${problem.path}: ${problem.reason}`).join('; ');
}

/** Seconds from a Vault duration (number of seconds or Go duration string). */
export function durationToSeconds(duration: number | string): number {
  if (typeof duration === 'number') return duration;
  if (/^\d+$/.test(duration)) return Number(duration);
  const unitSeconds: Record<string, number> = { ns: 1e-9, us: 1e-6, µs: 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };
  let total = 0;
  for (const match of duration.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)) {
    total += Number(match[1]) * (unitSeconds[match[2] ?? 's'] ?? 1);
  }
  return total;
}
