/** `webhook tenants ...`: sync, check, show, admin-policy. */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { TenancyPolicy } from './types.ts';
import { loadTenancyPolicy } from './policy.ts';
import { isTenantNamespace, rulesForNamespace } from './resolve.ts';
import { adminPolicyHcl, policyNameFor, renderTenantPolicy, roleNameFor, tenantLabelSelector } from './hcl.ts';
import { describeChange, desiredRoleSpec } from './plan.ts';
import type { SyncResult } from './sync.ts';
import { runTenancySync } from './sync.ts';
import { loadKubeConfig, tenantNamespaceLister } from './kube.ts';
import type { TenancyVault, VaultCredentials } from './vault.ts';
import { connectVault, TenancySyncError } from './vault.ts';
import { tenancyErrors } from './errors.ts';
import { isNamespaceName } from './patterns.ts';

export interface TenantsCommandIO {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

const defaultJwtFile = '/var/run/secrets/kubernetes.io/serviceaccount/token';

export const tenantsUsage = `Usage: webhook tenants <command> [flags]

Commands:
  sync [--dry-run]         write a Vault policy tenant-<ns> and a Kubernetes-auth role <ns> for every namespace
                           labelled ${tenantLabelSelector}; remove those it wrote for namespaces no longer labelled
  check                    validate the tenancy policy file
  show --namespace NS      what NS is allowed, and the policy and role sync would write for it
  admin-policy             the Vault policy the injector's own role needs to run sync

Flags:
  --tenancy FILE           tenancy policy (default: $AGENT_INJECT_TENANCY_POLICY_FILE)
  --vault-addr URL         Vault address (default: $VAULT_ADDR)
  --vault-ca-cert FILE     CA certificate for Vault's TLS (default: $VAULT_CACERT)
  --vault-role ROLE        log in with Kubernetes auth as ROLE (default when $VAULT_TOKEN is not set:
                           $AGENT_INJECT_TENANCY_VAULT_ROLE); otherwise $VAULT_TOKEN is used
  --vault-auth-path PATH   mount of that login (default: kubernetes)
  --jwt-file FILE          service account token for that login (default: ${defaultJwtFile})
  --kubeconfig FILE        Kubernetes API access (default: $KUBECONFIG, then in-cluster)
  --output text|json       sync output format (default: text)
`;

class UsageError extends Error {}

const write = (stream: NodeJS.WritableStream, text: string): void => {
  stream.write(text.endsWith('\n') ? text : `${text}\n`);
};

export async function runTenantsCommand(argv: string[], io: TenantsCommandIO): Promise<number> {
  try {
    return await dispatch(argv, io);
  } catch (error) {
    if (error instanceof UsageError) {
      write(io.stderr, `error ${tenancyErrors.cliUsage.code}: ${error.message}\n\n${tenantsUsage}`);
      return 2;
    }
    if (error instanceof TenancySyncError) {
      write(io.stderr, `error ${error.code}: ${error.message}`);
      return 1;
    }
    write(io.stderr, `error ${tenancyErrors.syncFailed.code}: the tenants command failed unexpectedly`);
    return 1;
  }
}

function parse(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        'tenancy': { type: 'string' },
        'dry-run': { type: 'boolean' },
        'vault-addr': { type: 'string' },
        'vault-ca-cert': { type: 'string' },
        'vault-role': { type: 'string' },
        'vault-auth-path': { type: 'string' },
        'jwt-file': { type: 'string' },
        'kubeconfig': { type: 'string' },
        'output': { type: 'string' },
        'namespace': { type: 'string' },
        'help': { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    // parseArgs messages are about the flags the user typed, never about secrets.
    throw new UsageError(error instanceof Error ? error.message : 'invalid arguments');
  }
}

async function loadPolicyFile(file: string | undefined, io: TenantsCommandIO): Promise<TenancyPolicy> {
  if (file === undefined || file === '') throw new UsageError('no tenancy policy: give --tenancy FILE or set AGENT_INJECT_TENANCY_POLICY_FILE');
  let text: string;
  try {
    text = await readFile(resolve(io.cwd, file), 'utf8');
  } catch (error) {
    const code = error instanceof Error && 'code' in error ? String(error.code) : 'unreadable';
    throw new TenancySyncError(tenancyErrors.policyInvalid.code, `${file}: cannot read the tenancy policy file (${code})`);
  }
  const loaded = loadTenancyPolicy(text, file);
  if (!loaded.ok) throw new TenancySyncError(tenancyErrors.policyInvalid.code, `the tenancy policy is invalid:\n  ${loaded.problems.join('\n  ')}`);
  return loaded.policy;
}

async function dispatch(argv: string[], io: TenantsCommandIO): Promise<number> {
  const { values, positionals } = parse(argv);
  const command = positionals[0];
  if (values.help || command === undefined || command === 'help') {
    write(values.help || command === 'help' ? io.stdout : io.stderr, tenantsUsage);
    return values.help || command === 'help' ? 0 : 2;
  }
  if (positionals.length > 1) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[1])}`);
  const policyFile = values.tenancy ?? io.env.AGENT_INJECT_TENANCY_POLICY_FILE;
  switch (command) {
    case 'check': {
      const policy = await loadPolicyFile(policyFile, io);
      write(io.stdout, `tenancy policy ${policy.source} is valid: tenants ${policy.tenants.include.join(', ')}`
        + `${policy.tenants.exclude.length > 0 ? ` except ${policy.tenants.exclude.join(', ')}` : ''}; `
        + `${policy.defaults.roles.length} role patterns, ${policy.defaults.paths.length} path patterns, ${policy.defaults.locked.length} locked settings, `
        + `${Object.keys(policy.exceptions).length} exceptions`);
      return 0;
    }
    case 'show': {
      const policy = await loadPolicyFile(policyFile, io);
      const namespace = values.namespace;
      if (namespace === undefined || !isNamespaceName(namespace)) throw new UsageError('show needs --namespace NAME (a Kubernetes namespace name)');
      const rules = rulesForNamespace(policy, namespace);
      write(io.stdout, [
        `namespace ${namespace}: ${isTenantNamespace(policy, namespace) ? 'a tenant at admission' : 'not checked at admission (tenants.include/exclude)'}`,
        `roles: ${rules.roles.join(', ') || '(none)'}`,
        `locked settings: ${[...rules.locked].join(', ') || '(none)'}`,
        `policy ${policyNameFor(namespace)}:`,
        renderTenantPolicy(rules).trimEnd(),
        `role auth/${policy.vault.authMount}/role/${roleNameFor(namespace)}:`,
        JSON.stringify(desiredRoleSpec(policy, namespace), null, 2),
      ].join('\n'));
      return 0;
    }
    case 'admin-policy': {
      const mount = policyFile === undefined ? 'kubernetes' : (await loadPolicyFile(policyFile, io)).vault.authMount;
      write(io.stdout, adminPolicyHcl(mount));
      return 0;
    }
    case 'sync':
      return sync(values, policyFile, io);
    default:
      throw new UsageError(`unknown command ${JSON.stringify(command)}`);
  }
}

type Flags = ReturnType<typeof parse>['values'];

async function sync(values: Flags, policyFile: string | undefined, io: TenantsCommandIO): Promise<number> {
  const output = values.output ?? 'text';
  if (output !== 'text' && output !== 'json') throw new UsageError('--output must be text or json');
  const policy = await loadPolicyFile(policyFile, io);
  const address = values['vault-addr'] ?? io.env.VAULT_ADDR;
  if (address === undefined || address === '') throw new UsageError('no Vault address: give --vault-addr URL or set VAULT_ADDR');
  const role = values['vault-role'] ?? (io.env.VAULT_TOKEN ? undefined : io.env.AGENT_INJECT_TENANCY_VAULT_ROLE);
  let credentials: VaultCredentials;
  if (role !== undefined && role !== '') {
    credentials = {
      kind: 'kubernetes',
      role,
      mount: (values['vault-auth-path'] ?? 'kubernetes').replace(/^\/*(auth\/)?|\/+$/g, ''),
      jwtFile: resolve(io.cwd, values['jwt-file'] ?? defaultJwtFile),
    };
  } else if (io.env.VAULT_TOKEN) {
    credentials = { kind: 'token', token: io.env.VAULT_TOKEN };
  } else {
    throw new UsageError('no Vault credentials: set VAULT_TOKEN or give --vault-role ROLE (Kubernetes auth)');
  }
  const kubeconfigFile = values.kubeconfig ?? io.env.KUBECONFIG;
  let listNamespaces;
  try {
    listNamespaces = tenantNamespaceLister(loadKubeConfig(kubeconfigFile === undefined || kubeconfigFile === '' ? undefined : resolve(io.cwd, kubeconfigFile)));
  } catch {
    throw new TenancySyncError(tenancyErrors.syncKubernetesFailed.code, `cannot load the Kubernetes configuration${kubeconfigFile ? ` from ${kubeconfigFile}` : ' (in-cluster or ~/.kube/config)'}`);
  }
  const caCertFile = values['vault-ca-cert'] ?? io.env.VAULT_CACERT;
  let vault: TenancyVault | undefined;
  let result: SyncResult;
  try {
    vault = await connectVault({ address, credentials, ...(caCertFile ? { caCertFile: resolve(io.cwd, caCertFile) } : {}) });
    result = await runTenancySync({ policy, listNamespaces, vault, dryRun: values['dry-run'] === true });
  } finally {
    await vault?.close();
  }
  if (output === 'json') write(io.stdout, JSON.stringify(syncReport(result), null, 2));
  else write(io.stdout, syncText(result));
  for (const conflict of result.plan.conflicts) write(io.stderr, `conflict ${tenancyErrors.syncConflict.code}: ${conflict}`);
  return result.plan.conflicts.length > 0 ? 1 : 0;
}

function syncReport(result: SyncResult): unknown {
  return {
    dryRun: result.dryRun,
    changes: result.plan.changes.map((change) => ({ ...change, description: describeChange(change), applied: result.applied.includes(change) })),
    unchanged: result.plan.unchanged,
    warnings: result.plan.warnings,
    conflicts: result.plan.conflicts,
  };
}

function syncText(result: SyncResult): string {
  const lines: string[] = [];
  const { changes, unchanged, warnings } = result.plan;
  lines.push(result.dryRun
    ? `tenants sync --dry-run: ${changes.length} change${changes.length === 1 ? '' : 's'} would be made`
    : `tenants sync: ${result.applied.length} change${result.applied.length === 1 ? '' : 's'} made`);
  for (const change of changes) {
    lines.push(`${result.dryRun ? 'would ' : ''}${describeChange(change)}`);
    if (change.kind === 'write-policy') lines.push(...change.text.trimEnd().split('\n').map((line) => `    ${line}`));
  }
  if (unchanged.length > 0) lines.push(`unchanged: ${unchanged.join(', ')}`);
  for (const warning of warnings) lines.push(`warning: ${warning}`);
  return lines.join('\n');
}
