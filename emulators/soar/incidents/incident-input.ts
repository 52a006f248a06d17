import { badRequest } from '../errors.js';
import type { FieldDef } from '../schema/field-def.js';
import type { IncidentRecord } from '../state/records.js';
import type { SoarState } from '../state/soar-state.js';
import { isRecord } from '../util.js';
import { normalizeValue } from '../values/field-values.js';

/** Field values to write, in stored form: built-ins by name, custom fields under `properties`. */
export interface FieldChanges {
  values: Record<string, unknown>;
  properties: Record<string, unknown>;
}

/**
 * Reads the writable fields of an IncidentDTO (create or PUT). Read-only keys (id, vers,
 * create_date, end_date…) and keys SOAR answers but never reads (perms, actions…) are ignored, so a
 * GET result can be PUT back. [I] Unknown top-level keys are ignored too; unknown custom properties
 * are refused with a 400 naming every one.
 */
export function readIncidentFields(state: SoarState, body: Record<string, unknown>): FieldChanges {
  const changes: FieldChanges = { values: {}, properties: {} };
  for (const def of state.schema.incidentFields()) {
    if (def.prefix !== null || def.readOnly || !(def.name in body)) continue;
    changes.values[def.name] = normalizeValue(def, body[def.name], state.users);
  }
  const properties = body.properties;
  if (properties === undefined || properties === null) return changes;
  if (!isRecord(properties)) throw badRequest("Invalid value for 'properties': expected an object of custom field values.");
  const unknown = Object.keys(properties).filter((name) => !state.schema.customField(name));
  if (unknown.length > 0) {
    throw badRequest(
      `Unknown custom incident field(s): ${unknown.map((n) => `properties.${n}`).join(', ')}. Create the field(s) first (POST /types/incident/fields).`,
    );
  }
  for (const [name, raw] of Object.entries(properties)) {
    const def = state.schema.customField(name) as FieldDef;
    changes.properties[name] = normalizeValue(def, raw, state.users);
  }
  return changes;
}

/** The stored value of a field on an incident. */
export function currentValue(record: IncidentRecord, def: FieldDef): unknown {
  if (def.prefix === 'properties') return record.properties[def.name] ?? null;
  if (def.name === 'id') return record.id;
  return record.values[def.name] ?? null;
}

export function fieldLabel(def: FieldDef): string {
  return `${def.text} (${def.name})`;
}
