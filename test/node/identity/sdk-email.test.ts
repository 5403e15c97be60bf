import { models } from 'oci-email';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emailClient, identityClient, startService, type NodeService } from './node-service';

let service: NodeService;
beforeAll(async () => {
  service = await startService();
});
afterAll(() => service.stop());

describe('oci-email EmailClient against the Node entry (endpoint with the /us-phoenix-1 prefix)', () => {
  it('runs every sender operation', async () => {
    const client = emailClient(service);
    const tenancy = service.admin.tenancyId;
    const { compartment } = await identityClient(service).createCompartment({
      createCompartmentDetails: { compartmentId: tenancy, name: 'moved-here', description: 'target' },
    });

    const created = await client.createSender({
      createSenderDetails: {
        compartmentId: tenancy,
        emailAddress: 'sdk@example.com',
        freeformTags: { a: '1' },
      },
    });
    expect(created.sender).toMatchObject({ emailAddress: 'sdk@example.com', lifecycleState: 'ACTIVE' });
    expect(created.etag).toBeTruthy();
    const id = created.sender.id;

    const got = await client.getSender({ senderId: id });
    expect(got.sender.freeformTags).toEqual({ a: '1' });

    const listed = await client.listSenders({ compartmentId: tenancy });
    expect(listed.items.map((s) => s.id)).toEqual([id]);
    expect(listed.opcTotalItems).toBe(1);

    const updated = await client.updateSender({
      senderId: id,
      updateSenderDetails: { freeformTags: { b: '2' } },
      ifMatch: got.etag,
    });
    expect(updated.sender.freeformTags).toEqual({ b: '2' });

    await client.changeSenderCompartment({
      senderId: id,
      changeSenderCompartmentDetails: { compartmentId: compartment.id },
    });
    expect((await client.getSender({ senderId: id })).sender.compartmentId).toBe(compartment.id);

    await client.deleteSender({ senderId: id });
    expect((await client.getSender({ senderId: id })).sender.lifecycleState).toBe('DELETED');
    client.close();
  });

  it('runs every suppression operation and reads the configuration', async () => {
    const client = emailClient(service);
    const tenancy = service.admin.tenancyId;
    const { suppression } = await client.createSuppression({
      createSuppressionDetails: { compartmentId: tenancy, emailAddress: 'Bounce+x@Example.com' },
    });
    expect(suppression).toMatchObject({ emailAddress: 'bounce+x@example.com', reason: 'MANUAL' });
    expect((await client.getSuppression({ suppressionId: suppression.id })).suppression.id).toBe(
      suppression.id,
    );
    const listed = await client.listSuppressions({
      compartmentId: tenancy,
      emailAddress: 'bounce+x@example.com',
    });
    expect(listed.items.map((s) => s.id)).toEqual([suppression.id]);
    await client.deleteSuppression({ suppressionId: suppression.id });
    await expect(client.getSuppression({ suppressionId: suppression.id })).rejects.toMatchObject({
      statusCode: 404,
      serviceCode: 'NotAuthorizedOrNotFound',
    });

    const { configuration } = await client.getEmailConfiguration({ compartmentId: tenancy });
    expect(configuration.compartmentId).toBe(tenancy);
    expect(configuration.httpSubmitEndpoint).toBe(`${service.server.url}/us-phoenix-1`);
    client.close();
  });

  it('walks listAllSenders and listAllSuppressions over several pages', async () => {
    const client = emailClient(service);
    const tenancy = service.admin.tenancyId;
    const total = 23;
    for (let i = 0; i < total; i++) {
      await client.createSender({
        createSenderDetails: { compartmentId: tenancy, emailAddress: `page${i}@example.com` },
      });
      await client.createSuppression({
        createSuppressionDetails: { compartmentId: tenancy, emailAddress: `gone${i}@example.com` },
      });
    }
    const senders: models.SenderSummary[] = [];
    let pages = 0;
    for await (const response of client.listAllSendersResponses({
      compartmentId: tenancy,
      lifecycleState: models.Sender.LifecycleState.Active,
      limit: 5,
    })) {
      pages += 1;
      senders.push(...response.items);
    }
    expect(pages).toBe(5);
    expect(new Set(senders.map((s) => s.emailAddress)).size).toBe(total);
    const allSenders: models.SenderSummary[] = [];
    for await (const item of client.listAllSenders({ compartmentId: tenancy, limit: 7 }))
      allSenders.push(item);
    expect(allSenders.map((s) => s.id)).toEqual(senders.map((s) => s.id));

    const suppressions: models.SuppressionSummary[] = [];
    for await (const item of client.listAllSuppressions({ compartmentId: tenancy, limit: 4 }))
      suppressions.push(item);
    expect(suppressions.filter((s) => s.emailAddress.startsWith('gone'))).toHaveLength(total);
    client.close();
  });
});
