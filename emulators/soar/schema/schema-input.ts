import { z } from 'zod';
import { badRequest } from '../errors.js';
import { isRecord } from '../util.js';
import { INPUT_TYPES } from './field-def.js';
import type { NewArtifactTypeInput } from './artifact-type-registry.js';
import type { NewFieldInput } from './schema-store.js';

/** Request bodies of the schema-creating endpoints (the daemon's `setup`), read with zod. */

const FieldInputSchema = z.object({
  name: z.string().min(1),
  text: z.string().optional(),
  input_type: z.enum(INPUT_TYPES),
  tooltip: z.string().nullish(),
  placeholder: z.string().nullish(),
  required: z.enum(['always', 'close']).nullish(),
  values: z
    .array(z.object({ label: z.string(), enabled: z.boolean().optional(), default: z.boolean().optional(), hidden: z.boolean().optional() }))
    .optional(),
  uuid: z.string().min(1).optional(),
});

const FieldUpdateSchema = FieldInputSchema.partial();

const TypeInputSchema = z.object({
  type_name: z.string().min(1),
  display_name: z.string().optional(),
  type_id: z.number().optional(),
  fields: z.union([z.array(z.unknown()), z.record(z.string(), z.unknown())]).optional(),
});

const RichTextSchema = z.object({ format: z.string(), content: z.string() });

/** [I] The request shape is not documented; both SOAR's ArtifactTypeDTO names and plain ones are read. */
const ArtifactTypeInputSchema = z.object({
  programmatic_name: z.string().optional(),
  name: z.string().optional(),
  display_name: z.string().optional(),
  label: z.string().optional(),
  desc: z.union([z.string(), RichTextSchema]).nullish(),
  description: z.union([z.string(), RichTextSchema]).nullish(),
  enabled: z.boolean().optional(),
});

function parse<T>(schema: z.ZodType<T>, body: unknown, what: string): T {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ');
  throw badRequest(`Bad Request: invalid ${what} (${issues}).`);
}

function toFieldInput(f: z.infer<typeof FieldInputSchema>): NewFieldInput {
  return {
    name: f.name,
    text: f.text,
    inputType: f.input_type,
    tooltip: f.tooltip ?? undefined,
    placeholder: f.placeholder ?? undefined,
    required: f.required ?? null,
    values: f.values,
    ...(f.uuid === undefined ? {} : { uuid: f.uuid }),
  };
}

export function readFieldInput(body: unknown): NewFieldInput {
  return toFieldInput(parse(FieldInputSchema, body, 'field definition'));
}

export function readFieldUpdate(body: unknown): Partial<NewFieldInput> {
  const f = parse(FieldUpdateSchema, body, 'field definition');
  return { text: f.text, tooltip: f.tooltip ?? undefined, placeholder: f.placeholder ?? undefined, required: f.required, values: f.values };
}

/** `POST /types`: a data table (type_id 8) with its columns as a list or a map keyed by name. */
export function readTableInput(body: unknown): { name: string; label: string; columns: NewFieldInput[] } {
  const t = parse(TypeInputSchema, body, 'type definition');
  if (t.type_id !== undefined && t.type_id !== 8) throw badRequest('Bad Request: only data tables (type_id 8) can be created.');
  const raw = Array.isArray(t.fields)
    ? t.fields
    : Object.entries(t.fields ?? {}).map(([name, f]) => (isRecord(f) ? { name, ...f } : f));
  return { name: t.type_name, label: t.display_name ?? t.type_name, columns: raw.map((f) => readFieldInput(f)) };
}

export function readArtifactTypeInput(body: unknown): NewArtifactTypeInput {
  const a = parse(ArtifactTypeInputSchema, body, 'artifact type');
  const apiName = a.programmatic_name ?? a.name;
  if (!apiName) throw badRequest('Bad Request: an artifact type needs a programmatic_name (or name).');
  const label = a.programmatic_name ? (a.display_name ?? a.label ?? a.name) : (a.display_name ?? a.label);
  const desc = a.desc ?? a.description;
  return { apiName, label, description: typeof desc === 'string' ? desc : desc?.content, enabled: a.enabled };
}
