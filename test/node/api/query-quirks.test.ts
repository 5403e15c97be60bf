import { afterEach, beforeEach, expect, it } from 'vitest';
import { CONTROL, createSender, createSuppression, json, type WireSender } from '../../support/api';
import { createWorld, TENANCY, type World } from '../../support/world';

let world: World;
beforeEach(() => {
  world = createWorld();
});
afterEach(() => world.close());

it('keeps a literal + in a query value (the SDK does not form-encode)', async () => {
  await createSender(world, 'noreply+tag@example.com');
  await createSender(world, 'noreply tag@example.com'.replace(' ', '-'));
  const response = await world.request(
    'GET',
    `${CONTROL()}/senders?compartmentId=${TENANCY}&emailAddress=noreply+tag@example.com&limit=10&sortBy=TIMECREATED&sortOrder=DESC`,
  );
  expect((await json<WireSender[]>(response)).map((s) => s.emailAddress)).toEqual([
    'noreply+tag@example.com',
  ]);
});

it('decodes percent-escapes and accepts the SDK date format with an unpadded hour', async () => {
  world.runtime.clock.set('2024-01-02T02:00:00.000Z');
  await createSuppression(world, 'a+c@example.com');
  world.runtime.clock.set('2024-01-02T09:00:00.000Z');
  await createSuppression(world, 'b+c@example.com');
  const response = await world.request(
    'GET',
    `${CONTROL()}/suppressions?compartmentId=${TENANCY}&emailAddress=b%2Bc@example.com&timeCreatedGreaterThanOrEqualTo=2024-01-02T3:04:05Z&timeCreatedLessThan=2024-01-02T13:14:15Z`,
  );
  expect(response.status).toBe(200);
  expect((await json<{ emailAddress: string }[]>(response)).map((s) => s.emailAddress)).toEqual([
    'b+c@example.com',
  ]);
});

it('accepts lifecycleState in any case', async () => {
  await createSender(world, 'x@example.com');
  const response = await world.request(
    'GET',
    `${CONTROL()}/senders?compartmentId=${TENANCY}&lifecycleState=active`,
  );
  expect(await json<unknown[]>(response)).toHaveLength(1);
});
