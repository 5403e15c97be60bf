import type { Context } from 'hono';
import { DomainError } from '../../domain/errors';
import type { Caller } from '../../domain/ports';
import type { Language, Messages } from './messages';
import type { ConsoleSession } from './session';

/** What the console's middleware sets for its pages: who is signed in, as whom they act, in which language. */
export interface ConsoleEnv {
  Variables: {
    session: ConsoleSession;
    caller: Caller;
    lang: Language;
    t: Messages;
    csrf: string;
  };
}

export type Form = Record<string, string | string[]>;

/** One text field of a parsed form; a repeated field is not one. */
export const field = (form: Form, name: string): string | undefined => {
  const value = form[name];
  return typeof value === 'string' ? value : undefined;
};

const MAX_FORM_BYTES = 64 * 1024; // the largest console form is a policy: 50 statements of up to 1,000 characters

/** The posted form's text fields (a repeated one as a list); parsed once, Hono keeps it for the handler. */
export async function formOf(c: Context): Promise<Form> {
  const length = Number(c.req.header('content-length') ?? '0');
  if (length > MAX_FORM_BYTES) throw new DomainError('PayloadTooLarge', 'The form is too large');
  const body = await c.req.parseBody({ all: true });
  const out: Form = {};
  for (const [key, value] of Object.entries(body)) {
    if (typeof value === 'string') out[key] = value;
    else if (Array.isArray(value)) out[key] = value.filter((v): v is string => typeof v === 'string');
  }
  return out;
}
