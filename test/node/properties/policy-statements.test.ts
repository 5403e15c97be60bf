import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { statementsOf } from '../../../src/http/console/policies-pages';
import { parseStatement, StatementError } from '../../../src/domain/identity/policies/statement-parser';
import { resourceTypes, verbs } from '../../../src/domain/ports';
import { finishesWithinASecond, megabyteOf, SEEDED } from './bounds';

const name = fc.stringMatching(/^[A-Za-z][A-Za-z0-9_-]{0,30}$/);
const keywordCase = (word: string) =>
  fc.constantFrom(word, word.toUpperCase(), word[0]!.toUpperCase() + word.slice(1));

describe('policy statements', () => {
  it('are parsed or refused with a StatementError pointing inside the statement', () => {
    const words = fc.constantFrom(
      'Allow',
      'group',
      'to',
      'in',
      'tenancy',
      'compartment',
      'id',
      ',',
      ':',
      ' ',
      ...verbs,
      ...resourceTypes,
    );
    const statement = fc.oneof(
      fc.string(),
      fc.array(fc.oneof(words, name), { maxLength: 14 }).map((parts) => parts.join(' ')),
    );
    fc.assert(
      fc.property(statement, (text) => {
        try {
          parseStatement(text);
        } catch (error) {
          expect(error).toBeInstanceOf(StatementError);
          expect((error as StatementError).column).toBeGreaterThanOrEqual(1);
          expect((error as StatementError).column).toBeLessThanOrEqual(Math.max(text.length + 1, 1_001));
        }
      }),
      SEEDED,
    );
  });

  it('give back the groups, verb, resource and compartment path they were written with, in any case', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(name, { minLength: 1, maxLength: 4 }),
        fc.constantFrom(...verbs),
        fc.constantFrom(...resourceTypes),
        fc.array(name, { minLength: 1, maxLength: 3 }),
        keywordCase('allow'),
        keywordCase('group'),
        (groups, verb, resource, path, allow, group) => {
          const parsed = parseStatement(
            `${allow} ${group} ${groups.join(', ')} to ${verb} ${resource} in compartment ${path.join(':')}`,
          );
          expect(parsed.groups.map((g) => g.value)).toEqual(groups);
          expect(parsed).toMatchObject({ verb, resource, location: { kind: 'compartment-path' } });
          expect(
            parsed.location.kind === 'compartment-path' && parsed.location.path.map((p) => p.value),
          ).toEqual(path);
        },
      ),
      SEEDED,
    );
  });

  it('refuse a megabyte quickly', async () => {
    await finishesWithinASecond(() =>
      expect(() => parseStatement(megabyteOf('Allow '))).toThrow(StatementError),
    );
  });
});

describe("the console's statements text area", () => {
  const line = fc.oneof(
    fc.string({ maxLength: 60 }),
    fc.constantFrom('', '  ', '\t'),
    fc.string({ unit: 'binary', maxLength: 40 }),
  );

  it('reads every non-blank line as one statement, and remembers the line and indent it came from', () => {
    fc.assert(
      fc.property(fc.array(line, { maxLength: 12 }), fc.constantFrom('\n', '\r\n'), (lines, newline) => {
        const typed = lines.map((l) => l.replace(/[\r\n]/g, ' '));
        const text = typed.join(newline);
        const { statements, places } = statementsOf(text);
        expect(statements).toEqual(typed.map((l) => l.trim()).filter((l) => l !== ''));
        places.forEach((place, index) => {
          expect(place.text).toBe(typed[place.line - 1]);
          // The statement starts right after the indent, so a parser column maps to the text area's column.
          expect(place.text.slice(place.indent).startsWith(statements[index] ?? '')).toBe(true);
        });
      }),
      SEEDED,
    );
  });

  it('splits a megabyte of lines quickly', async () => {
    await finishesWithinASecond(() => statementsOf(megabyteOf('Allow group A to read users in tenancy\n')));
  });
});
