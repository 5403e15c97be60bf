/** Runs `flush` after the calls of the current turn of the event loop have been made (Node: setImmediate). */
export type NextTurn = (flush: () => void) => void;

/** How a store shares work between concurrent requests; without `nextTurn` every call works alone. */
export interface Coalescing {
  nextTurn?: NextTurn;
}

const MAX_KEYS_PER_LOAD = 256;

interface Waiter<K, V> {
  key: K;
  resolve: (value: V) => void;
  reject: (error: unknown) => void;
}

/** One key's value, or several keys' values at once. */
export interface Coalesced<K, V> {
  (key: K): Promise<V>;
  /** The keys' values in order: their own load without a next turn, the turn's shared load with one. */
  many: (keys: readonly K[]) => Promise<V[]>;
}

/**
 * Calls made in the same turn share one `load`, which answers each key in order: concurrent requests
 * then need one query or one transaction between them instead of one each. Without `nextTurn` (workerd,
 * where a promise must settle in the request that made it) every call loads alone.
 */
export function coalescer<K, V>(
  load: (keys: K[]) => Promise<V[]>,
  { nextTurn }: Coalescing,
): Coalesced<K, V> {
  if (!nextTurn) {
    const alone = async (key: K): Promise<V> => {
      const [value] = await load([key]);
      return value as V;
    };
    return Object.assign(alone, { many: (keys: readonly K[]) => load([...keys]) });
  }

  let waiting: Waiter<K, V>[] = [];
  const flush = () => {
    const batch = waiting;
    waiting = [];
    if (batch.length === 0) return;
    load(batch.map((w) => w.key)).then(
      (values) => {
        batch.forEach((w, i) => w.resolve(values[i] as V));
      },
      (error: unknown) => {
        for (const w of batch) w.reject(error);
      },
    );
  };
  const shared = (key: K) =>
    new Promise<V>((resolve, reject) => {
      if (waiting.length === 0) nextTurn(flush);
      waiting.push({ key, resolve, reject });
      if (waiting.length >= MAX_KEYS_PER_LOAD) flush();
    });
  return Object.assign(shared, { many: (keys: readonly K[]) => Promise.all(keys.map(shared)) });
}
