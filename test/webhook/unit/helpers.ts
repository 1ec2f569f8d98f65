// Shared builders for the webhook unit tests: a pod as the API server sends it (service account
// token volume already added), the injector settings, and the restricted Pod Security Standard.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { settingsWith } from '../../../src/settings.ts';
import type { InjectorSettings } from '../../../src/settings.ts';
import { parseAnnotations } from '../../../src/annotations/parse.ts';
import { mutatePod } from '../../../src/mutate.ts';
import type { Container, Pod } from '../../../src/pod.ts';
import type { InjectionSpec } from '../../../src/spec.ts';

export const FIXTURES = new URL('../../fixtures/kubernetes', import.meta.url).pathname;
export const VAULT = 'https://vault.vault.svc:8200';

export function fixture(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(`${FIXTURES}/${name}`, 'utf8')) as Record<string, unknown>;
}

export function settings(overrides: Partial<InjectorSettings> = {}): InjectorSettings {
  return settingsWith({ vaultAddress: VAULT, ...overrides });
}

/** Short annotation names get the vault.hashicorp.com/ prefix. */
export function vaultAnnotations(short: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(short).map(([key, value]) => [key.includes('/') ? key : `vault.hashicorp.com/${key}`, value]));
}

const tokenMount = { name: 'kube-api-access-abcde', readOnly: true, mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' };

export function makePod(annotations: Record<string, string>, spec: Partial<NonNullable<Pod['spec']>> = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web-1', namespace: 'team-a', annotations: vaultAnnotations({ 'agent-inject': 'true', role: 'web', ...annotations }) },
    spec: {
      volumes: [{ name: 'kube-api-access-abcde', projected: { sources: [{ serviceAccountToken: { path: 'token', expirationSeconds: 3607 } }], defaultMode: 420 } }],
      containers: [{ name: 'web', image: 'web:1', volumeMounts: [{ ...tokenMount }] }],
      ...spec,
    },
  };
}

export function container(name: string, extra: Partial<Container> = {}): Container {
  return { name, image: `${name}:1`, volumeMounts: [{ ...tokenMount }], ...extra };
}

export function specOf(pod: Pod, overrides: Partial<InjectorSettings> = {}): InjectionSpec {
  const parsed = parseAnnotations(pod, 'team-a', settings(overrides));
  assert.ok(parsed.ok, parsed.ok ? '' : parsed.problems.map((entry) => entry.message).join('; '));
  return parsed.spec;
}

/** The messages of a parse that must fail. */
export function problemsOf(pod: Pod, overrides: Partial<InjectorSettings> = {}): string[] {
  const parsed = parseAnnotations(pod, 'team-a', settings(overrides));
  assert.equal(parsed.ok, false, 'expected the annotations to be refused');
  return parsed.ok ? [] : parsed.problems.map((entry) => `${entry.code} ${entry.message}`);
}

export function injected(pod: Pod, overrides: Partial<InjectorSettings> = {}): Pod {
  const result = mutatePod(pod, specOf(pod, overrides));
  assert.ok(result.ok, result.ok ? '' : result.problems.map((entry) => entry.message).join('; '));
  return result.pod;
}

export function decodeConfig(agent: Container | undefined): Record<string, unknown> {
  const value = agent?.env?.find((entry) => entry.name === 'VAULT_CONFIG')?.value;
  assert.ok(value !== undefined, 'VAULT_CONFIG is set');
  return JSON.parse(Buffer.from(value, 'base64').toString('utf8')) as Record<string, unknown>;
}

export function agents(pod: Pod): Container[] {
  return [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])].filter((entry) => entry.name.startsWith('vault-agent'));
}

/**
 * The `restricted` Pod Security Standard (Kubernetes docs, "Pod Security Standards") for one
 * container, with the pod-level securityContext as fallback. Returns the rules it breaks.
 */
export function restrictedViolations(pod: Pod, target: Container): string[] {
  const podContext = pod.spec?.securityContext ?? {};
  const context = target.securityContext ?? {};
  const violations: string[] = [];
  if (context.privileged === true) violations.push('privileged');
  if (context.allowPrivilegeEscalation !== false) violations.push('allowPrivilegeEscalation != false');
  if (!(context.capabilities?.drop ?? []).includes('ALL')) violations.push('capabilities.drop lacks ALL');
  if ((context.capabilities?.add ?? []).some((capability) => capability !== 'NET_BIND_SERVICE')) violations.push('capabilities.add beyond NET_BIND_SERVICE');
  if ((context.runAsNonRoot ?? podContext.runAsNonRoot) !== true) violations.push('runAsNonRoot != true');
  if ((context.runAsUser ?? podContext.runAsUser) === 0) violations.push('runAsUser 0');
  const seccomp = context.seccompProfile?.type ?? podContext.seccompProfile?.type;
  if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost') violations.push('seccompProfile not RuntimeDefault/Localhost');
  if ((target.ports ?? []).some((port) => port.hostPort !== undefined && port.hostPort !== 0)) violations.push('hostPort');
  if (context.windowsOptions?.hostProcess === true) violations.push('hostProcess');
  const allowedVolumeKinds = new Set(['name', 'configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret']);
  for (const volume of pod.spec?.volumes ?? []) {
    for (const kind of Object.keys(volume)) if (!allowedVolumeKinds.has(kind)) violations.push(`volume type ${kind}`);
  }
  return violations;
}
