import { notFound } from '../errors';
import { requireGrant } from '../identity/require-grant';
import type { Caller, RegionHandle, Suppression } from '../ports';
import type { DeliveryStatus, StoredSubmission } from './ports';

const MAX_STATE_ROWS = 1_000; // the most recipients a submission can have (SUBMIT_MAX_RECIPIENTS' ceiling)

export interface MessageState {
  submission: StoredSubmission;
  deliveries: DeliveryStatus[];
  /** The tenancy's suppression entries this message caused last (one per recipient at most). */
  suppressions: Suppression[];
}

/** Each recipient's delivery of a submitted message; the caller needs `use approved-senders` where it was sent from. */
export async function getMessageState(
  region: RegionHandle,
  caller: Caller,
  messageId: string,
): Promise<MessageState> {
  const scope = region.store.forTenancy(caller.tenancyId);
  const [submission] = await scope.submissions.findExisting(undefined, messageId);
  if (!submission) throw notFound(`Message ${messageId}`);
  await requireGrant(caller, 'use', 'approved-senders', submission.compartmentId, `Message ${messageId}`);
  const [deliveries, suppressions] = await Promise.all([
    scope.submissions.deliveriesOf(submission.id, MAX_STATE_ROWS),
    scope.suppressions.listByMessage(submission.messageId, MAX_STATE_ROWS),
  ]);
  return { submission, deliveries, suppressions };
}
