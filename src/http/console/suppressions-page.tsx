import { Hono } from 'hono';
import { emailAddressProblem } from '../../domain/email-address';
import type { Suppression } from '../../domain/ports';
import { addSuppression } from '../../domain/suppressions/add';
import { deleteSuppression } from '../../domain/suppressions/delete';
import { listSuppressions } from '../../domain/suppressions/list';
import { listOptions } from '../paging';
import { field, formOf, type ConsoleEnv } from './console-env';
import { Page, query, Table, type PageFrame } from './layout';
import type { Messages } from './messages';
import {
  attempt,
  DeleteForm,
  doneNotice,
  FormDialog,
  frameOf,
  listNotice,
  OpenDialogLink,
  scopeOf,
  SearchForm,
  TextField,
  time,
  type C,
  type ConsolePageDeps,
} from './page-parts';

const PAGE_SIZE = 25;

function SuppressionTable(props: { t: Messages; suppressions: Suppression[]; frame: PageFrame }) {
  const { t, frame } = props;
  return (
    <Table
      empty={t.noSuppressions}
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
      <Page {...frame} notice={listNotice(t, result, notice)}>
        <div class="toolbar">
          <OpenDialogLink
            dialog="add-suppression"
            href={`/console/suppressions?${query({ ...scope, add: '1' })}`}
            label={t.addSuppression}
          />
          <SearchForm t={t} action="/console/suppressions" frame={frame} search={search} />
        </div>
        <SuppressionTable t={t} suppressions={'value' in result ? result.value.items : []} frame={frame} />
        <FormDialog
          t={t}
          id="add-suppression"
          title={t.addSuppression}
          action="/console/suppressions"
          frame={frame}
          open={open}
          cancelHref={`/console/suppressions?${query(scope)}`}
          error={dialog?.error}
          submitLabel={t.addSuppression}
        >
          <TextField
            id="suppressed"
            name="emailAddress"
            label={t.emailAddress}
            type="email"
            value={dialog?.address}
          />
        </FormDialog>
      </Page>,
    );
  };

  return new Hono<ConsoleEnv>()
    .get('/', (c) => list(c, doneNotice(c, { added: 'suppressionAdded', deleted: 'suppressionDeleted' })))
    .post('/', async (c) => {
      const form = await formOf(c);
      const { region } = await scopeOf(deps, c);
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
      const { region } = await scopeOf(deps, c);
      const deleted = await attempt(() =>
        deleteSuppression(deps.runtime, region, c.var.caller, c.req.param('id')),
      );
      if ('error' in deleted) return list(c, { text: deleted.error.message, error: true });
      return c.redirect(`/console/suppressions?${query({ region: region.id, done: 'deleted' })}`, 303);
    });
}
