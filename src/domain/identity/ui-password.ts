import type { Caller, Runtime } from '../ports';
import { hashPassword, MAX_PASSWORD_LENGTH, verifyPassword } from '../../crypto/password-hash';
import { requireCredentialAccess } from './credential-access';
import type { Directory, IdentityStore } from './ports';

const BODY_LENGTH = 24; // 120 bits from the 32 letters of `Ids.random`
const SALT_LENGTH = 26; // 130 bits
/** What `Ids.random` draws from, in order: a drawn letter's index picks from the class alphabets below. */
const IDS_ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';
// Sizes divide 32, so each pick is uniform; look-alikes (I, O, l, 0, 1) are left out.
const CLASS_ALPHABETS = ['ABCDEFGHJKLMNPQR', 'abcdefghijkmnpqr', '23456789', '#%+-.=@_'] as const;

export interface UiPassword {
  /** Shown once, in this answer; only its hash is kept. */
  password: string;
  userId: string;
  timeCreated: Date;
  lifecycleState: 'ACTIVE';
}

/**
 * 28 characters: 24 from `Ids.random` (lower-case letters and 2-7), then one upper-case letter, one
 * lower-case letter, one digit and one symbol, so any console password policy of that kind accepts it.
 */
function newPassword(rt: Runtime): string {
  const picks = rt.ids.random(CLASS_ALPHABETS.length);
  const suffix = CLASS_ALPHABETS.map((alphabet, i) => {
    const index = IDS_ALPHABET.indexOf(picks.charAt(i));
    return alphabet.charAt(index % alphabet.length);
  });
  return `${rt.ids.random(BODY_LENGTH)}${suffix.join('')}`;
}

/** Sets a new UI password for `userId` with no access check: for the local administrator's CLI. */
export async function issueUiPassword(
  rt: Runtime,
  directory: Directory,
  userId: string,
): Promise<UiPassword> {
  const password = newPassword(rt);
  const timeCreated = rt.clock.now();
  await directory.uiPasswords.set(
    userId,
    await hashPassword(password, rt.ids.random(SALT_LENGTH)),
    timeCreated,
  );
  rt.logger.info('ui-password.reset', { userId });
  return { password, userId, timeCreated, lifecycleState: 'ACTIVE' };
}

/** OCI's createOrResetUIPassword: the user themself, or a caller who may manage users. */
export async function createOrResetUiPassword(
  rt: Runtime,
  identity: IdentityStore,
  caller: Caller,
  userId: string,
): Promise<UiPassword> {
  const directory = await requireCredentialAccess(identity, caller, userId, 'manage');
  return issueUiPassword(rt, directory, userId);
}

// A missing user or password costs one hash check like a wrong password, so timing tells nothing of which
// user names exist. Kept as the finished string, never as a promise shared between requests.
let dummyHash: string | undefined;

/** Whose console sign-in this is, or undefined: the user named `userName` in `tenancyId`, if the password is theirs. */
export async function verifyUiPassword(
  identity: IdentityStore,
  tenancyId: string,
  userName: string,
  password: string,
): Promise<{ tenancyId: string; userId: string } | undefined> {
  if (password.length > MAX_PASSWORD_LENGTH) return undefined;
  const directory = identity.forTenancy(tenancyId);
  const user = await directory.users.findByName(userName);
  const stored = user ? await directory.uiPasswords.find(user.id) : undefined;
  if (!user || !stored) {
    // The first miss makes the dummy, which costs the same one derivation as checking against it.
    if (dummyHash === undefined) dummyHash = await hashPassword('no such user', 'dummy-salt');
    else await verifyPassword(password, dummyHash);
    return undefined;
  }
  return (await verifyPassword(password, stored.passwordHash)) ? { tenancyId, userId: user.id } : undefined;
}
