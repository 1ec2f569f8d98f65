// The agent's surroundings with a REAL OpenBao: the same shape as test/agent/harness.ts's Lab
// (role `app` bound to team-a/app-sa, KV v2 at secret/, KV v1 at kv/, the same policy), so the
// scenarios written for the double run unchanged against the real server. The service account
// token comes from the Kubernetes API double, whose TokenReview the real auth method calls.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { startKubernetesDouble, type KubernetesDouble } from '../doubles/kubernetes/index.ts';
import { NAMESPACE, ROLE, SERVICE_ACCOUNT, type AgentLab } from '../agent/harness.ts';
import { startOpenBao, type OpenBao } from './openbao.ts';
import { startPostgres, type Postgres } from './postgres.ts';
import { enableDatabase, enableKubernetesAuth, enableKv, enablePki, writeKubernetesRole, writePolicy, type DatabaseRoleOptions, type PkiOptions } from './setup.ts';

export const APP_POLICY = `
path "secret/data/app/*" { capabilities = ["read"] }
path "secret/metadata/app/*" { capabilities = ["list", "read"] }
path "kv/app/*" { capabilities = ["read"] }
path "database/creds/app" { capabilities = ["read"] }
path "pki/issue/web" { capabilities = ["create", "update"] }
`;

export interface RealLab extends AgentLab {
  bao: OpenBao;
  kube: KubernetesDouble;
  postgres: Postgres | undefined;
  /** Values a test knows to be secret (tokens read from sinks, secret data it wrote); the JWT is always in. */
  secrets: Set<string>;
}

export interface RealLabOptions {
  tls?: boolean;
  tokenTtl?: string;
  tokenMaxTtl?: string;
  /** Starts PostgreSQL and the database engine with these TTLs. */
  database?: DatabaseRoleOptions;
  pki?: PkiOptions;
}

export async function startRealLab(options: RealLabOptions = {}): Promise<RealLab> {
  const started: Array<{ stop(): Promise<void> }> = [];
  const dir = await mkdtemp(join(tmpdir(), 'openbao-lab-'));
  try {
    const bao = await startOpenBao({ tls: options.tls === true });
    started.push(bao);
    const kube = await startKubernetesDouble();
    started.push({ stop: () => kube.close() });
    const postgres = options.database !== undefined ? await startPostgres() : undefined;
    if (postgres !== undefined) started.push(postgres);

    await enableKv(bao, 'secret', 2);
    await enableKv(bao, 'kv', 1);
    await writePolicy(bao, 'app', APP_POLICY);
    await enableKubernetesAuth(bao, { url: kube.url, caPem: kube.caPem, token: kube.token });
    await writeKubernetesRole(bao, ROLE, {
      bound_service_account_names: [SERVICE_ACCOUNT],
      bound_service_account_namespaces: [NAMESPACE],
      token_policies: ['app'],
      ...(options.tokenTtl !== undefined ? { token_ttl: options.tokenTtl } : {}),
      ...(options.tokenMaxTtl !== undefined ? { token_max_ttl: options.tokenMaxTtl } : {}),
    });
    if (postgres !== undefined && options.database !== undefined) await enableDatabase(bao, postgres, options.database);
    if (options.pki !== undefined) await enablePki(bao, options.pki);

    const jwt = kube.issueServiceAccountToken({ namespace: NAMESPACE, name: SERVICE_ACCOUNT });
    const tokenFile = join(dir, 'sa-token');
    await writeFile(tokenFile, `${jwt}\n`);
    const caFile = join(dir, 'vault-ca.pem');
    if (bao.caCertPem !== undefined) await writeFile(caFile, bao.caCertPem);
    const lab: RealLab = {
      bao,
      kube,
      postgres,
      vaultAddress: bao.addr,
      ...(bao.caCertPem !== undefined ? { vaultStanza: { ca_cert: caFile } } : {}),
      dir,
      tokenFile,
      jwt,
      lines: [],
      agents: [],
      secrets: new Set([jwt]),
      async close() {
        await Promise.all(lab.agents.map((agent) => agent.stop('SIGKILL')));
        await stopAll(started);
        await rm(dir, { recursive: true, force: true });
      },
    };
    return lab;
  } catch (error) {
    await stopAll(started);
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

async function stopAll(started: Array<{ stop(): Promise<void> }>): Promise<void> {
  await Promise.allSettled(started.reverse().map((part) => part.stop()));
}

/** No line any agent of the lab printed holds a value the test knows to be secret. */
export function assertNoSecretLogged(lab: RealLab): void {
  assert.ok(lab.lines.length > 0, 'the agent logged something');
  for (const value of lab.secrets) {
    if (value.length < 4) continue;
    for (const line of lab.lines) {
      if (line.includes(value)) assert.fail(`a secret value appears in a log line: ${line.replace(value, '<<HERE>>').slice(0, 400)}`);
    }
  }
}

/** What OpenBao itself says of a token (auth/token/lookup as root), or the errors when it is not valid. */
export async function lookupToken(lab: RealLab, token: string): Promise<{ status: number; data: Record<string, unknown> | undefined; errors: string[] }> {
  const response = await lab.bao.request('POST', 'auth/token/lookup', { token });
  const body = (response.body ?? {}) as { data?: Record<string, unknown>; errors?: string[] };
  return { status: response.status, data: body.data, errors: body.errors ?? [] };
}

/** What OpenBao says of a lease (sys/leases/lookup as root). */
export async function lookupLease(lab: RealLab, leaseId: string): Promise<{ status: number; data: Record<string, unknown> | undefined; errors: string[] }> {
  const response = await lab.bao.request('PUT', 'sys/leases/lookup', { lease_id: leaseId });
  const body = (response.body ?? {}) as { data?: Record<string, unknown>; errors?: string[] };
  return { status: response.status, data: body.data, errors: body.errors ?? [] };
}
