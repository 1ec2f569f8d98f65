// consul-template v0.41.1's own template tests, ported as cases judged by the oracle
// (template/template_test.go, funcs_test.go, scratch_test.go of
// .cache/oracle/gomod/github.com/hashicorp/consul-template@v0.41.1). Names are upstream's
// (test function, case); the Brain fixtures of their Vault cases are given here as the raw Vault
// HTTP bodies that make the oracle's own dependency types produce those values.
//
// consul-template renders with missingkey=zero unless error_on_missing_key (then error), and a
// nil dot: so do these cases. Their errors are Go's text without consul-template's
// `parse: `/`execute: ` wrapping (the oracle renders through the function map, as our engine
// does; our agent's own wrapping is asserted in test/template/consul-template-errors.test.ts).
//
// Left out of this file, by reason (figures in docs/template-oracle.md):
// - Consul and Nomad (45 of TestTemplate_Execute; funcs_test's byMeta, byPort and
//   exportedServices): refused by our engine by design, asserted in
//   test/template/consul-refusal.test.ts. Where a case tests a helper that is not Consul's own
//   (contains*, in, executeTemplate, mergeMap*, toUnescapedJSONPretty), an `adapted/` case below
//   feeds the same helper the same values without Consul.
// - Clock-bound: helper_timestamp, helper_helper_timestamp__formatted (their test fakes `now`;
//   the oracle's clock is real): asserted in test/template/consul-template-errors.test.ts.
// - func_file: its path is a Brain fixture that exists nowhere (a missing file fails the fetch
//   under Vault Agent, not the template); `adapted/func_file*` read files every checkout has.
// - Function denylist (helper_plugin_disabled, sprig_reverse_disabled, TestTemplate_ExtFuncMap's
//   denylist_blocks_extfunc), ExtFuncMap (external_func, new_external_func,
//   external_func_opaques_existing), sandbox_path (funcs_test's TestFileSandbox, 7): Vault Agent
//   exposes neither an external function map nor, through the injector's annotations, a
//   denylist or a sandbox, and our agent has no such settings.
// - TestNewTemplate's input checks (nil, source_and_contents, no_source_and_no_contents,
//   non_existent, sets_contents_from_source) and brain_test.go: Go API checks, no template.
// - plugin, sockaddr, spew_sdump and writeToFile (`machineBound` below) write in the corpus
//   harness's secrets volume (/tmp/vault-injector-corpus-writes) or read the machine's loopback.
import { cases } from '../case.ts';

const leafCert = "-----BEGIN CERTIFICATE-----\nMIIBGjCBwQICEjQwCgYIKoZIzj0EAwIwFjEUMBIGA1UEAwwLZXhhbXBsZS5jb20w\nIBcNMjYxMjA0MTg0MDUxWhgPMjEyNjExMTAxODQwNTFaMBoxGDAWBgNVBAMMD2Zv\nby5leGFtcGxlLmNvbTBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABCebd0AHKjZv\nU94JSpk6e5LVt/pkgwTMnHfg9nAsWSa/hBiKrPaI4ltfCHvuisudweWTR1+gexj0\net14vRE3/zQwCgYIKoZIzj0EAwIDSAAwRQIhALq9Jp+keEwZCc6mzAKfgrIbssQr\ntMx+GwNS04V394wZAiBBd9xdp8GhKWtbVe/4uliYKC1PxA6qA4Ht/qdnn+4t9Q==\n-----END CERTIFICATE-----";
const leafKey = "-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgAcIGd2q27vnbJwXu\nl4Fo1idknAf2fWjf9XkAvl7cacihRANCAAQnm3dAByo2b1PeCUqZOnuS1bf6ZIME\nzJx34PZwLFkmv4QYiqz2iOJbXwh77orLncHlk0dfoHsY9HrdeL0RN/80\n-----END PRIVATE KEY-----";
const caCert = "-----BEGIN CERTIFICATE-----\nMIIBhDCCASmgAwIBAgIUWFhOYA2O0JvtcohQSMXgvnEF++8wCgYIKoZIzj0EAwIw\nFjEUMBIGA1UEAwwLZXhhbXBsZS5jb20wIBcNMjYxMjA0MTgzOTQ1WhgPMjEyNjEx\nMTAxODM5NDVaMBYxFDASBgNVBAMMC2V4YW1wbGUuY29tMFkwEwYHKoZIzj0CAQYI\nKoZIzj0DAQcDQgAE1nm03jq7o3zCEWyl4aUIAxhs9Z6+BDeKkUbX8fdQzKbTsLCm\nKNnWvip+WzPtg9zaJM+X3YMCkfkI1z0EtwJ1IKNTMFEwHQYDVR0OBBYEFHnhu5Ro\nOE9+411LZN6XQ84QAgZzMB8GA1UdIwQYMBaAFHnhu5RoOE9+411LZN6XQ84QAgZz\nMA8GA1UdEwEB/wQFMAMBAf8wCgYIKoZIzj0EAwIDSQAwRgIhAOGtYfIVcSM3IE8T\nA0Ok8iLNECS7ezcyR8gvq/sgUGatAiEA/ReBp099d7Wha6HZ+IMGOI1XVD+c3ZSe\nHKd5ut4kaLo=\n-----END CERTIFICATE-----";

const intCert = "-----BEGIN CERTIFICATE-----\nMIIBhDCCASqgAwIBAgIBETAKBggqhkjOPQQDAjAWMRQwEgYDVQQDDAtleGFtcGxl\nLmNvbTAgFw0yNjEyMDQxODQ4NTFaGA8yMTI2MTExMDE4NDg1MVowGjEYMBYGA1UE\nAwwPaW50LmV4YW1wbGUuY29tMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAErpRk\nEAbWH6YE5Ue/Z56FXhueXrw3ewUFozwxnQI9+0lCQLDZuHpOQQw9dua4ZZzt+6fN\nYOBvFKhFobtJtswBfKNjMGEwDwYDVR0TAQH/BAUwAwEB/zAOBgNVHQ8BAf8EBAMC\nAQYwHQYDVR0OBBYEFMy/gUXggsd9Ic4LBe4NnFhLD8iKMB8GA1UdIwQYMBaAFHnh\nu5RoOE9+411LZN6XQ84QAgZzMAoGCCqGSM49BAMCA0gAMEUCIDLWL0Di+PZF9gRI\nXW3ywA9uDXAJvhKroTh4+TEEsXoyAiEAzlGOXzWpGgfDoQzuu017roN5LMIHqCzE\nLNIW+VQNPIQ=\n-----END CERTIFICATE-----";
const webCert = "-----BEGIN CERTIFICATE-----\nMIIBHTCBxAIBEjAKBggqhkjOPQQDAjAaMRgwFgYDVQQDDA9pbnQuZXhhbXBsZS5j\nb20wIBcNMjYxMjA0MTg0ODUxWhgPMjEyNjExMTAxODQ4NTFaMBoxGDAWBgNVBAMM\nD3dlYi5leGFtcGxlLmNvbTBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABM7j428f\ner2xLsR0+70OCfDUghTDLXijeuPvzBrYmlhNiLO+bJNRuD24CGWxiXQf2GKRUhdg\nqcPbqIGOPzuenA4wCgYIKoZIzj0EAwIDSAAwRQIhALMqFNJCC2GBt8UIr5g26Z98\nvlITtErKa5BwbzVWqew7AiBne+TqsH7HCFKpLmd6M2aWCmL8H4TlHMIM+MQG//gH\n/w==\n-----END CERTIFICATE-----";
const webKey = "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIHcg6xsM8L4LUNMI+aeKAfT+GmNVnoZbEDfg337P1MhyoAoGCCqGSM49\nAwEHoUQDQgAEzuPjbx96vbEuxHT7vQ4J8NSCFMMteKN64+/MGtiaWE2Is75sk1G4\nPbgIZbGJdB/YYpFSF2Cpw9uogY4/O56cDg==\n-----END EC PRIVATE KEY-----";

/** A PEM as some tools write it: base64 in `width` columns, lines ended by `eol`, headers. */
function rewrap(pem: string, width: number, eol: string, headers: string[] = []): string {
  const [begin = '', ...rest] = pem.split('\n');
  const end = rest.pop() ?? '';
  const body = rest.join('');
  const lines = [];
  for (let i = 0; i < body.length; i += width) lines.push(body.slice(i, i + width));
  return [begin, ...headers, ...(headers.length > 0 ? [''] : []), ...lines, end].join(eol);
}
const pkiOf = (data: Record<string, unknown>) => ({ 'pki/issue/x': JSON.stringify({ request_id: 'p', lease_id: '', renewable: false, lease_duration: 0, data, warnings: null }) });
const allPems = [leafCert, leafKey, caCert].join('\n');
const pemOrders: Array<[string, string]> = [['cert', leafCert], ['key', leafKey], ['ca', caCert]];
const permutations: Array<[string, string]> = [];
for (const [a, x] of pemOrders) for (const [b, y] of pemOrders) for (const [c, z] of pemOrders) {
  if (a !== b && a !== c && b !== c) permutations.push([a + b + c, x + y + z]);
}
const embedded: Array<[string, string]> = [
  ['spaces', ` ${allPems} `], ['brackets', `{{ ${allPems} }}`], ['null', `\u0000${allPems}\u0000`], ['tabs', `\t${allPems}\t`], ['assignment', `\tCerts='${allPems}'`],
];
const pemAll = '{{ with pkiCert "pki/issue/x" }}{{ .Cert }}|{{ .Key }}|{{ .CA }}|{{ .CAChain }}{{ end }}';

const ctFile = 'test/template/corpus/files/ct-file.bin';
const secretFoo = { 'secret/foo': '{"request_id":"r1","lease_id":"abcd1234","lease_duration":120,"renewable":true,"data":{"zip":"zap"},"wrap_info":null,"warnings":null,"auth":null}' };
const versions = {
  'secret/foo': '{"request_id":"r1","lease_id":"","lease_duration":0,"renewable":false,"data":{"zip":"zap"}}',
  'secret/foo?version=1': '{"request_id":"r2","lease_id":"","lease_duration":0,"renewable":false,"data":{"zip":"zed"}}',
};
const transit = { 'transit/encrypt/foo': '{"request_id":"w1","lease_id":"abcd1234","lease_duration":120,"renewable":true,"data":{"ciphertext":"encrypted"}}' };
const transitEmpty = { 'transit/encrypt/foo': '{"request_id":"w2","lease_id":"","lease_duration":0,"renewable":false,"data":{"ciphertext":"encrypted"}}' };
// consul-template trims the list path's slashes: Vault is asked for secret?list=true
const list = { secret: '{"request_id":"l1","lease_id":"","lease_duration":0,"renewable":false,"data":{"keys":["bar","foo"]}}' };
// Vault's PKI issue response: PEMs without a final newline; consul-template re-encodes each block
const pkiBody = JSON.stringify({
  request_id: 'p1', lease_id: '', renewable: false, lease_duration: 0,
  data: { certificate: leafCert, issuing_ca: caCert, ca_chain: [caCert], private_key: leafKey, private_key_type: 'ec', serial_number: '12:34', expiration: 4318860000 },
  warnings: null,
});
const pki = { 'pki/issue/egs-dot-com': pkiBody };
const pkiCertOnly = { 'pki/issue/egs-dot-com': JSON.stringify({ data: { certificate: leafCert } }) };
// TestTemplate_error_secret_leak: .Data.zip is a struct there; JSON has none, a string fails the same way
const leak = { 'secret/foo': '{"lease_id":"abcd1234","lease_duration":120,"renewable":true,"data":{"zip":"zoo"}}' };

const zero = { missingkey: 'zero' } as const;
const withZero = <T extends object>(extra: T) => ({ ...extra, missingkey: 'zero' as const });
const yamlNested = String.raw`{{ "foo:\n  bar: \"baz\"\n  baz: 7" | parseYAML }}`;
const indentText = String.raw`"hello\nhello\r\nHELLO\r\nhello\nHELLO"`;

const ported = cases('cttest', [
  // TestNewTemplate (the cases that carry a template)
  ['NewTemplate/contents', 'test', zero],
  ['NewTemplate/custom_delims', 'test', { ...zero, delims: ['<<', '>>'] }],
  ['NewTemplate/custom_delims-action', '<< "a" >>{{ "b" }}<<- " c" | toUpper >>', { ...zero, delims: ['<<', '>>'] }],
  ['NewTemplate/err_missing_key', 'test', { missingkey: 'error' }],

  // TestTemplate_Execute
  ['Execute/nil', 'test', zero],
  ['Execute/bad_func', '{{ bad_func }}', zero],
  ['Execute/err_missing_keys__true', '{{ .Data.Foo }}', { missingkey: 'error' }],
  ['Execute/err_missing_keys__false', '{{ .Data.Foo }}', zero],
  ['Execute/func_base64Decode', '{{ base64Decode "aGVsbG8=" }}', zero],
  ['Execute/func_base64Decode_bad', '{{ base64Decode "aGVsxxbG8=" }}', zero],
  ['Execute/func_base64Encode', '{{ base64Encode "hello" }}', zero],
  ['Execute/func_base64URLDecode', '{{ base64URLDecode "dGVzdGluZzEyMw==" }}', zero],
  ['Execute/func_base64URLDecode_bad', '{{ base64URLDecode "aGVsxxbG8=" }}', zero],
  ['Execute/func_base64URLEncode', '{{ base64URLEncode "testing123" }}', zero],
  ['Execute/func_hmacSHA256Hex', '{{ hmacSHA256Hex "somemessage" "somekey" }}', zero],
  ['Execute/func_envOrDefault', '{{ envOrDefault "SET_VAR" "100" }} {{ envOrDefault "EMPTY_VAR" "200" }} {{ envOrDefault "UNSET_VAR" "300" }}', { ...zero, env: { SET_VAR: '400', EMPTY_VAR: '' } }],
  ['Execute/func_secret_read', '{{ with secret "secret/foo" }}{{ .Data.zip }}{{ end }}', withZero({ secrets: secretFoo })],
  ['Execute/func_secret_read-fields', '{{ with secret "secret/foo" }}{{ .LeaseID }} {{ .LeaseDuration }} {{ .Renewable }} {{ .Data }}{{ end }}', withZero({ secrets: secretFoo })],
  ['Execute/func_secret_nil_pointer_evaluation', '{{ $v := secret "secret/foo" }}{{ $v.Data.zip }}', zero],
  ['Execute/func_secret_read_versions', '{{with secret "secret/foo"}}{{.Data.zip}}{{end}}:{{with secret "secret/foo?version=1"}}{{.Data.zip}}{{end}}', withZero({ secrets: versions })],
  ['Execute/func_secret_read_no_exist', '{{ with secret "secret/nope" }}{{ .Data.zip }}{{ end }}', zero],
  ['Execute/func_secret_read_no_exist_falsey', '{{ if secret "secret/nope" }}yes{{ else }}no{{ end }}', zero],
  ['Execute/func_secret_write', '{{ with secret "transit/encrypt/foo" "plaintext=a" }}{{ .Data.ciphertext }}{{ end }}', withZero({ secrets: transit })],
  ['Execute/func_secret_write_empty', '{{ with secret "transit/encrypt/foo" "" }}{{ .Data.ciphertext }}{{ end }}', withZero({ secrets: transitEmpty })],
  ['Execute/func_secret_write_no_exist', '{{ with secret "secret/nope" "a=b" }}{{ .Data.zip }}{{ end }}', zero],
  ['Execute/func_secret_write_no_exist_falsey', '{{ if secret "secret/nope" "a=b" }}yes{{ else }}no{{ end }}', zero],
  ['Execute/func_secret_no_exist_falsey_with', '{{ with secret "secret/nope" }}{{ .Data.foo.bar }}{{ end }}', zero],
  ['Execute/func_secrets', '{{ secrets "secret/" }}', withZero({ secrets: list })],
  ['Execute/func_secrets_no_exist', '{{ secrets "secret/" }}', zero],
  ['Execute/func_secrets_no_exist_falsey', '{{ if secrets "secret/" }}yes{{ else }}no{{ end }}', zero],
  ['Execute/func_secrets_no_exist_falsey_with', '{{ with secrets "secret/" }}{{ . }}{{ end }}', zero],
  ['Execute/scratch.Key', '{{ scratch.Set "a" "2" }}{{ scratch.Key "a" }}', zero],
  ['Execute/scratch.Get', '{{ scratch.Set "a" "2" }}{{ scratch.Get "a" }}', zero],
  ['Execute/scratch.SetX', '{{ scratch.SetX "a" "2" }}{{ scratch.SetX "a" "1" }}{{ scratch.Get "a" }}', zero],
  ['Execute/scratch.MapSet', '{{ scratch.MapSet "a" "foo" "bar" }}{{ scratch.MapValues "a" }}', zero],
  ['Execute/scratch.MapSetX', '{{ scratch.MapSetX "a" "foo" "bar" }}{{ scratch.MapSetX "a" "foo" "baz" }}{{ scratch.MapValues "a" }}', zero],
  ['Execute/helper_env', '{{ env "CT_TEST" }}', { ...zero, env: { CT_TEST: '1' } }],
  ['Execute/helper_mustEnv', '{{ mustEnv "CT_TEST" }}', { ...zero, env: { CT_TEST: '1' } }],
  ['Execute/helper_mustEnv_negative', '{{ mustEnv "CT_TEST_NONEXISTENT" }}', { ...zero, env: { CT_TEST: '1' } }],
  ['Execute/helper_env__override', '{{ env "CT_TEST" }}', { ...zero, env: { CT_TEST: '2' } }],
  ['Execute/helper_explodemap', '{{ scratch.MapSet "explode-test" "foo/bar" "a"}}{{ scratch.MapSet "explode-test" "qux" "c"}}{{ scratch.MapSet "explode-test" "zip/zap" "d"}}{{ scratch.Get "explode-test" | explodeMap }}', zero],
  ['Execute/helper_indent', `{{ ${indentText} | indent 4 }}`, zero],
  ['Execute/helper_indent_negative', `{{ ${indentText} | indent -4 }}`, zero],
  ['Execute/helper_indent_zero', `{{ ${indentText} | indent 0 }}`, zero],
  ['Execute/helper_loop', '{{ range loop 3 }}1{{ end }}', zero],
  ['Execute/helper_loop__i', '{{ range $i := loop 3 }}{{ $i }}{{ end }}', zero],
  ['Execute/helper_loop_start', '{{ range loop 1 3 }}1{{ end }}', zero],
  ['Execute/helper_loop_text', '{{ range loop 1 "3" }}1{{ end }}', zero],
  ['Execute/helper_loop_parseInt', '{{ $i := print "3" | parseInt }}{{ range loop 1 $i }}1{{ end }}', zero],
  ['Execute/helper_loop_var', '{{$n := 3 }}{{ range $i := loop $n }}{{ $i }}{{ end }}', zero],
  ['Execute/helper_join', '{{ "a,b,c" | split "," | join ";" }}', zero],
  ['Execute/helper_trim', '{{ "!!hello world!!" | trim "!!" }}', zero],
  ['Execute/helper_trimPrefix', '{{ "hello world!!" | trimPrefix "hello " }}', zero],
  ['Execute/helper_trimSuffix', '{{ "hello world!!" | trimSuffix " world!!" }}', zero],
  ['Execute/helper_parseBool', '{{ "true" | parseBool }}', zero],
  ['Execute/helper_parseFloat', '{{ "1.2" | parseFloat }}', zero],
  ['Execute/helper_parseFloat_format', '{{ "1.0" | parseFloat | printf "%.1f"}}', zero],
  ['Execute/helper_parseInt', '{{ "-1" | parseInt }}', zero],
  ['Execute/helper_parseJSON', String.raw`{{ "{\"foo\": \"bar\"}" | parseJSON }}`, zero],
  ['Execute/helper_parseUint', '{{ "1" | parseUint }}', zero],
  ['Execute/helper_parseYAML', '{{ "foo: bar" | parseYAML }}', zero],
  ['Execute/helper_parseYAMLv2', String.raw`{{ "foo: bar\nbaz: \"foo\"" | parseYAML }}`, zero],
  ['Execute/helper_parseYAMLnested', yamlNested, zero],
  ['Execute/helper_regexMatch', '{{ "foo" | regexMatch "[a-z]+" }}', zero],
  ['Execute/helper_regexReplaceAll', String.raw`{{ "foo" | regexReplaceAll "\\w" "x" }}`, zero],
  ['Execute/helper_replaceAll', '{{ "hello my hello" | regexReplaceAll "hello" "bye" }}', zero],
  ['Execute/helper_split', '{{ "a,b,c" | split "," }}', zero],
  ['Execute/helper_splitToMap', '{{ "a:x,b:y,c:z" | splitToMap "," ":" }}', zero],
  ['Execute/helper_toJSON', '{{ "a,b,c" | split "," | toJSON }}', zero],
  ['Execute/helper_toUnescapedJSON', '{{ "a?b&c,x?y&z" | split "," | toUnescapedJSON }}', zero],
  ['Execute/helper_toLower', '{{ "HI" | toLower }}', zero],
  ['Execute/helper_toTitle', '{{ "this is a sentence" | toTitle }}', zero],
  ['Execute/helper_toTitle_unicode', String.raw`{{ "this is a sentence\u2026and another sentence\u2026with a \xf0\x9f\x9a\x80rocket" | toTitle }}`, zero],
  ['Execute/helper_toTOML', String.raw`{{ "{\"foo\":\"bar\"}" | parseJSON | toTOML }}`, zero],
  ['Execute/helper_toUpper', '{{ "hi" | toUpper }}', zero],
  ['Execute/helper_toYAML', String.raw`{{ "{\"foo\":\"bar\"}" | parseJSON | toYAML }}`, zero],
  ['Execute/helper_trimSpace', String.raw`{{ "\t hi\n " | trimSpace }}`, zero],
  ['Execute/math_add', '{{ 2 | add 2 }}', zero],
  ['Execute/math_subtract', '{{ 2 | subtract 2 }}', zero],
  ['Execute/math_multiply', '{{ 2 | multiply 2 }}', zero],
  ['Execute/math_divide', '{{ 2 | divide 2 }}', zero],
  ['Execute/math_modulo', '{{ 3 | modulo 2 }}', zero],
  ['Execute/math_minimum', '{{ 3 | minimum 2 }}', zero],
  ['Execute/math_maximum', '{{ 3 | maximum 2 }}', zero],
  ['Execute/func_pkiCert', '{{ with pkiCert "pki/issue/egs-dot-com" }}{{.Cert}}{{end}}', withZero({ secrets: pki })],
  ['Execute/func_pkiCert_Data_compat', '{{ with pkiCert "pki/issue/egs-dot-com" }}{{.Data.Cert}}{{end}}', withZero({ secrets: pki })],
  ['Execute/func_pkiCert-all', '{{ with pkiCert "pki/issue/egs-dot-com" "common_name=foo.example.com" }}{{ .Key }}{{ .CA }}{{ len .CAChain }}{{ .CAChain | toJSON }}{{ printf "%T" . }}{{ end }}', withZero({ secrets: pki })],
  ['Execute/func_pkiCert-cert-only', '{{ with pkiCert "pki/issue/egs-dot-com" }}{{ .Cert }}|{{ .Key }}|{{ .CA }}|{{ .CAChain }}{{ end }}', withZero({ secrets: pkiCertOnly })],
  ['Execute/func_pkiCert-no-exist', '{{ with pkiCert "pki/issue/nope" }}{{ .Cert }}{{ else }}none{{ end }}', zero],

  // dependency/vault_pki_test.go: pemsCert over every order of the three PEMs run together, and
  // embedded in other text; with certificates of our own (upstream's expired in 2022: pkiCert
  // refuses those, as due for renewal). Its bad-certificate cases, and a response without a leaf
  // certificate, fail the fetch, not the template: test/template/functions.test.ts.
  ...permutations.map(([name, text]) => [`dependency/pemsCert/${name}`, pemAll, withZero({ secrets: pkiOf({ certificate: text }) })] as const),
  ...embedded.map(([name, text]) => [`dependency/pemsCert/embedded-${name}`, pemAll, withZero({ secrets: pkiOf({ certificate: text }) })] as const),
  ['dependency/pemsCert/intermediate-chain', pemAll + '{{ with pkiCert "pki/issue/x" }}|{{ len .CAChain }}{{ end }}', withZero({ secrets: pkiOf({ certificate: webCert, issuing_ca: intCert, ca_chain: [intCert, caCert], private_key: webKey, private_key_type: 'ec', serial_number: '12', expiration: 4318860000 }) })],
  ['dependency/pemsCert/rewrapped', pemAll, withZero({ secrets: pkiOf({ certificate: rewrap(webCert, 76, '\r\n'), private_key: rewrap(webKey, 40, '\n', ['DEK-Info: AES-128-CBC,00112233445566778899AABBCCDDEEFF', 'Proc-Type: 4,ENCRYPTED']), issuing_ca: rewrap(intCert, 64, ' \t\n') }) })],
  ['dependency/pemsCert/bad-base64-stops', pemAll, withZero({ secrets: pkiOf({ certificate: `${leafCert}\n-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n${caCert}` }) })],
  ['dependency/pemsCert/non-string-fields', pemAll, withZero({ secrets: pkiOf({ certificate: leafCert, expiration: 1, revoked: false, ca_chain: [caCert, 7, null], other_list: [intCert] }) })],
  // dependency/vault_read_test.go, vault_list_test.go, vault_write_test.go: the values their fetches give
  ['dependency/read_kv1', '{{ with secret "secret/foo/bar" }}{{ .Data }} {{ .Data.ttl }} {{ .LeaseDuration }}{{ end }}', withZero({ secrets: { 'secret/foo/bar': '{"request_id":"r","lease_id":"","renewable":false,"lease_duration":0,"data":{"ttl":"100ms","zip":"zap"},"wrap_info":null,"warnings":null,"auth":null}' } })],
  ['dependency/read_no_exist', '{{ with secret "not/a/real/path/like/ever" }}x{{ else }}none{{ end }}', zero],
  ['dependency/list_exists', '{{ secrets "secret/" }} {{ printf "%T" (secrets "secret/") }}', withZero({ secrets: { secret: '{"data":{"keys":["foo/"]}}' } })],
  ['dependency/list_no_exist', '{{ printf "%#v" (secrets "not/a/real/path/like/ever") }}', zero],
  ['dependency/write_encrypt', '{{ with secret "transit/encrypt/test" "plaintext=dGVzdA==" }}{{ .Data.ciphertext }} {{ .Data.key_version }} {{ printf "%T" .Data.key_version }}{{ end }}', withZero({ secrets: { 'transit/encrypt/test': '{"request_id":"w","lease_id":"","renewable":false,"lease_duration":0,"data":{"ciphertext":"vault:v1:8SDd3WHDOjf7mq69CyCqYjBXAiQQAVZRkFM13ok481zoCmHnSeDX9vyf7w==","key_version":1},"wrap_info":null,"warnings":null,"auth":null}' } })],

  // TestTemplate_error_secret_leak: Go's own text (consul-template redacts the secret's values)
  ['error_secret_leak', '{{ with secret "secret/foo" }}\n\t\t\t\t\t{{- range $key, $value := .Data.zip }}\n\t\t\t\t\t\texport {{ $key }}="{{ $value }}"\n\t\t\t\t\t{{- end }}\n\t\t\t\t{{ end }}', withZero({ secrets: leak })],

  // ... and as Template.Execute reports it (and our agent): the used secrets' values redacted
  ['error_secret_leak-redacted', '{{ with secret "secret/foo" }}\n\t\t\t\t\t{{- range $key, $value := .Data.zip }}\n\t\t\t\t\t\texport {{ $key }}="{{ $value }}"\n\t\t\t\t\t{{- end }}\n\t\t\t\t{{ end }}', { ...withZero({ secrets: leak }), redact: true }],
  ['redact/dynamic-secret', '{{ with secret "database/creds/ro" }}{{ printf "%s %s" .Data.username .Data.password | parseInt }}{{ end }}', { ...withZero({ secrets: { 'database/creds/ro': '{"lease_id":"database/creds/ro/x","lease_duration":3600,"renewable":true,"data":{"username":"v-ro-x9Tq3","password":"A1a-8dkeJ2kW2"}}' } }), redact: true }],
  ['redact/kv2-nested-not-redacted', '{{ with secret "secret/data/app" }}{{ .Data.data.password | parseInt }}{{ end }}', { ...withZero({ secrets: { 'secret/data/app': '{"data":{"data":{"password":"s3cr3t"},"metadata":{"version":1}}}' } }), redact: true }],
  ['redact/kv2-whole-map', '{{ with secret "secret/data/app" }}{{ range .Data.data }}{{ end }}{{ range .Data.metadata.version }}{{ end }}{{ end }}', { ...withZero({ secrets: { 'secret/data/app': '{"data":{"data":{"password":"s3cr3t"},"metadata":{"version":7}}}' } }), redact: true }],
  ['redact/number', '{{ with secret "kv/p" }}{{ range .Data.port }}{{ end }}{{ end }}', { ...withZero({ secrets: { 'kv/p': '{"data":{"port":5432,"ratio":0.5,"on":true,"none":null}}' } }), redact: true }],
  ['redact/nil-and-map-values', '{{ with secret "kv/n" }}{{ printf "%v %v" .Data.none .Data.m | parseInt }}{{ end }}', { ...withZero({ secrets: { 'kv/n': '{"data":{"none":null,"m":{"b":[1,"x"],"a":2}}}' } }), redact: true }],
  ['redact/value-in-positions', '{{ with secret "kv/one" }}\n\n{{ .Data.one | parseBool }}{{ end }}', { ...withZero({ secrets: { 'kv/one': '{"data":{"one":"3"}}' } }), redact: true }],
  // redact/empty-value: a deliberate difference, in consul-template-errors.test.ts
  ['redact/write-form', '{{ with secret "transit/encrypt/foo" "plaintext=a" }}{{ .Data.ciphertext | parseInt }}{{ end }}', { ...withZero({ secrets: transit }), redact: true }],
  ['redact/used-in-executeTemplate', '{{ define "d" }}{{ with secret "secret/foo" }}{{ end }}{{ end }}{{ executeTemplate "d" }}{{ "zap" | parseInt }}', { ...withZero({ secrets: secretFoo }), redact: true }],
  ['redact/not-fetched', '{{ with secret "secret/nope" }}{{ end }}{{ "zap" | parseInt }}', { ...zero, redact: true }],
  ['redact/pkiCert-not-a-secret', '{{ with pkiCert "pki/issue/egs-dot-com" }}{{ .Key | parseInt }}{{ end }}', { ...withZero({ secrets: pki }), redact: true }],
  ['redact/data-mutated', '{{ with secret "secret/foo" }}{{ $_ := sprig_set .Data "zip" "later" }}{{ "later zap" | parseInt }}{{ end }}', { ...withZero({ secrets: secretFoo }), redact: true }],

  // TestTemplate_HermeticSprigFunctions
  ['HermeticSprigFunctions/hermetic_function', '{{ sprig_upper "hello" }}', zero],
  ['HermeticSprigFunctions/generic_function_not_available', '{{ sprig_repeat "hello" 3 }}', zero],

  // funcs_test.go
  ['funcs/sha256Hex', '{{ sha256Hex "bladibla" }}', zero],
  ['funcs/md5sum', '{{ md5sum "bladibla" }}', zero],
  ['funcs/hmacSHA256Hex', '{{ hmacSHA256Hex "bladibla" "foobar" }}', zero],

  // scratch_test.go, through the template's scratch
  ['Scratch/Key/no_exist', '{{ scratch.Key "" }}', zero],
  ['Scratch/Key/exist', '{{ scratch.Set "foo" nil }}{{ scratch.Key "foo" }}', zero],
  ['Scratch/Get/no_exist', '{{ scratch.Get "" }}|{{ printf "%T" (scratch.Get "") }}', zero],
  ['Scratch/Get/exist', '{{ scratch.Set "foo" "bar" }}{{ scratch.Get "foo" }}', zero],
  ['Scratch/Set/no_exist', '{{ scratch.Set "foo" "bar" }}{{ scratch.Get "foo" }}', zero],
  ['Scratch/Set/overwrites', '{{ scratch.Set "foo" "bar" }}{{ scratch.Set "foo" "zip" }}{{ scratch.Get "foo" }}', zero],
  ['Scratch/SetX/no_exist', '{{ scratch.SetX "foo" "bar" }}{{ scratch.Get "foo" }}', zero],
  ['Scratch/SetX/overwrites', '{{ scratch.SetX "foo" "bar" }}{{ scratch.SetX "foo" "zip" }}{{ scratch.Get "foo" }}', zero],
  ['Scratch/MapSet/no_exist', '{{ scratch.MapSet "a" "foo" "bar" }}{{ scratch.MapSet "b" "foo" "bar" }}{{ scratch.Get "a" }} {{ scratch.Get "b" }}', zero],
  ['Scratch/MapSet/overwrites', '{{ scratch.MapSet "a" "foo" "bar" }}{{ scratch.MapSet "a" "foo" "zip" }}{{ scratch.Get "a" }}', zero],
  ['Scratch/MapSetX/no_exist', '{{ scratch.MapSetX "a" "foo" "bar" }}{{ scratch.MapSetX "b" "foo" "bar" }}{{ scratch.Get "a" }} {{ scratch.Get "b" }}', zero],
  ['Scratch/MapSetX/overwrites', '{{ scratch.MapSetX "a" "foo" "bar" }}{{ scratch.MapSetX "a" "foo" "zip" }}{{ scratch.Get "a" }}', zero],
  ['Scratch/MapValues/sorted', '{{ scratch.MapSet "a" "foo" "bar" }}{{ scratch.MapSet "a" "zip" "zap" }}{{ scratch.MapSet "a" "peach" "banana" }}{{ scratch.MapValues "a" }}', zero],
  ['Scratch/MapValues/empty', '{{ scratch.Set "a" (parseJSON "{}") }}{{ scratch.MapValues "a" }}|{{ printf "%#v" (scratch.MapValues "a") }}', zero],
  ['Scratch/MapValues/string-map', '{{ scratch.Set "a" ("k:v" | splitToMap "," ":") }}{{ printf "%#v" (scratch.MapValues "a") }}|{{ scratch.Set "b" (parseJSON "{\\"z\\":1,\\"a\\":[2]}") }}{{ scratch.MapValues "b" }}', zero],
  ['Scratch/MapValues/not_map', '{{ scratch.Set "a" true }}{{ scratch.MapValues "a" }}|{{ printf "%#v" (scratch.MapValues "a") }}', zero],

  // func_file, with files every checkout has (the path is relative to the repository's root,
  // where the corpus is generated and checked): bytes as they are, nothing trimmed
  ['adapted/func_file', `{{ file "${ctFile}" | printf "%q" }}|{{ file "${ctFile}" | base64Encode }}|{{ file "${ctFile}" | sha256Hex }}|{{ len (file "${ctFile}") }}`, zero],
  ['adapted/func_file-dev-null', '[{{ file "/dev/null" }}]{{ if file "/dev/null" }}y{{ else }}n{{ end }}', zero],
  ['adapted/func_file-empty-path', '[{{ file "" }}]', zero],
  ['adapted/func_file-lines', `{{ range split "\\n" (file "${ctFile}") }}<{{ . }}>{{ end }}`, zero],

  // Consul-fed helper cases of TestTemplate_Execute, with the same values from Vault-free sources
  ['adapted/helper_contains', '{{ range $tags := parseJSON "[[\\"prod\\",\\"staging\\"],[\\"staging\\"]]" }}{{ if $tags | contains "prod" }}{{ $tags }}{{ end }}{{ end }}|{{ if "prod,staging" | split "," | contains "prod" }}y{{ end }}', zero],
  ['adapted/helper_containsAll', String.raw`{{ $requiredTags := parseJSON "[\"prod\",\"us-realm\"]" }}{{ if "prod,us-realm" | split "," | containsAll $requiredTags }}a{{ end }}{{ if "prod,ca-realm" | split "," | containsAll $requiredTags }}b{{ end }}`, zero],
  ['adapted/helper_containsAll__empty', '{{ $requiredTags := parseJSON "[]" }}{{ if "prod,us-realm" | split "," | containsAll $requiredTags }}a{{ end }}{{ if "prod,ca-realm" | split "," | containsAll $requiredTags }}b{{ end }}', zero],
  ['adapted/helper_containsAny', String.raw`{{ $acceptableTags := parseJSON "[\"v2\",\"v3\"]" }}{{ if "prod,v1" | split "," | containsAny $acceptableTags }}a{{ end }}{{ if "prod,v2" | split "," | containsAny $acceptableTags }}b{{ end }}`, zero],
  ['adapted/helper_containsAny__empty', '{{ $acceptableTags := parseJSON "[]" }}{{ if "prod,v1" | split "," | containsAny $acceptableTags }}a{{ end }}{{ if "prod,v2" | split "," | containsAny $acceptableTags }}b{{ end }}', zero],
  ['adapted/helper_containsNone', String.raw`{{ $forbiddenTags := parseJSON "[\"devel\",\"staging\"]" }}{{ if "prod,v1" | split "," | containsNone $forbiddenTags }}a{{ end }}{{ if "devel,v2" | split "," | containsNone $forbiddenTags }}b{{ end }}`, zero],
  ['adapted/helper_containsNone__empty', '{{ $forbiddenTags := parseJSON "[]" }}{{ if "staging,v1" | split "," | containsNone $forbiddenTags }}a{{ end }}{{ if "devel,v2" | split "," | containsNone $forbiddenTags }}b{{ end }}', zero],
  ['adapted/helper_containsNotAll', String.raw`{{ $excludingTags := parseJSON "[\"es-v1\",\"es-v2\"]" }}{{ if "prod,es-v1" | split "," | containsNotAll $excludingTags }}a{{ end }}{{ if "prod,hybrid,es-v1,es-v2" | split "," | containsNotAll $excludingTags }}b{{ end }}`, zero],
  ['adapted/helper_containsNotAll__empty', '{{ $excludingTags := parseJSON "[]" }}{{ if "prod,es-v1" | split "," | containsNotAll $excludingTags }}a{{ end }}{{ if "prod,hybrid,es-v1,es-v2" | split "," | containsNotAll $excludingTags }}b{{ end }}', zero],
  ['adapted/helper_in', '{{ if "prod" | in ("prod,staging" | split ",") }}a{{ end }}{{ if "prod" | in ("staging" | split ",") }}b{{ end }}', zero],
  ['adapted/helper_executeTemplate', '{{ define "custom" }}{{ env "foo" }}{{ end }}{{ executeTemplate "custom" }}', { ...zero, env: { foo: 'bar' } }],
  ['adapted/helper_executeTemplate__dot', '{{ define "custom" }}{{ env . }}{{ end }}{{ executeTemplate "custom" "foo" }}', { ...zero, env: { foo: 'bar' } }],
  ['adapted/helper_executeTemplate-secret', '{{ define "custom" }}{{ with secret . }}{{ .Data.zip }}{{ end }}{{ end }}{{ executeTemplate "custom" "secret/foo" }}', withZero({ secrets: secretFoo })],
  ['adapted/helper_mergeMap', String.raw`{{ $base := "{\"voo\":{\"bar\":\"v\"}}" | parseJSON}}{{ $role := "{\"foo\":{\"bar\":\"a\"},\"zip\":{\"zap\":\"b\"}}" | parseJSON | mergeMap $base}}{{ range $k, $v := $role }}{{ $k }}{{ $v }}{{ end }}`, zero],
  ['adapted/helper_mergeMapWithOverride', String.raw`{{ $base := "{\"zip\":{\"zap\":\"t\"},\"voo\":{\"bar\":\"v\"}}" | parseJSON}}{{ $role := "{\"foo\":{\"bar\":\"a\"},\"zip\":{\"zap\":\"b\"}}" | parseJSON | mergeMapWithOverride $base}}{{ range $k, $v := $role }}{{ $k }}{{ $v }}{{ end }}`, zero],
  ['adapted/helper_explodeMap', '{{ scratch.MapSet "t" "foo/bar" "a" }}{{ scratch.MapSet "t" "zip/zap" "b" }}{{ range $k, $v := scratch.Get "t" | explodeMap }}{{ $k }}{{ $v }}{{ end }}', zero],
  ['adapted/helper_toUnescapedJSONPretty', String.raw`{{ "{\"a\":\"b&c\",\"x\":\"y&z\",\"k\":\"<>&&\"}" | parseJSON | toUnescapedJSONPretty }}`, zero],
  ['adapted/sprig_reverse_enabled', '{{ "abcde" | sprig_reverse }}', zero],
]);

/** plugin, sockaddr, spew_sdump and writeToFile: what every Linux machine has (/bin/echo, the
 *  loopback's 127.0.0.1), files in the corpus harness's secrets volume. */
const machineBound = cases('cttest', [
  // upstream's "echo" through PATH; the oracle runs with an empty environment, so by its path
  ['Execute/helper_plugin', '{{ "1" | plugin "/bin/echo" }}', zero],
  ['Execute/helper_sockaddr', String.raw`{{ sockaddr "GetAllInterfaces | include \"flag\" \"loopback\" | include \"type\" \"IPv4\" | sort \"address\" | limit 1 | attr \"address\""}}`, zero],
  // upstream pipes `timestamp "2006-01-02"` (its faked clock); the date it gives, as a literal
  ['Execute/spew_sdump_simple_output', '{{ "1970-01-01" | spew_sdump }}', zero],
  ['Execute/spew_sdump_helper_split', '{{ "a,b,c" | split "," | spew_sdump}}', zero],
  // Test_writeToFile: the file's content and mode are checked there; here the output and errors.
  // The owner cases by user and group name are machine-bound (the current user's names) and left out.
  ['writeToFile/without_flags', '{{ "after" | writeToFile "/tmp/vault-injector-corpus-writes/cttest/a" "" "" "0644"  }}', zero],
  ['writeToFile/with_different_file_permissions', '{{ "after" | writeToFile "/tmp/vault-injector-corpus-writes/cttest/b" "" "" "0666"  }}', zero],
  ['writeToFile/with_append', '{{ "after" | writeToFile "/tmp/vault-injector-corpus-writes/cttest/c" "" "" "0644"  "append"}}', zero],
  ['writeToFile/with_newline', '{{ "after" | writeToFile "/tmp/vault-injector-corpus-writes/cttest/d" "" "" "0644"  "newline"}}', zero],
  ['writeToFile/with_append_and_newline', '{{ "after" | writeToFile "/tmp/vault-injector-corpus-writes/cttest/e" "" "" "0644"  "append,newline"}}', zero],
  ['writeToFile/create_directory', '{{ "after" | writeToFile "/tmp/vault-injector-corpus-writes/cttest/demo/testing.tmp" "" "" "0644"  }}', zero],
]);

export default [...ported, ...machineBound];
