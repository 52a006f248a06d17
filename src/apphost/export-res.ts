import { CUSTOM_ARTIFACT_TYPES } from '../artifacts/artifact-types.js';
import { DATA_TABLE_SPECS } from '../datatables/table-definitions.js';
import { EXPORT_FIELD_DEFAULTS, functionsExportSection } from '../functions/definitions-export.js';
import { APP_PACKAGE, uuidFromString } from '../functions/definitions.js';
import { CUSTOM_FIELDS } from '../incidents/custom-fields.js';
import type { DataTableSpec, FieldSpec } from '../soar/case-system.js';
import { fieldDef } from '../soar/catalog-schemas.js';
import { APP_NAME } from './app-name.js';
import { playbookObjects } from './playbooks.js';

/**
 * The package's `export.res` (soar-functions-contract.md §5.1): every customization the daemon
 * needs, from the same definitions `setup` creates over REST (the custom incident fields, the data
 * tables, the custom artifact types, the functions, their inputs and destination), plus the example
 * playbooks. App Host imports it when the app is installed, so an org gets what `setup` would make.
 * Built-in artifact types are not in it: every SOAR org has them.
 */

/** The SOAR version the package needs: playbooks need ≥ 44 (SDK); [I] 51 is what IBM's 2.0.0 was built for. */
export const MINIMUM_SOAR_VERSION = { major: 51, minor: 0, build_number: 0, version: '51.0.0.0' } as const;

export function buildExportRes(exportDate: Date): Record<string, unknown> {
  const fn = functionsExportSection();
  const fields = [...CUSTOM_FIELDS.map(incidentField), ...fn.fields];
  return tagCustomizations({
    export_format_version: 2,
    export_type: null,
    export_date: exportDate.getTime(),
    id: 1,
    locale: null,
    server_version: MINIMUM_SOAR_VERSION,
    fields: fields.map((f, i) => ({ id: i + 1, ...f })),
    types: DATA_TABLE_SPECS.map((t, i) => ({ id: i + 1, ...dataTable(t) })),
    incident_artifact_types: CUSTOM_ARTIFACT_TYPES.map((a, i) => artifactType(a, i + 1)),
    message_destinations: fn.message_destinations,
    functions: fn.functions.map((f, i) => ({ id: i + 1, ...f })),
    playbooks: playbookObjects(),
    // What a customizations export always carries, empty: this app adds none of these.
    action_order: [], actions: [], apps: [], automatic_tasks: [], geos: null, groups: null, inbound_destinations: [],
    inbound_mailboxes: null, incident_types: [], industries: null, layouts: [], notifications: null, overrides: [],
    phases: [], regulators: null, roles: [], scripts: [], tags: [], task_order: [], timeframes: null, workflows: [],
    workspaces: [],
  }, APP_NAME);
}

/**
 * The object lists `resilient-sdk package` tags (its SUPPORTED_RES_OBJ_NAMES), and with them each
 * function's `workflows`. Playbooks, layouts and the columns inside a data table are not tagged.
 */
export const TAGGED_OBJECT_LISTS = [
  'actions', 'automatic_tasks', 'fields', 'functions', 'incident_artifact_types', 'incident_types', 'message_destinations',
  'phases', 'roles', 'scripts', 'types', 'workflows', 'workspaces',
] as const;

/**
 * Tags every customization with the app, as `resilient-sdk package` does (`add_tag`: the list is
 * replaced by the one tag `{"tag_handle": <app name>, "value": null}`), so SOAR shows which app an
 * object came from. resilient-circuits' own import removes tags again; App Host keeps them.
 */
export function tagCustomizations(res: Record<string, unknown>, tagHandle: string): Record<string, unknown> {
  const tag = (obj: Record<string, unknown>): Record<string, unknown> => ({ ...obj, tags: [{ tag_handle: tagHandle, value: null }] });
  const out = { ...res };
  for (const key of TAGGED_OBJECT_LISTS) {
    const list = out[key];
    if (!Array.isArray(list)) continue;
    out[key] = (list as Record<string, unknown>[]).map((obj) => {
      const tagged = tag(obj);
      if (key === 'functions' && Array.isArray(obj.workflows)) tagged.workflows = (obj.workflows as Record<string, unknown>[]).map(tag);
      return tagged;
    });
  }
  return out;
}

/**
 * A custom artifact type with the keys of IBM's exports (IBM's GuardDuty types, 2021): not a file,
 * not multi-valued, no regular expression, not parsed as CSV, usable for relationships.
 */
function artifactType(a: (typeof CUSTOM_ARTIFACT_TYPES)[number], id: number): Record<string, unknown> {
  return {
    desc: a.description, enabled: true, export_key: a.name, file: false, id, multi_aware: false, name: a.label,
    parse_as_csv: false, programmatic_name: a.name, reg_exp: null, system: false, tags: [], use_for_relationships: true,
    uuid: uuidFromString(`${APP_PACKAGE}/incident_artifact_types/${a.name}`), version: 0,
  };
}

/** A column or incident field: the REST fieldDef `setup` posts, with the keys an export adds. */
function exportField(spec: FieldSpec, exportKey: string, typeId: number, prefix: string | null): Record<string, unknown> {
  return {
    ...fieldDef(spec),
    ...EXPORT_FIELD_DEFAULTS,
    export_key: exportKey,
    type_id: typeId,
    prefix,
    uuid: uuidFromString(`${APP_PACKAGE}/${exportKey}`),
  };
}

function incidentField(spec: FieldSpec): Record<string, unknown> {
  return exportField(spec, `incident/${spec.name}`, 0, 'properties');
}

// [I] Data table column type ids are per table in real exports (e.g. 1000); one id per table here.
function dataTable(table: DataTableSpec, index = DATA_TABLE_SPECS.indexOf(table)): Record<string, unknown> {
  const typeId = 1000 + index;
  return {
    type_name: table.name,
    display_name: table.label,
    export_key: table.name,
    type_id: 8,
    parent_types: ['incident'],
    uuid: uuidFromString(`${APP_PACKAGE}/types/${table.name}`),
    fields: Object.fromEntries(table.columns.map((c, order) => [c.name, { ...exportField(c, `${table.name}/${c.name}`, typeId, null), order, width: 150 }])),
    properties: { can_create: false, can_destroy: false, for_who: [] },
    actions: [], for_actions: false, for_custom_fields: false, for_notifications: false, for_workflows: false, scripts: [], tags: [],
  };
}
