// Which service account token the agent logs in with (vault-k8s agent.go serviceaccount()):
// the projected volume named by agent-service-account-token-volume-name, else the first app
// container mount whose path contains "serviceaccount" (the kube-api-access-* volume).
import { posix } from 'node:path';
import { annotationProblem } from '../errors.ts';
import type { AdmissionProblem } from '../errors.ts';
import type { Pod } from '../pod.ts';
import type { ServiceAccountToken } from '../spec.ts';

/** Where a named token volume is mounted in the agents when no app container mounts it. */
export const DEFAULT_TOKEN_MOUNT_PATH = '/var/run/secrets/vault.hashicorp.com/serviceaccount';

const ANNOTATION = 'agent-service-account-token-volume-name';

export type TokenResult = { ok: true; token: ServiceAccountToken } | { ok: false; problem: AdmissionProblem };

export function findServiceAccountToken(pod: Pod, volumeName: string | undefined): TokenResult {
  const containers = pod.spec?.containers ?? [];
  if (volumeName === undefined) {
    for (const container of containers) {
      const mount = (container.volumeMounts ?? []).find((candidate) => candidate.mountPath.includes('serviceaccount'));
      if (mount !== undefined) {
        return { ok: true, token: { volumeName: mount.name, mountPath: mount.mountPath, tokenFile: posix.join(mount.mountPath, 'token') } };
      }
    }
    return {
      ok: false,
      problem: annotationProblem('VI_SERVICE_ACCOUNT_TOKEN', ANNOTATION,
        'is not set and no container mounts a service account token (is automountServiceAccountToken false?); name a projected volume with a serviceAccountToken source'),
    };
  }
  const volume = (pod.spec?.volumes ?? []).find((candidate) => candidate.name === volumeName);
  if (volume === undefined) {
    return { ok: false, problem: annotationProblem('VI_SERVICE_ACCOUNT_TOKEN', ANNOTATION, `the pod has no volume named ${JSON.stringify(volumeName)}`) };
  }
  const tokenSource = (volume.projected?.sources ?? []).find((source) => source.serviceAccountToken !== undefined);
  const tokenPath = tokenSource?.serviceAccountToken?.path;
  if (tokenPath === undefined || tokenPath === '') {
    return { ok: false, problem: annotationProblem('VI_SERVICE_ACCOUNT_TOKEN', ANNOTATION, `volume ${JSON.stringify(volumeName)} is not a projected volume with a serviceAccountToken path`) };
  }
  let mountPath = DEFAULT_TOKEN_MOUNT_PATH;
  for (const container of containers) {
    const mount = (container.volumeMounts ?? []).find((candidate) => candidate.name === volumeName);
    if (mount !== undefined) {
      mountPath = mount.mountPath;
      break;
    }
  }
  return { ok: true, token: { volumeName, mountPath, tokenFile: posix.join(mountPath, tokenPath) } };
}
