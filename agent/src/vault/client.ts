// The agent's Vault client: node-vault over our transport, with every answer and failure turned
// into plain data (VaultAnswer / VaultFailure) so the rest of the agent never sees an exception
// from a library. Paths are given without the leading `/v1/`.
import NodeVault from 'node-vault';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { agentError, describeNetworkError } from '../errors.ts';
import { fileErrorReason } from '../config/load.ts';
import type { ConnectionPolicy, TlsSettings } from '../config/settings.ts';
import { describeProxy } from '../config/environment.ts';
import { createTransport, type Transport, type TransportTls } from './transport.ts';

export interface VaultAnswer {
  status: number;
  /** The exact response text ('' for 204). */
  rawText: string;
  body: unknown;
}

/** A failed request: an HTTP error status with Vault's `errors`, or no answer at all (status 0). */
export class VaultFailure extends Error {
  readonly status: number;
  readonly vaultErrors: string[];
  readonly rawText: string;
  readonly body: unknown;
  readonly networkReason: string | undefined;
  constructor(init: { status: number; vaultErrors?: string[]; rawText?: string; body?: unknown; networkReason?: string }) {
    super(init.status === 0 ? (init.networkReason ?? 'network error') : `Vault answered ${init.status}`);
    this.name = 'VaultFailure';
    this.status = init.status;
    this.vaultErrors = init.vaultErrors ?? [];
    this.rawText = init.rawText ?? '';
    this.body = init.body;
    this.networkReason = init.networkReason;
  }
  get unreachable(): boolean {
    return this.status === 0;
  }
}

export interface LoginAnswer {
  token: string;
  accessor: string;
  leaseDurationSeconds: number;
  renewable: boolean;
  policies: string[];
}

export interface LeaseAnswer {
  leaseDurationSeconds: number;
  renewable: boolean;
}

export interface MountInfo {
  /** The mount's path with a trailing slash, e.g. `secret/`, relative to the client's namespace
   *  (Vault names a mount in a child namespace with the full namespace path). */
  path: string;
  type: string;
  version: string | undefined;
}

export interface VaultClient {
  readonly address: string;
  setToken(token: string | undefined): void;
  login(loginPath: string, role: string, jwt: string): Promise<LoginAnswer>;
  renewSelf(): Promise<LeaseAnswer>;
  revokeSelf(): Promise<void>;
  lookupSelf(): Promise<VaultAnswer>;
  read(path: string): Promise<VaultAnswer>;
  write(path: string, data: Readonly<Record<string, unknown>>): Promise<VaultAnswer>;
  list(path: string): Promise<VaultAnswer>;
  renewLease(leaseId: string): Promise<LeaseAnswer>;
  mountInfo(path: string): Promise<MountInfo | undefined>;
  close(): void;
}

export interface ClientOptions {
  address: string;
  namespace: string | undefined;
  tls: TlsSettings;
  /** PEM certificates trusted besides the TLS files (VAULT_CACERT_BYTES). */
  caCertificates?: readonly string[];
  /** Whole-request timeout; 0: none. */
  timeoutMs?: number;
  maxConnections?: number;
  /** Extra attempts per request (VAULT_MAX_RETRIES). */
  maxRetries?: number;
  proxy?: URL;
  /** Connection switches of the login/renew client and of the secrets client (Vault Agent's
   *  auto-auth and templating clients). Both keep connections by default. */
  connections?: { autoAuth: ConnectionPolicy; templating: ConnectionPolicy };
  signal?: AbortSignal;
}

/** Reads the TLS files named in the config; a missing file is a config error naming the field. */
export function loadTls(tls: TlsSettings, extraCaCertificates: readonly string[] = []): TransportTls {
  const read = (field: string, file: string): string => {
    try {
      return readFileSync(file, 'utf8');
    } catch (error) {
      throw agentError('AGENT_CONFIG_FILE', { field, file, reason: fileErrorReason(error) });
    }
  };
  const cas: string[] = [];
  if (tls.caCertFile !== undefined) cas.push(read('vault.ca_cert', tls.caCertFile));
  if (tls.caPath !== undefined) {
    let names: string[];
    try {
      names = readdirSync(tls.caPath);
    } catch (error) {
      throw agentError('AGENT_CONFIG_FILE', { field: 'vault.ca_path', file: tls.caPath, reason: fileErrorReason(error) });
    }
    for (const name of names.sort()) if (/\.(pem|crt)$/.test(name)) cas.push(read('vault.ca_path', join(tls.caPath, name)));
  }
  // Vault's client takes VAULT_CACERT_BYTES instead of the files; ours trusts both, so a pod's own
  // ca-cert keeps working when the platform team adds the injector-wide CA.
  cas.push(...extraCaCertificates);
  return {
    rejectUnauthorized: !tls.skipVerify,
    ...(cas.length > 0 ? { ca: cas } : {}),
    ...(tls.clientCertFile !== undefined ? { cert: read('vault.client_cert', tls.clientCertFile) } : {}),
    ...(tls.clientKeyFile !== undefined ? { key: read('vault.client_key', tls.clientKeyFile) } : {}),
    ...(tls.serverName !== undefined ? { servername: tls.serverName } : {}),
  };
}

interface NodeVaultClient {
  token: string | undefined;
  read(path: string): Promise<unknown>;
  write(path: string, data: unknown): Promise<unknown>;
  list(path: string): Promise<unknown>;
  kubernetesLogin(options: { role: string; jwt: string; mount_point: string }): Promise<unknown>;
  tokenRenewSelf(options?: Record<string, unknown>): Promise<unknown>;
  tokenRevokeSelf(options?: Record<string, unknown>): Promise<unknown>;
  tokenLookupSelf(options?: Record<string, unknown>): Promise<unknown>;
  renew(options: { lease_id: string }): Promise<unknown>;
}

export function createVaultClient(options: ClientOptions): VaultClient {
  const tls = loadTls(options.tls, options.caCertificates);
  const transportFor = (policy: ConnectionPolicy | undefined): Transport => createTransport({
    tls,
    timeoutMs: options.timeoutMs ?? 60_000,
    maxSockets: options.maxConnections ?? 10,
    ...(policy !== undefined ? { policy } : {}),
    ...(options.proxy !== undefined ? { proxy: options.proxy } : {}),
    ...(options.maxRetries !== undefined ? { maxRetries: options.maxRetries } : {}),
    ...(options.signal !== undefined ? { signal: options.signal } : {}),
  });
  const samePolicy = options.connections === undefined
    || (options.connections.autoAuth.idleConnections === options.connections.templating.idleConnections
      && options.connections.autoAuth.keepAlives === options.connections.templating.keepAlives);
  const transport = transportFor(options.connections?.templating);
  // A second pool only when auto-auth's connection switches differ from templating's.
  const authTransport = samePolicy ? transport : transportFor(options.connections?.autoAuth);
  const nodeVault = (through: Transport): NodeVaultClient => {
    const instance = NodeVault({
      endpoint: options.address,
      apiVersion: 'v1',
      'request-promise': through.requestPromise,
      ...(options.namespace !== undefined ? { namespace: options.namespace } : {}),
      // node-vault falls back to VAULT_TOKEN and VAULT_NAMESPACE from the environment; the agent's
      // token comes only from its own login.
      token: '',
    }) as unknown as NodeVaultClient;
    instance.token = undefined;
    return instance;
  };
  const vault = nodeVault(transport);
  const authVault = samePolicy ? vault : nodeVault(authTransport);
  const rawTextOf = (body: unknown): string | undefined => transport.rawTextOf(body) ?? authTransport.rawTextOf(body);

  const answer = (body: unknown): VaultAnswer => ({ status: body === undefined ? 204 : 200, rawText: rawTextOf(body) ?? '', body });

  async function call(run: () => Promise<unknown>): Promise<VaultAnswer> {
    try {
      return answer(await run());
    } catch (error) {
      const failure = toFailure(error, rawTextOf);
      // Through a proxy, "connection refused" may be the proxy's: say which way the agent went.
      if (failure.unreachable && options.proxy !== undefined) throw new VaultFailure({ status: 0, networkReason: `${failure.networkReason ?? 'network error'} (through the proxy ${describeProxy(options.proxy)})` });
      throw failure;
    }
  }
  const setToken = (token: string | undefined): void => {
    vault.token = token;
    authVault.token = token;
  };

  return {
    address: options.address,
    setToken,
    async login(loginPath, role, jwt) {
      const mountPoint = loginPath.replace(/^auth\//, '').replace(/\/login$/, '');
      const result = loginPath.startsWith('auth/')
        ? await call(() => authVault.kubernetesLogin({ role, jwt, mount_point: mountPoint }))
        : await call(() => authVault.write(loginPath, { role, jwt }));
      const auth = objectField(result.body, 'auth');
      const token = stringField(auth, 'client_token');
      if (token === undefined || token === '') throw new VaultFailure({ status: 500, vaultErrors: ['login answer has no auth.client_token'] });
      setToken(token);
      return {
        token,
        accessor: stringField(auth, 'accessor') ?? '',
        leaseDurationSeconds: numberField(auth, 'lease_duration') ?? 0,
        renewable: auth?.['renewable'] === true,
        policies: Array.isArray(auth?.['policies']) ? (auth['policies'] as unknown[]).map(String) : [],
      };
    },
    async renewSelf() {
      // Vault's Go client sends {"increment": 0}: the server's default TTL.
      const result = await call(() => authVault.tokenRenewSelf({ increment: 0 }));
      const auth = objectField(result.body, 'auth');
      return { leaseDurationSeconds: numberField(auth, 'lease_duration') ?? 0, renewable: auth?.['renewable'] === true };
    },
    async revokeSelf() {
      await call(() => authVault.tokenRevokeSelf());
    },
    lookupSelf: () => call(() => vault.tokenLookupSelf()),
    read: (path) => call(() => vault.read(path)),
    write: (path, data) => call(() => vault.write(path, data)),
    list: (path) => call(() => vault.list(path)),
    async renewLease(leaseId) {
      const result = await call(() => vault.renew({ lease_id: leaseId }));
      const body = typeof result.body === 'object' && result.body !== null ? (result.body as Record<string, unknown>) : undefined;
      return { leaseDurationSeconds: numberField(body, 'lease_duration') ?? 0, renewable: body?.['renewable'] === true };
    },
    async mountInfo(path) {
      const result = await call(() => vault.read(`sys/internal/ui/mounts/${path}`));
      const data = objectField(result.body, 'data') ?? (typeof result.body === 'object' ? (result.body as Record<string, unknown>) : undefined);
      const mountPath = stringField(data, 'path');
      if (mountPath === undefined) return undefined;
      const mountOptions = objectField(data, 'options');
      const version = mountOptions?.['version'];
      return { path: relativeToNamespace(mountPath, options.namespace), type: stringField(data, 'type') ?? '', version: version === undefined || version === null ? undefined : String(version) };
    },
    close: () => {
      transport.close();
      if (authTransport !== transport) authTransport.close();
    },
  };
}

/** A mount path as the templates of a client in `namespace` spell it: asked from namespace
 *  `tenants` about `team-a/secret/x`, Vault answers `tenants/team-a/secret/`; consul-template
 *  strips the client's namespace from it before inserting `data/` (shimKVv2Path), and so do we. */
export function relativeToNamespace(mountPath: string, namespace: string | undefined): string {
  const prefix = (namespace ?? '').replace(/^\/+|\/+$/g, '');
  if (prefix === '') return mountPath;
  return mountPath.startsWith(`${prefix}/`) ? mountPath.slice(prefix.length + 1) : mountPath;
}

function toFailure(error: unknown, rawTextOf: (body: unknown) => string | undefined): VaultFailure {
  if (error instanceof VaultFailure) return error;
  const response = typeof error === 'object' && error !== null && 'response' in error ? (error as { response: { statusCode?: unknown; body?: unknown } }).response : undefined;
  if (response !== undefined && typeof response.statusCode === 'number') {
    const body = response.body;
    const errors = objectArray(body, 'errors');
    return new VaultFailure({ status: response.statusCode, vaultErrors: errors, rawText: rawTextOf(body) ?? '', body });
  }
  if (typeof error === 'object' && error !== null && 'name' in error && (error as { name: unknown }).name === 'AbortError') {
    return new VaultFailure({ status: 0, networkReason: 'request aborted (shutting down)' });
  }
  // node-vault's own schema check (tv4) of our arguments, or a transport error.
  if (typeof error === 'object' && error !== null && 'code' in error) return new VaultFailure({ status: 0, networkReason: describeNetworkError(error) });
  return new VaultFailure({ status: 0, networkReason: 'request failed' });
}

function objectField(value: unknown, key: string): Record<string, unknown> | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const field = (value as Record<string, unknown>)[key];
  return typeof field === 'object' && field !== null && !Array.isArray(field) ? (field as Record<string, unknown>) : undefined;
}

function stringField(value: Record<string, unknown> | undefined, key: string): string | undefined {
  const field = value?.[key];
  return typeof field === 'string' ? field : undefined;
}

function numberField(value: Record<string, unknown> | undefined, key: string): number | undefined {
  const field = value?.[key];
  if (typeof field === 'number') return field;
  if (typeof field === 'string' && /^\d+$/.test(field)) return Number(field);
  return undefined;
}

function objectArray(value: unknown, key: string): string[] {
  if (typeof value !== 'object' || value === null) return [];
  const field = (value as Record<string, unknown>)[key];
  return Array.isArray(field) ? field.map(String) : [];
}
