const PURGE_BATCH_SIZE = 500; // one DELETE per batch keeps each statement short on D1
const PURGE_MAX_BATCHES = 20; // bounds one run; the next run continues

/** Calls `purgeUpTo` batch by batch until a batch comes back short or the run's bound is reached; the total. */
export async function purgeInBatches(purgeUpTo: (limit: number) => Promise<number>): Promise<number> {
  let purged = 0;
  for (let batch = 0; batch < PURGE_MAX_BATCHES; batch++) {
    const removed = await purgeUpTo(PURGE_BATCH_SIZE);
    purged += removed;
    if (removed < PURGE_BATCH_SIZE) break;
  }
  return purged;
}
