import { Hono } from 'hono';
import { DomainError } from '../../domain/errors';
import { createPolicy } from '../../domain/identity/policies/create';
import { deletePolicy } from '../../domain/identity/policies/delete';
import { getPolicy } from '../../domain/identity/policies/get';
import { listPolicies } from '../../domain/identity/policies/list';
import { StatementRefused } from '../../domain/identity/policies/resolve-grants';
import { updatePolicy } from '../../domain/identity/policies/update';
import { field, formOf, type ConsoleEnv, type Form } from './console-env';
import { Page, query, Table, type PageFrame } from './layout';
import { fill, type Messages } from './messages';
import {
  attempt,
  CsrfField,
  DeleteForm,
  doneNotice,
  FormDialog,
  detailOf,
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

/** The statements of a text area, one per non-blank line, remembering where each stood for error messages. */
export function statementsOf(text: string) {
  const statements: string[] = [];
  const places: { line: number; indent: number; text: string }[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = raw.replace(/\r$/, '');
    const statement = line.trim();
    if (statement === '') return;
    statements.push(statement);
    places.push({ line: index + 1, indent: line.length - line.trimStart().length, text: line });
  });
  return { statements, places };
}

/** Why statements were refused: at a line and column of the text area when the parser says where. */
export interface StatementProblem {
  message: string;
  line?: number;
  column?: number;
  text?: string;
}

function problemOf(t: Messages, error: DomainError, text: string): StatementProblem {
  if (!(error instanceof StatementRefused)) return { message: error.message };
  const place = statementsOf(text).places[error.index];
  if (!place) return { message: error.message };
  const column = place.indent + error.column;
  return {
    message: fill(t.statementError, {
      line: String(place.line),
      column: String(column),
      reason: error.reason,
    }),
    line: place.line,
    column,
    text: place.text,
  };
}

/** The statements' text area; a refusal is shown under it, the wrong line quoted with a mark at the column. */
function StatementsField(props: {
  t: Messages;
  id: string;
  value: string;
  problem?: StatementProblem | undefined;
}) {
  const { t, problem } = props;
  const described = [`${props.id}-hint`, problem ? `${props.id}-error` : ''].filter(Boolean).join(' ');
  return (
    <div class="field">
      <label for={props.id}>{t.statements}</label>
      <textarea
        id={props.id}
        name="statements"
        required
        rows={8}
        cols={80}
        spellcheck={false}
        aria-describedby={described}
        aria-invalid={problem ? 'true' : undefined}
        data-error-line={problem?.line}
        data-error-column={problem?.column}
      >
        {props.value}
      </textarea>
      <p class="hint" id={`${props.id}-hint`}>
        {t.statementsHint}
      </p>
      {problem && (
        <div class="notice error" id={`${props.id}-error`} role="alert">
          <p>{problem.message}</p>
          {problem.text !== undefined && problem.column !== undefined && (
            <pre class="statement-mark">
              {problem.text}
              {'\n'}
              {' '.repeat(problem.column - 1)}^
            </pre>
          )}
        </div>
      )}
    </div>
  );
}

/** A compartment's policies: list, create, delete, and each policy's statements edited in place. */
export function policiesPages(deps: ConsolePageDeps) {
  const { identity, runtime } = deps;

  const list = async (
    c: C,
    refused?: { name: string; description: string; statements: string; problem: StatementProblem },
    notice?: PageFrame['notice'],
  ) => {
    const t = c.var.t;
    const { region, compartmentId } = await scopeOf(deps, c);
    const frame = await frameOf(deps, c, t.policies, '/console/policies', region.id, compartmentId);
    const result = await attempt(() =>
      listPolicies(
        identity,
        c.var.caller,
        { compartmentId },
        { sortBy: 'NAME', sortOrder: 'ASC', limit: PAGE_SIZE },
      ),
    );
    const scope = { region: region.id, compartment: compartmentId };
    const policies = 'value' in result ? result.value.items : [];
    return c.html(
      <Page
        {...frame}
        notice={listNotice(
          t,
          result,
          notice ?? doneNotice(c, { created: 'policyCreated', deleted: 'policyDeleted' }),
        )}
      >
        <div class="toolbar">
          <OpenDialogLink
            dialog="create-policy"
            href={`/console/policies?${query({ ...scope, create: '1' })}`}
            label={t.createPolicy}
          />
        </div>
        <Table
          empty={t.noPolicies}
          headers={[t.name, t.description, t.statements, t.created, t.actions]}
          rows={policies.map((policy) => [
            <a href={`/console/policies/${policy.id}?${query(scope)}`}>{policy.name}</a>,
            policy.description,
            policy.statements.length,
            time(policy.timeCreated),
            <DeleteForm
              t={t}
              frame={frame}
              action={`/console/policies/${policy.id}/delete`}
              label={policy.name}
            />,
          ])}
        />
        <FormDialog
          t={t}
          id="create-policy"
          title={t.createPolicy}
          action="/console/policies"
          frame={frame}
          open={refused !== undefined || c.req.query('create') === '1'}
          cancelHref={`/console/policies?${query(scope)}`}
          error={refused && refused.problem.line === undefined ? refused.problem.message : undefined}
        >
          <NameFields t={t} prefix="policy" name={refused?.name} description={refused?.description} />
          <StatementsField
            t={t}
            id="policy-statements"
            value={refused?.statements ?? ''}
            problem={refused?.problem.line === undefined ? undefined : refused.problem}
          />
        </FormDialog>
      </Page>,
    );
  };

  const detail = async (c: C, edit?: { statements: string; problem?: StatementProblem }) => {
    const t = c.var.t;
    const {
      id: policyId,
      found: policy,
      frame,
      region,
      compartmentId,
    } = await detailOf(deps, c, { title: t.policies, path: '/console/policies' }, (id) =>
      getPolicy(identity, c.var.caller, id),
    );
    const notice: PageFrame['notice'] =
      'error' in policy
        ? { text: t.notFound, error: true }
        : edit?.problem && edit.problem.line === undefined
          ? { text: edit.problem.message, error: true }
          : doneNotice(c, { saved: 'policySaved' });
    return c.html(
      <Page {...frame} notice={notice}>
        {'value' in policy && (
          <>
            <p>{policy.value.description}</p>
            <form method="post" action={`/console/policies/${encodeURIComponent(policyId)}`}>
              <CsrfField csrf={frame.csrf} />
              <ScopeFields region={region.id} compartmentId={compartmentId} />
              <StatementsField
                t={t}
                id="statements"
                value={edit?.statements ?? policy.value.statements.join('\n')}
                problem={edit?.problem?.line === undefined ? undefined : edit.problem}
              />
              <button type="submit" class="primary">
                {t.save}
              </button>
            </form>
          </>
        )}
      </Page>,
    );
  };

  const statementsField = (form: Form) => field(form, 'statements') ?? '';

  return new Hono<ConsoleEnv>()
    .get('/', (c) => list(c))
    .post('/', async (c) => {
      const form = await formOf(c);
      const { region, compartmentId } = await scopeOf(deps, c);
      const input = namedInput(form);
      const text = statementsField(form);
      const created = await attempt(() =>
        createPolicy(runtime, identity, c.var.caller, {
          ...input,
          compartmentId,
          statements: statementsOf(text).statements,
        }),
      );
      if ('error' in created) {
        return list(c, { ...input, statements: text, problem: problemOf(c.var.t, created.error, text) });
      }
      return c.redirect(
        `/console/policies?${query({ region: region.id, compartment: compartmentId, done: 'created' })}`,
        303,
      );
    })
    .get('/:id', (c) => detail(c))
    .post('/:id', async (c) => {
      const form = await formOf(c);
      const { region, compartmentId } = await scopeOf(deps, c);
      const text = statementsField(form);
      const id = c.req.param('id');
      const saved = await attempt(() =>
        updatePolicy(
          runtime,
          identity,
          c.var.caller,
          id,
          { statements: statementsOf(text).statements },
          undefined,
        ),
      );
      if ('error' in saved)
        return detail(c, { statements: text, problem: problemOf(c.var.t, saved.error, text) });
      const back = query({ region: region.id, compartment: compartmentId, done: 'saved' });
      return c.redirect(`/console/policies/${encodeURIComponent(id)}?${back}`, 303);
    })
    .post('/:id/delete', async (c) => {
      const { region, compartmentId } = await scopeOf(deps, c);
      const deleted = await attempt(() =>
        deletePolicy(runtime, identity, c.var.caller, c.req.param('id'), undefined),
      );
      if ('error' in deleted) return list(c, undefined, { text: deleted.error.message, error: true });
      return c.redirect(
        `/console/policies?${query({ region: region.id, compartment: compartmentId, done: 'deleted' })}`,
        303,
      );
    });
}
