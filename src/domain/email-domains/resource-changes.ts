import { newEtag } from '../../values/etag';
import { notFound } from '../errors';
import type { Caller, RegionHandle, Runtime, Verb } from '../ports';
import type {
  Change,
  EmailDomainRepository,
  OperationType,
  ResourceLock,
  WorkRequest,
  WorkRequestResource,
  WriteResult,
} from './ports';
import {
  checkLocks,
  finishedWork,
  givenFields,
  requireDomainGrant,
  withLock,
  withoutLock,
  written,
  type AddLockInput,
  type LockedChange,
  type Worked,
} from './work';

interface Resource {
  id: string;
  compartmentId: string;
  lifecycleState: string;
  etag: string;
  locks?: readonly ResourceLock[];
}

/** What a change does: its kind (for the locks), its work request, the fields it sets, and a line for the log. */
export interface ChangeSpec<T> {
  kind: LockedChange;
  /** None for a change of the locks, which OCI answers with the resource instead. */
  operationType?: OperationType | undefined;
  overrideLocks?: boolean | undefined;
  changes: (current: T) => Change<T>;
  /** Email domains only: the DKIMs and return paths move or go with their domain. */
  cascade?: { compartmentId?: string; deleted?: boolean };
  log: string;
}

/** One kind of resource of the email-domain family: how it is named, found and written. */
export interface ResourceKind<T extends Resource> {
  entityType: WorkRequestResource['entityType'];
  what: (id: string) => string;
  find(repository: EmailDomainRepository, id: string): Promise<T | undefined>;
  update(
    repository: EmailDomainRepository,
    id: string,
    changes: Change<T> & { etag: string; timeUpdated: Date },
    expectedEtag: string,
    work: WorkRequest | undefined,
    spec: ChangeSpec<T>,
  ): Promise<WriteResult<T>>;
}

/** The resource, deleted ones included (the SDK's waiter sees a delete finish as DELETED), if the caller may read it. */
export async function readResource<T extends Resource>(
  kind: ResourceKind<T>,
  region: RegionHandle,
  caller: Caller,
  id: string,
): Promise<T> {
  const found = await kind.find(region.store.forTenancy(caller.tenancyId).emailDomains, id);
  if (!found) throw notFound(kind.what(id));
  await requireDomainGrant(caller, 'read', found.compartmentId, kind.what(id));
  return found;
}

/** A live resource the caller may `verb`; what it may not see answers like what does not exist. */
export async function liveResource<T extends Resource>(
  kind: ResourceKind<T>,
  region: RegionHandle,
  caller: Caller,
  id: string,
  verb: Extract<Verb, 'read' | 'manage'>,
): Promise<T> {
  const found = await kind.find(region.store.forTenancy(caller.tenancyId).emailDomains, id);
  if (!found || found.lifecycleState === 'DELETED') throw notFound(kind.what(id));
  await requireDomainGrant(caller, verb, found.compartmentId, kind.what(id));
  return found;
}

/**
 * Applies a change to a live resource the caller may manage, honouring if-match and the locks; the write
 * is conditional on the etag that was authorized, and its work request is written with it.
 */
export async function changeResource<T extends Resource>(
  rt: Runtime,
  region: RegionHandle,
  caller: Caller,
  kind: ResourceKind<T>,
  id: string,
  spec: ChangeSpec<T>,
  ifMatch: string | undefined,
): Promise<Worked<T>> {
  const current = await liveResource(kind, region, caller, id, 'manage');
  if (current.locks) checkLocks(current.locks, spec.kind, spec.overrideLocks, kind.what(id));
  const actionType = spec.kind === 'delete' ? 'DELETED' : 'UPDATED';
  const work =
    spec.operationType &&
    finishedWork(
      rt,
      region,
      spec.operationType,
      current.compartmentId,
      { entityType: kind.entityType, id, actionType },
      spec.log,
    );
  const result = await kind.update(
    region.store.forTenancy(caller.tenancyId).emailDomains,
    id,
    { ...spec.changes(current), etag: newEtag(rt.ids), timeUpdated: rt.clock.now() },
    ifMatch ?? current.etag,
    work,
    spec,
  );
  const resource = written(result, ifMatch, kind.what(id));
  rt.logger.info('email-domains.changed', {
    region: region.id,
    id,
    entity: kind.entityType,
    change: spec.log,
  });
  return { resource, workRequestId: work?.id ?? '' };
}

type Lockable = Resource & { locks: readonly ResourceLock[] };

/** addLock: one lock of each type at most; the lock's compartment is the resource's unless given. */
const addingLock = <T extends Lockable>(rt: Runtime, input: AddLockInput, what: string): ChangeSpec<T> => ({
  kind: 'locks',
  changes: (current) =>
    ({
      locks: withLock(current.locks, input, current.compartmentId, rt.clock.now(), what),
    }) as unknown as Change<T>,
  log: `Added a ${input.type} lock`,
});

/** removeLock: the lock of that type (and compartment, when given). */
const removingLock = <T extends Lockable>(
  input: { type: ResourceLock['type']; compartmentId?: string | undefined },
  what: string,
): ChangeSpec<T> => ({
  kind: 'locks',
  changes: (current) => ({ locks: withoutLock(current.locks, input, what) }) as unknown as Change<T>,
  log: `Removed a ${input.type} lock`,
});

/** An update of the fields given (an omitted field stays as it is), answered with a work request. */
export const updating = <T>(
  operationType: OperationType,
  input: object,
  overrideLocks?: boolean,
): ChangeSpec<T> => {
  const changes = givenFields(input) as Change<T>;
  return { kind: 'update', operationType, overrideLocks, changes: () => changes, log: 'Updated' };
};

/** OCI's addLock and removeLock of a lockable kind; both answer the resource as it is after the change. */
export function lockActions<T extends Lockable>(kind: ResourceKind<T>) {
  return {
    add: async (
      rt: Runtime,
      region: RegionHandle,
      caller: Caller,
      id: string,
      input: AddLockInput,
      ifMatch: string | undefined,
    ) => {
      const spec = addingLock<T>(rt, input, kind.what(id));
      return (await changeResource(rt, region, caller, kind, id, spec, ifMatch)).resource;
    },
    remove: async (
      rt: Runtime,
      region: RegionHandle,
      caller: Caller,
      id: string,
      input: { type: ResourceLock['type']; compartmentId?: string | undefined },
      ifMatch: string | undefined,
    ) => {
      const spec = removingLock<T>(input, kind.what(id));
      return (await changeResource(rt, region, caller, kind, id, spec, ifMatch)).resource;
    },
  };
}
