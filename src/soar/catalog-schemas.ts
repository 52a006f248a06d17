import { z } from 'zod';
import type { FieldDefinition, FieldSpec } from './case-system.js';

/**
 * SOAR's customization objects as the catalog adapter reads and creates them: incident fields, types
 * and data tables, artifact types, message destinations, functions and their input fields. Answers
 * are validated at the edge (only the fields we use); the bodies whose shape needs thought are built here.
 */

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
