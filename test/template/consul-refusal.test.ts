// consul-template v0.41.1's own tests of its Consul and Nomad functions (template/template_test.go,
// template/funcs_test.go), ported as refusals: Vault Agent connects to neither, so our engine
// refuses these functions by design, when a template is admitted (VI_TEMPLATE_UNAVAILABLE_FUNCTION)
// and when one is called. Each upstream case keeps its name and template; their Brain fixtures
// (Consul KV pairs, services, nodes, Nomad variables) have no place here.
//
// 56 cases: TestTemplate_Execute 45 (missing_deps, func_datacenters, func_datacenters_ignore,
// func_key, func_keyExists, func_keyOrDefault, func_ls, func_node,
// func_node_nil_pointer_evaluation, func_nodes, func_peerings, func_service, func_service_filter,
// func_services, func_tree, helper_by_key, helper_by_tag, helper_contains, helper_containsAll,
// helper_containsAll__empty, helper_containsAny, helper_containsAny__empty, helper_containsNone,
// helper_containsNone__empty, helper_containsNotAll, helper_containsNotAll__empty,
// helper_executeTemplate, helper_executeTemplate__dot, helper_mergeMap,
// helper_mergeMapWithOverride, helper_explode, helper_in, helper_toUnescapedJSONPretty,
// leaf_cert, leaf_cert_nil_pointer_evaluation, root_ca, func_connect, func_nomadVariable,
// func_nomadVariableExists, func_nomadVariables, func_nomadVariables_no_arg,
// func_nomadVariables_too_many_args, func_nomadVar_ns_region,
// func_nomadVariableExists_ns_region, func_nomadVarList_ns_region); TestTemplate_error_secret_leak_SV
// 1 (nomadVar); funcs_test.go's Test_byMeta 4, Test_byPort 5 (as templates over `service`) and
// Test_exportedServicesFunc 1. The helpers among them that are not Consul's own (contains*, in,
// executeTemplate, mergeMap*, toUnescapedJSONPretty) are judged by the oracle in corpus
// 24-consul-template-tests (`adapted/`).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { checkTemplates } from '../../src/admission/templates.ts';
import { runCase } from './corpus/load.ts';
import { makePod, specOf } from '../webhook/unit/helpers.ts';

type Service = 'Consul' | 'Nomad';
/** upstream test/case name, template, first refused function, what it needs */
const CASES: ReadonlyArray<readonly [string, string, string, Service]> = [
  ['Execute/missing_deps', '{{ key "foo" }}', 'key', 'Consul'],
  ['Execute/func_datacenters', '{{ datacenters }}', 'datacenters', 'Consul'],
  ['Execute/func_datacenters_ignore', '{{ datacenters true }}', 'datacenters', 'Consul'],
  ['Execute/func_key', '{{ key "key" }}', 'key', 'Consul'],
  ['Execute/func_keyExists', '{{ keyExists "key" }} {{ keyExists "no_key" }}', 'keyExists', 'Consul'],
  ['Execute/func_keyOrDefault', '{{ keyOrDefault "key" "100" }} {{ keyOrDefault "no_key" "200" }}', 'keyOrDefault', 'Consul'],
  ['Execute/func_ls', '{{ range ls "list" }}{{ .Key }}={{ .Value }}{{ end }}', 'ls', 'Consul'],
  ['Execute/func_node', '{{ with node }}{{ .Node.Node }}{{ range .Services }}{{ .Service }}{{ end }}{{ end }}', 'node', 'Consul'],
  ['Execute/func_node_nil_pointer_evaluation', '{{ $v := node }}{{ $v.Node }}', 'node', 'Consul'],
  ['Execute/func_nodes', '{{ range nodes }}{{ .Node }}{{ end }}', 'nodes', 'Consul'],
  ['Execute/func_peerings', '{{ range peerings }}{{ .Name }}{{ end }}', 'peerings', 'Consul'],
  ['Execute/func_service', '{{ range service "webapp" }}{{ .Address }}{{ end }}', 'service', 'Consul'],
  ['Execute/func_service_filter', '{{ range service "webapp" "passing,any" }}{{ .Address }}{{ end }}', 'service', 'Consul'],
  ['Execute/func_services', '{{ range services }}{{ .Name }}{{ end }}', 'services', 'Consul'],
  ['Execute/func_tree', '{{ range tree "key" }}{{ .Key }}={{ .Value }}{{ end }}', 'tree', 'Consul'],
  ['Execute/helper_by_key', '{{ range $key, $pairs := tree "list" | byKey }}{{ $key }}:{{ range $pairs }}{{ .Key }}={{ .Value }}{{ end }}{{ end }}', 'tree', 'Consul'],
  ['Execute/helper_by_tag', '{{ range $tag, $services := service "webapp" | byTag }}{{ $tag }}:{{ range $services }}{{ .Address }}{{ end }}{{ end }}', 'service', 'Consul'],
  ['Execute/helper_contains', '{{ range service "webapp" }}{{ if .Tags | contains "prod" }}{{ .Address }}{{ end }}{{ end }}', 'service', 'Consul'],
  ['Execute/helper_containsAll', '{{ $requiredTags := parseJSON "[\\"prod\\",\\"us-realm\\"]" }}{{ range service "webapp" }}{{ if .Tags | containsAll $requiredTags }}{{ .Address }}{{ end }}{{ end }}', 'service', 'Consul'],
  ['Execute/helper_containsAll__empty', '{{ $requiredTags := parseJSON "[]" }}{{ range service "webapp" }}{{ if .Tags | containsAll $requiredTags }}{{ .Address }}{{ end }}{{ end }}', 'service', 'Consul'],
  ['Execute/helper_containsAny', '{{ $acceptableTags := parseJSON "[\\"v2\\",\\"v3\\"]" }}{{ range service "webapp" }}{{ if .Tags | containsAny $acceptableTags }}{{ .Address }}{{ end }}{{ end }}', 'service', 'Consul'],
  ['Execute/helper_containsAny__empty', '{{ $acceptableTags := parseJSON "[]" }}{{ range service "webapp" }}{{ if .Tags | containsAny $acceptableTags }}{{ .Address }}{{ end }}{{ end }}', 'service', 'Consul'],
  ['Execute/helper_containsNone', '{{ $forbiddenTags := parseJSON "[\\"devel\\",\\"staging\\"]" }}{{ range service "webapp" }}{{ if .Tags | containsNone $forbiddenTags }}{{ .Address }}{{ end }}{{ end }}', 'service', 'Consul'],
  ['Execute/helper_containsNone__empty', '{{ $forbiddenTags := parseJSON "[]" }}{{ range service "webapp" }}{{ if .Tags | containsNone $forbiddenTags }}{{ .Address }}{{ end }}{{ end }}', 'service', 'Consul'],
  ['Execute/helper_containsNotAll', '{{ $excludingTags := parseJSON "[\\"es-v1\\",\\"es-v2\\"]" }}{{ range service "webapp" }}{{ if .Tags | containsNotAll $excludingTags }}{{ .Address }}{{ end }}{{ end }}', 'service', 'Consul'],
  ['Execute/helper_containsNotAll__empty', '{{ $excludingTags := parseJSON "[]" }}{{ range service "webapp" }}{{ if .Tags | containsNotAll $excludingTags }}{{ .Address }}{{ end }}{{ end }}', 'service', 'Consul'],
  ['Execute/helper_executeTemplate', '{{ define "custom" }}{{ key "foo" }}{{ end }}{{ executeTemplate "custom" }}', 'key', 'Consul'],
  ['Execute/helper_executeTemplate__dot', '{{ define "custom" }}{{ key . }}{{ end }}{{ executeTemplate "custom" "foo" }}', 'key', 'Consul'],
  ['Execute/helper_mergeMap', '{{ $base := "{\\"voo\\":{\\"bar\\":\\"v\\"}}" | parseJSON}}{{ $role := tree "list" | explode | mergeMap $base}}{{ range $k, $v := $role }}{{ $k }}{{ $v }}{{ end }}', 'tree', 'Consul'],
  ['Execute/helper_mergeMapWithOverride', '{{ $base := "{\\"zip\\":{\\"zap\\":\\"t\\"},\\"voo\\":{\\"bar\\":\\"v\\"}}" | parseJSON}}{{ $role := tree "list" | explode | mergeMapWithOverride $base}}{{ range $k, $v := $role }}{{ $k }}{{ $v }}{{ end }}', 'tree', 'Consul'],
  ['Execute/helper_explode', '{{ range $k, $v := tree "list" | explode }}{{ $k }}{{ $v }}{{ end }}', 'tree', 'Consul'],
  ['Execute/helper_in', '{{ range service "webapp" }}{{ if "prod" | in .Tags }}{{ .Address }}{{ end }}{{ end }}', 'service', 'Consul'],
  ['Execute/helper_toUnescapedJSONPretty', '{{ tree "key" | explode | toUnescapedJSONPretty }}', 'tree', 'Consul'],
  ['Execute/leaf_cert', '{{with caLeaf "foo"}}{{.CertPEM}}{{.PrivateKeyPEM}}{{end}}', 'caLeaf', 'Consul'],
  ['Execute/leaf_cert_nil_pointer_evaluation', '{{ $v := caLeaf "foo" }}{{ $v.CertPEM }}', 'caLeaf', 'Consul'],
  ['Execute/root_ca', '{{range caRoots}}{{.RootCertPEM}}{{end}}', 'caRoots', 'Consul'],
  ['Execute/func_connect', '{{ range connect "webapp" }}{{ .Address }}{{ end }}', 'connect', 'Consul'],
  ['Execute/func_nomadVariable', '{{with nomadVar "path" }}{{.k1}}{{end}}', 'nomadVar', 'Nomad'],
  ['Execute/func_nomadVariableExists', '{{ nomadVarExists "path" }} {{ nomadVarExists "no_path" }}', 'nomadVarExists', 'Nomad'],
  ['Execute/func_nomadVariables', '{{ range nomadVarList "list" }}{{ .Path }} {{ end }}', 'nomadVarList', 'Nomad'],
  ['Execute/func_nomadVariables_no_arg', '{{ range nomadVarList }}{{ .Path }} {{ end }}', 'nomadVarList', 'Nomad'],
  ['Execute/func_nomadVariables_too_many_args', '{{ range nomadVarList "a" "b" }}{{ .Path }} {{ end }}', 'nomadVarList', 'Nomad'],
  ['Execute/func_nomadVar_ns_region', '{{with nomadVar "test@default.dc1" }}{{.k1}}{{end}}{{with nomadVar "test@default.global" }}{{.k1}}{{end}}', 'nomadVar', 'Nomad'],
  ['Execute/func_nomadVariableExists_ns_region', '{{ nomadVarExists "path@default.global" }} {{ nomadVarExists "path@default.dc1" }}', 'nomadVarExists', 'Nomad'],
  ['Execute/func_nomadVarList_ns_region', '{{ range nomadVarList "list" }}{{ .Path }} {{ end }}{{ range nomadVarList "list@default.dc1" }}{{ .Path }} {{ end }}', 'nomadVarList', 'Nomad'],
  ['error_secret_leak_SV', '\n\t\t{{ with nomadVar "var/test" }}\n\t\t\t{{range $key, $value := .varKey}}\n\t\t\t\texport {{ $key }}="{{ $value }}"\n\t\t\t{{- end }}\n\t\t{{ end }}', 'nomadVar', 'Nomad'],
  ['byMeta/version_string', '{{ range $k, $v := service "webapp" | byMeta "version" }}{{ $k }}{{ end }}', 'service', 'Consul'],
  ['byMeta/version_number', '{{ range $k, $v := service "webapp" | byMeta "version_num|int" }}{{ $k }}{{ end }}', 'service', 'Consul'],
  ['byMeta/bad_version_number', '{{ range $k, $v := service "webapp" | byMeta "bad_version_num|int" }}{{ $k }}{{ end }}', 'service', 'Consul'],
  ['byMeta/multiple_meta', '{{ range $k, $v := service "webapp" | byMeta "env,version_num|int,version" }}{{ $k }}{{ end }}', 'service', 'Consul'],
  ['byPort/HealthService', '{{ range $port, $s := service "webapp" | byPort }}{{ $port }}{{ end }}', 'service', 'Consul'],
  // []*dep.CatalogService: no function of the map returns it alone; `service`'s results stand in
  ['byPort/CatalogService', '{{ range $port, $s := service "webapp" "any" | byPort }}{{ $port }}{{ end }}', 'service', 'Consul'],
  ['byPort/NomadService', '{{ range $port, $s := nomadService "webapp" | byPort }}{{ $port }}{{ end }}', 'nomadService', 'Nomad'],
  ['byPort/empty', '{{ range $port, $s := service "none" | byPort }}{{ $port }}{{ end }}', 'service', 'Consul'],
  ['byPort/unsupported_type', '{{ services | byPort }}', 'services', 'Consul'],
  ['exportedServicesFunc', '{{ exportedServices "default" }}{{ exportedServices "ap1" }}', 'exportedServices', 'Consul'],
];

describe('consul-template\'s Consul and Nomad cases are refused, at admission and when rendered', () => {
  it('lists 56 upstream cases', () => assert.equal(CASES.length, 56));
  for (const [name, template, first, service] of CASES) {
    it(name, () => {
      const rendered = runCase({ name: 'ct', template, missingkey: 'zero' });
      const admitted = checkTemplates(specOf(makePod({ 'agent-inject-template-ct': template })));
      assert.equal(admitted.ok, false);
      if (admitted.ok) return;
      const [problem] = admitted.problems;
      const reason = `function "${first}" needs ${service}, which Vault Agent does not connect to (it renders Vault secrets only)`;
      assert.equal(rendered.ok, false, `rendered: ${rendered.output}`);
      assert.ok(rendered.error?.startsWith('template: ct:') && rendered.error.endsWith(`error calling ${first}: ${reason}`), rendered.error);
      assert.equal(problem?.code, 'VI_TEMPLATE_UNAVAILABLE_FUNCTION');
      assert.match(problem?.message ?? '', new RegExp(`^annotation vault\\.hashicorp\\.com/agent-inject-template-ct: template: ct:\\d+:\\d+: ${reason.replace(/[()]/g, '\\$&')}$`));
    });
  }
});
