// consul-template's spew_dump and spew_printf print to the process's standard output. In our
// agent that is the JSON log, which must never carry a secret value, so they are refused: at
// admission (stdoutFunctionsIn) and when called (the render's error). They keep consul-template's
// signatures, so a template parses, and its argument errors read, as under Vault Agent.
import { identifierLocation, walkFunctionUses, type Template } from '../index.ts';
import type { GoFunction } from '../values.ts';
import { fn, goError } from './define.ts';

/** Function name → the function that returns the same text instead of printing it. */
export const STDOUT_FUNCTIONS: ReadonlyMap<string, string> = new Map([
  ['spew_dump', 'spew_sdump'],
  ['spew_printf', 'spew_sprintf'],
]);

export function stdoutReason(name: string): string {
  const instead = STDOUT_FUNCTIONS.get(name) ?? 'spew_sdump';
  return `function ${JSON.stringify(name)} writes to the agent's log (its standard output), which vault-injector keeps free of secret values: use ${instead} and render its result into the file instead`;
}

export function stdoutFunctions(): Map<string, GoFunction> {
  const refuse = (name: string): never => { throw goError(stdoutReason(name)); };
  return new Map<string, GoFunction>([
    ['spew_dump', fn(['interface {}'], () => refuse('spew_dump'), { variadic: true })],
    ['spew_printf', fn(['string', 'interface {}'], () => refuse('spew_printf'), { variadic: true })],
  ]);
}

export interface StdoutUse { name: string; line: number; column: number }

/** Every use of spew_dump or spew_printf in the template, in source order. */
export function stdoutFunctionsIn(template: Template): StdoutUse[] {
  const uses: StdoutUse[] = [];
  walkFunctionUses(template, (ident) => {
    if (STDOUT_FUNCTIONS.has(ident.ident)) uses.push({ name: ident.ident, ...identifierLocation(ident) });
  });
  return uses.sort((a, b) => a.line - b.line || a.column - b.column);
}
