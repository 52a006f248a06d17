import { z } from 'zod';
import { SoarError, badRequest } from '../errors.js';
import type { RouteDef } from '../http/types.js';
import { ok, route } from '../http/types.js';
import { readArtifactTypeInput, readFieldInput, readTableInput } from '../schema/schema-input.js';
import type { SoarState } from '../state/soar-state.js';
import { isRecord } from '../util.js';
import { readDestinationInput, readFunctionInput } from './function-input.js';
import { resolveFunction } from './function-routes.js';
import { addRule } from './rule-routes.js';
import { ACTION_INVOCATION_TYPE_ID } from '../schema/schema-store.js';

/**
 * The configuration import flow (soar-functions-contract.md §5.2), as `resilient-circuits
 * customize` and `resilient-sdk` drive it: `POST /configurations/imports` with a whole export.res
 * answers a PENDING import; `PUT /configurations/imports/{id}` with `status: "ACCEPTED"` applies it
 * (fields, data tables, artifact types, message destinations, functions, rules, in that order, because
 * functions refer to their input fields by uuid and rules to their destinations) and answers DONE; `"REJECTED"` cancels it.
 * Playbooks are checked, not stored (the emulator runs none): each function a playbook calls must
 * exist, in the org or in the import, and its scripts must be python3, as the SDK's validator wants.
 * [I] Objects whose name already exists are left as they are and named in `messages`, which is
 * what an import into an org that already has the app shows; an invalid object fails the import.
 */

interface ImportRecord {
  id: number;
  status: 'PENDING' | 'ACCEPTED' | 'REJECTED' | 'DONE' | 'FAILED';
  messages: { type: 'info' | 'warning' | 'error'; text: string }[];
  definition: ExportRes;
  create_date: number;
}

const entries = z.array(z.unknown()).nullish().transform((v) => v ?? []);
const ExportResSchema = z.object({
  export_format_version: z.number().optional(),
  fields: entries,
  types: entries,
  incident_artifact_types: entries,
  message_destinations: entries,
  functions: entries,
  actions: entries,
  playbooks: entries,
}).loose();
type ExportRes = z.infer<typeof ExportResSchema>;

const ConfirmSchema = z.object({ status: z.enum(['ACCEPTED', 'REJECTED']) }).loose();

export function importRoutes(state: SoarState): RouteDef[] {
  const imports = new Map<number, ImportRecord>();
  let nextId = 1;
  const render = (r: ImportRecord): Record<string, unknown> => ({ id: r.id, status: r.status, messages: r.messages, create_date: r.create_date });
  return [
    route('POST', '/configurations/imports', (req) => {
      const parsed = ExportResSchema.safeParse(req.body);
      if (!parsed.success) throw badRequest('Bad Request: the body is not an export (customizations) document.');
      const record: ImportRecord = { id: nextId++, status: 'PENDING', messages: [], definition: parsed.data, create_date: state.now() };
      imports.set(record.id, record);
      return ok(render(record));
    }),
    route('GET', '/configurations/imports/{id}', (req) => ok(render(importOr404(imports, req.params.id)))),
    route('PUT', '/configurations/imports/{id}', (req) => {
      const record = importOr404(imports, req.params.id);
      const confirm = ConfirmSchema.safeParse(req.body);
      if (!confirm.success) throw badRequest('Bad Request: status must be "ACCEPTED" or "REJECTED".');
      if (record.status !== 'PENDING') throw badRequest(`Bad Request: import ${record.id} is already ${record.status}.`);
      if (confirm.data.status === 'REJECTED') {
        record.status = 'REJECTED';
        return ok(render(record));
      }
      try {
        record.messages.push(...applyImport(state, record.definition));
        record.status = 'DONE';
      } catch (err) {
        record.status = 'FAILED';
        record.messages.push({ type: 'error', text: err instanceof Error ? err.message : String(err) });
      }
      return ok(render(record));
    }),
  ];
}

function importOr404(imports: Map<number, ImportRecord>, raw: string | undefined): ImportRecord {
  const record = imports.get(Number(raw));
  if (!record) throw new SoarError(404, `Unable to find import '${raw ?? ''}'.`);
  return record;
}

type Message = ImportRecord['messages'][number];

/** Applies an accepted export.res; returns what was created and what was left alone. */
export function applyImport(state: SoarState, res: ExportRes): Message[] {
  const messages: Message[] = [];
  const created = (text: string): void => void messages.push({ type: 'info', text: `Created ${text}.` });
  const kept = (text: string): void => void messages.push({ type: 'warning', text: `${text} already exists; left unchanged.` });
  const { schema, functions } = state;
  for (const raw of res.fields.filter(isRecord)) {
    const key = typeof raw.export_key === 'string' ? raw.export_key : '';
    const input = readFieldInput(raw);
    if (key.startsWith('__function/') || raw.type_id === 11) {
      if (schema.functionField(input.name)) kept(`Function field ${input.name}`);
      else { schema.addFunctionField(input); created(`function field ${input.name}`); }
    } else if (key.startsWith('actioninvocation/') || raw.type_id === ACTION_INVOCATION_TYPE_ID) {
      if (schema.actionInvocationField(input.name)) kept(`Activity field ${input.name}`);
      else { schema.addActionInvocationField(input); created(`activity field ${input.name}`); }
    } else if (key.startsWith('incident/') || raw.type_id === 0) {
      // [I] SOAR's own field internal_customizations_field ships in IBM's export.res like any custom field.
      if (schema.incidentField(input.name)) kept(`Incident field ${input.name}`);
      else { schema.addIncidentField(input); created(`incident field ${input.name}`); }
    }
  }
  for (const raw of res.types.filter(isRecord)) {
    if (raw.type_id !== 8) continue;
    const table = readTableInput(raw);
    const existing = schema.dataTable(table.name);
    if (!existing) { schema.addDataTable(table.name, table.label, table.columns); created(`data table ${table.name}`); continue; }
    const missing = table.columns.filter((c) => !existing.columns.has(c.name));
    for (const column of missing) schema.addColumn(existing, column);
    if (missing.length > 0) created(`columns ${missing.map((c) => c.name).join(', ')} of data table ${table.name}`);
    else kept(`Data table ${table.name}`);
  }
  for (const raw of res.incident_artifact_types) {
    const type = readArtifactTypeInput(raw);
    if (schema.artifactTypes.resolve(type.apiName)) kept(`Artifact type ${type.apiName}`);
    else { schema.artifactTypes.add(type); created(`artifact type ${type.apiName}`); }
  }
  for (const raw of res.message_destinations) {
    const input = readDestinationInput(raw);
    // [I] Key uuids and user ids of the exporting org mean nothing here: the import keeps neither.
    if (functions.destination(input.programmatic_name)) kept(`Message destination ${input.programmatic_name}`);
    else { functions.addDestination({ ...input, api_keys: [], users: [] }); created(`message destination ${input.programmatic_name}`); }
  }
  for (const raw of res.functions) {
    const input = readFunctionInput(raw);
    if (functions.function(input.name)) kept(`Function ${input.name}`);
    else { functions.addFunction(resolveFunction(state, input)); created(`function ${input.name}`); }
  }
  for (const raw of res.actions) {
    const name = isRecord(raw) && typeof raw.name === 'string' ? raw.name : '';
    if (functions.rule(name)) kept(`Rule ${name}`);
    else { addRule(state, raw); created(`rule ${name}`); }
  }
  const importedNames = new Map(res.functions.filter(isRecord).map((f) => [String(f.uuid), String(f.name)]));
  for (const raw of res.playbooks.filter(isRecord)) messages.push(checkPlaybook(state, raw, importedNames));
  return messages;
}

const FUNCTION_NODE = /<resilient:function uuid="([^"]+)">([^<]*)<\/resilient:function>/g;
const XML_ENTITIES: Record<string, string> = { '&quot;': '"', '&#39;': "'", '&apos;': "'", '&lt;': '<', '&gt;': '>', '&amp;': '&' };

/** A playbook of the import, checked: what SOAR would refuse fails the import. */
function checkPlaybook(state: SoarState, raw: Record<string, unknown>, importedNames: Map<string, string>): Message {
  const name = typeof raw.name === 'string' ? raw.name : '';
  const content = isRecord(raw.content) ? raw.content : {};
  if (name === '' || typeof content.xml !== 'string') throw new Error('A playbook needs a name and content.xml.');
  if (raw.activation_type !== 'manual' && raw.activation_type !== 'automatic') throw new Error(`Playbook ${name}: activation_type must be manual or automatic.`);
  const byUuid = new Map(state.functions.listFunctions().map((f) => [f.uuid, f.name]));
  for (const [, uuid = '', json = ''] of content.xml.matchAll(FUNCTION_NODE)) {
    // A function the org already had may have another uuid there: the import's own name then finds it.
    const fnName = byUuid.get(uuid) ?? importedNames.get(uuid);
    if (fnName === undefined || !state.functions.function(fnName)) throw new Error(`Playbook ${name} calls function ${uuid}, which is neither in the org nor in the import.`);
    let node: unknown;
    try {
      node = JSON.parse(json.replace(/&(?:quot|#39|apos|lt|gt|amp);/g, (e) => XML_ENTITIES[e] ?? e));
    } catch {
      throw new Error(`Playbook ${name}: the settings of function ${fnName} are not JSON.`);
    }
    const language = isRecord(node) ? node.pre_processing_script_language : undefined;
    if (language !== undefined && language !== 'python3') throw new Error(`Playbook ${name}: scripts must be python3, not ${JSON.stringify(language)}.`);
  }
  return { type: 'info', text: `Checked playbook ${name} (the emulator stores no playbooks).` };
}
