import { ExternalServiceError, IncidentGoneError } from '../../src/core/errors.js';
import type {
  ArtifactInput, ArtifactView, CaseSystem, FieldChange, IncidentLookup, IncidentQuery, IncidentView, NoteView, QueryCondition, RichText,
  TableRowView,
} from '../../src/soar/case-system.js';
import { htmlToText } from '../../src/util/html-text.js';

/**
 * IBM SOAR as the sync paths see it (the CaseSystem interface), in memory, for unit tests: incidents
 * with their fields, notes, artifacts and data-table rows, the calls made (by operation), incidents a
 * responder closes or an administrator deletes, and faults on the next call of an operation. No
 * retries and no lookup after a lost answer: those are the real client's, tested on their own.
 */

export interface FakeIncident {
  id: number;
  name: string;
  planStatus: 'A' | 'C';
  /** Built-in fields as last written (severity_code, resolution_id, resolution_summary, ...). */
  fields: Record<string, unknown>;
  properties: Record<string, unknown>;
  notes: string[];
  artifacts: { type: string; value: string }[];
  rows: Record<string, Record<string, string>[]>;
  createdAt: number;
  lastModified: number;
  closedAt: number | undefined;
  resolutionId: string | null;
}

/**
 * `lost`: SOAR acts, the answer never arrives (a retryable 504); `down`: a retryable 503, nothing done;
 * `refused`: a 400, nothing done.
 */
export type FaultMode = 'lost' | 'down' | 'refused';

/** Operation names, as `calls` counts them. */
export const OP = {
  create: 'POST /incidents',
  get: 'GET /incidents/{id}',
  patch: 'PATCH /incidents/{id}',
  query: 'POST /incidents/query_paged',
  byId: 'POST /incidents/query',
  addNote: 'POST /incidents/{id}/comments',
  listNotes: 'GET /incidents/{id}/comments',
  addArtifact: 'POST /incidents/{id}/artifacts',
  listArtifacts: 'GET /incidents/{id}/artifacts',
  addRow: 'POST /incidents/{id}/table_data/{table}/row_data',
  listRows: 'GET /incidents/{id}/table_data/{table}',
  updateRow: 'PUT /incidents/{id}/table_data/{table}/row_data/{row_id}',
} as const;

const BUILT_IN = new Set(['name', 'description', 'severity_code', 'plan_status', 'resolution_id', 'resolution_summary', 'discovered_date']);

export class FakeSoar implements CaseSystem {
  readonly incidents = new Map<number, FakeIncident>();
  /** Every call made, in order, by operation name (see OP). */
  readonly calls: string[] = [];
  /** Fields the org requires to close an incident (what the composition root reads from SOAR's schema). */
  requiredOnClose: { name: string; label: string; custom: boolean }[] = [];
  private readonly faults: { op: string; mode: FaultMode; skip: number }[] = [];
  private nextId = 2001;

  constructor(private readonly now: () => number) {}

  // --- what a test does ---

  /** The next call of `op` (after `skip` more that succeed) meets `mode`; several faults queue in order. */
  failNext(op: string, mode: FaultMode, skip = 0): void {
    this.faults.push({ op, mode, skip });
  }

  count(op: string): number {
    return this.calls.filter((c) => c === op).length;
  }

  /** Calls that change something in SOAR (not reads, not queries). */
  writes(): string[] {
    return this.calls.filter((c) => !c.startsWith('GET') && c !== OP.query && c !== OP.byId);
  }

  /** The incidents of a finding, oldest first. */
  incidentsFor(findingId: string): FakeIncident[] {
    return [...this.incidents.values()].filter((i) => i.properties.aws_guardduty_finding_id === findingId);
  }

  /** The one incident of a finding. */
  incidentFor(findingId: string): FakeIncident {
    const found = this.incidentsFor(findingId);
    if (found.length !== 1) throw new Error(`finding ${findingId} has ${found.length} incidents`);
    return found[0];
  }

  /** A responder closes the incident in SOAR, with a resolution. */
  closeByResponder(id: number, resolution = 'Resolved'): void {
    const incident = this.must(id);
    incident.planStatus = 'C';
    incident.resolutionId = resolution;
    incident.closedAt = this.now();
    incident.lastModified = this.now();
  }

  /** An administrator deletes the incident. */
  delete(id: number): void {
    this.incidents.delete(id);
  }

  // --- CaseSystem ---

  createIncident(payload: Record<string, unknown>, _lookup?: IncidentLookup): Promise<IncidentView> {
    return this.call(OP.create, undefined, () => {
      const id = this.nextId++;
      const { properties, comments, artifacts, ...fields } = payload as CreatePayload;
      const incident: FakeIncident = {
        id, name: typeof fields.name === 'string' ? fields.name : '', planStatus: 'A', fields, properties: { ...properties },
        notes: (comments ?? []).map((c) => textOf(c.text)), artifacts: (artifacts ?? []).map((a) => ({ type: a.type.name, value: a.value })),
        rows: {}, createdAt: this.now(), lastModified: this.now(), closedAt: undefined, resolutionId: null,
      };
      this.incidents.set(id, incident);
      return view(incident);
    });
  }

  getIncident(id: number): Promise<IncidentView | undefined> {
    return this.call(OP.get, undefined, () => {
      const incident = this.incidents.get(id);
      return incident ? view(incident) : undefined;
    });
  }

  patchIncident(id: number, changes: FieldChange[]): Promise<void> {
    return this.call(OP.patch, id, () => {
      const incident = this.must(id);
      for (const { field, newValue } of changes) {
        if (field === 'plan_status') {
          incident.planStatus = newValue === 'C' ? 'C' : 'A';
          incident.closedAt = newValue === 'C' ? this.now() : undefined;
        }
        if (field === 'resolution_id') incident.resolutionId = typeof newValue === 'string' || typeof newValue === 'number' ? String(newValue) : null;
        if (BUILT_IN.has(field)) incident.fields[field] = newValue;
        else incident.properties[field] = newValue;
      }
      incident.lastModified = this.now();
    });
  }

  async *queryIncidents(query: IncidentQuery): AsyncIterable<IncidentView[]> {
    const found = await this.call(OP.query, undefined, () => {
      const matching = [...this.incidents.values()].filter((i) => query.conditions.every((c) => holds(i, c)));
      const sign = query.sort?.direction === 'desc' ? -1 : 1;
      const key = (i: FakeIncident): number => (query.sort?.field === 'inc_last_modified_date' ? i.lastModified : i.id);
      return matching.sort((a, b) => sign * (key(a) - key(b))).map(view);
    });
    const size = query.pageSize ?? 500;
    for (let i = 0; i < found.length; i += size) yield found.slice(i, i + size);
  }

  incidentsById(ids: readonly number[]): Promise<IncidentView[]> {
    return this.call(OP.byId, undefined, () => ids.flatMap((id) => (this.incidents.has(id) ? [view(this.must(id))] : [])));
  }

  addNote(incidentId: number, note: RichText): Promise<void> {
    return this.call(OP.addNote, incidentId, () => void this.must(incidentId).notes.push(textOf(note)));
  }

  listNotes(incidentId: number): Promise<NoteView[]> {
    return this.call(OP.listNotes, incidentId, () => this.must(incidentId).notes.map((text, i) => ({ id: i + 1, text })));
  }

  addArtifact(incidentId: number, artifact: ArtifactInput): Promise<void> {
    return this.call(OP.addArtifact, incidentId, () => void this.must(incidentId).artifacts.push({ type: artifact.type, value: artifact.value }));
  }

  listArtifacts(incidentId: number): Promise<ArtifactView[]> {
    return this.call(OP.listArtifacts, incidentId, () => this.must(incidentId).artifacts.map((a, i) => ({ id: i + 1, ...a })));
  }

  addTableRow(incidentId: number, table: string, cells: Record<string, string>): Promise<void> {
    return this.call(OP.addRow, incidentId, () => {
      const incident = this.must(incidentId);
      (incident.rows[table] ??= []).push({ ...cells });
    });
  }

  listTableRows(incidentId: number, table: string): Promise<TableRowView[]> {
    return this.call(OP.listRows, incidentId, () => (this.must(incidentId).rows[table] ?? []).map((cells, i) => ({ id: i + 1, cells: { ...cells } })));
  }

  updateTableRow(incidentId: number, table: string, rowId: number, cells: Record<string, string>): Promise<void> {
    return this.call(OP.updateRow, incidentId, () => {
      const row = (this.must(incidentId).rows[table] ?? [])[rowId - 1];
      if (row) Object.assign(row, cells);
    });
  }

  // --- inside ---

  /** One call: counted, then a queued fault or the work; a missing incident is IncidentGoneError. */
  private async call<T>(op: string, incidentId: number | undefined, work: () => T): Promise<T> {
    this.calls.push(op);
    await Promise.resolve();
    const fault = this.takeFault(op);
    if (fault?.mode === 'down') throw serviceError(op, 503, true);
    if (fault?.mode === 'refused') throw serviceError(op, 400, false);
    if (incidentId !== undefined && !this.incidents.has(incidentId)) throw new IncidentGoneError(incidentId, op);
    const result = work();
    if (fault?.mode === 'lost') throw serviceError(op, 504, true);
    return result;
  }

  private takeFault(op: string): { mode: FaultMode } | undefined {
    const at = this.faults.findIndex((f) => f.op === op);
    const fault = this.faults[at];
    if (!fault) return undefined;
    if (fault.skip > 0) {
      fault.skip -= 1;
      return undefined;
    }
    this.faults.splice(at, 1);
    return fault;
  }

  private must(id: number): FakeIncident {
    const incident = this.incidents.get(id);
    if (!incident) throw new IncidentGoneError(id, 'fake SOAR');
    return incident;
  }
}

/** The rendered create template, as far as SOAR's answer depends on it. */
type CreatePayload = Record<string, unknown> & {
  properties?: Record<string, unknown>;
  comments?: { text: RichText }[];
  artifacts?: { type: { name: string }; value: string }[];
};

function serviceError(op: string, status: number, retryable: boolean): ExternalServiceError {
  return new ExternalServiceError({ service: 'soar', operation: op, status, retryable, message: `${op} failed: ${status} (fake SOAR)` });
}

function textOf(note: RichText): string {
  return note.format === 'html' ? htmlToText(note.content) : note.content;
}

function view(i: FakeIncident): IncidentView {
  return {
    id: i.id, name: i.name, planStatus: i.planStatus, lastModified: i.lastModified, closedAt: i.closedAt, vers: 1,
    properties: { ...i.properties }, resolutionId: i.resolutionId, resolutionSummary: i.fields.resolution_summary ?? null,
  };
}

/** The query conditions the daemon sends, on one incident. */
function holds(i: FakeIncident, c: QueryCondition): boolean {
  const value = c.field === 'plan_status' ? i.planStatus
    : c.field === 'inc_last_modified_date' ? i.lastModified
    : c.field.startsWith('properties.') ? i.properties[c.field.slice('properties.'.length)]
    : i.fields[c.field];
  switch (c.method) {
    case 'equals': return value === c.value;
    case 'gte': return typeof value === 'number' && value >= Number(c.value);
    case 'has_a_value': return value !== undefined && value !== null && value !== '';
    case 'in': return Array.isArray(c.value) && c.value.includes(value);
    default: throw new Error(`the fake SOAR does not answer ${c.method} (${c.field})`);
  }
}
