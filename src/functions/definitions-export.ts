import {
  FUNCTIONS, FUNCTION_INPUTS, MESSAGE_DESTINATION, inputDefinition,
  type FunctionDefinition, type FunctionInputDefinition, type MessageDestinationDefinition,
} from './definitions.js';

/**
 * The function definitions as `export.res` objects (soar-functions-contract.md §5.1) and as the
 * REST bodies `setup` sends (§5.3: the same objects without server-owned keys). The App Host
 * package writes the former; both come from `definitions.ts`, so they cannot disagree.
 */

/** A `__function` field: `POST /types/__function/fields` body and, with `id`, an export.res `fields[]` entry. */
export function functionFieldObject(def: FunctionInputDefinition): Record<string, unknown> {
  return {
    name: def.name,
    text: def.label,
    input_type: def.inputType,
    // As IBM's exports: "always" when required, the key left out otherwise (resilient-sdk docgen
    // does `"always" in i.get("required", "")`, which a null breaks).
    ...(def.required ? { required: 'always' } : {}),
    tooltip: def.tooltip,
    placeholder: def.placeholder,
    uuid: def.uuid,
    // [I] Select value ids are the server's; export.res carries small integers, which import renumbers.
    values: def.values.map((v, i) => ({ label: v.label, value: i + 1, uuid: v.uuid, enabled: true, hidden: false, default: false, properties: null })),
    blank_option: def.inputType === 'select',
    export_key: `__function/${def.name}`,
    type_id: 11,
    prefix: null,
    ...EXPORT_FIELD_DEFAULTS,
    rich_text: def.inputType === 'textarea',
  };
}

/** The keys of an export.res `fields[]` entry that are the same for every plain editable field. */
export const EXPORT_FIELD_DEFAULTS = {
  allow_default_value: false, calculated: false, changeable: true, chosen: false, default_chosen_by_server: false,
  deprecated: false, hide_notification: false, internal: false, is_tracked: false, operation_perms: {}, operations: [],
  read_only: false, tags: [], templates: [],
} as const;

/** `POST /message_destinations` body (users/api_keys are added by `setup` for its own principal). */
export function destinationObject(def: MessageDestinationDefinition = MESSAGE_DESTINATION): Record<string, unknown> {
  return {
    programmatic_name: def.programmaticName, name: def.name, destination_type: def.destinationType, expect_ack: def.expectAck,
    uuid: def.uuid, export_key: def.programmaticName, api_keys: [], users: [], tags: [],
  };
}

/**
 * `POST /functions` body and export.res `functions[]` entry: the inputs are the view items, by field
 * uuid. `inputUuids`: the org's uuids of the input fields in the function's order (IBM's own, when
 * its app installed them), for `setup`; the definitions' own by default.
 */
export function functionObject(def: FunctionDefinition, inputUuids: readonly string[] = []): Record<string, unknown> {
  return {
    name: def.name,
    display_name: def.displayName,
    description: { format: 'text', content: def.description },
    destination_handle: def.destination,
    uuid: def.uuid,
    export_key: def.name,
    version: 1,
    tags: [],
    workflows: [],
    view_items: def.inputs.map((name, i) => ({
      element: 'field_uuid', content: inputUuids[i] ?? inputDefinition(name).uuid, field_type: '__function', show_if: null, show_link_header: false, step_label: null,
    })),
  };
}

/** The function part of an export.res: fields, destination and functions (the package adds the rest). */
export function functionsExportSection(): { fields: Record<string, unknown>[]; message_destinations: Record<string, unknown>[]; functions: Record<string, unknown>[] } {
  return {
    fields: FUNCTION_INPUTS.map(functionFieldObject),
    message_destinations: [destinationObject()],
    functions: FUNCTIONS.map((def) => functionObject(def)),
  };
}
