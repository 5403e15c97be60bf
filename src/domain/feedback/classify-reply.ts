/** What a relay reply or DSN status says about the recipient. */
export type ReplyVerdict = 'hard' | 'soft' | 'policy' | 'none';

export interface ReplyFacts {
  /** The basic SMTP reply code (250, 451, 550); undefined when only an enhanced status is known (DSN). */
  code: number | undefined;
  /** RFC 3463 enhanced status such as '5.1.1'. */
  enhanced: string | undefined;
  /** The reply or diagnostic text. */
  text: string;
}

/**
 * Texts that mark a rejection of the sender, its IP or its content rather than of the mailbox: such
 * replies never suppress the recipient (Gmail, Microsoft, Yahoo, Spamhaus and friends word them so).
 */
const POLICY_TEXT: readonly RegExp[] = [
  /\bblock ?list/i,
  /\bblack ?list/i,
  /\bdeny ?list/i,
  /\bspamhaus\b|\bspamcop\b|\bsorbs\b|\bbarracuda\b|\bRBL\b|\bDNSBL\b/i,
  /\b(ip|sender|domain)? ?reputation\b/i,
  /\bspam\b|\bunsolicited\b|\bphish/i,
  /\bDMARC\b|\bSPF\b|\bDKIM\b|\bunauthenticated\b/i,
  /\bpolicy\b|\bpolicies\b/i,
  /\b(rate|message) ?limit|\btoo many (messages|connections)\b|\bthrottl/i,
  /\bbanned\b|\bS3150\b|\bAS\(\d+\)/i,
];

/** Enhanced codes that name the recipient's mailbox as permanently gone, whatever the text says. */
const HARD_ENHANCED = /^5\.(1\.[0-9]+|2\.1)$/;
/** 5.2.2 (over quota) is ambiguous: most senders count it as a soft bounce. */
const OVER_QUOTA = '5.2.2';

const classOf = (facts: ReplyFacts): number | undefined => {
  const fromEnhanced = facts.enhanced ? Number(facts.enhanced.charAt(0)) : undefined;
  if (fromEnhanced === 2 || fromEnhanced === 4 || fromEnhanced === 5) return fromEnhanced;
  if (facts.code === undefined) return undefined;
  return Math.floor(facts.code / 100);
};

/**
 * Hard (suppress now), soft (count toward SOFTBOUNCE), policy (record, never suppress) or none.
 * The table in docs/email-standards.md: 5.1.x and 5.2.1 hard, 5.7.x and block-list texts policy,
 * 4yz and 5.2.2 soft, other 5yz hard.
 */
export function classifyReply(facts: ReplyFacts): ReplyVerdict {
  const replyClass = classOf(facts);
  if (replyClass === undefined || replyClass === 2 || replyClass === 3) return 'none';
  const enhanced = facts.enhanced ?? '';
  const subject = enhanced.split('.')[1];
  if (replyClass === 5 && HARD_ENHANCED.test(enhanced)) return 'hard';
  if (subject === '7') return 'policy';
  if (POLICY_TEXT.some((pattern) => pattern.test(facts.text))) return 'policy';
  if (replyClass === 4 || enhanced === OVER_QUOTA) return 'soft';
  return 'hard';
}
