// consul-template's way of finding what a template needs: run it; every `secret` call whose data
// is not fetched yet returns nil and is recorded as missing; fetch what is missing; run again;
// until a pass completes with nothing missing. So secrets inside if/with/range and paths built
// at run time are found. Pure apart from the injected `fetch`.
import { requestKey, type SecretRequest } from './paths.ts';

export interface PassResult {
  /** The output, when execution finished without an error. */
  output?: string;
  /** What the template engine threw, if it did. */
  error?: unknown;
  /** Requests whose data was not available during this pass. */
  missing: SecretRequest[];
  /** Every request the pass made (its dependencies). */
  used: SecretRequest[];
}

export interface DiscoveryTemplate {
  id: number;
  execute(): PassResult;
}

export type TemplateOutcome<Failure> =
  | { status: 'complete'; output: string; used: SecretRequest[] }
  /** Some request could not be fetched; `failures` says why, by request key. */
  | { status: 'incomplete'; missing: SecretRequest[]; failures: Map<string, Failure> }
  | { status: 'error'; error: unknown };

/** Fetches requests (concurrently); returns the failures by request key. */
export type FetchMissing<Failure> = (requests: SecretRequest[]) => Promise<Map<string, Failure>>;

/** A bound on passes, so a template that keeps asking for new paths cannot loop forever. */
export const MAX_PASSES = 32;

export async function discoverAll<Failure>(
  templates: ReadonlyArray<DiscoveryTemplate>,
  fetch: FetchMissing<Failure>,
  maxPasses = MAX_PASSES,
): Promise<Map<number, TemplateOutcome<Failure>>> {
  const outcomes = new Map<number, TemplateOutcome<Failure>>();
  const failed = new Map<string, Failure>();
  let pending = [...templates];
  const lastMissing = new Map<number, SecretRequest[]>();

  for (let pass = 0; pending.length > 0 && pass < maxPasses; pass++) {
    const wanted = new Map<string, SecretRequest>();
    const stillPending: DiscoveryTemplate[] = [];
    for (const template of pending) {
      const result = template.execute();
      if (result.missing.length === 0) {
        outcomes.set(
          template.id,
          result.error !== undefined || result.output === undefined
            ? { status: 'error', error: result.error }
            : { status: 'complete', output: result.output, used: result.used },
        );
        continue;
      }
      const unresolved = result.missing.filter((request) => !failed.has(requestKey(request)));
      if (unresolved.length === 0) {
        outcomes.set(template.id, { status: 'incomplete', missing: result.missing, failures: failuresFor(result.missing, failed) });
        continue;
      }
      for (const request of unresolved) wanted.set(requestKey(request), request);
      lastMissing.set(template.id, result.missing);
      stillPending.push(template);
    }
    pending = stillPending;
    if (wanted.size === 0) break;
    for (const [key, failure] of await fetch([...wanted.values()])) failed.set(key, failure);
  }
  for (const template of pending) {
    const missing = lastMissing.get(template.id) ?? [];
    outcomes.set(template.id, { status: 'incomplete', missing, failures: failuresFor(missing, failed) });
  }
  return outcomes;
}

function failuresFor<Failure>(missing: SecretRequest[], failed: Map<string, Failure>): Map<string, Failure> {
  const result = new Map<string, Failure>();
  for (const request of missing) {
    const key = requestKey(request);
    const failure = failed.get(key);
    if (failure !== undefined) result.set(key, failure);
  }
  return result;
}
