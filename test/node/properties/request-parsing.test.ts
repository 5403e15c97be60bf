import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { signingString } from '../../../src/crypto/request-signature';
import {
  formatSignatureHeader,
  parseSignatureHeader,
  SignatureHeaderError,
} from '../../../src/crypto/signature-header';
import { DomainError } from '../../../src/domain/errors';
import { decodePageToken, encodePageToken } from '../../../src/http/page-token';
import { parseRawQuery } from '../../../src/http/raw-query';
import { finishesWithinASecond, megabyteOf, SEEDED } from './bounds';

/** Runs `parse` and answers what it threw, or undefined when it returned. */
function thrownBy(parse: () => unknown): unknown {
  try {
    parse();
    return undefined;
  } catch (error) {
    return error;
  }
}

const token = fc.stringMatching(/^[A-Za-z0-9.:/-]{1,40}$/);

describe('the Signature header', () => {
  it('is parsed or refused with SignatureHeaderError, whatever it says', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.string().map((s) => `Signature ${s}`),
        ),
        (value) => {
          const error = thrownBy(() => parseSignatureHeader(value));
          expect(error === undefined || error instanceof SignatureHeaderError).toBe(true);
        },
      ),
      SEEDED,
    );
  });

  it('reads back what was written: key id, header list and signature', () => {
    const headerName = fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/);
    fc.assert(
      fc.property(
        token,
        fc.array(headerName, { minLength: 1, maxLength: 16 }),
        fc.base64String(),
        (keyId, headers, signature) => {
          fc.pre(signature.length > 0);
          const parsed = parseSignatureHeader(formatSignatureHeader(keyId, headers, signature));
          expect(parsed).toEqual({ keyId, algorithm: 'rsa-sha256', headers, signature });
        },
      ),
      SEEDED,
    );
  });

  it('refuses a megabyte of parameters quickly', async () => {
    await finishesWithinASecond(() =>
      thrownBy(() => parseSignatureHeader(`Signature ${megabyteOf('keyId="a",')}`)),
    );
  });
});

describe('the signing string', () => {
  it('has one line per signed header, and covers the path and query exactly as sent', () => {
    fc.assert(
      fc.property(
        fc.webPath(),
        fc.array(fc.stringMatching(/^[a-z-]{1,12}$/), { maxLength: 8 }),
        (path, names) => {
          const url = new URL(`https://api.example.test${path.startsWith('/') ? path : `/${path}`}`);
          const text = signingString({ method: 'POST', url, header: (name) => `v-${name}` }, [
            '(request-target)',
            ...names,
          ]);
          const lines = text.split('\n');
          expect(lines).toHaveLength(names.length + 1);
          expect(lines[0]).toBe(`(request-target): post ${url.pathname}${url.search}`);
        },
      ),
      SEEDED,
    );
  });
});

describe('the raw query', () => {
  it('is parsed or refused with InvalidParameter, whatever it says', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (query) => {
        const error = thrownBy(() => parseRawQuery(`/x?${query}`));
        expect(
          error === undefined || (error instanceof DomainError && error.code === 'InvalidParameter'),
        ).toBe(true);
      }),
      SEEDED,
    );
  });

  it('reads back every parameter percent-encoded into it, a plus staying a plus', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string({ minLength: 1 }), fc.string(), { maxKeys: 32 }), (params) => {
        const query = Object.entries(params)
          .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`)
          .join('&');
        expect(parseRawQuery(`/x?${query}`)).toEqual(params);
      }),
      SEEDED,
    );
  });

  it('refuses a megabyte of parameters quickly', async () => {
    await finishesWithinASecond(() => thrownBy(() => parseRawQuery(`/x?${megabyteOf('a=1&')}`)));
  });
});

describe('page tokens', () => {
  it('read back the position they carry, for the query that issued them only', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string(),
        fc.oneof(fc.string(), fc.integer()),
        fc.string(),
        async (query, key, id) => {
          const token = await encodePageToken(query, { after: [key, id] });
          const type = typeof key === 'number' ? 'number' : 'string';
          expect(await decodePageToken(query, token, type)).toEqual({ after: [key, id] });
          await expect(decodePageToken(`${query}&other`, token, type)).rejects.toBeInstanceOf(DomainError);
        },
      ),
      SEEDED,
    );
  });

  it('refuse anything else with InvalidParameter', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string(), async (token) => {
        await expect(decodePageToken('q', token, 'string')).rejects.toMatchObject({
          code: 'InvalidParameter',
        });
      }),
      SEEDED,
    );
  });
});
