import type { Context } from 'hono';
import type { ListOptions, Page, SortBy, SortOrder } from '../values/page';
import { decodePageToken, encodePageToken } from './page-token';

export const DEFAULT_PAGE_SIZE = 100;

interface ListQuery<S extends string = SortBy> {
  page?: string | undefined;
  limit?: number | undefined;
  sortBy?: S | undefined;
  sortOrder?: SortOrder | undefined;
}

/** TIMECREATED lists newest first and names or addresses alphabetically, unless sortOrder says otherwise. */
function defaultOrder(sortBy: string): SortOrder {
  return sortBy === 'TIMECREATED' ? 'DESC' : 'ASC';
}

/** The query a page token is bound to: every filter and the sort, but not the page size. */
function fingerprint(query: ListQuery<string>): string {
  const { page: _page, limit: _limit, ...rest } = query;
  return JSON.stringify(Object.entries(rest).sort(([a], [b]) => a.localeCompare(b)));
}

export async function listOptions<S extends string = SortBy>(
  query: ListQuery<S>,
): Promise<ListOptions<S | 'TIMECREATED'>> {
  const sortBy = query.sortBy ?? 'TIMECREATED';
  const options: ListOptions<S | 'TIMECREATED'> = {
    sortBy,
    sortOrder: query.sortOrder ?? defaultOrder(sortBy),
    limit: query.limit ?? DEFAULT_PAGE_SIZE,
  };
  if (query.page !== undefined) {
    const keyType = sortBy === 'TIMECREATED' ? 'number' : 'string';
    options.position = await decodePageToken(fingerprint(query), query.page, keyType);
  }
  return options;
}

/** The token of the page after `page`, bound to `query`; undefined when no rows follow. */
export const nextPageToken = async <T>(
  query: ListQuery<string>,
  page: Page<T>,
): Promise<string | undefined> => (page.next ? encodePageToken(fingerprint(query), page.next) : undefined);

/** Sets `opc-next-page` when more rows follow. */
export async function setNextPage<T>(c: Context, query: ListQuery<string>, page: Page<T>): Promise<void> {
  const token = await nextPageToken(query, page);
  if (token) c.header('opc-next-page', token);
}
