// A small bounded least-recently-used map (Map keeps insertion order: a hit moves its key to the end,
// an insert past the bound evicts the first key). For pure computations the admission path repeats:
// the API server sends the same pod template for every replica of a Deployment.
export class BoundedCache<V> {
  readonly #entries = new Map<string, V>();
  constructor(readonly maxEntries: number) {}

  get(key: string): V | undefined {
    const value = this.#entries.get(key);
    if (value === undefined) return undefined;
    this.#entries.delete(key);
    this.#entries.set(key, value);
    return value;
  }

  set(key: string, value: V): void {
    this.#entries.delete(key);
    this.#entries.set(key, value);
    if (this.#entries.size > this.maxEntries) {
      const oldest = this.#entries.keys().next();
      if (oldest.done !== true) this.#entries.delete(oldest.value);
    }
  }

  get size(): number {
    return this.#entries.size;
  }
}
