// The JWT auth method (OpenBao builtin/credential/jwt, the vault-plugin-auth-jwt fork) for role_type "jwt" with
// jwt_validation_pubkeys: config, role CRUD and login in pathLogin's order, with its error texts (and those of
// hashicorp/cap's Validator). JWKS and OIDC discovery, bound_claims and groups are not served.
import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import type { Clock } from './clock.ts';
import { parseDurationSeconds } from './clock.ts';
import type { EntityStore } from './identity.ts';
import type { Backend, RequestContext } from './mounts.ts';
import { sanitizePolicies, type TokenStore } from './tokens.ts';
import { badRequest, errorReply, listReply, noContent, notFound, ok, stringField, stringList, unsupportedOperation, roleOperation, type Reply, type VaultRequest } from './wire.ts';

export interface JwtRoleSpec {
  role_type?: 'jwt' | 'oidc';
  user_claim: string;
  bound_audiences?: string[];
  bound_subject?: string;
  token_policies?: string[];
  token_ttl?: number;
  token_max_ttl?: number;
}

interface StoredRole {
  roleType: 'jwt' | 'oidc';
  userClaim: string;
  boundAudiences: string[];
  boundSubject: string;
  tokenPolicies: string[];
  tokenTtl: number;
  tokenMaxTtl: number;
}

interface StoredConfig {
  pubkeys: string[];
  keys: KeyObject[];
  boundIssuer: string;
  defaultRole: string;
}

export interface JwtDeps {
  now: Clock;
  tokens: TokenStore;
  entities: EntityStore;
}

/** go-jose's DefaultLeeway, which cap uses as the clock skew leeway when the role sets none. */
const CLOCK_SKEW_LEEWAY_SECONDS = 60;

export class JwtAuthBackend implements Backend {
  private readonly roles = new Map<string, StoredRole>();
  private config: StoredConfig | undefined;
  mountPath = 'auth/jwt/';
  mountAccessor = '';

  constructor(private readonly deps: JwtDeps) {}

  unauthenticated(subpath: string): boolean {
    return subpath === 'login';
  }

  exists(subpath: string): boolean | undefined {
    const match = /^role\/(.+)$/.exec(subpath);
    if (match !== null) return this.roles.has(match[1] ?? '');
    return subpath === 'config' ? this.config !== undefined : undefined;
  }

  /** Seeding forms; they throw with Vault's validation message. */
  writeConfig(body: Record<string, unknown>): void {
    const result = this.applyConfig(body);
    if (typeof result === 'string') throw new Error(`writeJwtConfig: ${result}`);
  }

  writeRole(name: string, spec: JwtRoleSpec): void {
    const result = this.applyRole(name, { ...spec } as Record<string, unknown>);
    if (typeof result === 'string') throw new Error(`writeJwtRole(${JSON.stringify(name)}): ${result}`);
  }

  handle(request: VaultRequest, context: RequestContext): Reply {
    const subpath = context.subpath;
    if (subpath === 'login') {
      if (request.operation !== 'create' && request.operation !== 'update') return unsupportedOperation();
      return this.login(request);
    }
    if (subpath === 'role' || subpath === 'role/') {
      return request.operation === 'list' ? listReply([...this.roles.keys()].sort(), 'jwt') : unsupportedOperation();
    }
    if (subpath === 'config') {
      if (request.operation === 'read') {
        return this.config === undefined ? notFound() : ok({ data: configData(this.config), mountType: 'jwt' });
      }
      if (request.operation !== 'create' && request.operation !== 'update') return unsupportedOperation();
      const result = this.applyConfig(request.body);
      return typeof result === 'string' ? badRequest(result) : noContent();
    }
    const roleMatch = /^role\/([^/]+)$/.exec(subpath);
    if (roleMatch === null) return errorReply(404, 'unsupported path');
    const name = (roleMatch[1] ?? '').toLowerCase();
    return roleOperation(request, this.roles, name, { apply: (roleName, body) => this.applyRole(roleName, body), data: roleData, mountType: 'jwt' });
  }

  private applyConfig(body: Record<string, unknown>): StoredConfig | string {
    if (body['jwks_url'] !== undefined || body['oidc_discovery_url'] !== undefined) return 'the Vault double serves jwt_validation_pubkeys only';
    const pubkeys = stringList(body['jwt_validation_pubkeys']) ?? [];
    if (pubkeys.length === 0) return 'exactly one of \'jwt_validation_pubkeys\', \'jwks_url\' or \'oidc_discovery_url\' must be set';
    const keys: KeyObject[] = [];
    for (const pem of pubkeys) {
      try {
        keys.push(createPublicKey(pem));
      } catch {
        return 'error parsing public key: data does not contain any valid RSA or ECDSA public keys';
      }
    }
    this.config = { pubkeys, keys, boundIssuer: stringField(body, 'bound_issuer') ?? '', defaultRole: stringField(body, 'default_role') ?? '' };
    return this.config;
  }

  private applyRole(name: string, body: Record<string, unknown>): StoredRole | string {
    if (body['bound_claims'] !== undefined || body['groups_claim'] !== undefined) return 'the Vault double serves no bound_claims or groups_claim';
    const existing = this.roles.get(name);
    const roleType = stringField(body, 'role_type') ?? existing?.roleType ?? 'oidc';
    if (roleType !== 'jwt' && roleType !== 'oidc') return `invalid 'role_type': ${roleType}`;
    const userClaim = stringField(body, 'user_claim') ?? existing?.userClaim ?? '';
    if (userClaim === '') return 'a user claim must be defined on the role';
    const boundAudiences = stringList(body['bound_audiences']) ?? existing?.boundAudiences ?? [];
    const boundSubject = stringField(body, 'bound_subject') ?? existing?.boundSubject ?? '';
    if (roleType === 'jwt' && boundAudiences.length === 0 && boundSubject === '') return 'must have at least one bound constraint when creating/updating a role';
    const seconds = (field: string, fallback: number): number | string => {
      const raw = body[field];
      if (raw === undefined) return fallback;
      const value = parseDurationSeconds(raw);
      return value === undefined || value < 0 ? `invalid ${field}: ${JSON.stringify(raw)}` : value;
    };
    const tokenTtl = seconds('token_ttl', existing?.tokenTtl ?? 0);
    if (typeof tokenTtl === 'string') return tokenTtl;
    const tokenMaxTtl = seconds('token_max_ttl', existing?.tokenMaxTtl ?? 0);
    if (typeof tokenMaxTtl === 'string') return tokenMaxTtl;
    const policies = body['token_policies'] ?? body['policies'];
    const role: StoredRole = {
      roleType, userClaim, boundAudiences, boundSubject,
      tokenPolicies: policies === undefined ? (existing?.tokenPolicies ?? []) : (stringList(policies) ?? []),
      tokenTtl, tokenMaxTtl,
    };
    this.roles.set(name, role);
    return role;
  }

  /** POST auth/<mount>/login {role, jwt}, in OpenBao's pathLogin order. */
  private login(request: VaultRequest): Reply {
    const config = this.config;
    if (config === undefined) return badRequest('could not load configuration');
    const roleName = (stringField(request.body, 'role') ?? '').toLowerCase() || config.defaultRole;
    if (roleName === '') return badRequest('missing role');
    const role = this.roles.get(roleName);
    if (role === undefined) return badRequest(`role ${JSON.stringify(roleName)} could not be found`);
    if (role.roleType === 'oidc') return badRequest('role with oidc role_type is not allowed');
    const jwt = stringField(request.body, 'jwt') ?? '';
    if (jwt === '') return badRequest('missing token');
    const validated = this.validate(jwt, config, role);
    if (typeof validated === 'string') return badRequest(`error validating token: ${validated}`);
    const claims = validated;
    const aud = claims['aud'];
    if (Array.isArray(aud) && aud.length > 0 && role.boundAudiences.length === 0) return badRequest('audience claim found in JWT but no audiences bound to the role');
    const user = claims[role.userClaim];
    if (user === undefined || user === null) return badRequest(`claim ${JSON.stringify(role.userClaim)} not found in token`);
    if (typeof user !== 'string') return badRequest(`claim ${JSON.stringify(role.userClaim)} could not be converted to string`);

    const entity = this.deps.entities.upsert(this.mountAccessor, user, { role: roleName });
    const mountName = this.mountPath.replace(/^auth\//, '').replace(/\/$/, '');
    const { entry, warnings } = this.deps.tokens.create({
      policies: sanitizePolicies(role.tokenPolicies, true),
      metadata: { role: roleName },
      displayName: `${mountName.replace(/\//g, '-')}-${user}`,
      path: `${this.mountPath}login`,
      entityId: entity.id,
      ttl: role.tokenTtl,
      maxTtl: role.tokenMaxTtl,
      renewable: true,
      orphan: true,
      renewCheck: () => (this.roles.has(roleName) ? undefined : `role ${roleName} does not exist during renewal`),
    });
    return ok({ auth: this.deps.tokens.authBlock(entry, entry.creationTtl), warnings, mountType: 'jwt' });
  }

  /** cap's Validator.Validate: signature by a configured key, algorithm, iss, sub, aud, then the times. */
  private validate(jwt: string, config: StoredConfig, role: StoredRole): Record<string, unknown> | string {
    const parts = jwt.split('.');
    const notVerified = 'error verifying token signature: no known key successfully validated the token signature';
    if (parts.length !== 3) return notVerified;
    let header: Record<string, unknown>;
    let claims: Record<string, unknown>;
    try {
      header = JSON.parse(Buffer.from(parts[0] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
      claims = JSON.parse(Buffer.from(parts[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
    } catch {
      return notVerified;
    }
    const signed = Buffer.from(`${parts[0]}.${parts[1]}`);
    const signature = Buffer.from(parts[2] ?? '', 'base64url');
    const alg = header['alg'];
    const verifies = (key: KeyObject): boolean => {
      try {
        if (alg === 'ES256' && key.asymmetricKeyType === 'ec') return verify('sha256', signed, { key, dsaEncoding: 'ieee-p1363' }, signature);
        if (alg === 'RS256' && key.asymmetricKeyType === 'rsa') return verify('sha256', signed, key, signature);
      } catch {
        return false;
      }
      return false;
    };
    if (!config.keys.some(verifies)) return notVerified;
    if (config.boundIssuer !== '' && claims['iss'] !== config.boundIssuer) return 'invalid issuer (iss) claim';
    if (role.boundSubject !== '' && claims['sub'] !== role.boundSubject) return 'invalid subject (sub) claim';
    const audiences = Array.isArray(claims['aud']) ? claims['aud'].map(String) : typeof claims['aud'] === 'string' ? [claims['aud']] : [];
    if (role.boundAudiences.length > 0 && !role.boundAudiences.some((audience) => audiences.includes(audience))) {
      return 'invalid audience (aud) claim: audience claim does not match any expected audience';
    }
    const number = (value: unknown): number => (typeof value === 'number' ? value : 0);
    const [iat, exp, nbf] = [number(claims['iat']), number(claims['exp']), number(claims['nbf'])];
    if (iat === 0 && exp === 0 && nbf === 0) return 'no issued at (iat), not before (nbf), or expiration time (exp) claims in token';
    const now = Math.floor(this.deps.now() / 1000);
    if (nbf !== 0 && now + CLOCK_SKEW_LEEWAY_SECONDS < nbf) return 'invalid not before (nbf) claim: token not yet valid';
    if (exp !== 0 && now - CLOCK_SKEW_LEEWAY_SECONDS > exp) return 'invalid expiration time (exp) claim: token is expired';
    if (iat !== 0 && now + CLOCK_SKEW_LEEWAY_SECONDS < iat) return 'invalid issued at (iat) claim: token issued in the future';
    return claims;
  }
}

function configData(config: StoredConfig): Record<string, unknown> {
  return {
    bound_issuer: config.boundIssuer, default_role: config.defaultRole, jwks_ca_pem: '', jwks_url: '', jwt_supported_algs: [],
    jwt_validation_pubkeys: [...config.pubkeys], oidc_discovery_ca_pem: '', oidc_discovery_url: '', provider_config: {},
  };
}

function roleData(role: StoredRole): Record<string, unknown> {
  return {
    bound_audiences: [...role.boundAudiences], bound_subject: role.boundSubject, role_type: role.roleType, user_claim: role.userClaim,
    token_bound_cidrs: [], token_explicit_max_ttl: 0, token_max_ttl: role.tokenMaxTtl, token_no_default_policy: false, token_num_uses: 0,
    token_period: 0, token_policies: [...role.tokenPolicies], token_ttl: role.tokenTtl, token_type: 'default',
  };
}
