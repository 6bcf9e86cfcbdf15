import { numbers } from '../sqlite/params.js';
import type { D1ResultLike } from './binding.js';

/** The rows of one statement's result (none for a missing result). */
export const rows = <Row>(result: D1ResultLike<Row> | undefined): Row[] => result?.results ?? [];
/** How many rows the statement changed. */
export const changes = (result: D1ResultLike | undefined): number => result?.meta?.changes ?? 0;
/** One numeric column of the rows, as numbers. */
export const times = (result: D1ResultLike | undefined, column: string): number[] =>
  numbers(rows(result), column);
