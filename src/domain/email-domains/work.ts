import { sha256Hex } from '../../crypto/sha256';
import { DomainError } from '../errors';
import { requireGrant } from '../identity/require-grant';
import { newOcid } from '../ocid';
import type { Caller, RegionHandle, Runtime, Verb } from '../ports';
import type {
  ActionType,
  EmailDomainRepository,
  OperationType,
  ResourceLock,
  RetryKey,
  WorkRequest,
  WorkRequestResource,
} from './ports';

/** What a change to an email domain, DKIM or return path answers: the resource and its work request. */
export interface Worked<T> {
  resource: T;
  workRequestId: string;
}

const ENTITY_PATHS: Record<WorkRequestResource['entityType'], string> = {
  emailDomain: 'emailDomains',
  dkim: 'dkims',
  emailReturnPath: 'emailReturnPaths',
};

/**
 * A finished work request: every change here is made in the request that asks for it, so its work request
 * is SUCCEEDED when it is written, with one log line saying what was done.
 */
export function finishedWork(
  rt: Runtime,
  region: RegionHandle,
  operationType: OperationType,
  compartmentId: string,
  resource: { entityType: WorkRequestResource['entityType']; id: string; actionType: ActionType },
  message: string,
): WorkRequest {
  const now = rt.clock.now();
  return {
    id: newOcid(rt.ids, 'emailworkrequest', region.descriptor.realm, region.id),
    compartmentId,
    operationType,
    status: 'SUCCEEDED',
    resources: [
      {
        entityType: resource.entityType,
        actionType: resource.actionType,
        identifier: resource.id,
        entityUri: `/20170907/${ENTITY_PATHS[resource.entityType]}/${resource.id}`,
      },
    ],
    percentComplete: 100,
    timeAccepted: now,
    timeStarted: now,
    timeFinished: now,
    logs: [{ message, timestamp: now }],
    errors: [],
  };
}

/** The retry token's key: the token and a digest of what was asked, so a reuse with another request is refused. */
export const retryKeyOf = (token: string | undefined, input: unknown): RetryKey | undefined =>
  token === undefined ? undefined : { token, digest: sha256Hex(JSON.stringify(input)) };

/**
 * What a create with the same retry token made before: its resource and work request. The same token with
 * a different request is refused.
 */
export async function earlierCreate<T>(
  repository: EmailDomainRepository,
  operationType: OperationType,
  retry: RetryKey | undefined,
  find: (id: string) => Promise<T | undefined>,
): Promise<Worked<T> | undefined> {
  const earlier = retry && (await repository.findRetry(operationType, retry));
  if (earlier?.kind === 'conflict') {
    throw new DomainError('Conflict', 'The opc-retry-token was already used with a different request');
  }
  const resource = earlier && (await find(earlier.resourceId));
  return earlier && resource ? { resource, workRequestId: earlier.workRequestId } : undefined;
}

/** Email domains, DKIMs and return paths are governed by OCI's `email-domains` resource type. */
export const requireDomainGrant = (caller: Caller, verb: Verb, compartmentId: string, what: string) =>
  requireGrant(caller, verb, 'email-domains', compartmentId, what);

/** What a change is, for the locks: FULL blocks every change but the locks' own, DELETE blocks deleting. */
export type LockedChange = 'update' | 'delete' | 'locks';

/** Refuses a change a lock blocks, unless the caller (who may manage the resource) overrides the locks. */
export function checkLocks(
  locks: readonly ResourceLock[],
  change: LockedChange,
  overrideLocks: boolean | undefined,
  what: string,
): void {
  const blocking = change === 'locks' ? [] : change === 'delete' ? ['FULL', 'DELETE'] : ['FULL'];
  const lock = locks.find((held) => blocking.includes(held.type));
  if (lock && overrideLocks !== true) {
    throw new DomainError(
      'Conflict',
      `${what} has a ${lock.type} lock${lock.message ? ` (${lock.message})` : ''}; remove it, or pass isLockOverride=true`,
    );
  }
}

export interface AddLockInput {
  type: ResourceLock['type'];
  compartmentId?: string | undefined;
  relatedResourceId?: string | undefined;
  message?: string | undefined;
}

/** The locks with one more: one lock of each type at most; the lock's compartment is the resource's unless given. */
export function withLock(
  locks: readonly ResourceLock[],
  input: AddLockInput,
  resourceCompartmentId: string,
  now: Date,
  what: string,
): ResourceLock[] {
  if (locks.some((lock) => lock.type === input.type)) {
    throw new DomainError('Conflict', `${what} already has a ${input.type} lock`);
  }
  return [
    ...locks,
    {
      type: input.type,
      compartmentId: input.compartmentId ?? resourceCompartmentId,
      ...(input.relatedResourceId ? { relatedResourceId: input.relatedResourceId } : {}),
      ...(input.message ? { message: input.message } : {}),
      timeCreated: now,
    },
  ];
}

/** The locks without the one of that type (and compartment, when given). */
export function withoutLock(
  locks: readonly ResourceLock[],
  input: { type: ResourceLock['type']; compartmentId?: string | undefined },
  what: string,
): ResourceLock[] {
  const matches = (lock: ResourceLock) =>
    lock.type === input.type &&
    (input.compartmentId === undefined || lock.compartmentId === input.compartmentId);
  if (!locks.some(matches))
    throw new DomainError('InvalidParameter', `${what} has no such ${input.type} lock`);
  return locks.filter((lock) => !matches(lock));
}

/** An update's fields that were given: an omitted field stays as it is. */
export const givenFields = <T extends object>(input: T): Partial<T> =>
  Object.fromEntries(
    Object.entries(input).filter(([, value]) => (value as unknown) !== undefined),
  ) as Partial<T>;

/** Maps a guarded write's refusal to OCI's answer: gone is 404, a changed etag 412 (or 409 without if-match). */
export function written<T>(
  result: T | 'missing' | 'etag-mismatch',
  ifMatch: string | undefined,
  what: string,
): T {
  if (result === 'missing')
    throw new DomainError('NotAuthorizedOrNotFound', `${what} not found or not authorized`);
  if (result === 'etag-mismatch' && ifMatch === undefined) {
    throw new DomainError('Conflict', `${what} changed while this request ran; retry`);
  }
  if (result === 'etag-mismatch') {
    throw new DomainError('NoEtagMatch', `The if-match value does not match the current etag of ${what}`);
  }
  return result;
}
