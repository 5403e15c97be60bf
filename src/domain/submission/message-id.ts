import type { Ids } from '../ports';

export const MAX_MESSAGE_ID_LENGTH = 250; // `<id>` then fits any header line, and it is an index key
const RANDOM_PART_LENGTH = 32;

const atom = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+";
const dotAtom = `${atom}(?:\\.${atom})*`;
// RFC 5322 section 3.6.4 msg-id without its angle brackets: dot-atom-text "@" (dot-atom-text / no-fold-literal).
const msgId = new RegExp(`^${dotAtom}@(?:${dotAtom}|\\[[\\x21-\\x5a\\x5e-\\x7e]*\\])$`);

/** Why `id` is not an RFC 5322 Message-ID (written without angle brackets), or undefined when it is one. */
export function messageIdProblem(id: string): string | undefined {
  if (id.length > MAX_MESSAGE_ID_LENGTH) return `must be at most ${MAX_MESSAGE_ID_LENGTH} characters`;
  if (id.startsWith('<') || id.endsWith('>')) return 'must be given without angle brackets';
  if (!msgId.test(id)) return 'is not a valid RFC 5322 Message-ID (id-left@id-right)';
  return undefined;
}

/** `<time-ordered random>@<sender domain>`, as the service generates when the caller gives none. */
export function newMessageId(ids: Ids, senderDomain: string): string {
  return `${ids.ordered(RANDOM_PART_LENGTH)}@${senderDomain}`;
}
