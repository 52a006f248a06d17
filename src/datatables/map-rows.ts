import { nonBlank } from '../findings/finding-values.js';
import type { Finding } from '../findings/finding.js';
import { TABLE_DEFINITIONS, type TableDefinition } from './table-definitions.js';
import type { RawCells } from './row-cells.js';

/** A data-table row to write, without `query_execution_date` (the writer adds it when it posts). */
export interface TableRow {
  table: string;
  cells: Record<string, string>;
}

/**
 * The data-table rows of a finding, table by table in definition order. Cells are SOAR text
 * (booleans "True"/"False", numbers `String(n)`); blank cells are omitted, and a row left with no
 * cell at all is dropped, so a table with nothing to say gets no row.
 */
export function mapRows(finding: Finding, tables: readonly TableDefinition[] = TABLE_DEFINITIONS): TableRow[] {
  const rows: TableRow[] = [];
  for (const table of tables) {
    for (const raw of table.rows(finding)) {
      const cells = toCells(table, raw);
      if (Object.keys(cells).length > 0) rows.push({ table: table.name, cells });
    }
  }
  return rows;
}

function toCells(table: TableDefinition, raw: RawCells): Record<string, string> {
  const cells: Record<string, string> = {};
  for (const column of table.columns) {
    const value = nonBlank(raw[column.name]);
    if (value !== undefined) cells[column.name] = value;
  }
  return cells;
}

/** Rows grouped by table, in first-seen order: the unit the refresh compares and records. */
export function rowsByTable(rows: readonly TableRow[]): Map<string, TableRow[]> {
  const byTable = new Map<string, TableRow[]>();
  for (const row of rows) {
    const list = byTable.get(row.table);
    if (list) list.push(row);
    else byTable.set(row.table, [row]);
  }
  return byTable;
}
