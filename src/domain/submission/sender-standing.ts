import type { IdentityStore } from '../identity/ports';
import type { Caller, RegionHandle, TenancyScope } from '../ports';

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

/** Compartments searched for an SMTP sender: SMTP names no compartment, OCI's ingress neither. */
export const MAX_COMPARTMENTS_SEARCHED = 500;

/** Where SMTP looks for a sender, in order: the tenancy, then its active compartments, oldest first. */
export async function smtpSenderCompartments(identity: IdentityStore, tenancyId: string): Promise<string[]> {
  const { items } = await identity
    .forTenancy(tenancyId)
    .compartments.list(
      { lifecycleState: 'ACTIVE' },
      { sortBy: 'TIMECREATED', sortOrder: 'ASC', limit: MAX_COMPARTMENTS_SEARCHED - 1 },
    );
  return [tenancyId, ...items.map((compartment) => compartment.id)];
}

/**
 * The first of `compartmentIds` (as `smtpSenderCompartments` lists them) where `address` is an ACTIVE approved
 * sender the caller may use: what SMTP's MAIL FROM asks, on both the in-process ingress and the API's sender
 * lookup that the standalone ingress calls.
 */
export async function findSmtpSender(
  region: RegionHandle,
  caller: Caller,
  compartmentIds: readonly string[],
  address: string,
): Promise<string | undefined> {
  const found = await findSender(region.store.forTenancy(caller.tenancyId), caller, compartmentIds, address);
  return found?.standing === 'usable' ? found.compartmentId : undefined;
}
