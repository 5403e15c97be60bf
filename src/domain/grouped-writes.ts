/** Records written in groups, one write each, in order. */
export interface GroupedWrites<T> {
  /** Queues a record; resolves once it is queued, or, when it fills the group, once the group is written. */
  add(record: T): Promise<void>;
  /** Writes what is queued, after the writes before it; rejects with the first write that failed. */
  flush(): Promise<void>;
}

export interface GroupLimits {
  /** Records per write: a full group is written before its last `add` resolves. */
  size: number;
  /** The longest a queued record waits for its group to fill before it is written anyway. */
  delayMs: number;
}

/**
 * Writes records in groups (a commit per record would cost more than the work recorded) without letting a
 * record wait long for its group: what is done but unrecorded is what a crash would do again. A failed
 * write is kept for `flush` to report; the groups after it are still written.
 */
export function groupedWrites<T>(
  limits: GroupLimits,
  writeGroup: (group: T[]) => Promise<void>,
): GroupedWrites<T> {
  const queued: T[] = [];
  let writing: Promise<void> = Promise.resolve();
  let failure: { error: unknown } | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const write = (): Promise<void> => {
    clearTimeout(timer);
    timer = undefined;
    const group = queued.splice(0);
    if (group.length > 0) {
      writing = writing
        .then(() => writeGroup(group))
        .catch((error: unknown) => {
          failure ??= { error };
        });
    }
    return writing;
  };

  return {
    async add(record) {
      queued.push(record);
      if (queued.length >= limits.size) await write();
      else timer ??= setTimeout(() => void write(), limits.delayMs);
    },
    async flush() {
      await write();
      if (failure) throw failure.error;
    },
  };
}
