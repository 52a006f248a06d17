import { ExternalServiceError } from '../core/errors.js';
import type {
  ArtifactTypeSpec, CatalogObject, DataTableSpec, FieldSpec, FunctionCatalog, FunctionFieldView, FunctionView, MessageDestinationView,
  OrgSession, SchemaCatalog, SchemaView, SoarPrincipal,
} from './case-system.js';
import {
  artifactTypeFieldSchema, artifactTypesSchema, fieldDef, fieldDefListSchema, functionFieldListSchema, functionListSchema,
  messageDestinationListSchema, messageDestinationSchema, rawMessageDestinationSchema, toDataTables, toFieldDefinition, typesSchema,
} from './catalog-schemas.js';
import type { SoarHttp } from './soar-http.js';
import { NAMES, parseBody } from './soar-wire.js';

/**
 * What `setup` and `check` read and create in the org over REST: incident fields, data tables and
 * artifact types (`SchemaCatalog`), the message destination, the functions and their input fields
 * (`FunctionCatalog`). Every create is found again by its API name should its answer be lost.
 */
export class CatalogApi implements SchemaCatalog, FunctionCatalog {
  constructor(
    private readonly http: SoarHttp,
    private readonly session: Pick<OrgSession, 'connect' | 'whoAmI'>,
  ) {}

  async readSchema(): Promise<SchemaView> {
    await this.session.connect();
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

  whoAmI(): Promise<SoarPrincipal> {
    return this.session.whoAmI();
  }

  async listMessageDestinations(): Promise<MessageDestinationView[]> {
    await this.session.connect();
    const op = 'GET /message_destinations';
    return parseBody(messageDestinationListSchema, await this.get('/message_destinations', op), op).entities.map(toDestinationView);
  }

  async createMessageDestination(destination: CatalogObject): Promise<MessageDestinationView> {
    await this.session.connect();
    const op = 'POST /message_destinations';
    let found: MessageDestinationView | undefined;
    const res = await this.http.request({
      method: 'POST', path: '/message_destinations', operation: op, retry: 'unsafe', body: destination.body,
      lookup: async () => (found = (await this.listMessageDestinations()).find((d) => d.programmaticName === destination.name)) !== undefined,
    });
    return res.found && found ? found : toDestinationView(parseBody(messageDestinationSchema, res.data, op));
  }

  async addDestinationMember(destinationId: number, who: SoarPrincipal): Promise<void> {
    await this.session.connect();
    const path = `/message_destinations/${destinationId}`;
    const current = parseBody(rawMessageDestinationSchema, await this.get(path, 'GET /message_destinations/{id}'), 'GET /message_destinations/{id}');
    // As resilient-circuits does (RC-cust load_import): the object read, with the member appended, PUT back.
    const body = who.kind === 'apikey'
      ? { ...current, api_keys: [...(current.api_keys ?? []), who.handle] }
      : { ...current, users: [...(current.users ?? []), who.userId] };
    await this.http.request({ method: 'PUT', path, operation: 'PUT /message_destinations/{id}', retry: 'idempotent', body });
  }

  async listFunctions(): Promise<FunctionView[]> {
    await this.session.connect();
    const op = 'GET /functions';
    return parseBody(functionListSchema, await this.get('/functions', op), op).entities.map((f) => ({
      id: f.id, name: f.name, displayName: f.display_name ?? f.name, destination: String(f.destination_handle ?? ''),
      inputUuids: (f.view_items ?? []).flatMap((v) => (v.content ? [v.content] : [])),
    }));
  }

  async createFunction(fn: CatalogObject): Promise<void> {
    await this.postSchema('/functions', 'POST /functions', fn.body, async () => (await this.listFunctions()).some((f) => f.name === fn.name));
  }

  async listFunctionFields(): Promise<FunctionFieldView[]> {
    await this.session.connect();
    const op = 'GET /types/__function/fields';
    return parseBody(functionFieldListSchema, await this.get('/types/__function/fields', op), op).map((f) => ({
      name: f.name, inputType: f.input_type ?? 'text', uuid: f.uuid, values: (f.values ?? []).map((v) => v.label),
    }));
  }

  async createFunctionField(field: CatalogObject): Promise<void> {
    await this.postSchema('/types/__function/fields', 'POST /types/__function/fields', field.body, async () =>
      (await this.listFunctionFields()).some((f) => f.name === field.name));
  }

  private async get(path: string, operation: string): Promise<unknown> {
    return (await this.http.request({ method: 'GET', path, operation, retry: 'idempotent', params: NAMES })).data;
  }

  /** A customization create; `lookup` says whether SOAR holds it already, should the answer be lost. */
  private async postSchema(path: string, operation: string, body: unknown, lookup: () => Promise<boolean>): Promise<void> {
    await this.session.connect();
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
