import type { Caller } from '../../ports';
import { callerFor } from '../access';
import { hashPassword, MAX_PASSWORD_LENGTH, verifyPassword } from '../../../crypto/password-hash';
import type { IdentityStore } from '../ports';

export const MAX_USERNAME_LENGTH = 512; // two OCIDs and a suffix; anything longer is not ours

// An unknown username costs one hash check like a wrong password, so timing tells nothing of which exist.
let decoy: Promise<string> | undefined;
const decoyHash = (): Promise<string> => (decoy ??= hashPassword('decoy password', 'decoy-salt'));

/**
 * The caller an SMTP login acts as, or undefined. The hash is slow on purpose: call this once per SMTP
 * session, never once per message.
 */
export async function authenticateSmtp(
  identity: IdentityStore,
  username: string,
  password: string,
): Promise<Caller | undefined> {
  if (username.length > MAX_USERNAME_LENGTH || password.length > MAX_PASSWORD_LENGTH) return undefined;
  const found = await identity.findSmtpCredential(username);
  if (!found) {
    await verifyPassword(password, await decoyHash());
    return undefined;
  }
  if (!(await verifyPassword(password, found.credential.passwordHash))) return undefined;
  return callerFor(identity, found.tenancyId, found.credential.userId);
}
