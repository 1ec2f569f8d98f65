// A small bounded least-recently-used map (Map keeps insertion order: a hit moves its key to the end,
// an insert past a bound evicts from the front). For pure computations the admission path repeats:
// the API server sends the same pod template for every replica of a Deployment.
export class BoundedCache<V> {
  readonly #entries = new Map<string, { value: V; weight: number }>();
  #weight = 0;

  /**
   * `maxWeight` bounds the sum of the weights given to `set` (callers weigh entries by the
   * characters they hold, so a few huge pods cannot pin hundreds of megabytes).
   */
  constructor(readonly maxEntries: number, readonly maxWeight = Number.POSITIVE_INFINITY) {}

  get(key: string): V | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    return entry.value;
  }

  /** An entry heavier than the whole budget is not kept. */
  set(key: string, value: V, weight = 0): void {
    this.delete(key);
    if (weight > this.maxWeight) return;
    this.#entries.set(key, { value, weight });
    this.#weight += weight;
    while (this.#entries.size > this.maxEntries || this.#weight > this.maxWeight) {
      const oldest = this.#entries.keys().next();
      if (oldest.done === true) break;
      this.delete(oldest.value);
    }
  }

  delete(key: string): void {
    const entry = this.#entries.get(key);
    if (entry === undefined) return;
    this.#entries.delete(key);
    this.#weight -= entry.weight;
  }

  clear(): void {
    this.#entries.clear();
    this.#weight = 0;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** The sum of the weights of the entries kept. */
  get weight(): number {
    return this.#weight;
  }
}
