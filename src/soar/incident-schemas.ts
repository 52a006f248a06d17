import { z } from 'zod';
import { htmlToText } from '../util/html-text.js';
import type { ArtifactView, IncidentView, NoteView, TableRowView } from './case-system.js';

/**
 * SOAR's incidents, notes, artifacts and data table rows as the incident adapter reads them,
 * validated at the edge and mapped to the views of `case-system.ts` (each schema declares only the
 * fields we use; SOAR sends many more).
 */

const handle = z.union([z.number(), z.string()]);

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
