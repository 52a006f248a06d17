import type { IncidentRecord } from '../state/records.js';
import type { SoarState } from '../state/soar-state.js';
import { renderValue } from '../values/field-values.js';
import type { OutputOptions } from '../values/output-options.js';
import { richTextPlain } from '../values/rich-text.js';

/** An incident with everything attached, in readable form (names, plain text), for test assertions. */
export interface AdminIncident {
  id: number;
  vers: number;
  name: string;
  planStatus: 'A' | 'C';
  severity: string | null;
  resolution: string | null;
  resolutionSummary: string | null;
  discoveredDate: number | null;
  createDate: number;
  lastModified: number;
  endDate: number | null;
  /** Every custom field (null when unset); selects by label. */
  properties: Record<string, unknown>;
  notes: { id: number; text: string; format: 'text' | 'html'; createDate: number; author: string }[];
  artifacts: { id: number; type: string; value: string; description: string | null }[];
  /** Data table api name → rows (only tables with rows). */
  tables: Record<string, { id: number; version: number; cells: Record<string, unknown> }[]>;
}

export interface StateSummary {
  org: { id: number; name: string };
  incidents: { total: number; open: number; closed: number };
  notes: number;
  artifacts: number;
  rows: number;
  customFields: string[];
  dataTables: string[];
  customArtifactTypes: string[];
  requiredOnClose: string[];
}

const READABLE: OutputOptions = { handleFormat: 'names', textFormat: 'always_text' };

function field(state: SoarState, record: IncidentRecord, name: string): unknown {
  const def = state.schema.incidentField(name);
  return def ? renderValue(def, record.values[name] ?? null, READABLE, state.users) : null;
}

export function adminIncident(state: SoarState, record: IncidentRecord): AdminIncident {
  const properties: Record<string, unknown> = {};
  for (const def of state.schema.customFields()) {
    properties[def.name] = renderValue(def, record.properties[def.name] ?? null, READABLE, state.users);
  }
  const tables: AdminIncident['tables'] = {};
  for (const table of state.schema.dataTables()) {
    const rows = state.tables.rows(record.id, table.id);
    if (rows.length > 0) tables[table.name] = rows.map((r) => ({ id: r.id, version: r.version, cells: { ...r.cells } }));
  }
  return {
    id: record.id,
    vers: record.vers,
    name: typeof record.values.name === 'string' ? record.values.name : '',
    planStatus: record.values.plan_status === 'C' ? 'C' : 'A',
    severity: field(state, record, 'severity_code') as string | null,
    resolution: field(state, record, 'resolution_id') as string | null,
    resolutionSummary: field(state, record, 'resolution_summary') as string | null,
    discoveredDate: (record.values.discovered_date ?? null) as number | null,
    createDate: record.values.create_date as number,
    lastModified: record.values.inc_last_modified_date as number,
    endDate: (record.values.end_date ?? null) as number | null,
    properties,
    notes: state.comments.list(record.id).map((c) => ({
      id: c.id,
      text: richTextPlain(c.text),
      format: c.text.format,
      createDate: c.createDate,
      author: c.creator.kind === 'apikey' ? c.creator.keyId : (state.userOf(c.creator)?.email ?? 'system'),
    })),
    artifacts: state.artifacts.list(record.id).map((a) => ({
      id: a.id,
      type: state.schema.artifactTypes.resolve(a.typeId)?.apiName ?? String(a.typeId),
      value: a.value,
      description: a.description ? richTextPlain(a.description) : null,
    })),
    tables,
  };
}

export function stateSummary(state: SoarState): StateSummary {
  let open = 0;
  for (const record of state.incidents.values()) if (record.values.plan_status !== 'C') open++;
  return {
    org: { id: state.options.org.id, name: state.options.org.name },
    incidents: { total: state.incidents.size, open, closed: state.incidents.size - open },
    notes: state.comments.count(),
    artifacts: state.artifacts.count(),
    rows: state.tables.count(),
    customFields: state.schema.customFields().map((f) => f.name),
    dataTables: state.schema.dataTables().map((t) => t.name),
    customArtifactTypes: state.schema.artifactTypes.list().filter((t) => !t.system).map((t) => t.apiName),
    requiredOnClose: state.schema.requiredOnCloseFields().map((f) => f.name),
  };
}
