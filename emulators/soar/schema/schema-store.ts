import { badRequest } from '../errors.js';
import { ArtifactTypeRegistry } from './artifact-type-registry.js';
import { builtinIncidentFields, fixedUuid } from './builtin-incident-fields.js';
import type { FieldDef, InputType, Required } from './field-def.js';

export interface DataTableDef {
  id: number;
  name: string;
  label: string;
  uuid: string;
  columns: Map<string, FieldDef>;
}

export interface NewFieldInput {
  name: string;
  text?: string;
  inputType: InputType;
  tooltip?: string;
  placeholder?: string;
  required?: Required;
  values?: { label: string; enabled?: boolean; default?: boolean; hidden?: boolean }[];
  /** [I] Kept when given: function inputs are referred to by uuid (view_items), so an import or a
   * field created ahead of its function must keep the uuid the definitions carry. */
  uuid?: string;
}

/** The `__function` type (function inputs): type_id 11, as in export.res (soar-functions-contract.md §5.1). */
export const FUNCTION_TYPE_ID = 11;

/**
 * The `actioninvocation` type (a rule's activity fields, the inputs a menu-item rule asks for):
 * type_id 6 and prefix `properties`, as IBM's export.res files carry them
 * (`"export_key": "actioninvocation/<name>"`). resilient-circuits reads `GET /types/actioninvocation/fields`
 * at start and exits when it fails; a fresh org has none, so the list starts empty.
 */
export const ACTION_INVOCATION_TYPE_ID = 6;

/** [I] SOAR api names are identifiers; the exact rule of the server is not documented. */
const API_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * The org's schema: built-in and custom incident fields, data tables and artifact types. Custom
 * fields, tables and custom artifact types start absent; the daemon's `setup` creates them.
 */
export class SchemaStore {
  private readonly builtins = builtinIncidentFields();
  private readonly builtinByName = new Map(this.builtins.map((f) => [f.name, f]));
  private readonly custom = new Map<string, FieldDef>();
  private readonly tables = new Map<string, DataTableDef>();
  private readonly functionInputs = new Map<string, FieldDef>();
  private readonly activityFields = new Map<string, FieldDef>();
  readonly artifactTypes = new ArtifactTypeRegistry();
  private requiredOnClose: Set<string>;
  private nextId = 1000;
  private nextValueId = 300;

  constructor(requiredOnClose: readonly string[]) {
    this.requiredOnClose = new Set(requiredOnClose);
  }

  incidentField(handle: string | number): FieldDef | undefined {
    if (typeof handle === 'number' || /^\d+$/.test(handle)) {
      const id = Number(handle);
      return this.incidentFields().find((f) => f.id === id);
    }
    return this.builtinByName.get(handle) ?? this.custom.get(handle);
  }

  incidentFields(): FieldDef[] {
    return [...this.builtins, ...this.custom.values()];
  }

  customField(name: string): FieldDef | undefined {
    return this.custom.get(name);
  }

  customFields(): FieldDef[] {
    return [...this.custom.values()];
  }

  requiredOf(def: FieldDef): Required {
    if (def.requiredAlways) return 'always';
    return def.typeName === 'incident' && this.requiredOnClose.has(def.name) ? 'close' : null;
  }

  requiredOnCloseFields(): FieldDef[] {
    return this.incidentFields().filter((f) => this.requiredOnClose.has(f.name));
  }

  setRequiredOnClose(names: readonly string[]): void {
    const unknown = names.filter((n) => !this.incidentField(n));
    if (unknown.length > 0) throw badRequest(`Unknown incident field(s): ${unknown.join(', ')}`);
    this.requiredOnClose = new Set(names.map((n) => this.incidentField(n)?.name ?? n));
  }

  addIncidentField(input: NewFieldInput): FieldDef {
    if (this.builtinByName.has(input.name) || this.custom.has(input.name)) {
      throw badRequest(`An incident field named '${input.name}' already exists.`);
    }
    const def = this.newField(input, 'properties', 0, 'incident');
    this.custom.set(def.name, def);
    if (input.required === 'close') this.requiredOnClose.add(def.name);
    return def;
  }

  deleteIncidentField(name: string): boolean {
    if (!this.custom.delete(name)) return false;
    this.requiredOnClose.delete(name);
    return true;
  }

  /** Changes label, tooltip, select values or requiredness of an existing field (PUT /types/{type}/fields/{id}). */
  updateField(def: FieldDef, update: Partial<NewFieldInput>): FieldDef {
    if (update.text !== undefined) def.text = update.text;
    if (update.tooltip !== undefined) def.tooltip = update.tooltip;
    if (update.placeholder !== undefined) def.placeholder = update.placeholder;
    if (update.values !== undefined) def.values = this.mergeValues(def, update.values);
    if (update.required !== undefined && def.typeName === 'incident') {
      if (update.required === 'close') this.requiredOnClose.add(def.name);
      else this.requiredOnClose.delete(def.name);
    }
    return def;
  }

  /** The `__function` fields (function inputs), shared by every function that lists them. */
  functionFields(): FieldDef[] {
    return [...this.functionInputs.values()];
  }

  functionField(handle: string): FieldDef | undefined {
    return this.functionInputs.get(handle) ?? this.functionFields().find((f) => String(f.id) === handle || f.uuid === handle);
  }

  addFunctionField(input: NewFieldInput): FieldDef {
    if (this.functionInputs.has(input.name)) throw badRequest(`A function field named '${input.name}' already exists.`);
    const def = this.newField(input, null, FUNCTION_TYPE_ID, '__function');
    this.functionInputs.set(def.name, def);
    return def;
  }

  /** The `actioninvocation` fields (rules' activity fields). */
  actionInvocationFields(): FieldDef[] {
    return [...this.activityFields.values()];
  }

  actionInvocationField(handle: string): FieldDef | undefined {
    return this.activityFields.get(handle);
  }

  addActionInvocationField(input: NewFieldInput): FieldDef {
    if (this.activityFields.has(input.name)) throw badRequest(`An activity field named '${input.name}' already exists.`);
    const def = this.newField(input, 'properties', ACTION_INVOCATION_TYPE_ID, 'actioninvocation');
    this.activityFields.set(def.name, def);
    return def;
  }

  dataTable(handle: string): DataTableDef | undefined {
    if (/^\d+$/.test(handle)) return [...this.tables.values()].find((t) => t.id === Number(handle));
    return this.tables.get(handle);
  }

  dataTables(): DataTableDef[] {
    return [...this.tables.values()];
  }

  addDataTable(name: string, label: string, columns: readonly NewFieldInput[]): DataTableDef {
    if (!API_NAME.test(name)) throw badRequest(`Invalid data table name '${name}'.`);
    if (this.tables.has(name) || ['incident', 'artifact', '__function', 'actioninvocation'].includes(name)) {
      throw badRequest(`A type named '${name}' already exists.`);
    }
    const id = this.nextId++;
    const table: DataTableDef = { id, name, label, uuid: fixedUuid(8, id), columns: new Map() };
    for (const column of columns) this.addColumnTo(table, column);
    this.tables.set(name, table);
    return table;
  }

  addColumn(table: DataTableDef, input: NewFieldInput): FieldDef {
    return this.addColumnTo(table, input);
  }

  deleteDataTable(name: string): DataTableDef | undefined {
    const table = this.tables.get(name);
    this.tables.delete(name);
    return table;
  }

  private addColumnTo(table: DataTableDef, input: NewFieldInput): FieldDef {
    if (table.columns.has(input.name)) throw badRequest(`Data table '${table.name}' already has a column '${input.name}'.`);
    const def = this.newField(input, null, table.id, table.name);
    table.columns.set(def.name, def);
    return def;
  }

  private newField(input: NewFieldInput, prefix: 'properties' | null, typeId: number, typeName: string): FieldDef {
    if (!API_NAME.test(input.name)) throw badRequest(`Invalid field name '${input.name}'.`);
    const id = this.nextId++;
    const def: FieldDef = {
      id,
      name: input.name,
      text: input.text ?? input.name,
      inputType: input.inputType,
      prefix,
      requiredAlways: input.required === 'always',
      readOnly: false,
      internal: false,
      richText: input.inputType === 'textarea',
      blankOption: input.inputType === 'select',
      values: [],
      tooltip: input.tooltip ?? '',
      placeholder: input.placeholder ?? '',
      uuid: input.uuid ?? fixedUuid(3, id),
      typeId,
      typeName,
    };
    def.values = this.mergeValues(def, input.values ?? []);
    return def;
  }

  /** Keeps the ids of values whose label already exists; new labels get fresh ids. */
  private mergeValues(def: FieldDef, inputs: NonNullable<NewFieldInput['values']>): FieldDef['values'] {
    return inputs.map((v) => {
      const existing = def.values.find((e) => e.label === v.label);
      const value = existing?.value ?? this.nextValueId++;
      return {
        value,
        label: v.label,
        enabled: v.enabled ?? true,
        default: v.default ?? false,
        hidden: v.hidden ?? false,
        uuid: existing?.uuid ?? fixedUuid(2, typeof value === 'number' ? value : 0),
      };
    });
  }
}
