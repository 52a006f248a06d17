import { fixedUuid } from '../schema/builtin-incident-fields.js';

/**
 * The org's message destinations and functions, in memory: what the REST routes
 * (`/message_destinations`, `/functions`) write and the STOMP broker reads (who may subscribe to a
 * queue, and the `function` object of every invocation body). Reached as `state.functions`.
 *
 * Shapes follow `export.res` and the REST DTOs (soar-functions-contract.md §5.1, §5.3). Records are
 * stored in their wire shape so a route can answer `{...record}`; the store owns `id`, `uuid` (unless
 * given) and the `version` bump on update.
 */

/** A queue (destination_type 0) and the principals allowed to subscribe to it. */
export interface MessageDestinationRecord {
  id: number;
  programmatic_name: string;
  name: string;
  destination_type: 0;
  expect_ack: boolean;
  /**
   * API keys that may subscribe, as strings. resilient-circuits appends the session's
   * `api_key_handle` (a number) and export.res holds key uuids; [I] the emulator accepts a key when
   * this list holds its handle or its id, so store either (numbers are stringified on write).
   */
  api_keys: string[];
  /** User ids that may subscribe. */
  users: number[];
  uuid: string;
  tags: unknown[];
}

/** One input of a function: a `__function` field, referred to by uuid (the field lives in the schema). */
export interface FunctionViewItem {
  element: 'field_uuid';
  /** The uuid of the `__function` input field. */
  content: string;
  field_type: '__function';
  show_if: null;
  show_link_header: boolean;
  step_label: null;
}

export interface FunctionPrincipal {
  display_name: string;
  id: number;
  name: string;
  type: 'user' | 'apikey';
}

export interface FunctionRecord {
  id: number;
  /** The API name: what an invocation's `function.name` carries and the listener routes on. */
  name: string;
  display_name: string;
  description: { format: 'text' | 'html'; content: string };
  /** The programmatic name of the message destination the function's invocations go to. */
  destination_handle: string;
  uuid: string;
  version: number;
  view_items: FunctionViewItem[];
  tags: unknown[];
  workflows: unknown[];
  creator: FunctionPrincipal;
  last_modified_by: FunctionPrincipal;
  last_modified_time: number;
  /** As `resilient-sdk package` adds them: JSON strings, or absent. */
  output_json_schema?: string;
  output_json_example?: string;
}

export type NewDestination = Pick<MessageDestinationRecord, 'programmatic_name'> &
  Partial<Omit<MessageDestinationRecord, 'id' | 'programmatic_name' | 'api_keys'>> & { api_keys?: (string | number)[] };

export type NewFunction = Pick<FunctionRecord, 'name' | 'destination_handle'> &
  Partial<Omit<FunctionRecord, 'id' | 'name' | 'destination_handle' | 'view_items'>> & { view_items?: Partial<FunctionViewItem>[] };

/** Who created a definition seeded without a principal (the admin API, tests). [I] */
export const SYSTEM_PRINCIPAL: FunctionPrincipal = { display_name: 'Emulated Admin', id: 1, name: 'admin@example.com', type: 'user' };

/**
 * A rule (SOAR's REST name: an action): a menu item or an automatic rule, as `GET /actions` lists
 * it (pytest-resilient-circuits' recorded `200_JSON_GET__actions.json`). resilient-circuits reads
 * the list at start (`id`, `name`); the emulator runs no rule. `message_destinations` holds
 * programmatic names; the route renders them as ids unless `handle_format=names`.
 */
export interface RuleRecord {
  id: number;
  name: string;
  /** 0 automatic, 1 menu item (SOAR's ActionDTO type). */
  type: number;
  /** The object the rule acts on: 0 incident, 4 artifact, …, or a data table's type id. */
  object_type: number | string;
  logic_type: string;
  timeout_seconds: number;
  uuid: string;
  export_key: string;
  conditions: unknown[];
  automations: unknown[];
  view_items: unknown[];
  workflows: string[];
  message_destinations: string[];
  tags: unknown[];
}

export type NewRule = Pick<RuleRecord, 'name'> & Partial<Omit<RuleRecord, 'id' | 'name' | 'export_key'>>;

/** fixedUuid kinds already used: 2 values, 3 fields, 4 artifact types, 8 tables. */
const DESTINATION_UUID_KIND = 11;
const FUNCTION_UUID_KIND = 12;
const RULE_UUID_KIND = 13;

export class FunctionsStore {
  private readonly destinations = new Map<number, MessageDestinationRecord>();
  private readonly functions = new Map<number, FunctionRecord>();
  private readonly rules = new Map<number, RuleRecord>();
  private nextDestinationId = 1;
  private nextFunctionId = 1;
  private nextRuleId = 1;

  constructor(private readonly now: () => number) {}

  // --- message destinations ---

  /** Throws when the programmatic name is taken (SOAR refuses a duplicate; the route maps it to 400). */
  addDestination(input: NewDestination): MessageDestinationRecord {
    if (this.destination(input.programmatic_name)) throw new DuplicateDefinitionError('message destination', input.programmatic_name);
    const id = this.nextDestinationId++;
    const record: MessageDestinationRecord = {
      id,
      programmatic_name: input.programmatic_name,
      name: input.name ?? input.programmatic_name,
      destination_type: 0,
      expect_ack: input.expect_ack ?? true,
      api_keys: (input.api_keys ?? []).map(String),
      users: [...(input.users ?? [])],
      uuid: input.uuid ?? fixedUuid(DESTINATION_UUID_KIND, id),
      tags: [...(input.tags ?? [])],
    };
    this.destinations.set(id, record);
    return record;
  }

  listDestinations(): MessageDestinationRecord[] {
    return [...this.destinations.values()];
  }

  /** By id, or by programmatic name (the handle functions and queues use). */
  destination(idOrName: number | string): MessageDestinationRecord | undefined {
    if (typeof idOrName === 'number') return this.destinations.get(idOrName);
    for (const d of this.destinations.values()) if (d.programmatic_name === idOrName) return d;
    return undefined;
  }

  /** A PUT: the given fields replace the stored ones; `id` and `programmatic_name` never change. */
  updateDestination(id: number, patch: Partial<Omit<NewDestination, 'programmatic_name'>>): MessageDestinationRecord | undefined {
    const current = this.destinations.get(id);
    if (!current) return undefined;
    const next: MessageDestinationRecord = {
      ...current,
      name: patch.name ?? current.name,
      expect_ack: patch.expect_ack ?? current.expect_ack,
      api_keys: patch.api_keys ? patch.api_keys.map(String) : current.api_keys,
      users: patch.users ? [...patch.users] : current.users,
      tags: patch.tags ? [...patch.tags] : current.tags,
    };
    this.destinations.set(id, next);
    return next;
  }

  /** True when an API key (by handle or id) or a user may subscribe to the destination. */
  mayConsume(destination: MessageDestinationRecord, who: { apiKeyHandle: number; apiKeyId: string } | { userId: number }): boolean {
    if ('userId' in who) return destination.users.includes(who.userId);
    return destination.api_keys.includes(String(who.apiKeyHandle)) || destination.api_keys.includes(who.apiKeyId);
  }

  // --- functions ---

  /** Throws when the API name is taken. The destination is not checked here: the route decides. */
  addFunction(input: NewFunction, creator: FunctionPrincipal = SYSTEM_PRINCIPAL): FunctionRecord {
    if (this.function(input.name)) throw new DuplicateDefinitionError('function', input.name);
    const id = this.nextFunctionId++;
    const record: FunctionRecord = {
      id,
      name: input.name,
      display_name: input.display_name ?? input.name,
      description: input.description ?? { format: 'text', content: '' },
      destination_handle: input.destination_handle,
      uuid: input.uuid ?? fixedUuid(FUNCTION_UUID_KIND, id),
      version: input.version ?? 1,
      view_items: (input.view_items ?? []).map(viewItem),
      tags: [...(input.tags ?? [])],
      workflows: [...(input.workflows ?? [])],
      creator: input.creator ?? creator,
      last_modified_by: input.last_modified_by ?? creator,
      last_modified_time: this.now(),
      ...(input.output_json_schema !== undefined ? { output_json_schema: input.output_json_schema } : {}),
      ...(input.output_json_example !== undefined ? { output_json_example: input.output_json_example } : {}),
    };
    this.functions.set(id, record);
    return record;
  }

  listFunctions(): FunctionRecord[] {
    return [...this.functions.values()];
  }

  /** By id, or by API name. */
  function(idOrName: number | string): FunctionRecord | undefined {
    if (typeof idOrName === 'number') return this.functions.get(idOrName);
    for (const f of this.functions.values()) if (f.name === idOrName) return f;
    return undefined;
  }

  /** A PUT: given fields replace stored ones; `id`, `name` and `uuid` never change, `version` goes up. */
  updateFunction(id: number, patch: Partial<Omit<NewFunction, 'name'>>, by: FunctionPrincipal = SYSTEM_PRINCIPAL): FunctionRecord | undefined {
    const current = this.functions.get(id);
    if (!current) return undefined;
    const next: FunctionRecord = {
      ...current,
      display_name: patch.display_name ?? current.display_name,
      description: patch.description ?? current.description,
      destination_handle: patch.destination_handle ?? current.destination_handle,
      view_items: patch.view_items ? patch.view_items.map(viewItem) : current.view_items,
      tags: patch.tags ? [...patch.tags] : current.tags,
      workflows: patch.workflows ? [...patch.workflows] : current.workflows,
      output_json_schema: patch.output_json_schema ?? current.output_json_schema,
      output_json_example: patch.output_json_example ?? current.output_json_example,
      version: current.version + 1,
      last_modified_by: by,
      last_modified_time: this.now(),
    };
    if (next.output_json_schema === undefined) delete next.output_json_schema;
    if (next.output_json_example === undefined) delete next.output_json_example;
    this.functions.set(id, next);
    return next;
  }

  /** The functions whose invocations go to one destination. */
  functionsOf(destinationHandle: string): FunctionRecord[] {
    return this.listFunctions().filter((f) => f.destination_handle === destinationHandle);
  }

  // --- rules ---

  /** Throws when the name is taken (rules are unique by name in an org). */
  addRule(input: NewRule): RuleRecord {
    if (this.rule(input.name)) throw new DuplicateDefinitionError('rule', input.name);
    const id = this.nextRuleId++;
    const record: RuleRecord = {
      id,
      name: input.name,
      type: input.type ?? 1,
      object_type: input.object_type ?? 0,
      logic_type: input.logic_type ?? 'all',
      timeout_seconds: input.timeout_seconds ?? 86400,
      uuid: input.uuid ?? fixedUuid(RULE_UUID_KIND, id),
      export_key: input.name,
      conditions: [...(input.conditions ?? [])],
      automations: [...(input.automations ?? [])],
      view_items: [...(input.view_items ?? [])],
      workflows: [...(input.workflows ?? [])],
      message_destinations: [...(input.message_destinations ?? [])],
      tags: [...(input.tags ?? [])],
    };
    this.rules.set(id, record);
    return record;
  }

  listRules(): RuleRecord[] {
    return [...this.rules.values()];
  }

  /** By id, or by name. */
  rule(idOrName: number | string): RuleRecord | undefined {
    if (typeof idOrName === 'number') return this.rules.get(idOrName);
    for (const r of this.rules.values()) if (r.name === idOrName) return r;
    return undefined;
  }

  clear(): void {
    this.destinations.clear();
    this.functions.clear();
    this.rules.clear();
    this.nextDestinationId = 1;
    this.nextFunctionId = 1;
    this.nextRuleId = 1;
  }
}

export class DuplicateDefinitionError extends Error {
  constructor(
    readonly kind: 'message destination' | 'function' | 'rule',
    readonly definitionName: string,
  ) {
    super(`A ${kind} named "${definitionName}" already exists.`);
    this.name = 'DuplicateDefinitionError';
  }
}

function viewItem(item: Partial<FunctionViewItem>): FunctionViewItem {
  return {
    element: 'field_uuid',
    content: item.content ?? '',
    field_type: '__function',
    show_if: null,
    show_link_header: item.show_link_header ?? false,
    step_label: null,
  };
}
