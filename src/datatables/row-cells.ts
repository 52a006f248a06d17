import type { Finding } from '../findings/finding.js';
import { nonBlank } from '../findings/finding-values.js';

/** A row's values by column name before they are turned into SOAR text. */
export type RawCells = Partial<Record<string, unknown>>;

/**
 * Whether a row says anything beyond the labels the mapping adds itself (which process, where a
 * container was found): a member GuardDuty sent empty must not become a row of labels only.
 */
export function hasContent(cells: RawCells, labels: readonly string[]): boolean {
  return Object.entries(cells).some(([key, value]) => !labels.includes(key) && nonBlank(value) !== undefined);
}

export interface ColumnDefinition {
  name: string;
  label: string;
}

/**
 * One data table: its schema (what `setup` creates) and where its rows come from. `rows` returns
 * one entry per thing the table describes (a network interface, a bucket, a probe, a container) and
 * none when the finding has no such thing. A new table is one more entry here plus its row function.
 */
export interface TableDefinition {
  name: string;
  label: string;
  /** IBM shows this column first; it is not listed in `columns`. */
  queryDateLabel: string;
  columns: readonly ColumnDefinition[];
  rows: (finding: Finding) => RawCells[];
}
