// Vault namespaces (X-Vault-Namespace) against REAL OpenBao namespaces: the Kubernetes auth method,
// the policy and the KV mounts live inside the namespace, and the agent config carries the
// namespace where vault-k8s writes it (`auto_auth.method.namespace`, from the `namespace`
// annotation). The root namespace holds a decoy role and secret with other values, so an agent
// that dropped the header would log in and render there instead of failing quietly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { agentConfig, message, NAMESPACE, ROLE, SERVICE_ACCOUNT, startAgent } from '../agent/harness.ts';
import { APP_POLICY, assertNoSecretLogged, startRealLab } from '../real/lab.ts';
import { createNamespace, enableKubernetesAuth, enableKv, writeKubernetesRole, writeKv, writePolicy } from '../real/setup.ts';
import { fileBecomes } from './support.ts';

for (const vaultNamespace of ['team-a', 'tenants/team-a']) {
  test(`OpenBao namespace "${vaultNamespace}": login, KV v1/v2 and a re-render inside it; the token belongs to it`, async () => {
    const lab = await startRealLab();
    try {
      let parent: string | undefined;
      for (const part of vaultNamespace.split('/')) {
        await createNamespace(lab.bao, part, parent === undefined ? {} : { namespace: parent });
        parent = parent === undefined ? part : `${parent}/${part}`;
      }
      const inside = { namespace: vaultNamespace };
      await enableKv(lab.bao, 'secret', 2, inside);
      await enableKv(lab.bao, 'kv', 1, inside);
      await writePolicy(lab.bao, 'app', APP_POLICY, inside);
      await enableKubernetesAuth(lab.bao, { url: lab.kube.url, caPem: lab.kube.caPem, token: lab.kube.token }, inside);
      await writeKubernetesRole(lab.bao, ROLE, { bound_service_account_names: [SERVICE_ACCOUNT], bound_service_account_namespaces: [NAMESPACE], token_policies: ['app'] }, inside);
      await writeKv(lab.bao, 'secret', 2, 'app/config', { greeting: 'inside-7731' }, inside);
      await writeKv(lab.bao, 'kv', 1, 'app/api', { key: 'inside-key-2290' }, inside);
      await writeKv(lab.bao, 'secret', 2, 'app/config', { greeting: 'root-decoy-1180' });
      lab.secrets.add('inside-7731').add('inside-key-2290').add('inside-v2-8843').add('root-decoy-1180');

      const destination = join(lab.dir, 'secrets', 'config');
      const sink = join(lab.dir, 'sink', 'token');
      const agent = await startAgent(lab, agentConfig(lab, {
        mode: 'sidecar',
        method: { namespace: vaultNamespace },
        sinks: [{ path: sink }],
        templateConfig: { static_secret_render_interval: '1s' },
        templates: [{ destination, contents: '{{ with secret "secret/app/config" }}{{ .Data.data.greeting }}{{ end }} {{ with secret "kv/app/api" }}{{ .Data.key }}{{ end }}' }],
      }));
      await agent.waitFor(message('all templates rendered'), 60_000);
      assert.equal(await readFile(destination, 'utf8'), 'inside-7731 inside-key-2290', 'the namespace\'s secrets, not the root decoy');

      const token = await readFile(sink, 'utf8');
      lab.secrets.add(token);
      const lookup = await lab.bao.request('POST', 'auth/token/lookup', { token }, inside);
      const data = (lookup.body as { data?: Record<string, unknown> }).data;
      assert.equal(lookup.status, 200, JSON.stringify(lookup.body));
      assert.equal(data?.['namespace_path'], `${vaultNamespace}/`, 'OpenBao issued the token in the namespace');
      assert.equal(data?.['path'], 'auth/kubernetes/login');
      const fromRoot = await lab.bao.request('GET', 'secret/data/app/config', undefined, { token });
      assert.equal(fromRoot.status, 403, 'the token means nothing in the root namespace');

      await writeKv(lab.bao, 'secret', 2, 'app/config', { greeting: 'inside-v2-8843' }, inside);
      await fileBecomes(destination, 'inside-v2-8843 inside-key-2290', 30_000, 'a write inside the namespace re-rendered');
      await agent.stop();
      assertNoSecretLogged(lab);
    } finally {
      await lab.close();
    }
  });
}

// Paths that reach into a child namespace from where the agent stands, as vault-k8s's
// cross-namespace acceptance test writes them (`auth-path=us-west-org/auth/kubernetes`, secrets
// under `us-east-org/...`). The secrets live in tenants/team-a in both cases:
// - "from the root": no agent namespace, the auth path and secret paths carry the full namespace
//   path; Vault Agent logs in at the mount path exactly as written.
// - "from the parent": the agent's namespace is "tenants", it logs in there, and a policy of
//   "tenants" grants "team-a/secret/...". OpenBao then names the KV v2 mount with the full
//   namespace path ("tenants/team-a/secret/"), which consul-template strips of the client's
//   namespace before it inserts "data/" (shimKVv2Path); so must the agent.
const crossCases: Array<{ name: string; agentNamespace: string | undefined; mountPath: string; prefix: string; authIn: string }> = [
  { name: 'from the root', agentNamespace: undefined, mountPath: 'tenants/team-a/auth/kubernetes', prefix: 'tenants/team-a/', authIn: 'tenants/team-a' },
  { name: 'from the parent', agentNamespace: 'tenants', mountPath: 'auth/kubernetes', prefix: 'team-a/', authIn: 'tenants' },
];

for (const { name, agentNamespace, mountPath, prefix, authIn } of crossCases) {
  test(`OpenBao namespaces, paths into a child namespace ${name} (vault-k8s cross-namespace): KV v1 and v2 rendered`, async () => {
    const lab = await startRealLab();
    try {
      await createNamespace(lab.bao, 'tenants');
      await createNamespace(lab.bao, 'team-a', { namespace: 'tenants' });
      const child = { namespace: 'tenants/team-a' };
      await enableKv(lab.bao, 'secret', 2, child);
      await enableKv(lab.bao, 'kv', 1, child);
      // The policy sits where the login happens; from the parent it names the child's paths.
      // From the parent, OpenBao 2.7's sys/internal/ui/mounts preflight for a path in a child
      // namespace passed only with a `path "*"` rule (we tried "team-a/*", "team-a/secret/*" and
      // "team-a/secret/app/*": all 403 "preflight capability check returned 403"); without it the
      // KV v2 check fails and Vault Agent and ours alike fall back to KV v1 paths.
      const policyPrefix = authIn === 'tenants' ? 'team-a/' : '';
      const preflight = authIn === 'tenants' ? '\npath "*" { capabilities = ["read"] }\n' : '';
      await writePolicy(lab.bao, 'app', APP_POLICY.replace(/path "/g, `path "${policyPrefix}`) + preflight, { namespace: authIn });
      await enableKubernetesAuth(lab.bao, { url: lab.kube.url, caPem: lab.kube.caPem, token: lab.kube.token }, { namespace: authIn });
      await writeKubernetesRole(lab.bao, ROLE, { bound_service_account_names: [SERVICE_ACCOUNT], bound_service_account_namespaces: [NAMESPACE], token_policies: ['app'] }, { namespace: authIn });
      await writeKv(lab.bao, 'secret', 2, 'app/config', { greeting: 'child-5517' }, child);
      await writeKv(lab.bao, 'kv', 1, 'app/api', { key: 'child-key-6628' }, child);
      lab.secrets.add('child-5517').add('child-key-6628');
      const mount = await lab.bao.call('GET', `sys/internal/ui/mounts/${prefix}secret/app/config`, undefined, agentNamespace === undefined ? {} : { namespace: agentNamespace });
      assert.equal((mount.body as { data: { path: string } }).data.path, 'tenants/team-a/secret/', 'OpenBao names the mount with the full namespace path');

      const destination = join(lab.dir, 'secrets', 'config');
      const agent = await startAgent(lab, agentConfig(lab, {
        mode: 'init',
        method: { mount_path: mountPath, ...(agentNamespace !== undefined ? { namespace: agentNamespace } : {}) },
        templates: [{ destination, contents: `{{ with secret "${prefix}secret/app/config" }}{{ .Data.data.greeting }} v{{ .Data.metadata.version }}{{ end }} {{ with secret "${prefix}kv/app/api" }}{{ .Data.key }}{{ end }}` }],
      }));
      const { code } = await agent.exited;
      assert.equal(code, 0, agent.lines.slice(-10).join('\n'));
      assert.equal(await readFile(destination, 'utf8'), 'child-5517 v1 child-key-6628');
      assertNoSecretLogged(lab);
    } finally {
      await lab.close();
    }
  });
}
