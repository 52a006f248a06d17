import { SoarError, badRequest } from '../errors.js';
import type { RestRequest, RouteDef } from '../http/types.js';
import { ok, route } from '../http/types.js';
import type { SoarState } from '../state/soar-state.js';
import { ARTIFACT_TYPE_ID, artifactFieldDefs } from './artifact-fields.js';
import { renderFieldDef, type FieldDef } from './field-def.js';
import { readArtifactTypeInput, readFieldInput, readFieldUpdate, readTableInput } from './schema-input.js';
import { ACTION_INVOCATION_TYPE_ID, FUNCTION_TYPE_ID } from './schema-store.js';
import type { ArtifactTypeDef } from './artifact-type-registry.js';

/** A type as `/types` shows it: incident (type_id 0), artifact, or a data table (type_id 8). */
interface TypeView {
  id: number;
  typeId: number;
  name: string;
  label: string;
  uuid: string;
  fields: FieldDef[];
}

/** Types reachable by name but left out of `GET /types`; neither has the incident as parent. */
const NOT_LISTED = new Set([FUNCTION_TYPE_ID, ACTION_INVOCATION_TYPE_ID]);

function typeViews(state: SoarState): TypeView[] {
  return [
    { id: 0, typeId: 0, name: 'incident', label: 'Incident', uuid: 'incident', fields: state.schema.incidentFields() },
    { id: ARTIFACT_TYPE_ID, typeId: ARTIFACT_TYPE_ID, name: 'artifact', label: 'Artifact', uuid: 'artifact', fields: artifactFieldDefs(state.schema) },
    // [I] The function-input type is addressed by name (`/types/__function/fields`); its id is a guess.
    { id: FUNCTION_TYPE_ID, typeId: FUNCTION_TYPE_ID, name: '__function', label: 'Function', uuid: '__function', fields: state.schema.functionFields() },
    // A rule's activity fields; resilient-circuits lists them at start (`Actions.__init__`).
    { id: ACTION_INVOCATION_TYPE_ID, typeId: ACTION_INVOCATION_TYPE_ID, name: 'actioninvocation', label: 'Action Invocation', uuid: 'actioninvocation', fields: state.schema.actionInvocationFields() },
    ...state.schema.dataTables().map((t) => ({ id: t.id, typeId: 8, name: t.name, label: t.label, uuid: t.uuid, fields: [...t.columns.values()] })),
  ];
}

/** A missing type is a 404; resilient_customize treats any HTTP error as "type missing". */
function typeOr404(state: SoarState, handle: string): TypeView {
  const view = typeViews(state).find((t) => t.name === handle || String(t.id) === handle);
  if (!view) throw new SoarError(404, `Unable to find type '${handle}'.`);
  return view;
}

function fieldOr404(view: TypeView, handle: string): FieldDef {
  const def = view.fields.find((f) => f.name === handle || String(f.id) === handle);
  if (!def) throw new SoarError(404, `Unable to find field '${handle}' of type '${view.name}'.`);
  return def;
}

function renderType(state: SoarState, view: TypeView): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const def of view.fields) fields[def.name] = renderFieldDef(def, state.schema.requiredOf(def));
  return {
    id: view.id,
    type_id: view.typeId,
    type_name: view.name,
    display_name: view.label,
    fields,
    parent_types: view.typeId === 0 || NOT_LISTED.has(view.typeId) ? [] : ['incident'],
    uuid: view.uuid,
    actions: [],
    scripts: [],
    tags: [],
    properties: { can_create: view.typeId !== 8, can_destroy: view.typeId !== 8, for_who: [] },
    export_key: view.name,
  };
}

export function renderArtifactType(t: ArtifactTypeDef): Record<string, unknown> {
  // [I] `name` is the display name and `programmatic_name` the api name, as in SOAR's ArtifactTypeDTO.
  return { id: t.id, name: t.label, programmatic_name: t.apiName, desc: t.description, enabled: t.enabled, system: t.system, uuid: t.uuid, export_key: t.apiName, parent_id: null, hide_option: false, use_for_relationships: true, icon: null, actions: [] };
}

function addField(state: SoarState, req: RestRequest): FieldDef {
  const view = typeOr404(state, req.params.type ?? '');
  const input = readFieldInput(req.body);
  if (view.name === 'incident') return state.schema.addIncidentField(input);
  if (view.name === '__function') return state.schema.addFunctionField(input);
  if (view.name === 'actioninvocation') return state.schema.addActionInvocationField(input);
  const table = state.schema.dataTable(view.name);
  if (!table) throw badRequest(`Bad Request: fields cannot be added to '${view.name}'.`);
  return state.schema.addColumn(table, input);
}

export function schemaRoutes(state: SoarState): RouteDef[] {
  const field = (req: RestRequest): FieldDef => fieldOr404(typeOr404(state, req.params.type ?? ''), req.params.field ?? '');
  const render = (def: FieldDef): Record<string, unknown> => renderFieldDef(def, state.schema.requiredOf(def));
  return [
    // [I] `__function` and `actioninvocation` are left out of the listing (reachable by name): the emulator lists only what the daemon reads here.
    route('GET', '/types', () => ok(Object.fromEntries(typeViews(state).filter((v) => !NOT_LISTED.has(v.typeId)).map((v) => [v.name, renderType(state, v)])))),
    route('POST', '/types', (req) => {
      const input = readTableInput(req.body);
      const table = state.schema.addDataTable(input.name, input.label, input.columns);
      return ok(renderType(state, typeOr404(state, table.name)));
    }),
    route('GET', '/types/{type}', (req) => ok(renderType(state, typeOr404(state, req.params.type ?? '')))),
    route('GET', '/types/{type}/fields', (req) => ok(typeOr404(state, req.params.type ?? '').fields.map(render))),
    route('POST', '/types/{type}/fields', (req) => ok(render(addField(state, req)))),
    route('GET', '/types/{type}/fields/{field}', (req) => ok(render(field(req)))),
    route('PUT', '/types/{type}/fields/{field}', (req) => {
      const def = field(req);
      if (def.typeName === 'artifact') throw badRequest('Bad Request: artifact fields are not editable here; use /artifact_types.');
      return ok(render(state.schema.updateField(def, readFieldUpdate(req.body))));
    }),
    route('GET', '/artifact_types', () => ok({ entities: state.schema.artifactTypes.list().map(renderArtifactType) })),
    route('POST', '/artifact_types', (req) => ok(renderArtifactType(state.schema.artifactTypes.add(readArtifactTypeInput(req.body))))),
    route('GET', '/artifact_types/{atid}', (req) => {
      const type = state.schema.artifactTypes.resolve(req.params.atid);
      if (!type) throw new SoarError(404, `Unable to find object with ID ${req.params.atid ?? ''}`);
      return ok(renderArtifactType(type));
    }),
  ];
}
