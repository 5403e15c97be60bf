import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { unsubscribeTokens } from '../../../src/domain/feedback/unsubscribe-token';
import { systemRandomBytes } from '../../../src/platform/system';
import { formatReply, parseSmtpReply } from '../../../src/relay/smtp-reply';
import { finishesWithinASecond, megabyteOf, SEEDED } from './bounds';

const replyText = fc
  .stringMatching(/^[\x21-\x7e][\x20-\x7e]{0,60}$/)
  .filter((text) => !/^[245]\.\d/.test(text));

describe('SMTP replies', () => {
  it('are parsed or answered undefined, whatever the relay sent', () => {
    fc.assert(
      fc.property(fc.string(), (reply) => {
        const parsed = parseSmtpReply(reply);
        if (parsed) expect(parsed.code).toBeGreaterThanOrEqual(200);
      }),
      SEEDED,
    );
  });

  it('read back code, enhanced code and text, on one line or several', () => {
    const code = fc
      .integer({ min: 2, max: 5 })
      .chain((cls) =>
        fc.tuple(fc.constant(cls), fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 9 })),
      );
    fc.assert(
      fc.property(
        code,
        fc.boolean(),
        fc.array(replyText, { minLength: 1, maxLength: 4 }),
        ([cls, second, third], withEnhanced, texts) => {
          const value = cls * 100 + second * 10 + third;
          // RFC 3463 has no class 3: a 3yz reply carries no enhanced code.
          const enhanced = withEnhanced && cls !== 3 ? `${cls}.1.${third}` : undefined;
          const lines = texts.map(
            (text, i) =>
              `${value}${i === texts.length - 1 ? ' ' : '-'}${enhanced ? `${enhanced} ` : ''}${text}`,
          );
          const parsed = parseSmtpReply(lines.join('\r\n'));
          expect(parsed).toEqual({ code: value, enhanced, text: texts.map((t) => t.trim()).join(' ') });
          expect(parseSmtpReply(formatReply(parsed!))).toEqual(parsed);
        },
      ),
      SEEDED,
    );
  });

  it('answer a megabyte of reply lines quickly', async () => {
    await finishesWithinASecond(() => parseSmtpReply(megabyteOf('250-ok\r\n')));
  });
});

describe('one-click unsubscribe tokens', () => {
  const tokens = unsubscribeTokens('a-test-secret-of-thirty-two-chars!!', systemRandomBytes);
  const claim = fc.stringMatching(/^[\x20-\x7e]{1,60}$/);

  it('open to the claims they were sealed with', async () => {
    await fc.assert(
      fc.asyncProperty(
        claim,
        claim,
        claim,
        claim,
        claim,
        async (region, tenancyId, recipient, sender, messageId) => {
          const claims = { region, tenancyId, recipient, sender, messageId };
          expect(await tokens.open(await tokens.seal(claims))).toEqual(claims);
        },
      ),
      SEEDED,
    );
  });

  it('open to nothing for anything else, and never throw', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.string(), fc.base64String(), fc.stringMatching(/^[A-Za-z0-9_-]{0,200}$/)),
        async (token) => {
          expect(await tokens.open(token)).toBeUndefined();
        },
      ),
      SEEDED,
    );
    await finishesWithinASecond(() => tokens.open(megabyteOf('A')));
  });
});
