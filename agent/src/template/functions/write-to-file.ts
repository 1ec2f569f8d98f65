// consul-template's writeToFile(path, username, groupName, permissions string, args ...string):
// its argument handling and error texts. The file system work is the environment's writeFile,
// which in the agent keeps every write inside the secrets volume (files/template-writes.ts).
import { goQuote } from './gostrings.ts';
import type { GoFunction } from '../values.ts';
import { fn, goError, panicError } from './define.ts';
import type { FileWriteRequest, FunctionEnvironment } from './types.ts';

/** strconv.ParseUint(s, 8, 32), Go's error texts: digits are checked one by one and the first
 *  overflow stops the scan. */
export function parseOctalPermissions(s: string): number {
  const fail = (reason: string): never => { throw goError(`strconv.ParseUint: parsing ${goQuote(s)}: ${reason}`); };
  if (s === '') fail('invalid syntax');
  let value = 0;
  for (const c of s) {
    const digit = c.charCodeAt(0) - 0x30;
    if (c.length !== 1 || digit < 0 || digit > 7) fail('invalid syntax');
    value = value * 8 + digit;
    if (value > 0xffffffff) fail('value out of range');
  }
  return value;
}

/** The mode bits os.Chmod(path, os.FileMode(p)) sets: the permission bits, and setuid, setgid and
 *  sticky only from os.FileMode's own flag bits (so "4755" is 0755, as in Go). */
export function chmodBits(permissions: number): number {
  let mode = permissions & 0o777;
  if (permissions & (1 << 23)) mode |= 0o4000;
  if (permissions & (1 << 22)) mode |= 0o2000;
  if (permissions & (1 << 20)) mode |= 0o1000;
  return mode;
}

export function writeToFileFunction(environment: FunctionEnvironment): GoFunction {
  return fn(['string', 'string', 'string', 'string', 'string'], (args) => {
    const [path, username, groupName, permissions, ...rest] = args as string[];
    // consul-template: two extra arguments are flags and content; otherwise the last is the content
    const flags = rest.length === 2 ? rest[0]! : '';
    if (rest.length === 0) throw panicError('index out of range [-1]');
    const content = rest[rest.length - 1]!;
    const mode = chmodBits(parseOctalPermissions(permissions!));
    const request: FileWriteRequest = {
      path: path!, username: username!, groupName: groupName!, mode, content,
      append: flags.includes('append'), newline: flags.includes('newline'),
    };
    if (environment.writeFile === undefined) throw goError('writeToFile: only the agent writes files, inside its secrets volume (this renderer has none)');
    try {
      environment.writeFile(request);
    } catch (error) {
      throw goError(error instanceof Error ? error.message : `writeToFile: cannot write ${goQuote(request.path)}`);
    }
    return '';
  }, { variadic: true });
}
