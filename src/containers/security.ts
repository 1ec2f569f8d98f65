// The agent containers' securityContext: vault-k8s's (uid/gid, read-only root, no escalation, drop
// ALL) plus `seccompProfile: RuntimeDefault`, so they pass the `restricted` Pod Security Standard.
import type { SecurityContext } from '../pod.ts';
import type { InjectionSpec } from '../spec.ts';

export function agentSecurityContext(spec: InjectionSpec): SecurityContext | undefined {
  if (spec.securityContext === undefined) return undefined;
  const { runAsUser, runAsGroup } = spec.securityContext;
  return {
    runAsUser,
    runAsGroup,
    // Kubernetes checks runAsNonRoot against the uid only; uid 0 would make the kubelet refuse to start it.
    runAsNonRoot: runAsUser !== 0,
    readOnlyRootFilesystem: true,
    allowPrivilegeEscalation: false,
    capabilities: { drop: ['ALL'] },
    seccompProfile: { type: 'RuntimeDefault' },
  };
}
