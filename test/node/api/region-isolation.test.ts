import { afterEach, beforeEach, expect, it } from 'vitest';
import { CONTROL, createSender, createSuppression, expectOciError, json } from '../../support/api';
import { createWorld, IAD, PHX, TENANCY, type World } from '../../support/world';

let world: World;
beforeEach(() => {
  world = createWorld();
});
afterEach(() => world.close());

it('keeps a sender approved in Phoenix invisible in Ashburn', async () => {
  const sender = await createSender(world, 'noreply@example.com', PHX);
  await expectOciError(
    await world.request('GET', `${CONTROL(IAD)}/senders/${sender.id}`),
    404,
    'NotAuthorizedOrNotFound',
  );
  expect(
    await json<unknown[]>(await world.request('GET', `${CONTROL(IAD)}/senders?compartmentId=${TENANCY}`)),
  ).toEqual([]);
  await expectOciError(
    await world.request('DELETE', `${CONTROL(IAD)}/senders/${sender.id}`),
    404,
    'NotAuthorizedOrNotFound',
  );
});

it('approves the same address independently in each region', async () => {
  const phx = await createSender(world, 'noreply@example.com', PHX);
  const iad = await createSender(world, 'NoReply@example.com', IAD);
  expect(phx.id).toContain('.us-phoenix-1.');
  expect(iad.id).toContain('.us-ashburn-1.');
});

it('keeps suppression lists per region', async () => {
  const suppression = await createSuppression(world, 'bounced@example.com', PHX);
  expect(
    await json<unknown[]>(
      await world.request('GET', `${CONTROL(IAD)}/suppressions?compartmentId=${TENANCY}`),
    ),
  ).toEqual([]);
  await expectOciError(
    await world.request('GET', `${CONTROL(IAD)}/suppressions/${suppression.id}`),
    404,
    'NotAuthorizedOrNotFound',
  );
  const inIad = await createSuppression(world, 'bounced@example.com', IAD);
  expect(inIad.id).not.toBe(suppression.id);
});

it('stores each region in its own database', async () => {
  await createSender(world, 'noreply@example.com', PHX);
  const rows = async (region: string) =>
    (await world.databases.get(region)?.client.execute('SELECT count(*) AS n FROM senders'))?.rows[0]?.n;
  expect(await rows(PHX)).toBe(1);
  expect(await rows(IAD)).toBeUndefined();
});
