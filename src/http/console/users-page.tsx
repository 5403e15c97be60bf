import { Hono, type Context } from 'hono';
import { createSmtpCredential } from '../../domain/identity/smtp-credentials/create';
import {
  deleteSmtpCredential,
  listSmtpCredentials,
} from '../../domain/identity/smtp-credentials/list-update-delete';
import { createUser, getNamed, listNamed, USERS } from '../../domain/identity/users-and-groups';
import { field, formOf, type ConsoleEnv } from './console-env';
import { Dialog, Page, query, Table } from './layout';
import type { Messages } from './messages';
import { attempt, CsrfField, frameOf, Record, scopeOf, time, type ConsolePageDeps } from './pages';

const PAGE_SIZE = 50;
const MAX_NAME = 100;
const MAX_DESCRIPTION = 400;

function OncePassword(props: { t: Messages; username: string; password: string }) {
  const { t } = props;
  return (
    <section class="notice" role="status" aria-labelledby="new-credential">
      <h2 id="new-credential">{t.generateSmtpCredentials}</h2>
      <p>{t.passwordShownOnce}</p>
      <Record t={t} id="new-username" label={t.smtpUsername} value={props.username} />
      <Record t={t} id="new-password" label={t.smtpPassword} value={props.password} />
    </section>
  );
}

/** Users of the tenancy and each user's SMTP credentials, through the identity verbs the API uses. */
export function usersPages(deps: ConsolePageDeps) {
  const { identity, runtime } = deps;

  const list = async (c: Context<ConsoleEnv>, dialog?: { name: string; error: string }) => {
    const t = c.var.t;
    const { region, compartmentId } = await scopeOf(deps, c);
    const tenancy = c.var.caller.tenancyId;
    const frame = await frameOf(deps, c, t.users, '/console/users', region.id, compartmentId);
    const result = await attempt(() =>
      listNamed(
        USERS,
        identity,
        c.var.caller,
        tenancy,
        {},
        { sortBy: 'NAME', sortOrder: 'ASC', limit: PAGE_SIZE },
      ),
    );
    const scope = { region: region.id, compartment: compartmentId };
    const users = 'value' in result ? result.value.items : [];
    return c.html(
      <Page
        {...frame}
        notice={
          'error' in result
            ? { text: t.notFound, error: true }
            : c.req.query('done')
              ? { text: t.userCreated }
              : undefined
        }
      >
        <div class="toolbar">
          <a
            class="button primary"
            href={`/console/users?${query({ ...scope, create: '1' })}`}
            data-open-dialog="create-user"
          >
            {t.createUser}
          </a>
        </div>
        {users.length === 0 ? (
          <p>{t.noUsers}</p>
        ) : (
          <Table
            headers={[t.name, t.description, t.created]}
            rows={users.map((user) => [
              <a href={`/console/users/${user.id}?${query(scope)}`}>{user.name}</a>,
              user.description,
              time(user.timeCreated),
            ])}
          />
        )}
        <Dialog
          id="create-user"
          title={t.createUser}
          open={dialog !== undefined || c.req.query('create') === '1'}
        >
          {dialog && (
            <p class="notice error" role="alert">
              {dialog.error}
            </p>
          )}
          <form method="post" action={`/console/users?${query(scope)}`}>
            <CsrfField csrf={frame.csrf} />
            <div class="field">
              <label for="user-name">{t.name}</label>
              <input
                id="user-name"
                name="name"
                type="text"
                required
                maxlength={MAX_NAME}
                value={dialog?.name ?? ''}
              />
            </div>
            <div class="field">
              <label for="user-description">{t.description}</label>
              <input
                id="user-description"
                name="description"
                type="text"
                required
                maxlength={MAX_DESCRIPTION}
              />
            </div>
            <div class="dialog-actions">
              <a class="button" href={`/console/users?${query(scope)}`} data-close-dialog="">
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

  const detail = async (
    c: Context<ConsoleEnv>,
    shown?: { username: string; password: string },
    notice?: { text: string; error?: boolean },
  ) => {
    const t = c.var.t;
    const { region, compartmentId } = await scopeOf(deps, c);
    const userId = c.req.param('id') ?? '';
    const user = await attempt(() => getNamed(USERS, identity, c.var.caller, userId));
    const frame = await frameOf(
      deps,
      c,
      'value' in user ? user.value.name : t.users,
      '/console/users',
      region.id,
      compartmentId,
    );
    const credentials = await attempt(() => listSmtpCredentials(identity, c.var.caller, userId));
    const scope = { region: region.id, compartment: compartmentId };
    const missing = 'error' in user && 'error' in credentials;
    return c.html(
      <Page {...frame} notice={missing ? { text: t.notFound, error: true } : notice}>
        {shown && <OncePassword t={t} username={shown.username} password={shown.password} />}
        {'value' in credentials && (
          <section aria-labelledby="smtp-title">
            <h2 id="smtp-title">{t.smtpCredentials}</h2>
            <p class="hint">{t.smtpLimit}</p>
            {credentials.value.length === 0 ? (
              <p>{t.noCredentials}</p>
            ) : (
              <Table
                headers={[t.smtpUsername, t.description, t.created, t.actions]}
                rows={credentials.value.map((credential) => [
                  credential.username,
                  credential.description,
                  time(credential.timeCreated),
                  <form
                    method="post"
                    action={`/console/users/${userId}/smtp-credentials/${credential.id}/delete?${query(scope)}`}
                    class="inline"
                  >
                    <CsrfField csrf={frame.csrf} />
                    <button type="submit" class="danger" aria-label={`${t.delete} ${credential.username}`}>
                      {t.delete}
                    </button>
                  </form>,
                ])}
              />
            )}
            <form
              method="post"
              action={`/console/users/${userId}/smtp-credentials?${query(scope)}`}
              class="toolbar"
            >
              <CsrfField csrf={frame.csrf} />
              <div>
                <label for="credential-description">{t.description}</label>
                <input
                  id="credential-description"
                  name="description"
                  type="text"
                  required
                  maxlength={MAX_DESCRIPTION}
                />
              </div>
              <button type="submit" class="primary">
                {t.generateSmtpCredentials}
              </button>
            </form>
          </section>
        )}
      </Page>,
    );
  };

  return new Hono<ConsoleEnv>()
    .get('/', (c) => list(c))
    .post('/', async (c) => {
      const form = await formOf(c);
      const name = (field(form, 'name') ?? '').trim().slice(0, MAX_NAME);
      const description = (field(form, 'description') ?? '').slice(0, MAX_DESCRIPTION);
      const tenancy = c.var.caller.tenancyId;
      const created = await attempt(() =>
        createUser(runtime, identity, c.var.caller, { compartmentId: tenancy, name, description }),
      );
      if ('error' in created) return list(c, { name, error: created.error.message });
      const { region } = await scopeOf(deps, c);
      return c.redirect(`/console/users?${query({ region: region.id, done: 'created' })}`, 303);
    })
    .get('/:id', (c) => detail(c))
    .post('/:id/smtp-credentials', async (c) => {
      const form = await formOf(c);
      const description = (field(form, 'description') ?? '').slice(0, MAX_DESCRIPTION);
      const made = await attempt(() =>
        createSmtpCredential(runtime, identity, c.var.caller, c.req.param('id'), description),
      );
      if ('error' in made) return detail(c, undefined, { text: made.error.message, error: true });
      return detail(c, { username: made.value.credential.username, password: made.value.password });
    })
    .post('/:id/smtp-credentials/:credentialId/delete', async (c) => {
      const removed = await attempt(() =>
        deleteSmtpCredential(
          runtime,
          identity,
          c.var.caller,
          c.req.param('id'),
          c.req.param('credentialId'),
          undefined,
        ),
      );
      return detail(
        c,
        undefined,
        'error' in removed
          ? { text: removed.error.message, error: true }
          : { text: c.var.t.credentialDeleted },
      );
    });
}
