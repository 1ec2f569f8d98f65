// `npm run demo`: the whole flow on localhost, with no cluster and no Vault.
// `npm run demo -- --vault openbao`: the same flow against a real OpenBao (`bao server -dev`, from
// scripts/setup-openbao.sh) with a real PostgreSQL behind its database engine.
// 1. a Vault (the double, or OpenBao) seeded with example secrets; 2. the webhook over HTTPS;
// 3. the AdmissionReview of demo/deployment.yaml's pod, and what the injection adds;
// 4. the real agent in init mode with the VAULT_CONFIG from that patch; 5. the agent as a
// sidecar re-rendering after a secret rotation. Paths inside the pod (/vault/secrets, the
// service account token) are mapped into a temporary directory; nothing else is changed.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync, readdirSync, statSync, rmSync, openSync, existsSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomUUID } from 'node:crypto';
import { parse as parseYaml } from 'yaml';
import fastJsonPatch from 'fast-json-patch';
import type { Operation } from 'fast-json-patch';
import { pino } from 'pino';
import { parseArgs } from 'node:util';
import { startVaultDouble } from '../test/doubles/vault/index.ts';
import type { VaultDouble } from '../test/doubles/vault/index.ts';
import { loadSettings } from '../src/settings.ts';
import { startServer } from '../src/server/main.ts';
import type { AgentConfig } from '../agent/src/config/schema.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const nodeBinary = process.execPath;
const podSecretsDir = '/vault/secrets';

const bold = (text: string): string => (process.stdout.isTTY ? `\x1b[1m${text}\x1b[0m` : text);
const say = (text = ''): void => void process.stdout.write(`${text}\n`);
const step = (text: string): void => say(`\n${bold(`== ${text}`)}`);
const indent = (text: string): string => text.replace(/^/gm, '    ');

interface PodTemplate {
  metadata: { labels?: Record<string, string>; annotations?: Record<string, string> };
  spec: Record<string, unknown>;
}

/** The Vault the demo runs against: where it is, the pod's service-account token, a rotation. */
interface DemoVault {
  address: string;
  description: string;
  jwt: string;
  rotate(): Promise<void>;
  /** What the real server says of the rendered files (OpenBao only). */
  check?(secretsDir: string): Promise<string[]>;
  close(): Promise<void>;
}

async function startDouble(): Promise<DemoVault> {
  const vault = await startVaultDouble();
  const jwt = seedVault(vault);
  return {
    address: vault.address,
    description: `Vault double at ${vault.address}`,
    jwt,
    rotate: async () => vault.putKv('secret', 'team-a/web', '{"api_key":"demo-key-2","port":5432.0}'),
    close: () => vault.close(),
  };
}

/** A real OpenBao and PostgreSQL, set up as the double is seeded; Kubernetes auth reviews the
 *  pod's token with the project's Kubernetes API double (there is no cluster). */
async function startOpenBaoVault(): Promise<DemoVault> {
  const { baoBinary, startOpenBao, OPENBAO_VERSION } = await import('../test/real/openbao.ts');
  const { startPostgres } = await import('../test/real/postgres.ts');
  const setup = await import('../test/real/setup.ts');
  const { startKubernetesDouble } = await import('../test/doubles/kubernetes/index.ts');
  baoBinary(); // throws, naming the set-up script, when OpenBao is not installed
  const stops: Array<() => Promise<void>> = [];
  const close = async (): Promise<void> => {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
  };
  try {
    const bao = await startOpenBao();
    stops.push(() => bao.stop());
    const kube = await startKubernetesDouble();
    stops.push(() => kube.close());
    const postgres = await startPostgres();
    stops.push(() => postgres.stop());
    await setup.writePolicy(bao, 'team-a-web', [
      'path "secret/data/team-a/*" { capabilities = ["read"] }',
      'path "database/creds/team-a-ro" { capabilities = ["read"] }',
    ].join('\n'));
    await setup.enableKubernetesAuth(bao, { url: kube.url, caPem: kube.caPem, token: kube.token });
    await setup.writeKubernetesRole(bao, 'web', { bound_service_account_names: ['web'], bound_service_account_namespaces: ['team-a'], token_policies: ['team-a-web'], token_ttl: '1h' });
    await setup.enableKv(bao, 'secret', 2);
    // The same raw JSON text the double is seeded with (KV v2 answers the number as 5432 either way).
    await bao.call('POST', 'secret/data/team-a/web', '{"data":{"api_key":"demo-key-1","port":5432.0}}');
    await setup.enableDatabase(bao, postgres, { role: 'team-a-ro', defaultTtl: '1h', maxTtl: '24h' });
    return {
      address: bao.addr,
      description: `OpenBao ${OPENBAO_VERSION} (bao server -dev) at ${bao.addr}, with PostgreSQL on 127.0.0.1:${postgres.port} behind its database engine`,
      jwt: kube.issueServiceAccountToken({ namespace: 'team-a', name: 'web' }),
      rotate: async () => void (await bao.call('POST', 'secret/data/team-a/web', '{"data":{"api_key":"demo-key-2","port":5432.0}}')),
      async check(secretsDir) {
        const url = /postgresql:\/\/([^:]+):([^@]+)@/.exec(readFileSync(join(secretsDir, 'db'), 'utf8'));
        if (url?.[1] === undefined || url[2] === undefined) return ['/vault/secrets/db holds no postgresql:// URL'];
        const [[user] = []] = await postgres.query('select current_user', { user: url[1], password: url[2] });
        const [[count] = []] = await postgres.query(`select count(*) from pg_roles where rolname = '${url[1].replace(/'/g, "''")}'`);
        return [`PostgreSQL: the rendered user logs in (current_user = ${user ?? '?'}); pg_roles has it: ${count === '1' ? 'yes' : 'no'}`];
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

function seedVault(vault: VaultDouble): string {
  vault.writePolicy('team-a-web', [
    'path "secret/data/team-a/*" { capabilities = ["read"] }',
    'path "database/creds/team-a-ro" { capabilities = ["read"] }',
  ].join('\n'));
  vault.enableKubernetesAuth('kubernetes');
  vault.writeKubernetesRole('kubernetes', 'web', {
    bound_service_account_names: ['web'],
    bound_service_account_namespaces: ['team-a'],
    token_policies: ['team-a-web'],
    token_ttl: 3600,
  });
  vault.enableKv('secret', 2);
  vault.putKv('secret', 'team-a/web', '{"api_key":"demo-key-1","port":5432.0}');
  vault.enableDatabase('database');
  vault.writeDatabaseRole('database', 'team-a-ro', { default_ttl: 3600, max_ttl: 86400 });
  return vault.issueServiceAccountJwt({ namespace: 'team-a', name: 'web' });
}

/** The AdmissionReview the API server sends when the ReplicaSet controller creates the pod. */
function admissionReviewFor(deploymentFile: string): unknown {
  const deployment = parseYaml(readFileSync(deploymentFile, 'utf8')) as { metadata: { name: string; namespace: string }; spec: { template: PodTemplate } };
  const namespace = deployment.metadata.namespace;
  const template = deployment.spec.template;
  const tokenVolume = 'kube-api-access-demo';
  const pod = {
    kind: 'Pod',
    apiVersion: 'v1',
    metadata: { generateName: `${deployment.metadata.name}-5d8c7b9f4-`, namespace, labels: template.metadata.labels, annotations: template.metadata.annotations },
    spec: {
      ...template.spec,
      containers: (template.spec['containers'] as Array<Record<string, unknown>>).map((container) => ({
        ...container,
        volumeMounts: [{ name: tokenVolume, readOnly: true, mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' }],
      })),
      volumes: [{ name: tokenVolume, projected: { sources: [{ serviceAccountToken: { expirationSeconds: 3607, path: 'token' } }] } }],
    },
  };
  const kind = { group: '', version: 'v1', kind: 'Pod' };
  const resource = { group: '', version: 'v1', resource: 'pods' };
  return {
    kind: 'AdmissionReview',
    apiVersion: 'admission.k8s.io/v1',
    request: {
      uid: randomUUID(), kind, resource, requestKind: kind, requestResource: resource, namespace, operation: 'CREATE',
      userInfo: { username: 'system:serviceaccount:kube-system:replicaset-controller' },
      object: pod, oldObject: null, dryRun: false, options: { kind: 'CreateOptions', apiVersion: 'meta.k8s.io/v1' },
    },
  };
}

function postJson(url: string, ca: string | undefined, body: unknown): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const payload = JSON.stringify(body);
    const req = request(`${url}/mutate`, { method: 'POST', ca, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown }));
    });
    req.on('error', reject);
    req.end(payload);
  });
}

interface Container { name: string; image?: string; env?: Array<{ name: string; value?: string }>; volumeMounts?: Array<{ name: string; mountPath: string }> }

function describePatch(operations: Operation[]): void {
  for (const operation of operations) {
    const value = 'value' in operation ? operation.value as unknown : undefined;
    let summary = '';
    if (Array.isArray(value)) summary = value.map((item) => (item as { name?: string }).name ?? JSON.stringify(item)).join(', ');
    else if (value !== null && typeof value === 'object') summary = (value as { name?: string; mountPath?: string }).name ?? JSON.stringify(value);
    else summary = JSON.stringify(value);
    if (value !== null && typeof value === 'object' && 'mountPath' in value) summary += ` at ${(value as { mountPath: string }).mountPath}`;
    say(`    ${operation.op.padEnd(4)} ${operation.path.padEnd(56)} ${summary}`);
  }
}

function agentConfigOf(container: Container): AgentConfig {
  const encoded = container.env?.find((entry) => entry.name === 'VAULT_CONFIG')?.value;
  if (encoded === undefined) throw new Error(`container ${container.name} has no VAULT_CONFIG`);
  return JSON.parse(Buffer.from(encoded, 'base64').toString('utf8')) as AgentConfig;
}

/** Maps the pod's paths onto this machine: the secrets volume, the token file, the agent's home. */
function onThisMachine(config: AgentConfig, workDir: string, tokenFile: string): AgentConfig {
  const secretsDir = join(workDir, 'vault', 'secrets');
  const home = join(workDir, 'home-vault');
  mkdirSync(home, { recursive: true });
  const mapPath = (path: string): string => path.startsWith(`${podSecretsDir}/`) ? join(secretsDir, path.slice(podSecretsDir.length + 1))
    : path.startsWith('/home/vault/') ? join(home, path.slice('/home/vault/'.length)) : path;
  const method = config.auto_auth.method;
  return {
    ...config,
    auto_auth: {
      method: method.type === 'jwt'
        ? { ...method, config: { ...method.config, token_path: tokenFile, path: tokenFile } }
        : { ...method, config: { ...method.config, token_path: tokenFile } },
      ...(config.auto_auth.sink !== undefined ? { sink: config.auto_auth.sink.map((sink) => ({ ...sink, config: { ...sink.config, path: mapPath(sink.config.path) } })) } : {}),
    },
    ...(config.pid_file !== undefined ? { pid_file: mapPath(config.pid_file) } : {}),
    template: (config.template ?? []).map((template) => ({ ...template, destination: mapPath(template.destination) })),
    vault_injector: { ...config.vault_injector, termination_message_path: join(workDir, 'termination-log'), log_format: 'json' },
  };
}

function runAgent(configFile: string, logFile: string): { exited: Promise<number>; stop(): void } {
  const log = openSync(logFile, 'a');
  const child = spawn(nodeBinary, ['--import', 'tsx', join(root, 'agent/src/cli.ts'), 'run', '--config', configFile], { cwd: root, stdio: ['ignore', log, log] });
  return {
    exited: new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal === null ? 1 : 0)))),
    stop: () => void child.kill('SIGTERM'),
  };
}

function listFiles(dir: string): string[] {
  return readdirSync(dir).filter((name) => !name.startsWith('.')).sort().filter((name) => statSync(join(dir, name)).isFile());
}

function printFiles(dir: string): void {
  for (const name of listFiles(dir)) {
    const mode = (statSync(join(dir, name)).mode & 0o777).toString(8).padStart(4, '0');
    say(`    ${podSecretsDir}/${name}  (mode ${mode})`);
    say(indent(indent(readFileSync(join(dir, name), 'utf8').trimEnd())));
  }
}

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return condition();
}

async function main(argv: string[]): Promise<number> {
  let which: string;
  try {
    which = parseArgs({ args: argv, options: { vault: { type: 'string', default: 'double' } }, strict: true }).values.vault ?? 'double';
  } catch (error) {
    process.stderr.write(`demo: ${(error as Error).message}\nusage: npm run demo [-- --vault double|openbao]\n`);
    return 2;
  }
  if (which !== 'double' && which !== 'openbao') {
    process.stderr.write(`demo: --vault ${JSON.stringify(which)} is not one of: double (the default, needs nothing but Node), openbao (a real OpenBao: bash scripts/setup-openbao.sh; and PostgreSQL: bash scripts/setup-postgres.sh)\n`);
    return 2;
  }
  let vault: DemoVault;
  try {
    vault = which === 'openbao' ? await startOpenBaoVault() : await startDouble();
  } catch (error) {
    process.stderr.write(`demo: cannot start ${which === 'openbao' ? 'OpenBao and PostgreSQL' : 'the Vault double'}: ${(error as Error).message}\n`);
    return 1;
  }
  const workDir = mkdtempSync(join(tmpdir(), 'vault-injector-demo-'));
  const tokenFile = join(workDir, 'serviceaccount-token');
  writeFileSync(tokenFile, vault.jwt, { mode: 0o600 });
  step(`${vault.description}: kubernetes auth role "web" for team-a/web, secret/data/team-a/web (KV v2), database/creds/team-a-ro`);


  let server: Awaited<ReturnType<typeof startServer>> | undefined;
  try {
    const loaded = loadSettings(['-listen', '127.0.0.1:0', '-vault-address', vault.address], {});
    if (!loaded.ok) throw new Error(loaded.problems.join('; '));
    const webhookLog = join(workDir, 'webhook.log');
    server = await startServer(loaded.settings, { handleSignals: false, logger: pino({ level: 'info' }, pino.destination({ dest: webhookLog, sync: true })) });
    step(`Webhook listening at ${server.url} (HTTPS, self-generated certificate)`);

    const review = admissionReviewFor(join(root, 'demo', 'deployment.yaml')) as { request: { object: { spec: Record<string, unknown> } } };
    step('AdmissionReview for the pod of demo/deployment.yaml → POST /mutate');
    const answer = await postJson(server.url, server.caPem(), review);
    const response = (answer.body as { response?: { allowed: boolean; patch?: string; status?: { message?: string } } }).response;
    if (answer.status !== 200 || response === undefined || !response.allowed || response.patch === undefined) {
      say(`    the webhook did not inject: HTTP ${answer.status} ${JSON.stringify(answer.body)}`);
      return 1;
    }
    const patch = JSON.parse(Buffer.from(response.patch, 'base64').toString('utf8')) as Operation[];
    say(`    allowed, ${patch.length} JSON patch operations:`);
    describePatch(patch);
    const mutated = fastJsonPatch.applyPatch(structuredClone(review.request.object), patch, true, false).newDocument as { spec: { initContainers?: Container[]; containers: Container[] } };
    const init = mutated.spec.initContainers?.find((container) => container.name === 'vault-agent-init');
    const sidecar = mutated.spec.containers.find((container) => container.name === 'vault-agent');
    if (init === undefined || sidecar === undefined) throw new Error('the patch added no vault-agent-init or vault-agent container');
    const initConfig = agentConfigOf(init);
    say('\n    VAULT_CONFIG of vault-agent-init (decoded):');
    say(indent(indent(JSON.stringify(initConfig, null, 2))));

    step('vault-agent-init: the real agent in init mode (renders once, exits)');
    const secretsDir = join(workDir, 'vault', 'secrets');
    const initFile = join(workDir, 'init.json');
    writeFileSync(initFile, JSON.stringify(onThisMachine(initConfig, workDir, tokenFile)));
    const started = Date.now();
    const initCode = await runAgent(initFile, join(workDir, 'agent-init.log')).exited;
    say(`    exited with ${initCode} after ${Date.now() - started} ms (log: ${join(workDir, 'agent-init.log')})`);
    if (initCode !== 0) {
      say(`    termination message: ${readFileSync(join(workDir, 'termination-log'), 'utf8')}`);
      return 1;
    }
    printFiles(secretsDir);
    for (const line of (await vault.check?.(secretsDir)) ?? []) say(`    ${line}`);

    step('vault-agent sidecar: keeps the files fresh; rotating secret/data/team-a/web');
    const sidecarConfig = onThisMachine(agentConfigOf(sidecar), workDir, tokenFile);
    sidecarConfig.template_config = { ...sidecarConfig.template_config, static_secret_render_interval: '1s' };
    const sidecarFile = join(workDir, 'sidecar.json');
    writeFileSync(sidecarFile, JSON.stringify(sidecarConfig));
    const envFile = join(secretsDir, 'app.env');
    const before = readFileSync(envFile, 'utf8');
    const sidecarLog = join(workDir, 'agent-sidecar.log');
    const agent = runAgent(sidecarFile, sidecarLog);
    // Rotate only once the sidecar has rendered, so what follows is a re-render, not a first render.
    const rendered = await waitFor(() => existsSync(sidecarLog) && readFileSync(sidecarLog, 'utf8').includes('"msg":"all templates rendered"'), 60_000);
    if (rendered) say('    the sidecar logged in and rendered both files (with its own token and database lease: a native sidecar avoids that double)');
    await vault.rotate();
    say('    wrote api_key=demo-key-2 (version 2); the sidecar re-reads static secrets every 1s here (5m by default)');
    const changed = rendered && await waitFor(() => readFileSync(envFile, 'utf8') !== before, 30_000);
    agent.stop();
    const sidecarCode = await agent.exited;
    if (!changed) {
      say(`    the sidecar did not re-render in time (log: ${sidecarLog})`);
      return 1;
    }
    say(`    ${podSecretsDir}/app.env re-rendered:`);
    say(indent(indent(readFileSync(envFile, 'utf8').trimEnd())));
    say(`    sidecar stopped on SIGTERM with exit code ${sidecarCode}`);
    step('Done: the webhook injected the pod, the agent rendered its secrets and kept them fresh.');
    return sidecarCode;
  } finally {
    await server?.close();
    await vault.close();
    if (process.env['KEEP_DEMO_DIR'] === undefined) rmSync(workDir, { recursive: true, force: true });
  }
}

process.exitCode = await main(process.argv.slice(2));
