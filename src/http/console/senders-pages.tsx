import { Hono } from 'hono';
import { emailAddressProblem } from '../../domain/email-address';
import type { Sender } from '../../domain/ports';
import { createSender } from '../../domain/senders/create';
import { deleteSender } from '../../domain/senders/delete';
import { getSenderSpf, type SenderSpfGuidance } from '../../domain/senders/get-spf';
import { listSenders } from '../../domain/senders/list';
import { spfRecordForEveryRegion, spfRecordToPublish } from '../../domain/spf/record-to-publish';
import { listOptions, nextPageToken } from '../paging';
import { field, formOf, type ConsoleEnv } from './console-env';
import { Dialog, Page, query, Table, type PageFrame } from './layout';
import type { Messages } from './messages';
import {
  attempt,
  DeleteForm,
  doneNotice,
  FormDialog,
  frameOf,
  listNotice,
  OpenDialogLink,
  Record,
  scopeOf,
  SearchForm,
  ScopeFields,
  TextField,
  time,
  type C,
  type ConsolePageDeps,
} from './page-parts';

const PAGE_SIZE = 25;
const MAX_SPF_SENDERS = 10;

const sorts = {
  'address-asc': { sortBy: 'EMAILADDRESS', sortOrder: 'ASC' },
  'address-desc': { sortBy: 'EMAILADDRESS', sortOrder: 'DESC' },
  newest: { sortBy: 'TIMECREATED', sortOrder: 'DESC' },
  oldest: { sortBy: 'TIMECREATED', sortOrder: 'ASC' },
} as const;
type SortName = keyof typeof sorts;

function SenderTable(props: { t: Messages; senders: Sender[]; frame: PageFrame }) {
  const { t, frame } = props;
  return (
    <Table
      empty={t.noSenders}
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
      <Page {...frame} notice={listNotice(t, result, notice)}>
        <div class="toolbar">
          <OpenDialogLink
            dialog="create-sender"
            href={`/console/senders?${query({ ...scope, create: '1' })}`}
            label={t.createApprovedSender}
          />
          <SearchForm t={t} action="/console/senders" frame={frame} search={search}>
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
          </SearchForm>
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
        <FormDialog
          t={t}
          id="create-sender"
          title={t.createApprovedSender}
          action="/console/senders"
          frame={frame}
          open={open}
          cancelHref={`/console/senders?${query(scope)}`}
          error={dialog?.error}
        >
          <TextField
            id="emailAddress"
            name="emailAddress"
            label={t.emailAddress}
            type="email"
            value={dialog?.address}
            autocomplete="email"
          />
        </FormDialog>
      </Page>,
    );
  };

  return new Hono<ConsoleEnv>()
    .get('/', (c) => list(c, doneNotice(c, { created: 'senderCreated', deleted: 'senderDeleted' })))
    .post('/', async (c) => {
      const form = await formOf(c);
      const { region, compartmentId } = await scopeOf(deps, c);
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
      const { region, compartmentId } = await scopeOf(deps, c);
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
