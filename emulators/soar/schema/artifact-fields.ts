import type { FieldDef, InputType, SelectValue } from './field-def.js';
import { fixedUuid } from './builtin-incident-fields.js';
import type { SchemaStore } from './schema-store.js';

/** [I] type_id of the artifact type in `/types` (incident is 0, data tables 8). */
export const ARTIFACT_TYPE_ID = 4;

function def(id: number, name: string, text: string, inputType: InputType, readOnly: boolean, values: SelectValue[] = []): FieldDef {
  return {
    id,
    name,
    text,
    inputType,
    prefix: null,
    requiredAlways: name === 'type' || name === 'value',
    readOnly,
    internal: false,
    richText: inputType === 'textarea',
    blankOption: false,
    values,
    tooltip: '',
    placeholder: '',
    uuid: fixedUuid(5, id),
    typeId: ARTIFACT_TYPE_ID,
    typeName: 'artifact',
  };
}

/**
 * The artifact fields; `type.values[]` lists the artifact types as `{value: id, label}`, which is
 * what resilient-lib's `lookup_artifact_type` reads from `GET /types/artifact`.
 */
export function artifactFieldDefs(schema: SchemaStore): FieldDef[] {
  const types: SelectValue[] = schema.artifactTypes.list().map((t) => ({
    value: t.id,
    label: t.label,
    enabled: t.enabled,
    default: false,
    hidden: false,
    uuid: t.uuid,
  }));
  return [
    def(1, 'id', 'ID', 'number', true),
    def(2, 'type', 'Type', 'select', false, types),
    def(3, 'value', 'Value', 'text', false),
    def(4, 'description', 'Description', 'textarea', false),
    def(5, 'created', 'Date Created', 'datetimepicker', true),
  ];
}
