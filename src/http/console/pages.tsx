import { Hono, type Context } from 'hono';
import { getEmailConfiguration } from '../../domain/configuration/get';
import { emailAddressProblem } from '../../domain/email-address';
import { DomainError } from '../../domain/errors';
import { listCompartments } from '../../domain/identity/compartments/list';
import type { IdentityStore } from '../../domain/identity/ports';
import type { Resolver, Runtime, Sender, Suppression } from '../../domain/ports';
import type { Regions } from '../../domain/regions';
import { createSender } from '../../domain/senders/create';
import { deleteSender } from '../../domain/senders/delete';
import { getSenderSpf, type SenderSpfGuidance } from '../../domain/senders/get-spf';
import { listSenders } from '../../domain/senders/list';
import { spfRecordForEveryRegion, spfRecordToPublish } from '../../domain/spf/record-to-publish';
import { addSuppression } from '../../domain/suppressions/add';
import { deleteSuppression } from '../../domain/suppressions/delete';
import { listSuppressions } from '../../domain/suppressions/list';
import { listOptions, nextPageToken } from '../paging';
import type { SubmitAddresses } from '../routes/configuration';
import { field, formOf, type ConsoleEnv, type Form } from './console-env';
import { Dialog, Page, query, Table, type PageFrame } from './layout';
import type { Messages } from './messages';

export interface ConsolePageDeps extends SubmitAddresses {
  runtime: Runtime;
  regions: Regions;
  identity: IdentityStore;
  resolver: Resolver;
  spfIncludes: readonly string[];
}

type C = Context<ConsoleEnv>;
const PAGE_SIZE = 25;
const MAX_COMPARTMENTS = 100;
const MAX_SPF_SENDERS = 10;

const sorts = {
  'address-asc': { sortBy: 'EMAILADDRESS', sortOrder: 'ASC' },
  'address-desc': { sortBy: 'EMAILADDRESS', sortOrder: 'DESC' },
  newest: { sortBy: 'TIMECREATED', sortOrder: 'DESC' },
  oldest: { sortBy: 'TIMECREATED', sortOrder: 'ASC' },
} as const;
type SortName = keyof typeof sorts;

export const time = (date: Date) => date.toISOString().replace('T', ' ').slice(0, 16) + ' UTC';

/** The region and compartment a page is for, from its query (or a form), defaulting to the first region and the tenancy. */
export async function scopeOf(deps: ConsolePageDeps, c: C, form?: Form) {
  const asked = (name: string) => (form ? field(form, name) : undefined) ?? c.req.query(name);
  const regionId = asked('region') ?? deps.regions.enabled[0] ?? '';
  const region = await deps.regions.open(regionId);
  const caller = c.var.caller;
  const compartmentId = asked('compartment') ?? caller.tenancyId;
  return { region, compartmentId };
}

/** The frame around a page: the pickers list the compartments the user may see, the tenancy first. */
export async function frameOf(
  deps: ConsolePageDeps,
  c: C,
  title: string,
  path: string,
  region: string,
  compartmentId: string,
) {
  const caller = c.var.caller;
  let compartments: { id: string; name: string }[] = [];
  try {
    const page = await listCompartments(
      deps.identity,
      caller,
      { compartmentId: caller.tenancyId, compartmentIdInSubtree: true, lifecycleState: 'ACTIVE' },
      { sortBy: 'NAME', sortOrder: 'ASC', limit: MAX_COMPARTMENTS },
    );
    compartments = page.items.map((item) => ({ id: item.id, name: item.name }));
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
  }
  const frame: PageFrame = {
    t: c.var.t,
    lang: c.var.lang,
    title,
    path,
    userName: c.var.session.userName,
    csrf: c.var.csrf,
    regions: deps.regions.enabled,
    region,
    compartments: [{ id: caller.tenancyId, name: `${c.var.t.compartment}: root` }, ...compartments],
    compartmentId,
  };
  return frame;
}

/** Runs a domain verb; its refusal becomes the page's error notice instead of an error page. */
export async function attempt<T>(run: () => Promise<T>): Promise<{ value: T } | { error: DomainError }> {
  try {
    return { value: await run() };
  } catch (error) {
    if (error instanceof DomainError) return { error };
    throw error;
  }
}

export const CsrfField = (props: { csrf: string }) => <input type="hidden" name="_csrf" value={props.csrf} />;
const ScopeFields = (props: { region: string; compartmentId: string }) => (
  <>
    <input type="hidden" name="region" value={props.region} />
    <input type="hidden" name="compartment" value={props.compartmentId} />
  </>
);

/** A row's delete button: a form of its own, with the CSRF token and the page's region and compartment. */
function DeleteForm(props: { t: Messages; frame: PageFrame; action: string; label: string }) {
  return (
    <form method="post" action={props.action} class="inline">
      <CsrfField csrf={props.frame.csrf} />
      <ScopeFields region={props.frame.region} compartmentId={props.frame.compartmentId} />
      <button type="submit" class="danger" aria-label={`${props.t.delete} ${props.label}`}>
        {props.t.delete}
      </button>
    </form>
  );
}

function SenderTable(props: { t: Messages; senders: Sender[]; frame: PageFrame }) {
  const { t, frame } = props;
  if (props.senders.length === 0) return <p>{t.noSenders}</p>;
  return (
    <Table
      headers={[t.select, t.emailAddress, t.state, t.spf, t.created, t.actions]}
      rows={props.senders.map((sender) => [
        <input
          type="checkbox"
          name="sender"
          value={sender.id}
          form="view-spf"
          id={`pick-${sender.id}`}
          aria-label={`${t.select} ${sender.emailAddress}`}
        />,
        sender.emailAddress,
        sender.lifecycleState,
        <span class={sender.isSpf ? 'yes' : 'no'}>{sender.isSpf ? t.yes : t.no}</span>,
        time(sender.timeCreated),
        <DeleteForm
          t={t}
          frame={frame}
          action={`/console/senders/${sender.id}/delete`}
          label={sender.emailAddress}
        />,
      ])}
    />
  );
}

export function sendersPages(deps: ConsolePageDeps) {
  const list = async (
    c: C,
    notice?: PageFrame['notice'],
    dialog?: { open: boolean; address: string; error?: string },
  ) => {
    const t = c.var.t;
    const { region, compartmentId } = await scopeOf(deps, c);
    const frame = await frameOf(deps, c, t.approvedSenders, '/console/senders', region.id, compartmentId);
    const search = (c.req.query('q') ?? '').trim().slice(0, 254);
    const askedSort = c.req.query('sort') ?? '';
    const sortName: SortName = Object.hasOwn(sorts, askedSort) ? (askedSort as SortName) : 'newest';
    const filter = search.includes('@') ? { emailAddress: search } : search ? { domain: search } : {};
    const listQuery = {
      ...sorts[sortName],
      compartmentId,
      ...filter,
      region: region.id,
      page: c.req.query('page'),
    };
    const result = await attempt(async () =>
      listSenders(
        region,
        c.var.caller,
        { compartmentId, ...filter },
        await listOptions({ ...listQuery, limit: PAGE_SIZE }),
      ),
    );
    const senders = 'value' in result ? result.value.page.items : [];
    const next = 'value' in result ? await nextPageToken(listQuery, result.value.page) : undefined;
    const scope = { region: region.id, compartment: compartmentId };
    const open = dialog?.open ?? c.req.query('create') === '1';
    return c.html(
      <Page {...frame} notice={'error' in result ? { text: t.notFound, error: true } : notice}>
        <div class="toolbar">
          <a
            class="button primary"
            href={`/console/senders?${query({ ...scope, create: '1' })}`}
            data-open-dialog="create-sender"
          >
            {t.createApprovedSender}
          </a>
          <form method="get" action="/console/senders" role="search">
            <ScopeFields region={region.id} compartmentId={compartmentId} />
            <div>
              <label for="q">{t.searchByEmail}</label>
              <input id="q" name="q" type="text" value={search} />
            </div>
            <div>
              <label for="sort">{t.sortBy}</label>
              <select id="sort" name="sort">
                <option value="address-asc" selected={sortName === 'address-asc'}>
                  {t.sortAddressAsc}
                </option>
                <option value="address-desc" selected={sortName === 'address-desc'}>
                  {t.sortAddressDesc}
                </option>
                <option value="newest" selected={sortName === 'newest'}>
                  {t.sortNewest}
                </option>
                <option value="oldest" selected={sortName === 'oldest'}>
                  {t.sortOldest}
                </option>
              </select>
            </div>
            <button type="submit">{t.search}</button>
          </form>
          <form method="get" action="/console/senders/spf" id="view-spf">
            <ScopeFields region={region.id} compartmentId={compartmentId} />
            <button type="submit">{t.viewSpf}</button>
          </form>
        </div>
        <SenderTable t={t} senders={senders} frame={frame} />
        <p>
          {c.req.query('page') && (
            <a href={`/console/senders?${query({ ...scope, q: search, sort: sortName })}`}>{t.firstPage}</a>
          )}{' '}
          {next && (
            <a href={`/console/senders?${query({ ...scope, q: search, sort: sortName, page: next })}`}>
              {t.nextPage}
            </a>
          )}
        </p>
        <Dialog id="create-sender" title={t.createApprovedSender} open={open}>
          {dialog?.error && (
            <p class="notice error" role="alert">
              {dialog.error}
            </p>
          )}
          <form method="post" action="/console/senders">
            <CsrfField csrf={frame.csrf} />
            <ScopeFields region={region.id} compartmentId={compartmentId} />
            <div class="field">
              <label for="emailAddress">{t.emailAddress}</label>
              <input
                id="emailAddress"
                name="emailAddress"
                type="email"
                required
                value={dialog?.address ?? ''}
                autocomplete="email"
              />
            </div>
            <div class="dialog-actions">
              <a class="button" href={`/console/senders?${query(scope)}`} data-close-dialog="">
                {t.cancel}
              </a>
              <button type="submit" class="primary">
                {t.create}
              </button>
            </div>
          </form>
        </Dialog>
      </Page>,
    );
  };

  return new Hono<ConsoleEnv>()
    .get('/', (c) =>
      list(
        c,
        c.req.query('done')
          ? { text: c.var.t[c.req.query('done') === 'deleted' ? 'senderDeleted' : 'senderCreated'] }
          : undefined,
      ),
    )
    .post('/', async (c) => {
      const form = await formOf(c);
      const { region, compartmentId } = await scopeOf(deps, c, form);
      const address = (field(form, 'emailAddress') ?? '').trim();
      const problem = emailAddressProblem(address);
      if (problem)
        return list(c, undefined, { open: true, address, error: `${c.var.t.emailAddress}: ${problem}` });
      const created = await attempt(() =>
        createSender(
          deps.runtime,
          region,
          c.var.caller,
          { compartmentId, emailAddress: address },
          deps.resolver,
        ),
      );
      if ('error' in created)
        return list(c, undefined, { open: true, address, error: created.error.message });
      return c.redirect(
        `/console/senders?${query({ region: region.id, compartment: compartmentId, done: 'created' })}`,
        303,
      );
    })
    .post('/:id/delete', async (c) => {
      const form = await formOf(c);
      const { region, compartmentId } = await scopeOf(deps, c, form);
      const deleted = await attempt(() =>
        deleteSender(deps.runtime, region, c.var.caller, c.req.param('id'), undefined),
      );
      if ('error' in deleted) return list(c, { text: deleted.error.message, error: true });
      return c.redirect(
        `/console/senders?${query({ region: region.id, compartment: compartmentId, done: 'deleted' })}`,
        303,
      );
    })
    .get('/spf', async (c) => {
      const t = c.var.t;
      const { region, compartmentId } = await scopeOf(deps, c);
      const frame = await frameOf(deps, c, t.manageSpf, '/console/senders', region.id, compartmentId);
      const ids = c.req.queries('sender')?.slice(0, MAX_SPF_SENDERS) ?? [];
      const scope = { region: region.id, compartment: compartmentId };
      if (ids.length === 0) return list(c, { text: t.selectSenders, error: true });
      const guidance: SenderSpfGuidance[] = [];
      for (const id of ids) {
        const found = await attempt(() => getSenderSpf(region, c.var.caller, id, deps.resolver));
        if ('value' in found) guidance.push(found.value);
      }
      const everyRegion = spfRecordForEveryRegion(deps.spfIncludes);
      return c.html(
        <Page {...frame}>
          <Dialog id="manage-spf" title={t.manageSpf} open={true}>
            <p>{t.spfHelp}</p>
            {guidance.map((g, index) => (
              <section aria-labelledby={`spf-${index}`}>
                <h3 id={`spf-${index}`}>
                  {t.domain}: {g.verdict.domain}
                </h3>
                <table>
                  <tbody>
                    <tr>
                      <th scope="row">{t.spfPublished}</th>
                      <td class={g.verdict.record ? 'yes' : 'no'}>{g.verdict.record ? t.yes : t.no}</td>
                    </tr>
                    <tr>
                      <th scope="row">{t.spfAuthorizes}</th>
                      <td class={g.verdict.authorized ? 'yes' : 'no'}>
                        {g.verdict.authorized ? t.yes : t.no}
                      </td>
                    </tr>
                    {g.verdict.record && (
                      <tr>
                        <th scope="row">{t.currentRecord}</th>
                        <td>
                          <code>{g.verdict.record}</code>
                        </td>
                      </tr>
                    )}
                  </tbody>
                </table>
                {!g.verdict.authorized && (
                  <>
                    <Record
                      t={t}
                      id={`region-record-${index}`}
                      label={`${t.recordForRegion} (${g.geography})`}
                      value={spfRecordToPublish(g.spfInclude)}
                    />
                    <Record t={t} id={`all-record-${index}`} label={t.recordForAll} value={everyRegion} />
                  </>
                )}
              </section>
            ))}
            <div class="dialog-actions">
              <a class="button" href={`/console/senders?${query(scope)}`}>
                {t.close}
              </a>
            </div>
          </Dialog>
        </Page>,
      );
    });
}

/** A value to copy (a DNS record, a password), with its label and a copy button. */
export function Record(props: { t: Messages; id: string; label: string; value: string }) {
  return (
    <div class="field">
      <p>
        <strong id={`${props.id}-label`}>{props.label}</strong>
      </p>
      <div class="record">
        <code id={props.id} aria-labelledby={`${props.id}-label`}>
          {props.value}
        </code>
        <button
          type="button"
          data-copy={props.id}
          data-copied={props.t.copied}
          aria-label={`${props.t.copy}: ${props.label}`}
        >
          {props.t.copy}
        </button>
      </div>
    </div>
  );
}

function SuppressionTable(props: { t: Messages; suppressions: Suppression[]; frame: PageFrame }) {
  const { t, frame } = props;
  if (props.suppressions.length === 0) return <p>{t.noSuppressions}</p>;
  return (
    <Table
      headers={[t.emailAddress, t.reason, t.detail, t.created, t.actions]}
      rows={props.suppressions.map((s) => [
        s.emailAddress,
        s.reason,
        [s.errorDetail, s.errorSource].filter(Boolean).join(' — '),
        time(s.timeCreated),
        <DeleteForm
          t={t}
          frame={frame}
          action={`/console/suppressions/${s.id}/delete`}
          label={s.emailAddress}
        />,
      ])}
    />
  );
}

export function suppressionsPages(deps: ConsolePageDeps) {
  const list = async (c: C, notice?: PageFrame['notice'], dialog?: { address: string; error: string }) => {
    const t = c.var.t;
    const { region } = await scopeOf(deps, c);
    const tenancy = c.var.caller.tenancyId;
    const frame = await frameOf(deps, c, t.suppressionList, '/console/suppressions', region.id, tenancy);
    const search = (c.req.query('q') ?? '').trim().slice(0, 254);
    const result = await attempt(async () =>
      listSuppressions(
        region,
        c.var.caller,
        tenancy,
        search ? { emailAddress: search.toLowerCase() } : {},
        await listOptions({ limit: PAGE_SIZE }),
      ),
    );
    const scope = { region: region.id, compartment: tenancy };
    const open = dialog !== undefined || c.req.query('add') === '1';
    return c.html(
      <Page {...frame} notice={'error' in result ? { text: t.notFound, error: true } : notice}>
        <div class="toolbar">
          <a
            class="button primary"
            href={`/console/suppressions?${query({ ...scope, add: '1' })}`}
            data-open-dialog="add-suppression"
          >
            {t.addSuppression}
          </a>
          <form method="get" action="/console/suppressions" role="search">
            <ScopeFields region={region.id} compartmentId={tenancy} />
            <div>
              <label for="q">{t.searchByEmail}</label>
              <input id="q" name="q" type="text" value={search} />
            </div>
            <button type="submit">{t.search}</button>
          </form>
        </div>
        <SuppressionTable t={t} suppressions={'value' in result ? result.value.items : []} frame={frame} />
        <Dialog id="add-suppression" title={t.addSuppression} open={open}>
          {dialog && (
            <p class="notice error" role="alert">
              {dialog.error}
            </p>
          )}
          <form method="post" action="/console/suppressions">
            <CsrfField csrf={frame.csrf} />
            <ScopeFields region={region.id} compartmentId={tenancy} />
            <div class="field">
              <label for="suppressed">{t.emailAddress}</label>
              <input
                id="suppressed"
                name="emailAddress"
                type="email"
                required
                value={dialog?.address ?? ''}
              />
            </div>
            <div class="dialog-actions">
              <a class="button" href={`/console/suppressions?${query(scope)}`} data-close-dialog="">
                {t.cancel}
              </a>
              <button type="submit" class="primary">
                {t.addSuppression}
              </button>
            </div>
          </form>
        </Dialog>
      </Page>,
    );
  };

  return new Hono<ConsoleEnv>()
    .get('/', (c) =>
      list(
        c,
        c.req.query('done')
          ? { text: c.var.t[c.req.query('done') === 'deleted' ? 'suppressionDeleted' : 'suppressionAdded'] }
          : undefined,
      ),
    )
    .post('/', async (c) => {
      const form = await formOf(c);
      const { region } = await scopeOf(deps, c, form);
      const address = (field(form, 'emailAddress') ?? '').trim();
      const problem = emailAddressProblem(address);
      if (problem) return list(c, undefined, { address, error: `${c.var.t.emailAddress}: ${problem}` });
      const tenancy = c.var.caller.tenancyId;
      const added = await attempt(() =>
        addSuppression(deps.runtime, region, c.var.caller, { compartmentId: tenancy, emailAddress: address }),
      );
      if ('error' in added) return list(c, undefined, { address, error: added.error.message });
      return c.redirect(`/console/suppressions?${query({ region: region.id, done: 'added' })}`, 303);
    })
    .post('/:id/delete', async (c) => {
      const form = await formOf(c);
      const { region } = await scopeOf(deps, c, form);
      const deleted = await attempt(() =>
        deleteSuppression(deps.runtime, region, c.var.caller, c.req.param('id')),
      );
      if ('error' in deleted) return list(c, { text: deleted.error.message, error: true });
      return c.redirect(`/console/suppressions?${query({ region: region.id, done: 'deleted' })}`, 303);
    });
}

export function configurationPage(deps: ConsolePageDeps) {
  return new Hono<ConsoleEnv>().get('/', async (c) => {
    const t = c.var.t;
    const { region, compartmentId } = await scopeOf(deps, c);
    const frame = await frameOf(
      deps,
      c,
      t.emailConfiguration,
      '/console/configuration',
      region.id,
      compartmentId,
    );
    const listener = deps.smtpListeners?.get(region.id);
    const where = {
      baseDomain: deps.baseDomain,
      origin: new URL(c.req.url).origin,
      smtpListener: listener,
      configuredSmtpEndpoint: deps.smtpEndpoints?.get(region.id),
    };
    const result = await attempt(() => getEmailConfiguration(region, c.var.caller, compartmentId, where));
    return c.html(
      <Page {...frame} notice={'error' in result ? { text: t.notFound, error: true } : undefined}>
        {'value' in result && (
          <table>
            <tbody>
              <tr>
                <th scope="row">{t.httpsEndpoint}</th>
                <td>
                  <code>{result.value.httpSubmitEndpoint}</code>
                </td>
              </tr>
              <tr>
                <th scope="row">{t.smtpEndpoint}</th>
                <td>
                  <code>{result.value.smtpSubmitEndpoint}</code>
                </td>
              </tr>
              <tr>
                <th scope="row">{t.smtpPorts}</th>
                <td>25, 587 (STARTTLS)</td>
              </tr>
              {listener && (
                <tr>
                  <th scope="row">{t.localPorts}</th>
                  <td>
                    {listener.host ?? '*'}:{listener.port}
                  </td>
                </tr>
              )}
            </tbody>
          </table>
        )}
        <p>{t.tlsRequired}</p>
      </Page>,
    );
  });
}
