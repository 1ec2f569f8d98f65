// Verdicts remembered by pod. Every replica of a Deployment (and of a StatefulSet or Job) reaches
// the webhook as the same pod object: the API server names pods after mutating admission, so they
// differ only in the AdmissionReview's uid. Answering replica 2..N from memory saves the whole
// annotation → template → mutation → diff pipeline, the bulk of an admission's cost.
import type { InjectorSettings } from '../settings.ts';
import type { TenancyCheck } from '../tenancy/types.ts';
import type { Pod } from '../pod.ts';
import type { Verdict } from './review.ts';
import { BoundedCache } from './lru.ts';

export interface VerdictCacheLimits {
  maxEntries: number;
  /** Characters of pod JSON and patch kept in all, so that a few very large pods cannot pin memory. */
  maxChars: number;
}

export const DEFAULT_VERDICT_CACHE_LIMITS: VerdictCacheLimits = { maxEntries: 1024, maxChars: 16 * 1024 * 1024 };

export class VerdictCache {
  readonly #verdicts: BoundedCache<Verdict>;
  // A verdict holds for the settings and the tenancy policy it was reached under; a policy reload
  // brings a new check function, and everything remembered is dropped.
  #settings: InjectorSettings | undefined;
  #tenancy: TenancyCheck | undefined;
  hits = 0;
  misses = 0;

  constructor(limits: VerdictCacheLimits = DEFAULT_VERDICT_CACHE_LIMITS) {
    this.#verdicts = new BoundedCache(limits.maxEntries, limits.maxChars);
  }

  /** The key of a pod in a namespace: its JSON, which the API server sends identically per replica. */
  keyOf(namespace: string, pod: Pod): string | undefined {
    try {
      return `${namespace}\n${JSON.stringify(pod)}`;
    } catch {
      // Only an object built in-process could fail to serialise (a cycle, a BigInt): not cached.
      return undefined;
    }
  }

  get(key: string, settings: InjectorSettings, tenancy: TenancyCheck | undefined): Verdict | undefined {
    this.#follow(settings, tenancy);
    const verdict = this.#verdicts.get(key);
    if (verdict === undefined) this.misses += 1;
    else this.hits += 1;
    return verdict;
  }

  set(key: string, verdict: Verdict, settings: InjectorSettings, tenancy: TenancyCheck | undefined): void {
    this.#follow(settings, tenancy);
    const patch = verdict.response['patch'];
    this.#verdicts.set(key, verdict, key.length + (typeof patch === 'string' ? patch.length : 0));
  }

  get size(): number {
    return this.#verdicts.size;
  }

  #follow(settings: InjectorSettings, tenancy: TenancyCheck | undefined): void {
    if (settings === this.#settings && tenancy === this.#tenancy) return;
    this.#verdicts.clear();
    this.#settings = settings;
    this.#tenancy = tenancy;
  }
}
