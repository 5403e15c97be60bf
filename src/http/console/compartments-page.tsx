import { Hono } from 'hono';
import { createCompartment } from '../../domain/identity/compartments/create';
import { field, formOf, type ConsoleEnv } from './console-env';
import { Page, query, Table } from './layout';
import {
  attempt,
  doneNotice,
  FormDialog,
  frameOf,
  listNotice,
  namedInput,
  NameFields,
  OpenDialogLink,
  scopeOf,
  time,
  visibleCompartments,
  type C,
  type ConsolePageDeps,
} from './page-parts';

/** Every compartment below the tenancy, and the dialog that creates one under any of them. */
export function compartmentsPage(deps: ConsolePageDeps) {
  const list = async (
    c: C,
    refused?: { name: string; description: string; parent: string; error: string },
  ) => {
    const t = c.var.t;
    const { region, compartmentId } = await scopeOf(deps, c);
    const caller = c.var.caller;
    const result = await visibleCompartments(deps, caller);
    const frame = await frameOf(
      deps,
      c,
      t.compartments,
      '/console/compartments',
      region.id,
      compartmentId,
      result,
    );
    const names = new Map(frame.compartments.map((compartment) => [compartment.id, compartment.name]));
    const scope = { region: region.id, compartment: compartmentId };
    const compartments = 'value' in result ? result.value.items : [];
    const parent = refused?.parent ?? compartmentId;
    return c.html(
      <Page {...frame} notice={listNotice(t, result, doneNotice(c, { created: 'compartmentCreated' }))}>
        <div class="toolbar">
          <OpenDialogLink
            dialog="create-compartment"
            href={`/console/compartments?${query({ ...scope, create: '1' })}`}
            label={t.createCompartment}
          />
        </div>
        <Table
          empty={t.noCompartments}
          headers={[t.name, t.description, t.parentCompartment, t.created]}
          rows={compartments.map((compartment) => [
            <a href={`/console/senders?${query({ region: region.id, compartment: compartment.id })}`}>
              {compartment.name}
            </a>,
            compartment.description,
            names.get(compartment.parentId) ?? compartment.parentId,
            time(compartment.timeCreated),
          ])}
        />
        <FormDialog
          t={t}
          id="create-compartment"
          title={t.createCompartment}
          action="/console/compartments"
          frame={frame}
          open={refused !== undefined || c.req.query('create') === '1'}
          cancelHref={`/console/compartments?${query(scope)}`}
          error={refused?.error}
        >
          <NameFields t={t} prefix="compartment" name={refused?.name} description={refused?.description} />
          <div class="field">
            <label for="compartment-parent">{t.parentCompartment}</label>
            <select id="compartment-parent" name="parentId">
              {frame.compartments.map((compartment) => (
                <option value={compartment.id} selected={compartment.id === parent}>
                  {compartment.name}
                </option>
              ))}
            </select>
          </div>
        </FormDialog>
      </Page>,
    );
  };

  return new Hono<ConsoleEnv>()
    .get('/', (c) => list(c))
    .post('/', async (c) => {
      const form = await formOf(c);
      const { region, compartmentId } = await scopeOf(deps, c);
      const input = namedInput(form);
      const parent = field(form, 'parentId') ?? c.var.caller.tenancyId;
      const created = await attempt(() =>
        createCompartment(deps.runtime, deps.identity, c.var.caller, { ...input, compartmentId: parent }),
      );
      if ('error' in created) return list(c, { ...input, parent, error: created.error.message });
      return c.redirect(
        `/console/compartments?${query({ region: region.id, compartment: compartmentId, done: 'created' })}`,
        303,
      );
    });
}
