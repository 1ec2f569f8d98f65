import type { GoStruct } from '../values.ts';
import type { GoLocation } from './gozone.ts';
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
  now(): Date;                        // for `timestamp`, sprig's ago
  /** Told of every *dependency.Secret `secret` returns (consul-template's used set), so that an
   *  execution error can be redacted of their values (redact.ts). */
  secretUsed?(secret: GoStruct): void;
  /** time.Local for sprig's toDate (default: the process's, from TZ as Go reads it) */
  local?: GoLocation | undefined;
  /** For `writeToFile`; throws Error with Go's message (`open PATH: ...`, `user: unknown user X`)
   *  or the reason the path is refused. Absent: writeToFile fails, saying so. */
  writeFile?(request: FileWriteRequest): void;
  /** For `plugin`: runs a program as Go's os/exec would (goexec.ts). Absent: `plugin` fails. */
  runProgram?: ((name: string, args: readonly string[]) => ProgramRun) | undefined;
  /** For `sockaddr`: the machine's interfaces and default route (sockaddr-host.ts). Absent:
   *  `sockaddr` fails. */
  network?: (() => HostNetwork) | undefined;
}

/** One writeToFile call, its arguments parsed as consul-template parses them. */
export interface FileWriteRequest {
  path: string;
  /** '' = the agent's own user (no chown unless groupName is set) */
  username: string;
  groupName: string;
  /** the mode bits to set (see chmodBits) */
  mode: number;
  content: string;
  append: boolean;
  newline: boolean;
}
