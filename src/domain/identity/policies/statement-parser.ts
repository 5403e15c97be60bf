import { resourceTypes, verbs, type ResourceType, type Verb } from '../../ports';

export const MAX_STATEMENT_LENGTH = 1_000; // OCI statements are one line; this is far above any real one

/** A name as written, with the 1-based column where it starts, so errors can point at it. */
export interface Located<T> {
  value: T;
  column: number;
}

/** Where a grant applies; `column` is where the location starts (`tenancy` or `compartment`). */
export type Location =
  | { kind: 'tenancy'; column: number }
  | { kind: 'compartment-id'; column: number; id: Located<string> }
  | { kind: 'compartment-path'; column: number; path: Located<string>[] };

export interface ParsedStatement {
  groups: Located<string>[];
  verb: Verb;
  resource: ResourceType;
  location: Location;
}

/** Where a statement is wrong: a column (1-based) and what was expected there. */
export class StatementError extends Error {
  constructor(
    readonly column: number,
    message: string,
  ) {
    super(message);
    this.name = 'StatementError';
  }
}

interface Token {
  text: string;
  column: number;
}

const namePattern = /^[A-Za-z0-9._-]{1,100}$/;
const ocidPattern = /^ocid1\.[a-z0-9]+\.[a-z0-9]+\.[a-z0-9-]*\.[a-z0-9._-]{1,128}$/;

function tokenize(statement: string): Token[] {
  const tokens: Token[] = [];
  for (const match of statement.matchAll(/,|[^\s,]+/g)) {
    tokens.push({ text: match[0], column: match.index + 1 });
  }
  return tokens;
}

class Cursor {
  private index = 0;
  constructor(
    private readonly tokens: Token[],
    private readonly endColumn: number,
  ) {}

  peek(): Token | undefined {
    return this.tokens[this.index];
  }

  next(expected: string): Token {
    const token = this.tokens[this.index];
    if (!token) throw new StatementError(this.endColumn, `expected ${expected} but the statement ends`);
    this.index += 1;
    return token;
  }

  keyword(word: string): Token {
    const token = this.next(`"${word}"`);
    if (token.text.toLowerCase() !== word.toLowerCase()) {
      throw new StatementError(token.column, `expected "${word}" but found "${token.text}"`);
    }
    return token;
  }
}

function unquote(token: Token): string {
  const quoted = /^'(.*)'$/.exec(token.text);
  return quoted?.[1] ?? token.text;
}

function name(cursor: Cursor, what: string): Located<string> {
  const token = cursor.next(`a ${what} name`);
  const value = unquote(token);
  if (!namePattern.test(value)) {
    throw new StatementError(
      token.column,
      `"${token.text}" is not a ${what} name (letters, digits, '.', '_' and '-', at most 100)`,
    );
  }
  return { value, column: token.column };
}

function subject(cursor: Cursor): Located<string>[] {
  const kind = cursor.next('"group"');
  if (kind.text.toLowerCase() !== 'group') {
    throw new StatementError(kind.column, `only "group <name>" subjects are supported, not "${kind.text}"`);
  }
  const groups = [name(cursor, 'group')];
  while (cursor.peek()?.text === ',') {
    cursor.next(',');
    groups.push(name(cursor, 'group'));
  }
  return groups;
}

function oneOf<T extends string>(cursor: Cursor, options: readonly T[], what: string): T {
  const listed = `${options.slice(0, -1).join(', ')} or ${options.at(-1) ?? ''}`;
  const token = cursor.next(`${what} (${listed})`);
  const value = token.text.toLowerCase();
  const found = options.find((option) => option === value);
  if (!found)
    throw new StatementError(token.column, `expected ${what} (${listed}) but found "${token.text}"`);
  return found;
}

function location(cursor: Cursor): Location {
  const token = cursor.next('"tenancy" or "compartment"');
  const kind = token.text.toLowerCase();
  if (kind === 'tenancy') return { kind: 'tenancy', column: token.column };
  if (kind !== 'compartment') {
    throw new StatementError(token.column, `expected "tenancy" or "compartment" but found "${token.text}"`);
  }
  if (cursor.peek()?.text.toLowerCase() === 'id') {
    cursor.next('"id"');
    const id = cursor.next('a compartment OCID');
    if (!ocidPattern.test(id.text)) throw new StatementError(id.column, `"${id.text}" is not an OCID`);
    return { kind: 'compartment-id', column: token.column, id: { value: id.text, column: id.column } };
  }
  const pathToken = cursor.next('a compartment name or path');
  let column = pathToken.column;
  const path = unquote(pathToken)
    .split(':')
    .map((segment) => {
      const located = { value: segment, column };
      column += segment.length + 1;
      if (!namePattern.test(segment)) {
        throw new StatementError(located.column, `"${segment}" is not a compartment name`);
      }
      return located;
    });
  return { kind: 'compartment-path', column: token.column, path };
}

/**
 * Parses `Allow group <name>[, <name>...] to <verb> <resource-type> in <tenancy | compartment <name or
 * path> | compartment id <ocid>>`. Keywords are case-insensitive; conditions (`where ...`) are not served.
 */
export function parseStatement(statement: string): ParsedStatement {
  if (statement.length > MAX_STATEMENT_LENGTH) {
    throw new StatementError(
      MAX_STATEMENT_LENGTH + 1,
      `a statement is at most ${MAX_STATEMENT_LENGTH} characters`,
    );
  }
  const cursor = new Cursor(tokenize(statement), statement.trimEnd().length + 1);
  cursor.keyword('allow');
  const groups = subject(cursor);
  cursor.keyword('to');
  const verb = oneOf(cursor, verbs, 'a verb');
  const resource = oneOf(cursor, resourceTypes, 'a resource type');
  cursor.keyword('in');
  const where = location(cursor);
  const rest = cursor.peek();
  if (rest) {
    const message =
      rest.text.toLowerCase() === 'where'
        ? 'conditions ("where ...") are not supported'
        : `unexpected "${rest.text}" after the location`;
    throw new StatementError(rest.column, message);
  }
  return { groups, verb, resource, location: where };
}
