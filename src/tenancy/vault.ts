/** The I/O shell between `tenants sync` and Vault, through node-vault. Errors become TenancySyncError. */
import { readFile } from 'node:fs/promises';
import nodeVault from 'node-vault';
import type { ObservedRole, TenantRoleSpec } from './plan.ts';
import { tenancyErrors } from './errors.ts';

export class TenancySyncError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
    this.name = 'TenancySyncError';
  }
}

/** What sync needs from Vault; the real one is node-vault, tests may use the Vault double through it too. */
export interface TenancyVault {
  listPolicies(): Promise<string[]>;
  readPolicy(name: string): Promise<string | undefined>;
  writePolicy(name: string, text: string): Promise<void>;
  deletePolicy(name: string): Promise<void>;
  readRole(mount: string, name: string): Promise<ObservedRole | undefined>;
  writeRole(mount: string, name: string, spec: TenantRoleSpec): Promise<void>;
  deleteRole(mount: string, name: string): Promise<void>;
  /** Give the token back when sync logged in itself (best effort). */
  close(): Promise<void>;
}

export type VaultCredentials =
  | { kind: 'token'; token: string }
  /** The injector's own Kubernetes-auth login: its service account JWT, read fresh on every connect. */
  | { kind: 'kubernetes'; mount: string; role: string; jwtFile: string };

export interface VaultConnection { address: string; credentials: VaultCredentials; caCertFile?: string }

interface VaultResponseError { response?: { statusCode?: number; body?: { errors?: unknown } }; code?: string; message?: string }

function statusOf(error: unknown): number | undefined {
  return (error as VaultResponseError | undefined)?.response?.statusCode;
}

/** Never the error object itself: axios errors carry the request headers, X-Vault-Token included. */
function syncError(error: unknown, address: string, what: string): TenancySyncError {
  const status = statusOf(error);
  if (status !== undefined) {
    const errors = (error as VaultResponseError).response?.body?.errors;
    const first = Array.isArray(errors) && typeof errors[0] === 'string' ? errors[0].replace(/\s+/g, ' ').trim() : '';
    return new TenancySyncError(tenancyErrors.syncVaultRefused.code, `Vault at ${address} refused to ${what}: HTTP ${status}${first ? ` ${JSON.stringify(first)}` : ''}`);
  }
  const code = (error as VaultResponseError | undefined)?.code;
  return new TenancySyncError(tenancyErrors.syncVaultUnreachable.code, `cannot reach Vault at ${address} to ${what}${typeof code === 'string' ? `: ${code}` : ''}`);
}

type NodeVaultClient = ReturnType<typeof nodeVault>;

export async function connectVault(connection: VaultConnection): Promise<TenancyVault> {
  const address = connection.address.replace(/\/+$/, '');
  const ca = connection.caCertFile === undefined ? undefined : await readFile(connection.caCertFile, 'utf8');
  const client: NodeVaultClient = nodeVault({
    apiVersion: 'v1',
    endpoint: address,
    ...(connection.credentials.kind === 'token' ? { token: connection.credentials.token } : {}),
    ...(ca === undefined ? {} : { requestOptions: { ca } }),
  });
  // node-vault falls back to VAULT_TOKEN from the process environment; only the credentials given count.
  if (connection.credentials.kind === 'kubernetes') {
    client.token = '';
    const { mount, role, jwtFile } = connection.credentials;
    let jwt: string;
    try {
      jwt = (await readFile(jwtFile, 'utf8')).trim();
    } catch {
      throw new TenancySyncError(tenancyErrors.syncVaultRefused.code, `cannot read the service account token file ${jwtFile} for the Vault login`);
    }
    if (jwt === '') throw new TenancySyncError(tenancyErrors.syncVaultRefused.code, `the service account token file ${jwtFile} is empty; cannot log in to Vault`);
    try {
      await client.kubernetesLogin({ role, jwt, mount_point: mount });
    } catch (error) {
      throw syncError(error, address, `log in with Kubernetes auth (auth/${mount}, role ${JSON.stringify(role)})`);
    }
  }
  const loggedIn = connection.credentials.kind === 'kubernetes';

  const call = async <T>(what: string, run: () => Promise<T>, notFound?: T): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      if (notFound !== undefined && statusOf(error) === 404) return notFound;
      throw syncError(error, address, what);
    }
  };
  const absent = Symbol('absent');

  return {
    async listPolicies() {
      const body = await call('list ACL policies', () => client.list('sys/policies/acl'), { data: { keys: [] } });
      const keys: unknown = body?.data?.keys;
      return Array.isArray(keys) ? keys.filter((key): key is string => typeof key === 'string') : [];
    },
    async readPolicy(name) {
      const body = await call(`read policy ${name}`, () => client.read(`sys/policies/acl/${name}`), absent);
      if (body === absent) return undefined;
      const text: unknown = body?.data?.policy ?? body?.policy;
      return typeof text === 'string' ? text : undefined;
    },
    async writePolicy(name, text) {
      await call(`write policy ${name}`, () => client.write(`sys/policies/acl/${name}`, { policy: text }));
    },
    async deletePolicy(name) {
      await call(`delete policy ${name}`, () => client.delete(`sys/policies/acl/${name}`), null);
    },
    async readRole(mount, name) {
      const body = await call(`read role auth/${mount}/role/${name}`, () => client.read(`auth/${mount}/role/${name}`), absent);
      if (body === absent) return undefined;
      const data: unknown = body?.data;
      return data !== null && typeof data === 'object' ? (data as ObservedRole) : undefined;
    },
    async writeRole(mount, name, spec) {
      await call(`write role auth/${mount}/role/${name}`, () => client.write(`auth/${mount}/role/${name}`, spec));
    },
    async deleteRole(mount, name) {
      await call(`delete role auth/${mount}/role/${name}`, () => client.delete(`auth/${mount}/role/${name}`), null);
    },
    async close() {
      if (!loggedIn) return;
      try {
        await client.write('auth/token/revoke-self', {});
      } catch {
        // The token expires on its own; a failed revoke is not worth failing a sync for.
      }
    },
  };
}
