// The chart's values: `helm lint --strict`, values.schema.json rejecting wrong values with a message
// that names the value, and the settings the chart hands the webhook being ones the webhook accepts
// (src/settings.ts loadSettings, src/tenancy/policy.ts loadTenancyPolicy).
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { parse as parseYaml } from 'yaml';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chartDir, findObject, helm, parseManifests, render, releaseNamespace, templateArgs } from './helm.ts';
import type { KubeObject, RenderOptions } from './helm.ts';
import { DEFAULT_AGENT_IMAGE, loadSettings, settingDefinitions } from '../../src/settings.ts';
import { loadTenancyPolicy } from '../../src/tenancy/policy.ts';
import { DEFAULT_CERT_SECRET_NAME } from '../../src/tls/auto.ts';
import { LEADER_LEASE_NAME } from '../../src/server/main.ts';

describe('helm lint --strict', () => {
  const cases: Array<[string, string[]]> = [
    ['defaults', []],
    ['tenant profile', ['-f', `${chartDir}/values-tenant.yaml`]],
    ['certManager', ['--set', 'certificates.mode=certManager']],
  ];
  for (const [name, args] of cases) {
    test(name, () => {
      const result = helm(['lint', '--strict', chartDir, ...args]);
      assert.equal(result.status, 0, result.stdout + result.stderr);
      assert.match(result.stdout, /1 chart\(s\) linted, 0 chart\(s\) failed/);
      assert.doesNotMatch(result.stdout, /\[(WARNING|ERROR)\]/);
    });
  }
});

describe('a wrong value fails at install with a message naming it', () => {
  // [value(s), what stderr must say]
  const cases: Array<[string, RenderOptions, RegExp]> = [
    ['replicas: "two"', { setString: ['replicas=two'] }, /at '\/replicas': got string, want integer/],
    ['replicas: 0', { set: ['replicas=0'] }, /at '\/replicas': minimum: got 0, want 1/],
    ['certificates.mode: bogus', { set: ['certificates.mode=bogus'] }, /at '\/certificates\/mode': value must be one of 'auto', 'certManager', 'secret'/],
    ['secret mode without a Secret', { set: ['certificates.mode=secret'] }, /at '\/certificates\/secret\/name': minLength: got 0, want 1/],
    ['secret mode without a caBundle', { set: ['certificates.mode=secret', 'certificates.secret.name=tls'] }, /at '\/certificates\/secret\/caBundle': minLength: got 0, want 1/],
    ['a ClusterIssuer without a name', { set: ['certificates.mode=certManager', 'certificates.certManager.issuerRef.kind=ClusterIssuer'] }, /certificates\/certManager\/issuerRef': missing property 'name'/],
    ['vault.address without a scheme', { set: ['vault.address=vault:8200'] }, /at '\/vault\/address': 'vault:8200' does not match pattern/],
    ['logLevel: loud', { set: ['logLevel=loud'] }, /at '\/logLevel': value must be one of 'trace', 'debug', 'info', 'warn', 'error'/],
    ['webhook.failurePolicy: Sometimes', { set: ['webhook.failurePolicy=Sometimes'] }, /at '\/webhook\/failurePolicy': value must be one of 'Fail', 'Ignore'/],
    ['webhook.timeoutSeconds: 31', { set: ['webhook.timeoutSeconds=31'] }, /at '\/webhook\/timeoutSeconds': maximum: got 31, want 30/],
    ['webhook.url over http', { set: ['webhook.url=http://injector.example.com/mutate'] }, /at '\/webhook\/url': 'http:\/\/injector\.example\.com\/mutate' does not match pattern/],
    ['webhook.url with a query', { set: ['webhook.url=https://injector.example.com/mutate?x=1'] }, /at '\/webhook\/url': .* does not match pattern/],
    ['port 443 (a non-root process cannot bind it)', { set: ['port=443'] }, /at '\/port': minimum: got 443, want 1,?024/],
    ['agent.runAsUser: 0 (root)', { set: ['agent.runAsUser=0'] }, /at '\/agent\/runAsUser': minimum: got 0, want 1/],
    ['agent cpu request "lots"', { set: ['agent.resources.requests.cpu=lots'] }, /at '\/agent\/resources\/requests\/cpu'/],
    ['a misspelt top-level value', { set: ['replica=3'] }, /additional properties 'replica' not allowed/],
    ['a misspelt nested value', { set: ['webhook.timeout=5'] }, /at '\/webhook': additional properties 'timeout' not allowed/],
    ['profile: tenants', { set: ['profile=tenants'] }, /at '\/profile': value must be one of 'default', 'tenant'/],
    ['a number as an extra env value', { set: ['extraEnv[0].name=X', 'extraEnv[0].value=1'] }, /at '\/extraEnv\/0\/value': got number, want string/],
    ['a bad duration', { set: ['agent.templateConfig.staticSecretRenderInterval=soon'] }, /at '\/agent\/templateConfig\/staticSecretRenderInterval'/],
    ['a cron schedule with three fields', { set: ['tenancy.controller.schedule=*/5 * *'] }, /at '\/tenancy\/controller\/schedule': '\*\/5 \* \*' does not match pattern/],
    ['hostNetwork: "yes"', { setString: ['hostNetwork=yes'] }, /at '\/hostNetwork': got string, want boolean/],
    ['strategy.type: Blue', { set: ['strategy.type=Blue'] }, /at '\/strategy\/type': value must be one of 'RollingUpdate', 'Recreate'/],
    ['Recreate with rollingUpdate', { set: ['strategy.type=Recreate', 'strategy.rollingUpdate.maxSurge=1'] }, /at '\/strategy'/],
    ['maxSurge: lots', { set: ['strategy.rollingUpdate.maxSurge=lots'] }, /at '\/strategy\/rollingUpdate\/maxSurge'/],
    ['a misspelt pod security context field', { set: ['securityContext.pod.runAsNonroot=true'] }, /at '\/securityContext\/pod': additional properties 'runAsNonroot' not allowed/],
    ['a container security context field of the wrong type', { setString: ['securityContext.container.privileged=no'] }, /at '\/securityContext\/container\/privileged': got string, want boolean/],
    ['Kubernetes 1.25', { kubeVersion: '1.25.9', set: ['webhook.matchConditions.enabled=false'] }, /chart requires kubeVersion: >=1\.26\.0-0 which is incompatible with Kubernetes v1\.25\.9/],
    ['matchConditions on Kubernetes 1.27', { kubeVersion: '1.27.3' }, /webhook\.matchConditions\.enabled needs Kubernetes >= 1\.28 \(this cluster is v1\.27\.3\): set webhook\.matchConditions\.enabled=false/],
  ];
  for (const [name, options, message] of cases) {
    test(name, () => {
      const result = helm(templateArgs(options));
      assert.notEqual(result.status, 0, `helm template should fail for ${name}`);
      assert.match(result.stderr, message);
      assert.equal(result.stdout.includes('kind: Deployment'), false, 'nothing is rendered');
    });
  }
});

/** The webhook container's environment, with the downward-API values a pod would get. */
function podEnvironment(objects: KubeObject[]): Record<string, string> {
  const deployment = findObject(objects, 'Deployment') as KubeObject & { spec: { template: { spec: { containers: Array<{ name: string; env: Array<{ name: string; value?: string; valueFrom?: { fieldRef?: { fieldPath: string } } }> }> } } } };
  const container = deployment.spec.template.spec.containers.find((c) => c.name === 'webhook');
  assert.ok(container);
  const environment: Record<string, string> = {};
  for (const variable of container.env) {
    const path = variable.valueFrom?.fieldRef?.fieldPath;
    environment[variable.name] = variable.value ?? (path === 'metadata.namespace' ? releaseNamespace : path === 'metadata.name' ? 'vi-vault-injector-5d8f-x2k' : '');
  }
  return environment;
}

describe('the webhook accepts the settings the chart gives it (src/settings.ts)', () => {
  const known = new Set(settingDefinitions.flatMap((definition) => (definition.env === undefined ? [] : [definition.env])));
  const scenarios: Array<[string, RenderOptions]> = [
    ['defaults', {}],
    ['certManager', { set: ['certificates.mode=certManager'] }],
    ['tenant profile', { set: ['profile=tenant'] }],
    ['every agent default', { set: ['agent.ephemeralStorage.request=16Mi', 'agent.ephemeralStorage.limit=1Gi', 'agent.nativeSidecar=true', 'agent.runAsSameUser=true', 'agent.revokeOnShutdown=true', 'agent.defaultTemplate=json', 'agent.templateConfig.staticSecretRenderInterval=5m', 'agent.templateConfig.exitOnRetryFailure=false', 'agent.authMinBackoff=1s', 'agent.authMaxBackoff=1m', 'vault.namespace=admin', 'logLevel=debug', 'logFormat=standard', 'tlsMinVersion=tls13', 'agent.resources.requests.cpu=', 'agent.resources.limits.cpu=1'] }],
  ];
  for (const [name, options] of scenarios) {
    test(name, () => {
      const environment = podEnvironment(render(options));
      const unknown = Object.keys(environment).filter((key) => key.startsWith('AGENT_INJECT_') && !known.has(key));
      assert.deepEqual(unknown, [], 'every AGENT_INJECT_* variable is one the webhook reads');
      const loaded = loadSettings([], environment);
      assert.ok(loaded.ok, loaded.ok ? '' : loaded.problems.join('\n'));
      const settings = loaded.settings;
      assert.equal(settings.podNamespace, releaseNamespace);
      assert.equal(settings.listen, ':8080');
      assert.equal(settings.vaultAddress, 'https://vault.vault.svc:8200');
      assert.equal(settings.vaultImage, 'ghcr.io/vault-injector/agent:0.1.0');
      assert.equal(settings.runAsUser, 65532, 'the agent image\'s user');
      if (name === 'every agent default') {
        assert.equal(settings.nativeSidecar, true);
        assert.equal(settings.defaultTemplate, 'json');
        assert.equal(settings.ephemeralLimit, '1Gi');
        // "" in the chart sets nothing, so the webhook's own default applies.
        const defaults = loadSettings([], { AGENT_INJECT_VAULT_ADDR: 'https://vault:8200' });
        assert.ok(defaults.ok);
        assert.equal(environment['AGENT_INJECT_CPU_REQUEST'], undefined);
        assert.equal(settings.cpuRequest, defaults.settings.cpuRequest);
        assert.equal(settings.cpuLimit, '1');
      }
    });
  }

  test('versions agree: Chart appVersion = package.json version; the chart\'s agent image = the webhook\'s default', () => {
    const chart = parseYaml(readFileSync(`${chartDir}/Chart.yaml`, 'utf8')) as { appVersion: string; version: string };
    const pkg = JSON.parse(readFileSync(`${chartDir}/../../package.json`, 'utf8')) as { version: string };
    assert.equal(chart.appVersion, pkg.version);
    const environment = podEnvironment(render());
    assert.equal(environment['AGENT_INJECT_VAULT_IMAGE'], DEFAULT_AGENT_IMAGE, 'the webhook run without the chart injects the same agent image');
  });

  test('the auto TLS Secret and Lease the Role names are the ones the webhook uses', () => {
    const objects = render();
    assert.equal(findObject(objects, 'Secret').metadata.name, DEFAULT_CERT_SECRET_NAME);
    const rules = (findObject(objects, 'Role') as KubeObject & { rules: Array<{ resources: string[]; resourceNames?: string[] }> }).rules;
    assert.deepEqual(rules.find((rule) => rule.resources.includes('secrets'))?.resourceNames, [DEFAULT_CERT_SECRET_NAME]);
    assert.deepEqual(rules.find((rule) => rule.resources.includes('leases') && rule.resourceNames !== undefined)?.resourceNames, [LEADER_LEASE_NAME]);
  });
});

describe('the tenant profile\'s policy is one the webhook loads (src/tenancy/policy.ts)', () => {
  const policyText = (objects: KubeObject[]): string => (findObject(objects, 'ConfigMap') as KubeObject & { data: Record<string, string> }).data['policy.yaml'] ?? '';

  test('the default policy: each namespace its own role and paths', () => {
    const loaded = loadTenancyPolicy(policyText(render({ set: ['profile=tenant'] })), 'policy.yaml');
    assert.ok(loaded.ok, loaded.ok ? '' : loaded.problems.join('\n'));
    const check = loaded.check;
    const base = { namespace: 'team-a', annotations: { 'vault.hashicorp.com/agent-inject': 'true' } };
    assert.equal(check({ ...base, role: 'team-a', secretPaths: [{ annotation: 'vault.hashicorp.com/agent-inject-secret-db', path: 'secret/data/team-a/db' }] }), undefined);
    assert.ok(check({ ...base, role: 'team-b', secretPaths: [] }), 'another namespace\'s role is denied');
    assert.ok(check({ ...base, role: 'team-a', secretPaths: [{ annotation: 'vault.hashicorp.com/agent-inject-secret-db', path: 'secret/data/team-b/db' }] }), 'another namespace\'s secret is denied');
  });

  test('the default policy follows vault.authPath', () => {
    const loaded = loadTenancyPolicy(policyText(render({ set: ['profile=tenant', 'vault.authPath=auth/k8s-prod'] })), 'policy.yaml');
    assert.ok(loaded.ok);
    assert.equal(loaded.policy.vault.authMount, 'k8s-prod');
  });

  test('a policy given in values is rendered as written', () => {
    const policy = { version: 1, defaults: { roles: ['${namespace}-app'], paths: ['kv/${namespace}/*'], locked: 'all' }, exceptions: { 'team-x': { unlock: ['agent-image'] } } };
    const custom = renderWithValues({ tenancy: { enabled: true, policy } });
    const text = policyText(custom);
    assert.deepEqual(parseYaml(text), policy);
    const loaded = loadTenancyPolicy(text, 'policy.yaml');
    assert.ok(loaded.ok, loaded.ok ? '' : loaded.problems.join('\n'));
  });
});

function renderWithValues(values: unknown): KubeObject[] {
  // Structured values (lists of mappings, "${namespace}") go through a values file, not --set.
  const directory = mkdtempSync(join(tmpdir(), 'vault-injector-values-'));
  const file = join(directory, 'values.yaml');
  writeFileSync(file, JSON.stringify(values));
  try {
    const result = helm(['template', 'vi', chartDir, '--namespace', releaseNamespace, '-f', file]);
    assert.equal(result.status, 0, result.stderr);
    return parseManifests(result.stdout);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

describe('the chart README documents every value', () => {
  test('each value in values.yaml appears in charts/vault-injector/README.md', () => {
    const values = parseYaml(readFileSync(`${chartDir}/values.yaml`, 'utf8')) as Record<string, unknown>;
    const readme = readFileSync(`${chartDir}/README.md`, 'utf8');
    const missing: string[] = [];
    const walk = (value: unknown, path: string[]): void => {
      // A documented prefix covers what is below it (e.g. `agent.resources` covers requests.cpu).
      const documented = path.length > 0 && readme.includes(`\`${path.join('.')}`);
      if (documented) return;
      if (value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length > 0) {
        for (const [key, child] of Object.entries(value)) walk(child, [...path, key]);
      } else {
        missing.push(path.join('.'));
      }
    };
    walk(values, []);
    assert.deepEqual(missing, []);
  });
});
