// A faithful fake of Vault's HTTP API for the agent, tenancy and demo tests.
// Shapes, status codes and error bodies follow /work/shared/fixtures/vault-api (see README there).
import type { Clock } from './clock.ts';
import { DatabaseBackend, type DatabaseRoleSpec, type DatabaseStaticRoleSpec } from './database.ts';
import { FaultInjector, type FailureSpec } from './faults.ts';
import { EntityStore } from './identity.ts';
import { KubernetesAuthBackend, type KubernetesRoleSpec } from './kubernetes-auth.ts';
import { JwtAuthBackend, type JwtRoleSpec } from './jwt-auth.ts';
import { serviceAccountIssuer, serviceAccountSigningKeyPem } from './service-account-jwt.ts';
import { KvV1Backend } from './kv-v1.ts';
import { KvV2Backend } from './kv-v2.ts';
import { LeaseStore } from './leases.ts';
import { MountTable, type MountEntry } from './mounts.ts';
import { PkiBackend, type PkiRoleSpec } from './pki.ts';
import { PolicyStore } from './policies.ts';
import { parseObject, stringLeaves } from './raw-json.ts';
import type { Core } from './router.ts';
import { HttpShell, type RequestRecord } from './server.ts';
import { ServiceAccountIssuer, type ServiceAccountRef } from './service-account-jwt.ts';
import { newHealthState, SysBackend } from './sys.ts';
import { TokenAuthBackend } from './token-auth.ts';
import { sanitizePolicies, TokenStore } from './tokens.ts';
import { WrappingStore } from './wrapping.ts';

export type { KubernetesRoleSpec } from './kubernetes-auth.ts';
export type { JwtRoleSpec } from './jwt-auth.ts';
export type { DatabaseRoleSpec, DatabaseStaticRoleSpec } from './database.ts';
export type { PkiRoleSpec } from './pki.ts';
export type { FailureSpec } from './faults.ts';
export type { RequestRecord } from './server.ts';
export type { ServiceAccountRef } from './service-account-jwt.ts';

export interface VaultDoubleOptions {
  /** 0 or omitted = a free port. */
  port?: number;
  /** Milliseconds since the epoch; drives every TTL, expiry and timestamp. Default Date.now. */
  now?: () => number;
}

export interface VaultDouble {
  readonly address: string;
  readonly rootToken: string;
  close(): Promise<void>;
  stop(): Promise<void>;
  start(): Promise<void>;
  // seeding
  enableKubernetesAuth(mount?: string): void;
  writeKubernetesRole(mount: string, role: string, spec: KubernetesRoleSpec): void;
  /** A JWT auth method that trusts the double's service-account signing key (jwt_validation_pubkeys, bound_issuer). */
  enableJwtAuth(mount?: string): void;
  writeJwtRole(mount: string, role: string, spec: JwtRoleSpec): void;
  issueServiceAccountJwt(sa: ServiceAccountRef & { lifetimeSeconds?: number }): string;
  writePolicy(name: string, hcl: string): void;
  enableKv(mount: string, version: 1 | 2): void;
  putKv(mount: string, path: string, data: Record<string, unknown> | string): void;
  enableDatabase(mount?: string): void;
  writeDatabaseRole(mount: string, role: string, spec: DatabaseRoleSpec): void;
  enablePki(mount?: string): void;
  writePkiRole(mount: string, role: string, spec: PkiRoleSpec): void;
  // faults
  setLatency(ms: number): void;
  failRequests(spec: FailureSpec): void;
  revokeLease(leaseId: string): void;
  revokeToken(token: string): void;
  // observation
  readonly requests: ReadonlyArray<RequestRecord>;
  issuedValues(): string[];

  // Extensions beyond the first contract (additive):
  /** Stops every failure added with failRequests. */
  clearFailures(): void;
  /** Sealed: every request but sys/health answers 503 `Vault is sealed`; health reports sealed. */
  setSealed(sealed: boolean): void;
  /** Makes TokenReview reject a JWT issued earlier (the service account was deleted). */
  revokeServiceAccountJwt(jwt: string): void;
  /** A token with the given policies (`default` added), as auth/token/create would make. */
  createToken(spec: { policies: string[]; ttl?: number; maxTtl?: number }): string;
  /** The accessor of an auth mount (`auth_kubernetes_1a2b3c4d`), for templated policies. */
  authMountAccessor(mount?: string): string;
  /** The PEM of a PKI mount's CA (resolves once the CA key is generated). */
  pkiCaPem(mount?: string): Promise<string>;
  /** A static role served at <mount>/static-creds/<role>; the password rotates every rotation_period. */
  writeDatabaseStaticRole(mount: string, role: string, spec: DatabaseStaticRoleSpec): void;
}

export async function startVaultDouble(options: VaultDoubleOptions = {}): Promise<VaultDouble> {
  const now: Clock = options.now ?? Date.now;
  const issued = new Set<string>();
  const onIssued = (value: string): void => {
    if (value !== '') issued.add(value);
  };
  const tokens = new TokenStore(now, onIssued);
  const leases = new LeaseStore(now, (token) => token === undefined || tokens.isLiveId(token));
  const policies = new PolicyStore();
  const entities = new EntityStore();
  const mounts = new MountTable();
  const serviceAccounts = new ServiceAccountIssuer(now);
  const health = newHealthState();
  const wrapping = new WrappingStore(now, tokens);
  const core: Core = { now, tokens, policies, entities, mounts, health, wrapping };
  const faults = new FaultInjector();
  const shell = new HttpShell(core, faults);

  mounts.mount('sys', 'system', new SysBackend({ now, policies, leases, mounts, wrapping }), null, 'system endpoints used for control, policy and debugging');
  mounts.mount('auth/token', 'token', new TokenAuthBackend(tokens), null, 'token based credentials');
  const root = tokens.createRoot();

  const backendAt = <T>(mount: string, kind: abstract new (...args: never[]) => T, what: string): { entry: MountEntry; backend: T } => {
    const entry = mounts.get(mount);
    if (entry === undefined || !(entry.backend instanceof kind)) {
      throw new Error(`vault double: no ${what} mount at ${JSON.stringify(mount)} (enable it first)`);
    }
    return { entry, backend: entry.backend as T };
  };

  await shell.listen(options.port ?? 0);

  const double: VaultDouble = {
    get address() {
      return shell.address;
    },
    rootToken: root.id,
    close: () => shell.close(),
    stop: () => shell.stop(),
    start: () => shell.restart(),

    enableKubernetesAuth(mount = 'kubernetes') {
      const backend = new KubernetesAuthBackend({ now, tokens, entities, serviceAccounts });
      const entry = mounts.mount(`auth/${mount}`, 'kubernetes', backend);
      backend.mountPath = entry.path;
      backend.mountAccessor = entry.accessor;
    },
    writeKubernetesRole(mount, role, spec) {
      backendAt(`auth/${mount}`, KubernetesAuthBackend, 'kubernetes auth').backend.writeRole(role, spec);
    },
    enableJwtAuth(mount = 'jwt') {
      const backend = new JwtAuthBackend({ now, tokens, entities });
      const entry = mounts.mount(`auth/${mount}`, 'jwt', backend);
      backend.mountPath = entry.path;
      backend.mountAccessor = entry.accessor;
      backend.writeConfig({ jwt_validation_pubkeys: [serviceAccountSigningKeyPem()], bound_issuer: serviceAccountIssuer });
    },
    writeJwtRole(mount, role, spec) {
      backendAt(`auth/${mount}`, JwtAuthBackend, 'jwt auth').backend.writeRole(role, spec);
    },
    issueServiceAccountJwt(sa) {
      const jwt = serviceAccounts.issue(sa, sa.lifetimeSeconds);
      onIssued(jwt);
      return jwt;
    },
    writePolicy(name, hcl) {
      const result = policies.write(name, hcl);
      if (!result.ok) throw new Error(`writePolicy(${JSON.stringify(name)}): ${result.error}`);
    },
    enableKv(mount, version) {
      const deps = { now, onIssued };
      if (version === 2) mounts.mount(mount, 'kv', new KvV2Backend(deps), { version: '2' }, 'key/value secret storage');
      else mounts.mount(mount, 'kv', new KvV1Backend(deps), { version: '1' }, 'key/value secret storage');
    },
    putKv(mount, path, data) {
      const text = typeof data === 'string' ? data : JSON.stringify(data);
      const entry = mounts.get(mount);
      const backend = entry?.backend;
      if (!(backend instanceof KvV1Backend) && !(backend instanceof KvV2Backend)) {
        throw new Error(`putKv: no kv mount at ${JSON.stringify(mount)} (enableKv first)`);
      }
      const error = backend.put(path, text);
      if (error !== undefined) throw new Error(`putKv(${JSON.stringify(mount)}, ${JSON.stringify(path)}): ${error}`);
      for (const value of stringLeaves(parseObject(text))) onIssued(value);
    },
    enableDatabase(mount = 'database') {
      const backend = new DatabaseBackend({ now, leases, onIssued });
      const entry = mounts.mount(mount, 'database', backend);
      backend.mountPath = entry.path;
    },
    writeDatabaseRole(mount, role, spec) {
      backendAt(mount, DatabaseBackend, 'database').backend.writeRole(role, spec);
    },
    enablePki(mount = 'pki') {
      mounts.mount(mount, 'pki', new PkiBackend({ now, leases, onIssued }, `${mount} double CA`));
    },
    writePkiRole(mount, role, spec) {
      backendAt(mount, PkiBackend, 'pki').backend.writeRole(role, spec);
    },

    setLatency(ms) {
      shell.latencyMs = Math.max(0, ms);
    },
    failRequests(spec) {
      faults.add(spec);
    },
    revokeLease(leaseId) {
      leases.revoke(leaseId);
    },
    revokeToken(token) {
      tokens.revoke(token);
    },
    get requests() {
      return shell.requests;
    },
    issuedValues() {
      return [...issued];
    },

    clearFailures() {
      faults.clear();
    },
    setSealed(sealed) {
      health.sealed = sealed;
    },
    revokeServiceAccountJwt(jwt) {
      serviceAccounts.revoke(jwt);
    },
    createToken(spec) {
      const { entry } = tokens.create({
        policies: sanitizePolicies(spec.policies, true), displayName: 'token', path: 'auth/token/create',
        ttl: spec.ttl ?? 0, maxTtl: spec.maxTtl ?? 0, renewable: true, orphan: false,
      });
      return entry.id;
    },
    authMountAccessor(mount = 'kubernetes') {
      const entry = mounts.get(`auth/${mount}`);
      if (entry === undefined) throw new Error(`authMountAccessor: no auth mount at ${JSON.stringify(mount)}`);
      return entry.accessor;
    },
    pkiCaPem(mount = 'pki') {
      return backendAt(mount, PkiBackend, 'pki').backend.caPem();
    },
    writeDatabaseStaticRole(mount, role, spec) {
      backendAt(mount, DatabaseBackend, 'database').backend.writeStaticRole(role, spec);
    },
  };
  return double;
}
