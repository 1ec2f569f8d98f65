// consul-template's Consul and Nomad functions. Vault Agent renders with consul-template's whole
// function map but configures no Consul or Nomad connection, so a template using one of these
// never renders there. They stay in our map (a template parses as it does under Vault Agent) but
// refuse: at admission (unavailableFunctionsIn) and when called (the render's error).
import { identifierLocation, walkFunctionUses, type Template } from '../index.ts';
import type { GoFunction } from '../values.ts';
import { fn, goError } from './define.ts';

export type MissingService = 'Consul' | 'Nomad';

const CONSUL = ['byKey', 'byMeta', 'byPort', 'byTag', 'caLeaf', 'caRoots', 'connect', 'datacenters', 'explode', 'exportedServices', 'key',
  'keyExists', 'keyOrDefault', 'ls', 'node', 'nodes', 'partitions', 'peerings', 'safeLs', 'safeTree', 'service', 'services', 'tree'];
const NOMAD = ['nomadService', 'nomadServices', 'nomadVar', 'nomadVarExists', 'nomadVarList', 'nomadVarListSafe'];

/** Function name → what it needs. byKey, byTag, byPort, byMeta and explode only take
 *  Consul's results (KV pairs, services). */
export const UNAVAILABLE_FUNCTIONS: ReadonlyMap<string, MissingService> = new Map<string, MissingService>([
  ...CONSUL.map((name) => [name, 'Consul'] as const),
  ...NOMAD.map((name) => [name, 'Nomad'] as const),
]);

export function unavailableReason(name: string, service: MissingService): string {
  return `function ${JSON.stringify(name)} needs ${service}, which Vault Agent does not connect to (it renders Vault secrets only)`;
}

export function unavailableFunctions(): Map<string, GoFunction> {
  const m = new Map<string, GoFunction>();
  for (const [name, service] of UNAVAILABLE_FUNCTIONS) {
    m.set(name, fn(['interface {}'], () => { throw goError(unavailableReason(name, service)); }, { variadic: true }));
  }
  return m;
}

export interface UnavailableUse { name: string; service: MissingService; line: number; column: number }

/** Every use of a Consul or Nomad function in the template, in source order. */
export function unavailableFunctionsIn(template: Template): UnavailableUse[] {
  const uses: UnavailableUse[] = [];
  walkFunctionUses(template, (ident) => {
    const service = UNAVAILABLE_FUNCTIONS.get(ident.ident);
    if (service !== undefined) uses.push({ name: ident.ident, service, ...identifierLocation(ident) });
  });
  return uses.sort((a, b) => a.line - b.line || a.column - b.column);
}
