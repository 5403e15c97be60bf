export type SortOrder = 'ASC' | 'DESC';
export type SortBy = 'TIMECREATED' | 'EMAILADDRESS';

/** Where the previous page ended: the sort key of its last row and that row's id. */
export interface PagePosition {
  after: [string | number, string];
}

export interface ListOptions<S extends string = SortBy> {
  sortBy: S;
  sortOrder: SortOrder;
  limit: number;
  position?: PagePosition;
}

export interface Page<T> {
  items: T[];
  /** Present when more rows follow the last item. */
  next?: PagePosition;
}
