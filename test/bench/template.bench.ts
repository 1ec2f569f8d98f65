// Template throughput: our engine + functions against the template oracle (test/oracle -bench: Go
// 1.26's text/template with consul-template v0.41.1's function map) on the same realistic Vault
// templates, same machine, same run. Reports ns/op and the ratio Go/ours
// (above 1 = we are faster).  npm run -s bench:template [-- --runs N]
import { parseArgs } from 'node:util';
import { executeTemplate, goValueFromJson, parseTemplate } from '../../agent/src/template/index.ts';
import { templateFunctions } from '../../agent/src/template/functions/index.ts';
import type { CaseSource } from '../template/corpus/case.ts';
import { runGotpl } from '../template/corpus/gotpl.ts';
import { fixtureSecrets } from '../template/corpus/load.ts';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '3000' } } });
const runs = Number(values.runs);

const kv2 = '{"request_id":"8af096e1","lease_id":"","renewable":false,"lease_duration":0,"data":{"data":{"username":"app","password":"s3cr3t-P@ss","port":5432,"host":"db.internal","ratio":0.5,"tags":["a","b","c"],"nested":{"k":"v"},"cert_b64":"aGVsbG8gd29ybGQ=","API_KEY":"k-123","LOG_LEVEL":"info","FEATURE_X":"on"},"metadata":{"created_time":"2018-03-22T02:24:06.945319214Z","custom_metadata":null,"deletion_time":"","destroyed":false,"version":2}},"warnings":null}';
const db = '{"request_id":"d1","lease_id":"database/creds/readonly/2f6a614c","renewable":true,"lease_duration":3600,"data":{"username":"v-kubernet-readonly-x9Tq3","password":"A1a-8dkeJ2kW2"},"warnings":null}';
const pki = '{"lease_id":"pki/issue/web/7ad6","renewable":false,"lease_duration":21600,"data":{"certificate":"-----BEGIN CERTIFICATE-----\\nMIIDzDCCAragAwIBAgIUOd0ukLcjH43TfTHFG9qE0FtlMVgwCwYJKoZIhvcNAQEL\\n-----END CERTIFICATE-----\\n","issuing_ca":"-----BEGIN CERTIFICATE-----\\nMIIDUTCC\\n-----END CERTIFICATE-----\\n","ca_chain":["-----BEGIN CERTIFICATE-----\\nMIIDUTCC\\n-----END CERTIFICATE-----\\n"],"private_key":"-----BEGIN RSA PRIVATE KEY-----\\nMIIEowIB\\n-----END RSA PRIVATE KEY-----\\n","serial_number":"39:dd:2e:90"}}';
const list = '{"data":{"keys":["alpha","beta","gamma","delta/"]}}';
const secrets = { 'secret/data/app': kv2, 'database/creds/readonly': db, 'pki/issue/web': pki, 'secret/metadata/apps': list };

const templates: CaseSource[] = [
  { name: 'kv2-single-value', template: '{{ with secret "secret/data/app" }}{{ .Data.data.password }}{{ end }}' },
  { name: 'db-dsn', template: '{{- with secret "database/creds/readonly" -}}\npostgresql://{{ .Data.username }}:{{ .Data.password }}@postgres:5432/app?sslmode=require\n{{- end }}\n' },
  { name: 'env-file', template: '{{ with secret "secret/data/app" -}}\n{{ range $k, $v := .Data.data -}}\nexport {{ $k }}="{{ $v }}"\n{{ end -}}\n{{ end }}' },
  { name: 'json-config', template: '{\n{{- with secret "secret/data/app" }}\n  "user": {{ .Data.data.username | toJSON }},\n  "password": {{ .Data.data.password | toJSON }},\n  "port": {{ .Data.data.port }},\n  "tags": {{ .Data.data.tags | toJSON }}\n{{- end }}\n}\n' },
  { name: 'yaml-dump', template: '{{ with secret "secret/data/app" }}{{ .Data.data | toYAML }}{{ end }}\n' },
  { name: 'pki-bundle', template: '{{ with secret "pki/issue/web" "common_name=web.example.com" "ttl=24h" }}{{ .Data.certificate }}{{ range .Data.ca_chain }}{{ . }}{{ end }}{{ .Data.private_key }}{{ end }}' },
  { name: 'conditional-printf', template: '{{ with secret "secret/data/app" }}{{ if eq .Data.data.LOG_LEVEL "debug" }}verbose{{ else if eq .Data.data.FEATURE_X "on" }}feature={{ printf "%s-%05d" .Data.data.API_KEY (.Data.data.port.Int64) }}{{ else }}plain{{ end }}\n{{ .Data.data.cert_b64 | base64Decode | toUpper }} {{ .Data.data.host | replaceAll "." "_" }} {{ sprig_default "x" .Data.data.missing }}{{ end }}' },
  { name: 'secrets-listing', template: '{{ range secrets "secret/metadata/apps" }}{{ if not (sprig_hasSuffix "/" .) }}- {{ . | toUpper }}\n{{ end }}{{ end }}' },
].map((t) => ({ ...t, secrets }));

function nsPerOp(run: () => void, n: number): number {
  for (let i = 0; i < Math.min(n, 2000); i++) run(); // warm up
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) run();
  return Number(process.hrtime.bigint() - start) / n;
}

const go = runGotpl(templates, runs);
console.log(`template benchmark: ${runs} runs per template; Go = the template oracle (Go text/template + consul-template\'s function map) on this machine, same run`);
console.log('template               go map+parse+exec  ours map+parse+exec  ratio | ours parse+exec  ratio | go exec   ours exec  ratio');
let goFull = 0, ourFull = 0, ourFresh = 0, goExec = 0, ourExec = 0;
for (const [i, t] of templates.entries()) {
  const functions = templateFunctions({ secrets: fixtureSecrets(t.secrets), env: () => undefined, readFile: () => '', now: () => new Date(0) });
  const g = go[i]!;
  const parsed = parseTemplate(t.template, functions, { name: t.name });
  const check = executeTemplate(parsed, undefined, { missingKey: 'zero' });
  if (!g.ok || check !== g.output) throw new Error(`${t.name}: our output differs from Go's: ${JSON.stringify(check)} vs ${JSON.stringify(g.output)}`);
  const full = nsPerOp(() => { executeTemplate(parseTemplate(t.template, functions, { name: t.name }), undefined, { missingKey: 'zero' }); }, runs);
  // as gotpl does per render: a new function map (so no decoded-secret cache), parse, execute
  const fresh = nsPerOp(() => {
    const map = templateFunctions({ secrets: fixtureSecrets(t.secrets), env: () => undefined, readFile: () => '', now: () => new Date(0) });
    executeTemplate(parseTemplate(t.template, map, { name: t.name }), undefined, { missingKey: 'zero' });
  }, runs);
  const exec = nsPerOp(() => { executeTemplate(parsed, undefined, { missingKey: 'zero' }); }, runs);
  const gf = g.ns_per_op ?? NaN;
  const ge = g.exec_ns_per_op ?? NaN;
  goFull += gf; ourFull += full; ourFresh += fresh; goExec += ge; ourExec += exec;
  console.log(`${t.name.padEnd(22)} ${gf.toFixed(0).padStart(13)} ns ${fresh.toFixed(0).padStart(16)} ns ${(gf / fresh).toFixed(2).padStart(6)} | ${full.toFixed(0).padStart(12)} ns ${(gf / full).toFixed(2).padStart(6)} | ${ge.toFixed(0).padStart(6)} ns ${exec.toFixed(0).padStart(7)} ns ${(ge / exec).toFixed(2).padStart(6)}`);
}
console.log(`${'total'.padEnd(22)} ${goFull.toFixed(0).padStart(13)} ns ${ourFresh.toFixed(0).padStart(16)} ns ${(goFull / ourFresh).toFixed(2).padStart(6)} | ${ourFull.toFixed(0).padStart(12)} ns ${(goFull / ourFull).toFixed(2).padStart(6)} | ${goExec.toFixed(0).padStart(6)} ns ${ourExec.toFixed(0).padStart(7)} ns ${(goExec / ourExec).toFixed(2).padStart(6)}`);
console.log('ratio = Go ns / our ns (above 1: faster than Go). "map+parse+exec" builds the function map (Go: consul-template\'s, with all of sprig) and parses on every render, as consul-template does; "ours parse+exec" reuses one map as the agent does; "exec" runs a template parsed once (both read secrets from a filled store: consul-template\'s brain, our per-body cache).');
