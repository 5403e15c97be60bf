import { Hono } from 'hono';
import { MAX_PUBLIC_KEY_PEM } from '../../crypto/rsa-keys';
import { deleteApiKey, listApiKeys, uploadApiKey } from '../../domain/identity/api-keys';
import { addUserToGroup } from '../../domain/identity/memberships/add';
import { listMemberships } from '../../domain/identity/memberships/list';
import { removeUserFromGroup } from '../../domain/identity/memberships/remove';
import { createSmtpCredential } from '../../domain/identity/smtp-credentials/create';
import {
  deleteSmtpCredential,
  listSmtpCredentials,
} from '../../domain/identity/smtp-credentials/list-update-delete';
import { createOrResetUiPassword } from '../../domain/identity/ui-password';
import { createUser, getNamed, GROUPS, USERS } from '../../domain/identity/users-and-groups';
import { field, formOf, type ConsoleEnv } from './console-env';
import { Page, query, Table, type PageFrame } from './layout';
import { Memberships, namedListPages, namesOf } from './named-identities';
import type { Messages } from './messages';
import {
  attempt,
  CsrfField,
  DeleteForm,
  doneNotice,
  detailOf,
  MAX_DESCRIPTION,
  Record,
  scopeOf,
  ScopeFields,
  time,
  type C,
  type ConsolePageDeps,
} from './page-parts';

const MAX_MEMBERSHIPS = 100;

/** A secret shown once, right after it was made: an SMTP credential or a console password. */
type ShownOnce = { kind: 'smtp'; username: string; password: string } | { kind: 'console'; password: string };

function OncePassword(props: { t: Messages; shown: ShownOnce }) {
  const { t, shown } = props;
  return (
    <section class="notice" role="status" aria-labelledby="new-secret">
      <h2 id="new-secret">{shown.kind === 'smtp' ? t.generateSmtpCredentials : t.consolePassword}</h2>
      <p>{shown.kind === 'smtp' ? t.passwordShownOnce : t.consolePasswordShown}</p>
      {shown.kind === 'smtp' && (
        <Record t={t} id="new-username" label={t.smtpUsername} value={shown.username} />
      )}
      <Record t={t} id="new-password" label={t.password} value={shown.password} />
    </section>
  );
}

/** A section's one-field form: a labelled input (or text area) and its button. */
function SectionForm(props: {
  frame: PageFrame;
  action: string;
  id: string;
  name: string;
  label: string;
  button: string;
  hint?: string;
  input: 'text' | 'textarea';
}) {
  return (
    <form method="post" action={props.action} class="toolbar">
      <CsrfField csrf={props.frame.csrf} />
      <ScopeFields region={props.frame.region} compartmentId={props.frame.compartmentId} />
      <div>
        <label for={props.id}>{props.label}</label>
        {props.input === 'text' ? (
          <input id={props.id} name={props.name} type="text" required maxlength={MAX_DESCRIPTION} />
        ) : (
          <textarea
            id={props.id}
            name={props.name}
            required
            rows={6}
            cols={64}
            aria-describedby={props.hint ? `${props.id}-hint` : undefined}
          />
        )}
        {props.hint && (
          <p class="hint" id={`${props.id}-hint`}>
            {props.hint}
          </p>
        )}
      </div>
      <button type="submit" class="primary">
        {props.button}
      </button>
    </form>
  );
}

/** Users of the tenancy, and each user's groups, API keys, console password and SMTP credentials. */
export function usersPages(deps: ConsolePageDeps) {
  const { identity, runtime } = deps;

  const detail = async (c: C, shown?: ShownOnce, notice?: PageFrame['notice']) => {
    const t = c.var.t;
    const caller = c.var.caller;
    const {
      id: userId,
      found: user,
      frame,
      region,
      compartmentId,
    } = await detailOf(deps, c, { title: t.users, path: '/console/users' }, (id) =>
      getNamed(USERS, identity, caller, id),
    );
    const [memberships, groups, keys, credentials] = await Promise.all([
      attempt(() =>
        listMemberships(
          identity,
          caller,
          caller.tenancyId,
          { userId },
          { sortBy: 'TIMECREATED', sortOrder: 'ASC', limit: MAX_MEMBERSHIPS },
        ),
      ),
      namesOf(GROUPS, identity, caller),
      attempt(() => listApiKeys(identity, caller, userId)),
      attempt(() => listSmtpCredentials(identity, caller, userId)),
    ]);
    const here = `/console/users/${encodeURIComponent(userId)}`;
    const missing = 'error' in user && 'error' in credentials;
    const shownNotice =
      notice ??
      doneNotice(c, {
        'member-added': 'memberAdded',
        'member-removed': 'memberRemoved',
        'key-added': 'apiKeyAdded',
        'key-deleted': 'apiKeyDeleted',
      });
    return c.html(
      <Page {...frame} notice={missing ? { text: t.notFound, error: true } : shownNotice}>
        {shown && <OncePassword t={t} shown={shown} />}
        {'value' in user && (
          <section aria-labelledby="password-title">
            <h2 id="password-title">{t.consolePassword}</h2>
            <form method="post" action={`${here}/ui-password`} class="toolbar">
              <CsrfField csrf={frame.csrf} />
              <ScopeFields region={region.id} compartmentId={compartmentId} />
              <button type="submit">{t.resetPassword}</button>
            </form>
          </section>
        )}
        {'value' in memberships && (
          <section aria-labelledby="groups-title">
            <h2 id="groups-title">{t.groups}</h2>
            <Memberships
              t={t}
              frame={frame}
              memberships={memberships.value.items}
              other={{
                idOf: (membership) => membership.groupId,
                path: '/console/groups',
                field: 'groupId',
                label: t.group,
              }}
              names={groups}
              empty={t.notInGroups}
              here={here}
              part="groups"
            />
          </section>
        )}
        {'value' in keys && (
          <section aria-labelledby="keys-title">
            <h2 id="keys-title">{t.apiKeys}</h2>
            <Table
              empty={t.noApiKeys}
              headers={[t.fingerprint, t.created, t.actions]}
              rows={keys.value.map((key) => [
                <code>{key.fingerprint}</code>,
                time(key.timeCreated),
                <DeleteForm
                  t={t}
                  frame={frame}
                  action={`${here}/api-keys/${encodeURIComponent(key.fingerprint)}/delete`}
                  label={key.fingerprint}
                />,
              ])}
            />
            <SectionForm
              frame={frame}
              action={`${here}/api-keys`}
              id="api-key"
              name="key"
              label={t.publicKeyPem}
              hint={t.publicKeyHint}
              button={t.addApiKey}
              input="textarea"
            />
          </section>
        )}
        {'value' in credentials && (
          <section aria-labelledby="smtp-title">
            <h2 id="smtp-title">{t.smtpCredentials}</h2>
            <p class="hint">{t.smtpLimit}</p>
            <Table
              empty={t.noCredentials}
              headers={[t.smtpUsername, t.description, t.created, t.actions]}
              rows={credentials.value.map((credential) => [
                credential.username,
                credential.description,
                time(credential.timeCreated),
                <DeleteForm
                  t={t}
                  frame={frame}
                  action={`${here}/smtp-credentials/${credential.id}/delete`}
                  label={credential.username}
                />,
              ])}
            />
            <SectionForm
              frame={frame}
              action={`${here}/smtp-credentials`}
              id="credential-description"
              name="description"
              label={t.description}
              button={t.generateSmtpCredentials}
              input="text"
            />
          </section>
        )}
      </Page>,
    );
  };

  /** After a change that shows nothing secret: back to the user's page, so a reload does not post again. */
  const backToUser = async (c: C, done: string) => {
    const { region } = await scopeOf(deps, c);
    const id = encodeURIComponent(c.req.param('id') ?? '');
    return c.redirect(`/console/users/${id}?${query({ region: region.id, done })}`, 303);
  };
  const failed = (c: C, error: Error) => detail(c, undefined, { text: error.message, error: true });

  return new Hono<ConsoleEnv>()
    .route(
      '/',
      namedListPages({
        deps,
        kind: USERS,
        path: '/console/users',
        dialog: 'create-user',
        labels: { title: 'users', create: 'createUser', empty: 'noUsers', created: 'userCreated' },
        create: (c, input) =>
          createUser(runtime, identity, c.var.caller, { ...input, compartmentId: c.var.caller.tenancyId }),
      }),
    )
    .get('/:id', (c) => detail(c))
    .post('/:id/ui-password', async (c) => {
      const reset = await attempt(() =>
        createOrResetUiPassword(runtime, identity, c.var.caller, c.req.param('id')),
      );
      if ('error' in reset) return failed(c, reset.error);
      return detail(c, { kind: 'console', password: reset.value.password });
    })
    .post('/:id/groups', async (c) => {
      const groupId = field(await formOf(c), 'groupId') ?? '';
      const added = await attempt(() =>
        addUserToGroup(runtime, identity, c.var.caller, { userId: c.req.param('id'), groupId }),
      );
      return 'error' in added ? failed(c, added.error) : backToUser(c, 'member-added');
    })
    .post('/:id/groups/:membershipId/remove', async (c) => {
      const removed = await attempt(() =>
        removeUserFromGroup(runtime, identity, c.var.caller, c.req.param('membershipId')),
      );
      return 'error' in removed ? failed(c, removed.error) : backToUser(c, 'member-removed');
    })
    .post('/:id/api-keys', async (c) => {
      const pem = (field(await formOf(c), 'key') ?? '').slice(0, MAX_PUBLIC_KEY_PEM);
      const added = await attempt(() =>
        uploadApiKey(runtime, identity, c.var.caller, c.req.param('id'), pem),
      );
      return 'error' in added ? failed(c, added.error) : backToUser(c, 'key-added');
    })
    .post('/:id/api-keys/:fingerprint/delete', async (c) => {
      const deleted = await attempt(() =>
        deleteApiKey(runtime, identity, c.var.caller, c.req.param('id'), c.req.param('fingerprint')),
      );
      return 'error' in deleted ? failed(c, deleted.error) : backToUser(c, 'key-deleted');
    })
    .post('/:id/smtp-credentials', async (c) => {
      const description = (field(await formOf(c), 'description') ?? '').slice(0, MAX_DESCRIPTION);
      const made = await attempt(() =>
        createSmtpCredential(runtime, identity, c.var.caller, c.req.param('id'), description),
      );
      if ('error' in made) return failed(c, made.error);
      return detail(c, {
        kind: 'smtp',
        username: made.value.credential.username,
        password: made.value.password,
      });
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
