// The templates `bao agent` (Vault Agent) and our agent render side by side, as annotations of one
// pod each batch, and the secrets they read (written to the real OpenBao before the agents run).
// Each entry is one `agent-inject-secret-NAME` with its options; without `template` the webhook
// puts its default template (`map` or `json`, vault-k8s's) into the config.
import type { OpenBao } from '../real/openbao.ts';
import { writeKv, writePolicy } from '../real/setup.ts';
import { APP_POLICY } from '../real/lab.ts';

export interface CorpusEntry {
  /** NAME of agent-inject-secret-NAME, also the file name. */
  name: string;
  path: string;
  template?: string;
  perms?: string;
  leftDelimiter?: string;
  rightDelimiter?: string;
  errorOnMissingKey?: boolean;
  /** Reads a secret that is new on every fetch (database, PKI): compared with its values masked. */
  dynamic?: boolean;
  /** Where the template comes from, when not written for this corpus. */
  origin?: string;
}

/** What each failure case must show on both sides. */
export interface FailureCase {
  name: string;
  entry: CorpusEntry;
  /** `template`: Go's execution error, the same position, node and reason on both sides. */
  cause: 'template' | 'forbidden';
  /** The reason both must give (checked on Vault Agent's words, then ours must be equal). */
  reason?: RegExp;
}

export const W = (path: string, body: string): string => `{{ with secret "${path}" }}${body}{{ end }}`;

/** The static secrets of the corpus; values picked to hit escaping, ordering and number formatting. */
export async function seedSecrets(bao: OpenBao, pem: { certificate: string; privateKey: string; ca: string }): Promise<void> {
  // LIST on the KV v1 mount for `secrets "kv/app/"` (the lab's policy reads but does not list kv/).
  await writePolicy(bao, 'app', `${APP_POLICY}\npath "kv/app/" { capabilities = ["list"] }\n`);
  await writeKv(bao, 'secret', 2, 'app/db', { username: 'orders_rw', password: 'p@ss<&>"w0rd/+=?', host: 'db.internal', port: '5432', dbname: 'orders' });
  await writeKv(bao, 'secret', 2, 'app/config', {
    debug: true, replicas: 3, ratio: 0.75, big: 12345678901234567890, tiny: 1e-7, huge: 1e21, negative: -42,
    features: ['search', 'export', 'beta'], limits: { cpu: '500m', memory: '1Gi' }, empty: '', nothing: null,
    zero: 0, list_of_maps: [{ name: 'a', weight: 1 }, { name: 'b', weight: 2.5 }],
  });
  await writeKv(bao, 'secret', 2, 'app/unicode', {
    greeting: 'héllo wörld ☃', emoji: '🔑🚀', 'dash-key': 'dk', 'dot.key': 'dot', UPPER: 'u', 'with space': 'ws',
    html: '<b>&amp;</b>', quote: 'it\'s "quoted"', backslash: 'C:\\path\\to', multiline: 'line1\nline2\n', tab: 'a\tb', control: '\u0001\u001f',
  });
  await writeKv(bao, 'secret', 2, 'app/tls', { 'tls.crt': pem.certificate, 'tls.key': pem.privateKey, 'ca.crt': pem.ca });
  // Two versions: templates read the latest and its metadata.
  await writeKv(bao, 'secret', 2, 'app/versioned', { value: 'first' });
  await writeKv(bao, 'secret', 2, 'app/versioned', { value: 'second', extra: 'x' });
  await writeKv(bao, 'secret', 2, 'app/json-blob', { payload: '{"b":[1,2,{"c":null}],"a":"x"}', yaml: 'a: 1\nb:\n  - x\n  - y\n', csv: 'a,b,,c', b64: 'aGVsbG8gd29ybGQ=', bool: 'true', int: '42', title: "hello WORLD foo-bar a.b 1st x_y o'neil db.internal 3.5x ab:cd été ǆx x1y a..b" });
  await writeKv(bao, 'kv', 1, 'app/api', { key: 'api-key-93ab41', url: 'https://api.example.com/v1?x=1&y=2', timeout: 30, enabled: true, rate: 2.5 });
  await writeKv(bao, 'kv', 1, 'app/env', { DB_HOST: 'db.internal', DB_PASS: 'pa$$ word', LOG_LEVEL: 'debug', EMPTY: '' });
  await writeKv(bao, 'kv', 1, 'app/nested', { outer: { inner: { deep: ['x', 1, false, null] } }, list: [3, 1, 2] });
}

const db = 'secret/app/db';
const cfg = 'secret/app/config';
const uni = 'secret/app/unicode';
const tls = 'secret/app/tls';

/** Secrets without a template: the webhook's default template. Rendered once with `map` (the
 *  default) and once with `json` (agent-inject-default-template). */
export const defaultTemplatePaths: ReadonlyArray<{ name: string; path: string; dynamic?: boolean }> = [
  { name: 'db', path: db },
  { name: 'db-data-path', path: 'secret/data/app/db' },
  { name: 'config', path: cfg },
  { name: 'unicode', path: uni },
  { name: 'tls', path: tls },
  { name: 'versioned', path: 'secret/app/versioned' },
  { name: 'api', path: 'kv/app/api' },
  { name: 'env', path: 'kv/app/env' },
  { name: 'nested', path: 'kv/app/nested' },
  { name: 'dbcreds', path: 'database/creds/app', dynamic: true },
];

export const templatedEntries: CorpusEntry[] = [
  // README.md's quick start (its path is database/creds/team-a-ro; our lab's role is `app`).
  { name: 'readme-db-url', path: 'database/creds/app', dynamic: true, origin: 'README.md quick start', template: '{{- with secret "database/creds/app" -}}\npostgresql://{{ .Data.username }}:{{ .Data.password }}@postgres:5432/app\n{{- end }}\n' },
  // vault-k8s's documented examples (its README and the Vault docs' injector examples).
  { name: 'vk8s-pg-url', path: db, origin: 'vault-k8s docs', template: '{{- with secret "secret/app/db" -}}\npostgresql://{{ .Data.data.username }}:{{ .Data.data.password }}@postgres:5432/wizard\n{{- end -}}' },
  { name: 'vk8s-env-export', path: db, origin: 'vault-k8s docs', template: '{{- with secret "secret/app/db" -}}\n  export DB_USER="{{ .Data.data.username }}"\n  export DB_PASS="{{ .Data.data.password }}"\n{{- end }}' },
  { name: 'kv2-one-value', path: db, template: W(db, '{{ .Data.data.password }}') },
  { name: 'kv2-data-path', path: 'secret/data/app/db', template: W('secret/data/app/db', '{{ .Data.data.username }}') },
  { name: 'kv2-url-query', path: db, template: W(db, 'postgres://{{ .Data.data.username }}:{{ .Data.data.password | urlquery }}@{{ .Data.data.host }}:{{ .Data.data.port }}/{{ .Data.data.dbname }}?sslmode=require\n') },
  { name: 'kv2-jdbc', path: db, template: W(db, 'jdbc:postgresql://{{ .Data.data.host }}:{{ .Data.data.port }}/{{ .Data.data.dbname }}?user={{ .Data.data.username }}&password={{ .Data.data.password | urlquery }}') },
  { name: 'kv2-range-data', path: cfg, template: W(cfg, '{{ range $k, $v := .Data.data }}{{ $k }}={{ $v }}\n{{ end }}') },
  { name: 'kv2-range-env', path: db, template: W(db, '{{ range $k, $v := .Data.data }}export {{ $k | toUpper }}="{{ $v }}"\n{{ end }}') },
  { name: 'kv2-tojson', path: cfg, template: W(cfg, '{{ .Data.data | toJSON }}') },
  { name: 'kv2-tojson-pretty', path: cfg, template: W(cfg, '{{ .Data.data | toJSONPretty }}\n') },
  { name: 'kv2-toyaml', path: cfg, template: W(cfg, '{{ .Data.data | toYAML }}\n') },
  { name: 'kv2-unicode-json', path: uni, template: W(uni, '{{ .Data.data | toJSON }}') },
  { name: 'kv2-unicode-yaml', path: uni, template: W(uni, '{{ .Data.data | toYAML }}') },
  { name: 'kv2-unicode-range', path: uni, template: W(uni, '{{ range $k, $v := .Data.data }}[{{ $k }}]{{ $v }}|{{ end }}') },
  { name: 'kv2-printf', path: cfg, template: W(cfg, '{{ printf "%v|%d|%s|%q|%5.2f" .Data.data.replicas .Data.data.replicas .Data.data.features .Data.data.limits.cpu .Data.data.ratio }}') },
  { name: 'kv2-numbers', path: cfg, template: W(cfg, '{{ .Data.data.big }} {{ .Data.data.tiny }} {{ .Data.data.huge }} {{ .Data.data.negative }} {{ .Data.data.zero }} {{ .Data.data.ratio }}') },
  // The whole response: its request_id is new on every read.
  { name: 'kv2-print-whole', path: cfg, dynamic: true, template: W(cfg, '{{ . }}') },
  { name: 'kv2-metadata', path: 'secret/app/versioned', template: W('secret/app/versioned', 'v{{ .Data.metadata.version }} {{ .Data.data.value }} destroyed={{ .Data.metadata.destroyed }} {{ .Data.metadata.custom_metadata }}') },
  { name: 'kv2-metadata-json', path: 'secret/app/versioned', template: W('secret/app/versioned', '{{ .Data.metadata | toJSON }}') },
  { name: 'kv2-response-fields', path: db, template: W(db, 'lease="{{ .LeaseID }}" duration={{ .LeaseDuration }} renewable={{ .Renewable }} warnings={{ .Warnings }}') },
  { name: 'kv2-if-else', path: cfg, template: W(cfg, '{{ if .Data.data.debug }}debug on{{ else }}debug off{{ end }}{{ if .Data.data.empty }} empty-set{{ end }}{{ if not .Data.data.nothing }} nothing-unset{{ end }}') },
  { name: 'kv2-index-keys', path: uni, template: W(uni, '{{ index .Data.data "dash-key" }} {{ index .Data.data "dot.key" }} {{ index .Data.data "with space" }} {{ .Data.data.missing }}') },
  { name: 'kv2-range-list', path: cfg, template: W(cfg, '{{ range $i, $f := .Data.data.features }}{{ $i }}:{{ $f }} {{ end }}{{ range .Data.data.list_of_maps }}{{ .name }}={{ .weight }};{{ end }}') },
  { name: 'kv2-len-eq', path: cfg, template: W(cfg, '{{ len .Data.data.features }} {{ eq (len .Data.data.features) 3 }} {{ eq .Data.data.limits.cpu "500m" }} {{ lt (len .Data.data.limits) 3 }}') },
  { name: 'kv2-html-js', path: uni, template: W(uni, '{{ html .Data.data.html }} {{ js .Data.data.quote }} {{ urlquery .Data.data.greeting }}') },
  { name: 'kv2-properties', path: db, template: W(db, 'spring.datasource.url=jdbc:postgresql://{{ .Data.data.host }}/{{ .Data.data.dbname }}\nspring.datasource.username={{ .Data.data.username }}\nspring.datasource.password={{ .Data.data.password }}\n') },
  { name: 'kv2-ini', path: db, template: W(db, '[database]\nhost = {{ .Data.data.host }}\nport = {{ .Data.data.port }}\nuser = {{ .Data.data.username }}\npassword = {{ .Data.data.password }}\n') },
  { name: 'kv2-yaml-config', path: db, template: W(db, 'database:\n  host: {{ .Data.data.host }}\n  port: {{ .Data.data.port }}\n  credentials:\n    username: {{ .Data.data.username | toJSON }}\n    password: {{ .Data.data.password | toJSON }}\n') },
  { name: 'kv2-trim-markers', path: db, template: '{{- with secret "secret/app/db" -}}\n\n  {{- .Data.data.username -}}  \n\n{{- end -}}\n\n' },
  { name: 'kv2-variables', path: db, template: '{{ $s := secret "secret/app/db" }}{{ $u := $s.Data.data.username }}{{ $u }}@{{ $s.Data.data.host }}' },
  { name: 'kv2-two-secrets', path: db, template: `${W(db, '{{ .Data.data.username }}')}/${W('kv/app/api', '{{ .Data.key }}')}` },
  // TLS material kept in KV, rendered as files.
  { name: 'tls-crt', path: tls, template: W(tls, '{{ index .Data.data "tls.crt" }}') },
  { name: 'tls-key', path: tls, perms: '0400', template: W(tls, '{{ index .Data.data "tls.key" }}') },
  { name: 'tls-bundle', path: tls, template: W(tls, '{{ index .Data.data "tls.crt" }}{{ index .Data.data "ca.crt" }}') },
  { name: 'tls-json', path: tls, template: W(tls, '{{ .Data.data | toJSONPretty }}') },
  // KV v1.
  { name: 'kv1-value', path: 'kv/app/api', template: W('kv/app/api', '{{ .Data.key }}') },
  { name: 'kv1-url', path: 'kv/app/api', template: W('kv/app/api', '{{ .Data.url }}?timeout={{ .Data.timeout }}&enabled={{ .Data.enabled }}&rate={{ .Data.rate }}') },
  { name: 'kv1-env', path: 'kv/app/env', template: W('kv/app/env', '{{ range $k, $v := .Data }}{{ $k }}={{ $v | toJSON }}\n{{ end }}') },
  { name: 'kv1-tojson', path: 'kv/app/nested', template: W('kv/app/nested', '{{ .Data | toJSON }}') },
  { name: 'kv1-toyaml', path: 'kv/app/nested', template: W('kv/app/nested', '{{ .Data | toYAML }}') },
  { name: 'kv1-deep', path: 'kv/app/nested', template: W('kv/app/nested', '{{ .Data.outer.inner.deep }} {{ index .Data.outer.inner.deep 0 }} {{ .Data.list }}') },
  // `secrets` (LIST) and reading each secret listed.
  { name: 'list-kv2', path: 'secret/metadata/app/', template: '{{ range secrets "secret/metadata/app/" }}{{ . }}\n{{ end }}' },
  { name: 'list-kv1', path: 'kv/app/', template: '{{ range secrets "kv/app/" }}{{ . }},{{ end }}' },
  { name: 'list-and-read', path: 'kv/app/', template: '{{ range secrets "kv/app/" }}{{ with secret (printf "kv/app/%s" .) }}{{ len .Data }} {{ end }}{{ end }}' },
  { name: 'list-kv2-read', path: 'secret/metadata/app/', template: '{{ range $name := secrets "secret/metadata/app/" }}{{ if eq $name "db" "versioned" }}{{ with secret (printf "secret/app/%s" $name) }}{{ $name }}:{{ .Data.metadata.version }} {{ end }}{{ end }}{{ end }}' },
  // consul-template's own functions.
  { name: 'ct-strings', path: db, template: W(db, '{{ .Data.data.username | toUpper }} {{ .Data.data.host | toTitle }} {{ replaceAll "." "_" .Data.data.host }} {{ .Data.data.dbname | toLower }} {{ "  pad  " | trimSpace }}') },
  // toTitle is x/text's cases.Title (Unicode word boundaries), sprig_title is strings.Title.
  { name: 'ct-title', path: 'secret/app/json-blob', template: W('secret/app/json-blob', '{{ .Data.data.title | toTitle }}|{{ .Data.data.title | sprig_title }}') },
  { name: 'ct-base64', path: 'secret/app/json-blob', template: W('secret/app/json-blob', '{{ .Data.data.b64 | base64Decode }} {{ "héllo" | base64Encode }} {{ "a/b?" | base64URLEncode }}') },
  { name: 'ct-sha', path: db, template: W(db, '{{ .Data.data.password | sha256Hex }} {{ md5sum .Data.data.password }}') },
  { name: 'ct-split-join', path: 'secret/app/json-blob', template: W('secret/app/json-blob', '{{ range split "," .Data.data.csv }}[{{ . }}]{{ end }} {{ join ";" (split "," .Data.data.csv) }}') },
  { name: 'ct-parse', path: 'secret/app/json-blob', template: W('secret/app/json-blob', '{{ $j := .Data.data.payload | parseJSON }}{{ $j.a }} {{ index $j.b 1 }} {{ $j | toJSON }} {{ .Data.data.bool | parseBool }} {{ add (.Data.data.int | parseInt) 1 }} {{ (.Data.data.yaml | parseYAML).b }}') },
  { name: 'ct-math', path: cfg, template: W(cfg, '{{ add 1 2 }} {{ multiply (len .Data.data.features) 4 }} {{ subtract 1 10 }} {{ divide 4 10 }} {{ modulo 3 10 }} {{ add 1.5 2 }}') },
  { name: 'ct-contains', path: cfg, template: W(cfg, '{{ if .Data.data.features | contains "beta" }}beta{{ end }} {{ in .Data.data.features "search" }} {{ .Data.data.features | containsNone .Data.data.features }}') },
  { name: 'ct-indent', path: tls, template: W(tls, 'cert: |\n{{ index .Data.data "tls.crt" | indent 2 }}\n') },
  { name: 'ct-regex', path: db, template: W(db, '{{ regexReplaceAll "[0-9]+" "N" .Data.data.port }} {{ regexMatch "^orders" .Data.data.username }}') },
  { name: 'ct-scratch', path: db, template: W(db, '{{ scratch.Set "u" .Data.data.username }}{{ scratch.Get "u" }}{{ scratch.Key "u" }}{{ scratch.Key "nope" }}') },
  { name: 'ct-explode', path: 'kv/app/nested', template: W('kv/app/nested', '{{ .Data.list | toJSON }} {{ .Data.outer | toJSONPretty }}') },
  // sprig (consul-template registers it under `sprig_`).
  { name: 'sprig-strings', path: db, template: W(db, '{{ .Data.data.username | sprig_upper }} {{ .Data.data.host | sprig_replace "." "-" }} {{ sprig_trunc 4 .Data.data.dbname }} {{ sprig_quote .Data.data.password }} {{ sprig_squote .Data.data.username }}') },
  { name: 'sprig-default', path: cfg, template: W(cfg, '{{ sprig_default "fallback" .Data.data.empty }} {{ sprig_default "nil-fallback" .Data.data.nothing }} {{ sprig_empty .Data.data.zero }} {{ sprig_coalesce .Data.data.empty .Data.data.limits.cpu }}') },
  { name: 'sprig-encoding', path: db, template: W(db, '{{ .Data.data.password | sprig_b64enc }} {{ .Data.data.password | sprig_sha256sum }} {{ sprig_b64dec "aGk=" }}') },
  { name: 'sprig-lists', path: cfg, template: W(cfg, '{{ sprig_join "," .Data.data.features }} {{ sprig_first .Data.data.features }} {{ sprig_last .Data.data.features }} {{ .Data.data.features | sprig_sortAlpha }} {{ sprig_has "export" .Data.data.features }}') },
  { name: 'sprig-dict', path: cfg, template: W(cfg, '{{ sprig_keys .Data.data.limits | sprig_sortAlpha }} {{ sprig_get .Data.data.limits "memory" }} {{ sprig_hasKey .Data.data "debug" }} {{ sprig_pick .Data.data.limits "cpu" }}') },
  { name: 'sprig-indent', path: tls, template: W(tls, 'key: {{ index .Data.data "tls.key" | sprig_nindent 4 }}\n') },
  { name: 'sprig-tojson', path: cfg, template: W(cfg, '{{ .Data.data | sprig_toJson }}\n{{ .Data.data.limits | sprig_toPrettyJson }}') },
  { name: 'sprig-math', path: cfg, template: W(cfg, '{{ sprig_add .Data.data.replicas 1 }} {{ sprig_max 1 .Data.data.replicas 7 }} {{ sprig_int64 .Data.data.replicas }} {{ sprig_toString .Data.data.ratio }}') },
  { name: 'sprig-regex', path: uni, template: W(uni, '{{ sprig_regexFind "w.rld" .Data.data.greeting }} {{ sprig_camelcase "dash-key_x" }} {{ sprig_snakecase "SomeName" }} {{ sprig_kebabcase "SomeName" }}') },
  // Options: error_on_missing_key (no key missing: renders), custom delimiters, perms.
  { name: 'opt-missing-key-ok', path: db, errorOnMissingKey: true, template: W(db, '{{ .Data.data.username }}') },
  { name: 'opt-no-value', path: db, template: W(db, '[{{ .Data.data.nope }}] [{{ .Data.nope }}]') },
  { name: 'opt-delims', path: db, leftDelimiter: '[[', rightDelimiter: ']]', template: '[[ with secret "secret/app/db" ]][[ .Data.data.username ]] {{ not a template }}[[ end ]]' },
  { name: 'opt-delims-angle', path: db, leftDelimiter: '<%', rightDelimiter: '%>', template: '<%- with secret "secret/app/db" -%>\n<% .Data.data.host %>:<% .Data.data.port %>\n<%- end %>' },
  { name: 'opt-perms-600', path: db, perms: '0600', template: W(db, '{{ .Data.data.password }}') },
  { name: 'opt-perms-640', path: 'kv/app/api', perms: '0640', template: W('kv/app/api', '{{ .Data.key }}') },
  { name: 'opt-perms-444', path: 'kv/app/api', perms: '0444', template: W('kv/app/api', '{{ .Data.url }}') },
  { name: 'opt-empty-output', path: db, template: W(db, '') },
  { name: 'opt-define', path: db, template: '{{ define "dsn" }}{{ .username }}@{{ .host }}{{ end }}{{ with secret "secret/app/db" }}{{ template "dsn" .Data.data }}{{ end }}' },
  // Dynamic secrets: database credentials and PKI certificates (masked comparison).
  { name: 'db-creds', path: 'database/creds/app', dynamic: true, template: W('database/creds/app', 'username={{ .Data.username }}\npassword={{ .Data.password }}\nlease={{ .LeaseID }} ttl={{ .LeaseDuration }} renewable={{ .Renewable }}\n') },
  { name: 'db-creds-url', path: 'database/creds/app', dynamic: true, template: W('database/creds/app', 'postgres://{{ .Data.username }}:{{ .Data.password | urlquery }}@127.0.0.1:5432/postgres?sslmode=disable') },
  { name: 'db-creds-json', path: 'database/creds/app', dynamic: true, template: W('database/creds/app', '{{ .Data | toJSON }}') },
  { name: 'pki-cert', path: 'pki/issue/web', dynamic: true, template: '{{ with secret "pki/issue/web" "common_name=app.example.com" "ttl=1h" }}{{ .Data.certificate }}{{ end }}' },
  { name: 'pki-key', path: 'pki/issue/web', dynamic: true, perms: '0400', template: '{{ with secret "pki/issue/web" "common_name=app.example.com" "ttl=1h" }}{{ .Data.private_key }}{{ end }}' },
  { name: 'pki-bundle', path: 'pki/issue/web', dynamic: true, template: '{{ with secret "pki/issue/web" "common_name=app.example.com" "ttl=1h" }}{{ .Data.certificate }}\n{{ .Data.issuing_ca }}\n{{ range .Data.ca_chain }}{{ . }}\n{{ end }}{{ .Data.private_key_type }} {{ .Data.serial_number }} {{ .Data.expiration }}{{ end }}' },
  { name: 'pki-json', path: 'pki/issue/web', dynamic: true, template: '{{ with secret "pki/issue/web" "common_name=app.example.com" "ttl=1h" "alt_names=www.example.com" }}{{ .Data | toJSONPretty }}{{ end }}' },
];

// bao agent 2.7.2 is built with a newer Go than 1.26 (the oracle's); both name the types in a
// comparison error, which fail-json-number-compare holds.
export const failureCases: FailureCase[] = [
  { name: 'fail-exec', cause: 'template', reason: /^error calling index: index out of range: 5$/, entry: { name: 'fail-exec', path: cfg, template: W(cfg, '{{ index .Data.data.features 5 }}') } },
  { name: 'fail-missing', cause: 'template', reason: /^map has no entry for key "nope"$/, entry: { name: 'fail-missing', path: db, errorOnMissingKey: true, template: W(db, '{{ .Data.data.username }}{{ .Data.data.nope }}') } },
  { name: 'fail-nil-pointer', cause: 'template', reason: /^nil pointer evaluating interface \{\}\.deeper$/, entry: { name: 'fail-nil-pointer', path: db, template: W(db, '{{ .Data.nope.deeper }}') } },
  { name: 'fail-field-of-string', cause: 'template', reason: /^can't evaluate field nope in type interface \{\}$/, entry: { name: 'fail-field-of-string', path: db, template: W(db, '{{ .Data.data.username.nope }}') } },
  // KV values are json.Number in Go: consul-template's math does not take them.
  { name: 'fail-json-number-math', cause: 'template', reason: /^error calling add: add: unknown type for "3" \(json\.Number\)$/, entry: { name: 'fail-json-number-math', path: cfg, template: W(cfg, '{{ add .Data.data.replicas 2 }}') } },
  { name: 'fail-json-number-compare', cause: 'template', reason: /^error calling gt: incompatible types for comparison: json\.Number and int$/, entry: { name: 'fail-json-number-compare', path: cfg, template: W(cfg, '{{ if gt .Data.data.replicas 2 }}many{{ end }}') } },
  { name: 'fail-forbidden', cause: 'forbidden', entry: { name: 'fail-forbidden', path: 'secret/other/x' } },
];

/** The annotations of one pod that injects the entries. */
export function annotationsFor(entries: readonly CorpusEntry[], podWide: Record<string, string> = {}): Record<string, string> {
  const annotations: Record<string, string> = { ...podWide };
  for (const entry of entries) {
    annotations[`agent-inject-secret-${entry.name}`] = entry.path;
    if (entry.template !== undefined) annotations[`agent-inject-template-${entry.name}`] = entry.template;
    if (entry.perms !== undefined) annotations[`agent-inject-perms-${entry.name}`] = entry.perms;
    if (entry.leftDelimiter !== undefined) annotations[`agent-template-left-delim-${entry.name}`] = entry.leftDelimiter;
    if (entry.rightDelimiter !== undefined) annotations[`agent-template-right-delim-${entry.name}`] = entry.rightDelimiter;
    if (entry.errorOnMissingKey === true) annotations[`error-on-missing-key-${entry.name}`] = 'true';
  }
  return annotations;
}

/**
 * The shape of a file whose values are new on every fetch: PEM blocks, long random tokens
 * (usernames, passwords, lease ids, serial numbers, base64) and Unix times become placeholders;
 * punctuation, keys, short words and line structure stay.
 */
export function maskDynamic(text: string): string {
  return text
    .replace(/-----BEGIN ([A-Z ]+)-----[\s\S]*?-----END \1-----/g, '<PEM $1>')
    .replace(/[A-Za-z0-9+/=_.:-]{16,}/g, '<masked>')
    .replace(/\b\d{10}\b/g, '<unix-time>');
}
