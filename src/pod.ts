// The Kubernetes shapes the webhook reads and writes (types only: kubernetes-models carries them),
// and the one check that turns an AdmissionReview's `object` into a Pod we can work on.
import type { IPod } from 'kubernetes-models/v1/Pod';
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IVolume } from 'kubernetes-models/v1/Volume';
import type { IVolumeMount } from 'kubernetes-models/v1/VolumeMount';
import type { IEnvVar } from 'kubernetes-models/v1/EnvVar';
import type { ISecurityContext } from 'kubernetes-models/v1/SecurityContext';
import type { IProbe } from 'kubernetes-models/v1/Probe';

export type Pod = IPod;
export type Container = IContainer;
export type Volume = IVolume;
export type VolumeMount = IVolumeMount;
export type EnvVar = IEnvVar;
export type SecurityContext = ISecurityContext;
export type Probe = IProbe;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A reason when `object` cannot be a Pod we inject into (no spec, containers not a list...). */
export function podShapeProblem(object: unknown): string | undefined {
  if (!isRecord(object)) return 'the request carries no pod object';
  const metadata = object['metadata'];
  if (metadata !== undefined && !isRecord(metadata)) return 'metadata is not an object';
  if (isRecord(metadata)) {
    const annotations = metadata['annotations'];
    if (annotations !== undefined && annotations !== null && !isRecord(annotations)) return 'metadata.annotations is not an object';
  }
  const spec = object['spec'];
  if (!isRecord(spec)) return 'the pod has no spec';
  for (const field of ['containers', 'initContainers', 'volumes'] as const) {
    const list = spec[field];
    if (list === undefined || list === null) continue;
    if (!Array.isArray(list) || !list.every(isRecord)) return `spec.${field} is not a list of objects`;
  }
  if (!Array.isArray(spec['containers']) || spec['containers'].length === 0) return 'the pod has no containers';
  // The API server calls mutating webhooks before it validates the object, so fields the mutation
  // reads may still be missing or of the wrong type: refuse those with a message, never a crash.
  for (const field of ['containers', 'initContainers'] as const) {
    const list = spec[field];
    if (!Array.isArray(list)) continue;
    for (const [index, container] of (list as Array<Record<string, unknown>>).entries()) {
      if (typeof container['name'] !== 'string') return `spec.${field}[${index}].name is not a string`;
      const mounts = container['volumeMounts'];
      if (mounts === undefined || mounts === null) continue;
      if (!Array.isArray(mounts)) return `spec.${field}[${index}].volumeMounts is not a list`;
      for (const [at, mount] of mounts.entries()) {
        if (!isRecord(mount) || typeof mount['name'] !== 'string' || typeof mount['mountPath'] !== 'string') {
          return `spec.${field}[${index}].volumeMounts[${at}] needs a name and a mountPath`;
        }
      }
    }
  }
  if (Array.isArray(spec['volumes']) && !(spec['volumes'] as Array<Record<string, unknown>>).every((volume) => typeof volume['name'] === 'string')) return 'a volume in spec.volumes has no name';
  return undefined;
}

/** The pod's annotations as strings (Kubernetes guarantees strings; anything else is dropped). */
export function annotationsOf(pod: Pod): Record<string, string> {
  const annotations: Record<string, string> = {};
  const metadata: unknown = pod.metadata;
  const given = isRecord(metadata) ? metadata['annotations'] : undefined;
  if (!isRecord(given)) return annotations;
  for (const [key, value] of Object.entries(given)) {
    if (typeof value === 'string') annotations[key] = value;
  }
  return annotations;
}

/** `name`, or `generateName` + `*` for pods created by controllers. */
export function podDisplayName(pod: Pod): string {
  const name: unknown = pod.metadata?.name;
  if (typeof name === 'string' && name !== '') return name;
  const generateName: unknown = pod.metadata?.generateName;
  if (typeof generateName === 'string' && generateName !== '') return `${generateName}*`;
  return '(unnamed)';
}
