// The agent config OUR WEBHOOK builds for a pod, taken from the real mutation: the pod's annotations
// go through parseAnnotations and mutatePod, and the init container's VAULT_CONFIG is decoded, as
// the agent reads it in the cluster. Only the places are moved to the test machine (the server's
// address, the service account token, the secrets volume, the token sink, the pid file and the
// termination message), so what both agents run is the config a migrated pod gets.
import { join } from 'node:path';
import { parseAnnotations } from '../../src/annotations/parse.ts';
import { mutatePod } from '../../src/mutate.ts';
import { settingsWith } from '../../src/settings.ts';
import { INIT_CONTAINER_NAME } from '../../src/containers/base.ts';
import type { Pod } from '../../src/pod.ts';
import { NAMESPACE, ROLE, SERVICE_ACCOUNT } from '../agent/harness.ts';

export const SECRETS_VOLUME = '/vault/secrets';
const TOKEN_MOUNT = '/var/run/secrets/kubernetes.io/serviceaccount';

/** A pod of team-a/app-sa as the API server sends it (its projected token volume added), with the
 *  given `vault.hashicorp.com/` annotations (short names get the prefix). */
export function annotatedPod(annotations: Record<string, string>): Pod {
  const prefixed = Object.fromEntries(Object.entries({ 'agent-inject': 'true', role: ROLE, ...annotations }).map(([key, value]) => [key.includes('/') ? key : `vault.hashicorp.com/${key}`, value]));
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'app-1', namespace: NAMESPACE, annotations: prefixed },
    spec: {
      serviceAccountName: SERVICE_ACCOUNT,
      volumes: [{ name: 'kube-api-access-x1y2z', projected: { sources: [{ serviceAccountToken: { path: 'token', expirationSeconds: 3607 } }], defaultMode: 420 } }],
      containers: [{ name: 'app', image: 'app:1', volumeMounts: [{ name: 'kube-api-access-x1y2z', readOnly: true, mountPath: TOKEN_MOUNT }] }],
    },
  };
}

/** The init agent's config exactly as the webhook puts it into VAULT_CONFIG for this pod. */
export function webhookInitConfig(annotations: Record<string, string>, vaultAddress = 'https://vault.vault.svc:8200'): Record<string, unknown> {
  const pod = annotatedPod(annotations);
  const parsed = parseAnnotations(pod, NAMESPACE, settingsWith({ vaultAddress }));
  if (!parsed.ok) throw new Error(`the webhook refuses the pod: ${parsed.problems.map((problem) => problem.message).join('; ')}`);
  const mutated = mutatePod(pod, parsed.spec);
  if (!mutated.ok) throw new Error(`the webhook cannot mutate the pod: ${mutated.problems.map((problem) => problem.message).join('; ')}`);
  const init = mutated.pod.spec?.initContainers?.find((container) => container.name === INIT_CONTAINER_NAME);
  const encoded = init?.env?.find((entry) => entry.name === 'VAULT_CONFIG')?.value;
  if (encoded === undefined) throw new Error(`the mutated pod has no ${INIT_CONTAINER_NAME} container with VAULT_CONFIG`);
  return JSON.parse(Buffer.from(encoded, 'base64').toString('utf8')) as Record<string, unknown>;
}

export interface Placement {
  vaultAddress: string;
  /** Extra `vault` settings, e.g. `ca_cert` of a TLS server. */
  vaultStanza?: Record<string, unknown>;
  tokenFile: string;
  /** Replaces the secrets volume (/vault/secrets) in every destination. */
  secretsDir: string;
  /** The agent's home (/home/vault: token sink, pid file). */
  homeDir: string;
  /** Where our agent writes its termination message (Kubernetes' /dev/termination-log). */
  terminationFile: string;
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The same config with its pod paths moved to this machine; nothing else changes. */
export function placeConfig(config: Json, place: Placement): Json {
  const moved = structuredClone(config);
  const relocate = (path: unknown): unknown => {
    if (typeof path !== 'string') return path;
    if (path === SECRETS_VOLUME || path.startsWith(`${SECRETS_VOLUME}/`)) return join(place.secretsDir, path.slice(SECRETS_VOLUME.length));
    if (path.startsWith('/home/vault/')) return join(place.homeDir, path.slice('/home/vault/'.length));
    return path;
  };
  const autoAuth = moved['auto_auth'];
  if (isObject(autoAuth)) {
    const method = autoAuth['method'];
    if (isObject(method) && isObject(method['config'])) method['config']['token_path'] = place.tokenFile;
    const sinks = autoAuth['sink'];
    if (Array.isArray(sinks)) for (const sink of sinks) if (isObject(sink) && isObject(sink['config'])) sink['config']['path'] = relocate(sink['config']['path']);
  }
  if ('pid_file' in moved) moved['pid_file'] = relocate(moved['pid_file']);
  moved['vault'] = { ...(isObject(moved['vault']) ? moved['vault'] : {}), ...place.vaultStanza, address: place.vaultAddress };
  const templates = moved['template'];
  if (Array.isArray(templates)) for (const template of templates) if (isObject(template)) template['destination'] = relocate(template['destination']);
  const extension = moved['vault_injector'];
  if (isObject(extension) && 'termination_message_path' in extension) extension['termination_message_path'] = place.terminationFile;
  if (isObject(extension) && Array.isArray(extension['secrets_volumes'])) extension['secrets_volumes'] = extension['secrets_volumes'].map(relocate);
  return moved;
}
