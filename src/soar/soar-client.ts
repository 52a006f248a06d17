import type { SoarConfig } from '../config/app-config.js';
import { ExternalServiceError, IncidentGoneError } from '../errors.js';
import type { FunctionDefinition, FunctionInputDefinition, MessageDestinationDefinition } from '../functions/definitions.js';
import { destinationObject, functionFieldObject, functionObject } from '../functions/definitions-export.js';
import type {
  ArtifactInput, ArtifactTypeSpec, ArtifactView, CaseSystem, DataTableSpec, FieldChange, FieldSpec, FunctionCatalog,
  FunctionFieldView, FunctionView, IncidentLookup, IncidentQuery, IncidentView, MessageDestinationView, NoteView, OrgInfo, RichText,
  SchemaView, SoarPrincipal, TableRowView,
} from './case-system.js';
import { holdsNote } from './note-identity.js';
import type { RouteCounts } from '../util/proxy-routing.js';
import { createSoarHttp, type SoarHttp, type SoarHttpDeps } from './soar-http.js';
import {
  artifactSchema, artifactTypeFieldSchema, artifactTypesSchema, commentListSchema, fieldDefListSchema,
  fieldDef, incidentListSchema, incidentSchema, parseBody, patchStatusSchema, queryPagedSchema, rawIncidentSchema, replanChanges,
  selectOrg, sessionSchema, tableDataSchema, toArtifactView, toDataTables, toFieldDefinition, toIncidentView,
  toNoteViews, toPatchChange, toTableRows, typesSchema, orgSchema, messageDestinationSchema,
  rawMessageDestinationSchema, messageDestinationListSchema, functionListSchema, functionFieldListSchema,
} from './soar-schemas.js';

/** Select values come back (and are compared) by name, e.g. `resolution_id: "Resolved"`. */
const NAMES = { handle_format: 'names' } as const;
const PATCH_OP = 'PATCH /incidents/{id}';
/** Re-reads after a PATCH conflict before giving up (a responder editing the same fields). */
const MAX_REPLANS = 3;

type RawIncident = ReturnType<typeof rawIncidentSchema.parse>;

/** IBM SOAR over REST: the `CaseSystem` of the daemon. */
export class SoarClient implements CaseSystem, FunctionCatalog {
  private org: Promise<OrgInfo> | undefined;
  private principal: SoarPrincipal | undefined;

  constructor(
    private readonly config: SoarConfig,
    private readonly http: SoarHttp,
  ) {}

  /** True when `cafile = false` (the composition root warns loudly). */
  get tlsVerificationDisabled(): boolean {
    return this.http.tlsVerificationDisabled;
  }

  /** Releases keep-alive sockets (shutdown, tests). */
  close(): void {
    this.http.close();
  }

  /** Requests sent through the proxy and straight to SOAR so far. */
  get routed(): RouteCounts {
    return this.http.routed;
  }

  connect(): Promise<OrgInfo> {
    // One resolution shared by concurrent callers; a failed one is forgotten so the next call retries.
    this.org ??= this.resolveOrg().catch((err: unknown) => {
      this.org = undefined;
      throw err;
    });
    return this.org;
  }

  async createIncident(payload: Record<string, unknown>, lookup?: IncidentLookup): Promise<IncidentView> {
    await this.connect();
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
    await this.connect();
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
    await this.connect();
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
    await this.connect();
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
    await this.connect();
    await this.onIncident(incidentId, () => this.http.request({
      method: 'POST', path: `/incidents/${incidentId}/comments`, operation: 'POST /incidents/{id}/comments',
      retry: 'unsafe', body: { text: { format: note.format, content: note.content } },
      lookup: async () => holdsNote(await this.listNotes(incidentId), note),
    }));
  }

  async listNotes(incidentId: number): Promise<NoteView[]> {
    await this.connect();
    const op = 'GET /incidents/{id}/comments';
    const res = await this.onIncident(incidentId, () => this.http.request({
      method: 'GET', path: `/incidents/${incidentId}/comments`, operation: op, retry: 'idempotent',
      params: { text_content_output_format: 'objects_convert_text', ...NAMES },
    }));
    return toNoteViews(parseBody(commentListSchema, res.data, op));
  }

  async addArtifact(incidentId: number, artifact: ArtifactInput): Promise<void> {
    await this.connect();
    await this.onIncident(incidentId, () => this.http.request({
      method: 'POST', path: `/incidents/${incidentId}/artifacts`, operation: 'POST /incidents/{id}/artifacts',
      retry: 'unsafe',
      body: { type: { name: artifact.type }, value: artifact.value, description: { format: 'text', content: artifact.description } },
      lookup: async () => (await this.listArtifacts(incidentId)).some((a) => a.type === artifact.type && a.value === artifact.value),
    }));
  }

  async listArtifacts(incidentId: number): Promise<ArtifactView[]> {
    await this.connect();
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
    await this.connect();
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
    await this.connect();
    await this.onIncident(incidentId, () => this.http.request({
      method: 'PUT', path: `/incidents/${incidentId}/table_data/${encodeURIComponent(table)}/row_data/${rowId}`,
      operation: 'PUT /incidents/{id}/table_data/{table}/row_data/{row}', retry: 'idempotent', params: NAMES,
      body: { cells: Object.fromEntries(Object.entries(cells).map(([col, value]) => [col, { value }])) },
    }));
  }

  async listTableRows(incidentId: number, table: string): Promise<TableRowView[]> {
    await this.connect();
    const op = 'GET /incidents/{id}/table_data/{table}';
    const res = await this.onIncident(incidentId, () => this.http.request({
      method: 'GET', path: `/incidents/${incidentId}/table_data/${encodeURIComponent(table)}`, operation: op,
      retry: 'idempotent', params: NAMES,
    }));
    return toTableRows(parseBody(tableDataSchema, res.data, op));
  }

  async readSchema(): Promise<SchemaView> {
    await this.connect();
    const fields = await this.get('/types/incident/fields', 'GET /types/incident/fields');
    const types = await this.get('/types', 'GET /types');
    return {
      incidentFields: parseBody(fieldDefListSchema, fields, 'GET /types/incident/fields').map(toFieldDefinition),
      dataTables: toDataTables(parseBody(typesSchema, types, 'GET /types')),
      artifactTypes: await this.readArtifactTypes(),
    };
  }

  async createIncidentField(field: FieldSpec): Promise<void> {
    await this.postSchema('/types/incident/fields', 'POST /types/incident/fields', { ...fieldDef(field), prefix: 'properties' }, async () => {
      const fields = await this.get('/types/incident/fields', 'GET /types/incident/fields');
      return parseBody(fieldDefListSchema, fields, 'GET /types/incident/fields').some((f) => f.name === field.name);
    });
  }

  async createDataTable(table: DataTableSpec): Promise<void> {
    // [I] The request shape mirrors the type definition `GET /types` returns (contract §2.9) as
    // IBM's export files carry it: a type with type_id 8 whose parent is the incident.
    await this.postSchema('/types', 'POST /types', {
      type_name: table.name,
      display_name: table.label,
      type_id: 8,
      parent_types: ['incident'],
      fields: Object.fromEntries(table.columns.map((c) => [c.name, fieldDef(c)])),
    }, async () => (await this.dataTables())[table.name] !== undefined);
  }

  async createDataTableColumn(table: string, column: FieldSpec): Promise<void> {
    await this.postSchema(`/types/${encodeURIComponent(table)}/fields`, 'POST /types/{table}/fields', fieldDef(column), async () =>
      ((await this.dataTables())[table] ?? []).includes(column.name));
  }

  async createArtifactType(type: ArtifactTypeSpec): Promise<void> {
    // [I] Not in the contract. SOAR shows an artifact type's display name and its "API access
    // name" (IBM's GuardDuty guide); we assume `name` is the former and `programmatic_name` the latter.
    await this.postSchema('/artifact_types', 'POST /artifact_types', {
      name: type.label, programmatic_name: type.name, desc: type.description, enabled: true,
    }, async () => (await this.readArtifactTypes()).includes(type.name));
  }

  // --- functions (FunctionCatalog) ---

  async whoAmI(): Promise<SoarPrincipal> {
    await this.connect();
    if (!this.principal) {
      throw new ExternalServiceError({
        service: 'soar', operation: 'GET /rest/session', code: 'generic', retryable: false,
        message: 'GET /rest/session failed: the session names neither an api_key_handle nor a user_id',
      });
    }
    return this.principal;
  }

  async actionsFrameworkEnabled(): Promise<boolean> {
    const org = await this.connect();
    const op = 'GET /rest/orgs/{id}';
    const res = await this.http.request({ method: 'GET', path: `/orgs/${org.id}`, absolute: true, operation: op, retry: 'idempotent' });
    return parseBody(orgSchema, res.data, op).actions_framework_enabled;
  }

  async listMessageDestinations(): Promise<MessageDestinationView[]> {
    await this.connect();
    const op = 'GET /message_destinations';
    return parseBody(messageDestinationListSchema, await this.get('/message_destinations', op), op).entities.map(toDestinationView);
  }

  async createMessageDestination(def: MessageDestinationDefinition): Promise<MessageDestinationView> {
    await this.connect();
    const op = 'POST /message_destinations';
    let found: MessageDestinationView | undefined;
    const res = await this.http.request({
      method: 'POST', path: '/message_destinations', operation: op, retry: 'unsafe', body: destinationObject(def),
      lookup: async () => (found = (await this.listMessageDestinations()).find((d) => d.programmaticName === def.programmaticName)) !== undefined,
    });
    return res.found && found ? found : toDestinationView(parseBody(messageDestinationSchema, res.data, op));
  }

  async addDestinationMember(destinationId: number, who: SoarPrincipal): Promise<void> {
    await this.connect();
    const path = `/message_destinations/${destinationId}`;
    const current = parseBody(rawMessageDestinationSchema, await this.get(path, 'GET /message_destinations/{id}'), 'GET /message_destinations/{id}');
    // As resilient-circuits does (RC-cust load_import): the object read, with the member appended, PUT back.
    const body = who.kind === 'apikey'
      ? { ...current, api_keys: [...(current.api_keys ?? []), who.handle] }
      : { ...current, users: [...(current.users ?? []), who.userId] };
    await this.http.request({ method: 'PUT', path, operation: 'PUT /message_destinations/{id}', retry: 'idempotent', body });
  }

  async listFunctions(): Promise<FunctionView[]> {
    await this.connect();
    const op = 'GET /functions';
    return parseBody(functionListSchema, await this.get('/functions', op), op).entities.map((f) => ({
      id: f.id, name: f.name, displayName: f.display_name ?? f.name, destination: String(f.destination_handle ?? ''),
      inputUuids: (f.view_items ?? []).flatMap((v) => (v.content ? [v.content] : [])),
    }));
  }

  async createFunction(def: FunctionDefinition, inputUuids: string[]): Promise<void> {
    const body = functionObject(def);
    const viewItems = body.view_items as Record<string, unknown>[];
    await this.postSchema('/functions', 'POST /functions', { ...body, view_items: viewItems.map((v, i) => ({ ...v, content: inputUuids[i] ?? v.content })) },
      async () => (await this.listFunctions()).some((f) => f.name === def.name));
  }

  async listFunctionFields(): Promise<FunctionFieldView[]> {
    await this.connect();
    const op = 'GET /types/__function/fields';
    return parseBody(functionFieldListSchema, await this.get('/types/__function/fields', op), op).map((f) => ({
      name: f.name, inputType: f.input_type ?? 'text', uuid: f.uuid, values: (f.values ?? []).map((v) => v.label),
    }));
  }

  async createFunctionField(def: FunctionInputDefinition): Promise<void> {
    await this.postSchema('/types/__function/fields', 'POST /types/__function/fields', functionFieldObject(def), async () =>
      (await this.listFunctionFields()).some((f) => f.name === def.name));
  }

  private async resolveOrg(): Promise<OrgInfo> {
    const op = this.config.auth.kind === 'apikey' ? 'GET /rest/session' : 'POST /rest/session';
    const session = parseBody(sessionSchema, await this.http.openSession(), op);
    const org = selectOrg(session, this.config.org, op);
    this.http.setOrg(org.id);
    if (session.api_key_handle != null) this.principal = { kind: 'apikey', handle: session.api_key_handle };
    else if (session.user_id != null) this.principal = { kind: 'user', userId: session.user_id };
    return { id: org.id, name: org.name };
  }

  /** The newest incident a lookup accepts, from the first page of its query. */
  private async findIncident(lookup: IncidentLookup): Promise<IncidentView | undefined> {
    for await (const page of this.queryIncidents({ conditions: lookup.conditions, sort: { field: 'create_date', direction: 'desc' }, pageSize: 20 })) {
      return page.find((incident) => lookup.matches(incident));
    }
    return undefined;
  }

  private async readIncident(id: number): Promise<RawIncident | undefined> {
    await this.connect();
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

  private async get(path: string, operation: string): Promise<unknown> {
    return (await this.http.request({ method: 'GET', path, operation, retry: 'idempotent', params: NAMES })).data;
  }

  /** A customization create; `lookup` says whether SOAR holds it already, should the answer be lost. */
  private async postSchema(path: string, operation: string, body: unknown, lookup: () => Promise<boolean>): Promise<void> {
    await this.connect();
    await this.http.request({ method: 'POST', path, operation, retry: 'unsafe', body, lookup });
  }

  /** Data table API name → its column API names. */
  private async dataTables(): Promise<Record<string, string[]>> {
    return toDataTables(parseBody(typesSchema, await this.get('/types', 'GET /types'), 'GET /types'));
  }

  /** `/artifact_types` lists custom types with their API names; older servers only have `/types/artifact`. */
  private async readArtifactTypes(): Promise<string[]> {
    try {
      const body = parseBody(artifactTypesSchema, await this.get('/artifact_types', 'GET /artifact_types'), 'GET /artifact_types');
      return body.entities.map((t) => t.programmatic_name ?? t.name);
    } catch (err) {
      if (!(err instanceof ExternalServiceError) || err.status !== 404) throw err;
    }
    const op = 'GET /types/artifact';
    return parseBody(artifactTypeFieldSchema, await this.get('/types/artifact', op), op).fields.type.values.map((v) => v.label);
  }
}

function toDestinationView(d: { id: number; programmatic_name: string; api_keys?: (string | number)[] | null | undefined; users?: number[] | null | undefined }): MessageDestinationView {
  return { id: d.id, programmaticName: d.programmatic_name, apiKeys: (d.api_keys ?? []).map(String), users: d.users ?? [] };
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

export function createSoarClient(config: SoarConfig, deps: SoarHttpDeps): SoarClient {
  return new SoarClient(config, createSoarHttp(config, deps));
}
