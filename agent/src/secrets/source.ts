// The synchronous SecretSource handed to the template functions (agent/src/template/functions): answers from what
// the store has fetched, and records every request of the current pass, and which were missing.
import { requestKey, type SecretRequest } from './paths.ts';

export type Lookup = (request: SecretRequest) => string | undefined;

export class TrackingSource {
  private used = new Map<string, SecretRequest>();
  private missing = new Map<string, SecretRequest>();

  constructor(private readonly lookup: Lookup) {}

  /** Starts a pass: forget what the previous one recorded. */
  begin(): void {
    this.used = new Map();
    this.missing = new Map();
  }

  /** What the pass asked for, and what it could not have. */
  end(): { used: SecretRequest[]; missing: SecretRequest[] } {
    return { used: [...this.used.values()], missing: [...this.missing.values()] };
  }

  read(path: string): string | undefined {
    return this.note({ kind: 'read', path });
  }

  write(path: string, data: Readonly<Record<string, string>>): string | undefined {
    return this.note({ kind: 'write', path, data: { ...data } });
  }

  list(path: string): string | undefined {
    return this.note({ kind: 'list', path });
  }

  private note(request: SecretRequest): string | undefined {
    const key = requestKey(request);
    this.used.set(key, request);
    const text = this.lookup(request);
    if (text === undefined) this.missing.set(key, request);
    return text;
  }
}
