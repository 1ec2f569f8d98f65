// The Vault double held to the real server: the same requests, in the same order, go to the double
// and to a real OpenBao set up alike (mounts, policy, Kubernetes role, secrets, database and PKI
// roles), and every answer must agree in status code, in body shape (keys and JSON types,
// recursively, so generated values need no masking) and in the error texts the double imitates.
// The few differences that are OpenBao-vs-Vault rather than double bugs are listed below as data,
// each with its reason; a difference not listed fails the test, and so does a listed one that no
// longer occurs (so the list cannot go stale).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NAMESPACE, ROLE, SERVICE_ACCOUNT } from '../../agent/harness.ts';
import { APP_POLICY, startRealLab, type RealLab } from '../../real/lab.ts';
import { sendRequest, type BaoResponse } from '../../real/openbao.ts';
import { startVaultDouble, type VaultDouble } from './index.ts';

interface Side {
  name: 'double' | 'OpenBao';
  send(method: string, path: string, body: unknown, token: string | undefined): Promise<BaoResponse>;
  root: string;
  jwt(account: { namespace: string; name: string }): string;
  /** Values earlier cases captured on this side (tokens, lease ids, serials). */
  saved: Map<string, string>;
}

type Who = 'root' | 'app' | 'none' | { saved: string } | { literal: string };

interface Case {
  name: string;
  method: string;
  /** May name saved values as {key}. */
  path: string;
  /** JSON, or raw JSON text (sent as it is). */
  body?: Record<string, unknown> | string | ((side: Side) => Record<string, unknown>);
  as: Who;
  /** Also compare this part of the raw body text (number text, which parsed JSON loses). */
  sameText?: RegExp;
  /** Remember a value of the answer for later cases. */
  save?: Record<string, (body: unknown) => unknown>;
}

/** A difference that is OpenBao's, not the double's: the case ('*': every case), the finding
 *  exactly as compareAnswers words it, and why the double keeps HashiCorp Vault's behaviour. */
interface KnownDifference {
  case: string;
  finding: string;
  reason: string;
}

const vaultHealthOnly = 'HashiCorp Vault\'s sys/health reports it (fixtures/vault-api/sys-health.response.json); OpenBao dropped it';
const knownDifferences: KnownDifference[] = [
  { case: '*', finding: '$.mount_type: only in the double (string)', reason: 'HashiCorp Vault (1.12 and later) puts mount_type in every response envelope; OpenBao does not' },
  { case: 'health', finding: '$.clock_skew_ms: only in the double (number)', reason: vaultHealthOnly },
  { case: 'health', finding: '$.echo_duration_ms: only in the double (number)', reason: vaultHealthOnly },
  { case: 'health', finding: '$.enterprise: only in the double (boolean)', reason: vaultHealthOnly },
  { case: 'health', finding: '$.performance_standby: only in the double (boolean)', reason: vaultHealthOnly },
  ...['KV v2 metadata', 'KV v2 metadata after delete and destroy'].map((name) => ({ case: name, finding: '$.data.current_metadata_version: only in OpenBao (number)', reason: 'OpenBao\'s KV v2 versions the metadata itself (check-and-set on metadata); HashiCorp Vault has no such field' })),
  ...['KV v2 metadata', 'KV v2 metadata after delete and destroy', 'KV v2 config'].map((name) => ({ case: name, finding: '$.data.metadata_cas_required: only in OpenBao (boolean)', reason: 'OpenBao-only KV v2 setting (check-and-set required on metadata writes)' })),
  { case: 'PKI issue', finding: '$.data.not_before: only in OpenBao (number)', reason: 'OpenBao adds not_before to issue answers; HashiCorp Vault\'s (fixtures/vault-api/pki-issue.response.json) has none, and consul-template reads only expiration' },
];

const matches = (known: KnownDifference, caseName: string, finding: string): boolean => (known.case === '*' || known.case === caseName) && known.finding === finding;

const at = (value: unknown, ...keys: string[]): unknown => keys.reduce<unknown>((current, key) => (typeof current === 'object' && current !== null ? (current as Record<string, unknown>)[key] : undefined), value);

const cases: Case[] = [
  { name: 'health', method: 'GET', path: 'sys/health', as: 'none' },
  { name: 'KV v2 write', method: 'POST', path: 'secret/data/app/db', body: { data: { username: 'db-user', password: 'pw-1', port: 5432 } }, as: 'root' },
  { name: 'KV v2 second write', method: 'POST', path: 'secret/data/app/db', body: { data: { username: 'db-user', password: 'pw-2' } }, as: 'root' },
  { name: 'KV v2 write of number text', method: 'POST', path: 'secret/data/app/numbers', body: '{"data":{"port":5432.0,"big":12345678901234567890,"e":1e3,"small":0.0000001}}', as: 'root' },
  { name: 'KV v2 read of number text', method: 'GET', path: 'secret/data/app/numbers', as: 'app', sameText: /"data":\{"big".*?\}/ },
  { name: 'KV v1 write of number text', method: 'POST', path: 'kv/app/numbers', body: '{"port":5432.0,"big":12345678901234567890,"e":1e3}', as: 'root' },
  { name: 'KV v1 read of number text', method: 'GET', path: 'kv/app/numbers', as: 'app', sameText: /"data":\{.*?\}/ },
  { name: 'KV v2 write with a wrong cas', method: 'POST', path: 'secret/data/app/db', body: { options: { cas: 1 }, data: { password: 'pw-x' } }, as: 'root' },
  { name: 'KV v2 write without data', method: 'POST', path: 'secret/data/app/db', body: { password: 'pw-x' }, as: 'root' },
  { name: 'KV v2 read', method: 'GET', path: 'secret/data/app/db', as: 'app' },
  { name: 'KV v2 read of a version', method: 'GET', path: 'secret/data/app/db?version=1', as: 'app' },
  { name: 'KV v2 read of a version that never was', method: 'GET', path: 'secret/data/app/db?version=9', as: 'app' },
  { name: 'KV v2 metadata', method: 'GET', path: 'secret/metadata/app/db', as: 'app' },
  { name: 'KV v2 list', method: 'LIST', path: 'secret/metadata/app/', as: 'app' },
  { name: 'KV v2 list via ?list=true', method: 'GET', path: 'secret/metadata/app/?list=true', as: 'app' },
  { name: 'KV v2 list of nothing', method: 'LIST', path: 'secret/metadata/app/none/', as: 'app' },
  { name: 'KV v2 read missing', method: 'GET', path: 'secret/data/app/none', as: 'app' },
  { name: 'KV v2 metadata missing', method: 'GET', path: 'secret/metadata/app/none', as: 'app' },
  { name: 'KV v2 delete latest', method: 'DELETE', path: 'secret/data/app/db', as: 'root' },
  { name: 'KV v2 read deleted', method: 'GET', path: 'secret/data/app/db', as: 'app' },
  { name: 'KV v2 undelete', method: 'POST', path: 'secret/undelete/app/db', body: { versions: [2] }, as: 'root' },
  { name: 'KV v2 read undeleted', method: 'GET', path: 'secret/data/app/db', as: 'app' },
  { name: 'KV v2 delete versions', method: 'POST', path: 'secret/delete/app/db', body: { versions: [2] }, as: 'root' },
  { name: 'KV v2 destroy', method: 'POST', path: 'secret/destroy/app/db', body: { versions: [1] }, as: 'root' },
  { name: 'KV v2 read destroyed', method: 'GET', path: 'secret/data/app/db?version=1', as: 'app' },
  { name: 'KV v2 metadata after delete and destroy', method: 'GET', path: 'secret/metadata/app/db', as: 'app' },
  { name: 'KV v2 config', method: 'GET', path: 'secret/config', as: 'root' },
  { name: 'KV v2 metadata delete', method: 'DELETE', path: 'secret/metadata/app/db', as: 'root' },
  { name: 'KV v2 read after metadata delete', method: 'GET', path: 'secret/data/app/db', as: 'app' },
  { name: 'KV v1 write', method: 'POST', path: 'kv/app/api', body: { key: 'api-key-1', n: 7 }, as: 'root' },
  { name: 'KV v1 read', method: 'GET', path: 'kv/app/api', as: 'app' },
  { name: 'KV v1 list', method: 'LIST', path: 'kv/app/', as: 'root' },
  { name: 'KV v1 list denied', method: 'LIST', path: 'kv/app/', as: 'app' },
  { name: 'KV v1 read missing', method: 'GET', path: 'kv/app/none', as: 'app' },
  { name: 'KV v1 delete', method: 'DELETE', path: 'kv/app/api', as: 'root' },
  { name: 'KV v1 read deleted', method: 'GET', path: 'kv/app/api', as: 'app' },
  { name: 'permission denied', method: 'GET', path: 'secret/data/other/x', as: 'app' },
  { name: 'permission denied on a write', method: 'POST', path: 'secret/data/app/db', body: { data: { a: 'b' } }, as: 'app' },
  { name: 'no handler for a path', method: 'GET', path: 'nomount/x', as: 'root' },
  { name: 'bad token', method: 'GET', path: 'secret/data/app/db', as: { literal: 'not-a-token' } },
  { name: 'no token', method: 'GET', path: 'secret/data/app/db', as: 'none' },
  { name: 'bad token on lookup-self', method: 'GET', path: 'auth/token/lookup-self', as: { literal: 'not-a-token' } },
  {
    name: 'kubernetes login',
    method: 'POST',
    path: 'auth/kubernetes/login',
    body: (side) => ({ role: ROLE, jwt: side.jwt({ namespace: NAMESPACE, name: SERVICE_ACCOUNT }) }),
    as: 'none',
    save: { second: (body) => at(body, 'auth', 'client_token') },
  },
  { name: 'kubernetes login, wrong namespace', method: 'POST', path: 'auth/kubernetes/login', body: (side) => ({ role: ROLE, jwt: side.jwt({ namespace: 'team-b', name: SERVICE_ACCOUNT }) }), as: 'none' },
  { name: 'kubernetes login, wrong service account', method: 'POST', path: 'auth/kubernetes/login', body: (side) => ({ role: ROLE, jwt: side.jwt({ namespace: NAMESPACE, name: 'intruder' }) }), as: 'none' },
  { name: 'kubernetes login, no such role', method: 'POST', path: 'auth/kubernetes/login', body: (side) => ({ role: 'nope', jwt: side.jwt({ namespace: NAMESPACE, name: SERVICE_ACCOUNT }) }), as: 'none' },
  { name: 'kubernetes login, no role', method: 'POST', path: 'auth/kubernetes/login', body: (side) => ({ jwt: side.jwt({ namespace: NAMESPACE, name: SERVICE_ACCOUNT }) }), as: 'none' },
  { name: 'kubernetes login, no jwt', method: 'POST', path: 'auth/kubernetes/login', body: { role: ROLE }, as: 'none' },
  { name: 'kubernetes login, not a JWT', method: 'POST', path: 'auth/kubernetes/login', body: { role: ROLE, jwt: 'not-a-jwt' }, as: 'none' },
  { name: 'token lookup-self', method: 'GET', path: 'auth/token/lookup-self', as: 'app' },
  { name: 'token renew-self', method: 'POST', path: 'auth/token/renew-self', body: { increment: 0 }, as: 'app' },
  { name: 'token lookup (root)', method: 'POST', path: 'auth/token/lookup', body: (side) => ({ token: side.saved.get('app') }), as: 'root' },
  { name: 'root token renew-self', method: 'POST', path: 'auth/token/renew-self', as: 'root' },
  {
    name: 'database creds',
    method: 'GET',
    path: 'database/creds/app',
    as: 'app',
    save: { lease: (body) => at(body, 'lease_id') },
  },
  { name: 'database creds of a role that does not exist', method: 'GET', path: 'database/creds/nope', as: 'root' },
  { name: 'lease lookup', method: 'PUT', path: 'sys/leases/lookup', body: (side) => ({ lease_id: side.saved.get('lease') }), as: 'app' },
  { name: 'lease renew', method: 'PUT', path: 'sys/leases/renew', body: (side) => ({ lease_id: side.saved.get('lease') }), as: 'app' },
  { name: 'lease renew with an increment', method: 'PUT', path: 'sys/leases/renew', body: (side) => ({ lease_id: side.saved.get('lease'), increment: 60 }), as: 'app' },
  { name: 'lease lookup of nothing', method: 'PUT', path: 'sys/leases/lookup', body: { lease_id: 'database/creds/app/nothing' }, as: 'root' },
  { name: 'lease renew of nothing', method: 'PUT', path: 'sys/leases/renew', body: { lease_id: 'database/creds/app/nothing' }, as: 'root' },
  { name: 'lease revoke', method: 'PUT', path: 'sys/leases/revoke', body: (side) => ({ lease_id: side.saved.get('lease') }), as: 'root' },
  { name: 'lease revoke of nothing', method: 'PUT', path: 'sys/leases/revoke', body: { lease_id: 'database/creds/app/nothing' }, as: 'root' },
  { name: 'lease lookup after revoke', method: 'PUT', path: 'sys/leases/lookup', body: (side) => ({ lease_id: side.saved.get('lease') }), as: 'root' },
  { name: 'lease renew after revoke', method: 'PUT', path: 'sys/leases/renew', body: (side) => ({ lease_id: side.saved.get('lease') }), as: 'app' },
  { name: 'PKI issue', method: 'POST', path: 'pki/issue/web', body: { common_name: 'web.example.com' }, as: 'app', save: { serial: (body) => at(body, 'data', 'serial_number') } },
  { name: 'PKI issue without a common name', method: 'POST', path: 'pki/issue/web', body: {}, as: 'app' },
  { name: 'PKI issue for a role that does not exist', method: 'POST', path: 'pki/issue/nope', body: { common_name: 'web.example.com' }, as: 'root' },
  { name: 'PKI CA (pem)', method: 'GET', path: 'pki/cert/ca', as: 'none' },
  { name: 'ui mounts, KV v2', method: 'GET', path: 'sys/internal/ui/mounts/secret/app/db', as: 'app' },
  { name: 'ui mounts, KV v1', method: 'GET', path: 'sys/internal/ui/mounts/kv/app/api', as: 'app' },
  { name: 'ui mounts, no mount', method: 'GET', path: 'sys/internal/ui/mounts/nomount/x', as: 'app' },
  { name: 'ui mounts, bad token', method: 'GET', path: 'sys/internal/ui/mounts/secret/app/db', as: { literal: 'not-a-token' } },
  { name: 'token revoke-self', method: 'POST', path: 'auth/token/revoke-self', as: { saved: 'second' } },
  { name: 'lookup-self of a revoked token', method: 'GET', path: 'auth/token/lookup-self', as: { saved: 'second' } },
  { name: 'renew-self of a revoked token', method: 'POST', path: 'auth/token/renew-self', as: { saved: 'second' } },
  { name: 'token lookup of a revoked token (root)', method: 'POST', path: 'auth/token/lookup', body: (side) => ({ token: side.saved.get('second') }), as: 'root' },
];

/** The JSON type of every node, keyed by its path: `$.data.keys[]` → `string`. */
export function shapeOf(value: unknown, path = '$', into = new Map<string, string>()): Map<string, string> {
  if (value === null) into.set(path, 'null');
  else if (Array.isArray(value)) {
    into.set(path, 'array');
    for (const element of value) shapeOf(element, `${path}[]`, into);
  } else if (typeof value === 'object') {
    into.set(path, 'object');
    for (const [key, child] of Object.entries(value as Record<string, unknown>)) shapeOf(child, `${path}.${key}`, into);
  } else into.set(path, typeof value);
  return into;
}

/** What differs between two answers, one finding a line. */
export function compareAnswers(double: { status: number; body: unknown }, real: { status: number; body: unknown }): string[] {
  const findings: string[] = [];
  if (double.status !== real.status) findings.push(`status: double ${double.status}, OpenBao ${real.status}`);
  const doubleShape = shapeOf(double.body);
  const realShape = shapeOf(real.body);
  for (const [path, type] of realShape) {
    const other = doubleShape.get(path);
    if (other === undefined) findings.push(`${path}: only in OpenBao (${type})`);
    else if (other !== type) findings.push(`${path}: double ${other}, OpenBao ${type}`);
  }
  for (const [path, type] of doubleShape) if (!realShape.has(path)) findings.push(`${path}: only in the double (${type})`);
  const doubleErrors = at(double.body, 'errors');
  const realErrors = at(real.body, 'errors');
  if (Array.isArray(realErrors) || Array.isArray(doubleErrors)) {
    if (JSON.stringify(doubleErrors) !== JSON.stringify(realErrors)) findings.push(`errors: double ${JSON.stringify(doubleErrors)}, OpenBao ${JSON.stringify(realErrors)}`);
  }
  return findings;
}

function tokenFor(side: Side, who: Who): string | undefined {
  if (who === 'root') return side.root;
  if (who === 'none') return undefined;
  if (who === 'app') return side.saved.get('app');
  if ('saved' in who) return side.saved.get(who.saved);
  return who.literal;
}

async function play(side: Side, entry: Case): Promise<BaoResponse> {
  const path = entry.path;
  const body = typeof entry.body === 'function' ? (entry.body as (side: Side) => unknown)(side) : entry.body;
  const answer = await side.send(entry.method, path, body, tokenFor(side, entry.as));
  for (const [key, pick] of Object.entries(entry.save ?? {})) {
    const value = pick(answer.body);
    if (typeof value === 'string') side.saved.set(key, value);
  }
  return answer;
}

async function appLogin(side: Side): Promise<void> {
  const answer = await side.send('POST', 'auth/kubernetes/login', { role: ROLE, jwt: side.jwt({ namespace: NAMESPACE, name: SERVICE_ACCOUNT }) }, undefined);
  const token = at(answer.body, 'auth', 'client_token');
  assert.equal(typeof token, 'string', `${side.name} login: ${JSON.stringify(answer.body)}`);
  side.saved.set('app', token as string);
}

function seedDouble(vault: VaultDouble): void {
  vault.enableKubernetesAuth();
  vault.writePolicy('app', APP_POLICY);
  vault.writeKubernetesRole('kubernetes', ROLE, { bound_service_account_names: [SERVICE_ACCOUNT], bound_service_account_namespaces: [NAMESPACE], token_policies: ['app'], token_ttl: 3600, token_max_ttl: 7200 });
  vault.enableKv('secret', 2);
  vault.enableKv('kv', 1);
  vault.enableDatabase();
  vault.writeDatabaseRole('database', 'app', { default_ttl: 3600, max_ttl: 7200 });
  vault.enablePki();
  vault.writePkiRole('pki', 'web', { ttl: 3600, max_ttl: 7200, key_type: 'ec' });
}

test('the Vault double answers like OpenBao: status codes, body shapes and error texts', { timeout: 180_000 }, async () => {
  const vault = await startVaultDouble();
  let lab: RealLab | undefined;
  try {
    seedDouble(vault);
    lab = await startRealLab({ tokenTtl: '1h', tokenMaxTtl: '2h', database: { defaultTtl: '1h', maxTtl: '2h' }, pki: { ttl: '1h', maxTtl: '2h' } });
    const real = lab;
    const sides: Side[] = [
      { name: 'double', send: (method, path, body, token) => sendRequest(vault.address, undefined, method, path, body, token === undefined ? {} : { token }), root: vault.rootToken, jwt: (account) => vault.issueServiceAccountJwt(account), saved: new Map() },
      { name: 'OpenBao', send: (method, path, body, token) => real.bao.request(method, path, body, { token: token ?? '' }), root: real.bao.rootToken, jwt: (account) => real.kube.issueServiceAccountToken(account), saved: new Map() },
    ];
    await Promise.all(sides.map(appLogin));

    const unexpected: string[] = [];
    const seen = new Set<string>();
    for (const entry of cases) {
      const [double, openbao] = await Promise.all(sides.map((side) => play(side, entry))) as [BaoResponse, BaoResponse];
      const findings = compareAnswers(double, openbao);
      if (entry.sameText !== undefined) {
        const [doubleText, realText] = [double.text, openbao.text].map((text) => entry.sameText?.exec(text)?.[0]);
        if (doubleText !== realText) findings.push(`text: double ${String(doubleText)}, OpenBao ${String(realText)}`);
      }
      for (const finding of findings) {
        const known = knownDifferences.find((difference) => matches(difference, entry.name, finding));
        if (known !== undefined) seen.add(`${known.case}: ${known.finding}`);
        else unexpected.push(`${entry.name} (${entry.method} ${entry.path} as ${JSON.stringify(entry.as)}): ${finding}\n    double:  ${JSON.stringify(double.body)?.slice(0, 300)}\n    OpenBao: ${JSON.stringify(openbao.body)?.slice(0, 300)}`);
      }
    }
    const stale = knownDifferences.filter((difference) => !seen.has(`${difference.case}: ${difference.finding}`));
    assert.deepEqual(stale, [], 'every known difference still occurs');
    assert.deepEqual(unexpected, [], `the double differs from OpenBao:\n${unexpected.join('\n')}`);
  } finally {
    await vault.close();
    await lab?.close();
  }
});

test('compareAnswers finds status, key, type and error-text differences, and nothing in equal shapes', () => {
  const rows: Array<[{ status: number; body: unknown }, { status: number; body: unknown }, string[]]> = [
    [{ status: 200, body: { data: { a: 'x', n: 1 } } }, { status: 200, body: { data: { a: 'y', n: 2 } } }, []],
    [{ status: 204, body: undefined }, { status: 202, body: undefined }, ['status: double 204, OpenBao 202']],
    [{ status: 200, body: { data: { a: 'x' } } }, { status: 200, body: { data: { a: 'x', b: true } } }, ['$.data.b: only in OpenBao (boolean)']],
    [{ status: 200, body: { data: { a: 'x', c: null } } }, { status: 200, body: { data: { a: 'x' } } }, ['$.data.c: only in the double (null)']],
    [{ status: 200, body: { data: { a: '1' } } }, { status: 200, body: { data: { a: 1 } } }, ['$.data.a: double string, OpenBao number']],
    [{ status: 200, body: { keys: [] } }, { status: 200, body: { keys: ['k'] } }, ['$.keys[]: only in OpenBao (string)']],
    [{ status: 403, body: { errors: ['permission denied'] } }, { status: 403, body: { errors: ['1 error occurred:\n\t* permission denied\n\n'] } }, ['errors: double ["permission denied"], OpenBao ["1 error occurred:\\n\\t* permission denied\\n\\n"]']],
  ];
  for (const [double, real, expected] of rows) assert.deepEqual(compareAnswers(double, real), expected, JSON.stringify([double, real]));
});
