import type { RelayMessage, RelayOutcome } from '../domain/ports';
import { refusedLocally } from './relay-outcome';

// RFC 5321 section 4.5.3.1.3: a path is at most 256 octets including its angle brackets.
const MAX_PATH_OCTETS = 254;
// One '@', no whitespace, controls or angle brackets: nothing that could end or extend the command.
// eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
const MAILBOX = /^[^\s<>@\x00-\x1f\x7f]+@[^\s<>@\x00-\x1f\x7f]+$/;

const octets = (text: string): number => new TextEncoder().encode(text).length;
const isMailbox = (address: string): boolean => MAILBOX.test(address) && octets(address) <= MAX_PATH_OCTETS;

/** Refuses an envelope no relay should see; undefined when it may be sent. */
export function envelopeProblem(message: RelayMessage): RelayOutcome | undefined {
  if (!isMailbox(message.from)) return refusedLocally('5.1.7', 'envelope sender is not a valid mailbox');
  if (!isMailbox(message.to)) return refusedLocally('5.1.3', 'recipient is not a valid mailbox');
  return undefined;
}
