import { z } from 'zod';
import { badRequest } from '../errors.js';

const ConditionSchema = z.object({
  field_name: z.string(),
  method: z.string(),
  value: z.unknown().optional(),
});

const FilterSchema = z.object({
  conditions: z.array(ConditionSchema).default([]),
  /** [I] Seen once in an app ("ALL"); ANY is taken to OR the conditions of the filter. */
  logic_type: z.enum(['ALL', 'ANY', 'all', 'any']).optional(),
});

const SortSchema = z.object({
  field_name: z.string(),
  type: z.enum(['asc', 'desc', 'ASC', 'DESC']).default('asc'),
});

export const QueryBodySchema = z.object({
  filters: z.array(FilterSchema).default([]),
  sorts: z.array(SortSchema).default([]),
  start: z.number().int().min(0).optional(),
  length: z.number().int().min(0).optional(),
});

export type QueryBody = z.infer<typeof QueryBodySchema>;
export type QueryCondition = z.infer<typeof ConditionSchema>;
export type QueryFilter = z.infer<typeof FilterSchema>;

/** An empty body is "everything"; anything malformed is SOAR's 400. */
export function parseQueryBody(body: unknown): QueryBody {
  const parsed = QueryBodySchema.safeParse(body ?? {});
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ');
    throw badRequest(`Bad Request: invalid query (${issues}).`);
  }
  return parsed.data;
}

/** `{recordsTotal, recordsFiltered, data}` for one page; without `length` the rest is one page. */
export function page<T>(items: readonly T[], total: number, start: number | undefined, length: number | undefined): { recordsTotal: number; recordsFiltered: number; data: T[] } {
  const from = start ?? 0;
  const to = length === undefined ? items.length : from + length;
  return { recordsTotal: total, recordsFiltered: items.length, data: items.slice(from, to) };
}
