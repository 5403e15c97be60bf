import { Hono } from 'hono';
import { addUserToGroup } from '../../domain/identity/memberships/add';
import { listMemberships } from '../../domain/identity/memberships/list';
import { removeUserFromGroup } from '../../domain/identity/memberships/remove';
import { createGroup, getNamed, GROUPS, USERS } from '../../domain/identity/users-and-groups';
import { field, formOf, type ConsoleEnv } from './console-env';
import { Page, query, type PageFrame } from './layout';
import { Memberships, namedListPages, namesOf } from './named-identities';
import { attempt, doneNotice, detailOf, scopeOf, type C, type ConsolePageDeps } from './page-parts';

const MAX_MEMBERS = 100;

/** Groups of the tenancy and each group's members, through the identity verbs the API uses. */
export function groupsPages(deps: ConsolePageDeps) {
  const { identity, runtime } = deps;

  const detail = async (c: C, notice?: PageFrame['notice']) => {
    const t = c.var.t;
    const caller = c.var.caller;
    const {
      id: groupId,
      found: group,
      frame,
    } = await detailOf(deps, c, { title: t.groups, path: '/console/groups' }, (id) =>
      getNamed(GROUPS, identity, caller, id),
    );
    const [members, users] = await Promise.all([
      attempt(() =>
        listMemberships(
          identity,
          caller,
          caller.tenancyId,
          { groupId },
          { sortBy: 'TIMECREATED', sortOrder: 'ASC', limit: MAX_MEMBERS },
        ),
      ),
      namesOf(USERS, identity, caller),
    ]);
    const here = `/console/groups/${encodeURIComponent(groupId)}`;
    const missing = 'error' in group || 'error' in members;
    return c.html(
      <Page
        {...frame}
        notice={
          missing
            ? { text: t.notFound, error: true }
            : (notice ?? doneNotice(c, { 'member-added': 'memberAdded', 'member-removed': 'memberRemoved' }))
        }
      >
        {'value' in group && 'value' in members && (
          <section aria-labelledby="members-title">
            <p>{group.value.description}</p>
            <h2 id="members-title">{t.members}</h2>
            <Memberships
              t={t}
              frame={frame}
              memberships={members.value.items}
              other={{
                idOf: (membership) => membership.userId,
                path: '/console/users',
                field: 'userId',
                label: t.user,
              }}
              names={users}
              empty={t.noMembers}
              here={here}
              part="members"
            />
          </section>
        )}
      </Page>,
    );
  };

  const backToGroup = async (c: C, done: string) => {
    const { region } = await scopeOf(deps, c);
    const id = encodeURIComponent(c.req.param('id') ?? '');
    return c.redirect(`/console/groups/${id}?${query({ region: region.id, done })}`, 303);
  };

  return new Hono<ConsoleEnv>()
    .route(
      '/',
      namedListPages({
        deps,
        kind: GROUPS,
        path: '/console/groups',
        dialog: 'create-group',
        labels: { title: 'groups', create: 'createGroup', empty: 'noGroups', created: 'groupCreated' },
        create: (c, input) =>
          createGroup(runtime, identity, c.var.caller, { ...input, compartmentId: c.var.caller.tenancyId }),
      }),
    )
    .get('/:id', (c) => detail(c))
    .post('/:id/members', async (c) => {
      const userId = field(await formOf(c), 'userId') ?? '';
      const added = await attempt(() =>
        addUserToGroup(runtime, identity, c.var.caller, { userId, groupId: c.req.param('id') }),
      );
      if ('error' in added) return detail(c, { text: added.error.message, error: true });
      return backToGroup(c, 'member-added');
    })
    .post('/:id/members/:membershipId/remove', async (c) => {
      const removed = await attempt(() =>
        removeUserFromGroup(runtime, identity, c.var.caller, c.req.param('membershipId')),
      );
      if ('error' in removed) return detail(c, { text: removed.error.message, error: true });
      return backToGroup(c, 'member-removed');
    });
}
