import { and, eq, or, sql } from 'drizzle-orm';
import type { DeliveryState } from '../../domain/submission/ports';
import type {
  Acceptance,
  AcceptOutcome,
  DeliveryStatus,
  SubmissionStore,
} from '../../domain/submission/ports';
import type { Database } from '../database';
import { deliveries, quotaUsage } from '../schema';
import type { SubmissionLoaders } from './submission-loaders';

const maybeDate = (value: number | null): Date | null => (value === null ? null : new Date(value));

export function submissionStore(
  db: Database,
  tenancyId: string,
  loaders: SubmissionLoaders,
): SubmissionStore {
  return {
    isActiveSender: (compartmentId, address) =>
      loaders.isActiveSender({ tenancyId, compartmentId, emailKey: address.toLowerCase() }),

    findExisting: (requestKey, messageId) => loaders.existing({ tenancyId, requestKey, messageId }),

    async suppressedAmong(addresses) {
      const suppressed = await loaders.suppressed(addresses.map((address) => ({ tenancyId, address })));
      return new Set(addresses.filter((_, i) => suppressed[i]));
    },

    async quotaUsed(windows) {
      if (windows.length === 0) return [];
      const rows = await db
        .select()
        .from(quotaUsage)
        .where(
          and(
            eq(quotaUsage.tenancyId, tenancyId),
            or(
              ...windows.map((w) =>
                and(eq(quotaUsage.window, w.window), eq(quotaUsage.windowStart, w.windowStart)),
              ),
            ),
          ),
        );
      return windows.map(
        (w) => rows.find((r) => r.window === w.window && r.windowStart === w.windowStart)?.used ?? 0,
      );
    },

    async accept(acceptance: Acceptance, now: Date): Promise<AcceptOutcome> {
      const result = await loaders.commit({ tenancyId, acceptance, now });
      if ('error' in result) throw result.error;
      return result.outcome;
    },

    async deliveriesOf(submissionId, limit): Promise<DeliveryStatus[]> {
      const rows = await db
        .select()
        .from(deliveries)
        .where(and(eq(deliveries.tenancyId, tenancyId), eq(deliveries.submissionId, submissionId)))
        .orderBy(sql`rowid`)
        .limit(limit);
      return rows.map((row) => ({
        recipient: row.recipient,
        state: row.state as DeliveryState,
        attempts: row.attempts,
        lastCode: row.lastCode,
        lastEnhanced: row.lastEnhanced,
        lastDetail: row.lastDetail,
        nextAttemptAt: maybeDate(row.nextAttemptAt),
        giveUpAt: new Date(row.giveUpAt),
        timeCreated: new Date(row.timeCreated),
        timeUpdated: new Date(row.timeUpdated),
        timeFinal: maybeDate(row.timeFinal),
      }));
    },
  };
}
