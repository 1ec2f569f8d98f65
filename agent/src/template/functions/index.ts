// The function map templates run with: consul-template's functions plus sprig under `sprig_`.
import type { FunctionMap, GoFunction } from '../values.ts';
import { consulFunctions } from './consul.ts';
import { secretFunctions } from './secret.ts';
import { sprigFunctions } from './sprig.ts';
import { unavailableFunctions } from './unavailable.ts';
import { mapFunctions } from './maps.ts';
import { spewFunctions } from './spew.ts';
import { stdoutFunctions } from './stdout.ts';
import { writeToFileFunction } from './write-to-file.ts';
import { pluginFunction } from './plugin.ts';
import { sockaddrFunction } from './sockaddr.ts';
import type { FunctionEnvironment, SecretSource } from './types.ts';

export type { FileWriteRequest, FunctionEnvironment, SecretSource } from './types.ts';
export { runProgram, type ProgramRun } from './goexec.ts';
export { PLUGIN_TIMEOUT_MS } from './plugin.ts';
export { hostNetwork } from './sockaddr-host.ts';
export { globMatch, withDenylist } from './denylist.ts';
export { secretFromBody, normaliseSecretPath } from './secret.ts';
export { redactSecretValues } from './redact.ts';
export { UNAVAILABLE_FUNCTIONS, unavailableFunctionsIn, unavailableReason } from './unavailable.ts';
export { STDOUT_FUNCTIONS, stdoutFunctionsIn, stdoutReason } from './stdout.ts';

export function templateFunctions(environment: FunctionEnvironment): FunctionMap {
  const map = new Map<string, GoFunction>();
  for (const [name, f] of unavailableFunctions()) map.set(name, f);
  for (const [name, f] of consulFunctions(environment)) map.set(name, f);
  for (const [name, f] of mapFunctions()) map.set(name, f);
  for (const [name, f] of spewFunctions()) map.set(name, f);
  for (const [name, f] of stdoutFunctions()) map.set(name, f);
  map.set('writeToFile', writeToFileFunction(environment));
  map.set('plugin', pluginFunction(environment.runProgram));
  map.set('sockaddr', sockaddrFunction(environment.network));
  for (const [name, f] of secretFunctions(environment.secrets, environment.secretUsed)) map.set(name, f);
  for (const [name, f] of sprigFunctions(environment)) map.set(`sprig_${name}`, f);
  return map;
}

const nothingFetched: SecretSource = { read: () => undefined, write: () => undefined, list: () => undefined };

/** Same names and signatures as templateFunctions; for parsing at admission (never called). */
export const parseOnlyFunctions: FunctionMap = templateFunctions({
  secrets: nothingFetched,
  env: () => undefined,
  readFile: () => '',
  now: () => new Date(0),
});
