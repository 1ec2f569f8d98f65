/**
 * The attack vectors of issue 5, one table shared by the admission tests (TenancyCheck directly and through
 * handleAdmissionReview (src/admission/review.ts)) and the Vault-side tests (the same vector with the webhook bypassed).
 */
import { readFileSync } from 'node:fs';
import type { TenancyRequest } from '../../src/tenancy/types.ts';

export const policyFile = new URL('./fixtures/tenancy.yaml', import.meta.url).pathname;
export const policyText = readFileSync(policyFile, 'utf8');

const A = 'vault.hashicorp.com/';
export const allowedPathsText = 'database/creds/team-a-*, pki/issue/team-a [create update], secret/data/team-a/*';

/** What a hand-crafted agent in team-a does against Vault when nothing checked its pod. */
export type VaultAttempt =
  /** Log in at `mount` as `role` with a service account JWT of namespace team-a. */
  | { kind: 'login'; mount: string; role: string; expect: 'namespace not authorized' }
  /** Log in as team-a (its own role), then read `path` with that token. */
  | { kind: 'read'; path: string; expect: 'permission denied' };

export interface AttackVector {
  name: string;
  /** The pod's vault.hashicorp.com annotations besides agent-inject (role defaults to team-a). */
  annotations: Record<string, string>;
  /** The request the admission pipeline builds from those annotations. */
  request: TenancyRequest;
  code: string;
  message: string;
  vault: VaultAttempt;
}

const base = (annotations: Record<string, string>, secretPaths: TenancyRequest['secretPaths'] = [], role = 'team-a'): TenancyRequest => ({
  namespace: 'team-a',
  annotations: { [`${A}agent-inject`]: 'true', [`${A}role`]: role, ...annotations },
  role,
  secretPaths,
});

const locked = (key: string, value: string, reason = 'locked by the tenancy policy', allowed = 'the injector\'s setting'): string =>
  `namespace "team-a" may not set annotation ${A}${key} to ${JSON.stringify(value)} (${reason}; allowed: ${allowed})`;

const jsonPatchEnv = '[{"op":"add","path":"/env/-","value":{"name":"VAULT_ADDR","value":"http://vault.evil.example:8200"}}]';
const jsonPatchVolume = '[{"op":"add","path":"/volumeMounts/-","value":{"name":"foreign","mountPath":"/foreign"}}]';
const templateForeign = '{{ with secret "secret/data/team-b/db" }}{{ .Data.data.password }}{{ end }}';
const templateRuntime = '{{ with secret (printf "secret/data/%s/db" (env "TEAM")) }}{{ .Data.data.password }}{{ end }}';

export const attackVectors: AttackVector[] = [
  {
    name: 'another namespace\'s role',
    annotations: { [`${A}role`]: 'team-b', [`${A}agent-inject-secret-db`]: 'secret/data/team-a/db' },
    request: base({ [`${A}agent-inject-secret-db`]: 'secret/data/team-a/db' }, [{ annotation: `${A}agent-inject-secret-db`, path: 'secret/data/team-a/db' }], 'team-b'),
    code: 'TENANCY_ROLE_NOT_ALLOWED',
    message: `namespace "team-a" may not use Vault role "team-b" in annotation ${A}role (allowed: team-a, team-a-*)`,
    vault: { kind: 'login', mount: 'kubernetes', role: 'team-b', expect: 'namespace not authorized' },
  },
  {
    name: 'path in agent-inject-secret-*',
    annotations: { [`${A}agent-inject-secret-db`]: 'secret/data/team-b/db' },
    request: base({ [`${A}agent-inject-secret-db`]: 'secret/data/team-b/db' }, [{ annotation: `${A}agent-inject-secret-db`, path: 'secret/data/team-b/db' }]),
    code: 'TENANCY_PATH_NOT_ALLOWED',
    message: `namespace "team-a" may not read "secret/data/team-b/db" in annotation ${A}agent-inject-secret-db (allowed: ${allowedPathsText})`,
    vault: { kind: 'read', path: 'secret/data/team-b/db', expect: 'permission denied' },
  },
  {
    name: 'path in a template',
    annotations: { [`${A}agent-inject-secret-db`]: 'secret/data/team-a/db', [`${A}agent-inject-template-db`]: templateForeign },
    request: base({ [`${A}agent-inject-secret-db`]: 'secret/data/team-a/db', [`${A}agent-inject-template-db`]: templateForeign }, [
      { annotation: `${A}agent-inject-secret-db`, path: 'secret/data/team-a/db' },
      { annotation: `${A}agent-inject-template-db`, path: 'secret/data/team-b/db' },
    ]),
    code: 'TENANCY_PATH_NOT_ALLOWED',
    message: `namespace "team-a" may not read "secret/data/team-b/db" in annotation ${A}agent-inject-template-db (allowed: ${allowedPathsText})`,
    vault: { kind: 'read', path: 'secret/data/team-b/db', expect: 'permission denied' },
  },
  {
    name: 'path built at run time',
    annotations: { [`${A}agent-inject-secret-db`]: 'secret/data/team-a/db', [`${A}agent-inject-template-db`]: templateRuntime },
    request: base({ [`${A}agent-inject-secret-db`]: 'secret/data/team-a/db', [`${A}agent-inject-template-db`]: templateRuntime }, [
      { annotation: `${A}agent-inject-secret-db`, path: 'secret/data/team-a/db' },
      { annotation: `${A}agent-inject-template-db`, path: null },
    ]),
    code: 'TENANCY_PATH_NOT_LITERAL',
    message: `namespace "team-a" may not use a secret path built at run time in annotation ${A}agent-inject-template-db (under tenancy every secret path in a template must be a literal string; allowed: ${allowedPathsText})`,
    // at run time TEAM=team-b: the agent reads team-b's path
    vault: { kind: 'read', path: 'secret/data/team-b/db', expect: 'permission denied' },
  },
  {
    name: 'Vault address override',
    annotations: { [`${A}service`]: 'https://vault.evil.example:8200', [`${A}agent-inject-secret-db`]: 'secret/data/team-a/db' },
    request: base({ [`${A}service`]: 'https://vault.evil.example:8200', [`${A}agent-inject-secret-db`]: 'secret/data/team-a/db' }, [{ annotation: `${A}agent-inject-secret-db`, path: 'secret/data/team-a/db' }]),
    code: 'TENANCY_SETTING_LOCKED',
    message: locked('service', 'https://vault.evil.example:8200'),
    // the rogue Vault replays the captured team-a JWT against the real one, asking for team-b's role
    vault: { kind: 'login', mount: 'kubernetes', role: 'team-b', expect: 'namespace not authorized' },
  },
  {
    name: 'auth path override',
    annotations: { [`${A}auth-path`]: 'auth/kubernetes-platform', [`${A}agent-inject-secret-db`]: 'secret/data/team-a/db' },
    request: base({ [`${A}auth-path`]: 'auth/kubernetes-platform', [`${A}agent-inject-secret-db`]: 'secret/data/team-a/db' }, [{ annotation: `${A}agent-inject-secret-db`, path: 'secret/data/team-a/db' }]),
    code: 'TENANCY_SETTING_LOCKED',
    message: locked('auth-path', 'auth/kubernetes-platform'),
    vault: { kind: 'login', mount: 'kubernetes-platform', role: 'platform', expect: 'namespace not authorized' },
  },
  {
    name: 'image override',
    annotations: { [`${A}agent-image`]: 'evil.example/agent:latest', [`${A}agent-inject-secret-db`]: 'secret/data/team-a/db' },
    request: base({ [`${A}agent-image`]: 'evil.example/agent:latest', [`${A}agent-inject-secret-db`]: 'secret/data/team-a/db' }, [{ annotation: `${A}agent-inject-secret-db`, path: 'secret/data/team-a/db' }]),
    code: 'TENANCY_SETTING_LOCKED',
    message: locked('agent-image', 'evil.example/agent:latest', 'locked by the tenancy policy', 'the injector\'s setting or registry.example.com/vault-injector-agent:*'),
    // the hand-crafted agent uses its team-a token on team-b's path
    vault: { kind: 'read', path: 'secret/data/team-b/db', expect: 'permission denied' },
  },
  {
    name: 'json-patch adding env',
    annotations: { [`${A}agent-json-patch`]: jsonPatchEnv, [`${A}agent-inject-secret-db`]: 'secret/data/team-a/db' },
    request: base({ [`${A}agent-json-patch`]: jsonPatchEnv, [`${A}agent-inject-secret-db`]: 'secret/data/team-a/db' }, [{ annotation: `${A}agent-inject-secret-db`, path: 'secret/data/team-a/db' }]),
    code: 'TENANCY_SETTING_LOCKED',
    message: locked('agent-json-patch', jsonPatchEnv.slice(0, 100) + '…'),
    vault: { kind: 'login', mount: 'kubernetes', role: 'team-b', expect: 'namespace not authorized' },
  },
  {
    name: 'json-patch adding volumes (init container)',
    annotations: { [`${A}agent-init-json-patch`]: jsonPatchVolume, [`${A}agent-inject-secret-db`]: 'secret/data/team-a/db' },
    request: base({ [`${A}agent-init-json-patch`]: jsonPatchVolume, [`${A}agent-inject-secret-db`]: 'secret/data/team-a/db' }, [{ annotation: `${A}agent-inject-secret-db`, path: 'secret/data/team-a/db' }]),
    code: 'TENANCY_SETTING_LOCKED',
    message: locked('agent-init-json-patch', jsonPatchVolume),
    vault: { kind: 'read', path: 'secret/data/team-b/db', expect: 'permission denied' },
  },
  {
    name: 'copy-volume-mounts of a foreign volume',
    annotations: { [`${A}agent-copy-volume-mounts`]: 'web', [`${A}agent-inject-secret-db`]: 'secret/data/team-a/db' },
    request: base({ [`${A}agent-copy-volume-mounts`]: 'web', [`${A}agent-inject-secret-db`]: 'secret/data/team-a/db' }, [{ annotation: `${A}agent-inject-secret-db`, path: 'secret/data/team-a/db' }]),
    code: 'TENANCY_SETTING_LOCKED',
    message: locked('agent-copy-volume-mounts', 'web'),
    // whatever token the copied volume holds is still a team-a service account's
    vault: { kind: 'login', mount: 'kubernetes', role: 'team-b', expect: 'namespace not authorized' },
  },
  {
    name: 'TLS downgrade (tls-skip-verify)',
    annotations: { [`${A}tls-skip-verify`]: 'true', [`${A}agent-inject-secret-db`]: 'secret/data/team-a/db' },
    request: base({ [`${A}tls-skip-verify`]: 'true', [`${A}agent-inject-secret-db`]: 'secret/data/team-a/db' }, [{ annotation: `${A}agent-inject-secret-db`, path: 'secret/data/team-a/db' }]),
    code: 'TENANCY_SETTING_LOCKED',
    message: locked('tls-skip-verify', 'true'),
    // a man in the middle replays the captured team-a token on team-b's path
    vault: { kind: 'read', path: 'secret/data/team-b/db', expect: 'permission denied' },
  },
];
