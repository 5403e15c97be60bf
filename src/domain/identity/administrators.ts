import type { Caller } from '../ports';
import { ADMINISTRATORS_KEY } from './names';
import type { Directory } from './ports';
import { requireGrant } from './require-grant';

/**
 * Whoever may touch an administrator's account or the Administrators group could make themselves one,
 * so that takes `manage all-resources in tenancy` on top of the usual grant.
 */
export async function guardAdministrators(
  caller: Caller,
  affectsAdministrators: boolean,
  what: string,
): Promise<void> {
  if (affectsAdministrators) await requireGrant(caller, 'manage', 'all-resources', caller.tenancyId, what);
}

export async function isAdministrator(directory: Directory, userId: string): Promise<boolean> {
  return (await directory.memberships.groupNamesOf(userId)).includes(ADMINISTRATORS_KEY);
}
