import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTROL, expectOciError, json, type WireSender } from '../../support/api';
import { createWorld, TENANCY, type World } from '../../support/world';

const SENDERS = 1_000;
let world: World;

beforeAll(async () => {
  world = createWorld();
  for (let i = 0; i < SENDERS; i++) {
    // Ten senders share each timestamp, so the id must break ties.
    if (i % 10 === 0) world.runtime.clock.advance(1000);
    const response = await world.request('POST', `${CONTROL()}/senders`, {
      compartmentId: TENANCY,
      emailAddress: `sender${String((i * 7919) % SENDERS).padStart(4, '0')}@example.com`,
    });
    expect(response.status).toBe(200);
  }
}, 120_000);
afterAll(() => world.close());

async function walk(query: string): Promise<{ ids: string[]; pages: number; addresses: string[] }> {
  const ids: string[] = [];
  const addresses: string[] = [];
  let page: string | null = null;
  let pages = 0;
  do {
    const pageParam: string = page ? `&page=${page}` : '';
    const response = await world.request(
      'GET',
      `${CONTROL()}/senders?compartmentId=${TENANCY}${query}${pageParam}`,
    );
    expect(response.status).toBe(200);
    const items = await json<WireSender[]>(response);
    ids.push(...items.map((s) => s.id));
    addresses.push(...items.map((s) => s.emailAddress));
    page = response.headers.get('opc-next-page');
    if (page) expect(page).toMatch(/^[A-Za-z0-9_-]+$/);
    pages += 1;
  } while (page);
  return { ids, pages, addresses };
}

describe('paging through 1,000 senders', () => {
  for (const query of [
    '&limit=37',
    '&limit=100&sortOrder=ASC',
    '&limit=64&sortBy=EMAILADDRESS',
    '&limit=1000&sortBy=EMAILADDRESS&sortOrder=DESC',
  ]) {
    it(`visits every sender exactly once (${query})`, async () => {
      const { ids, pages } = await walk(query);
      expect(ids).toHaveLength(SENDERS);
      expect(new Set(ids).size).toBe(SENDERS);
      const limit = Number(/limit=(\d+)/.exec(query)?.[1]);
      expect(pages).toBe(Math.ceil(SENDERS / limit));
    });
  }

  it('keeps the requested order across pages', async () => {
    const { addresses } = await walk('&limit=90&sortBy=EMAILADDRESS');
    expect(addresses).toEqual([...addresses].sort());
  });

  it('uses 100 per page when no limit is given', async () => {
    const response = await world.request('GET', `${CONTROL()}/senders?compartmentId=${TENANCY}`);
    expect(await json<unknown[]>(response)).toHaveLength(100);
    expect(response.headers.get('opc-total-items')).toBe(String(SENDERS));
  });

  it('refuses a token that was tampered with or issued for another query', async () => {
    const first = await world.request('GET', `${CONTROL()}/senders?compartmentId=${TENANCY}&limit=10`);
    const token = first.headers.get('opc-next-page') ?? '';
    const flipped = token.slice(0, 5) + (token[5] === 'A' ? 'B' : 'A') + token.slice(6);
    for (const bad of [flipped, `${token}x`, 'garbage', token.slice(0, 10)]) {
      const response = await world.request(
        'GET',
        `${CONTROL()}/senders?compartmentId=${TENANCY}&limit=10&page=${bad}`,
      );
      await expectOciError(response, 400, 'InvalidParameter');
    }
    const otherSort = await world.request(
      'GET',
      `${CONTROL()}/senders?compartmentId=${TENANCY}&limit=10&sortBy=EMAILADDRESS&page=${token}`,
    );
    await expectOciError(otherSort, 400, 'InvalidParameter');
    const sameQueryNewLimit = await world.request(
      'GET',
      `${CONTROL()}/senders?compartmentId=${TENANCY}&limit=20&page=${token}`,
    );
    expect(sameQueryNewLimit.status).toBe(200);
  });
});
