// `npm run bench`: every figure of BENCHMARKS.md in one run, each beside its reference measured in
// the same run on the same machine. Runs the existing benchmarks as child processes (one at a
// time, so they do not compete for the 2 cores), then the long load test and the hostile suite,
// and prints a summary table of ratios plus one JSON line with everything.
//   --quick        shorter runs (admission 5 s per run, agent 7 runs and RSS after 20 s, template 1000 runs, load 20 s)
//   --only a,b     any of: template, admission, agent, agent-vs-bao, load, hostile
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const root = resolve(import.meta.dirname, '../..');
const node = join(root, 'node_modules/.bin/node');
const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false }, only: { type: 'string' } } });
const quick = values.quick === true;
const only = new Set((values.only ?? 'template,admission,agent,agent-vs-bao,load,hostile').split(',').map((name) => name.trim()));

function run(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string; seconds: number }> {
  return new Promise((done) => {
    const started = Date.now();
    const child = spawn(node, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString(); process.stdout.write(chunk); });
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    child.on('exit', (code) => done({ code, stdout, stderr, seconds: (Date.now() - started) / 1000 }));
  });
}

// the template oracle (test/oracle) is built with the machine's Go by scripts/build-oracle.sh
const goAvailable = (): string | undefined => {
  for (const dir of (process.env['PATH'] ?? '').split(':')) if (dir !== '' && existsSync(join(dir, 'go'))) return join(dir, 'go');
  return undefined;
};

const rows: Array<[string, string, string, string]> = [];
const figures: Record<string, unknown> = { date: new Date().toISOString(), node: process.version, cpus: cpus().length, loadAverageAtStart: loadavg().map((value) => +value.toFixed(2)), quick };
const row = (what: string, ours: string, reference: string, ratio: string) => rows.push([what, ours, reference, ratio]);
const failed: string[] = [];

if (only.has('template')) {
  const go = goAvailable();
  if (go === undefined) {
    console.log('template: skipped: `go` is not on PATH, so the template oracle (test/oracle) cannot be built to compare with');
    row('template parse+exec (8 templates)', 'skipped', 'no Go on this machine', '-');
  } else {
    console.log(`\n== template vs the template oracle (Go text/template + consul-template, built with ${go})`);
    const result = await run(['--import', 'tsx', 'test/bench/template.bench.ts', '--runs', quick ? '1000' : '3000']);
    // The total line: 6 numbers (go parse+exec, ours, ratio | go exec, ours exec, ratio) in the first
    // version of the benchmark, 8 since it also times building the function map on every render.
    const totalLine = /^total\s.*$/m.exec(result.stdout)?.[0];
    const numbers = (totalLine ?? '').match(/\d+(?:\.\d+)?/g)?.map(Number) ?? [];
    if (result.code !== 0 || (numbers.length !== 6 && numbers.length !== 8)) failed.push(`template (exit ${result.code}): ${result.stderr.slice(-500)}`);
    else if (numbers.length === 6) {
      const [goFull, oursFull, fullRatio, goExec, oursExec, execRatio] = numbers as [number, number, number, number, number, number];
      figures['template'] = { goParseExecNs: goFull, oursParseExecNs: oursFull, parseExecRatioGoOverOurs: fullRatio, goExecNs: goExec, oursExecNs: oursExec, execRatioGoOverOurs: execRatio };
      row('template parse+exec, 8 templates (ns)', String(oursFull), `Go ${goFull}`, `${fullRatio}x Go speed`);
      row('template exec only, 8 templates (ns)', String(oursExec), `Go ${goExec}`, `${execRatio}x Go speed`);
    } else {
      const [goMap, oursMap, mapRatio, oursParse, parseRatio, goExec, oursExec, execRatio] = numbers as [number, number, number, number, number, number, number, number];
      figures['template'] = { goMapParseExecNs: goMap, oursMapParseExecNs: oursMap, mapParseExecRatioGoOverOurs: mapRatio, oursParseExecNs: oursParse, parseExecRatioGoOverOurs: parseRatio, goExecNs: goExec, oursExecNs: oursExec, execRatioGoOverOurs: execRatio };
      row('template map+parse+exec, 8 templates (ns)', String(oursMap), `Go ${goMap}`, `${mapRatio}x Go speed`);
      row('template parse+exec (map built once), 8 templates (ns)', String(oursParse), `Go map+parse+exec ${goMap}`, `${parseRatio}x Go speed`);
      row('template exec only, 8 templates (ns)', String(oursExec), `Go ${goExec}`, `${execRatio}x Go speed`);
    }
  }
}

if (only.has('admission')) {
  console.log('\n== admission vs fastify HTTPS echo');
  const result = await run(['--max-semi-space-size=2', '--import', 'tsx', 'test/bench/admission.bench.ts'], { BENCH_DURATION: quick ? '5' : '10' });
  const json = result.stdout.trim().split('\n').reverse().find((line) => line.startsWith('{'));
  if (result.code !== 0 || json === undefined) failed.push(`admission (exit ${result.code}): ${result.stderr.slice(-500)}`);
  else {
    // Two shapes: fixedRate.{echo,webhook} (first version) or fixedRate.runs[] per target and protocol.
    interface RateRun { target: string; protocol?: string; p99Ms: number; failed: number; achievedRate: number }
    interface LoadFigures { requestsPerSecond: number; p99Ms: number; serverCpuMicrosPerRequest?: number }
    const parsed = JSON.parse(json) as { concurrent: { echo: LoadFigures; webhook: LoadFigures; throughputRatio: number; cpuCostRatio?: number; distinctPods?: LoadFigures & { throughputRatio: number } }; fixedRate: { rate: number; echo?: RateRun; webhook?: RateRun; runs?: RateRun[]; webhookServerSide?: Record<string, { admissions: number; p50Ms: number; p99Ms: number; maxMs: number }> } };
    figures['admission'] = parsed;
    const { concurrent, fixedRate } = parsed;
    row('admission throughput, 10 connections, replicas (req/s)', String(concurrent.webhook.requestsPerSecond), `echo ${concurrent.echo.requestsPerSecond}`, `${(concurrent.throughputRatio * 100).toFixed(1)}% of echo (target >= 50%)`);
    const distinct = concurrent.distinctPods;
    if (distinct !== undefined) {
      row('admission throughput, every pod a new one (req/s)', String(distinct.requestsPerSecond), `echo ${concurrent.echo.requestsPerSecond}`, `${(distinct.throughputRatio * 100).toFixed(1)}% of echo; ${distinct.serverCpuMicrosPerRequest ?? '-'} us CPU each`);
    }
    if (concurrent.cpuCostRatio !== undefined) row('admission server CPU per request (us)', String(concurrent.webhook.serverCpuMicrosPerRequest), `echo ${concurrent.echo.serverCpuMicrosPerRequest}`, `echo/webhook ${(concurrent.cpuCostRatio * 100).toFixed(1)}%`);
    row('admission p99, 10 connections (ms)', String(concurrent.webhook.p99Ms), `echo ${concurrent.echo.p99Ms}`, `${(concurrent.webhook.p99Ms / concurrent.echo.p99Ms).toFixed(2)}x echo`);
    const runs: RateRun[] = fixedRate.runs ?? [
      ...(fixedRate.echo !== undefined ? [{ ...fixedRate.echo, target: 'echo' }] : []),
      ...(fixedRate.webhook !== undefined ? [{ ...fixedRate.webhook, target: 'webhook' }] : []),
    ];
    for (const protocol of [...new Set(runs.map((entry) => entry.protocol ?? 'http/1.1'))]) {
      const of = (target: string) => runs.find((entry) => entry.target === target && (entry.protocol ?? 'http/1.1') === protocol);
      const webhook = of('webhook');
      const echo = of('echo');
      if (webhook === undefined) continue;
      row(`admission p99 at a fixed ${fixedRate.rate}/s, ${protocol} (ms)`, String(webhook.p99Ms), `echo ${echo?.p99Ms ?? '-'}`, `achieved ${webhook.achievedRate}/s (echo ${echo?.achievedRate ?? '-'}/s); ${webhook.failed} failed; target <= 2 ms`);
      const own = fixedRate.webhookServerSide?.[protocol];
      if (own !== undefined) row(`  the webhook's own time per admission, ${protocol}: p50 / p99 (ms)`, `${own.p50Ms} / ${own.p99Ms}`, '-', `from its log, ${own.admissions} admissions`);
    }
  }
}

if (only.has('agent')) {
  console.log('\n== agent init vs `node -e 0`, sidecar RSS');
  const result = await run(['--import', 'tsx', 'test/bench/agent.ts', '--runs', quick ? '7' : '15', '--rss-seconds', quick ? '20' : '60']);
  const start = result.stdout.indexOf('{');
  if (result.code !== 0 || start < 0) failed.push(`agent (exit ${result.code}): ${result.stderr.slice(-500)}`);
  else {
    const parsed = JSON.parse(result.stdout.slice(start)) as { init: { bareNodeMs: number; bundledAgentMs: number; bundledOverBareMs: number; bundledRatio: number; tsxAgentMs: number; withoutCodeCacheMs?: number; withoutCodeCacheOverBareMs?: number }; sidecar: { afterSeconds: number; default: { rssMiB: number }; lite: { rssMiB: number; flags: string }; idleNodeWithTlsMiB: number } };
    figures['agent'] = parsed;
    row('agent init, 10 templates, as the image runs it (ms)', String(parsed.init.bundledAgentMs), `node -e 0: ${parsed.init.bareNodeMs}`, `+${parsed.init.bundledOverBareMs} ms (target <= +150)`);
    if (parsed.init.withoutCodeCacheMs !== undefined) row('agent init, the bundle without its code cache (ms)', String(parsed.init.withoutCodeCacheMs), `node -e 0: ${parsed.init.bareNodeMs}`, `+${parsed.init.withoutCodeCacheOverBareMs ?? '-'} ms`);
    row(`sidecar RSS after ${parsed.sidecar.afterSeconds} s, default flags (MiB)`, String(parsed.sidecar.default.rssMiB), `idle node+tls ${parsed.sidecar.idleNodeWithTlsMiB}`, 'target <= 48 MiB');
    row(`sidecar RSS, ${parsed.sidecar.lite.flags} (MiB)`, String(parsed.sidecar.lite.rssMiB), `idle node+tls ${parsed.sidecar.idleNodeWithTlsMiB}`, 'target <= 48 MiB');
  }
}

if (only.has('agent-vs-bao')) {
  console.log('\n== agent against `bao agent` (Vault Agent): init, sidecar private memory');
  const result = await run(['--import', 'tsx', 'test/bench/agent-vs-bao.ts', '--runs', quick ? '7' : '15', '--rss-seconds', quick ? '20' : '60']);
  const start = result.stdout.indexOf('{');
  if (result.code !== 0 || start < 0) failed.push(`agent-vs-bao (exit ${result.code}): ${result.stderr.slice(-500)}`);
  else {
    type Side = { rssMiB: number; rssAnonMiB: number; pssMiB: number };
    const parsed = JSON.parse(result.stdout.slice(start)) as { init: { oursMs: number; baoMs: number; ratioOursOverBao: number }; sidecar: { afterSeconds: number; ours: Side; bao: Side; ratios: { rssAnon: number; pss: number; rss: number } } };
    figures['agentVsBao'] = parsed;
    row('agent init vs bao agent, 10 templates (ms)', String(parsed.init.oursMs), `bao agent ${parsed.init.baoMs}`, `${parsed.init.ratioOursOverBao}x (target <= 1)`);
    row(`sidecar RssAnon vs bao agent after ${parsed.sidecar.afterSeconds} s (MiB)`, String(parsed.sidecar.ours.rssAnonMiB), `bao agent ${parsed.sidecar.bao.rssAnonMiB}`, `${parsed.sidecar.ratios.rssAnon}x (target <= 1)`);
    row('sidecar Pss / RSS vs bao agent (MiB)', `${parsed.sidecar.ours.pssMiB} / ${parsed.sidecar.ours.rssMiB}`, `${parsed.sidecar.bao.pssMiB} / ${parsed.sidecar.bao.rssMiB}`, `${parsed.sidecar.ratios.pss}x / ${parsed.sidecar.ratios.rss}x`);
  }
}

if (only.has('load')) {
  const seconds = quick ? '20' : '60';
  console.log(`\n== load: HTTPS webhook at 1,000/s for ${seconds} s (test/load/load.long.ts)`);
  const result = await run(['--import', 'tsx', '--test', 'test/load/load.long.ts'], { LOAD_SECONDS: seconds });
  const line = /LOAD-RESULT (\{.*\})/.exec(result.stdout)?.[1];
  if (line === undefined) failed.push(`load (exit ${result.code}): ${result.stdout.slice(-800)}`);
  else {
    const parsed = JSON.parse(line) as { sent: number; dropped: number; wrong: number; achievedRate: number; latencyMs: { p50: number; p99: number; max: number }; heapGrowthMiB: number; heapGrowthBoundMiB: number; rssAfterWarmUpMiB: number; rssAtEndMiB: number };
    figures['load'] = { ...parsed, passed: result.code === 0 };
    row(`load 1,000/s x ${seconds} s: errors (dropped + wrong)`, String(parsed.dropped + parsed.wrong), `${parsed.sent} sent, ${parsed.achievedRate}/s achieved`, result.code === 0 ? 'pass' : 'FAIL');
    row('load: p50 / p99 / max latency (ms)', `${parsed.latencyMs.p50} / ${parsed.latencyMs.p99} / ${parsed.latencyMs.max}`, '-', '-');
    row('load: live heap growth after warm-up (MiB)', String(parsed.heapGrowthMiB), `bound ${parsed.heapGrowthBoundMiB}`, `RSS ${parsed.rssAfterWarmUpMiB} -> ${parsed.rssAtEndMiB} MiB`);
  }
}

if (only.has('hostile')) {
  console.log('\n== hostile admission input (test/hostile/admission.test.ts)');
  const result = await run(['--import', 'tsx', '--test', 'test/hostile/admission.test.ts']);
  const pure = /HOSTILE-PURE (\{.*\})/.exec(result.stdout)?.[1];
  const overHttps = /HOSTILE-HTTPS (\{.*\})/.exec(result.stdout)?.[1];
  if (pure === undefined || overHttps === undefined) failed.push(`hostile (exit ${result.code}): ${result.stdout.slice(-800)}`);
  else {
    const parsedPure = JSON.parse(pure) as { count: number; slowest: { ms: number; category: string }; heapGrowthMiB: number };
    const parsedHttps = JSON.parse(overHttps) as { sent: number; statuses: Record<string, number> };
    figures['hostile'] = { pure: parsedPure, https: parsedHttps, passed: result.code === 0 };
    row('hostile inputs tried (pure + HTTPS)', `${parsedPure.count} + ${parsedHttps.sent}`, 'crashes / 500s', result.code === 0 ? '0 (pass)' : 'FAIL');
    row('hostile: slowest single request (ms)', String(parsedPure.slowest.ms), parsedPure.slowest.category, `heap +${parsedPure.heapGrowthMiB} MiB`);
  }
}

figures['loadAverageAtEnd'] = loadavg().map((value) => +value.toFixed(2));
const widths = [0, 1, 2, 3].map((column) => Math.max(...rows.map((entry) => entry[column]!.length), ['figure', 'ours', 'reference', 'ratio / verdict'][column]!.length));
const line = (cells: readonly string[]) => cells.map((cell, column) => cell.padEnd(widths[column]!)).join(' | ');
console.log(`\nsummary (node ${process.version}, ${cpus().length} cores, load average ${(figures['loadAverageAtStart'] as number[]).join(' ')} at start, ${(figures['loadAverageAtEnd'] as number[]).join(' ')} at end)`);
console.log(line(['figure', 'ours', 'reference', 'ratio / verdict']));
console.log(widths.map((width) => '-'.repeat(width)).join('-|-'));
for (const entry of rows) console.log(line(entry));
if (failed.length > 0) console.log(`\nfailed:\n${failed.join('\n')}`);
console.log(`BENCH-RESULT ${JSON.stringify(figures)}`);
process.exitCode = failed.length > 0 ? 1 : 0;
