// Our agent against Vault Agent itself (`bao agent`, OpenBao 2.7.2's build), benchmarks, not tests:
// `npm run -s bench:agent-vs-bao [-- --runs N --rss-seconds N]`.
// Same real OpenBao, same 10 KV v2 templates, same service account token, the same config (the
// one our webhook builds for the pod, test/real/injected-config.ts; bao agent gets it without our
// `vault_injector` block), each run on an empty in-memory volume (tmpfs, as the pod's emptyDir).
//  1. init: process start to exit 0 with all 10 files written, in interleaved rounds (the order
//     flips every round so machine noise hits both alike). Target: ours no slower.
//  2. sidecar after N seconds (60 by default), both started together: private memory (RssAnon of
//     /proc/PID/status, Pss of /proc/PID/smaps_rollup) and RSS. A pod pays its private pages; the
//     binary's file pages are shared through the page cache. Target: our private memory no higher.
// Our agent runs as the image ships it: the loader agent.js running the esbuild bundle from its
// V8 code cache (scripts/bundle.ts, the same warm-up as Dockerfile.agent), NODE_ENV=production,
// config in VAULT_CONFIG.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, unlinkSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { bundle as bundlePrograms } from '../../scripts/bundle.ts';
import { baoAgentConfig, startBaoAgent, type BaoAgent } from '../real/bao-agent.ts';
import { baoBinary, OPENBAO_VERSION } from '../real/openbao.ts';
import { placeConfig, webhookInitConfig } from '../real/injected-config.ts';
import { startRealLab } from '../real/lab.ts';
import { writeKv } from '../real/setup.ts';
import { stopChild } from '../real/process.ts';

const root = resolve(import.meta.dirname, '../..');
const node = join(root, 'node_modules/.bin/node');
const { values } = parseArgs({ options: { runs: { type: 'string', default: '15' }, 'rss-seconds': { type: 'string', default: '60' } } });
const runs = Number(values.runs);
const rssSeconds = Number(values['rss-seconds']);
const TEMPLATES = 10;

type Json = Record<string, unknown>;

const median = (list: number[]): number => {
  const sorted = [...list].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
};
const round1 = (value: number): number => Math.round(value * 10) / 10;
const round2 = (value: number): number => Math.round(value * 100) / 100;

/** GNU time, when installed, adds each child's CPU time (user + system): on a loaded machine wall
 *  time mostly measures the wait for a core, CPU time what the program itself costs. */
const gnuTime = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

/** Spawn to exit: wall ms and CPU ms (NaN without GNU time); fails unless exit 0. */
function timeChild(command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }, what: string): Promise<{ ms: number; cpuMs: number }> {
  return new Promise((done, fail) => {
    const cpuFile = join(tmpdir(), `agent-vs-bao-cpu-${process.pid}-${Math.random().toString(36).slice(2)}`);
    const started = process.hrtime.bigint();
    const child = gnuTime === undefined
      ? spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] })
      : spawn(gnuTime, ['-q', '-f', '%U %S', '-o', cpuFile, command, ...args], { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const killer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('exit', (code) => {
      clearTimeout(killer);
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
      if (code === 0) done({ ms, cpuMs });
      else fail(new Error(`${what} exited ${code}:\n${output.slice(-2000)}`));
    });
  });
}

interface Memory {
  rssKiB: number;
  rssAnonKiB: number;
  rssFileKiB: number;
  pssKiB: number;
  pssAnonKiB: number;
  privateKiB: number;
}

async function memoryOf(pid: number): Promise<Memory> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const rollup = await readFile(`/proc/${pid}/smaps_rollup`, 'utf8');
  const field = (text: string, name: string): number => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? NaN);
  return {
    rssKiB: field(status, 'VmRSS'),
    rssAnonKiB: field(status, 'RssAnon'),
    rssFileKiB: field(status, 'RssFile'),
    pssKiB: field(rollup, 'Pss'),
    pssAnonKiB: field(rollup, 'Pss_Anon'),
    privateKiB: field(rollup, 'Private_Clean') + field(rollup, 'Private_Dirty'),
  };
}

const mib = (kib: number): number => round1(kib / 1024);

/** Where a process's anonymous (private) pages are, from /proc/PID/smaps: the brk heap (malloc:
 *  Node's C++ side, OpenSSL, Go's runtime has none), anonymous mmaps (V8's heap spaces and code
 *  space, Go's heap arenas), stacks. In MiB. */
async function anonymousBreakdown(pid: number): Promise<Record<string, number>> {
  const smaps = await readFile(`/proc/${pid}/smaps`, 'utf8');
  const sums: Record<string, number> = {};
  let region = '';
  for (const line of smaps.split('\n')) {
    const header = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (header !== null) {
      const name = header[1] ?? '';
      region = name === '' ? 'anonymous mmap' : name.startsWith('[stack') ? 'stacks' : name.startsWith('[') ? name : 'file mappings (written pages)';
      continue;
    }
    const anonymous = /^Anonymous:\s+(\d+) kB/.exec(line);
    if (anonymous !== null) sums[region] = (sums[region] ?? 0) + Number(anonymous[1]);
  }
  return Object.fromEntries(Object.entries(sums).filter(([, kib]) => kib > 0).map(([name, kib]) => [name, mib(kib)]));
}

/** Our sidecar with other Node flags, for information: how much of the private memory is V8's
 *  young generation (semi-space) and its optimising JIT. The image runs with none of them. */
const VARIANTS: ReadonlyArray<{ name: string; flags: string[]; env?: Record<string, string>; withoutCodeCache?: boolean }> = [
  { name: 'without the code cache', flags: [], withoutCodeCache: true },
  { name: 'semi-space 1 MiB', flags: ['--max-semi-space-size=1'] },
  { name: 'lite mode, semi-space 1 MiB', flags: ['--lite-mode', '--max-semi-space-size=1'] },
  { name: 'single-threaded V8, one malloc arena', flags: ['--single-threaded'], env: { MALLOC_ARENA_MAX: '1', UV_THREADPOOL_SIZE: '1' } },
  { name: 'all of the above but the cache', flags: ['--single-threaded', '--lite-mode', '--max-semi-space-size=1'], env: { MALLOC_ARENA_MAX: '1', UV_THREADPOOL_SIZE: '1' } },
];

async function main(): Promise<void> {
  const volume = await mkdtemp(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'agent-vs-bao-'));
  const lab = await startRealLab();
  const running: Array<() => Promise<void>> = [];
  try {
    const annotations: Record<string, string> = {};
    for (let index = 0; index < TEMPLATES; index++) {
      await writeKv(lab.bao, 'secret', 2, `app/s${index}`, { username: `user-${index}`, password: `password-${index}-xyz`, port: 5432 });
      annotations[`agent-inject-secret-s${index}`] = `secret/app/s${index}`;
      annotations[`agent-inject-template-s${index}`] = `{{ with secret "secret/app/s${index}" }}postgres://{{ .Data.data.username }}:{{ .Data.data.password }}@db:{{ .Data.data.port }}/app{{ end }}`;
    }
    const built = webhookInitConfig(annotations);
    const configFor = (side: string, mode: 'init' | 'sidecar'): Json => {
      const config = placeConfig(built, {
        vaultAddress: lab.bao.addr,
        tokenFile: lab.tokenFile,
        secretsDir: join(volume, side, mode, 'secrets'),
        homeDir: join(volume, side, mode, 'home'),
        terminationFile: join(volume, side, mode, 'termination-log'),
      });
      // The sidecar's config is the init's with the agent kept running (the webhook's sidecar
      // config differs only by that and by our own extension block).
      if (mode === 'sidecar') config['exit_after_auth'] = false;
      return config;
    };
    const emptyVolume = async (side: string, mode: 'init' | 'sidecar'): Promise<string> => {
      const dir = join(volume, side, mode);
      await rm(dir, { recursive: true, force: true });
      await mkdir(join(dir, 'home'), { recursive: true });
      return join(dir, 'secrets');
    };
    const allWritten = async (dir: string, what: string): Promise<void> => {
      const names = await readdir(dir).catch(() => [] as string[]);
      if (names.length !== TEMPLATES) throw new Error(`${what} wrote ${names.length} of ${TEMPLATES} files`);
      const last = await readFile(join(dir, `s${TEMPLATES - 1}`), 'utf8');
      if (last !== `postgres://user-${TEMPLATES - 1}:password-${TEMPLATES - 1}-xyz@db:5432/app`) throw new Error(`${what} wrote ${JSON.stringify(last)}`);
    };

    const bundled = await bundlePrograms({ outdir: join(volume, 'dist'), only: ['agent'], codeCache: true });
    const agentJs = bundled[0]?.outfile;
    const programJs = bundled[0]?.programFile;
    if (agentJs === undefined || programJs === undefined) throw new Error('no agent bundle was built');
    const oursEnv = (config: Json): NodeJS.ProcessEnv => ({ PATH: process.env['PATH'], NODE_ENV: 'production', VAULT_CONFIG: Buffer.from(JSON.stringify(config)).toString('base64') });
    const baoConfigFile = join(volume, 'bao-init.json');
    await writeFile(baoConfigFile, JSON.stringify(baoAgentConfig(configFor('bao', 'init'))));
    const oursInit = configFor('ours', 'init');

    type Timed = { ms: number; cpuMs: number };
    const timeBao = async (): Promise<Timed> => {
      const dir = await emptyVolume('bao', 'init');
      const timed = await timeChild(baoBinary(), ['agent', `-config=${baoConfigFile}`], { cwd: volume, env: { PATH: process.env['PATH'], HOME: volume } }, 'bao agent');
      await allWritten(dir, 'bao agent');
      return timed;
    };
    const timeOurs = async (): Promise<Timed> => {
      const dir = await emptyVolume('ours', 'init');
      const timed = await timeChild(node, [agentJs, 'run'], { cwd: volume, env: oursEnv(oursInit) }, 'our agent');
      await allWritten(dir, 'our agent');
      return timed;
    };
    const baoMs: number[] = [];
    const oursMs: number[] = [];
    const baoCpu: number[] = [];
    const oursCpu: number[] = [];
    const loadBefore = loadavg().map(round2);
    for (let round = -1; round < runs; round++) {
      // ABBA: bao first on even rounds, ours first on odd ones; round -1 is a warm-up of both.
      let baoRun: Timed;
      let oursRun: Timed;
      if (round % 2 === 0) {
        baoRun = await timeBao();
        oursRun = await timeOurs();
      } else {
        oursRun = await timeOurs();
        baoRun = await timeBao();
      }
      if (round < 0) continue;
      baoMs.push(baoRun.ms);
      oursMs.push(oursRun.ms);
      baoCpu.push(baoRun.cpuMs);
      oursCpu.push(oursRun.cpuMs);
    }
    const loadAfterInit = loadavg().map(round2);

    // Sidecars: both at once, same templates, measured after rssSeconds.
    await emptyVolume('bao', 'sidecar');
    const oursDir = await emptyVolume('ours', 'sidecar');
    const bao: BaoAgent = await startBaoAgent(configFor('bao', 'sidecar'), { quiet: true });
    running.push(() => bao.stop());
    const ours = spawn(node, [agentJs, 'run'], { cwd: volume, env: oursEnv(configFor('ours', 'sidecar')), stdio: 'ignore' });
    running.push(() => stopChild(ours));
    const variants = await Promise.all(VARIANTS.map(async (variant, index) => {
      const side = `variant-${index}`;
      await emptyVolume(side, 'sidecar');
      const program = variant.withoutCodeCache === true ? programJs : agentJs;
      const child = spawn(node, [...variant.flags, program, 'run'], { cwd: volume, env: { ...oursEnv(configFor(side, 'sidecar')), ...variant.env }, stdio: 'ignore' });
      running.push(() => stopChild(child));
      return { ...variant, child };
    }));
    await new Promise((resolveWait) => setTimeout(resolveWait, rssSeconds * 1000));
    if (bao.child.exitCode !== null || ours.exitCode !== null) throw new Error(`a sidecar exited early (bao ${bao.child.exitCode}, ours ${ours.exitCode})`);
    await allWritten(join(volume, 'bao', 'sidecar', 'secrets'), 'bao agent sidecar');
    await allWritten(oursDir, 'our agent sidecar');
    const [theirs, mine] = await Promise.all([memoryOf(bao.pid), memoryOf(ours.pid ?? -1)]);
    const [theirAnon, myAnon] = await Promise.all([anonymousBreakdown(bao.pid), anonymousBreakdown(ours.pid ?? -1)]);
 const variantMemory = await Promise.all(variants.map(async ({ name, flags, env, child }) => {
      const memory = await memoryOf(child.pid ?? -1);
      return { name, flags: flags.join(' '), env: env ?? {}, rssAnonMiB: mib(memory.rssAnonKiB), pssMiB: mib(memory.pssKiB), rssMiB: mib(memory.rssKiB), rssAnonRatio: round2(memory.rssAnonKiB / theirs.rssAnonKiB) };
    }));

    const report = {
      date: new Date().toISOString(),
      node: process.version,
      bao: `OpenBao v${OPENBAO_VERSION} (bao agent)`,
      runs,
      templates: TEMPLATES,
      loadAverage: { beforeInit: loadBefore, afterInit: loadAfterInit, atMemory: loadavg().map(round2) },
      init: {
        oursMs: round1(median(oursMs)),
        baoMs: round1(median(baoMs)),
        ratioOursOverBao: round2(median(oursMs) / median(baoMs)),
        oursMinMs: round1(Math.min(...oursMs)),
        baoMinMs: round1(Math.min(...baoMs)),
        meetsTarget: median(oursMs) <= median(baoMs),
        oursCpuMs: round1(median(oursCpu)),
        baoCpuMs: round1(median(baoCpu)),
        cpuRatioOursOverBao: round2(median(oursCpu) / median(baoCpu)),
      },
      sidecar: {
        afterSeconds: rssSeconds,
        ours: { rssMiB: mib(mine.rssKiB), rssAnonMiB: mib(mine.rssAnonKiB), rssFileMiB: mib(mine.rssFileKiB), pssMiB: mib(mine.pssKiB), pssAnonMiB: mib(mine.pssAnonKiB), privateMiB: mib(mine.privateKiB) },
        bao: { rssMiB: mib(theirs.rssKiB), rssAnonMiB: mib(theirs.rssAnonKiB), rssFileMiB: mib(theirs.rssFileKiB), pssMiB: mib(theirs.pssKiB), pssAnonMiB: mib(theirs.pssAnonKiB), privateMiB: mib(theirs.privateKiB) },
        ratios: {
          rssAnon: round2(mine.rssAnonKiB / theirs.rssAnonKiB),
          pss: round2(mine.pssKiB / theirs.pssKiB),
          rss: round2(mine.rssKiB / theirs.rssKiB),
        },
        meetsTarget: mine.rssAnonKiB <= theirs.rssAnonKiB && mine.pssKiB <= theirs.pssKiB,
        anonymousMiB: { ours: myAnon, bao: theirAnon },
        oursWithOtherFlags: variantMemory,
      },
    };
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } finally {
    await Promise.allSettled(running.map((stop) => stop()));
    await lab.close();
    await rm(volume, { recursive: true, force: true });
  }
}

await main();
