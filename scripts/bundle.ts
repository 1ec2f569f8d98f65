// Builds the two programs into one file each with esbuild: dist/webhook.js (src/cli.ts) and
// dist/agent-main.js (agent/src/cli.ts), the latter run by its loader dist/agent.js
// (agent/src/boot/main.ts) from a V8 code cache. The images (Dockerfile.webhook, Dockerfile.agent) copy
// only these files onto a distroless Node 24 runtime, so nothing else of node_modules ships.
//
// Usage: node scripts/bundle.ts [--outdir DIR] [--only webhook|agent] [--code-cache]   (npm run bundle)
// --code-cache also makes dist/agent-main.js.cache with this machine's node (the image makes its
// own with the image's node).
// It prints each bundle's size, and fails when a bundle pulls in a dev dependency (per
// package-lock.json) or when the agent bundle passes its size budget.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { BuildResult, Metafile, Plugin } from 'esbuild';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export type ProgramName = 'webhook' | 'agent';

export interface BundleTarget {
  name: ProgramName;
  entry: string;
  outfileName: string;
  alias?: Readonly<Record<string, string>>;
  /** A small entry that runs `outfileName` from its code cache (agent/src/boot/main.ts): what `node` is given. */
  loader?: { entry: string; outfileName: string };
  /** Files the program reads beside itself at run time, copied into the output directory (`from` is repo-relative). */
  assets?: ReadonlyArray<{ from: string; to: string }>;
}

export const bundleTargets: readonly BundleTarget[] = [
  { name: 'webhook', entry: 'src/cli.ts', outfileName: 'webhook.js' },
  {
    name: 'agent', entry: 'agent/src/cli.ts', outfileName: 'agent-main.js',
    // node-vault loads axios but the agent always hands it its own transport (agent/src/vault/transport.ts);
    // leaving axios out saves about a third of the bundle, ~70 ms of start-up CPU and ~9 MiB of memory.
    // debug: node-vault's DEBUG output would print login JWTs and written secrets (vault/debug-silent.cjs).
    alias: { axios: './agent/src/vault/axios-unused.cjs', debug: './agent/src/vault/debug-silent.cjs' },
    loader: { entry: 'agent/src/boot/main.ts', outfileName: 'agent.js' },
    // HashiCorp's HCL 1 parser (1.5 MB of GopherJS), only for agent configs from an agent-configmap (agent/src/config/hcl1.cjs).
    assets: [{ from: 'node_modules/js-hcl-parser/dist/hcl.js', to: 'hcl-parser.js' }],
  },
];

/** The agent runs in every injected pod: its bundle must stay small (issue #6). */
export const AGENT_BUNDLE_BUDGET_BYTES = 2 * 1024 * 1024;

export interface BundleReport {
  name: ProgramName;
  /** The file to run: the loader when the program has one. */
  outfile: string;
  /** The program's own bundle (the same as outfile without a loader). */
  programFile: string;
  /** Program and loader together. */
  bytes: number;
  /** The V8 code cache beside the program, when `codeCache` asked for one. */
  codeCacheFile?: string;
  /** npm packages whose files went into the bundle (names as in package-lock.json paths). */
  packages: string[];
  /** Those of them that package-lock.json marks as dev-only: must be empty. */
  devPackages: string[];
  /** Imports left external because they name a dev-only package: `importer -> package`. */
  externalDevImports: Array<{ importer: string; path: string }>;
  metafile: Metafile;
}

interface LockPackage { dev?: boolean; devOptional?: boolean; optional?: boolean }

function lockPackages(root: string): Record<string, LockPackage> {
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as { packages?: Record<string, LockPackage> };
  return lock.packages ?? {};
}

/** `node_modules/a/node_modules/@s/b/lib/x.js` → `node_modules/a/node_modules/@s/b` (the lock file's key). */
export function packageKeyOf(inputPath: string): string | undefined {
  const parts = inputPath.split('/');
  const first = parts.indexOf('node_modules');
  if (first < 0) return undefined;
  const last = parts.lastIndexOf('node_modules');
  const width = (parts[last + 1] ?? '').startsWith('@') ? 3 : 2;
  return parts.slice(first, last + width).join('/');
}

/** Lock-file keys of the dev-only packages (`node_modules/x`, `node_modules/a/node_modules/y`). */
export function devOnlyPackageKeys(root: string): Set<string> {
  return new Set(Object.entries(lockPackages(root)).filter(([key, entry]) => key !== '' && entry.dev === true).map(([key]) => key));
}

/**
 * Leaves dev-only packages (per package-lock.json, by where an import RESOLVES, since a name can be
 * dev-only at the top level and a production dependency nested elsewhere) out of the bundle as
 * externals. Production code reaches one only through an optional `require` in a try/catch, such
 * as debug's `require('supports-color')`; at run time it then finds nothing, exactly as after
 * `npm ci --omit=dev`, instead of shipping a dev package. bundleProblems() fails the build when our
 * own code imports one.
 */
export function devExternalsPlugin(root: string): Plugin {
  const devKeys = devOnlyPackageKeys(root);
  return {
    name: 'dev-dependencies-external',
    setup(pluginBuild) {
      pluginBuild.onResolve({ filter: /^[^./]/ }, async (args) => {
        if (args.pluginData === 'dev-externals-probe' || args.path.startsWith('node:')) return undefined;
        const resolved = await pluginBuild.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: 'dev-externals-probe' });
        if (resolved.errors.length > 0 || resolved.external) return undefined;
        const key = packageKeyOf(relative(root, resolved.path).split(sep).join('/'));
        return key !== undefined && devKeys.has(key) ? { path: args.path, external: true } : undefined;
      });
    },
  };
}

/** Imports left external other than Node's built-in modules: the dev-only ones. */
export function externalImportsIn(metafile: Metafile): Array<{ importer: string; path: string }> {
  const found: Array<{ importer: string; path: string }> = [];
  for (const [importer, input] of Object.entries(metafile.inputs)) {
    for (const imported of input.imports) {
      // <runtime> is esbuild's own helper module, not a package.
      if (imported.external === true && imported.path !== '<runtime>' && !imported.path.startsWith('node:') && !builtinModules.includes(imported.path)) found.push({ importer, path: imported.path });
    }
  }
  return found;
}

export function packagesIn(metafile: Metafile, root: string): { packages: string[]; devPackages: string[] } {
  const lock = lockPackages(root);
  const keys = new Set<string>();
  for (const input of Object.keys(metafile.inputs)) {
    const key = packageKeyOf(input);
    if (key !== undefined) keys.add(key);
  }
  const packages = [...keys].sort();
  const devPackages = packages.filter((key) => lock[key]?.dev === true);
  return { packages, devPackages };
}

export async function bundle(options: { outdir: string; only?: readonly ProgramName[]; root?: string; codeCache?: boolean }): Promise<BundleReport[]> {
  const root = options.root ?? repoRoot;
  const reports: BundleReport[] = [];
  for (const target of bundleTargets) {
    if (options.only !== undefined && !options.only.includes(target.name)) continue;
    const programFile = resolve(options.outdir, target.outfileName);
    const result = await buildOne(root, target.entry, programFile, target.alias);
    const output = result.metafile.outputs[relative(root, programFile)] ?? Object.values(result.metafile.outputs)[0];
    let outfile = programFile;
    let bytes = output?.bytes ?? 0;
    if (target.loader !== undefined) {
      outfile = resolve(options.outdir, target.loader.outfileName);
      const loader = await buildOne(root, target.loader.entry, outfile, undefined);
      bytes += Object.values(loader.metafile.outputs)[0]?.bytes ?? 0;
    }
    const report: BundleReport = {
      name: target.name, outfile, programFile, bytes, ...packagesIn(result.metafile, root),
      externalDevImports: externalImportsIn(result.metafile), metafile: result.metafile,
    };
    for (const asset of target.assets ?? []) copyFileSync(join(root, asset.from), join(dirname(programFile), asset.to));
    if (options.codeCache === true && target.loader !== undefined) report.codeCacheFile = writeCodeCache(outfile, programFile);
    reports.push(report);
  }
  return reports;
}

function buildOne(root: string, entry: string, outfile: string, alias: Readonly<Record<string, string>> | undefined): Promise<BuildResult & { metafile: Metafile }> {
  return build({
    absWorkingDir: root,
    entryPoints: [entry],
    outfile,
    ...(alias !== undefined ? { alias: { ...alias } } : {}),
    bundle: true,
    plugins: [devExternalsPlugin(root)],
    platform: 'node',
    target: 'node24',
    // CommonJS: the file runs as /agent.js or /webhook.js with no package.json beside it, and
    // Node then loads it without guessing the module type (no double parse at start).
    format: 'cjs',
    minify: true,
    // Error classes and loggers report constructor names; keep them readable.
    keepNames: true,
    legalComments: 'eof',
    metafile: true,
    logLevel: 'silent',
    define: { 'process.env.NODE_ENV': '"production"' },
  });
}

/**
 * Makes the program's code cache with this machine's node, as Dockerfile.agent makes it with the
 * image's (a cache only serves the node that made it): the loader's warm-up run (agent/src/boot/main.ts).
 */
export function writeCodeCache(loaderFile: string, programFile: string): string {
  const cacheFile = `${programFile}.cache`;
  const run = spawnSync(process.execPath, [loaderFile], { env: { PATH: process.env['PATH'], VAULT_AGENT_WRITE_CODE_CACHE: cacheFile }, encoding: 'utf8' });
  if (run.status !== 0 || !existsSync(cacheFile)) throw new Error(`the code cache warm-up failed (exit ${String(run.status)}): ${run.stderr}`);
  return cacheFile;
}

export function formatSize(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(2)} MiB` : `${(bytes / 1024).toFixed(1)} KiB`;
}

/** Problems that must fail the build. */
export function bundleProblems(reports: readonly BundleReport[]): string[] {
  const problems: string[] = [];
  for (const report of reports) {
    if (report.devPackages.length > 0) problems.push(`${report.name} bundle includes dev dependencies: ${report.devPackages.join(', ')}`);
    // Our own code must not need a dev package at run time (a dependency's optional require may).
    for (const { importer, path } of report.externalDevImports) {
      if (!importer.includes('node_modules/')) problems.push(`${report.name}: ${importer} imports the dev dependency ${path}, which the image does not have`);
    }
    if (report.name === 'agent' && report.bytes > AGENT_BUNDLE_BUDGET_BYTES) {
      problems.push(`agent bundle is ${formatSize(report.bytes)}, over its budget of ${formatSize(AGENT_BUNDLE_BUDGET_BYTES)}`);
    }
  }
  return problems;
}

function parseArguments(argv: string[]): { outdir: string; only?: ProgramName[]; codeCache: boolean } | string {
  let outdir = join(repoRoot, 'dist');
  let only: ProgramName[] | undefined;
  let codeCache = false;
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index];
    const value = argv[index + 1];
    if (argument === '--outdir' && value !== undefined) {
      outdir = resolve(value);
      index++;
    } else if (argument === '--only' && (value === 'webhook' || value === 'agent')) {
      only = [...(only ?? []), value];
      index++;
    } else if (argument === '--code-cache') {
      codeCache = true;
    } else {
      return `unexpected argument ${JSON.stringify(argument)}; usage: node scripts/bundle.ts [--outdir DIR] [--only webhook|agent] [--code-cache]`;
    }
  }
  return only === undefined ? { outdir, codeCache } : { outdir, only, codeCache };
}

async function main(): Promise<number> {
  const parsed = parseArguments(process.argv.slice(2));
  if (typeof parsed === 'string') {
    process.stderr.write(`${parsed}\n`);
    return 2;
  }
  let reports: BundleReport[];
  try {
    reports = await bundle(parsed);
  } catch (error) {
    // esbuild's message lists each unresolved import or syntax error with its file and line.
    process.stderr.write(`bundle failed: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
  for (const report of reports) {
    const files = report.programFile === report.outfile ? relative(process.cwd(), report.outfile) : `${relative(process.cwd(), report.outfile)} + ${relative(process.cwd(), report.programFile)}`;
    process.stdout.write(`${report.name.padEnd(8)} ${files.padEnd(18)} ${formatSize(report.bytes).padStart(10)}  (${report.bytes} bytes, ${report.packages.length} packages)\n`);
    if (report.codeCacheFile !== undefined) process.stdout.write(`         code cache ${relative(process.cwd(), report.codeCacheFile)}\n`);
  }
  const problems = bundleProblems(reports);
  for (const problem of problems) process.stderr.write(`error: ${problem}\n`);
  return problems.length > 0 ? 1 : 0;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main();
}
