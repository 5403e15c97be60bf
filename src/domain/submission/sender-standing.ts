import type { Caller, TenancyScope } from '../ports';

/** How an address stands as this caller's sender in one compartment of a region. */
export type SenderStanding = 'usable' | 'forbidden' | 'unknown';

/** `usable` only for an ACTIVE approved sender in the compartment that the caller may `use`. */
export async function senderStanding(
  scope: TenancyScope,
  caller: Caller,
  compartmentId: string,
  address: string,
): Promise<SenderStanding> {
  if (!(await scope.submissions.isActiveSender(compartmentId, address))) return 'unknown';
  return (await caller.can('use', 'approved-senders', compartmentId)) ? 'usable' : 'forbidden';
}

/**
 * The first of `compartmentIds` holding `address` as an active approved sender, with the caller's standing
 * there: a sender the caller may not use is not looked for further, as the API would refuse it too.
 */
export async function findSender(
  scope: TenancyScope,
  caller: Caller,
  compartmentIds: readonly string[],
  address: string,
): Promise<{ compartmentId: string; standing: 'usable' | 'forbidden' } | undefined> {
  for (const compartmentId of compartmentIds) {
    const standing = await senderStanding(scope, caller, compartmentId, address);
    if (standing !== 'unknown') return { compartmentId, standing };
  }
  return undefined;
}
