import { requests } from 'oci-identity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateKeyPair } from '../../../src/crypto/rsa-keys';
import { emailClient, identityClient, startService, type NodeService } from './node-service';

let service: NodeService;
beforeAll(async () => {
  service = await startService();
});
afterAll(() => service.stop());

describe('oci-identity IdentityClient against the Node entry', () => {
  it('creates, reads, lists and deletes compartments', async () => {
    const client = identityClient(service);
    const tenancy = service.admin.tenancyId;
    const { compartment: parent, etag } = await client.createCompartment({
      createCompartmentDetails: {
        compartmentId: tenancy,
        name: 'Team',
        description: 'a team',
        freeformTags: { t: 'x' },
      },
    });
    expect(parent).toMatchObject({ compartmentId: tenancy, name: 'Team', lifecycleState: 'ACTIVE' });
    expect(etag).toBeTruthy();
    const { compartment: child } = await client.createCompartment({
      createCompartmentDetails: { compartmentId: parent.id, name: 'Child', description: 'below' },
    });

    expect((await client.getCompartment({ compartmentId: parent.id })).compartment.freeformTags).toEqual({
      t: 'x',
    });
    expect((await client.getCompartment({ compartmentId: tenancy })).compartment.id).toBe(tenancy);
    expect((await client.listCompartments({ compartmentId: parent.id })).items.map((c) => c.id)).toEqual([
      child.id,
    ]);
    const subtree = await client.listCompartments({ compartmentId: tenancy, compartmentIdInSubtree: true });
    expect(subtree.items.map((c) => c.name).sort()).toEqual(['Child', 'Team']);

    await expect(client.deleteCompartment({ compartmentId: parent.id })).rejects.toMatchObject({
      statusCode: 409,
    });
    await client.deleteCompartment({ compartmentId: child.id });
    expect((await client.getCompartment({ compartmentId: child.id })).compartment.lifecycleState).toBe(
      'DELETED',
    );
    expect((await client.listCompartments({ compartmentId: parent.id })).items).toEqual([]);
    client.close();
  });

  it('manages users, groups and memberships', async () => {
    const client = identityClient(service);
    const tenancy = service.admin.tenancyId;
    const { user } = await client.createUser({
      createUserDetails: {
        compartmentId: tenancy,
        name: 'alice',
        description: 'Alice',
        email: 'alice@example.com',
      },
    });
    expect(user).toMatchObject({ name: 'alice', email: 'alice@example.com', lifecycleState: 'ACTIVE' });
    expect((await client.getUser({ userId: user.id })).user.id).toBe(user.id);
    expect(
      (await client.listUsers({ compartmentId: tenancy, name: 'alice' })).items.map((u) => u.id),
    ).toEqual([user.id]);

    const { group } = await client.createGroup({
      createGroupDetails: { compartmentId: tenancy, name: 'Senders', description: 'may send' },
    });
    expect((await client.getGroup({ groupId: group.id })).group.name).toBe('Senders');
    const groups = await client.listGroups({
      compartmentId: tenancy,
      sortBy: requests.ListGroupsRequest.SortBy.Name,
    });
    expect(groups.items.map((g) => g.name)).toEqual(['Administrators', 'Senders']);

    const { userGroupMembership } = await client.addUserToGroup({
      addUserToGroupDetails: { userId: user.id, groupId: group.id },
    });
    const memberships = await client.listUserGroupMemberships({ compartmentId: tenancy, groupId: group.id });
    expect(memberships.items.map((m) => m.userId)).toEqual([user.id]);
    await expect(client.deleteUser({ userId: user.id })).rejects.toMatchObject({ statusCode: 409 });
    await expect(client.deleteGroup({ groupId: group.id })).rejects.toMatchObject({ statusCode: 409 });

    await client.removeUserFromGroup({ userGroupMembershipId: userGroupMembership.id });
    await client.deleteGroup({ groupId: group.id });
    await client.deleteUser({ userId: user.id });
    await expect(client.getUser({ userId: user.id })).rejects.toMatchObject({
      statusCode: 404,
      serviceCode: 'NotAuthorizedOrNotFound',
    });
    client.close();
  });

  it('creates, reads, lists, updates and deletes policies, and says where a statement is wrong', async () => {
    const client = identityClient(service);
    const tenancy = service.admin.tenancyId;
    await client.createGroup({
      createGroupDetails: { compartmentId: tenancy, name: 'Ops', description: 'ops' },
    });
    const { policy } = await client.createPolicy({
      createPolicyDetails: {
        compartmentId: tenancy,
        name: 'ops-senders',
        description: 'ops may use senders',
        statements: ['Allow group Ops to use approved-senders in tenancy'],
      },
    });
    expect(policy.statements).toEqual(['Allow group Ops to use approved-senders in tenancy']);
    expect((await client.getPolicy({ policyId: policy.id })).policy.name).toBe('ops-senders');
    expect((await client.listPolicies({ compartmentId: tenancy })).items.map((p) => p.id)).toEqual([
      policy.id,
    ]);
    const { policy: updated } = await client.updatePolicy({
      policyId: policy.id,
      updatePolicyDetails: { statements: ['Allow group Ops to manage email-family in tenancy'] },
    });
    expect(updated.statements).toEqual(['Allow group Ops to manage email-family in tenancy']);

    const refused = client.createPolicy({
      createPolicyDetails: {
        compartmentId: tenancy,
        name: 'broken',
        description: 'typo',
        statements: ['Allow group Ops to mange approved-senders in tenancy'],
      },
    });
    await expect(refused).rejects.toMatchObject({
      statusCode: 400,
      serviceCode: 'InvalidParameter',
      message: expect.stringContaining('statements[0], column 20: expected a verb') as unknown,
    });

    await client.deletePolicy({ policyId: policy.id });
    await expect(client.getPolicy({ policyId: policy.id })).rejects.toMatchObject({ statusCode: 404 });
    client.close();
  });

  it('uploads, lists and deletes API keys; the new key signs requests at once', async () => {
    const client = identityClient(service);
    const tenancy = service.admin.tenancyId;
    const { user } = await client.createUser({
      createUserDetails: { compartmentId: tenancy, name: 'bob', description: 'Bob' },
    });
    const keys = await generateKeyPair();
    const { apiKey } = await client.uploadApiKey({
      userId: user.id,
      createApiKeyDetails: { key: keys.publicKeyPem },
    });
    expect(apiKey).toMatchObject({
      fingerprint: keys.fingerprint,
      keyId: `${tenancy}/${user.id}/${keys.fingerprint}`,
      lifecycleState: 'ACTIVE',
    });
    expect((await client.listApiKeys({ userId: user.id })).items.map((k) => k.fingerprint)).toEqual([
      keys.fingerprint,
    ]);

    // Bob holds no policy: signed correctly, he is authenticated but sees nothing.
    const asBob = emailClient(service, {
      tenancyId: tenancy,
      userId: user.id,
      fingerprint: keys.fingerprint,
      keys,
    });
    await expect(asBob.listSenders({ compartmentId: tenancy })).rejects.toMatchObject({ statusCode: 404 });
    await client.deleteApiKey({ userId: user.id, fingerprint: keys.fingerprint });
    await expect(asBob.listSenders({ compartmentId: tenancy })).rejects.toMatchObject({
      statusCode: 401,
      serviceCode: 'NotAuthenticated',
    });
    asBob.close();
    client.close();
  });

  it('creates at most two SMTP credentials per user, shows the password once, updates and deletes them', async () => {
    const client = identityClient(service);
    const tenancy = service.admin.tenancyId;
    const { user } = await client.createUser({
      createUserDetails: { compartmentId: tenancy, name: 'mailer', description: 'SMTP only' },
    });
    const first = await client.createSmtpCredential({
      userId: user.id,
      createSmtpCredentialDetails: { description: 'app one' },
    });
    expect(first.smtpCredential.password).toMatch(/^[a-z2-7]{32}$/);
    expect(first.smtpCredential.username).toMatch(new RegExp(`^${user.id}@${tenancy}\\.[a-z2-7]{2}\\.com$`));
    await client.createSmtpCredential({
      userId: user.id,
      createSmtpCredentialDetails: { description: 'app two' },
    });
    await expect(
      client.createSmtpCredential({ userId: user.id, createSmtpCredentialDetails: { description: 'three' } }),
    ).rejects.toMatchObject({ statusCode: 400, serviceCode: 'LimitExceeded' });

    const listed = await client.listSmtpCredentials({ userId: user.id });
    expect(listed.items.map((c) => c.description)).toEqual(['app one', 'app two']);
    expect(JSON.stringify(listed.items)).not.toContain(first.smtpCredential.password);

    const { smtpCredentialSummary } = await client.updateSmtpCredential({
      userId: user.id,
      smtpCredentialId: first.smtpCredential.id!,
      updateSmtpCredentialDetails: { description: 'renamed' },
    });
    expect(smtpCredentialSummary.description).toBe('renamed');
    expect(smtpCredentialSummary).not.toHaveProperty('password');
    await client.deleteSmtpCredential({ userId: user.id, smtpCredentialId: first.smtpCredential.id! });
    expect((await client.listSmtpCredentials({ userId: user.id })).items).toHaveLength(1);
    client.close();
  });
});
