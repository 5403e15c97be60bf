import { models, type EmailClient } from 'oci-email';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emailClient, identityClient, startService, type NodeService } from './node-service';

const FULL = models.AddLockDetails.Type.Full;
const DELETE = models.AddLockDetails.Type.Delete;

let service: NodeService;
beforeAll(async () => {
  service = await startService();
});
afterAll(() => service.stop());

/** The error a call answers, made on a client of its own: the SDK's circuit breaker counts refusals per client. */
async function refusal(
  call: (client: EmailClient) => Promise<unknown>,
): Promise<{ statusCode: number; serviceCode: string }> {
  const client = emailClient(service);
  const error = (await call(client).then(
    () => undefined,
    (thrown: unknown) => thrown,
  )) as { statusCode: number; serviceCode: string } | undefined;
  client.close();
  if (!error) throw new Error('the call succeeded');
  return error;
}

describe('sender locks through the oci-email SDK (addSenderLock, removeSenderLock, isLockOverride)', () => {
  it('a FULL lock blocks update, move and delete unless overridden; a DELETE lock blocks delete only', async () => {
    const client = emailClient(service);
    const tenancy = service.admin.tenancyId;
    const { compartment } = await identityClient(service).createCompartment({
      createCompartmentDetails: { compartmentId: tenancy, name: 'locked-target', description: 'target' },
    });
    const { sender } = await client.createSender({
      createSenderDetails: { compartmentId: tenancy, emailAddress: 'locked@example.com' },
    });
    expect(sender.locks).toEqual([]);

    const locked = await client.addSenderLock({
      senderId: sender.id,
      addLockDetails: { type: FULL, message: 'billing depends on it' },
    });
    expect(locked.sender.locks).toEqual([
      {
        type: 'FULL',
        compartmentId: tenancy,
        message: 'billing depends on it',
        timeCreated: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) as string,
      },
    ]);
    expect(locked.etag).toBeTruthy();
    expect((await client.getSender({ senderId: sender.id })).sender.locks).toHaveLength(1);

    const blocked = [
      (c: EmailClient) =>
        c.updateSender({ senderId: sender.id, updateSenderDetails: { freeformTags: { a: '1' } } }),
      (c: EmailClient) =>
        c.changeSenderCompartment({
          senderId: sender.id,
          changeSenderCompartmentDetails: { compartmentId: compartment.id },
        }),
      (c: EmailClient) => c.deleteSender({ senderId: sender.id }),
      (c: EmailClient) => c.deleteSender({ senderId: sender.id, isLockOverride: false }),
    ];
    for (const call of blocked)
      expect(await refusal(call)).toMatchObject({ statusCode: 409, serviceCode: 'Conflict' });
    expect(
      await refusal((c) => c.addSenderLock({ senderId: sender.id, addLockDetails: { type: FULL } })),
    ).toMatchObject({ statusCode: 409 });

    const updated = await client.updateSender({
      senderId: sender.id,
      updateSenderDetails: { freeformTags: { a: '1' } },
      isLockOverride: true,
    });
    expect(updated.sender.freeformTags).toEqual({ a: '1' });

    const unlocked = await client.removeSenderLock({
      senderId: sender.id,
      removeLockDetails: { type: models.RemoveLockDetails.Type.Full },
      ifMatch: updated.etag,
    });
    expect(unlocked.sender.locks).toEqual([]);
    await client.addSenderLock({ senderId: sender.id, addLockDetails: { type: DELETE } });
    await client.changeSenderCompartment({
      senderId: sender.id,
      changeSenderCompartmentDetails: { compartmentId: compartment.id },
    });
    expect(await refusal((c) => c.deleteSender({ senderId: sender.id }))).toMatchObject({ statusCode: 409 });
    await client.deleteSender({ senderId: sender.id, isLockOverride: true });
    expect((await client.getSender({ senderId: sender.id })).sender.lifecycleState).toBe('DELETED');
  });

  it('honours if-match, and needs manage approved-senders like any change', async () => {
    const client = emailClient(service);
    const { sender, etag } = await client.createSender({
      createSenderDetails: { compartmentId: service.admin.tenancyId, emailAddress: 'etag-lock@example.com' },
    });
    expect(
      await refusal((c) =>
        c.addSenderLock({ senderId: sender.id, addLockDetails: { type: DELETE }, ifMatch: 'stale' }),
      ),
    ).toMatchObject({ statusCode: 412, serviceCode: 'NoEtagMatch' });
    await client.addSenderLock({ senderId: sender.id, addLockDetails: { type: DELETE }, ifMatch: etag });
    expect(
      await refusal((c) =>
        c.removeSenderLock({
          senderId: sender.id,
          removeLockDetails: { type: models.RemoveLockDetails.Type.Full },
        }),
      ),
    ).toMatchObject({ statusCode: 400 });
  });
});
