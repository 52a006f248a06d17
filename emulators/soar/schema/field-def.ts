/**
 * A field definition (SOAR's fieldDef) as the emulator keeps it, and its wire rendering for
 * `/types/...` answers. Incident fields (built-in and custom) and data table columns share it.
 */

export const INPUT_TYPES = [
  'text',
  'textarea',
  'number',
  'boolean',
  'select',
  'multiselect',
  'datepicker',
  'datetimepicker',
  'select_owner',
  'multiselect_members',
] as const;

export type InputType = (typeof INPUT_TYPES)[number];

export interface SelectValue {
  /** Numeric id, except plan_status whose values are "A" and "C". */
  value: number | string;
  label: string;
  enabled: boolean;
  default: boolean;
  hidden: boolean;
  uuid: string;
}

export interface FieldDef {
  id: number;
  name: string;
  /** The label. */
  text: string;
  inputType: InputType;
  /** `properties` for custom incident fields, null for built-ins and data table columns. */
  prefix: 'properties' | null;
  /** Required on create. "Required on close" lives in the schema's own set, so tests can change it. */
  requiredAlways: boolean;
  /** Managed by the server (ids, dates the server stamps): ignored on create/PUT, refused in PATCH. */
  readOnly: boolean;
  internal: boolean;
  richText: boolean;
  blankOption: boolean;
  values: SelectValue[];
  tooltip: string;
  placeholder: string;
  uuid: string;
  /** The owning type: 0 for incident fields, the data table's id for columns. */
  typeId: number;
  typeName: string;
}

export type Required = 'always' | 'close' | null;

const OPERATIONS: Record<InputType, string[]> = {
  text: ['equals', 'not_equals', 'contains', 'not_contains', 'has_a_value', 'not_has_a_value', 'changed', 'changed_to'],
  textarea: ['contains', 'not_contains', 'has_a_value', 'not_has_a_value', 'changed'],
  number: ['equals', 'not_equals', 'gt', 'gte', 'lt', 'lte', 'has_a_value', 'not_has_a_value', 'changed', 'changed_to'],
  boolean: ['equals', 'not_equals', 'has_a_value', 'not_has_a_value', 'changed', 'changed_to'],
  select: ['equals', 'not_equals', 'in', 'not_in', 'has_a_value', 'not_has_a_value', 'changed', 'changed_to'],
  multiselect: ['contains', 'not_contains', 'has_a_value', 'not_has_a_value', 'changed'],
  datepicker: ['equals', 'gt', 'gte', 'lt', 'lte', 'has_a_value', 'not_has_a_value', 'changed'],
  datetimepicker: ['equals', 'gt', 'gte', 'lt', 'lte', 'has_a_value', 'not_has_a_value', 'changed'],
  select_owner: ['equals', 'not_equals', 'in', 'not_in', 'has_a_value', 'not_has_a_value', 'changed', 'changed_to'],
  multiselect_members: ['contains', 'not_contains', 'has_a_value', 'not_has_a_value', 'changed'],
};

export function renderFieldDef(def: FieldDef, required: Required): Record<string, unknown> {
  // Custom incident fields and data table columns can be deleted; built-ins cannot.
  const custom = def.prefix === 'properties' || (def.typeName !== 'incident' && def.typeName !== 'artifact');
  return {
    id: def.id,
    name: def.name,
    text: def.text,
    prefix: def.prefix,
    type_id: def.typeId,
    tooltip: def.tooltip,
    placeholder: def.placeholder,
    input_type: def.inputType,
    required,
    hide_notification: false,
    chosen: false,
    default_chosen_by_server: false,
    blank_option: def.blankOption,
    internal: def.internal,
    uuid: def.uuid,
    operations: OPERATIONS[def.inputType],
    operation_perms: {},
    values: def.values.map((v) => ({ ...v, properties: null })),
    perms: { delete: custom, modify_name: custom, modify_values: !def.readOnly, modify_blank: true, modify_required: true, sort: true },
    read_only: def.readOnly,
    changeable: !def.readOnly,
    rich_text: def.richText,
    export_key: `${def.typeName}/${def.name}`,
    templates: [],
    deprecated: false,
    calculated: false,
    is_tracked: false,
    allow_default_value: false,
  };
}
