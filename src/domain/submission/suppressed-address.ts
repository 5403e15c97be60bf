import type { TenancyScope } from '../ports';

/** Whether the normalized address `addressKey` is on the tenancy's suppression list in this region. */
export async function isSuppressedAddress(scope: TenancyScope, addressKey: string): Promise<boolean> {
  return (await scope.submissions.suppressedAmong([addressKey])).has(addressKey);
}
