import { describe, expect, it } from 'vitest';
import { formatReply, parseSmtpReply, replyKind } from '../../../src/relay/smtp-reply';

describe('parseSmtpReply', () => {
  it('reads the code, the enhanced code and the text of a one-line reply', () => {
    expect(parseSmtpReply('550 5.1.1 <a@example.test>: Recipient address rejected\r\n')).toEqual({
      code: 550,
      enhanced: '5.1.1',
      text: '<a@example.test>: Recipient address rejected',
    });
  });

  it('joins a multi-line reply and takes the enhanced code once', () => {
    const reply = [
      '550-5.1.1 The email account that you tried to reach does not exist.',
      '550-5.1.1 Please try double-checking the recipient.',
      '550 5.1.1 https://support.example.test/mail',
    ].join('\r\n');
    expect(parseSmtpReply(reply)).toEqual({
      code: 550,
      enhanced: '5.1.1',
      text: 'The email account that you tried to reach does not exist. Please try double-checking the recipient. https://support.example.test/mail',
    });
  });

  it('accepts a reply without text or without an enhanced code', () => {
    expect(parseSmtpReply('250')).toEqual({ code: 250, enhanced: undefined, text: '' });
    expect(parseSmtpReply('451 Try again later')).toEqual({
      code: 451,
      enhanced: undefined,
      text: 'Try again later',
    });
    expect(parseSmtpReply('452 4.2.2')).toEqual({ code: 452, enhanced: '4.2.2', text: '' });
  });

  it('keeps three-digit subjects and details', () => {
    expect(parseSmtpReply('550 5.7.606 Access denied')?.enhanced).toBe('5.7.606');
  });

  it('ignores an enhanced code whose class contradicts the reply code', () => {
    expect(parseSmtpReply('550 4.2.2 Mailbox full')).toEqual({
      code: 550,
      enhanced: undefined,
      text: '4.2.2 Mailbox full',
    });
  });

  it('does not take a version-like word for an enhanced code', () => {
    expect(parseSmtpReply('250 2.0.0.1 queued')?.enhanced).toBeUndefined();
  });

  it.each([
    ['', 'empty'],
    ['hello', 'no code'],
    ['99 short', 'two digits'],
    ['150 one-yz', 'a 1yz code'],
    ['260 bad second digit', 'second digit above 5'],
    ['550-first line only', 'an unfinished multi-line reply'],
    ['550-5.1.1 a\r\n451 4.0.0 b', 'lines with different codes'],
    ['550 a\r\n550 b', 'a continuation without the hyphen'],
  ])('rejects %j (%s)', (reply) => {
    expect(parseSmtpReply(reply)).toBeUndefined();
  });

  it('keeps at most 20 lines of text', () => {
    const lines = Array.from({ length: 30 }, (_, i) => `250-line ${i}`);
    const parsed = parseSmtpReply([...lines, '250 end'].join('\r\n'));
    expect(parsed?.text.split(' line ')).toHaveLength(20);
  });
});

describe('replyKind', () => {
  it.each([
    [250, 'sent'],
    [251, 'sent'],
    [421, 'transient'],
    [451, 'transient'],
    [452, 'transient'],
    [354, 'transient'],
    [550, 'permanent'],
    [552, 'permanent'],
    [554, 'permanent'],
  ])('classifies %i as %s', (code, kind) => {
    expect(replyKind(code)).toBe(kind);
  });
});

describe('formatReply', () => {
  it('writes code, enhanced code and text on one line', () => {
    expect(formatReply({ code: 550, enhanced: '5.1.1', text: 'No such user' })).toBe(
      '550 5.1.1 No such user',
    );
    expect(formatReply({ code: 250, enhanced: undefined, text: '' })).toBe('250');
  });
});
