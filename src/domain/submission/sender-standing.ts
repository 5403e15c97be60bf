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
  // Both are read at once: a request waits for one round of lookups instead of two.
  const [active, usable] = await Promise.all([
    scope.submissions.isActiveSender(compartmentId, address),
    caller.can('use', 'approved-senders', compartmentId),
  ]);
  if (!active) return 'unknown';
  return usable ? 'usable' : 'forbidden';
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
  // Asked together, the store answers every compartment in a few queries (the lookups coalesce); the grant
  // is then read for the first compartment holding the sender only.
  const active = await Promise.all(
    compartmentIds.map((compartmentId) => scope.submissions.isActiveSender(compartmentId, address)),
  );
  const compartmentId = compartmentIds[active.indexOf(true)];
  if (compartmentId === undefined) return undefined;
  const usable = await caller.can('use', 'approved-senders', compartmentId);
  return { compartmentId, standing: usable ? 'usable' : 'forbidden' };
}
