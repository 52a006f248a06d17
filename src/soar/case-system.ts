/**
 * IBM SOAR as the daemon sees it: only the calls it makes, in its own terms, one interface per
 * caller: the sync's `CaseSystem` (incidents, notes, artifacts, rows, queries), setup's and check's
 * `SchemaCatalog` and `FunctionCatalog`, and the `OrgSession` the functions listener discovers the
 * org with. The adapters (`soar-client.ts` assembles them over one `SoarHttp`) keep HTTP details
 * inside and throw `ExternalServiceError`; a call on an incident (or its notes, artifacts, rows)
 * that no longer exists throws `IncidentGoneError`.
 */

export type PlanStatus = 'A' | 'C';

/** What the daemon reads back about an incident (query rows and GETs with return_level=normal). */
export interface IncidentView {
  id: number;
  name: string;
  planStatus: PlanStatus;
  /** Epoch ms. */
  lastModified: number;
  /** When it was closed (SOAR's `end_date`, epoch ms); undefined while open or when SOAR did not say. */
  closedAt?: number | undefined;
  vers: number;
  /** Custom fields (`properties`), as SOAR returns them. */
  properties: Record<string, unknown>;
  resolutionId?: number | string | null;
  /** As SOAR returned it (HTML text or rich text), for a PATCH that clears it (a reopen). */
  resolutionSummary?: unknown;
}

/** A rich-text value as SOAR accepts it. */
export interface RichText {
  format: 'text' | 'html';
  content: string;
}

export interface ArtifactInput {
  /** Artifact type API name, e.g. `IP Address` or `aws_s3_bucket_name`. */
  type: string;
  value: string;
  description: string;
}

export interface ArtifactView {
  id: number;
  /** Artifact type name (handle_format=names). */
  type: string;
  value: string;
}

/**
 * One field change of a PATCH. `field` is the bare API name (custom fields too, never `properties.x`).
 * `oldValue` is what the daemon believes the field holds; SOAR checks it when the change is not
 * made against the current version, and the client then re-reads and retries.
 */
export interface FieldChange {
  field: string;
  oldValue: unknown;
  newValue: unknown;
}

export interface QueryCondition {
  /** `properties.<name>` for custom fields, the bare name for built-ins. */
  field: string;
  method:
    | 'equals' | 'not_equals' | 'in' | 'not_in' | 'contains' | 'not_contains'
    | 'gt' | 'gte' | 'lt' | 'lte' | 'has_a_value' | 'does_not_have_a_value';
  value?: unknown;
}

export interface IncidentQuery {
  conditions: QueryCondition[];
  sort?: { field: string; direction: 'asc' | 'desc' };
  /** Rows per page of `query_paged` (default 500). */
  pageSize?: number;
}

/**
 * How to recognise the incident a create made, should its answer be lost: SOAR is queried (newest
 * first) and the first incident `matches` accepts is taken as made by that create, which is then not
 * sent again.
 */
export interface IncidentLookup {
  conditions: QueryCondition[];
  matches: (incident: IncidentView) => boolean;
}

export interface NoteView {
  id: number;
  /** The note's text with HTML removed, for duplicate checks. */
  text: string;
}

export interface TableRowView {
  id: number;
  cells: Record<string, string>;
}

export interface OrgInfo {
  id: number;
  name: string;
}

/** A custom incident field, data table column or data table as `setup` creates them. */
export interface FieldSpec {
  name: string;
  label: string;
  inputType: 'text' | 'textarea' | 'boolean' | 'number' | 'datetimepicker';
  tooltip?: string;
}

export interface DataTableSpec {
  name: string;
  label: string;
  columns: FieldSpec[];
}

export interface ArtifactTypeSpec {
  name: string;
  label: string;
  description: string;
}

export interface FieldDefinition {
  name: string;
  label: string;
  inputType: string;
  /** `always`, `close` or undefined. */
  required?: string;
  /** True for custom fields (prefix `properties`). */
  custom: boolean;
  /** Select values (e.g. resolution_id, severity_code), by label. */
  values: { id: number | string; label: string; enabled: boolean }[];
}

export interface SchemaView {
  incidentFields: FieldDefinition[];
  /** Data table API name → its column API names. */
  dataTables: Record<string, string[]>;
  /** Artifact type API names (built-in and custom). */
  artifactTypes: string[];
}

/** The session and the org: every other call is made under the org it resolves. */
export interface OrgSession {
  /** Resolves the org (API key: GET /rest/session; password: POST /rest/session). Idempotent. */
  connect(): Promise<OrgInfo>;
  /** The principal of the session (API key handle, or user id for a password login). */
  whoAmI(): Promise<SoarPrincipal>;
  /** `GET /rest/orgs/{id}`: false means the org sends no function invocations at all. */
  actionsFrameworkEnabled(): Promise<boolean>;
}

/** The incidents the sync escalates to and keeps up to date. */
export interface CaseSystem {
  /**
   * POST /incidents with the rendered payload (note and artifacts inline). Never re-sent blindly: after
   * a lost answer, only once `lookup` finds no such incident (without a lookup, not at all). Notes,
   * artifacts and rows below are likewise re-sent only when the incident's own list lacks them.
   */
  createIncident(payload: Record<string, unknown>, lookup?: IncidentLookup): Promise<IncidentView>;
  /** GET /incidents/{id}; undefined when SOAR answers 404. */
  getIncident(id: number): Promise<IncidentView | undefined>;
  /** PATCH /incidents/{id}; resolves a stale-value conflict by re-reading and retrying once. */
  patchIncident(id: number, changes: FieldChange[]): Promise<void>;
  /** POST /incidents/query_paged, page by page. */
  queryIncidents(query: IncidentQuery): AsyncIterable<IncidentView[]>;
  /** POST /incidents/query for the incidents of these ids (a few hundred at most): those SOAR holds. */
  incidentsById(ids: readonly number[]): Promise<IncidentView[]>;
  addNote(incidentId: number, note: RichText): Promise<void>;
  listNotes(incidentId: number): Promise<NoteView[]>;
  addArtifact(incidentId: number, artifact: ArtifactInput): Promise<void>;
  listArtifacts(incidentId: number): Promise<ArtifactView[]>;
  addTableRow(incidentId: number, table: string, cells: Record<string, string>): Promise<void>;
  listTableRows(incidentId: number, table: string): Promise<TableRowView[]>;
  /** PUT of one row's cells (the row keeps its id and the cells not given). Repeating it changes nothing more. */
  updateTableRow(incidentId: number, table: string, rowId: number, cells: Record<string, string>): Promise<void>;
}

/** The org's incident fields, data tables and artifact types: what `setup` creates and the daemon checks at start. */
export interface SchemaCatalog {
  /** Incident fields, data tables and artifact types that exist in the org. */
  readSchema(): Promise<SchemaView>;
  createIncidentField(field: FieldSpec): Promise<void>;
  createDataTable(table: DataTableSpec): Promise<void>;
  /** Adds missing columns to an existing data table. */
  createDataTableColumn(table: string, column: FieldSpec): Promise<void>;
  createArtifactType(type: ArtifactTypeSpec): Promise<void>;
}

/** Who the daemon is signed in as: what a message destination must list to let it subscribe. */
export type SoarPrincipal = { kind: 'apikey'; handle: number } | { kind: 'user'; userId: number };

export interface MessageDestinationView {
  id: number;
  programmaticName: string;
  /** API key handles (or key uuids) as strings. */
  apiKeys: string[];
  users: number[];
}

export interface FunctionView {
  id: number;
  name: string;
  displayName: string;
  /** The destination's programmatic name (read with handle_format=names). */
  destination: string;
  /** The uuids of its input fields (its view items), in order. */
  inputUuids: string[];
}

export interface FunctionFieldView {
  name: string;
  inputType: string;
  uuid: string;
  /** Select value labels. */
  values: string[];
}

/**
 * A customization object `setup` creates, as plain data: its API name (how a create whose answer
 * was lost finds it again) and the REST body. The bodies are built from the function definitions by
 * their owners (`functions/definitions-export.ts`, the same objects the App Host package exports).
 */
export interface CatalogObject {
  name: string;
  body: Record<string, unknown>;
}

/** What `setup` and `check` need of SOAR for the functions (message destination, functions, inputs). */
export interface FunctionCatalog {
  /** The principal of the session: what the destination must list (`OrgSession.whoAmI`). */
  whoAmI(): Promise<SoarPrincipal>;
  listMessageDestinations(): Promise<MessageDestinationView[]>;
  /** `destination.name` is its programmatic name. */
  createMessageDestination(destination: CatalogObject): Promise<MessageDestinationView>;
  /** Adds the principal to the destination's `api_keys` (or `users`): GET, then PUT of the same object. */
  addDestinationMember(destinationId: number, who: SoarPrincipal): Promise<void>;
  listFunctions(): Promise<FunctionView[]>;
  /** The body's view items name the org's uuids of the function's input fields (IBM's own, when it installed them). */
  createFunction(fn: CatalogObject): Promise<void>;
  listFunctionFields(): Promise<FunctionFieldView[]>;
  createFunctionField(field: CatalogObject): Promise<void>;
}
