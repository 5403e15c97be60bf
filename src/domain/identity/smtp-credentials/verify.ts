import { DomainError } from '../../errors';
import type { Caller } from '../../ports';
import { requireGrant } from '../require-grant';
import type { IdentityStore } from '../ports';
import { authenticateSmtp } from './authenticate';

export interface VerifiedSmtpLogin {
  tenancyId: string;
  userId: string;
}

/**
 * Our extension for a standalone SMTP ingress: whose credential this is. Only a caller granted
 * `use smtp-ingress in tenancy` may ask, and only about credentials of its own tenancy.
 */
export async function verifySmtpCredential(
  identity: IdentityStore,
  caller: Caller,
  username: string,
  password: string,
): Promise<VerifiedSmtpLogin> {
  await requireGrant(caller, 'use', 'smtp-ingress', caller.tenancyId, 'SMTP credential verification');
  const user = await authenticateSmtp(identity, username, password);
  if (!user || user.tenancyId !== caller.tenancyId) {
    throw new DomainError('NotAuthenticated', 'Authentication credentials invalid');
  }
  return { tenancyId: user.tenancyId, userId: user.userId };
}
