// Pod + InjectionSpec → the injected pod (contract 3). Pure: never writes to its input. The result
// is built immutably: each object on the path to an edit is copied, the rest is shared with the
// input (so the patch diff skips the untouched subtrees by identity).
// The JSON patch is computed afterwards by comparing the two documents, so the order of edits
// here is the order of the pod's arrays, not a sequence of patch operations.
import { encodedAgentConfig } from './agent-config.ts';
import type { AgentRole } from './agent-config.ts';
import { annotationKey, annotationProblem, problem } from './errors.ts';
import type { AdmissionProblem } from './errors.ts';
import { applyContainerPatch } from './annotations/json-patch.ts';
import type { JsonPatch } from './annotations/json-patch.ts';
import type { Container, Pod, VolumeMount } from './pod.ts';
import type { InjectionSpec } from './spec.ts';
import { initContainer } from './containers/init.ts';
import { nativeSidecarContainer, sidecarContainer } from './containers/sidecar.ts';
import { INIT_CONTAINER_NAME, SIDECAR_CONTAINER_NAME } from './containers/base.ts';
import { injectedVolumes, secretMounts, usesInitAgent, usesSidecarAgent } from './containers/volumes.ts';

export const STATUS_ANNOTATION = annotationKey('agent-inject-status');
export const STATUS_INJECTED = 'injected';

export type MutateResult = { ok: true; pod: Pod } | { ok: false; problems: AdmissionProblem[] };

function nameConflicts(pod: Pod, spec: InjectionSpec, added: ReadonlyArray<{ name: string }>): AdmissionProblem[] {
  const problems: AdmissionProblem[] = [];
  const volumes = new Set((pod.spec?.volumes ?? []).map((volume) => volume.name));
  for (const volume of added) {
    if (volumes.has(volume.name)) problems.push(problem('VI_NAME_CONFLICT', `the pod already has a volume named ${JSON.stringify(volume.name)}, which the injector adds`));
  }
  const containers = new Set([...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])].map((container) => container.name));
  const agents = [
    ...(usesInitAgent(spec) ? [INIT_CONTAINER_NAME] : []),
    ...(usesSidecarAgent(spec) || spec.mode === 'native-sidecar' ? [SIDECAR_CONTAINER_NAME] : []),
  ];
  for (const name of agents) {
    if (containers.has(name)) problems.push(problem('VI_NAME_CONFLICT', `the pod already has a container named ${JSON.stringify(name)}, which the injector adds`));
  }
  return problems;
}

function addMounts(container: Container, mounts: ReadonlyArray<VolumeMount>, problems: AdmissionProblem[]): Container {
  const existing = container.volumeMounts ?? [];
  for (const mount of mounts) {
    if (existing.some((candidate) => candidate.mountPath === mount.mountPath)) {
      problems.push(problem('VI_NAME_CONFLICT', `container ${JSON.stringify(container.name)} already mounts a volume at ${mount.mountPath}, where the injector mounts ${mount.name}`));
    }
  }
  return { ...container, volumeMounts: [...existing, ...mounts.map((mount) => ({ ...mount }))] };
}

function agentWithPatch(
  build: (spec: InjectionSpec, encoded: string | undefined) => Container, spec: InjectionSpec, role: AgentRole,
  patch: JsonPatch, patchAnnotation: string, problems: AdmissionProblem[],
): Container | undefined {
  let encoded: string | undefined;
  // With agent-configmap the agent runs the ConfigMap's own HCL: no config is generated (vault-k8s: no VAULT_CONFIG).
  if (spec.configMap === undefined) {
    const config = encodedAgentConfig(spec, role);
    if (!config.ok) {
      problems.push(problem('VI_AGENT_CONFIG', `the ${role} agent configuration built from the annotations is invalid: ${config.reason}`));
      return undefined;
    }
    encoded = config.encoded;
  }
  const patched = applyContainerPatch(build(spec, encoded), patch);
  if (!patched.ok) {
    problems.push(annotationProblem('VI_JSON_PATCH', patchAnnotation, `${patched.reason}`));
    return undefined;
  }
  return patched.value;
}

export function mutatePod(pod: Pod, spec: InjectionSpec): MutateResult {
  const mutated: Pod = { ...pod };
  const podSpec = { ...(pod.spec ?? { containers: [] }) };
  mutated.spec = podSpec;
  const volumes = injectedVolumes(spec);
  const problems = nameConflicts(pod, spec, volumes);

  podSpec.volumes = [...(podSpec.volumes ?? []), ...volumes];
  const mounts = secretMounts(spec);
  podSpec.containers = podSpec.containers.map((container) =>
    spec.injectContainers.includes(container.name) ? addMounts(container, mounts, problems) : container);

  // Existing init containers get the secrets whenever an agent runs before them (vault-k8s GH-91).
  const agentInInit = usesInitAgent(spec) || spec.mode === 'native-sidecar';
  const existingInit = (podSpec.initContainers ?? []).map((container) => (agentInInit ? addMounts(container, mounts, problems) : container));

  let initAgent: Container | undefined;
  if (usesInitAgent(spec)) initAgent = agentWithPatch(initContainer, spec, 'init', spec.initJsonPatch, 'agent-init-json-patch', problems);
  if (spec.mode === 'native-sidecar') initAgent = agentWithPatch(nativeSidecarContainer, spec, 'native-sidecar', spec.jsonPatch, 'agent-json-patch', problems);
  if (initAgent !== undefined) {
    podSpec.initContainers = spec.initFirst ? [initAgent, ...existingInit] : [...existingInit, initAgent];
  } else if (podSpec.initContainers !== undefined) {
    podSpec.initContainers = existingInit;
  }

  if (usesSidecarAgent(spec)) {
    const sidecar = agentWithPatch(sidecarContainer, spec, 'sidecar', spec.jsonPatch, 'agent-json-patch', problems);
    if (sidecar !== undefined) podSpec.containers = [...podSpec.containers, sidecar];
  }

  if (spec.shareProcessNamespace !== undefined) podSpec.shareProcessNamespace = spec.shareProcessNamespace;

  const metadata = { ...(pod.metadata ?? {}) };
  mutated.metadata = metadata;
  metadata.annotations = { ...(metadata.annotations ?? {}), [STATUS_ANNOTATION]: STATUS_INJECTED };

  return problems.length > 0 ? { ok: false, problems } : { ok: true, pod: mutated };
}
