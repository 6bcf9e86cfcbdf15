/** Stripe's cursor pagination over a newest-first list. */
import { invalidParam } from './api-error.js';

/** Pagination parameters after parsing. */
export interface PageParams {
  limit?: number;
  starting_after?: string;
  ending_before?: string;
}

/** One page of a list. */
export interface Page<T> {
  items: T[];
  hasMore: boolean;
}

/**
 * Cuts one page out of `all` (newest first, unfiltered so that a cursor stays valid even if it does not
 * match the filters), keeping the items that pass `filter`.
 */
export function paginate<T extends { id: string }>(
  all: T[],
  filter: (item: T) => boolean,
  params: PageParams,
): Page<T> {
  const limit = params.limit ?? 10;
  if (params.starting_after !== undefined && params.ending_before !== undefined) {
    throw invalidParam(
      'You may only specify one of these parameters: ending_before, starting_after.',
      'starting_after',
      'parameters_exclusive',
    );
  }
  const cursor = params.starting_after ?? params.ending_before;
  const cursorParam = params.starting_after !== undefined ? 'starting_after' : 'ending_before';
  const index = cursor === undefined ? -1 : all.findIndex((item) => item.id === cursor);
  if (cursor !== undefined && index === -1) {
    throw invalidParam(`No such object: '${cursor}'`, cursorParam, 'resource_missing');
  }
  if (params.ending_before !== undefined) {
    const newer = all.slice(0, index).filter(filter);
    return { items: newer.slice(Math.max(0, newer.length - limit)), hasMore: newer.length > limit };
  }
  const older = all.slice(index + 1).filter(filter);
  return { items: older.slice(0, limit), hasMore: older.length > limit };
}

/** Stripe's list envelope. */
export function listBody<T>(
  url: string,
  page: Page<T>,
): { object: 'list'; data: T[]; has_more: boolean; url: string } {
  return { object: 'list', data: page.items, has_more: page.hasMore, url };
}
