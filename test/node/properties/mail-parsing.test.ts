import fc from 'fast-check';
import PostalMime from 'postal-mime';
import { describe, expect, it } from 'vitest';
import { parseReport } from '../../../src/domain/feedback/parse-report';
import { composeMessage } from '../../../src/mime/compose-message';
import { foldAscii } from '../../../src/mime/header-folding';
import { readRawMessage } from '../../../src/mime/raw-message';
import { messageSlices } from '../../../src/store/region/submission-parts';
import { finishesWithinASecond, megabyteOf, SEEDED } from './bounds';

// Text a header or body may carry: no control characters but tab, nor the lone surrogates no encoding keeps.
const isControl = (char: string): boolean => {
  const code = char.charCodeAt(0);
  return (code < 0x20 && char !== '\t') || code === 0x7f;
};
const text = fc.string({ unit: 'grapheme', maxLength: 120 }).map((s) =>
  Array.from(s)
    .filter((char) => !isControl(char))
    .join(''),
);

const compose = (subject: string, body: string) =>
  composeMessage({
    from: { email: 'app@example.com', name: 'App' },
    replyTo: [],
    to: [{ email: 'to@example.net' }],
    cc: [],
    subject,
    text: body,
    headerFields: [],
    messageId: 'id@example.com',
    date: new Date(Date.UTC(2026, 11, 5)),
    boundary: 'b0undary',
  });

describe('composed messages', () => {
  it('read back, by an independent MIME parser, with the text that went in', async () => {
    await fc.assert(
      fc.asyncProperty(text, text, async (subject, body) => {
        const parsed = await PostalMime.parse(compose(subject, body));
        expect((parsed.text ?? '').replace(/\r\n/g, '\n').replace(/\n$/, '')).toBe(body);
      }),
      SEEDED,
    );
  });

  it('keep a subject with no runs of spaces exactly', async () => {
    const plain = text.map((s) => s.replace(/\s+/g, ' ').trim());
    await fc.assert(
      fc.asyncProperty(plain, async (subject) => {
        expect((await PostalMime.parse(compose(subject, 'x'))).subject ?? '').toBe(subject);
      }),
      SEEDED,
    );
  });
});

describe('header folding', () => {
  it('gives back the value when unfolded, and folds only at spaces', () => {
    const word = fc.stringMatching(/^[\x21-\x7e]{0,30}$/);
    fc.assert(
      fc.property(fc.array(word, { maxLength: 40 }), (words) => {
        const value = words.join(' ');
        const folded = foldAscii('Subject', value);
        expect(folded.replace(/\r\n /g, ' ')).toBe(`Subject: ${value}`);
        for (const line of folded.split('\r\n').slice(1)) expect(line.startsWith(' ')).toBe(true);
      }),
      SEEDED,
    );
  });
});

describe('raw messages', () => {
  it('are read or refused with a reason, whatever they hold', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (raw) => {
        const read = readRawMessage(raw);
        if (!read.ok) expect(read.problem).toEqual(expect.any(String));
      }),
      SEEDED,
    );
  });

  it('read back every header field a composed message has', () => {
    fc.assert(
      fc.property(text, text, (subject, body) => {
        const read = readRawMessage(compose(subject, body));
        expect(read.ok).toBe(true);
        if (read.ok) expect(read.message.fields.map((f) => f.name)).toContain('Subject');
      }),
      SEEDED,
    );
  });

  it('are answered quickly at a megabyte, header or body', async () => {
    await finishesWithinASecond(() => readRawMessage(megabyteOf('X-A: b\r\n')));
    await finishesWithinASecond(() => readRawMessage(`Subject: x\r\n\r\n${megabyteOf('line\r\n')}`));
  });
});

describe('bounce and complaint reports', () => {
  it('are read as a DSN, an ARF report or unknown, whatever they hold, and never fail', async () => {
    const report = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 400 }),
      fc
        .tuple(text, text)
        .map(
          ([a, b]) =>
            `Content-Type: multipart/report; report-type=delivery-status; boundary=x\r\n\r\n--x\r\n\r\n${a}\r\n--x\r\nContent-Type: message/delivery-status\r\n\r\n${b}\r\n--x--\r\n`,
        ),
    );
    await fc.assert(
      fc.asyncProperty(report, async (raw) => {
        expect(['dsn', 'arf', 'unknown']).toContain((await parseReport(raw)).kind);
      }),
      SEEDED,
    );
  });

  it('are answered quickly at a megabyte', async () => {
    await finishesWithinASecond(() =>
      parseReport(`Content-Type: multipart/report; boundary=x\r\n\r\n${megabyteOf('--x\r\n\r\n')}`),
    );
  });
});

describe('a stored message in slices', () => {
  it('joins back to its pieces, with no slice over its bounds nor a surrogate pair split', () => {
    const piece = fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 40 }),
      fc.nat({ max: 1_200_000 }).map((n) => 'x'.repeat(n)),
      fc.nat({ max: 400_000 }).map((n) => '€😀'.repeat(n)),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 4 }), (pieces) => {
        const slices = messageSlices(pieces);
        expect(slices.join('')).toBe(pieces.join(''));
        for (const slice of slices) {
          expect(slice.length).toBeLessThanOrEqual(1_000_000);
          expect(Buffer.byteLength(slice)).toBeLessThanOrEqual(1_000_000);
          expect(/^[\udc00-\udfff]/.test(slice)).toBe(false);
        }
      }),
      { ...SEEDED, numRuns: 30 },
    );
  });
});
