import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import { secretBox } from '../../../src/crypto/secret-box';
import { newWebhookSecret, webhookSignature } from '../../../src/crypto/webhook-signature';
import { webhookUrlProblem } from '../../../src/domain/webhooks/endpoint';
import { finishesWithinASecond, megabyteOf, SEEDED } from './bounds';

const KEY = 'a-property-test-secrets-key-of-32+chars';

describe('webhook endpoints, secrets and signatures', () => {
  it('judges any string as a webhook URL without throwing, and accepts only https or loopback http', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string(), fc.webUrl({ withQueryParameters: true, withFragments: true })),
        (url) => {
          const problem = webhookUrlProblem(url);
          if (problem === undefined) {
            const parsed = new URL(url);
            expect(
              parsed.protocol === 'https:' ||
                ['127.0.0.1', 'localhost', '[::1]'].includes(parsed.hostname) ||
                /^127\./.test(parsed.hostname),
            ).toBe(true);
            expect(parsed.username + parsed.password + parsed.hash).toBe('');
          } else expect(typeof problem).toBe('string');
        },
      ),
      SEEDED,
    );
  });

  it('refuses a megabyte URL at once', async () => {
    await finishesWithinASecond(() =>
      expect(webhookUrlProblem(`https://${megabyteOf('a.')}com/`)).toMatch(/at most/),
    );
  });

  it('opens what it sealed, and refuses anything altered or sealed under another key', async () => {
    const box = secretBox(KEY);
    const other = secretBox(`${KEY}-other`);
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 200 }), fc.nat(), async (plain, flip) => {
        const sealed = await box.seal(plain);
        expect(await box.open(sealed)).toBe(plain);
        await expect(other.open(sealed)).rejects.toThrow();
        const i = flip % sealed.length;
        const altered = sealed.slice(0, i) + (sealed[i] === 'A' ? 'B' : 'A') + sealed.slice(i + 1);
        if (altered !== sealed) await expect(box.open(altered)).rejects.toThrow();
      }),
      { ...SEEDED, numRuns: 50 },
    );
  });

  it('signs as the Standard Webhooks library verifies, for any id and body', () => {
    const secret = newWebhookSecret();
    const library = new Webhook(secret);
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9_-]{1,40}$/), fc.string({ maxLength: 500 }), (id, body) => {
        const timestamp = Math.floor(Date.now() / 1_000);
        const signature = webhookSignature(secret, id, timestamp, body);
        expect(signature).toBe(library.sign(id, new Date(timestamp * 1_000), body));
      }),
      SEEDED,
    );
  });
});
