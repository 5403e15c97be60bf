import { notFound } from '../errors';
import { requireGrant } from '../identity/require-grant';
import type { CapturedMail, CaptureMailboxReader, Caller } from '../ports';

export const MAILBOX_DEFAULT_LIMIT = 100;
export const MAILBOX_MAX_LIMIT = 1_000; // one answer stays small; the files are on disk for more

/** Each tenancy sees only its own copies, and only its administrators read them. */
const requireAdministrator = (caller: Caller): Promise<void> =>
  requireGrant(caller, 'manage', 'all-resources', caller.tenancyId, 'The capture mailbox');

export async function listCapturedMail(
  caller: Caller,
  mailbox: CaptureMailboxReader,
  limit: number,
): Promise<CapturedMail[]> {
  await requireAdministrator(caller);
  return mailbox.list(caller.tenancyId, limit);
}

export async function getCapturedMail(
  caller: Caller,
  mailbox: CaptureMailboxReader,
  id: string,
): Promise<string> {
  await requireAdministrator(caller);
  const raw = await mailbox.raw(caller.tenancyId, id);
  if (raw === undefined) throw notFound('The captured message');
  return raw;
}
