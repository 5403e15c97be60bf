import { describe, expect, it } from 'vitest';
import { importDkimPrivateKey, signingKeyOf } from '../../../src/crypto/dkim-keys';
import { signDkim } from '../../../src/mime/dkim-signature';
import { verifiedDkim } from '../../support/dkim-verifier';
import sameBytes from '../../fixtures/dkim/same-bytes.json';

describe('DKIM signatures are the same bytes on both runtimes', () => {
  it('signs the fixture message exactly as the fixture says (workerd checks the same fixture)', async () => {
    const key = await importDkimPrivateKey(sameBytes.privateKeyPem);
    const signed = await signDkim(sameBytes.message, {
      domain: sameBytes.domain,
      selector: sameBytes.selector,
      key: await signingKeyOf(key.privateKeyPkcs8),
      now: new Date(sameBytes.now),
    });
    expect(signed).toBe(sameBytes.signed);
    const txt = `v=DKIM1; k=rsa; p=${key.publicKeySpkiBase64}`;
    const verdict = await verifiedDkim(signed, (name) =>
      name === `${sameBytes.selector}._domainkey.${sameBytes.domain}` ? [txt] : undefined,
    );
    expect(verdict).toMatchObject({ result: 'pass', domain: sameBytes.domain });
  });
});
