import type { Clock } from '../domain/ports';

export const MAX_CACHE_ENTRIES = 2_000; // bounds memory in a long-lived Node process
export const MAX_CACHE_TTL_SECONDS = 3_600; // ask again hourly even when a zone allows longer

interface Entry<V> {
  value: V;
  expiresAt: number;
}

/** Values kept for their DNS TTL on the given clock, oldest dropped first when full. */
export class AnswerCache<V> {
  readonly #entries = new Map<string, Entry<V>>();

  constructor(
    private readonly clock: Clock,
    private readonly maxEntries = MAX_CACHE_ENTRIES,
  ) {}

  get(key: string): V | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.clock.now().getTime()) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  set(key: string, value: V, ttlSeconds: number): void {
    const ttl = Math.min(ttlSeconds, MAX_CACHE_TTL_SECONDS);
    if (!(ttl > 0)) return;
    this.#entries.delete(key);
    while (this.#entries.size >= this.maxEntries) {
      const oldest = this.#entries.keys().next();
      if (oldest.done === true) break;
      this.#entries.delete(oldest.value);
    }
    this.#entries.set(key, { value, expiresAt: this.clock.now().getTime() + ttl * 1000 });
  }
}
