import { afterEach, expect, it } from 'vitest';
import { createWorld, PHX, TENANCY, type World } from '../support/world';

let world: World;
afterEach(() => world.close());

it('creates and reads back a sender', async () => {
  world = createWorld();
  const created = await world.request('POST', `/${PHX}/20170907/senders`, {
    compartmentId: TENANCY,
    emailAddress: 'noreply@example.com',
  });
  expect(created.status).toBe(200);
  const sender = (await created.json()) as { id: string };
  const read = await world.request('GET', `/${PHX}/20170907/senders/${sender.id}`);
  expect(read.status).toBe(200);
});
