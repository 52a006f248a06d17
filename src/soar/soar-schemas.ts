import { htmlToText } from '../util/html-text.js';
import { z } from 'zod';
import { ExternalServiceError } from '../errors.js';
import type {
  ArtifactView, FieldChange, FieldDefinition, FieldSpec, IncidentView, NoteView, RichText, TableRowView,
} from './case-system.js';

/**
 * SOAR's wire format. The responses the daemon reads are validated at the edge and mapped to the
 * views of `case-system.ts` (each schema declares only the fields we use; SOAR sends many more);
 * the request bodies whose shape needs thought (PATCH values, schema definitions) are built at
 * the end of the file.
 */

const handle = z.union([z.number(), z.string()]);

export const sessionSchema = z.object({
  orgs: z.array(z.object({
    id: z.number(),
    name: z.string(),
    uuid: z.string().nullish(),
    cloud_account: z.string().nullish(),
    enabled: z.boolean().default(true),
  })).default([]),
  session_ip: z.string().nullish(),
  // Who the session is: a message destination lists one of these to let it subscribe (functions).
  api_key_handle: z.number().nullish(),
  user_id: z.number().nullish(),
});
export type SessionBody = z.infer<typeof sessionSchema>;

/** Read with `handle_format=names` and `return_level=normal` (so `properties` and `vers` come back). */
export const incidentSchema = z.object({
  id: z.number(),
  name: z.string(),
  plan_status: z.enum(['A', 'C']),
  vers: z.number().default(0),
  // Absent from some create answers; create_date is the best stand-in then.
  inc_last_modified_date: z.number().nullish(),
  create_date: z.number().nullish(),
  // [I] Stamped by SOAR when the incident closes, cleared when it reopens.
  end_date: z.number().nullish(),
  properties: z.record(z.string(), z.unknown()).nullish(),
  resolution_id: handle.nullish(),
  // Read as it comes (HTML string or {format, content}): only ever sent back as a PATCH's old value.
  resolution_summary: z.unknown().optional(),
});

/** The incident as a plain record too, for reading the current value of any field (PATCH re-plan). */
export const rawIncidentSchema = incidentSchema.loose();

export const patchStatusSchema = z.object({
  success: z.boolean(),
  message: z.string().nullish(),
  field_failures: z.array(z.object({ field: z.unknown() }).loose()).nullish(),
});

/** `POST /incidents/query` answers a bare array of incidents. */
export const incidentListSchema = z.array(z.unknown());

export const queryPagedSchema = z.object({
  recordsTotal: z.number(),
  recordsFiltered: z.number().nullish(),
  data: z.array(z.unknown()),
});

const richTextOut = z.union([z.string(), z.object({ format: z.string().nullish(), content: z.string().nullish() })]);

interface CommentBody {
  id: number;
  text?: z.infer<typeof richTextOut> | null | undefined;
  children?: CommentBody[] | null | undefined;
}
const commentSchema: z.ZodType<CommentBody> = z.object({
  id: z.number(),
  text: richTextOut.nullish(),
  children: z.array(z.lazy(() => commentSchema)).nullish(),
});
export const commentListSchema = z.array(commentSchema);

export const artifactSchema = z.object({
  id: z.number(),
  // A name with handle_format=names; tolerate the id or a handle object from other versions.
  type: z.union([z.string(), z.number(), z.object({ name: z.string() })]),
  value: z.string(),
});

export const tableDataSchema = z.object({
  rows: z.array(z.object({
    id: z.number(),
    cells: z.record(z.string(), z.object({ value: z.unknown() }).loose().nullish()).default({}),
  })).default([]),
});

export const fieldDefSchema = z.object({
  name: z.string(),
  text: z.string().nullish(),
  input_type: z.string().nullish(),
  required: z.string().nullish(),
  prefix: z.string().nullish(),
  values: z.array(z.object({
    // Select values are ids for most fields, but strings for some built-ins (plan_status: "A"/"C").
    value: z.union([z.number(), z.string()]),
    label: z.string(),
    enabled: z.boolean().default(true),
  })).nullish(),
});
export const fieldDefListSchema = z.array(fieldDefSchema);

/** `GET /types`: a map keyed by type name; data tables have `type_id` 8. */
export const typesSchema = z.record(z.string(), z.object({
  type_id: z.number(),
  type_name: z.string().nullish(),
  fields: z.record(z.string(), z.object({ name: z.string().nullish() }).loose()).nullish(),
}).loose());

export const artifactTypesSchema = z.object({
  entities: z.array(z.object({ name: z.string(), programmatic_name: z.string().nullish() }).loose()),
});

/** `GET /types/artifact`: built-in and custom types as the values of the `type` field. */
export const artifactTypeFieldSchema = z.object({
  fields: z.object({
    type: z.object({ values: z.array(z.object({ label: z.string() }).loose()).default([]) }),
  }),
});

export function parseBody<S extends z.ZodType>(schema: S, data: unknown, operation: string): z.infer<S> {
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  const issues = result.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
  throw new ExternalServiceError({
    service: 'soar',
    operation,
    retryable: false,
    code: 'UNEXPECTED_RESPONSE',
    message: `${operation} failed: unexpected response from SOAR (${issues.join('; ')})`,
  });
}

export function toIncidentView(raw: z.infer<typeof incidentSchema>): IncidentView {
  return {
    id: raw.id,
    name: raw.name,
    planStatus: raw.plan_status,
    lastModified: raw.inc_last_modified_date ?? raw.create_date ?? 0,
    ...(raw.plan_status === 'C' && typeof raw.end_date === 'number' ? { closedAt: raw.end_date } : {}),
    vers: raw.vers,
    properties: raw.properties ?? {},
    resolutionId: raw.resolution_id ?? null,
    resolutionSummary: raw.resolution_summary ?? null,
  };
}

/** Notes with their HTML removed; threaded replies are included, since they may hold our notes too. */
export function toNoteViews(comments: CommentBody[]): NoteView[] {
  return comments.flatMap((c) => [
    { id: c.id, text: richTextToPlain(c.text) },
    ...toNoteViews(c.children ?? []),
  ]);
}

function richTextToPlain(text: CommentBody['text']): string {
  if (text === null || text === undefined) return '';
  if (typeof text === 'string') return htmlToText(text);
  // objects_convert_text should give text, but strip anyway: an older server may ignore it.
  return htmlToText(text.content ?? '');
}

export function toArtifactView(raw: z.infer<typeof artifactSchema>): ArtifactView {
  const type = typeof raw.type === 'object' ? raw.type.name : String(raw.type);
  return { id: raw.id, type, value: raw.value };
}

export function toTableRows(raw: z.infer<typeof tableDataSchema>): TableRowView[] {
  return raw.rows.map((row) => ({
    id: row.id,
    // SOAR may store an empty cell as null; '' keeps row comparisons stable.
    cells: Object.fromEntries(Object.entries(row.cells).map(([col, cell]) => [col, cellText(cell?.value)])),
  }));
}

function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

export function toFieldDefinition(raw: z.infer<typeof fieldDefSchema>): FieldDefinition {
  return {
    name: raw.name,
    label: raw.text ?? raw.name,
    inputType: raw.input_type ?? 'text',
    ...(raw.required ? { required: raw.required } : {}),
    custom: raw.prefix === 'properties',
    values: (raw.values ?? []).map((v) => ({ id: v.value, label: v.label, enabled: v.enabled })),
  };
}

export function toDataTables(raw: z.infer<typeof typesSchema>): Record<string, string[]> {
  const tables: Record<string, string[]> = {};
  for (const [key, type] of Object.entries(raw)) {
    if (type.type_id !== 8) continue;
    tables[type.type_name ?? key] = Object.entries(type.fields ?? {}).map(([name, f]) => f.name ?? name);
  }
  return tables;
}

/** contract §1.4: per org, `cloud_account`, then `uuid`, then `name`; the org must be enabled. */
export function selectOrg(session: SessionBody, wanted: string, operation: string): SessionBody['orgs'][number] {
  const fail = (code: string, message: string): never => {
    throw new ExternalServiceError({ service: 'soar', operation, retryable: false, code, message });
  };
  if (session.orgs.length === 0) {
    return fail('NO_ORGS', 'no orgs: the SOAR user or API key is a member of no org; add it to the org in SOAR');
  }
  const org = session.orgs.find((o) => o.cloud_account === wanted || o.uuid === wanted || o.name === wanted);
  if (!org) {
    const names = session.orgs.map((o) => o.name).join(', ');
    return fail('ORG_NOT_FOUND', `user is not a member of org '${wanted}'; member of: ${names}. Set [resilient] org to one of these`);
  }
  if (!org.enabled) {
    const ip = session.session_ip ? ` (session from ${session.session_ip})` : '';
    return fail('ORG_DISABLED', `org '${wanted}' is disabled${ip}; enable it in SOAR or choose another org`);
  }
  return org;
}

// ---- Request bodies -------------------------------------------------------------------------

type TypedValue = Record<string, unknown>;
type ValueKind = 'text' | 'boolean' | 'textarea' | 'id' | 'object';

/** One PatchDTO change (contract §2.3b): the bare field name, custom fields included. */
export function toPatchChange(change: FieldChange): { field: string; old_value: TypedValue; new_value: TypedValue } {
  return {
    field: change.field,
    old_value: typedValue(change.oldValue, change.newValue),
    new_value: typedValue(change.newValue, change.oldValue),
  };
}

/**
 * The FieldValueDTO of a value; SOAR takes exactly one key per value object. Strings → `{text}`
 * (fn_jira sends select names such as `resolution_id: "Resolved"` and `plan_status` this way),
 * booleans → `{boolean}`, RichText → `{textarea}`, an `{id}` handle → the select form `{id}`.
 * Everything else — numbers (as Kibana sends them), lists, `{name}` handles — goes as `{object}`,
 * the generic form IBM's own Python `Patch` uses for every field, so the server accepts it anywhere.
 * A null takes the form of its partner value, so old and new describe the same kind of field.
 */
export function typedValue(value: unknown, partner: unknown): TypedValue {
  const kind = kindOf(value);
  if (value === null || value === undefined) {
    const partnerKind = kindOf(partner);
    return { [partnerKind === 'text' || partnerKind === 'textarea' ? partnerKind : 'object']: null };
  }
  if (kind === 'text' && kindOf(partner) === 'textarea') {
    // SOAR returns rich text as HTML strings; keep the old value in the field's own form.
    return { textarea: { format: 'html', content: value } };
  }
  if (kind === 'textarea') {
    const rich = value as RichText;
    return { textarea: { format: rich.format, content: rich.content } };
  }
  if (kind === 'id') return { id: (value as { id: unknown }).id };
  return { [kind ?? 'object']: value };
}

function kindOf(value: unknown): ValueKind | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') return 'text';
  if (typeof value === 'boolean') return 'boolean';
  if (isRichText(value)) return 'textarea';
  if (isRecord(value) && Object.keys(value).length === 1 && typeof value['id'] === 'number') return 'id';
  return 'object';
}

function isRichText(value: unknown): value is RichText {
  return isRecord(value) && (value['format'] === 'text' || value['format'] === 'html') && typeof value['content'] === 'string';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * After a conflict: the changes still needed against the incident as it is now, with its actual
 * values as old values. A change whose field already holds the new value (our earlier attempt
 * landed, or a responder made the same edit) is dropped.
 */
export function replanChanges(changes: FieldChange[], incident: Record<string, unknown>): FieldChange[] {
  return changes.flatMap((c) => {
    const actual = currentValue(incident, c.field);
    return holds(actual, c.newValue) ? [] : [{ field: c.field, oldValue: actual ?? null, newValue: c.newValue }];
  });
}

function currentValue(incident: Record<string, unknown>, field: string): unknown {
  if (field !== 'properties' && field in incident) return incident[field];
  const props = incident['properties'];
  return isRecord(props) ? props[field] : undefined;
}

function holds(actual: unknown, wanted: unknown): boolean {
  if (isRichText(wanted)) {
    const text = isRecord(actual) ? actual['content'] : actual;
    return typeof text === 'string' && htmlToText(text) === htmlToText(wanted.content);
  }
  if (isRecord(wanted) && Object.keys(wanted).length === 1 && ('id' in wanted || 'name' in wanted)) {
    const handle = wanted['id'] ?? wanted['name'];
    return actual === handle || (isRecord(actual) && (actual['id'] === handle || actual['name'] === handle));
  }
  return JSON.stringify(actual ?? null) === JSON.stringify(wanted ?? null);
}

/**
 * [I] A fieldDef for `POST /types/{type}/fields` (and the `fields` of a new data table): the keys
 * `GET /types/incident/fields` returns (contract §2.9), with the values IBM's export files use for
 * a plain editable field. The caller adds `prefix: "properties"` for custom incident fields.
 */
export function fieldDef(spec: FieldSpec): Record<string, unknown> {
  return {
    name: spec.name,
    text: spec.label,
    input_type: spec.inputType,
    tooltip: spec.tooltip ?? '',
    placeholder: '',
    blank_option: false,
    read_only: false,
    rich_text: false,
    values: [],
  };
}


/** `GET /rest/orgs/{id}`: whether the org runs functions at all. */
export const orgSchema = z.object({ actions_framework_enabled: z.boolean().default(true) });

export const messageDestinationSchema = z.object({
  id: z.number(),
  programmatic_name: z.string(),
  api_keys: z.array(z.union([z.string(), z.number()])).nullish(),
  users: z.array(z.number()).nullish(),
});
/** The destination as read, every key kept: a PUT sends it back whole with only the members changed. */
export const rawMessageDestinationSchema = messageDestinationSchema.loose();
export const messageDestinationListSchema = z.object({ entities: z.array(messageDestinationSchema) });

/** Read with handle_format=names, so `destination_handle` is the programmatic name. */
export const functionListSchema = z.object({
  entities: z.array(z.object({
    id: z.number(),
    name: z.string(),
    display_name: z.string().nullish(),
    destination_handle: z.union([z.string(), z.number()]).nullish(),
    view_items: z.array(z.object({ content: z.string().nullish(), field_type: z.string().nullish() })).nullish(),
  })),
});

export const functionFieldListSchema = z.array(z.object({
  name: z.string(),
  input_type: z.string().nullish(),
  uuid: z.string(),
  values: z.array(z.object({ label: z.string() })).nullish(),
}));
