import type { RowRecord } from './records.js';

/** Data table rows per incident and table (rows per incident are few, so lists are fine). */
export class TableStore {
  private byIncident = new Map<number, Map<number, RowRecord[]>>();
  private nextId = 1;
  private total = 0;

  addRow(incidentId: number, tableId: number, cells: Record<string, unknown>): RowRecord {
    const row: RowRecord = { id: this.nextId++, incidentId, tableId, version: 1, cells };
    const tables = this.byIncident.get(incidentId) ?? new Map<number, RowRecord[]>();
    this.byIncident.set(incidentId, tables);
    const rows = tables.get(tableId) ?? [];
    tables.set(tableId, rows);
    rows.push(row);
    this.total++;
    return row;
  }

  rows(incidentId: number, tableId: number): readonly RowRecord[] {
    return this.byIncident.get(incidentId)?.get(tableId) ?? [];
  }

  row(incidentId: number, tableId: number, rowId: number): RowRecord | undefined {
    return this.rows(incidentId, tableId).find((r) => r.id === rowId);
  }

  deleteRow(incidentId: number, tableId: number, rowId: number): boolean {
    const rows = this.byIncident.get(incidentId)?.get(tableId);
    const at = rows?.findIndex((r) => r.id === rowId) ?? -1;
    if (!rows || at < 0) return false;
    rows.splice(at, 1);
    this.total--;
    return true;
  }

  clearRows(incidentId: number, tableId: number): number {
    const tables = this.byIncident.get(incidentId);
    const removed = tables?.get(tableId)?.length ?? 0;
    tables?.delete(tableId);
    this.total -= removed;
    return removed;
  }

  dropTable(tableId: number): void {
    for (const tables of this.byIncident.values()) {
      this.total -= tables.get(tableId)?.length ?? 0;
      tables.delete(tableId);
    }
  }

  count(): number {
    return this.total;
  }

  dropIncident(incidentId: number): void {
    for (const rows of this.byIncident.get(incidentId)?.values() ?? []) this.total -= rows.length;
    this.byIncident.delete(incidentId);
  }

  clear(): void {
    this.byIncident = new Map();
    this.total = 0;
  }
}
