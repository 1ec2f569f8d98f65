// The webhook's error catalog: every way an admission can be refused, and every settings problem,
// has one stable code here. Tests and users match the code; the message template names the
// annotation (or flag) and the reason, and never carries a JavaScript exception text.

export type WebhookErrorCode =
  | 'VI_REVIEW_INVALID'
  | 'VI_POD_INVALID'
  | 'VI_NAMESPACE_MISSING'
  | 'VI_SYSTEM_NAMESPACE'
  | 'VI_ANNOTATION_INVALID'
  | 'VI_ANNOTATION_REQUIRED'
  | 'VI_ANNOTATION_UNSUPPORTED'
  | 'VI_FILE_ESCAPES_VOLUME'
  | 'VI_CONTAINER_NOT_FOUND'
  | 'VI_SERVICE_ACCOUNT_TOKEN'
  | 'VI_RUN_AS_SAME_USER'
  | 'VI_SHARE_PROCESS_NAMESPACE'
  | 'VI_NAME_CONFLICT'
  | 'VI_TEMPLATE_PARSE'
  | 'VI_TEMPLATE_UNAVAILABLE_FUNCTION'
  | 'VI_TEMPLATE_STDOUT_FUNCTION'
  | 'VI_TEMPLATE_WRITE_OUTSIDE_VOLUME'
  | 'VI_JSON_PATCH'
  | 'VI_AGENT_CONFIG'
  | 'VI_SETTINGS_INVALID'
  | 'VI_NOT_FOUND'
  | 'VI_INTERNAL'
  | 'VI_TLS_FILES'
  | 'VI_TLS_AUTO'
  | 'VI_TLS_CONTEXT'
  | 'VI_LEADER_ELECTION'
  | 'VI_TENANCY_CONTROLLER';

export interface CatalogEntry {
  /** What the user reads in the README's troubleshooting section. */
  summary: string;
  /** Whether the pod is refused (`allowed: false`); false for errors that are not about a pod. */
  denies: boolean;
}

export const errorCatalog: Readonly<Record<WebhookErrorCode, CatalogEntry>> = {
  VI_REVIEW_INVALID: { summary: 'The request body is not an AdmissionReview (answered with HTTP 400).', denies: false },
  VI_POD_INVALID: { summary: 'The AdmissionReview carries no Pod object the webhook can read.', denies: true },
  VI_NAMESPACE_MISSING: { summary: 'The request names no namespace.', denies: true },
  VI_SYSTEM_NAMESPACE: { summary: 'Injection was asked for in kube-system or kube-public, as vault-k8s refuses.', denies: true },
  VI_ANNOTATION_INVALID: { summary: 'An annotation value does not parse (boolean, integer, duration, quantity, URL, JSON patch, ...).', denies: true },
  VI_ANNOTATION_REQUIRED: { summary: 'A required annotation (such as role) is missing.', denies: true },
  VI_ANNOTATION_UNSUPPORTED: { summary: 'A vault-k8s annotation that vault-injector does not implement is set to a value that would change behaviour.', denies: true },
  VI_FILE_ESCAPES_VOLUME: { summary: 'A secret file name would leave its volume (for example with "..").', denies: true },
  VI_CONTAINER_NOT_FOUND: { summary: 'agent-inject-containers or agent-copy-volume-mounts names a container the pod does not have.', denies: true },
  VI_SERVICE_ACCOUNT_TOKEN: { summary: 'No service account token volume was found for the agent to log in with.', denies: true },
  VI_RUN_AS_SAME_USER: { summary: 'agent-run-as-same-user is set but the first container has no usable runAsUser.', denies: true },
  VI_SHARE_PROCESS_NAMESPACE: { summary: 'agent-share-process-namespace conflicts with the pod spec.', denies: true },
  VI_NAME_CONFLICT: { summary: 'The pod already has a volume or container with a name the injector adds.', denies: true },
  VI_TEMPLATE_PARSE: { summary: 'A template does not parse; the message gives its line, column and Go\'s reason.', denies: true },
  VI_TEMPLATE_UNAVAILABLE_FUNCTION: { summary: 'A template calls a consul-template function that needs Consul or Nomad (key, service, nomadVar, ...), which Vault Agent does not connect to.', denies: true },
  VI_TEMPLATE_STDOUT_FUNCTION: { summary: 'A template calls spew_dump or spew_printf, which print to the agent\'s log; vault-injector keeps secret values out of its logs. Use spew_sdump or spew_sprintf and render the result into the file.', denies: true },
  VI_TEMPLATE_WRITE_OUTSIDE_VOLUME: { summary: 'A template\'s writeToFile names a path outside the secrets volume (or with a ".." segment); a template may only write inside the volume its files are rendered to.', denies: true },
  VI_JSON_PATCH: { summary: 'agent-json-patch or agent-init-json-patch cannot be applied to the agent container.', denies: true },
  VI_AGENT_CONFIG: { summary: 'The agent configuration built from the annotations is not valid.', denies: true },
  VI_SETTINGS_INVALID: { summary: 'A flag or AGENT_INJECT_* environment variable is invalid (the webhook does not start).', denies: false },
  VI_NOT_FOUND: { summary: 'A request for a path the webhook does not serve (it serves POST /mutate, GET /health/ready, GET /metrics).', denies: false },
  VI_INTERNAL: { summary: 'An unexpected failure while answering; the request gets HTTP 500 and the log line has the detail. Please report it.', denies: false },
  VI_TLS_FILES: { summary: 'The certificate or key file cannot be read or they do not match; the last good pair stays in use.', denies: false },
  VI_TLS_AUTO: { summary: 'Auto TLS could not write the caBundle or the certificate Secret (RBAC, API server); it retries.', denies: false },
  VI_TLS_CONTEXT: { summary: 'A new certificate could not be loaded into the TLS server; the previous one stays in use.', denies: false },
  VI_LEADER_ELECTION: { summary: 'The Lease for leader election could not be read or written (RBAC, API server); it retries.', denies: false },
  VI_TENANCY_CONTROLLER: { summary: 'The in-server tenant controller could not sync Vault (the log has its TENANCY_SYNC_* code); the next round retries.', denies: false },
};

/** One reason to refuse a pod: a stable code and a sentence naming the annotation and the reason. */
export interface AdmissionProblem {
  code: WebhookErrorCode | string;
  message: string;
}

export const ANNOTATION_PREFIX = 'vault.hashicorp.com/';

export function annotationKey(name: string): string {
  return `${ANNOTATION_PREFIX}${name}`;
}

/** `annotation vault.hashicorp.com/agent-inject: "yes" is not a boolean (...)` */
export function annotationProblem(code: WebhookErrorCode, name: string, reason: string): AdmissionProblem {
  return { code, message: `annotation ${annotationKey(name)}: ${reason}` };
}

export function problem(code: WebhookErrorCode, message: string): AdmissionProblem {
  return { code, message };
}

/** Joins several problems into the one message a denial carries. */
export function joinProblems(problems: ReadonlyArray<AdmissionProblem>): string {
  return problems.map((entry) => entry.message).join('; ');
}

/** Renders the catalog as the README troubleshooting table. */
export function renderErrorCatalog(): string {
  const lines = ['| code | denies the pod | meaning |', '|---|---|---|'];
  for (const [code, entry] of Object.entries(errorCatalog)) {
    lines.push(`| \`${code}\` | ${entry.denies ? 'yes' : 'no'} | ${entry.summary} |`);
  }
  lines.push('', 'Tenancy denials carry the codes of the tenancy catalog (`src/tenancy/errors.ts`).');
  return `${lines.join('\n')}\n`;
}
