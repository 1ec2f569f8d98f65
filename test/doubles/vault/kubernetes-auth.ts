// The Kubernetes auth method (README §2): role CRUD and login with the exact validation order of
// vault-plugin-auth-kubernetes' pathLogin; TokenReview is answered by the double's JWT registry.
import type { Clock } from './clock.ts';
import { parseDurationSeconds } from './clock.ts';
import type { EntityStore } from './identity.ts';
import type { Backend, RequestContext } from './mounts.ts';
import { readServiceAccountJwt, type ServiceAccountIssuer } from './service-account-jwt.ts';
import { sanitizePolicies, type TokenStore } from './tokens.ts';
import { badRequest, errorReply, listReply, noContent, ok, stringField, stringList, unsupportedOperation, roleOperation, type Reply, type VaultRequest } from './wire.ts';

export interface KubernetesRoleSpec {
  bound_service_account_names: string[];
  bound_service_account_namespaces: string[];
  token_policies?: string[];
  token_ttl?: number;
  token_max_ttl?: number;
  audience?: string;
  alias_name_source?: 'serviceaccount_uid' | 'serviceaccount_name';
  token_no_default_policy?: boolean;
}

interface StoredRole {
  boundNames: string[];
  boundNamespaces: string[];
  audience: string;
  aliasNameSource: 'serviceaccount_uid' | 'serviceaccount_name';
  tokenPolicies: string[];
  tokenTtl: number;
  tokenMaxTtl: number;
  tokenNoDefaultPolicy: boolean;
  /** Legacy field names the role was written with (read back only when set). */
  legacy: Record<string, unknown>;
}

export interface KubernetesDeps {
  now: Clock;
  tokens: TokenStore;
  entities: EntityStore;
  serviceAccounts: ServiceAccountIssuer;
}

export class KubernetesAuthBackend implements Backend {
  private readonly roles = new Map<string, StoredRole>();
  private config: Record<string, unknown> = {};
  /** Set by the mount table owner once mounted (accessor and path go into tokens and aliases). */
  mountPath = 'auth/kubernetes/';
  mountAccessor = '';

  constructor(private readonly deps: KubernetesDeps) {}

  unauthenticated(subpath: string): boolean {
    return subpath === 'login';
  }

  exists(subpath: string): boolean | undefined {
    const match = /^role\/(.+)$/.exec(subpath);
    if (match !== null) return this.roles.has(match[1] ?? '');
    return subpath === 'config' ? Object.keys(this.config).length > 0 : undefined;
  }

  /** Seeding form; throws on invalid input with Vault's validation message. */
  writeRole(name: string, spec: KubernetesRoleSpec): void {
    const result = this.applyRole(name, { ...spec } as Record<string, unknown>);
    if (typeof result === 'string') throw new Error(`writeKubernetesRole(${JSON.stringify(name)}): ${result}`);
  }

  handle(request: VaultRequest, context: RequestContext): Reply {
    const subpath = context.subpath;
    if (subpath === 'login') {
      if (request.operation !== 'create' && request.operation !== 'update') return unsupportedOperation();
      return this.login(request);
    }
    if (subpath === 'role' || subpath === 'role/') {
      return request.operation === 'list' ? listReply([...this.roles.keys()].sort(), 'kubernetes') : unsupportedOperation();
    }
    if (subpath === 'config') return this.configOp(request);
    const roleMatch = /^role\/([^/]+)$/.exec(subpath);
    if (roleMatch !== null) return this.roleOp(request, roleMatch[1] ?? '');
    return errorReply(404, `unsupported path`);
  }

  private configOp(request: VaultRequest): Reply {
    if (request.operation === 'read') {
      const { token_reviewer_jwt: reviewer, ...visible } = this.config;
      return ok({ data: { ...visible, token_reviewer_jwt_set: reviewer !== undefined && reviewer !== '' }, mountType: 'kubernetes' });
    }
    if (request.operation === 'create' || request.operation === 'update') {
      if (stringField(request.body, 'kubernetes_host') === undefined && this.config['kubernetes_host'] === undefined) return badRequest('no host provided');
      this.config = { ...this.config, ...request.body };
      return noContent();
    }
    return unsupportedOperation();
  }

  private roleOp(request: VaultRequest, name: string): Reply {
    return roleOperation(request, this.roles, name, { apply: (roleName, body) => this.applyRole(roleName, body), data: roleData, mountType: 'kubernetes' });
  }

  /** Creates or updates a role from request fields; returns Vault's error text when invalid. */
  private applyRole(name: string, body: Record<string, unknown>): StoredRole | string {
    const existing = this.roles.get(name);
    const legacy: Record<string, unknown> = { ...(existing?.legacy ?? {}) };
    const names = stringList(body['bound_service_account_names']) ?? existing?.boundNames ?? [];
    const namespaces = stringList(body['bound_service_account_namespaces']) ?? existing?.boundNamespaces ?? [];
    if (names.length === 0) return '"bound_service_account_names" can not be empty';
    if (names.length > 1 && names.includes('*')) return 'can not mix "*" with values';
    if (namespaces.length === 0) return '"bound_service_account_namespaces" can not be empty if "bound_service_account_namespace_selector" is not set';
    if (namespaces.length > 1 && namespaces.includes('*')) return 'can not mix "*" with values';
    const policiesField = body['token_policies'] ?? body['policies'];
    if (body['policies'] !== undefined && body['token_policies'] === undefined) legacy['policies'] = stringList(body['policies']);
    const duration = (field: string, legacyField: string, fallback: number): number | string => {
      const raw = body[field] ?? body[legacyField];
      if (body[legacyField] !== undefined && body[field] === undefined) legacy[legacyField] = parseDurationSeconds(body[legacyField]);
      if (raw === undefined) return fallback;
      const seconds = parseDurationSeconds(raw);
      return seconds === undefined || seconds < 0 ? `invalid ${field}: ${JSON.stringify(raw)}` : seconds;
    };
    const tokenTtl = duration('token_ttl', 'ttl', existing?.tokenTtl ?? 0);
    if (typeof tokenTtl === 'string') return tokenTtl;
    const tokenMaxTtl = duration('token_max_ttl', 'max_ttl', existing?.tokenMaxTtl ?? 0);
    if (typeof tokenMaxTtl === 'string') return tokenMaxTtl;
    if (tokenMaxTtl > 0 && tokenTtl > tokenMaxTtl) return 'token ttl should not be greater than token max ttl';
    const aliasSource = stringField(body, 'alias_name_source') ?? existing?.aliasNameSource ?? 'serviceaccount_uid';
    if (aliasSource !== 'serviceaccount_uid' && aliasSource !== 'serviceaccount_name') return `invalid alias_name_source: ${aliasSource}`;
    const noDefault = body['token_no_default_policy'];
    const role: StoredRole = {
      boundNames: names,
      boundNamespaces: namespaces,
      audience: stringField(body, 'audience') ?? existing?.audience ?? '',
      aliasNameSource: aliasSource,
      tokenPolicies: policiesField === undefined ? (existing?.tokenPolicies ?? []) : (stringList(policiesField) ?? []),
      tokenTtl,
      tokenMaxTtl,
      tokenNoDefaultPolicy: noDefault === undefined ? (existing?.tokenNoDefaultPolicy ?? false) : noDefault === true || noDefault === 'true',
      legacy,
    };
    this.roles.set(name, role);
    return role;
  }

  /** POST auth/<mount>/login, in pathLogin's order (README §2.4). */
  private login(request: VaultRequest): Reply {
    const roleName = stringField(request.body, 'role') ?? '';
    const jwt = stringField(request.body, 'jwt') ?? '';
    if (roleName === '') return badRequest('missing role');
    if (jwt === '') return badRequest('missing jwt');
    const role = this.roles.get(roleName);
    if (role === undefined) return badRequest(`invalid role name ${JSON.stringify(roleName)}`);
    const identity = readServiceAccountJwt(jwt);
    if (identity === undefined) return errorReply(403, 'permission denied');
    const nowSeconds = Math.floor(this.deps.now() / 1000);
    const leeway = 150; // go-jose's DefaultLeeway (2.5 min)
    if (identity.exp !== undefined && nowSeconds > identity.exp + leeway) {
      return errorReply(403, 'go-jose/go-jose/jwt: validation failed, token is expired (exp)');
    }
    if (identity.nbf !== undefined && nowSeconds + leeway < identity.nbf) {
      return errorReply(403, 'go-jose/go-jose/jwt: validation failed, token not valid yet (nbf)');
    }
    if (role.audience !== '' && !identity.aud.includes(role.audience)) {
      return errorReply(403, 'go-jose/go-jose/jwt: validation failed, invalid audience claim (aud)');
    }
    if (!(role.boundNames.length === 1 && role.boundNames[0] === '*') && !containsGlob(role.boundNames, identity.name)) {
      return errorReply(403, 'service account name not authorized');
    }
    if (!(role.boundNamespaces.length === 1 && role.boundNamespaces[0] === '*') && !containsGlob(role.boundNamespaces, identity.namespace)) {
      return errorReply(403, 'namespace not authorized');
    }
    if (!this.deps.serviceAccounts.review(jwt, identity)) return errorReply(403, 'permission denied');

    const metadata = {
      role: roleName,
      service_account_name: identity.name,
      service_account_namespace: identity.namespace,
      service_account_secret_name: identity.secretName,
      service_account_uid: identity.uid,
    };
    const aliasName = role.aliasNameSource === 'serviceaccount_name' ? `${identity.namespace}/${identity.name}` : identity.uid;
    const { role: _role, ...aliasMetadata } = metadata;
    const entity = this.deps.entities.upsert(this.mountAccessor, aliasName, aliasMetadata);
    const mountName = this.mountPath.replace(/^auth\//, '').replace(/\/$/, '');
    const { entry, warnings } = this.deps.tokens.create({
      policies: sanitizePolicies(role.tokenPolicies, !role.tokenNoDefaultPolicy),
      metadata,
      displayName: `${mountName.replace(/\//g, '-')}-${identity.namespace}-${identity.name}`,
      path: `${this.mountPath}login`,
      entityId: entity.id,
      ttl: role.tokenTtl,
      maxTtl: role.tokenMaxTtl,
      renewable: true,
      orphan: true,
      renewCheck: () => (this.roles.has(roleName) ? undefined : `role ${roleName} does not exist during renewal`),
    });
    return ok({ auth: this.deps.tokens.authBlock(entry, entry.creationTtl), warnings, mountType: 'kubernetes' });
  }
}

function roleData(role: StoredRole): Record<string, unknown> {
  return {
    alias_name_source: role.aliasNameSource,
    ...(role.audience !== '' ? { audience: role.audience } : {}),
    bound_service_account_names: [...role.boundNames],
    bound_service_account_namespace_selector: '',
    bound_service_account_namespaces: [...role.boundNamespaces],
    token_bound_cidrs: [],
    token_explicit_max_ttl: 0,
    token_max_ttl: role.tokenMaxTtl,
    token_no_default_policy: role.tokenNoDefaultPolicy,
    token_num_uses: 0,
    token_period: 0,
    token_policies: [...role.tokenPolicies],
    token_ttl: role.tokenTtl,
    token_type: 'default',
    ...role.legacy,
  };
}

/** strutil.StrListContainsGlob with ryanuber/go-glob semantics (`*` matches any run, anywhere). */
export function containsGlob(patterns: readonly string[], value: string): boolean {
  return patterns.some((pattern) => globMatch(pattern, value));
}

export function globMatch(pattern: string, value: string): boolean {
  if (pattern === '*') return true;
  const parts = pattern.split('*');
  if (parts.length === 1) return pattern === value;
  const first = parts[0] ?? '';
  const last = parts[parts.length - 1] ?? '';
  if (!value.startsWith(first)) return false;
  let position = first.length;
  for (const part of parts.slice(1, -1)) {
    const found = value.indexOf(part, position);
    if (found < 0) return false;
    position = found + part.length;
  }
  return value.length - last.length >= position && value.endsWith(last);
}
