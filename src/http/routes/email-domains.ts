import { Hono, type Context } from 'hono';
import { z } from 'zod';
import {
  createDkim,
  deleteDkim,
  getDkim,
  listDkims,
  updateDkim,
  type DkimDeps,
} from '../../domain/email-domains/dkims';
import {
  addEmailDomainLock,
  changeEmailDomainCompartment,
  createEmailDomain,
  deleteEmailDomain,
  getEmailDomain,
  listEmailDomains,
  removeEmailDomainLock,
  updateEmailDomain,
} from '../../domain/email-domains/email-domains';
import {
  dkimStates,
  emailDomainStates,
  operationStatuses,
  operationTypes,
  returnPathStates,
  type Dkim,
  type EmailDomain,
  type EmailReturnPath,
} from '../../domain/email-domains/ports';
import {
  addReturnPathLock,
  createReturnPath,
  deleteReturnPath,
  getReturnPath,
  listReturnPaths,
  removeReturnPathLock,
  updateReturnPath,
} from '../../domain/email-domains/return-paths';
import type { Worked } from '../../domain/email-domains/work';
import { getDomainAuthentication } from '../../domain/email-domains/authentication-status';
import { getWorkRequest, listWorkRequests } from '../../domain/email-domains/work-requests';
import type { OcidKind } from '../../domain/ocid';
import type { Caller, RegionHandle, Runtime } from '../../domain/ports';
import type { AppEnv } from '../app-env';
import {
  dkimSummaryWire,
  domainAuthenticationWire,
  dkimWire,
  emailDomainSummaryWire,
  emailDomainWire,
  returnPathSummaryWire,
  returnPathWire,
  workEntryWire,
  workRequestWire,
} from '../email-domains-wire';
import { description } from '../identity-schemas';
import { listOptions, setNextPage } from '../paging';
import { validQuery } from '../raw-query';
import {
  addLockBody,
  compartmentId,
  definedTags,
  freeformTags,
  lockOverrideQuery,
  ocid,
  pageToken,
  queryLimit,
  removeLockBody,
  sortOrder,
} from '../schemas';
import { valid } from '../validation';
import { ifMatchOf } from '../wire';

/** What these routes take besides the runtime: the key that seals DKIM keys, the resolver, the CNAME zone. */
export interface EmailDomainRouteDeps extends DkimDeps {
  /** A zone the operator serves, under which DKIM and return-path CNAME values are given. */
  delegationZone: string | undefined;
}

const MAX_DOMAIN_NAME = 253;
const MAX_PRIVATE_KEY_PEM = 16 * 1024; // a 4096-bit PKCS#1 key is about 3.3 KB

const upperCaseOf = <T extends readonly [string, ...string[]]>(values: T) =>
  z
    .string()
    .transform((value) => value.toUpperCase())
    .pipe(z.enum(values));

const resourceSortBy = z.enum(['TIMECREATED', 'ID', 'NAME']);
const domainName = z.string().min(1).max(MAX_DOMAIN_NAME);
const emailDomainId = ocid('emaildomain');
const retryToken = (c: Context) => c.req.header('opc-retry-token') || undefined;
const optionalTags = { freeformTags: freeformTags.optional(), definedTags: definedTags.optional() };
const listPaging = {
  page: pageToken.optional(),
  limit: queryLimit.optional(),
  sortBy: resourceSortBy.optional(),
  sortOrder: sortOrder.optional(),
};

const createDomainBody = z.strictObject({
  name: domainName,
  compartmentId,
  domainVerificationId: z
    .string()
    .min(1)
    .max(255)
    .regex(/^[\x21-\x7e]+$/)
    .optional(),
  description: description.optional(),
  ...optionalTags,
});
const updateDomainBody = z.strictObject({
  domainVerificationId: z
    .string()
    .min(1)
    .max(255)
    .regex(/^[\x21-\x7e]+$/)
    .optional(),
  description: description.optional(),
  ...optionalTags,
});
const createDkimBody = z.strictObject({
  emailDomainId,
  name: z.string().min(1).max(63).optional(),
  description: description.optional(),
  privateKey: z.string().min(1).max(MAX_PRIVATE_KEY_PEM).optional(),
  ...optionalTags,
});
const updateDkimBody = z.strictObject({ description: description.optional(), ...optionalTags });
const createReturnPathBody = z.strictObject({
  parentResourceId: emailDomainId,
  name: domainName.optional(),
  description: description.optional(),
  ...optionalTags,
});
const updateReturnPathBody = z.strictObject({ description: description.optional(), ...optionalTags });

const namedFilters = { id: z.string().min(1).max(255).optional(), name: domainName.optional() };
const listDomainsQuery = z.object({
  compartmentId,
  ...namedFilters,
  lifecycleState: upperCaseOf(emailDomainStates).optional(),
  ...listPaging,
});
const listDkimsQuery = z.object({
  emailDomainId,
  ...namedFilters,
  lifecycleState: upperCaseOf(dkimStates).optional(),
  ...listPaging,
});
const listReturnPathsQuery = z.object({
  compartmentId: compartmentId.optional(),
  parentResourceId: emailDomainId.optional(),
  ...namedFilters,
  lifecycleState: upperCaseOf(returnPathStates).optional(),
  ...listPaging,
});
const listWorkQuery = z.object({
  compartmentId,
  workRequestId: ocid('emailworkrequest').optional(),
  status: z.enum(operationStatuses).optional(),
  operationType: z.enum(operationTypes).optional(),
  page: pageToken.optional(),
  limit: queryLimit.optional(),
  sortBy: z.enum(['timeAccepted']).optional(),
  sortOrder: sortOrder.optional(),
});
const entriesQuery = z.object({
  page: pageToken.optional(),
  limit: queryLimit.optional(),
  sortBy: z.enum(['timestamp']).optional(),
  sortOrder: sortOrder.optional(),
});

const domainPath = valid('param', z.object({ id: emailDomainId }));
const dkimPath = valid('param', z.object({ id: ocid('emaildkim') }));
const returnPathPath = valid('param', z.object({ id: ocid('emailreturnpath') }));
const workPath = valid('param', z.object({ id: ocid('emailworkrequest') }));

/** A created resource: the body, its etag and where it lives, and the work request that made it. */
function created(
  c: Context<AppEnv>,
  worked: Worked<{ id: string; etag: string }>,
  path: string,
  body: unknown,
) {
  c.header('etag', worked.resource.etag);
  c.header('opc-work-request-id', worked.workRequestId);
  c.header('location', `${path}/${worked.resource.id}`);
  c.header('content-location', `${path}/${worked.resource.id}`);
  return c.json(body);
}

/** A change OCI runs as a work request: 202 with the work request's id, no body. */
function accepted(c: Context<AppEnv>, worked: Worked<unknown>) {
  c.header('opc-work-request-id', worked.workRequestId);
  return c.body(null, 202);
}

function withEtag(c: Context<AppEnv>, resource: { etag: string }, body: unknown) {
  c.header('etag', resource.etag);
  return c.json(body);
}

type Target = [rt: Runtime, region: RegionHandle, caller: Caller, id: string];

/** How a lockable resource (an email domain, a return path) is updated, deleted and locked. */
interface LockedResource<T extends { etag: string }, U> {
  /** The OCID kind of its ids. */
  idKind: OcidKind;
  updateBody: z.ZodType<U>;
  update(...args: [...Target, U, string | undefined, boolean | undefined]): Promise<Worked<T>>;
  remove(...args: [...Target, string | undefined, boolean | undefined]): Promise<Worked<T>>;
  addLock(...args: [...Target, z.infer<typeof addLockBody>, string | undefined]): Promise<T>;
  removeLock(...args: [...Target, z.infer<typeof removeLockBody>, string | undefined]): Promise<T>;
  body(c: Context<AppEnv>, resource: T): unknown;
}

/** PUT and DELETE (with isLockOverride) and the addLock and removeLock actions of a lockable resource. */
function lockedResourceRoutes<T extends { etag: string }, U>(rt: Runtime, resource: LockedResource<T, U>) {
  const target = (c: Context<AppEnv>, id: string): Target => [rt, c.var.region, c.var.caller, id];
  const ifMatch = (c: Context<AppEnv>) => ifMatchOf(c.req.header('if-match'));
  const path = valid('param', z.object({ id: ocid(resource.idKind) }));
  return new Hono<AppEnv>()
    .put('/:id', path, validQuery(lockOverrideQuery), valid('json', resource.updateBody), async (c) => {
      const { isLockOverride } = c.req.valid('query');
      const input: U = c.req.valid('json');
      return accepted(
        c,
        await resource.update(...target(c, c.req.valid('param').id), input, ifMatch(c), isLockOverride),
      );
    })
    .delete('/:id', path, validQuery(lockOverrideQuery), async (c) => {
      const { isLockOverride } = c.req.valid('query');
      return accepted(
        c,
        await resource.remove(...target(c, c.req.valid('param').id), ifMatch(c), isLockOverride),
      );
    })
    .post('/:id/actions/addLock', path, valid('json', addLockBody), async (c) => {
      const locked = await resource.addLock(
        ...target(c, c.req.valid('param').id),
        c.req.valid('json'),
        ifMatch(c),
      );
      return withEtag(c, locked, resource.body(c, locked));
    })
    .post('/:id/actions/removeLock', path, valid('json', removeLockBody), async (c) => {
      const unlocked = await resource.removeLock(
        ...target(c, c.req.valid('param').id),
        c.req.valid('json'),
        ifMatch(c),
      );
      return withEtag(c, unlocked, resource.body(c, unlocked));
    });
}

const listFilter = <Q extends Record<string, unknown>>(query: Q) => {
  const { page: _p, limit: _l, sortBy: _s, sortOrder: _o, ...filter } = query;
  return filter;
};

export function emailDomainRoutes(rt: Runtime, deps: EmailDomainRouteDeps) {
  const domainBody = (domain: EmailDomain) => emailDomainWire(domain);
  return new Hono<AppEnv>()
    .post('/', valid('json', createDomainBody), async (c) => {
      const { region, caller } = c.var;
      const worked = await createEmailDomain(
        rt,
        region,
        caller,
        c.req.valid('json'),
        deps.resolver,
        retryToken(c),
      );
      return created(c, worked, '/20170907/emailDomains', domainBody(worked.resource));
    })
    .get('/', validQuery(listDomainsQuery), async (c) => {
      const query = c.req.valid('query');
      const page = await listEmailDomains(
        c.var.region,
        c.var.caller,
        listFilter(query),
        await listOptions(query),
      );
      await setNextPage(c, query, page);
      return c.json({ items: page.items.map(emailDomainSummaryWire) });
    })
    .get('/:id', domainPath, async (c) => {
      const domain = await getEmailDomain(c.var.region, c.var.caller, c.req.valid('param').id);
      return withEtag(c, domain, domainBody(domain));
    })
    .get('/:id/authentication', domainPath, async (c) => {
      const { region, caller } = c.var;
      const status = await getDomainAuthentication(region, caller, c.req.valid('param').id, deps.resolver);
      return c.json(domainAuthenticationWire(status));
    })
    .post(
      '/:id/actions/changeCompartment',
      domainPath,
      validQuery(lockOverrideQuery),
      valid('json', z.strictObject({ compartmentId })),
      async (c) => {
        const worked = await changeEmailDomainCompartment(
          rt,
          c.var.region,
          c.var.caller,
          c.req.valid('param').id,
          c.req.valid('json').compartmentId,
          ifMatchOf(c.req.header('if-match')),
          c.req.valid('query').isLockOverride,
        );
        return accepted(c, worked);
      },
    )
    .route(
      '/',
      lockedResourceRoutes<EmailDomain, z.infer<typeof updateDomainBody>>(rt, {
        idKind: 'emaildomain',
        updateBody: updateDomainBody,
        update: updateEmailDomain,
        remove: deleteEmailDomain,
        addLock: addEmailDomainLock,
        removeLock: removeEmailDomainLock,
        body: (_c, domain) => domainBody(domain),
      }),
    );
}

export function dkimRoutes(rt: Runtime, deps: EmailDomainRouteDeps) {
  const dkimBody = (c: Context<AppEnv>, dkim: Dkim) =>
    dkimWire(dkim, c.var.region.descriptor, deps.delegationZone);
  return new Hono<AppEnv>()
    .post('/', valid('json', createDkimBody), async (c) => {
      const { region, caller } = c.var;
      const worked = await createDkim(rt, region, caller, c.req.valid('json'), deps, retryToken(c));
      return created(c, worked, '/20170907/dkims', dkimBody(c, worked.resource));
    })
    .get('/', validQuery(listDkimsQuery), async (c) => {
      const query = c.req.valid('query');
      const page = await listDkims(c.var.region, c.var.caller, listFilter(query), await listOptions(query));
      await setNextPage(c, query, page);
      return c.json({ items: page.items.map(dkimSummaryWire) });
    })
    .get('/:id', dkimPath, async (c) => {
      const dkim = await getDkim(c.var.region, c.var.caller, c.req.valid('param').id);
      return withEtag(c, dkim, dkimBody(c, dkim));
    })
    .put('/:id', dkimPath, valid('json', updateDkimBody), async (c) => {
      const ifMatch = ifMatchOf(c.req.header('if-match'));
      const { region, caller } = c.var;
      return accepted(
        c,
        await updateDkim(rt, region, caller, c.req.valid('param').id, c.req.valid('json'), ifMatch),
      );
    })
    .delete('/:id', dkimPath, async (c) => {
      const ifMatch = ifMatchOf(c.req.header('if-match'));
      return accepted(c, await deleteDkim(rt, c.var.region, c.var.caller, c.req.valid('param').id, ifMatch));
    });
}

export function returnPathRoutes(rt: Runtime, deps: EmailDomainRouteDeps) {
  const returnPathBody = (c: Context<AppEnv>, returnPath: EmailReturnPath) =>
    returnPathWire(returnPath, c.var.region.descriptor, deps.delegationZone);
  return new Hono<AppEnv>()
    .post('/', valid('json', createReturnPathBody), async (c) => {
      const { region, caller } = c.var;
      const worked = await createReturnPath(rt, region, caller, c.req.valid('json'), deps, retryToken(c));
      return created(c, worked, '/20170907/emailReturnPaths', returnPathBody(c, worked.resource));
    })
    .get('/', validQuery(listReturnPathsQuery), async (c) => {
      const query = c.req.valid('query');
      const page = await listReturnPaths(
        c.var.region,
        c.var.caller,
        listFilter(query),
        await listOptions(query),
      );
      await setNextPage(c, query, page);
      return c.json({ items: page.items.map(returnPathSummaryWire) });
    })
    .get('/:id', returnPathPath, async (c) => {
      const returnPath = await getReturnPath(c.var.region, c.var.caller, c.req.valid('param').id);
      return withEtag(c, returnPath, returnPathBody(c, returnPath));
    })
    .route(
      '/',
      lockedResourceRoutes<EmailReturnPath, z.infer<typeof updateReturnPathBody>>(rt, {
        idKind: 'emailreturnpath',
        updateBody: updateReturnPathBody,
        update: updateReturnPath,
        remove: deleteReturnPath,
        addLock: addReturnPathLock,
        removeLock: removeReturnPathLock,
        body: returnPathBody,
      }),
    );
}

/** A work request's logs or errors, paged in memory: a work request holds a few lines. */
async function entriesPage<T extends { timestamp: Date }>(
  c: Context<AppEnv>,
  query: z.infer<typeof entriesQuery>,
  entries: T[],
  wire: (entry: T) => unknown,
) {
  const options = await listOptions({ ...query, sortBy: undefined });
  const ordered = options.sortOrder === 'ASC' ? entries : [...entries].reverse();
  const start = Number(options.position?.after[0] ?? 0);
  const items = ordered.slice(start, start + options.limit);
  const end = start + items.length;
  await setNextPage(
    c,
    { ...query, sortBy: undefined },
    end < ordered.length ? { items, next: { after: [end, ''] } } : { items },
  );
  return c.json({ items: items.map(wire) });
}

export function workRequestRoutes() {
  return new Hono<AppEnv>()
    .get('/', validQuery(listWorkQuery), async (c) => {
      const query = c.req.valid('query');
      const { sortBy: _s, ...rest } = query;
      const page = await listWorkRequests(
        c.var.region,
        c.var.caller,
        listFilter(query),
        await listOptions(rest),
      );
      await setNextPage(c, rest, page);
      return c.json({ items: page.items.map(workRequestWire) });
    })
    .get('/:id', workPath, async (c) => {
      const work = await getWorkRequest(c.var.region, c.var.caller, c.req.valid('param').id);
      return c.json(workRequestWire(work));
    })
    .get('/:id/errors', workPath, validQuery(entriesQuery), async (c) => {
      const work = await getWorkRequest(c.var.region, c.var.caller, c.req.valid('param').id);
      return entriesPage(c, c.req.valid('query'), work.errors, workEntryWire);
    })
    .get('/:id/logs', workPath, validQuery(entriesQuery), async (c) => {
      const work = await getWorkRequest(c.var.region, c.var.caller, c.req.valid('param').id);
      return entriesPage(c, c.req.valid('query'), work.logs, workEntryWire);
    });
}
