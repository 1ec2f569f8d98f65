// Configures a started OpenBao through its HTTP API, the way a platform team would: secrets
// engines, policies, the Kubernetes auth method against a TokenReview endpoint, the database
// engine against PostgreSQL, PKI. Each helper takes an optional Vault namespace.
import type { OpenBao } from './openbao.ts';
import type { Postgres } from './postgres.ts';

export interface InNamespace {
  namespace?: string;
}

const scoped = (options: InNamespace): { namespace?: string } => (options.namespace !== undefined ? { namespace: options.namespace } : {});

/** Mounts KV at `path` (replacing what dev mode put there, e.g. its own `secret/`). */
export async function enableKv(bao: OpenBao, path: string, version: 1 | 2, options: InNamespace = {}): Promise<void> {
  const mounts = await bao.call('GET', 'sys/mounts', undefined, scoped(options));
  if (typeof mounts.body === 'object' && mounts.body !== null && `${path}/` in mounts.body) await bao.call('DELETE', `sys/mounts/${path}`, undefined, scoped(options));
  await bao.call('POST', `sys/mounts/${path}`, { type: 'kv', options: { version: String(version) } }, scoped(options));
  if (version === 2) {
    // A new KV v2 mount upgrades in the background; writes fail until it is done.
    const deadline = Date.now() + 10_000;
    for (;;) {
      const probe = await bao.request('GET', `${path}/config`, undefined, scoped(options));
      if (probe.status === 200) break;
      if (Date.now() > deadline) throw new Error(`KV v2 at ${path}/ did not finish its upgrade: ${JSON.stringify(probe.body)}`);
      await new Promise((resolveWait) => setTimeout(resolveWait, 100));
    }
  }
}

export async function writeKv(bao: OpenBao, mount: string, version: 1 | 2, key: string, data: Record<string, unknown>, options: InNamespace = {}): Promise<Record<string, unknown>> {
  const response = version === 2
    ? await bao.call('POST', `${mount}/data/${key}`, { data }, scoped(options))
    : await bao.call('POST', `${mount}/${key}`, data, scoped(options));
  return (response.body as { data?: Record<string, unknown> } | undefined)?.data ?? {};
}

export async function writePolicy(bao: OpenBao, name: string, hcl: string, options: InNamespace = {}): Promise<void> {
  await bao.call('PUT', `sys/policies/acl/${name}`, { policy: hcl }, scoped(options));
}

export interface TokenReviewer {
  /** https URL of the Kubernetes API (or its double) that answers TokenReviews. */
  url: string;
  caPem: string;
  /** Bearer token OpenBao presents to create TokenReviews. */
  token: string;
}

export async function enableKubernetesAuth(bao: OpenBao, reviewer: TokenReviewer, options: InNamespace & { path?: string } = {}): Promise<void> {
  const path = options.path ?? 'kubernetes';
  await bao.call('POST', `sys/auth/${path}`, { type: 'kubernetes' }, scoped(options));
  await bao.call('POST', `auth/${path}/config`, {
    kubernetes_host: reviewer.url,
    kubernetes_ca_cert: reviewer.caPem,
    token_reviewer_jwt: reviewer.token,
    // OpenBao does not run in a pod here: no local service account token or CA to fall back to.
    disable_local_ca_jwt: true,
  }, scoped(options));
}

export interface KubernetesRole {
  bound_service_account_names: string[];
  bound_service_account_namespaces: string[];
  token_policies: string[];
  token_ttl?: string | number;
  token_max_ttl?: string | number;
  audience?: string;
}

export async function writeKubernetesRole(bao: OpenBao, name: string, role: KubernetesRole, options: InNamespace & { path?: string } = {}): Promise<void> {
  await bao.call('POST', `auth/${options.path ?? 'kubernetes'}/role/${name}`, role, scoped(options));
}

export interface DatabaseRoleOptions {
  role?: string;
  defaultTtl: string;
  maxTtl: string;
}

/** The database engine at `database/` with a connection `pg` and a dynamic role (default `app`)
 *  whose users can log in and expire with their lease, as the PostgreSQL plugin's docs set it up. */
export async function enableDatabase(bao: OpenBao, postgres: Postgres, options: DatabaseRoleOptions): Promise<void> {
  await bao.call('POST', 'sys/mounts/database', { type: 'database' });
  await bao.call('POST', 'database/config/pg', {
    plugin_name: 'postgresql-database-plugin',
    connection_url: `postgresql://{{username}}:{{password}}@127.0.0.1:${postgres.port}/postgres?sslmode=disable`,
    username: postgres.superuser,
    password: postgres.password,
    allowed_roles: '*',
    verify_connection: true,
  });
  await bao.call('POST', `database/roles/${options.role ?? 'app'}`, {
    db_name: 'pg',
    creation_statements: [`CREATE ROLE "{{name}}" WITH LOGIN PASSWORD '{{password}}' VALID UNTIL '{{expiration}}';`],
    revocation_statements: [`DROP ROLE IF EXISTS "{{name}}";`],
    default_ttl: options.defaultTtl,
    max_ttl: options.maxTtl,
  });
}

export interface PkiOptions {
  role?: string;
  ttl: string;
  maxTtl: string;
}

/** A PKI mount at `pki/` with an internal root and a role (default `web`) for *.example.com. */
export async function enablePki(bao: OpenBao, options: PkiOptions): Promise<void> {
  await bao.call('POST', 'sys/mounts/pki', { type: 'pki', config: { max_lease_ttl: '87600h' } });
  await bao.call('POST', 'pki/root/generate/internal', { common_name: 'vault-injector test root', ttl: '87600h', key_type: 'ec', key_bits: 256 });
  await bao.call('POST', `pki/roles/${options.role ?? 'web'}`, {
    allowed_domains: 'example.com',
    allow_subdomains: true,
    key_type: 'ec',
    key_bits: 256,
    ttl: options.ttl,
    max_ttl: options.maxTtl,
  });
}

export async function createNamespace(bao: OpenBao, name: string, options: InNamespace = {}): Promise<void> {
  await bao.call('POST', `sys/namespaces/${name}`, {}, scoped(options));
}
