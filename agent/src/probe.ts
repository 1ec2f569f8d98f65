// Native sidecar startup probe. The agent (sidecar mode with vault_injector.ready_file set) creates
// the ready file after its first complete render and removes a stale one at start; the probe is
// an exec of the agent itself, `probe READY_FILE`, which exits 0 only when the file exists.
import { access } from 'node:fs/promises';

/** The ready file the webhook should configure: in the shared secrets volume (writable, in memory,
 *  gone with the pod), hidden from directory listings. */
export const DEFAULT_READY_FILE = '/vault/secrets/.vault-injector-ready';

/** How the agent image runs the agent: `node /agent.js ...` (Dockerfile.agent). */
export interface AgentImageLayout {
  node: string;
  script: string;
}
export const DEFAULT_IMAGE_LAYOUT: AgentImageLayout = { node: 'node', script: '/agent.js' };

/** The exec command of the native sidecar's startupProbe. */
export const startupProbeCommand = (readyFile: string, layout: AgentImageLayout = DEFAULT_IMAGE_LAYOUT): string[] => [layout.node, layout.script, 'probe', readyFile];

/** `probe READY_FILE`: 0 when the file exists, 1 otherwise. */
export async function runProbe(readyFile: string | undefined): Promise<number> {
  try {
    await access(readyFile ?? DEFAULT_READY_FILE);
    return 0;
  } catch {
    return 1;
  }
}
