// Agent benchmarks (not tests): `npm run -s bench:agent [-- --rss-seconds N --runs N]`.
//  1. Init time, process start → exit 0 with 10 templates written, against a bare `node -e 0`
//     measured in the same run (target: within 150 ms of it). Measured for what the image ships
//     (the loader agent.js running the esbuild bundle agent-main.js from its V8 code cache, made
//     by the same warm-up as Dockerfile.agent's), and for information the bundle without its
//     cache and the sources through tsx. The files go to tmpfs (/dev/shm) when there is one, as
//     the injected pod's secrets volume is an in-memory emptyDir.
//  2. Sidecar resident memory (VmRSS) with 10 templates after a minute (target ≤ 48 MiB).
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, unlinkSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { bundle as bundlePrograms } from '../../scripts/bundle.ts';
import { startVaultDouble } from '../doubles/vault/index.ts';

const root = resolve(import.meta.dirname, '../..');
const node = join(root, 'node_modules/.bin/node');
const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const index = args.indexOf(name);
  return index >= 0 ? Number(args[index + 1]) : fallback;
};
const runs = option('--runs', 15);
const rssSeconds = option('--rss-seconds', 60);

/** GNU time, when installed, adds the child's CPU time: on a busy machine wall time mostly
 *  measures the wait for a core, CPU time what the program itself costs. */
const gnuTime = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

function timeProcess(argv: string[], env: NodeJS.ProcessEnv = {}): Promise<{ ms: number; cpuMs: number; code: number | null; output: string }> {
  return new Promise((done) => {
    const cpuFile = join(tmpdir(), `agent-bench-cpu-${process.pid}-${Math.random().toString(36).slice(2)}`);
    const command = gnuTime === undefined ? node : gnuTime;
    const commandArgs = gnuTime === undefined ? argv : ['-q', '-f', '%U %S', '-o', cpuFile, node, ...argv];
    const started = process.hrtime.bigint();
    const child = spawn(command, commandArgs, { cwd: root, env: { PATH: process.env['PATH'], ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (code) => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      let cpuMs = NaN;
      if (gnuTime !== undefined) {
        try {
          const [user, system] = readFileSync(cpuFile, 'utf8').trim().split(/\s+/).map(Number);
          cpuMs = ((user ?? NaN) + (system ?? NaN)) * 1000;
          unlinkSync(cpuFile);
        } catch {
          // no CPU figure for this run
        }
      }
      done({ ms, cpuMs, code, output });
    });
  });
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
};

async function main(): Promise<void> {
  const dir = await mkdtemp(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'agent-bench-'));
  const vault = await startVaultDouble();
  try {
    vault.enableKubernetesAuth();
    vault.writePolicy('app', 'path "secret/data/app/*" { capabilities = ["read"] }');
    vault.writeKubernetesRole('kubernetes', 'app', { bound_service_account_names: ['app'], bound_service_account_namespaces: ['bench'], token_policies: ['app'] });
    vault.enableKv('secret', 2);
    for (let index = 0; index < 10; index++) vault.putKv('secret', `app/s${index}`, { username: `user-${index}`, password: `password-${index}-xyz`, port: 5432 });
    const tokenFile = join(dir, 'token');
    await writeFile(tokenFile, vault.issueServiceAccountJwt({ namespace: 'bench', name: 'app' }));
    const config = (mode: 'init' | 'sidecar', out: string) => ({
      auto_auth: { method: { type: 'kubernetes', mount_path: 'auth/kubernetes', config: { role: 'app', token_path: tokenFile } } },
      exit_after_auth: mode === 'init',
      vault: { address: vault.address },
      template: Array.from({ length: 10 }, (_, index) => ({
        destination: join(out, `secret-${index}`),
        contents: `{{ with secret "secret/app/s${index}" }}postgres://{{ .Data.data.username }}:{{ .Data.data.password }}@db:{{ .Data.data.port }}/app{{ end }}`,
      })),
      vault_injector: { termination_message_path: join(dir, 'termination-log'), log_level: 'warn' },
    });
    const initConfig = join(dir, 'init.json');
    await writeFile(initConfig, JSON.stringify(config('init', join(dir, 'out-init'))));
    const sidecarConfig = join(dir, 'sidecar.json');
    await writeFile(sidecarConfig, JSON.stringify(config('sidecar', join(dir, 'out-sidecar'))));

    // The bundle exactly as the image ships it (scripts/bundle.ts: esbuild, CommonJS, minified),
    // with its loader and code cache.
    const built = Date.now();
    const [bundleReport] = await bundlePrograms({ outdir: join(dir, 'dist'), only: ['agent'], codeCache: true });
    if (bundleReport === undefined) throw new Error('no agent bundle was built');
    const bundle = bundleReport.outfile;
    const program = bundleReport.programFile;
    const bundleBytes = bundleReport.bytes;
    const buildMs = Date.now() - built;

    const bare: number[] = [];
    const bundled: number[] = [];
    const uncached: number[] = [];
    const viaTsx: number[] = [];
    const bareCpu: number[] = [];
    const bundledCpu: number[] = [];
    // Interleaved so machine noise hits all three alike; one warm-up of each first.
    for (let round = -1; round < runs; round++) {
      const a = await timeProcess(['-e', '0']);
      // An init container starts on an empty volume: every run writes all ten files anew.
      const emptyVolume = async () => {
        await rm(join(dir, 'out-init'), { recursive: true, force: true });
        await mkdir(join(dir, 'out-init'));
      };
      await emptyVolume();
      const b = await timeProcess([bundle, 'run', '--config', initConfig]);
      if (b.code !== 0) throw new Error(`bundled agent failed: ${b.output}`);
      await emptyVolume();
      const u = await timeProcess([program, 'run', '--config', initConfig]);
      if (u.code !== 0) throw new Error(`bundled agent without its cache failed: ${u.output}`);
      if (round < Math.min(runs, 3)) await emptyVolume();
      const c = round < Math.min(runs, 3) ? await timeProcess(['--import', 'tsx', join(root, 'agent/src/cli.ts'), 'run', '--config', initConfig]) : undefined;
      if (c !== undefined && c.code !== 0) throw new Error(`agent via tsx failed: ${c.output}`);
      if (round < 0) continue;
      bare.push(a.ms);
      bundled.push(b.ms);
      uncached.push(u.ms);
      bareCpu.push(a.cpuMs);
      bundledCpu.push(b.cpuMs);
      if (c !== undefined) viaTsx.push(c.ms);
    }
    const written = await readFile(join(dir, 'out-init', 'secret-9'), 'utf8');
    if (written !== 'postgres://user-9:password-9-xyz@db:5432/app') throw new Error(`unexpected output ${written}`);

    // Sidecar memory after rssSeconds: default flags, and the flags we recommend for the image
    // (--lite-mode: no JIT, the agent is idle nearly all the time; a 1 MiB young generation).
    const variants: Array<{ name: string; flags: string[] }> = [
      { name: 'default', flags: [] },
      { name: 'lite', flags: ['--lite-mode', '--max-semi-space-size=1'] },
    ];
    const sidecars = variants.map((variant, index) => {
      const variantConfig = join(dir, `sidecar-${index}.json`);
      return { variant, config: variantConfig };
    });
    for (const [index, sidecarRun] of sidecars.entries()) await writeFile(sidecarRun.config, JSON.stringify(config('sidecar', join(dir, `out-sidecar-${index}`))));
    const children = sidecars.map(({ variant, config: file }) => ({ variant, child: spawn(node, [...variant.flags, bundle, 'run', '--config', file], { cwd: root, env: { PATH: process.env['PATH'] }, stdio: 'ignore' }) }));
    await new Promise((resolveWait) => setTimeout(resolveWait, rssSeconds * 1000));
    const memory: Record<string, { flags: string; rssMiB: number; meetsTarget: boolean }> = {};
    for (const { variant, child } of children) {
      const status = await readFile(`/proc/${child.pid}/status`, 'utf8');
      const rssKiB = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
      memory[variant.name] = { flags: variant.flags.join(' '), rssMiB: round1(rssKiB / 1024), meetsTarget: rssKiB / 1024 <= 48 };
      child.kill('SIGTERM');
    }
    // The floor: an idle bare Node with the TLS module loaded (any agent talking HTTPS to Vault).
    const floor = spawn(node, ['-e', "require('node:tls'); setInterval(() => {}, 1000)"], { stdio: 'ignore' });
    await new Promise((resolveWait) => setTimeout(resolveWait, 1500));
    const floorKiB = Number(/VmRSS:\s+(\d+)/.exec(await readFile(`/proc/${floor.pid}/status`, 'utf8'))?.[1] ?? NaN);
    floor.kill();
    const bareMs = median(bare);
    const bundleMs = median(bundled);

    const tsxMs = median(viaTsx);
    const report = {
      runs,
      bundle: { bytes: bundleBytes, buildMs },
      init: {
        bareNodeMs: round1(bareMs),
        bundledAgentMs: round1(bundleMs),
        bundledOverBareMs: round1(bundleMs - bareMs),
        bundledRatio: round2(bundleMs / bareMs),
        targetOverBareMs: 150,
        meetsTarget: bundleMs - bareMs <= 150,
        bareNodeCpuMs: round1(median(bareCpu)),
        bundledAgentCpuMs: round1(median(bundledCpu)),
        bundledOverBareCpuMs: round1(median(bundledCpu) - median(bareCpu)),
        withoutCodeCacheMs: round1(median(uncached)),
        withoutCodeCacheOverBareMs: round1(median(uncached) - bareMs),
        loadAverage: loadavg().map(round2),
        tsxAgentMs: round1(tsxMs),
        tsxOverBareMs: round1(tsxMs - bareMs),
      },
      sidecar: { afterSeconds: rssSeconds, templates: 10, targetMiB: 48, ...memory, idleNodeWithTlsMiB: round1(floorKiB / 1024) },
    };
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } finally {
    await vault.close();
    await rm(dir, { recursive: true, force: true });
  }
}

const round1 = (value: number) => Math.round(value * 10) / 10;
const round2 = (value: number) => Math.round(value * 100) / 100;

await main();
