// The single-file bundles the images ship (scripts/bundle.ts): built into a temporary directory,
// checked for size and for dev dependencies, and run with Node 24 against the same inputs as the
// sources under tsx: the outputs must be identical.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { createServer } from 'node:net';
import { Readable, Writable } from 'node:stream';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AGENT_BUNDLE_BUDGET_BYTES, bundle, bundleProblems, devOnlyPackageKeys, formatSize, packageKeyOf, packagesIn, repoRoot } from '../../scripts/bundle.ts';
import type { BundleReport } from '../../scripts/bundle.ts';
import { DEFAULT_IMAGE_LAYOUT, startupProbeCommand } from '../../agent/src/probe.ts';
import { findObject, render } from '../chart/helm.ts';
import type { KubeObject } from '../chart/helm.ts';
import { startVaultDouble } from '../doubles/vault/index.ts';
import { contextCopies, parseDockerfile } from './dockerfile.ts';
import { codeCacheFile, programDigest, v8DataFor } from '../../agent/src/boot/code-cache.ts';

const node = join(repoRoot, 'node_modules', '.bin', 'node');
const fixturesDir = new URL('../fixtures/kubernetes', import.meta.url).pathname;
const workDir = mkdtempSync(join(tmpdir(), 'vault-injector-bundles-'));
const outdir = join(workDir, 'dist');
let reports: BundleReport[] = [];

before(async () => {
  // With the code cache, as the image runs the agent (Dockerfile.agent makes it the same way).
  reports = await bundle({ outdir, codeCache: true });
});
after(() => rmSync(workDir, { recursive: true, force: true }));

const reportOf = (name: 'agent' | 'webhook'): BundleReport => {
  const report = reports.find((r) => r.name === name);
  assert.ok(report, `${name} bundle was built`);
  return report;
};

interface Run { status: number | null; stdout: string; stderr: string }
function runNode(args: string[], options: { input?: string; env?: NodeJS.ProcessEnv } = {}): Run {
  const result = spawnSync(node, args, {
    cwd: workDir,
    encoding: 'utf8',
    input: options.input ?? '',
    env: { PATH: process.env['PATH'] ?? '', HOME: workDir, ...options.env },
    timeout: 30_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
/** The webhook's command line from the sources, in this process (the same runCli src/cli.ts calls). */
async function webhookFromSources(args: string[], options: { input?: string; env?: NodeJS.ProcessEnv } = {}): Promise<Run> {
  const { runCli } = await import('../../src/commands.ts');
  let stdout = '';
  let stderr = '';
  const sink = (append: (text: string) => void): NodeJS.WritableStream => new Writable({ write(chunk: Buffer, _encoding, done) { append(chunk.toString()); done(); } });
  const status = await runCli(args, {
    stdin: Readable.from([Buffer.from(options.input ?? '')]),
    stdout: sink((text) => { stdout += text; }),
    stderr: sink((text) => { stderr += text; }),
    env: { PATH: process.env['PATH'] ?? '', HOME: workDir, ...options.env },
    cwd: workDir,
  });
  return { status, stdout, stderr };
}

/** For children that talk to a server in this process (spawnSync would block its event loop). */
function runNodeAsync(args: string[], env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(node, args, { cwd: workDir, env: { PATH: process.env['PATH'] ?? '', HOME: workDir, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}
const tsx = (entry: string, args: string[], options?: { input?: string; env?: NodeJS.ProcessEnv }): Run =>
  runNode(['--import', join(repoRoot, 'node_modules/tsx/dist/esm/index.mjs'), join(repoRoot, entry), ...args], options);
const bundled = (file: string, args: string[], options?: { input?: string; env?: NodeJS.ProcessEnv }): Run =>
  runNode([join(outdir, file), ...args], options);

/** Log lines carry a time and a pid; everything else must match. */
function normalise(text: string): string {
  return text
    .split('\n')
    .map((line) => line.replace(/"time":"?[^,"}]+"?,?/g, '').replace(/"pid":\d+,?/g, '').replace(/"hostname":"[^"]*",?/g, '')
      .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z?[+-]?[\d:]*/g, 'TIME'))
    .join('\n');
}

describe('bundles', () => {
  test('both programs bundle into one file each (the agent with its loader and code cache); the agent stays under 2 MiB', (t) => {
    assert.deepEqual(reports.map((r) => r.name), ['webhook', 'agent']);
    for (const report of reports) t.diagnostic(`${report.name}: ${formatSize(report.bytes)} (${report.bytes} bytes, ${report.packages.length} packages)`);
    assert.deepEqual(readdirSync(outdir).sort(), ['agent-main.js', 'agent-main.js.cache', 'agent.js', 'hcl-parser.js', 'webhook.js']);
    assert.equal(AGENT_BUNDLE_BUDGET_BYTES, 2 * 1024 * 1024);
    assert.ok(reportOf('agent').bytes < AGENT_BUNDLE_BUDGET_BYTES, `agent bundle is ${formatSize(reportOf('agent').bytes)}`);
    assert.deepEqual(bundleProblems(reports), []);
  });

  test('no dev dependency and no test code in either bundle (esbuild metafile inputs)', () => {
    const devOnly = ['esbuild', 'typescript', 'tsx', 'kubernetes-models', 'adm-zip', 'autocannon', '@aws-cdk/lambda-layer-kubectl-v35', 'node', '@types/node'];
    for (const report of reports) {
      assert.deepEqual(report.devPackages, [], `${report.name}: dev packages`);
      // Left external: only a dependency's optional require (e.g. debug -> supports-color), never our code.
      assert.deepEqual(report.externalDevImports.filter((i) => !i.importer.startsWith('node_modules/')), [], `${report.name}: our code needs no dev package`);
      for (const name of devOnly) assert.ok(!report.packages.includes(`node_modules/${name}`), `${report.name} does not include ${name}`);
      const sources = Object.keys(report.metafile.inputs).filter((input) => !input.includes('node_modules/'));
      assert.deepEqual(sources.filter((input) => !/^(src|agent\/src)\//.test(input)), [], `${report.name}: only program sources`);
    }
    // The agent must not drag the webhook's server stack in.
    for (const heavy of ['node_modules/fastify', 'node_modules/@kubernetes/client-node']) {
      assert.ok(!reportOf('agent').packages.includes(heavy), `agent bundle has no ${heavy}`);
    }
  });

  test('the dev-dependency check itself catches a dev package', () => {
    assert.equal(packageKeyOf('node_modules/@aws-cdk/lambda-layer-kubectl-v35/lib/index.js'), 'node_modules/@aws-cdk/lambda-layer-kubectl-v35');
    assert.equal(packageKeyOf('node_modules/a/node_modules/b/x.js'), 'node_modules/a/node_modules/b');
    assert.equal(packageKeyOf('src/cli.ts'), undefined);
    const metafile = { inputs: { 'node_modules/typescript/lib/typescript.js': { bytes: 1, imports: [] }, 'node_modules/pino/pino.js': { bytes: 1, imports: [] } }, outputs: {} };
    const found = packagesIn(metafile, repoRoot);
    assert.deepEqual(found.devPackages, ['node_modules/typescript']);
    assert.match(bundleProblems([{ ...reportOf('agent'), ...found }]).join('\n'), /agent bundle includes dev dependencies: node_modules\/typescript/);
    assert.match(bundleProblems([{ ...reportOf('agent'), bytes: AGENT_BUNDLE_BUDGET_BYTES + 1 }]).join('\n'), /over its budget of 2\.00 MiB/);
    const fromSource = { ...reportOf('webhook'), externalDevImports: [{ importer: 'src/x.ts', path: 'typescript' }, { importer: 'node_modules/debug/src/node.js', path: 'supports-color' }] };
    assert.deepEqual(bundleProblems([fromSource]), ['webhook: src/x.ts imports the dev dependency typescript, which the image does not have']);
    const devKeys = devOnlyPackageKeys(repoRoot);
    assert.ok(devKeys.has('node_modules/typescript'));
    assert.ok(!devKeys.has('node_modules/pino'));
    // A name can be dev-only at the top level and a production dependency nested elsewhere.
    assert.ok(devKeys.has('node_modules/ret') && !devKeys.has('node_modules/safe-regex2/node_modules/ret'));
  });
});

test('each image\'s build context holds every source its bundle needs (Dockerfile COPY and .dockerignore)', () => {
  const ignored = readFileSync(join(repoRoot, '.dockerignore'), 'utf8').split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
  for (const [file, program] of [['Dockerfile.webhook', 'webhook'], ['Dockerfile.agent', 'agent']] as const) {
    const buildStage = parseDockerfile(readFileSync(join(repoRoot, file), 'utf8'))[0];
    assert.ok(buildStage);
    const copied = contextCopies(buildStage);
    const sources = Object.keys(reportOf(program).metafile.inputs).filter((input) => !input.includes('node_modules/'));
    assert.ok(sources.length > 10, `${program}: ${sources.length} sources`);
    for (const source of sources) {
      assert.ok(copied.some((path) => source === path || source.startsWith(`${path.replace(/\/$/, '')}/`)), `${file}: ${source} is copied into the build stage`);
      assert.ok(!ignored.some((pattern) => source === pattern || source.startsWith(`${pattern}/`)), `${source} is not in .dockerignore`);
    }
    for (const needed of ['package.json', 'package-lock.json', 'scripts/bundle.ts', 'tsconfig.json']) {
      assert.ok(copied.includes(needed), `${file}: ${needed} is copied`);
      assert.ok(!ignored.includes(needed), `${needed} is not ignored`);
    }
  }
});

describe('the agent\'s code cache (agent/src/boot)', () => {
  const cacheFile = (): string => join(outdir, 'agent-main.js.cache');
  const debugRun = (args: string[]): Run => bundled('agent.js', args, { env: { VAULT_AGENT_DEBUG: '1' } });

  test('a cache file is the program\'s digest, then V8\'s data; any other file is not handed to V8', () => {
    const digest = programDigest('program A');
    const data = Buffer.from('v8 data');
    assert.deepEqual(v8DataFor(digest, codeCacheFile(digest, data)), data);
    assert.equal(v8DataFor(programDigest('program B'), codeCacheFile(digest, data)), undefined, 'another program\'s cache');
    assert.equal(v8DataFor(digest, digest), undefined, 'a digest without data');
    assert.equal(v8DataFor(digest, Buffer.alloc(0)), undefined);
  });

  test('the bundle\'s cache was made for its program, and a start uses it', () => {
    const program = readFileSync(join(outdir, 'agent-main.js'), 'utf8');
    assert.ok(v8DataFor(programDigest(program), readFileSync(cacheFile())) !== undefined);
    const run = debugRun(['launch']);
    assert.equal(run.status, 2);
    assert.match(run.stderr, /^code cache: used$/m);
    assert.match(run.stderr, /unknown command "launch"/);
  });

  test('a cache V8 refuses, or none at all: the program compiles as before and answers the same', () => {
    const original = readFileSync(cacheFile());
    try {
      const damaged = Buffer.from(original);
      damaged.fill(0x5a, 32, 32 + 4096);
      writeFileSync(cacheFile(), damaged);
      const refused = debugRun(['launch']);
      assert.match(refused.stderr, /^code cache: rejected by V8$/m);
      assert.equal(refused.status, 2);
      rmSync(cacheFile());
      const without = debugRun(['launch']);
      assert.match(without.stderr, /^code cache: none for this program$/m);
      assert.equal(without.status, 2);
      assert.equal(without.stderr.replace(/^code cache.*\n/m, ''), refused.stderr.replace(/^code cache.*\n/m, ''));
    } finally {
      writeFileSync(cacheFile(), original);
    }
  });

  test('making the cache: the warm-up run ends with status 0 and a cache for this program', () => {
    const made = join(workDir, 'made.cache');
    const run = spawnSync(node, [join(outdir, 'agent.js')], { env: { PATH: process.env['PATH'], VAULT_AGENT_WRITE_CODE_CACHE: made }, encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stderr, /code cache written to .*made\.cache \(the warm-up run exited 1\)/, 'the warm-up fails by design: no Vault');
    const program = readFileSync(join(outdir, 'agent-main.js'), 'utf8');
    const data = v8DataFor(programDigest(program), readFileSync(made));
    assert.ok(data !== undefined && data.length > 100_000, `V8 data of ${data?.length ?? 0} bytes`);
  });
});

describe('the agent bundle runs like the sources', () => {
  test('run --config with a bad config: the same clear error, non-zero exit', () => {
    const config = join(workDir, 'bad.json');
    const terminationLog = join(workDir, 'termination-log');
    // The termination message goes to a file of ours, not the container path /dev/termination-log.
    writeFileSync(config, JSON.stringify({ auto_auth: { method: { type: 'approle', config: {} } }, vault: { address: 'https://vault:8200' }, cache: {}, vault_injector: { termination_message_path: terminationLog } }));
    const env = { VAULT_LOG_FORMAT: 'json' };
    const fromBundle = bundled('agent.js', ['run', '--config', config], { env });
    const bundleSentence = readFileSync(terminationLog, 'utf8');
    rmSync(terminationLog);
    const fromSources = tsx('agent/src/cli.ts', ['run', '--config', config], { env });
    assert.equal(bundleSentence, readFileSync(terminationLog, 'utf8'), 'the same termination message');
    assert.match(bundleSentence, /auto_auth\.method\.type/);
    assert.notEqual(fromBundle.status, 0);
    assert.equal(fromBundle.status, fromSources.status);
    assert.equal(normalise(fromBundle.stdout), normalise(fromSources.stdout));
    assert.equal(normalise(fromBundle.stderr), normalise(fromSources.stderr));
    const said = fromBundle.stdout + fromBundle.stderr;
    assert.match(said, /auto_auth\.method\.type/, 'names the field');
    assert.doesNotMatch(said, /\n\s+at .+\(.*:\d+:\d+\)/, 'no stack trace');
  });

  // (A missing config file is not run here: with no config to name another path, the agent writes
  // its termination message to /dev/termination-log, which only exists for it in a container.)
  test('run with an unknown argument: the same usage error from both', () => {
    const fromBundle = bundled('agent.js', ['launch']);
    const fromSources = tsx('agent/src/cli.ts', ['launch']);
    assert.equal(fromBundle.status, 2);
    assert.equal(fromBundle.status, fromSources.status);
    assert.equal(fromBundle.stdout + fromBundle.stderr, fromSources.stdout + fromSources.stderr);
    assert.match(fromBundle.stderr, /unknown command "launch"/);
  });

  test('run as the image runs it (only `run`, config in VAULT_CONFIG): logs in to Vault and renders, exits 0', async () => {
    const vault = await startVaultDouble();
    try {
      vault.enableKubernetesAuth();
      vault.writePolicy('app', 'path "secret/data/app/*" { capabilities = ["read"] }\npath "database/creds/app" { capabilities = ["read"] }');
      vault.writeKubernetesRole('kubernetes', 'app', { bound_service_account_names: ['app-sa'], bound_service_account_namespaces: ['team-a'], token_policies: ['app'] });
      vault.enableKv('secret', 2);
      vault.putKv('secret', 'app/db', { username: 'db-user-41', password: 'pw-7c2e' });
      vault.enableDatabase();
      vault.writeDatabaseRole('database', 'app', { default_ttl: 3600, max_ttl: 7200 });
      const tokenFile = join(workDir, 'sa-token');
      writeFileSync(tokenFile, vault.issueServiceAccountJwt({ namespace: 'team-a', name: 'app-sa' }));
      const secretsDir = join(workDir, 'secrets');
      const config = {
        auto_auth: { method: { type: 'kubernetes', mount_path: 'auth/kubernetes', config: { role: 'app', token_path: tokenFile } } },
        exit_after_auth: true,
        vault: { address: vault.address },
        template: [
          { destination: join(secretsDir, 'db'), contents: '{{ with secret "secret/app/db" }}{{ .Data.data.username }}:{{ .Data.data.password }}{{ end }}', perms: '0600' },
          { destination: join(secretsDir, 'creds'), contents: '{{ with secret "database/creds/app" }}{{ .Data.username }}{{ end }}' },
        ],
        vault_injector: { termination_message_path: join(workDir, 'termination-log') },
      };
      // DEBUG=node-vault would make node-vault print its request bodies (the login JWT among them).
      const run = await runNodeAsync([join(outdir, 'agent.js'), 'run'], { VAULT_CONFIG: Buffer.from(JSON.stringify(config)).toString('base64'), DEBUG: '*' });
      assert.equal(run.status, 0, run.stdout + run.stderr);
      assert.equal(readFileSync(join(secretsDir, 'db'), 'utf8'), 'db-user-41:pw-7c2e');
      assert.match(readFileSync(join(secretsDir, 'creds'), 'utf8'), /^\S+$/);
      for (const value of vault.issuedValues()) assert.ok(!(run.stdout + run.stderr).includes(value), 'no issued value in the output');
      const jwt = readFileSync(tokenFile, 'utf8');
      assert.ok(!(run.stdout + run.stderr).includes(jwt.split('.')[1] ?? jwt), 'no part of the JWT in the output, even with DEBUG=*');
    } finally {
      await vault.close();
    }
  });

  test('probe: the native sidecar startup probe command works on the bundle', () => {
    const ready = join(workDir, 'ready');
    const command = startupProbeCommand(ready);
    // [node, /agent.js, probe, FILE] in the image; here the bundle's path stands for /agent.js.
    assert.equal(command[1], DEFAULT_IMAGE_LAYOUT.script);
    const args = command.slice(2);
    assert.equal(bundled('agent.js', args).status, 1, 'not ready before the file exists');
    writeFileSync(ready, '');
    assert.equal(bundled('agent.js', args).status, 0, 'ready once the agent wrote it');
  });

  test('render: a template renders the same from the bundle', () => {
    const template = join(workDir, 'db.tmpl');
    const secrets = join(workDir, 'secrets.json');
    writeFileSync(template, '{{ with secret "secret/data/app/db" }}user={{ .Data.data.username }} port={{ .Data.data.port }}{{ end }}\n');
    writeFileSync(secrets, JSON.stringify({ 'secret/data/app/db': { data: { data: { username: 'app', port: 5432 }, metadata: { version: 3 } }, lease_duration: 0, renewable: false } }));
    const fromBundle = bundled('agent.js', ['render', template, '--secrets', secrets]);
    const fromSources = tsx('agent/src/cli.ts', ['render', template, '--secrets', secrets]);
    assert.equal(fromBundle.status, fromSources.status);
    assert.equal(fromBundle.stdout, fromSources.stdout);
    assert.equal(fromBundle.status, 0, fromBundle.stderr);
    assert.equal(fromBundle.stdout, 'user=app port=5432\n');
  });
});

describe('the webhook bundle runs like the sources', () => {
  const reviews = readdirSync(fixturesDir).filter((file) => file.startsWith('review-') && file.endsWith('.json')).sort();
  const flags = ['-vault-address=https://vault.vault.svc:8200', '-vault-image=ghcr.io/vault-injector/agent:0.1.0'];

  test('there are fixtures to run', () => assert.ok(reviews.length >= 3, reviews.join(', ')));

  for (const review of reviews) {
    test(`mutate ${review}: the same AdmissionReview response`, async () => {
      const input = readFileSync(join(fixturesDir, review), 'utf8');
      const fromBundle = bundled('webhook.js', ['mutate', ...flags], { input });
      const fromSources = await webhookFromSources(['mutate', ...flags], { input });
      assert.equal(fromBundle.status, 0, fromBundle.stderr);
      assert.equal(fromBundle.status, fromSources.status);
      assert.equal(fromBundle.stdout, fromSources.stdout);
      const response = JSON.parse(fromBundle.stdout) as { response: { uid: string; allowed: boolean; patch?: string } };
      assert.equal(response.response.uid, (JSON.parse(input) as { request: { uid: string } }).request.uid);
      if (review.includes('deployment')) assert.ok(response.response.patch, 'the annotated pod is mutated');
    });
  }

  test('mutate with the chart\'s tenant policy: the same response from both', async () => {
    const policy = (findObject(render({ set: ['profile=tenant'] }), 'ConfigMap') as KubeObject & { data: Record<string, string> }).data['policy.yaml'] ?? '';
    const policyFile = join(workDir, 'policy.yaml');
    writeFileSync(policyFile, policy);
    const input = readFileSync(join(fixturesDir, 'review-v1-deployment-pod.json'), 'utf8');
    const env = { AGENT_INJECT_TENANCY_POLICY_FILE: policyFile };
    const fromBundle = bundled('webhook.js', ['mutate', ...flags], { input, env });
    const fromSources = await webhookFromSources(['mutate', ...flags], { input, env });
    assert.equal(fromBundle.status, 0, fromBundle.stderr);
    assert.equal(fromBundle.stdout, fromSources.stdout);
  });

  test('the chart\'s tenants-sync CronJob command line is one the bundled tenants command accepts', () => {
    const objects = render({ set: ['profile=tenant', 'tenancy.controller.enabled=true'] });
    const cronJob = findObject(objects, 'CronJob') as KubeObject & { spec: { jobTemplate: { spec: { template: { spec: { containers: Array<{ args: string[]; env: Array<{ name: string; value: string }> }> } } } } } };
    const container = cronJob.spec.jobTemplate.spec.template.spec.containers[0];
    assert.ok(container);
    const policyFile = join(workDir, 'cron-policy.yaml');
    writeFileSync(policyFile, (findObject(objects, 'ConfigMap') as KubeObject & { data: Record<string, string> }).data['policy.yaml'] ?? '');
    const env: NodeJS.ProcessEnv = Object.fromEntries(container.env.map((e) => [e.name, e.value]));
    env['AGENT_INJECT_TENANCY_POLICY_FILE'] = policyFile;
    // No cluster here: the run must get past the command line and the policy, and stop at Kubernetes.
    env['KUBECONFIG'] = join(workDir, 'no-kubeconfig');
    const result = bundled('webhook.js', container.args, { env });
    assert.notEqual(result.status, 0);
    assert.doesNotMatch(result.stderr, /TENANCY_CLI_USAGE|TENANCY_POLICY_INVALID|Usage:/);
    assert.match(result.stderr, /TENANCY_SYNC_KUBERNETES_FAILED/);
  });

  test('a bad setting: the same clear error and exit code', async () => {
    const fromBundle = bundled('webhook.js', ['mutate', '-listen=nowhere'], { input: '{}' });
    const fromSources = await webhookFromSources(['mutate', '-listen=nowhere'], { input: '{}' });
    assert.notEqual(fromBundle.status, 0);
    assert.equal(fromBundle.status, fromSources.status);
    assert.equal(fromBundle.stderr, fromSources.stderr);
    assert.match(fromBundle.stderr, /flag -listen: "nowhere" is not an address/);
  });

  test('serve: HTTPS with a generated certificate, /health/ready, /metrics and /mutate; SIGTERM stops it', async () => {
    const port = await freePort();
    const child = spawn(node, [join(outdir, 'webhook.js'), 'serve'], {
      cwd: workDir,
      env: { PATH: process.env['PATH'] ?? '', AGENT_INJECT_VAULT_ADDR: 'https://vault.vault.svc:8200', AGENT_INJECT_LISTEN: `127.0.0.1:${port}`, AGENT_INJECT_LOG_FORMAT: 'json' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => { output += chunk.toString(); });
    child.stderr.on('data', (chunk: Buffer) => { output += chunk.toString(); });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const ready = await poll(() => get(port, 'GET', '/health/ready'), 30_000);
      assert.ok(ready.status >= 200 && ready.status < 300, `ready: ${ready.status}`);
      const metrics = await get(port, 'GET', '/metrics');
      assert.equal(metrics.status, 200);
      assert.match(metrics.body, /vault_agent_injector_/);
      const review = readFileSync(join(fixturesDir, 'review-v1-deployment-pod.json'), 'utf8');
      const admitted = await get(port, 'POST', '/mutate', review);
      assert.equal(admitted.status, 200);
      assert.equal((JSON.parse(admitted.body) as { response: { allowed: boolean } }).response.allowed, true);
      // The chart's `helm test` pod script, pointed at this server instead of the Service.
      const hook = findObject(render(), 'Pod', '-test-connection') as KubeObject & { spec: { containers: Array<{ command: string[]; args: string[] }> } };
      const script = hook.spec.containers[0];
      assert.ok(script);
      const probe = await runNodeAsync([...script.command.slice(1), ...script.args], { TARGET: `https://127.0.0.1:${port}/health/ready` });
      assert.equal(probe.status, 0, probe.stdout + probe.stderr);
      assert.match(probe.stdout, /HTTP 200/);
    } finally {
      child.kill('SIGTERM');
    }
    const code = await Promise.race([exited, new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 15_000))]);
    if (code === 'timeout') child.kill('SIGKILL');
    assert.equal(code, 0, output);
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

function get(port: number, method: string, path: string, body?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    // The certificate is the webhook's own, generated at start: no CA to verify it against here.
    const req = request({ host: '127.0.0.1', port, method, path, rejectUnauthorized: false, headers: body === undefined ? {} : { 'content-type': 'application/json' } }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => { text += chunk.toString(); });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function poll<T>(attempt: () => Promise<T>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
