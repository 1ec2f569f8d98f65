import type { ProgramRun } from './goexec.ts';
import type { HostNetwork } from './sockaddr-ip.ts';

/** Synchronous view of what the agent has fetched. undefined = not fetched yet: `secret` returns nil
 *  (consul-template renders nothing for it) and the lookup is recorded so the agent fetches it. */
export interface SecretSource {
  read(path: string): string | undefined;                                  // raw Vault HTTP JSON body text
  write(path: string, data: Readonly<Record<string, string>>): string | undefined; // write form: secret "pki/issue/x" "common_name=a"
  list(path: string): string | undefined;                                  // raw body of a LIST
}

export interface FunctionEnvironment {
  secrets: SecretSource;
  env(name: string): string | undefined;
  readFile(path: string): string;     // for `file`; throws Error with a clear message
  now(): Date;                        // for `timestamp`
  /** For `plugin`: runs a program as Go's os/exec would (goexec.ts). Absent: `plugin` fails. */
  runProgram?: ((name: string, args: readonly string[]) => ProgramRun) | undefined;
  /** For `sockaddr`: the machine's interfaces and default route (sockaddr-host.ts). Absent:
   *  `sockaddr` fails. */
  network?: (() => HostNetwork) | undefined;
}
