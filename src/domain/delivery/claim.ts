import type { ClaimedDelivery, RegionHandle } from '../ports';
import type { DeliveryRun } from './run';

/** The bodies a batch needs: most read up front in one go, the rest on demand; dropped after their last recipient. */
export interface BodyCache {
  get(submissionId: string): Promise<string | undefined>;
  /** One recipient of the submission is done with its body. */
  done(submissionId: string): void;
}

/** What one claim hands to the attempts: the rows, how long they are leased, and their messages. */
export interface ClaimedBatch {
  rows: ClaimedDelivery[];
  leaseUntil: Date;
  bodies: BodyCache;
}

const NO_BODIES: BodyCache = { get: () => Promise.resolve(undefined), done: () => undefined };

async function bodyCache(
  region: RegionHandle,
  rows: readonly ClaimedDelivery[],
  prefetchBytes: number,
): Promise<BodyCache> {
  const remaining = new Map<string, number>();
  for (const row of rows) remaining.set(row.submissionId, (remaining.get(row.submissionId) ?? 0) + 1);
  const needed = rows.filter((row) => !row.suppressed).map((row) => row.submissionId);
  const prefetched = await region.store.deliveries.messagesOf(needed, prefetchBytes);
  const loaded = new Map<string, Promise<string | undefined>>(
    [...prefetched].map(([id, body]) => [id, Promise.resolve(body)]),
  );
  return {
    get(submissionId) {
      let body = loaded.get(submissionId);
      if (!body) {
        body = region.store.deliveries.messageOf(submissionId);
        loaded.set(submissionId, body);
      }
      return body;
    },
    done(submissionId) {
      const left = (remaining.get(submissionId) ?? 1) - 1;
      remaining.set(submissionId, left);
      if (left <= 0) loaded.delete(submissionId);
    },
  };
}

/** Leases the next batch of due rows to the run, ordered so one submission's recipients go together. */
export async function claimBatch({ rt, region, owner, limits }: DeliveryRun): Promise<ClaimedBatch> {
  const now = rt.clock.now();
  const leaseUntil = new Date(now.getTime() + limits.leaseMs);
  const claimed = await region.store.deliveries.claimDue(owner, now, leaseUntil, limits.batchSize);
  const rows = [...claimed].sort((a, b) => a.submissionId.localeCompare(b.submissionId));
  const bodies = rows.length > 0 ? await bodyCache(region, rows, limits.prefetchBytes) : NO_BODIES;
  return { rows, leaseUntil, bodies };
}
