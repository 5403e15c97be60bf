import { afterEach, expect, it } from 'vitest';
import { startDeliveryWorker } from '../../../src/jobs/delivery-worker';
import { eventually } from './node-support';
import { createDeliveryWorld, type DeliveryWorld } from './delivery-world';

let world: DeliveryWorld;
afterEach(() => world.close());

it('a failed delivery run logs the driver error by name, code and first line, never its parameters', async () => {
  world = await createDeliveryWorld({ port: 1 });
  await world.enqueue(['private.person@example.test']);
  // A real driver failure: every claim (an UPDATE with bound parameters) is refused.
  await world.database.client.execute(
    "CREATE TRIGGER refuse_claims BEFORE UPDATE ON deliveries BEGIN SELECT RAISE(ABORT, 'claims refused'); END",
  );
  const worker = startDeliveryWorker(world.runtime, { pollRegions: () => Promise.resolve([]) });
  worker.trigger.accepted(world.region);
  const entry = await eventually(() =>
    Promise.resolve(world.runtime.logger.entries.find((e) => e.event === 'delivery.run-failed')),
  );
  await worker.stop();
  expect(entry.level).toBe('error');
  expect(entry.fields).toMatchObject({ region: world.region.id, code: 'SQLITE_CONSTRAINT' });
  expect(String(entry.fields.detail)).not.toContain('\n');
  expect(JSON.stringify(entry)).not.toMatch(/params/i);
});
