import { describe, expect, it } from 'vitest';
import { unsubscribeTokens } from '../../../src/domain/feedback/unsubscribe-token';
import { systemRandomBytes } from '../../../src/platform/system';
import {
  alteredTokens,
  expectOpaque,
  VECTOR_CLAIMS,
  VECTOR_SECRET,
  VECTOR_TOKEN,
} from '../../support/unsubscribe-tokens';

const sealer = (secret = VECTOR_SECRET) => unsubscribeTokens(secret, systemRandomBytes);

describe('unsubscribe tokens inside workerd (WebCrypto AES-GCM, HKDF)', () => {
  it('round-trip, and open a token sealed on Node under the same secret', async () => {
    const token = await sealer().seal(VECTOR_CLAIMS);
    expect(await sealer().open(token)).toEqual(VECTOR_CLAIMS);
    expect(await sealer().open(VECTOR_TOKEN)).toEqual(VECTOR_CLAIMS);
  });

  it('reveal none of their claims', async () => {
    expectOpaque(await sealer().seal(VECTOR_CLAIMS), VECTOR_CLAIMS);
  });

  it('refuse an altered token and one sealed under another secret', async () => {
    for (const altered of alteredTokens(VECTOR_TOKEN)) expect(await sealer().open(altered)).toBeUndefined();
    const foreign = await sealer('another-secret-that-is-32-characters-long').seal(VECTOR_CLAIMS);
    expect(await sealer().open(foreign)).toBeUndefined();
  });
});
