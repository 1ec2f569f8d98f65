// Runs the REAL agent (node --import tsx agent/src/cli.ts run --config FILE) as a child process
// against the Vault double, and collects every line it prints so each test can scan them for the
// values the double issued (tokens, JWTs, secret values, private keys).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import assert from 'node:assert/strict';
import { startVaultDouble, type VaultDouble } from '../doubles/vault/index.ts';

export const repoRoot = resolve(import.meta.dirname, '../..');
const nodeBinary = join(repoRoot, 'node_modules/.bin/node');
const cliPath = join(repoRoot, 'agent/src/cli.ts');

/** What an agent run needs of its surroundings: a Vault (the double or a real one), a working
 *  directory, a service account token file, and a place to collect every line it prints. */
export interface AgentLab {
  /** The address agents are pointed at; `vaultStanza` adds to the config's `vault` block. */
  vaultAddress: string;
  vaultStanza?: Record<string, unknown>;
  dir: string;
  tokenFile: string;
  jwt: string;
  /** Every line printed by every agent of this lab. */
  lines: string[];
  /** Agents started in this lab; close() kills any still running. */
  agents: AgentProcess[];
  close(): Promise<void>;
}

export interface Lab extends AgentLab {
  vault: VaultDouble;
}

export const ROLE = 'app';
export const NAMESPACE = 'team-a';
export const SERVICE_ACCOUNT = 'app-sa';

/** A Vault double seeded like a typical cluster: kubernetes auth with role `app` bound to
 *  team-a/app-sa, KV v2 at secret/, KV v1 at kv/, database/ and pki/ engines, a policy for them. */
export async function startLab(options: { tokenTtl?: number; tokenMaxTtl?: number } = {}): Promise<Lab> {
  const vault = await startVaultDouble();
  vault.enableKubernetesAuth();
  vault.writePolicy(
    'app',
    `
path "secret/data/app/*" { capabilities = ["read"] }
path "secret/metadata/app/*" { capabilities = ["list", "read"] }
path "kv/app/*" { capabilities = ["read"] }
path "database/creds/app" { capabilities = ["read"] }
path "pki/issue/web" { capabilities = ["create", "update"] }
`,
  );
  vault.writeKubernetesRole('kubernetes', ROLE, {
    bound_service_account_names: [SERVICE_ACCOUNT],
    bound_service_account_namespaces: [NAMESPACE],
    token_policies: ['app'],
    ...(options.tokenTtl !== undefined ? { token_ttl: options.tokenTtl } : {}),
    ...(options.tokenMaxTtl !== undefined ? { token_max_ttl: options.tokenMaxTtl } : {}),
  });
  vault.enableKv('secret', 2);
  vault.enableKv('kv', 1);
  vault.enableDatabase();
  vault.enablePki();
  const dir = await mkdtemp(join(tmpdir(), 'agent-test-'));
  const jwt = vault.issueServiceAccountJwt({ namespace: NAMESPACE, name: SERVICE_ACCOUNT });
  const tokenFile = join(dir, 'sa-token');
  await writeFile(tokenFile, `${jwt}\n`);
  const lab: Lab = {
    vault,
    vaultAddress: vault.address,
    dir,
    tokenFile,
    jwt,
    lines: [],
    agents: [],
    async close() {
      await Promise.all(lab.agents.map((agent) => agent.stop('SIGKILL')));
      await vault.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
  return lab;
}

export interface AgentConfigInput {
  mode: 'init' | 'sidecar';
  templates: Array<Record<string, unknown>>;
  templateConfig?: Record<string, unknown>;
  extension?: Record<string, unknown>;
  method?: Record<string, unknown>;
  address?: string;
  sinks?: Array<{ path: string; mode?: number }>;
}

export function agentConfig(lab: AgentLab, input: AgentConfigInput): Record<string, unknown> {
  return {
    auto_auth: {
      method: { type: 'kubernetes', mount_path: 'auth/kubernetes', min_backoff: '100ms', max_backoff: '400ms', config: { role: ROLE, token_path: lab.tokenFile }, ...input.method },
      ...(input.sinks !== undefined ? { sink: input.sinks.map((sink) => ({ type: 'file', config: sink })) } : {}),
    },
    exit_after_auth: input.mode === 'init',
    vault: { ...lab.vaultStanza, address: input.address ?? lab.vaultAddress },
    template: input.templates,
    template_config: { exit_on_retry_failure: true, ...input.templateConfig },
    vault_injector: { termination_message_path: join(lab.dir, 'termination-log'), retry_timeout: '2s', log_level: 'debug', ...input.extension },
  };
}

export interface AgentProcess {
  child: ChildProcess;
  lines: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves with the first line (parsed JSON) matching, or rejects after the timeout. */
  waitFor(predicate: (record: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<Record<string, unknown>>;
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Runs `agent run --config FILE`, or with `viaEnv` `agent run` with VAULT_CONFIG (base64 JSON) as the webhook sets it;
 *  `configFile` runs a config file the test wrote (an HCL config), `config` is then unused. */
export async function startAgent(lab: AgentLab, config: Record<string, unknown>, env: NodeJS.ProcessEnv = {}, options: { viaEnv?: boolean; configFile?: string } = {}): Promise<AgentProcess> {
  const configFile = options.configFile ?? join(lab.dir, `config-${Math.random().toString(36).slice(2)}.json`);
  if (options.configFile === undefined) await writeFile(configFile, JSON.stringify(config));
  const args = options.viaEnv === true ? ['run'] : ['run', '--config', configFile];
  const configEnv = options.viaEnv === true ? { VAULT_CONFIG: Buffer.from(JSON.stringify(config)).toString('base64') } : {};
  const child = spawn(nodeBinary, ['--import', 'tsx', cliPath, ...args], {
    cwd: repoRoot,
    env: { PATH: process.env['PATH'], HOME: process.env['HOME'], ...configEnv, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const waiters = new Set<{ predicate: (record: Record<string, unknown>) => boolean; resolve: (record: Record<string, unknown>) => void }>();
  const onLine = (line: string): void => {
    lines.push(line);
    lab.lines.push(line);
    let record: Record<string, unknown>;
    try {
      record = JSON.parse(line) as Record<string, unknown>;
    } catch {
      return;
    }
    for (const waiter of [...waiters]) {
      if (waiter.predicate(record)) {
        waiters.delete(waiter);
        waiter.resolve(record);
      }
    }
  };
  for (const stream of [child.stdout, child.stderr]) {
    let partial = '';
    stream?.on('data', (chunk: Buffer) => {
      partial += chunk.toString('utf8');
      const parts = partial.split('\n');
      partial = parts.pop() ?? '';
      for (const line of parts) if (line !== '') onLine(line);
    });
    stream?.on('end', () => {
      if (partial !== '') onLine(partial);
    });
  }
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolveExit) => child.on('exit', (code, signal) => resolveExit({ code, signal })));
  const agent: AgentProcess = {
    child,
    lines,
    exited,
    waitFor(predicate, timeoutMs = 20_000) {
      for (const line of lines) {
        try {
          const record = JSON.parse(line) as Record<string, unknown>;
          if (predicate(record)) return Promise.resolve(record);
        } catch {
          // not JSON
        }
      }
      return new Promise((resolveWait, reject) => {
        const waiter = {
          predicate,
          resolve: (record: Record<string, unknown>) => {
            clearTimeout(timer);
            resolveWait(record);
          },
        };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`timed out waiting for a log line; last lines:\n${lines.slice(-15).join('\n')}`));
        }, timeoutMs);
        waiters.add(waiter);
        void exited.then(() => setTimeout(() => {
          if (waiters.has(waiter)) {
            waiters.delete(waiter);
            clearTimeout(timer);
            reject(new Error(`agent exited before the expected log line; last lines:\n${lines.slice(-15).join('\n')}`));
          }
        }, 50));
      });
    },
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
  lab.agents.push(agent);
  return agent;
}

export const message = (text: string) => (record: Record<string, unknown>) => record['msg'] === text;

/** No line printed by any agent of the lab holds a token, JWT, secret value or key the double issued. */
export function assertNothingSecretLogged(lab: Lab): void {
  const issued = lab.vault.issuedValues().filter((value) => value.length >= 4);
  assert.ok(issued.length > 0, 'the double issued values to look for');
  assert.ok(lab.lines.length > 0, 'the agent logged something');
  for (const line of lab.lines) {
    for (const value of issued) {
      if (line.includes(value) || line.includes(JSON.stringify(value).slice(1, -1))) {
        assert.fail(`a secret value issued by Vault appears in a log line: ${line.replace(value, '<<HERE>>').slice(0, 400)}`);
      }
    }
  }
}

export function countRequests(lab: Lab, method: string, pathPrefix: string): number {
  return lab.vault.requests.filter((request) => request.method === method && request.path.startsWith(pathPrefix)).length;
}

export const sleep = (ms: number) => new Promise((resolveSleep) => setTimeout(resolveSleep, ms));

/** Polls until check() returns a value (not undefined), or fails after the timeout. */
export async function eventually<T>(check: () => Promise<T | undefined> | T | undefined, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) assert.fail(`timed out: ${what}`);
    await sleep(50);
  }
}
