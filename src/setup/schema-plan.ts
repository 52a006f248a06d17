import { BUILT_IN_ARTIFACT_TYPES, CUSTOM_ARTIFACT_TYPES } from '../artifacts/artifact-types.js';
import { DATA_TABLE_SPECS } from '../datatables/table-definitions.js';
import { CUSTOM_FIELDS } from '../incidents/custom-fields.js';
import type { ArtifactTypeSpec, DataTableSpec, FieldSpec, SchemaCatalog, SchemaView } from '../soar/case-system.js';

/** What the integration needs in SOAR and does not find there. */
export interface SchemaGap {
  fields: FieldSpec[];
  tables: DataTableSpec[];
  columns: { table: string; column: FieldSpec }[];
  artifactTypes: ArtifactTypeSpec[];
  /** Built-in artifact types the mapping uses that the org lacks (setup creates them as custom types). */
  builtInArtifactTypes: ArtifactTypeSpec[];
  /** Fields that exist with another input type: reported, never changed. */
  mismatched: string[];
}

export function findSchemaGaps(schema: SchemaView): SchemaGap {
  const fields = new Map(schema.incidentFields.map((f) => [f.name, f]));
  const gap: SchemaGap = { fields: [], tables: [], columns: [], artifactTypes: [], builtInArtifactTypes: [], mismatched: [] };
  for (const spec of CUSTOM_FIELDS) {
    const existing = fields.get(spec.name);
    if (!existing) gap.fields.push(spec);
    else if (existing.inputType !== spec.inputType) gap.mismatched.push(`incident field ${spec.name} is ${existing.inputType}, expected ${spec.inputType}`);
  }
  for (const table of DATA_TABLE_SPECS) {
    const columns = schema.dataTables[table.name];
    if (!columns) {
      gap.tables.push(table);
      continue;
    }
    for (const column of table.columns) if (!columns.includes(column.name)) gap.columns.push({ table: table.name, column });
  }
  const types = new Set(schema.artifactTypes);
  gap.artifactTypes = CUSTOM_ARTIFACT_TYPES.filter((t) => !types.has(t.name));
  gap.builtInArtifactTypes = BUILT_IN_ARTIFACT_TYPES.filter((name) => !types.has(name)).map((name) => ({
    name,
    label: name,
    description: `${name} (created by guardduty-soar because the org lacks this standard type)`,
  }));
  return gap;
}

export function gapIsEmpty(gap: SchemaGap): boolean {
  return gap.fields.length + gap.tables.length + gap.columns.length + gap.artifactTypes.length + gap.builtInArtifactTypes.length === 0;
}

/** One line per missing item, for `check` and `setup --dry-run`. */
export function describeGap(gap: SchemaGap): string[] {
  return [
    ...gap.fields.map((f) => `incident field ${f.name} (${f.label})`),
    ...gap.tables.map((t) => `data table ${t.name} (${t.label})`),
    ...gap.columns.map((c) => `column ${c.column.name} of data table ${c.table}`),
    ...[...gap.artifactTypes, ...gap.builtInArtifactTypes].map((t) => `artifact type ${t.name} (${t.label})`),
  ];
}

/** Creates what is missing, in dependency order; returns one line per object created. */
export async function applySchemaGap(soar: SchemaCatalog, gap: SchemaGap, onCreated: (line: string) => void): Promise<number> {
  let created = 0;
  const done = (line: string): void => {
    created += 1;
    onCreated(line);
  };
  for (const field of gap.fields) {
    await soar.createIncidentField(field);
    done(`created incident field ${field.name} (${field.label})`);
  }
  for (const table of gap.tables) {
    await soar.createDataTable(table);
    done(`created data table ${table.name} (${table.label}) with ${table.columns.length} columns`);
  }
  for (const { table, column } of gap.columns) {
    await soar.createDataTableColumn(table, column);
    done(`added column ${column.name} to data table ${table}`);
  }
  for (const type of [...gap.artifactTypes, ...gap.builtInArtifactTypes]) {
    await soar.createArtifactType(type);
    done(`created artifact type ${type.name} (${type.label})`);
  }
  return created;
}
