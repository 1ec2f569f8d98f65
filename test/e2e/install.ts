// The injector as the end-to-end tests install it: the chart through real `helm install` with
// `webhook.url` pointing at a local webhook process (no kubelet runs the chart's pod), started with
// the environment the chart gives its container and a token of the chart's service account.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { chartDir } from '../chart/helm.ts';
import type { ControlPlane } from '../real/controlplane.ts';
import { createNamespace, eventually, getJson, helmCommand } from './kube.ts';
import type { Kube } from './kube.ts';
import { freePort } from '../real/process.ts';
import { chartWebhookEnv, serviceAccountKubeconfig, startWebhook } from './webhook.ts';
import type { WebhookProcess } from './webhook.ts';

export const RELEASE = 'vi';
export const RELEASE_NAMESPACE = 'vault-injector';
export const FULLNAME = `${RELEASE}-vault-injector`;
export const WEBHOOK_NAME = `${FULLNAME}.${RELEASE_NAMESPACE}.svc`;

export interface InstalledInjector {
  webhook: WebhookProcess;
  /** The webhook container's environment from the chart (plus the URL's host for auto TLS). */
  env: Record<string, string>;
}

export async function caBundleOf(kube: Kube): Promise<string> {
  const configuration = await getJson<{ webhooks: Array<{ clientConfig: { caBundle?: string } }> }>(kube, ['mutatingwebhookconfiguration', FULLNAME]);
  return Buffer.from(configuration.webhooks[0]?.clientConfig.caBundle ?? '', 'base64').toString('utf8');
}

/** helm install (auto TLS), then the webhook process; resolves once the API server can trust it. */
export async function installInjector(plane: ControlPlane, kube: Kube, options: { vaultAddress: string; set?: string[] }): Promise<InstalledInjector> {
  await createNamespace(kube, RELEASE_NAMESPACE);
  const port = await freePort();
  const install = await helmCommand(kube, ['install', RELEASE, chartDir, '--namespace', RELEASE_NAMESPACE,
    '--set', `webhook.url=https://127.0.0.1:${port}/mutate`, '--set', `vault.address=${options.vaultAddress}`,
    ...(options.set ?? []).flatMap((value) => ['--set', value])]);
  assert.equal(install.status, 0, `helm install: ${install.stderr}`);
  const env = {
    ...await chartWebhookEnv(kube, RELEASE, RELEASE_NAMESPACE, `${FULLNAME}-local-0`),
    // The URL's host instead of the Service names (chart README: a webhook outside the cluster).
    AGENT_INJECT_TLS_AUTO_HOSTS: '127.0.0.1',
  };
  const kubeconfigPath = await serviceAccountKubeconfig(kube, {
    server: plane.server, caCertPem: plane.caCertPem, namespace: RELEASE_NAMESPACE, serviceAccount: FULLNAME, path: join(plane.dir, 'webhook.kubeconfig'),
  });
  const webhook = await startWebhook({ env, kubeconfigPath, port });
  try {
    await eventually('the caBundle written by the webhook', async () => ((await caBundleOf(kube)).includes('BEGIN CERTIFICATE') ? true : undefined));
  } catch (error) {
    await webhook.stop();
    throw error;
  }
  return { webhook, env };
}
