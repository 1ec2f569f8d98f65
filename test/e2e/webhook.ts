// The webhook as a local process (no kubelet runs its pod here): `src/cli.ts serve`, the code path
// of `npm start` and of the image, with the environment the chart gives its container, and a
// kubeconfig holding a token of the chart's service account so that only the chart's RBAC applies.
// Every admission it answers is read back from its JSON log.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { request } from 'node:https';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseManifests, repoRoot } from '../chart/helm.ts';
import { freePort } from '../real/process.ts';
import type { KubeObject } from '../chart/helm.ts';
import { helmCommand, kubectlOk } from './kube.ts';
import type { Kube } from './kube.ts';

export interface AdmissionLog { uid?: string; namespace?: string; pod?: string; decision: string; errorCode?: string; injectionType?: string }

export interface WebhookProcess {
  url: string;
  port: number;
  admissions(): AdmissionLog[];
  /** Every JSON log line, for messages such as 'became the leader'. */
  logLines(): Array<Record<string, unknown>>;
  output(): string;
  stop(): Promise<void>;
}

type EnvVar = { name: string; value?: string; valueFrom?: { fieldRef?: { fieldPath: string } } };

/** The webhook container's environment as the chart renders it, downward-API values filled in as a kubelet would. */
export async function chartWebhookEnv(kube: Kube, release: string, namespace: string, podName: string): Promise<Record<string, string>> {
  const manifest = await helmManifest(kube, release, namespace);
  const deployment = manifest.find((object) => object.kind === 'Deployment') as (KubeObject & { spec: { template: { spec: { containers: Array<{ name: string; env?: EnvVar[] }> } } } }) | undefined;
  const container = deployment?.spec.template.spec.containers.find((c) => c.name === 'webhook');
  if (container === undefined) throw new Error(`release ${release} has no webhook container`);
  const downward: Record<string, string> = { 'metadata.namespace': namespace, 'metadata.name': podName };
  const env: Record<string, string> = {};
  for (const variable of container.env ?? []) {
    if (variable.value !== undefined) env[variable.name] = variable.value;
    else if (variable.valueFrom?.fieldRef !== undefined) {
      const value = downward[variable.valueFrom.fieldRef.fieldPath];
      if (value === undefined) throw new Error(`${variable.name}: no value for ${variable.valueFrom.fieldRef.fieldPath}`);
      env[variable.name] = value;
    }
  }
  return env;
}

export async function helmManifest(kube: Kube, release: string, namespace: string): Promise<KubeObject[]> {
  const result = await helmCommand(kube, ['get', 'manifest', release, '--namespace', namespace]);
  if (result.status !== 0) throw new Error(`helm get manifest ${release}: ${result.stderr}`);
  return parseManifests(result.stdout);
}

/** A kubeconfig with a TokenRequest token of `serviceAccount`: the process gets exactly that account's RBAC. */
export async function serviceAccountKubeconfig(kube: Kube, options: { server: string; caCertPem: string; namespace: string; serviceAccount: string; path: string }): Promise<string> {
  const token = (await kubectlOk(kube, ['create', 'token', options.serviceAccount, '--namespace', options.namespace, '--duration=2h'])).trim();
  writeFileSync(options.path, JSON.stringify({
    apiVersion: 'v1', kind: 'Config',
    clusters: [{ name: 'e2e', cluster: { server: options.server, 'certificate-authority-data': Buffer.from(options.caCertPem).toString('base64') } }],
    users: [{ name: options.serviceAccount, user: { token } }],
    contexts: [{ name: 'e2e', context: { cluster: 'e2e', user: options.serviceAccount, namespace: options.namespace } }],
    'current-context': 'e2e',
  }), { mode: 0o600 });
  return options.path;
}

function ready(port: number): Promise<boolean> {
  return new Promise((resolveReady) => {
    // Readiness only: whether the API server trusts the certificate is what the tests assert.
    const req = request({ host: '127.0.0.1', port, path: '/health/ready', rejectUnauthorized: false, timeout: 3_000 }, (res) => {
      res.resume();
      resolveReady(res.statusCode === 200);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolveReady(false));
    req.end();
  });
}

const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export interface WebhookOptions {
  env: Record<string, string>;
  kubeconfigPath?: string;
  port?: number;
  /** Another entry than src/cli.ts (the rotation test shortens certificate lifetimes). */
  entry?: string;
  readyTimeoutMs?: number;
}

export async function startWebhook(options: WebhookOptions): Promise<WebhookProcess> {
  const port = options.port ?? await freePort();
  const node = join(repoRoot, 'node_modules', '.bin', 'node');
  const entry = options.entry ?? join(repoRoot, 'src', 'cli.ts');
  const child = spawn(node, ['--import', 'tsx', entry, 'serve'], {
    cwd: repoRoot,
    env: {
      PATH: process.env['PATH'] ?? '/usr/bin:/bin',
      ...options.env,
      AGENT_INJECT_LISTEN: `127.0.0.1:${port}`,
      AGENT_INJECT_LOG_FORMAT: 'json',
      ...(options.kubeconfigPath !== undefined ? { KUBECONFIG: options.kubeconfigPath } : {}),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let output = '';
  const lines: Array<Record<string, unknown>> = [];
  let partial = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
    partial += chunk;
    const complete = partial.split('\n');
    partial = complete.pop() ?? '';
    for (const line of complete) {
      try {
        lines.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        // Not a log line (a stack trace would be in `output`).
      }
    }
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => { output += chunk; });

  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    running.delete(child);
  };

  const deadline = Date.now() + (options.readyTimeoutMs ?? 120_000);
  while (!(await ready(port))) {
    if (child.exitCode !== null || child.signalCode !== null) {
      await stop();
      throw new Error(`the webhook exited (${child.exitCode ?? child.signalCode}) before it was ready:\n${output}`);
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`the webhook was not ready on port ${port}:\n${output}`);
    }
    await new Promise((resolveSleep) => setTimeout(resolveSleep, 250));
  }
  return {
    url: `https://127.0.0.1:${port}/mutate`,
    port,
    admissions: () => lines.filter((line) => line['msg'] === 'admission') as unknown as AdmissionLog[],
    logLines: () => [...lines],
    output: () => output,
    stop,
  };
}
