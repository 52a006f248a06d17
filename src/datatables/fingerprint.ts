import { createHash } from 'node:crypto';
import type { TableRow } from './map-rows.js';
import { LINK_COLUMNS } from './sequence-tables.js';
import { QUERY_EXECUTION_DATE } from './table-definitions.js';

const NOT_CONTENT = new Set([QUERY_EXECUTION_DATE, ...LINK_COLUMNS]);

/**
 * A stable identity for a row's content: the table name and the cells with keys sorted, ignoring
 * `query_execution_date` (which differs on every write) and the link columns the daemon fills in
 * later (`LINK_COLUMNS`). Stored per incident to decide what a refresh must add.
 */
export function rowFingerprint(row: TableRow): string {
  const cells = Object.entries(row.cells)
    .filter(([key]) => !NOT_CONTENT.has(key))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return createHash('sha256').update(JSON.stringify([row.table, cells])).digest('hex').slice(0, 32);
}

/**
 * The rows of one table to write on a refresh. `previous` holds the fingerprints of the rows last
 * written for that table and incident: a row is new when its content is not among them. So a
 * single-row table (the overview) gains a row whenever its content changed, even back to an older
 * value, and becomes a history; a multi-row table gains only its changed or added rows. Identical
 * rows are written once. After writing, record `current.map(rowFingerprint)` as the new `previous`.
 */
export function newRowsSince(previous: readonly string[], current: readonly TableRow[]): TableRow[] {
  const known = new Set(previous);
  const fresh: TableRow[] = [];
  for (const row of current) {
    const fingerprint = rowFingerprint(row);
    if (known.has(fingerprint)) continue;
    known.add(fingerprint);
    fresh.push(row);
  }
  return fresh;
}
