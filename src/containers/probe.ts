// The native sidecar's startup probe command. The agent owns it (agent/src/probe.ts exports
// startupProbeCommand, INTERFACES.md); until that module lands this is its documented shape:
// the bundled agent checks that the ready file exists.
export function startupProbeCommand(readyFile: string): string[] {
  return ['/nodejs/bin/node', '/agent.js', 'probe', '--ready-file', readyFile];
}
