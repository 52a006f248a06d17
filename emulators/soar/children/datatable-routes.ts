import { SoarError, badRequest, notFound } from '../errors.js';
import type { RestRequest, RestResponse, RouteDef } from '../http/types.js';
import { idParam, ok, route } from '../http/types.js';
import { incidentOr404 } from '../incidents/incident-lookup.js';
import type { DataTableDef } from '../schema/schema-store.js';
import type { IncidentRecord, RowRecord } from '../state/records.js';
import type { SoarState } from '../state/soar-state.js';
import { isRecord } from '../util.js';
import { normalizeValue, renderValue } from '../values/field-values.js';
import type { OutputOptions } from '../values/output-options.js';

const ROW_DATA = '/incidents/{id}/table_data/{table}/row_data';

/** Data table rows, addressed by table api name (or table id) and row id. */
export function datatableRoutes(state: SoarState): RouteDef[] {
  return [
    route('GET', '/incidents/{id}/table_data', (req) => {
      const incident = incidentOr404(state, req);
      const all: Record<string, unknown> = {};
      for (const table of state.schema.dataTables()) all[table.name] = renderTable(state, incident, table, req.out);
      return ok(all);
    }),
    route('GET', '/incidents/{id}/table_data/{table}', (req) => {
      const { incident, table } = target(state, req);
      return ok(renderTable(state, incident, table, req.out));
    }),
    route('POST', ROW_DATA, (req) => {
      const { incident, table } = target(state, req);
      const row = state.tables.addRow(incident.id, table.id, readCells(state, table, req.body));
      return ok(renderRow(state, incident, table, row, req.out));
    }),
    route('PUT', `${ROW_DATA}/{row_id}`, (req) => updateRow(state, req)),
    route('DELETE', `${ROW_DATA}/{row_id}`, (req) => {
      const { incident, table } = target(state, req);
      if (!state.tables.deleteRow(incident.id, table.id, idParam(req, 'row_id'))) throw notFound(req.params.row_id ?? '');
      return { status: 204 };
    }),
    route('DELETE', ROW_DATA, (req) => {
      const { incident, table } = target(state, req);
      state.tables.clearRows(incident.id, table.id);
      return { status: 204 };
    }),
  ];
}

function target(state: SoarState, req: RestRequest): { incident: IncidentRecord; table: DataTableDef } {
  const incident = incidentOr404(state, req);
  const name = req.params.table ?? '';
  const table = state.schema.dataTable(name);
  // [I] Apps look for "not found" in this message; the status is SOAR's usual 404.
  if (!table) throw new SoarError(404, `Data table '${name}' not found.`);
  return { incident, table };
}

/**
 * `{cells: {col: {value}}}`; every unknown column is named in one 400. [I] Row updates with a
 * stale `version` are refused with 409, like incidents.
 */
function readCells(state: SoarState, table: DataTableDef, body: unknown): Record<string, unknown> {
  const cells = isRecord(body) ? body.cells : undefined;
  if (!isRecord(cells)) throw badRequest('Bad Request: expected {"cells": {"<column>": {"value": …}}}.');
  const unknown = Object.keys(cells).filter((c) => !table.columns.has(c));
  if (unknown.length > 0) throw badRequest(`Unknown column(s) in data table '${table.name}': ${unknown.join(', ')}.`);
  const values: Record<string, unknown> = {};
  for (const [name, def] of table.columns) {
    if (!(name in cells)) continue;
    const cell = cells[name];
    if (!isRecord(cell) || !('value' in cell)) throw badRequest(`Bad Request: cell '${name}' must be {"value": …}.`);
    values[name] = normalizeValue(def, cell.value, state.users);
  }
  return values;
}

function updateRow(state: SoarState, req: RestRequest): RestResponse {
  const { incident, table } = target(state, req);
  const row = state.tables.row(incident.id, table.id, idParam(req, 'row_id'));
  if (!row) throw notFound(req.params.row_id ?? '');
  const version = isRecord(req.body) ? req.body.version : undefined;
  if (typeof version === 'number' && version !== row.version) {
    throw new SoarError(409, `Conflict: row ${row.id} has been changed by another user.`);
  }
  Object.assign(row.cells, readCells(state, table, req.body));
  row.version++;
  return ok(renderRow(state, incident, table, row, req.out));
}

function renderTable(state: SoarState, incident: IncidentRecord, table: DataTableDef, out: OutputOptions): Record<string, unknown> {
  return { id: table.id, rows: state.tables.rows(incident.id, table.id).map((r) => renderRow(state, incident, table, r, out)) };
}

export function renderRow(state: SoarState, incident: IncidentRecord, table: DataTableDef, row: RowRecord, out: OutputOptions): Record<string, unknown> {
  const cells: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(row.cells)) {
    const def = table.columns.get(name);
    cells[name] = { id: name, row_id: row.id, value: def ? renderValue(def, value, out, state.users) : value };
  }
  return {
    id: row.id,
    type_id: table.id,
    version: row.version,
    cells,
    actions: [],
    playbooks: [],
    inc_id: incident.id,
    inc_name: incident.values.name ?? null,
    inc_owner: incident.values.owner_id ?? null,
  };
}
