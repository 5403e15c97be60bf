import { Hono } from 'hono';
import type { Caller } from '../../domain/ports';
import type { IdentityStore, Membership, NamedIdentity } from '../../domain/identity/ports';
import { listNamed, type NamedKind } from '../../domain/identity/users-and-groups';
import { formOf, type ConsoleEnv } from './console-env';
import { Page, query, Table, type PageFrame } from './layout';
import type { MessageKey, Messages } from './messages';
import {
  attempt,
  CsrfField,
  DeleteForm,
  doneNotice,
  FormDialog,
  frameOf,
  listNotice,
  namedInput,
  NameFields,
  OpenDialogLink,
  scopeOf,
  ScopeFields,
  time,
  type C,
  type ConsolePageDeps,
} from './page-parts';

const PAGE_SIZE = 100;
const MAX_NAMES = 1_000;

/** The names of the users or groups the caller may see, by id (empty when they may see none). */
export async function namesOf<T extends NamedIdentity>(
  kind: NamedKind<T>,
  identity: IdentityStore,
  caller: Caller,
): Promise<Map<string, string>> {
  const page = await attempt(() =>
    listNamed(
      kind,
      identity,
      caller,
      caller.tenancyId,
      {},
      { sortBy: 'NAME', sortOrder: 'ASC', limit: MAX_NAMES },
    ),
  );
  return new Map('value' in page ? page.value.items.map((item) => [item.id, item.name]) : []);
}

/**
 * The list of a tenancy's users or groups, each linking to its own page, with the dialog that creates one
 * (rendered open again with the refusal when the domain says no).
 */
export function namedListPages<T extends NamedIdentity>(options: {
  deps: ConsolePageDeps;
  kind: NamedKind<T>;
  path: string;
  dialog: string;
  labels: { title: MessageKey; create: MessageKey; empty: MessageKey; created: MessageKey };
  create(c: C, input: { name: string; description: string }): Promise<unknown>;
}) {
  const { deps, kind, path, dialog, labels } = options;

  const list = async (c: C, refused?: { name: string; description: string; error: string }) => {
    const t = c.var.t;
    const { region, compartmentId } = await scopeOf(deps, c);
    const caller = c.var.caller;
    const frame = await frameOf(deps, c, t[labels.title], path, region.id, compartmentId);
    const result = await attempt(() =>
      listNamed(
        kind,
        deps.identity,
        caller,
        caller.tenancyId,
        {},
        {
          sortBy: 'NAME',
          sortOrder: 'ASC',
          limit: PAGE_SIZE,
        },
      ),
    );
    const scope = { region: region.id, compartment: compartmentId };
    const items = 'value' in result ? result.value.items : [];
    return c.html(
      <Page {...frame} notice={listNotice(t, result, doneNotice(c, { created: labels.created }))}>
        <div class="toolbar">
          <OpenDialogLink
            dialog={dialog}
            href={`${path}?${query({ ...scope, create: '1' })}`}
            label={t[labels.create]}
          />
        </div>
        <Table
          empty={t[labels.empty]}
          headers={[t.name, t.description, t.created]}
          rows={items.map((item) => [
            <a href={`${path}/${item.id}?${query(scope)}`}>{item.name}</a>,
            item.description,
            time(item.timeCreated),
          ])}
        />
        <FormDialog
          t={t}
          id={dialog}
          title={t[labels.create]}
          action={path}
          frame={frame}
          open={refused !== undefined || c.req.query('create') === '1'}
          cancelHref={`${path}?${query(scope)}`}
          error={refused?.error}
        >
          <NameFields t={t} prefix={dialog} name={refused?.name} description={refused?.description} />
        </FormDialog>
      </Page>,
    );
  };

  return new Hono<ConsoleEnv>()
    .get('/', (c) => list(c))
    .post('/', async (c) => {
      const form = await formOf(c);
      const input = namedInput(form);
      const created = await attempt(() => options.create(c, input));
      if ('error' in created) return list(c, { ...input, error: created.error.message });
      const { region, compartmentId } = await scopeOf(deps, c);
      return c.redirect(
        `${path}?${query({ region: region.id, compartment: compartmentId, done: 'created' })}`,
        303,
      );
    });
}

/**
 * One side of group membership: a user's groups or a group's members, each linking to its page with a remove
 * button, and the form that adds one more.
 */
export function Memberships(props: {
  t: Messages;
  frame: PageFrame;
  memberships: Membership[];
  /** The other side of each membership: its id, the page it links to, and the add form's field. */
  other: { idOf(membership: Membership): string; path: string; field: 'groupId' | 'userId'; label: string };
  names: Map<string, string>;
  empty: string;
  /** Where the rows' remove buttons and the add form post, below the page's own path. */
  here: string;
  part: 'groups' | 'members';
}) {
  const { t, frame, other } = props;
  const selectId = `add-${other.field}`;
  return (
    <>
      <Table
        empty={props.empty}
        headers={[other.label, t.created, t.actions]}
        rows={props.memberships.map((membership) => {
          const id = other.idOf(membership);
          const name = props.names.get(id) ?? id;
          return [
            <a href={`${other.path}/${id}?${query({ region: frame.region })}`}>{name}</a>,
            time(membership.timeCreated),
            <DeleteForm
              t={t}
              frame={frame}
              action={`${props.here}/${props.part}/${membership.id}/remove`}
              label={name}
              verb={t.remove}
            />,
          ];
        })}
      />
      <form method="post" action={`${props.here}/${props.part}`} class="toolbar">
        <CsrfField csrf={frame.csrf} />
        <ScopeFields region={frame.region} compartmentId={frame.compartmentId} />
        <div>
          <label for={selectId}>{other.label}</label>
          <select id={selectId} name={other.field} required>
            {[...props.names].map(([id, name]) => (
              <option value={id}>{name}</option>
            ))}
          </select>
        </div>
        <button type="submit" class="primary">
          {t.addToGroup}
        </button>
      </form>
    </>
  );
}
