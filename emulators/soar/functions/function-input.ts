import { z } from 'zod';
import { badRequest } from '../errors.js';
import type { NewDestination, NewFunction, NewRule } from '../state/functions-store.js';

/**
 * Request bodies of `/message_destinations` and `/functions` (soar-functions-contract.md §5.1, §5.3),
 * read with zod. Unknown keys (export.res carries many: `export_key`, `creator`, `id`…) are ignored,
 * as SOAR ignores them on create.
 */

const handle = z.union([z.number(), z.string().min(1)]);
const richText = z.object({ format: z.enum(['text', 'html']).default('text'), content: z.string().nullish() });

const DestinationSchema = z.object({
  programmatic_name: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an identifier'),
  name: z.string().min(1).optional(),
  destination_type: z.literal(0).optional(),
  expect_ack: z.boolean().optional(),
  api_keys: z.array(z.union([z.string(), z.number()])).optional(),
  users: z.array(z.number()).optional(),
  uuid: z.string().min(1).optional(),
});

const DestinationUpdateSchema = DestinationSchema.omit({ programmatic_name: true }).extend({ programmatic_name: z.string().optional() });

const ViewItemSchema = z.object({
  element: z.literal('field_uuid').optional(),
  content: z.string().min(1),
  field_type: z.literal('__function').optional(),
  show_link_header: z.boolean().optional(),
});

const FunctionSchema = z.object({
  name: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an identifier'),
  display_name: z.string().min(1).optional(),
  description: z.union([z.string(), richText]).nullish(),
  destination_handle: handle,
  uuid: z.string().min(1).optional(),
  view_items: z.array(ViewItemSchema).optional(),
  output_json_schema: z.string().optional(),
  output_json_example: z.string().optional(),
});

const FunctionUpdateSchema = FunctionSchema.partial();

function parse<T>(schema: z.ZodType<T>, body: unknown, what: string): T {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ');
  throw badRequest(`Bad Request: invalid ${what} (${issues}).`);
}

export function readDestinationInput(body: unknown): NewDestination {
  const d = parse(DestinationSchema, body, 'message destination');
  return {
    programmatic_name: d.programmatic_name,
    ...(d.name === undefined ? {} : { name: d.name }),
    ...(d.expect_ack === undefined ? {} : { expect_ack: d.expect_ack }),
    ...(d.api_keys === undefined ? {} : { api_keys: d.api_keys }),
    ...(d.users === undefined ? {} : { users: d.users }),
    ...(d.uuid === undefined ? {} : { uuid: d.uuid }),
  };
}

export function readDestinationUpdate(body: unknown): Partial<Omit<NewDestination, 'programmatic_name'>> & { programmatic_name?: string | undefined } {
  const d = parse(DestinationUpdateSchema, body, 'message destination');
  return {
    ...(d.programmatic_name === undefined ? {} : { programmatic_name: d.programmatic_name }),
    ...(d.name === undefined ? {} : { name: d.name }),
    ...(d.expect_ack === undefined ? {} : { expect_ack: d.expect_ack }),
    ...(d.api_keys === undefined ? {} : { api_keys: d.api_keys }),
    ...(d.users === undefined ? {} : { users: d.users }),
  };
}

export interface FunctionInput extends Omit<NewFunction, 'destination_handle'> {
  /** A destination id or programmatic name; the route resolves it. */
  destination_handle: number | string;
}

export function readFunctionInput(body: unknown): FunctionInput {
  const f = parse(FunctionSchema, body, 'function');
  return { ...toFunction(f), name: f.name, destination_handle: f.destination_handle };
}

export function readFunctionUpdate(body: unknown): Partial<FunctionInput> {
  return toFunction(parse(FunctionUpdateSchema, body, 'function'));
}

function toFunction(f: Partial<z.infer<typeof FunctionSchema>>): Partial<FunctionInput> {
  const description = typeof f.description === 'string' ? { format: 'text' as const, content: f.description }
    : f.description ? { format: f.description.format, content: f.description.content ?? '' } : undefined;
  return {
    ...(f.name === undefined ? {} : { name: f.name }),
    ...(f.display_name === undefined ? {} : { display_name: f.display_name }),
    ...(description === undefined ? {} : { description }),
    ...(f.destination_handle === undefined ? {} : { destination_handle: f.destination_handle }),
    ...(f.uuid === undefined ? {} : { uuid: f.uuid }),
    ...(f.view_items === undefined ? {} : { view_items: f.view_items.map((v) => ({ content: v.content, show_link_header: v.show_link_header ?? false })) }),
    ...(f.output_json_schema === undefined ? {} : { output_json_schema: f.output_json_schema }),
    ...(f.output_json_example === undefined ? {} : { output_json_example: f.output_json_example }),
  };
}

const RuleSchema = z.object({
  name: z.string().min(1),
  type: z.number().int().optional(),
  object_type: z.union([z.number(), z.string()]).optional(),
  logic_type: z.string().optional(),
  timeout_seconds: z.number().optional(),
  uuid: z.string().min(1).optional(),
  conditions: z.array(z.unknown()).nullish(),
  automations: z.array(z.unknown()).nullish(),
  view_items: z.array(z.unknown()).nullish(),
  workflows: z.array(z.string()).nullish(),
  message_destinations: z.array(handle).nullish(),
});

/** A rule as `POST /actions` or an export.res `actions[]` entry carries it; destinations by id or name. */
export function readRuleInput(body: unknown): Omit<NewRule, 'message_destinations'> & { message_destinations: (number | string)[] } {
  const r = parse(RuleSchema, body, 'rule');
  return {
    name: r.name,
    ...(r.type === undefined ? {} : { type: r.type }),
    ...(r.object_type === undefined ? {} : { object_type: r.object_type }),
    ...(r.logic_type === undefined ? {} : { logic_type: r.logic_type }),
    ...(r.timeout_seconds === undefined ? {} : { timeout_seconds: r.timeout_seconds }),
    ...(r.uuid === undefined ? {} : { uuid: r.uuid }),
    conditions: r.conditions ?? [],
    automations: r.automations ?? [],
    view_items: r.view_items ?? [],
    workflows: r.workflows ?? [],
    message_destinations: r.message_destinations ?? [],
  };
}
