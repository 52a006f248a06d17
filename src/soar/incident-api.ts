import { ExternalServiceError, IncidentGoneError } from '../core/errors.js';
import type {
  ArtifactInput, ArtifactView, CaseSystem, FieldChange, IncidentLookup, IncidentQuery, IncidentView, NoteView, OrgSession, RichText,
  TableRowView,
} from './case-system.js';
import {
  artifactSchema, commentListSchema, incidentListSchema, incidentSchema, patchStatusSchema, queryPagedSchema, rawIncidentSchema,
  tableDataSchema, toArtifactView, toIncidentView, toNoteViews, toTableRows,
} from './incident-schemas.js';
import { holdsNote } from './note-identity.js';
import { replanChanges, toPatchChange } from './patch-changes.js';
import type { SoarHttp } from './soar-http.js';
import { NAMES, parseBody } from './soar-wire.js';

const PATCH_OP = 'PATCH /incidents/{id}';
/** Re-reads after a PATCH conflict before giving up (a responder editing the same fields). */
const MAX_REPLANS = 3;

type RawIncident = ReturnType<typeof rawIncidentSchema.parse>;

/** The sync's `CaseSystem` over REST: incidents, their notes, artifacts and data table rows, queries. */
export class IncidentApi implements CaseSystem {
  constructor(
    private readonly http: SoarHttp,
    private readonly session: Pick<OrgSession, 'connect'>,
  ) {}

  async createIncident(payload: Record<string, unknown>, lookup?: IncidentLookup): Promise<IncidentView> {
    await this.session.connect();
    let found: IncidentView | undefined;
    const res = await this.http.request({
      method: 'POST', path: '/incidents', operation: 'POST /incidents', retry: 'unsafe', params: NAMES, body: payload,
      lookup: lookup && (async () => (found = await this.findIncident(lookup)) !== undefined),
    });
    return res.found && found ? found : toIncidentView(parseBody(incidentSchema, res.data, 'POST /incidents'));
  }

  async getIncident(id: number): Promise<IncidentView | undefined> {
    const raw = await this.readIncident(id);
    return raw && toIncidentView(raw);
  }

  async patchIncident(id: number, changes: FieldChange[]): Promise<void> {
    await this.session.connect();
    await this.onIncident(id, () => this.patchUntilApplied(id, changes));
  }

  private async patchUntilApplied(id: number, changes: FieldChange[]): Promise<void> {
    let pending = changes;
    let version: number | undefined;
    for (let replans = 0; pending.length > 0; replans += 1) {
      const conflict = await this.sendPatch(id, pending, version);
      if (!conflict) return;
      if (replans === MAX_REPLANS) throw conflictError(id, pending, conflict);
      // Someone else edited the incident, or our old values were stale. Re-read it, keep only the
      // changes not already in place, and send them against the current version with true old values.
      const current = await this.readIncident(id);
      if (!current) throw new IncidentGoneError(id, PATCH_OP);
      version = current.vers;
      pending = replanChanges(pending, current);
    }
  }

  async *queryIncidents(query: IncidentQuery): AsyncIterable<IncidentView[]> {
    await this.session.connect();
    const op = 'POST /incidents/query_paged';
    const length = query.pageSize ?? 500;
    const sort = query.sort ?? { field: 'create_date', direction: 'asc' };
    const filters = [{ conditions: query.conditions.map(({ field, method, value }) => (
      value === undefined ? { field_name: field, method } : { field_name: field, method, value }
    )) }];
    for (let start = 0; ;) {
      const res = await this.http.request({
        method: 'POST', path: '/incidents/query_paged', operation: op, retry: 'idempotent',
        params: { return_level: 'normal', ...NAMES },
        body: { filters, sorts: [{ field_name: sort.field, type: sort.direction }], start, length },
      });
      const page = parseBody(queryPagedSchema, res.data, op);
      if (page.data.length === 0) return;
      yield page.data.map((row) => toIncidentView(parseBody(incidentSchema, row, op)));
      start += page.data.length;
      // recordsTotal counts every incident of the org; recordsFiltered the matches. A short page is the last.
      if (page.data.length < length || start >= (page.recordsFiltered ?? page.recordsTotal)) return;
    }
  }

  async incidentsById(ids: readonly number[]): Promise<IncidentView[]> {
    await this.session.connect();
    if (ids.length === 0) return [];
    const op = 'POST /incidents/query';
    // The unpaged query (a bare array): the caller asks for a bounded number of ids. [I] Built-in
    // fields are queried by their bare name, `id` with `in` and a list like any other field.
    const res = await this.http.request({
      method: 'POST', path: '/incidents/query', operation: op, retry: 'idempotent',
      params: { return_level: 'normal', ...NAMES },
      body: { filters: [{ conditions: [{ field_name: 'id', method: 'in', value: [...ids] }] }] },
    });
    return parseBody(incidentListSchema, res.data, op).map((row) => toIncidentView(parseBody(incidentSchema, row, op)));
  }

  async addNote(incidentId: number, note: RichText): Promise<void> {
    await this.session.connect();
    await this.onIncident(incidentId, () => this.http.request({
      method: 'POST', path: `/incidents/${incidentId}/comments`, operation: 'POST /incidents/{id}/comments',
      retry: 'unsafe', body: { text: { format: note.format, content: note.content } },
      lookup: async () => holdsNote(await this.listNotes(incidentId), note),
    }));
  }

  async listNotes(incidentId: number): Promise<NoteView[]> {
    await this.session.connect();
    const op = 'GET /incidents/{id}/comments';
    const res = await this.onIncident(incidentId, () => this.http.request({
      method: 'GET', path: `/incidents/${incidentId}/comments`, operation: op, retry: 'idempotent',
      params: { text_content_output_format: 'objects_convert_text', ...NAMES },
    }));
    return toNoteViews(parseBody(commentListSchema, res.data, op));
  }

  async addArtifact(incidentId: number, artifact: ArtifactInput): Promise<void> {
    await this.session.connect();
    await this.onIncident(incidentId, () => this.http.request({
      method: 'POST', path: `/incidents/${incidentId}/artifacts`, operation: 'POST /incidents/{id}/artifacts',
      retry: 'unsafe',
      body: { type: { name: artifact.type }, value: artifact.value, description: { format: 'text', content: artifact.description } },
      lookup: async () => (await this.listArtifacts(incidentId)).some((a) => a.type === artifact.type && a.value === artifact.value),
    }));
  }

  async listArtifacts(incidentId: number): Promise<ArtifactView[]> {
    await this.session.connect();
    const op = 'POST /incidents/{id}/artifacts/query_paged';
    const found: ArtifactView[] = [];
    // [I] start/length paging as for incidents; a server that ignores them returns everything at once.
    for (let start = 0; ;) {
      const res = await this.onIncident(incidentId, () => this.http.request({
        method: 'POST', path: `/incidents/${incidentId}/artifacts/query_paged`, operation: op,
        retry: 'idempotent', params: NAMES, body: { start, length: 500 },
      }));
      const page = parseBody(queryPagedSchema, res.data, op);
      found.push(...page.data.map((a) => toArtifactView(parseBody(artifactSchema, a, op))));
      start += page.data.length;
      if (page.data.length < 500 || start >= (page.recordsFiltered ?? page.recordsTotal)) return found;
    }
  }

  async addTableRow(incidentId: number, table: string, cells: Record<string, string>): Promise<void> {
    await this.session.connect();
    await this.onIncident(incidentId, () => this.http.request({
      method: 'POST', path: `/incidents/${incidentId}/table_data/${encodeURIComponent(table)}/row_data`,
      operation: 'POST /incidents/{id}/table_data/{table}/row_data', retry: 'unsafe', params: NAMES,
      body: { cells: Object.fromEntries(Object.entries(cells).map(([col, value]) => [col, { value }])) },
      // Every cell, the row's query_execution_date too: a table's history may repeat a row's content,
      // but an identical row with the same stamp is this one.
      lookup: async () => (await this.listTableRows(incidentId, table)).some((row) => sameCells(row.cells, cells)),
    }));
  }

  async updateTableRow(incidentId: number, table: string, rowId: number, cells: Record<string, string>): Promise<void> {
    await this.session.connect();
    await this.onIncident(incidentId, () => this.http.request({
      method: 'PUT', path: `/incidents/${incidentId}/table_data/${encodeURIComponent(table)}/row_data/${rowId}`,
      operation: 'PUT /incidents/{id}/table_data/{table}/row_data/{row}', retry: 'idempotent', params: NAMES,
      body: { cells: Object.fromEntries(Object.entries(cells).map(([col, value]) => [col, { value }])) },
    }));
  }

  async listTableRows(incidentId: number, table: string): Promise<TableRowView[]> {
    await this.session.connect();
    const op = 'GET /incidents/{id}/table_data/{table}';
    const res = await this.onIncident(incidentId, () => this.http.request({
      method: 'GET', path: `/incidents/${incidentId}/table_data/${encodeURIComponent(table)}`, operation: op,
      retry: 'idempotent', params: NAMES,
    }));
    return toTableRows(parseBody(tableDataSchema, res.data, op));
  }

  /** The newest incident a lookup accepts, from the first page of its query. */
  private async findIncident(lookup: IncidentLookup): Promise<IncidentView | undefined> {
    for await (const page of this.queryIncidents({ conditions: lookup.conditions, sort: { field: 'create_date', direction: 'desc' }, pageSize: 20 })) {
      return page.find((incident) => lookup.matches(incident));
    }
    return undefined;
  }

  private async readIncident(id: number): Promise<RawIncident | undefined> {
    await this.session.connect();
    const op = 'GET /incidents/{id}';
    const res = await this.http.request({
      method: 'GET', path: `/incidents/${id}`, operation: op, retry: 'idempotent', params: NAMES, accept: [404],
    });
    return res.status === 404 ? undefined : parseBody(rawIncidentSchema, res.data, op);
  }

  /**
   * One call on an incident or on its children. SOAR's 404 there means the incident is gone, or only
   * that a child's container is (a data table deleted from the schema answers 404 too): one GET of
   * the incident tells which, so that only a missing incident becomes IncidentGoneError, which the
   * daemon heals by recreating or forgetting the link. A data table gone stays an ordinary failure.
   */
  private async onIncident<T>(incidentId: number, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (err) {
      if (!(err instanceof ExternalServiceError) || err.status !== 404 || err instanceof IncidentGoneError) throw err;
      if ((await this.readIncident(incidentId)) !== undefined) throw err;
      throw new IncidentGoneError(incidentId, err.operation, err);
    }
  }

  /** One PATCH; undefined when applied, else why not (a 409, or SOAR's conflict message). */
  private async sendPatch(id: number, changes: FieldChange[], version: number | undefined): Promise<Conflict | undefined> {
    const body = { ...(version === undefined ? {} : { version }), changes: changes.map(toPatchChange) };
    const res = await this.http.request({
      method: 'PATCH', path: `/incidents/${id}`, operation: PATCH_OP, retry: 'idempotent', params: NAMES, body, accept: [409],
    });
    if (res.status === 409) return { status: 409, reason: 'conflict (409)' };
    const status = parseBody(patchStatusSchema, res.data, PATCH_OP);
    return status.success ? undefined : { status: res.status, reason: status.message ?? 'conflicting edit' };
  }
}

/** SOAR reads an empty cell back as null (shown as ''). */
function sameCells(stored: Record<string, string>, sent: Record<string, string>): boolean {
  return Object.entries(sent).every(([column, value]) => (stored[column] ?? '') === value);
}

interface Conflict {
  status: number;
  reason: string;
}

function conflictError(id: number, pending: FieldChange[], conflict: Conflict): ExternalServiceError {
  const fields = pending.map((c) => c.field).join(', ');
  return new ExternalServiceError({
    service: 'soar', operation: PATCH_OP, status: conflict.status, code: 'CONFLICT', retryable: false,
    message: `${PATCH_OP} failed: ${conflict.status} incident ${id} kept changing under us (${MAX_REPLANS} re-reads); ` +
      `fields still in conflict: ${fields}. SOAR said: ${conflict.reason}`,
  });
}
