import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CONTROL, createSender, expectOciError } from '../../support/api';
import { createWorld, PHX, TENANCY, type World } from '../../support/world';

let world: World;
beforeEach(() => {
  world = createWorld();
});
afterEach(() => world.close());

async function rowCount(table: string): Promise<number> {
  await world.deps.regions.open(PHX);
  const result = await world.databases.get(PHX)?.client.execute(`SELECT count(*) AS n FROM ${table}`);
  return Number(result?.rows[0]?.n);
}

const sendersPath = `${CONTROL()}/senders`;

describe('createSender rejects bad bodies and writes nothing', () => {
  const cases: [string, unknown, number, string][] = [
    ['malformed JSON', '{"compartmentId": ', 400, 'CannotParseRequest'],
    ['a JSON array', '[]', 400, 'InvalidParameter'],
    ['a missing address', { compartmentId: TENANCY }, 400, 'MissingParameter'],
    ['a wrong type', { compartmentId: TENANCY, emailAddress: 42 }, 400, 'InvalidParameter'],
    [
      'an unknown field',
      { compartmentId: TENANCY, emailAddress: 'a@example.com', color: 'red' },
      400,
      'InvalidParameter',
    ],
    [
      'an invalid address',
      { compartmentId: TENANCY, emailAddress: 'not-an-address' },
      400,
      'InvalidParameter',
    ],
    ['a double @', { compartmentId: TENANCY, emailAddress: 'a@b@example.com' }, 400, 'InvalidParameter'],
    [
      'an address over 254 octets',
      {
        compartmentId: TENANCY,
        emailAddress: `${'a'.repeat(60)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(63)}.com`,
      },
      400,
      'InvalidParameter',
    ],
    [
      'CR/LF in the address',
      { compartmentId: TENANCY, emailAddress: 'a@example.com\r\nBcc: x@evil.example' },
      400,
      'InvalidParameter',
    ],
    [
      'a non-ASCII address',
      { compartmentId: TENANCY, emailAddress: 'jörg@example.com' },
      400,
      'InvalidParameter',
    ],
    [
      'an OCID of the wrong kind',
      { compartmentId: 'ocid1.user.oc1..aaaaaaaauser', emailAddress: 'a@example.com' },
      400,
      'InvalidParameter',
    ],
    [
      'a compartment that is no OCID',
      { compartmentId: 'tenancy', emailAddress: 'a@example.com' },
      400,
      'InvalidParameter',
    ],
    [
      'a tag value that is not a string',
      { compartmentId: TENANCY, emailAddress: 'a@example.com', freeformTags: { a: 1 } },
      400,
      'InvalidParameter',
    ],
  ];
  for (const [name, body, status, code] of cases) {
    it(name, async () => {
      await expectOciError(await world.request('POST', sendersPath, body), status, code);
      expect(await rowCount('senders')).toBe(0);
    });
  }

  it('an oversized body', async () => {
    const body = {
      compartmentId: TENANCY,
      emailAddress: 'a@example.com',
      freeformTags: { a: 'x'.repeat(70_000) },
    };
    await expectOciError(await world.request('POST', sendersPath, body), 413, 'PayloadTooLarge');
    expect(await rowCount('senders')).toBe(0);
  });

  it('an update with unknown fields leaves the sender as it was', async () => {
    const sender = await createSender(world, 'a@example.com', PHX, { freeformTags: { keep: 'me' } });
    const response = await world.request('PUT', `${sendersPath}/${sender.id}`, {
      freeformTags: {},
      emailAddress: 'b@example.com',
    });
    await expectOciError(response, 400, 'InvalidParameter');
    const read = (await (await world.request('GET', `${sendersPath}/${sender.id}`)).json()) as {
      freeformTags: object;
    };
    expect(read.freeformTags).toEqual({ keep: 'me' });
  });
});

describe('list queries are validated', () => {
  const cases: [string, number, string][] = [
    [`compartmentId=${TENANCY}&limit=0`, 400, 'InvalidParameter'],
    [`compartmentId=${TENANCY}&limit=100000`, 400, 'InvalidParameter'],
    [`compartmentId=${TENANCY}&limit=ten`, 400, 'InvalidParameter'],
    [`compartmentId=${TENANCY}&sortBy=NAME`, 400, 'InvalidParameter'],
    [`compartmentId=${TENANCY}&sortOrder=UP`, 400, 'InvalidParameter'],
    [`compartmentId=${TENANCY}&lifecycleState=SLEEPING`, 400, 'InvalidParameter'],
    [`compartmentId=${TENANCY}&page=%ZZ`, 400, 'InvalidParameter'],
    [`compartmentId=${TENANCY}&compartmentId=${TENANCY}`, 400, 'InvalidParameter'],
    ['limit=10', 400, 'MissingParameter'],
    ['compartmentId=ocid1.emailsender.oc1..aaaaaaaaxyz', 400, 'InvalidParameter'],
  ];
  for (const [query, status, code] of cases) {
    it(query, async () => {
      await expectOciError(await world.request('GET', `${sendersPath}?${query}`), status, code);
    });
  }

  it('suppression dates must be RFC 3339', async () => {
    const response = await world.request(
      'GET',
      `${CONTROL()}/suppressions?compartmentId=${TENANCY}&timeCreatedLessThan=yesterday`,
    );
    await expectOciError(response, 400, 'InvalidParameter');
  });
});

describe('paths', () => {
  it('an unknown region answers 404 NotAuthorizedOrNotFound', async () => {
    const response = await world.request('POST', '/eu-nowhere-9/20170907/senders', {
      compartmentId: TENANCY,
      emailAddress: 'a@example.com',
    });
    await expectOciError(response, 404, 'NotAuthorizedOrNotFound');
  });

  it('a region of the catalog that is not enabled answers 404 NotAuthorizedOrNotFound', async () => {
    const response = await world.request('GET', `/eu-frankfurt-1/20170907/senders?compartmentId=${TENANCY}`);
    await expectOciError(response, 404, 'NotAuthorizedOrNotFound');
  });

  it('a sender id of the wrong kind is not found', async () => {
    const response = await world.request('GET', `${sendersPath}/ocid1.emailsuppression.oc1..aaaaaaaaxyz`);
    expect(response.status).toBe(400);
    await expectOciError(
      await world.request('DELETE', `${CONTROL()}/suppressions/ocid1.emailsender.oc1..aaaaaaaaxyz`),
      400,
      'InvalidParameter',
    );
  });

  it('an unknown operation answers 404 NotFound', async () => {
    await expectOciError(await world.request('GET', `${CONTROL()}/widgets`), 404, 'NotFound');
    await expectOciError(await world.request('PATCH', sendersPath), 404, 'NotFound');
  });
});

describe('the data plane measures a body before reading it or checking its signature', () => {
  const submitPath = `/${PHX}/20220926/actions/submitEmail`;
  const maxMessage = 16 * 1024;
  // A JSON body may be twice the message limit and 64 KiB more (escaping, addresses, header fields).
  const maxJson = 2 * maxMessage + 64 * 1024;
  let limited: World;
  beforeEach(() => {
    limited = createWorld({ SUBMIT_MAX_MESSAGE_BYTES: String(maxMessage) });
  });
  afterEach(() => limited.close());

  const post = (headers: Record<string, string>, body: string | ReadableStream<Uint8Array>) =>
    limited.app.request(submitPath, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
      duplex: 'half',
    });

  it('refuses a declared Content-Length over the limit', async () => {
    const body = 'x'.repeat(maxJson + 1);
    await expectOciError(await post({ 'content-length': String(body.length) }, body), 413, 'PayloadTooLarge');
  });

  it('passes a declared Content-Length within the limit on to the signature check', async () => {
    const body = 'x'.repeat(maxJson);
    await expectOciError(
      await post({ 'content-length': String(body.length) }, body),
      401,
      'NotAuthenticated',
    );
  });

  it('refuses a streamed body without a length once it passes the limit', async () => {
    let sent = 0;
    const chunk = new TextEncoder().encode('x'.repeat(8 * 1024));
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        sent += chunk.length;
        controller.enqueue(chunk);
        if (sent > 4 * maxJson) controller.close();
      },
    });
    await expectOciError(await post({}, stream), 413, 'PayloadTooLarge');
    expect(sent).toBeLessThan(4 * maxJson);
  });
});
