import { describe, expect, it } from 'vitest';
import { classifyReply, type ReplyVerdict } from '../../../src/domain/feedback/classify-reply';
import { parseSmtpReply } from '../../../src/relay/smtp-reply';

/** Reply lines in the styles of the big providers and MTAs (written for these tests), with the verdict. */
const table: [string, ReplyVerdict][] = [
  // Gmail
  [
    "550 5.1.1 The email account that you tried to reach does not exist. Please try double-checking the recipient's email address for typos or unnecessary spaces. x1si123.7 - gsmtp",
    'hard',
  ],
  ['550 5.2.1 The email account that you tried to reach is disabled. x1si123.8 - gsmtp', 'hard'],
  [
    '452 4.2.2 The email account that you tried to reach is over quota. Please direct the recipient to https://support.google.com/mail/?p=OverQuotaTemp x1si.9 - gsmtp',
    'soft',
  ],
  [
    '550 5.7.1 [192.0.2.10] Our system has detected that this message is likely unsolicited mail. To reduce the amount of spam sent to Gmail, this message has been blocked. - gsmtp',
    'policy',
  ],
  [
    '550 5.7.26 This mail has been blocked because the sender is unauthenticated. Gmail requires all senders to authenticate with either SPF or DKIM. - gsmtp',
    'policy',
  ],
  [
    '421 4.7.0 [192.0.2.10] Our system has detected an unusual rate of unsolicited mail originating from your IP address. - gsmtp',
    'policy',
  ],
  [
    '450 4.2.1 The user you are trying to contact is receiving mail at a rate that prevents additional messages from being delivered. - gsmtp',
    'soft',
  ],
  // Microsoft
  [
    '550 5.5.0 Requested action not taken: mailbox unavailable (S2017062302). [DM6NAM11FT012.eop-nam11.prod.protection.outlook.com]',
    'hard',
  ],
  [
    '550 5.4.1 Recipient address rejected: Access denied. AS(201806281) [BN8NAM12FT058.eop-nam12.prod.protection.outlook.com]',
    'policy',
  ],
  [
    "550 5.7.1 Unfortunately, messages from [192.0.2.10] weren't sent. Please contact your Internet service provider since part of their network is on our block list (S3150).",
    'policy',
  ],
  [
    '554 5.2.2 mailbox full; STOREDRV.Deliver.Exception:QuotaExceededException.MapiExceptionShutoffQuotaExceeded',
    'soft',
  ],
  ['452 4.3.1 Insufficient system resources', 'soft'],
  ['550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup', 'hard'],
  // Yahoo / AOL
  [
    "554 delivery error: dd This user doesn't have a yahoo.com account (someone@yahoo.com) [0] - mta1234.mail.gq1.yahoo.com",
    'hard',
  ],
  [
    '421 4.7.0 [TSS04] Messages from 192.0.2.10 temporarily deferred due to unexpected volume or user complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes',
    'policy',
  ],
  [
    '553 5.7.2 [TSS09] All messages from 192.0.2.10 will be permanently deferred; Retrying will NOT succeed. See https://postmaster.yahooinc.com/error-codes',
    'policy',
  ],
  ['552 1 Requested mail action aborted, mailbox not found', 'hard'],
  // Postfix
  [
    '550 5.1.1 <nobody@example.org>: Recipient address rejected: User unknown in local recipient table',
    'hard',
  ],
  ['450 4.1.8 <app@example.com>: Sender address rejected: Domain not found', 'soft'],
  ['554 5.7.1 Service unavailable; Client host [192.0.2.10] blocked using zen.spamhaus.org', 'policy'],
  ['450 4.7.1 <mail.example.com>: Helo command rejected: Host not found', 'policy'],
  ['451 4.3.0 <nobody@example.org>: Temporary lookup failure', 'soft'],
  ['550 5.1.2 <nobody@no-such-domain.example>: Recipient address rejected: Domain not found', 'hard'],
  // Exim
  ['550 Unrouteable address', 'hard'],
  ['451 Temporary local problem - please try later', 'soft'],
  ['550 Administrative prohibition: sender listed in a DNSBL', 'policy'],
  ['552 Message size exceeds maximum permitted', 'hard'],
  ['550 No Such User Here', 'hard'],
  // Success and intermediate replies say nothing about the recipient.
  ['250 2.0.0 Ok: queued as 4C8D2', 'none'],
  ['354 End data with <CR><LF>.<CR><LF>', 'none'],
];

describe('classifyReply', () => {
  it.each(table)('%s → %s', (line, verdict) => {
    const reply = parseSmtpReply(line);
    expect(reply, line).toBeDefined();
    expect(classifyReply({ code: reply!.code, enhanced: reply!.enhanced, text: line })).toBe(verdict);
  });

  it('classifies a DSN status without a basic code', () => {
    expect(classifyReply({ code: undefined, enhanced: '5.1.1', text: 'smtp; 550 no such user' })).toBe(
      'hard',
    );
    expect(classifyReply({ code: undefined, enhanced: '4.4.7', text: 'delivery time expired' })).toBe('soft');
    expect(classifyReply({ code: undefined, enhanced: undefined, text: '' })).toBe('none');
  });
});
