import { z } from 'zod';
import { FINGERPRINT_PATTERN, MAX_PUBLIC_KEY_PEM } from '../crypto/rsa-keys';
import { MAX_STATEMENTS } from '../domain/identity/policies/resolve-grants';
import { MAX_STATEMENT_LENGTH } from '../domain/identity/policies/statement-parser';
import { hasControlCharacter, ocid, pageToken, queryLimit, sortOrder } from './schemas';

const MAX_NAME = 100; // OCI's limit for user, group, compartment and policy names
const MAX_DESCRIPTION = 400; // OCI's limit for descriptions

/** Group and compartment names appear in policy statements, so they use the statement grammar's letters. */
export const statementName = z
  .string()
  .regex(/^[A-Za-z0-9._-]+$/, "must use letters, digits, '.', '_' and '-' only")
  .max(MAX_NAME);

export const userName = z
  .string()
  .regex(/^[A-Za-z0-9._@+-]+$/, "must use letters, digits and '.', '_', '@', '+', '-' only")
  .max(MAX_NAME);

export const policyName = z
  .string()
  .regex(
    /^[A-Za-z0-9._-]([A-Za-z0-9._ -]*[A-Za-z0-9._-])?$/,
    "must use letters, digits, spaces, '.', '_', '-'",
  )
  .max(MAX_NAME);

/** Free text that may run over lines: line feeds and tabs are kept, other control characters refused. */
export const description = z
  .string()
  .max(MAX_DESCRIPTION)
  .refine(
    (value) => !hasControlCharacter(value, '\n\t'),
    'must not contain control characters other than line feed and tab',
  );

export const statements = z
  .array(z.string().min(1).max(MAX_STATEMENT_LENGTH))
  .min(1)
  .max(MAX_STATEMENTS, `at most ${MAX_STATEMENTS} statements`);

export const publicKeyPem = z.string().min(1).max(MAX_PUBLIC_KEY_PEM);

/** RFC 3339 in a body (the SDK serialises `Date` with toISOString). */
export const bodyDate = z.iso.datetime({ offset: true }).transform((value) => new Date(value));

export const tenancyOrCompartment = ocid('tenancy', 'compartment');
export const userId = ocid('user');
export const groupId = ocid('group');
export const policyId = ocid('policy');
export const membershipId = ocid('groupmembership');
export const smtpCredentialId = ocid('credential');
export const fingerprint = z.string().regex(FINGERPRINT_PATTERN, 'must be a key fingerprint');

export const identitySortBy = z.enum(['TIMECREATED', 'NAME']);

/** Lifecycle states are matched without regard to case, as OCI documents. */
export const identityState = z
  .string()
  .transform((value) => value.toUpperCase())
  .pipe(z.enum(['CREATING', 'ACTIVE', 'INACTIVE', 'DELETING', 'DELETED']));

export const identityListQuery = z.object({
  compartmentId: tenancyOrCompartment,
  page: pageToken.optional(),
  limit: queryLimit.optional(),
  name: z.string().min(1).max(MAX_NAME).optional(),
  sortBy: identitySortBy.optional(),
  sortOrder: sortOrder.optional(),
  lifecycleState: identityState.optional(),
});
