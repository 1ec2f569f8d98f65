// Annotations → InjectionSpec, ported in spirit from vault-k8s's annotations_test.go and
// config_test.go tables (secret discovery, file names, paths, delimiters, defaults, errors).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makePod, container, specOf, problemsOf } from './helpers.ts';
import { DEFAULT_JSON_TEMPLATE, DEFAULT_MAP_TEMPLATE } from '../../../src/annotations/parse.ts';
import { annotations as table, renderAnnotationReference, unsupportedAnnotations } from '../../../src/annotations/table.ts';

const destinations = (annotations: Record<string, string>): Record<string, string> =>
  Object.fromEntries(specOf(makePod(annotations)).secrets.map((secret) => [secret.name, secret.destination]));

test('secret discovery and file names (TestSecretAnnotationsWithPreserveCaseSensitivityFlagOff/On)', () => {
  const cases: Array<[Record<string, string>, Record<string, string>]> = [
    [{ 'agent-inject-secret-FOOBAR': 'test1' }, { FOOBAR: '/vault/secrets/foobar' }],
    [{ 'agent-inject-secret-foobar-2_3': 'test2' }, { 'foobar-2_3': '/vault/secrets/foobar-2_3' }],
    [{ 'agent-inject-secret-server.crt': 'creds/tls' }, { 'server.crt': '/vault/secrets/server.crt' }],
    [{ 'agent-inject-secret': 'test4' }, {}],
    [{ 'agent-inject-secret-': 'test5' }, {}],
    [{ 'agent-inject-secret-FOOBAR_EXPLICIT': 'x', 'preserve-secret-case-FOOBAR_EXPLICIT': 'true' }, { FOOBAR_EXPLICIT: '/vault/secrets/FOOBAR_EXPLICIT' }],
    [{ 'agent-inject-secret-FOOBAR': 'x', 'preserve-secret-case': 'true' }, { FOOBAR: '/vault/secrets/FOOBAR' }],
    [{ 'agent-inject-secret-FOOBAR': 'x', 'preserve-secret-case': 'true', 'preserve-secret-case-FOOBAR': 'false' }, { FOOBAR: '/vault/secrets/foobar' }],
    [{ 'agent-inject-secret-blank': '   ' }, {}],
  ];
  for (const [annotations, expected] of cases) assert.deepEqual(destinations(annotations), expected, JSON.stringify(annotations));
});

test('templates alone make a secret; empty, misspelt and wrong-case keys do not (TestSecretTemplateAnnotations)', () => {
  const cases: Array<[Record<string, string>, string[]]> = [
    [{ 'agent-inject-template-foo': 'x' }, ['foo']],
    [{ 'agent-inject-template-foo': '' }, []],
    [{ 'agent-inject-templat-foo': 'x' }, []],
    [{ 'agent-inject-TEMPLATE-foo': 'x' }, []],
    [{ 'agent-inject-template-file-foo': '/vault/custom/foo.tmpl' }, ['foo']],
    [{ 'agent-inject-secret-b': 'p', 'agent-inject-template-a': 'x', 'agent-inject-template-file-c': '/t' }, ['a', 'b', 'c']],
  ];
  for (const [annotations, expected] of cases) {
    assert.deepEqual(specOf(makePod(annotations)).secrets.map((secret) => secret.name), expected, JSON.stringify(annotations));
  }
});

test('secrets are ordered by name, whatever the annotation order', () => {
  const spec = specOf(makePod({ 'agent-inject-secret-zeta': 'z', 'agent-inject-secret-Alpha': 'a', 'agent-inject-secret-beta': 'b', 'agent-inject-secret-_x': 'x' }));
  assert.deepEqual(spec.secrets.map((secret) => secret.name), ['Alpha', '_x', 'beta', 'zeta']);
});

test('inline template wins over a template file; a file alone is the source (TestSecretTemplateFileAnnotations)', () => {
  const both = specOf(makePod({ 'agent-inject-template-foo': 'inline', 'agent-inject-template-file-foo': '/vault/custom/foo.tmpl' })).secrets[0];
  assert.equal(both?.contents, 'inline');
  assert.equal(both?.source, undefined);
  assert.equal(both?.templateAnnotation, 'vault.hashicorp.com/agent-inject-template-foo');
  const file = specOf(makePod({ 'agent-inject-secret-foo': 'p', 'agent-inject-template-file-foo': '/vault/custom/foo.tmpl' })).secrets[0];
  assert.equal(file?.contents, undefined);
  assert.equal(file?.source, '/vault/custom/foo.tmpl');
});

test('default templates are vault-k8s\'s map and json, byte for byte', () => {
  assert.equal(DEFAULT_MAP_TEMPLATE('secret/x'), '{{ with secret "secret/x" }}{{ range $k, $v := .Data }}{{ $k }}: {{ $v }}\n{{ end }}{{ end }}');
  assert.equal(DEFAULT_JSON_TEMPLATE('secret/x'), '{{ with secret "secret/x" }}{{ .Data | toJSON }}\n{{ end }}');
  assert.equal(specOf(makePod({ 'agent-inject-secret-a': 'secret/x' })).secrets[0]?.contents, DEFAULT_MAP_TEMPLATE('secret/x'));
  assert.equal(specOf(makePod({ 'agent-inject-secret-a': 'secret/x' }), { defaultTemplate: 'json' }).secrets[0]?.contents, DEFAULT_JSON_TEMPLATE('secret/x'));
});

test('agent-inject-default-template accepts map/json in any case (TestDefaultTemplateOverride)', () => {
  const cases: Array<[string, string | 'ERROR']> = [['json', 'json'], ['JSON', 'json'], ['map', 'map'], ['MAP', 'map'], ['foobar', 'ERROR'], ['jsn', 'ERROR'], ['', 'ERROR']];
  for (const [value, expected] of cases) {
    const pod = makePod({ 'agent-inject-secret-a': 'secret/x', 'agent-inject-default-template': value });
    if (expected === 'ERROR') {
      assert.deepEqual(problemsOf(pod), [`VI_ANNOTATION_INVALID annotation vault.hashicorp.com/agent-inject-default-template: invalid default template type ${JSON.stringify(value)} (map or json)`]);
    } else {
      assert.equal(specOf(pod).secrets[0]?.contents, (expected === 'json' ? DEFAULT_JSON_TEMPLATE : DEFAULT_MAP_TEMPLATE)('secret/x'));
    }
  }
});

test('destinations with agent-inject-file and per-secret volume paths (TestFilePathAndName)', () => {
  const cases: Array<[Record<string, string>, string]> = [
    [{ 'agent-inject-secret-foo': 'p' }, '/vault/secrets/foo'],
    [{ 'agent-inject-secret-foo': 'p', 'agent-inject-file-foo': 'foo.env' }, '/vault/secrets/foo.env'],
    [{ 'agent-inject-secret-foo': 'p', 'agent-inject-file-foo': '/special/foo' }, '/vault/secrets/special/foo'],
    [{ 'agent-inject-secret-foo': 'p', 'secret-volume-path': '/etc/app', 'agent-inject-file-foo': 'very/long/nested/name.txt' }, '/etc/app/very/long/nested/name.txt'],
    [{ 'agent-inject-secret-foo': 'p', 'secret-volume-path': '/etc/app', 'agent-inject-file-foo': '/abs' }, '/etc/app/abs'],
    [{ 'agent-inject-secret-foo': 'p', 'secret-volume-path-foo': '/etc/container_environment', 'agent-inject-file-foo': 'different-path' }, '/etc/container_environment/different-path'],
    [{ 'agent-inject-secret-foo': 'p', 'agent-inject-file-foo': 'a/../b' }, '/vault/secrets/b'],
    [{ 'agent-inject-template-just-template': 'x', 'secret-volume-path-just-template': '/custom/path', 'agent-inject-file-just-template': '.env' }, '/custom/path/.env'],
    [{ 'agent-inject-secret-foo': 'p', 'agent-inject-file-bar': 'ignored' }, '/vault/secrets/foo'],
  ];
  for (const [annotations, expected] of cases) assert.deepEqual(Object.values(destinations(annotations)), [expected], JSON.stringify(annotations));
});

test('a file name that leaves its volume is refused', () => {
  const cases: Array<[Record<string, string>, string]> = [
    [{ 'agent-inject-secret-foo': 'p', 'agent-inject-file-foo': '../etc/passwd' }, 'VI_FILE_ESCAPES_VOLUME annotation vault.hashicorp.com/agent-inject-file-foo: "../etc/passwd" would write /vault/etc/passwd, outside the volume mounted at /vault/secrets'],
    [{ 'agent-inject-secret-foo': 'p', 'agent-inject-file-foo': 'a/../../x' }, 'VI_FILE_ESCAPES_VOLUME annotation vault.hashicorp.com/agent-inject-file-foo: "a/../../x" would write /vault/x, outside the volume mounted at /vault/secrets'],
    [{ 'agent-inject-secret-foo': 'p', 'agent-inject-file-foo': '.' }, 'VI_FILE_ESCAPES_VOLUME annotation vault.hashicorp.com/agent-inject-file-foo: "." would write /vault/secrets, outside the volume mounted at /vault/secrets'],
    [{ 'agent-inject-secret-..': 'p' }, 'VI_FILE_ESCAPES_VOLUME annotation vault.hashicorp.com/agent-inject-secret-..: the file name ".." is not a file inside /vault/secrets'],
    [{ 'agent-inject-secret-foo': 'p', 'secret-volume-path-foo': '/a/../etc' }, 'VI_ANNOTATION_INVALID annotation vault.hashicorp.com/secret-volume-path-foo: "/a/../etc" is not an absolute path without ".."'],
    [{ 'agent-inject-secret-foo': 'p', 'secret-volume-path': 'relative' }, 'VI_ANNOTATION_INVALID annotation vault.hashicorp.com/secret-volume-path: "relative" is not an absolute path without ".."'],
    [{ 'agent-inject-secret-foo': 'p', 'secret-volume-path': '/' }, 'VI_ANNOTATION_INVALID annotation vault.hashicorp.com/secret-volume-path: "/" would mount the secrets over the root of the container'],
  ];
  for (const [annotations, expected] of cases) assert.deepEqual(problemsOf(makePod(annotations)), [expected], JSON.stringify(annotations));
});

test('two secrets writing the same file are refused', () => {
  assert.deepEqual(problemsOf(makePod({ 'agent-inject-secret-FOO': 'a', 'agent-inject-secret-foo': 'b' })), [
    'VI_FILE_ESCAPES_VOLUME annotation vault.hashicorp.com/agent-inject-secret-foo: writes /vault/secrets/foo, which vault.hashicorp.com/agent-inject-secret-FOO already writes',
  ]);
  assert.deepEqual(problemsOf(makePod({ 'agent-inject-secret-token': 'a', 'agent-inject-token': 'true' })), [
    'VI_FILE_ESCAPES_VOLUME annotation vault.hashicorp.com/agent-inject-secret-token: writes /vault/secrets/token, which vault.hashicorp.com/agent-inject-token already writes',
  ]);
});

test('per-secret volume paths become custom volumes, deduplicated, global path excluded', () => {
  const spec = specOf(makePod({
    'agent-inject-secret-a': 'p', 'secret-volume-path-a': '/etc/a',
    'agent-inject-secret-b': 'p', 'secret-volume-path-b': '/etc/a',
    'agent-inject-secret-c': 'p', 'secret-volume-path-c': '/vault/secrets',
    'agent-inject-secret-d': 'p', 'secret-volume-path-d': '/etc/d/',
  }));
  assert.deepEqual(spec.customVolumePaths, ['/etc/a', '/etc/d']);
  assert.deepEqual(spec.secrets.map((secret) => secret.destination), ['/etc/a/a', '/etc/a/b', '/vault/secrets/c', '/etc/d/d']);
});

test('delimiters, perms, command and error-on-missing-key per secret (TestSecretMixedTemplatesAnnotations, TestErrMissingKey)', () => {
  const spec = specOf(makePod({
    'agent-inject-template-a': '[[ .Data ]]', 'agent-template-left-delim-a': '[[', 'agent-template-right-delim-a': ']]',
    'agent-inject-perms-a': '0600', 'agent-inject-command-a': 'pkill -HUP nginx', 'error-on-missing-key-a': 'True',
    'agent-inject-secret-b': 'p', 'agent-template-left-delim-b': '', 'error-on-missing-key-b': 'false',
  }));
  const [a, b] = spec.secrets;
  assert.deepEqual({ ...a }, {
    name: 'a', templateAnnotation: 'vault.hashicorp.com/agent-inject-template-a', mountPath: '/vault/secrets', destination: '/vault/secrets/a',
    isDefaultTemplate: false, leftDelimiter: '[[', rightDelimiter: ']]', errorOnMissingKey: true, contents: '[[ .Data ]]', perms: '0600', command: 'pkill -HUP nginx',
  });
  assert.equal(b?.leftDelimiter, '{{');
  assert.equal(b?.rightDelimiter, '}}');
  assert.equal(b?.errorOnMissingKey, false);
  assert.deepEqual(problemsOf(makePod({ 'agent-inject-secret-a': 'p', 'error-on-missing-key-a': 'unknown' })), [
    'VI_ANNOTATION_INVALID annotation vault.hashicorp.com/error-on-missing-key-a: "unknown" is not a boolean (use true or false)',
  ]);
  assert.deepEqual(problemsOf(makePod({ 'agent-inject-secret-a': 'p', 'agent-inject-perms-a': '0999' })), [
    'VI_ANNOTATION_INVALID annotation vault.hashicorp.com/agent-inject-perms-a: "0999" is not an octal file mode (such as "0600")',
  ]);
});

test('annotations that could error (TestCouldErrorAnnotations)', () => {
  const cases: Array<[string, string, boolean]> = [];
  for (const name of ['agent-pre-populate', 'agent-pre-populate-only', 'tls-skip-verify', 'agent-revoke-on-shutdown', 'agent-share-process-namespace', 'agent-set-security-context', 'agent-inject-token', 'preserve-secret-case', 'agent-auto-auth-exit-on-err', 'template-config-exit-on-retry-failure', 'agent-native-sidecar']) {
    for (const good of ['true', 'false', 'TRUE', 'FALSE', 'True', 'False', 't', 'f', 'T', 'F', '1', '0', '']) cases.push([name, good, true]);
    for (const bad of ['tRuE', 'fAlSe', 'yes', 'on']) cases.push([name, bad, false]);
  }
  cases.push(
    ['agent-revoke-grace', '5', true], ['agent-revoke-grace', '01', true], ['agent-revoke-grace', '-1', false], ['agent-revoke-grace', 'foobar', false],
    ['agent-run-as-user', '1000', true], ['agent-run-as-user', 'root', false], ['agent-run-as-group', '1000', true], ['agent-run-as-group', 'root', false],
    ['auth-min-backoff', '5s', true], ['auth-min-backoff', '', true], ['auth-min-backoff', 'x', false],
    ['auth-max-backoff', '1m', true], ['auth-max-backoff', 'x', false],
    ['template-static-secret-render-interval', '10s', true], ['template-static-secret-render-interval', 'soon', false],
    ['template-lease-renewal-threshold', '0.75', true], ['template-lease-renewal-threshold', 'one-third', false], ['template-lease-renewal-threshold', '2', false],
    ['template-max-connections-per-host', '10', true], ['template-max-connections-per-host', 'ten', false],
    ['agent-limits-cpu', '500m', true], ['agent-limits-cpu', '500mi', false], ['agent-requests-mem', '128mb', false], ['agent-limits-ephemeral', '1Gi', true],
    ['log-level', 'debug', true], ['log-level', 'loud', false], ['log-format', 'json', true], ['log-format', 'xml', false],
    ['service', 'https://vault.other:8200', true], ['service', 'not a url', false],
    ['auth-path', 'auth/k8s-team', true], ['auth-path', '', false],
    ['auth-type', 'kubernetes', true], ['auth-type', 'approle', false],
    ['agent-image', 'agent:2', true], ['agent-image', '', false],
  );
  for (const [name, value, valid] of cases) {
    const pod = makePod({ [name]: value });
    const messages = (() => {
      try {
        specOf(pod);
        return [];
      } catch {
        return problemsOf(pod);
      }
    })();
    if (valid) assert.deepEqual(messages, [], `${name}=${JSON.stringify(value)} should be accepted`);
    else assert.ok(messages.length === 1 && messages[0]?.includes(`vault.hashicorp.com/${name}: `), `${name}=${JSON.stringify(value)} should be refused: ${messages.join(' | ')}`);
  }
});

test('defaults when nothing but agent-inject and role is set (TestInitDefaults)', () => {
  const spec = specOf(makePod({}));
  assert.deepEqual({
    authPath: spec.authPath, address: spec.vault.address, image: spec.image, mode: spec.mode, initFirst: spec.initFirst,
    resources: spec.resources, securityContext: spec.securityContext, secretVolumePath: spec.secretVolumePath, revokeOnShutdown: spec.revokeOnShutdown,
    revokeGrace: spec.revokeGrace, logLevel: spec.logLevel, logFormat: spec.logFormat, injectContainers: spec.injectContainers,
    templateConfig: spec.templateConfig, shareProcessNamespace: spec.shareProcessNamespace, tokenPath: spec.tokenPath, injectToken: spec.injectToken,
  }, {
    authPath: 'auth/kubernetes', address: 'https://vault.vault.svc:8200', image: 'ghcr.io/vault-injector/agent:0.1.0', mode: 'init-and-sidecar', initFirst: false,
    resources: { limits: { cpu: '500m', memory: '128Mi' }, requests: { cpu: '10m', memory: '48Mi' } }, securityContext: { runAsUser: 100, runAsGroup: 1000 },
    secretVolumePath: '/vault/secrets', revokeOnShutdown: false, revokeGrace: 5, logLevel: 'info', logFormat: 'standard', injectContainers: ['web'],
    templateConfig: { exitOnRetryFailure: true }, shareProcessNamespace: undefined, tokenPath: '/var/run/secrets/kubernetes.io/serviceaccount/token', injectToken: false,
  });
});

test('annotations override the injector settings; "" removes a resource', () => {
  const spec = specOf(makePod({
    'agent-limits-cpu': '', 'agent-requests-mem': '32Mi', 'agent-limits-ephemeral': '1Gi', 'agent-requests-ephemeral': '100Mi',
    service: 'http://vault.other:8200', 'auth-path': 'auth/team-a', namespace: 'ns1', 'agent-image': 'agent:9', 'tls-skip-verify': 'true',
    'ca-cert': '/vault/tls/ca.crt', 'ca-key': '/vault/tls', 'client-cert': '/vault/tls/c.crt', 'client-key': '/vault/tls/c.key', 'tls-server-name': 'vault',
  }), { vaultNamespace: 'flag-ns' });
  assert.deepEqual(spec.resources, { limits: { memory: '128Mi', 'ephemeral-storage': '1Gi' }, requests: { cpu: '10m', memory: '32Mi', 'ephemeral-storage': '100Mi' } });
  assert.deepEqual(spec.vault, { address: 'http://vault.other:8200', tlsSkipVerify: true, caCert: '/vault/tls/ca.crt', caPath: '/vault/tls', clientCert: '/vault/tls/c.crt', clientKey: '/vault/tls/c.key', tlsServerName: 'vault' });
  assert.equal(spec.authPath, 'auth/team-a');
  assert.equal(spec.vaultNamespace, 'ns1');
  assert.equal(spec.image, 'agent:9');
});

test('Vault namespace: annotation over flag, flag when absent, "" clears (TestVaultNamespaceAnnotation)', () => {
  assert.equal(specOf(makePod({ namespace: 'a' }), { vaultNamespace: 'flag' }).vaultNamespace, 'a');
  assert.equal(specOf(makePod({}), { vaultNamespace: 'flag' }).vaultNamespace, 'flag');
  assert.equal(specOf(makePod({ namespace: '' }), { vaultNamespace: 'flag' }).vaultNamespace, undefined);
  assert.equal(specOf(makePod({})).vaultNamespace, undefined);
});

test('role: required; auth-config-role when role is absent; role wins (TestAuthConfigAnnotations)', () => {
  const pod = makePod({});
  delete pod.metadata?.annotations?.['vault.hashicorp.com/role'];
  assert.deepEqual(problemsOf(pod), ['VI_ANNOTATION_REQUIRED annotation vault.hashicorp.com/role: is required: the Vault Kubernetes auth role the agent logs in with']);
  assert.equal(specOf(makePod({ role: 'r1', 'auth-config-role': 'r2' })).role, 'r1');
  const configRole = makePod({ 'auth-config-role': 'r2' });
  delete configRole.metadata?.annotations?.['vault.hashicorp.com/role'];
  assert.equal(specOf(configRole).role, 'r2');
  assert.equal(specOf(makePod({ 'auth-config-token-path': '/custom/token' })).tokenPath, '/custom/token');
  assert.deepEqual(problemsOf(makePod({ role: '' })), ['VI_ANNOTATION_INVALID annotation vault.hashicorp.com/role: must not be empty']);
});

test('agent modes from pre-populate, pre-populate-only and native sidecar', () => {
  const cases: Array<[Record<string, string>, Record<string, never> | { nativeSidecar: boolean }, string]> = [
    [{}, {}, 'init-and-sidecar'],
    [{ 'agent-pre-populate-only': 'true' }, {}, 'init-only'],
    [{ 'agent-pre-populate': 'false' }, {}, 'sidecar-only'],
    [{ 'agent-pre-populate': '' }, {}, 'sidecar-only'],
    [{ 'agent-native-sidecar': 'true' }, {}, 'native-sidecar'],
    [{}, { nativeSidecar: true }, 'native-sidecar'],
    [{ 'agent-native-sidecar': 'false' }, { nativeSidecar: true }, 'init-and-sidecar'],
    [{ 'agent-native-sidecar': 'true', 'agent-pre-populate-only': 'true' }, {}, 'init-only'],
    [{ 'agent-native-sidecar': 'true', 'agent-pre-populate': 'false' }, {}, 'sidecar-only'],
  ];
  for (const [annotations, overrides, expected] of cases) assert.equal(specOf(makePod(annotations), overrides).mode, expected, JSON.stringify(annotations));
  assert.deepEqual(problemsOf(makePod({ 'agent-pre-populate': 'false', 'agent-pre-populate-only': 'true' })), [
    'VI_ANNOTATION_INVALID annotation vault.hashicorp.com/agent-pre-populate-only: is true while vault.hashicorp.com/agent-pre-populate is false: no agent would run',
  ]);
});

test('agent-inject-containers selects app containers; unknown names are refused (TestInjectContainers)', () => {
  const spec = { containers: [container('foobar'), container('foo1'), container('foo2')] };
  assert.deepEqual(specOf(makePod({}, spec)).injectContainers, ['foobar', 'foo1', 'foo2']);
  assert.deepEqual(specOf(makePod({ 'agent-inject-containers': 'foo1' }, spec)).injectContainers, ['foo1']);
  assert.deepEqual(specOf(makePod({ 'agent-inject-containers': 'foo1, foo2' }, spec)).injectContainers, ['foo1', 'foo2']);
  assert.deepEqual(problemsOf(makePod({ 'agent-inject-containers': 'foo1,nope' }, spec)), [
    'VI_CONTAINER_NOT_FOUND annotation vault.hashicorp.com/agent-inject-containers: the pod has no container named "nope" (it has "foobar", "foo1", "foo2")',
  ]);
});

test('security context: ids, same-user, auto-enable (TestContainerSidecarSecurityContext, Test_runAsSameID)', () => {
  assert.deepEqual(specOf(makePod({ 'agent-run-as-user': '1001', 'agent-run-as-group': '1002' })).securityContext, { runAsUser: 1001, runAsGroup: 1002 });
  assert.equal(specOf(makePod({ 'agent-set-security-context': 'false' })).securityContext, undefined);
  assert.equal(specOf(makePod({}), { setSecurityContext: false }).securityContext, undefined);
  assert.deepEqual(specOf(makePod({ 'agent-run-as-user': '1001' }), { setSecurityContext: false }).securityContext, { runAsUser: 1001, runAsGroup: 1000 });
  const sameUser = { containers: [container('app', { securityContext: { runAsUser: 123 } })] };
  assert.deepEqual(specOf(makePod({ 'agent-run-as-same-user': 'true' }, sameUser)).securityContext, { runAsUser: 123, runAsGroup: 1000 });
  assert.deepEqual(problemsOf(makePod({ 'agent-run-as-same-user': 'true' })), ['VI_RUN_AS_SAME_USER annotation vault.hashicorp.com/agent-run-as-same-user: the first container (web) sets no securityContext.runAsUser']);
  assert.deepEqual(problemsOf(makePod({ 'agent-run-as-same-user': 'true' }, { containers: [container('app', { securityContext: { runAsUser: 0 } })] })), [
    'VI_RUN_AS_SAME_USER annotation vault.hashicorp.com/agent-run-as-same-user: the first container (app) runs as root (runAsUser 0); the agent may not',
  ]);
});

test('service account token discovery (Test_serviceaccount)', () => {
  const projected = { name: 'vault-token', projected: { sources: [{ serviceAccountToken: { path: 'vault-token', audience: 'vault' } }] } };
  const base = makePod({});
  const volumes = [...(base.spec?.volumes ?? []), projected];
  assert.deepEqual(specOf(base).serviceAccount, { volumeName: 'kube-api-access-abcde', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', tokenFile: '/var/run/secrets/kubernetes.io/serviceaccount/token' });
  assert.deepEqual(specOf(makePod({ 'agent-service-account-token-volume-name': 'vault-token' }, { volumes })).serviceAccount, {
    volumeName: 'vault-token', mountPath: '/var/run/secrets/vault.hashicorp.com/serviceaccount', tokenFile: '/var/run/secrets/vault.hashicorp.com/serviceaccount/vault-token',
  });
  const mounted = { volumes, containers: [container('web', { volumeMounts: [{ name: 'vault-token', mountPath: '/var/run/vault' }] })] };
  assert.equal(specOf(makePod({ 'agent-service-account-token-volume-name': 'vault-token' }, mounted)).tokenPath, '/var/run/vault/vault-token');
  assert.deepEqual(problemsOf(makePod({ 'agent-service-account-token-volume-name': 'missing' })), ['VI_SERVICE_ACCOUNT_TOKEN annotation vault.hashicorp.com/agent-service-account-token-volume-name: the pod has no volume named "missing"']);
  assert.deepEqual(problemsOf(makePod({ 'agent-service-account-token-volume-name': 'plain' }, { volumes: [{ name: 'plain', emptyDir: {} }] })), [
    'VI_SERVICE_ACCOUNT_TOKEN annotation vault.hashicorp.com/agent-service-account-token-volume-name: volume "plain" is not a projected volume with a serviceAccountToken path',
  ]);
  assert.deepEqual(problemsOf(makePod({}, { volumes: [], containers: [{ name: 'web', image: 'web:1' }] })), [
    'VI_SERVICE_ACCOUNT_TOKEN annotation vault.hashicorp.com/agent-service-account-token-volume-name: is not set and no container mounts a service account token (is automountServiceAccountToken false?); name a projected volume with a serviceAccountToken source',
  ]);
});

test('agent-copy-volume-mounts copies all but service account mounts; unknown container refused', () => {
  const spec = { initContainers: [container('web-init', { volumeMounts: [{ name: 'kube-api-access-abcde', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' }, { name: 'data', mountPath: '/data' }] })] };
  assert.deepEqual(specOf(makePod({ 'agent-copy-volume-mounts': 'web-init' }, spec)).copiedVolumeMounts, [{ name: 'data', mountPath: '/data' }]);
  const clash = { initContainers: [container('web-init', { volumeMounts: [{ name: 'home', mountPath: '/home/vault' }] })] };
  assert.deepEqual(problemsOf(makePod({ 'agent-copy-volume-mounts': 'web-init' }, clash)), [
    'VI_NAME_CONFLICT annotation vault.hashicorp.com/agent-copy-volume-mounts: the copied mount "home" at /home/vault collides with a path the agent containers already mount',
  ]);
  assert.deepEqual(problemsOf(makePod({ 'agent-copy-volume-mounts': 'nope' })), ['VI_CONTAINER_NOT_FOUND annotation vault.hashicorp.com/agent-copy-volume-mounts: the pod has no container or init container named "nope"']);
});

test('share-process-namespace refuses to override an explicit false', () => {
  assert.equal(specOf(makePod({ 'agent-share-process-namespace': 'true' })).shareProcessNamespace, true);
  assert.deepEqual(problemsOf(makePod({ 'agent-share-process-namespace': 'true' }, { shareProcessNamespace: false })), [
    'VI_SHARE_PROCESS_NAMESPACE annotation vault.hashicorp.com/agent-share-process-namespace: is true but the pod sets shareProcessNamespace: false; refusing to enable it',
  ]);
});

test('json patches are checked when parsed (TestAgentJsonPatch)', () => {
  for (const empty of ['', 'null', '[]']) assert.deepEqual(specOf(makePod({ 'agent-json-patch': empty })).jsonPatch, [], JSON.stringify(empty));
  assert.deepEqual(specOf(makePod({ 'agent-init-json-patch': '[{"op":"replace","path":"/name","value":"x"}]' })).initJsonPatch, [{ op: 'replace', path: '/name', value: 'x' }]);
  const cases: Array<[string, string]> = [
    ['{"op":', 'is not valid JSON (expected an RFC 6902 patch such as [{"op":"replace","path":"/name","value":"x"}])'],
    ['{"op":"add"}', 'is not a JSON array of RFC 6902 operations'],
    ['[{"op":"explode","path":"/name"}]', 'operation 0 has an "op" that is not add, remove, replace, move, copy or test'],
    ['[{"op":"add","path":"/a","value":1},{"op":"replace","path":"name","value":1}]', 'operation 1 has a "path" that is not a JSON pointer starting with "/"'],
    ['[{"op":"add","path":"/a"}]', 'operation 0 needs a "value"'],
  ];
  for (const [value, reason] of cases) assert.deepEqual(problemsOf(makePod({ 'agent-json-patch': value })), [`VI_ANNOTATION_INVALID annotation vault.hashicorp.com/agent-json-patch: ${reason}`], value);
});

test('vault-k8s annotations we do not implement are refused unless they ask for nothing', () => {
  assert.deepEqual(problemsOf(makePod({ 'auth-config-role-id-file-path': '/x' })).sort(), [
    'VI_ANNOTATION_UNSUPPORTED annotation vault.hashicorp.com/auth-config-role-id-file-path: the kubernetes auth method has no config key "role_id_file_path" (auth-config-KEY accepts role, token-path)',
  ]);
  specOf(makePod({ 'agent-cache-enable': 'false', 'agent-configmap': '', 'proxy-address': '', 'go-max-procs': '4', 'some-future-annotation': 'x' }));
});

test('every problem is reported, each naming its annotation', () => {
  const found = problemsOf(makePod({ 'agent-pre-populate': 'maybe', 'agent-limits-cpu': 'lots', 'log-level': 'loud' }));
  assert.equal(found.length, 3);
  for (const name of ['agent-pre-populate', 'agent-limits-cpu', 'log-level']) assert.ok(found.some((entry) => entry.includes(`vault.hashicorp.com/${name}: `)), name);
});

test('the README reference lists every annotation of the table, marking ours', () => {
  const reference = renderAnnotationReference();
  for (const definition of Object.values(table)) {
      const key = definition.scope === 'secret' ? `${definition.name}${definition.suffixText ?? 'NAME'}` : definition.scope === 'prefix' ? `${definition.name}PARAM` : definition.name;
    assert.ok(reference.includes(`\`vault.hashicorp.com/${key}\``), key);
  }
  for (const entry of unsupportedAnnotations) assert.ok(reference.includes(`vault.hashicorp.com/${entry.name}`), entry.name);
  assert.match(reference, /\| `vault\.hashicorp\.com\/agent-native-sidecar` \| `false` \(`AGENT_INJECT_NATIVE_SIDECAR`\) \| \*\*ours\*\* \|/);
});
