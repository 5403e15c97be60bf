import { z } from 'zod';
import { emailAddressProblem } from '../domain/email-address';
import { isOcidOf, type OcidKind } from '../domain/ocid';
import { senderStates } from '../domain/ports';

const MAX_OCID_LENGTH = 255;
const MAX_TAGS = 64; // OCI's limit on tags per resource
const MAX_TAG_KEY = 100;
const MAX_TAG_VALUE = 256;
const MAX_DEFINED_TAG_BYTES = 8_192; // keeps one sender row small

export const ocid = (...kinds: OcidKind[]) =>
  z
    .string()
    .max(MAX_OCID_LENGTH)
    .refine((value) => isOcidOf(value, ...kinds), `must be an OCID of kind ${kinds.join(' or ')}`);

export const compartmentId = ocid('tenancy', 'compartment');

export const emailAddress = z.string().superRefine((value, ctx) => {
  const problem = emailAddressProblem(value);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

/** Whether `value` holds a control character (C0 or DEL) other than those in `allowed`. */
export function hasControlCharacter(value: string, allowed = ''): boolean {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if ((code < 0x20 || code === 0x7f) && !allowed.includes(value.charAt(i))) return true;
  }
  return false;
}

const NO_CONTROL_CHARACTERS = 'must not contain control characters';

/** Whether any string inside a JSON value holds a control character; walked without recursion. */
function holdsControlCharacter(value: unknown): boolean {
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const next = pending.pop();
    if (typeof next === 'string' && hasControlCharacter(next)) return true;
    if (typeof next === 'object' && next !== null) pending.push(...(Object.values(next) as unknown[]));
  }
  return false;
}

const tagKey = z
  .string()
  .min(1)
  .max(MAX_TAG_KEY)
  .refine((key) => !hasControlCharacter(key), NO_CONTROL_CHARACTERS);

export const freeformTags = z
  .record(
    tagKey,
    z
      .string()
      .max(MAX_TAG_VALUE)
      .refine((value) => !hasControlCharacter(value), NO_CONTROL_CHARACTERS),
  )
  .refine((tags) => Object.keys(tags).length <= MAX_TAGS, `at most ${MAX_TAGS} tags`);

export const definedTags = z
  .record(
    tagKey,
    z.record(
      tagKey,
      z.unknown().refine((value) => !holdsControlCharacter(value), NO_CONTROL_CHARACTERS),
    ),
  )
  .refine((tags) => JSON.stringify(tags).length <= MAX_DEFINED_TAG_BYTES, 'too large');

/** The SDK sends dates as `YYYY-MM-DDTh:mm:ssZ` (unpadded hour, no fraction); full RFC 3339 also works. */
export const queryDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{1,2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/, 'must be an RFC 3339 date')
  .transform((value, ctx) => {
    const padded = value.replace(/T(\d):/, 'T0$1:');
    const date = new Date(padded);
    if (Number.isNaN(date.getTime())) {
      ctx.addIssue({ code: 'custom', message: 'must be an RFC 3339 date' });
      return z.NEVER;
    }
    return date;
  });

export const queryLimit = z
  .string()
  .regex(/^\d{1,7}$/, 'must be a whole number')
  .transform(Number)
  .pipe(z.number().int().min(1, 'must be between 1 and 1000').max(1000, 'must be between 1 and 1000'));

export const queryBoolean = z.enum(['true', 'false']).transform((value) => value === 'true');

export const sortBy = z.enum(['TIMECREATED', 'EMAILADDRESS']);
export const sortOrder = z.enum(['ASC', 'DESC']);

export const senderState = z
  .string()
  .transform((value) => value.toUpperCase())
  .pipe(z.enum(senderStates));

export const pageToken = z.string().min(1).max(1024);

export const lockOverrideQuery = z.object({ isLockOverride: queryBoolean.optional() });

const lockType = z.enum(['FULL', 'DELETE']);
const MAX_LOCK_MESSAGE = 1_000; // a note to whoever meets the lock
export const addLockBody = z.strictObject({
  type: lockType,
  compartmentId: compartmentId.optional(),
  relatedResourceId: z
    .string()
    .min(1)
    .max(255)
    .regex(/^[\x21-\x7e]+$/, 'must be an OCID')
    .optional(),
  message: z
    .string()
    .max(MAX_LOCK_MESSAGE)
    .refine(
      (value) => !hasControlCharacter(value, '\n\t'),
      'must not contain control characters other than LF and TAB',
    )
    .optional(),
});
export const removeLockBody = z.strictObject({ type: lockType, compartmentId: compartmentId.optional() });
