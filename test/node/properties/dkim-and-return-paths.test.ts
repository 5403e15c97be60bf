import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateDkimKey, signingKeyOf } from '../../../src/crypto/dkim-keys';
import { emailDomainName } from '../../../src/domain/email-domains/dns-names';
import { returnPathAddresses } from '../../../src/domain/email-domains/return-path-address';
import { DomainError } from '../../../src/domain/errors';
import { signDkim } from '../../../src/mime/dkim-signature';
import { verifiedDkim } from '../../support/dkim-verifier';
import { finishesWithinASecond, megabyteOf, SEEDED } from './bounds';

const SECRET = 'a-property-test-secrets-key-of-32+chars';
const DOMAIN = 'props.example.com';
const SELECTOR = 'props-phx-1';

let key: Awaited<ReturnType<typeof signingKeyOf>>;
let txt: string;
beforeAll(async () => {
  const generated = await generateDkimKey();
  key = await signingKeyOf(generated.privateKeyPkcs8);
  txt = `v=DKIM1; k=rsa; p=${generated.publicKeySpkiBase64}`;
});
const lookup = (name: string) => (name === `${SELECTOR}._domainkey.${DOMAIN}` ? [txt] : undefined);

/** Printable text without CR or LF, as a header value or a body line holds. */
const lineText = fc.string({
  unit: fc.constantFrom('a', 'Z', '0', ' ', '\t', ':', ';', 'é', '—', '.'),
  maxLength: 40,
});

describe('DKIM signing and return-path addresses', () => {
  it('signs any message so that an independent verifier passes it, and fails it once the body changes', async () => {
    await fc.assert(
      fc.asyncProperty(
        lineText,
        fc.array(lineText, { maxLength: 6 }),
        fc.integer({ min: 0, max: 3 }),
        async (subject, lines, trailingBlankLines) => {
          const raw =
            [`From: <app@${DOMAIN}>`, 'To: <someone@example.net>', `Subject: x${subject}`, '', ...lines].join(
              '\r\n',
            ) + '\r\n'.repeat(trailingBlankLines + 1);
          const signed = await signDkim(raw, { domain: DOMAIN, selector: SELECTOR, key, now: new Date(0) });
          expect((await verifiedDkim(signed, lookup)).result).toBe('pass');
          expect(signed.split('\r\n').every((line) => line.length <= 998)).toBe(true);
          const changed = `${signed.replace(/\r\n$/, '')}X\r\n`;
          expect((await verifiedDkim(changed, lookup)).result).not.toBe('pass');
        },
      ),
      { ...SEEDED, numRuns: 40 },
    );
  });

  it('signs a megabyte of whitespace or of long lines in well under a second', async () => {
    for (const unit of [' \t', 'a \r\n', ' \r\n\r\n']) {
      const raw = `From: <app@${DOMAIN}>\r\n\r\n${megabyteOf(unit)}`;
      await finishesWithinASecond(() =>
        signDkim(raw, { domain: DOMAIN, selector: SELECTOR, key, now: new Date(0) }),
      );
    }
  });

  it('reads back the copy of every address it makes, and no address it did not make', async () => {
    const addresses = returnPathAddresses(SECRET);
    const other = returnPathAddresses(`${SECRET}-other`);
    await fc.assert(
      fc.asyncProperty(
        fc.stringMatching(/^[a-z2-7]{32}$/),
        fc.constantFrom('us-phoenix-1', 'us-ashburn-1'),
        fc.string({ maxLength: 80 }),
        async (deliveryId, region, noise) => {
          const address = await addresses.addressFor(region, deliveryId, 'phx1.rp.example.com');
          expect(address.split('@')[0]!.length).toBeLessThanOrEqual(64);
          expect(await addresses.deliveryIdOf(region, address)).toBe(deliveryId);
          expect(await addresses.deliveryIdOf(region, `To: ${noise} <${address.toUpperCase()}>`)).toBe(
            deliveryId,
          );
          const elsewhere = region === 'us-phoenix-1' ? 'us-ashburn-1' : 'us-phoenix-1';
          expect(await addresses.deliveryIdOf(elsewhere, address)).toBeUndefined();
          expect(await other.deliveryIdOf(region, address)).toBeUndefined();
          expect(await addresses.deliveryIdOf(region, noise)).toBeUndefined();
        },
      ),
      SEEDED,
    );
  });

  it('judges any string as an email domain name without throwing anything but InvalidParameter', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 300 }), fc.domain()), (input) => {
        try {
          const name = emailDomainName(input);
          expect(name).toMatch(/^[a-z0-9.-]+$/);
          expect(emailDomainName(name)).toBe(name);
        } catch (error) {
          expect(error).toBeInstanceOf(DomainError);
          expect((error as DomainError).code).toBe('InvalidParameter');
        }
      }),
      SEEDED,
    );
  });
});
