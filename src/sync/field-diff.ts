import type { FieldChange } from '../soar/case-system.js';

/**
 * The PATCH changes that turn what the daemon last wrote (`applied`) into what the update template
 * renders now (`desired`). `properties.x` becomes the bare custom field name, as SOAR's PATCH expects.
 */
export function diffFields(applied: Record<string, unknown>, desired: Record<string, unknown>): FieldChange[] {
  const before = flatten(applied);
  const changes: FieldChange[] = [];
  for (const [field, newValue] of flatten(desired)) {
    const oldValue = before.get(field) ?? null;
    if (JSON.stringify(oldValue) !== JSON.stringify(newValue ?? null)) changes.push({ field, oldValue, newValue: newValue ?? null });
  }
  return changes;
}

function flatten(fields: Record<string, unknown>): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const [key, value] of Object.entries(fields)) {
    if (key === 'properties' && typeof value === 'object' && value !== null && !Array.isArray(value)) {
      for (const [prop, propValue] of Object.entries(value)) out.set(prop, propValue);
    } else {
      out.set(key, value);
    }
  }
  return out;
}

/** Applies changes to an `applied` record, keeping the properties nesting. */
export function applyChanges(applied: Record<string, unknown>, desired: Record<string, unknown>): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...applied, ...desired };
  if (typeof applied.properties === 'object' || typeof desired.properties === 'object') {
    merged.properties = { ...(applied.properties as object | undefined), ...(desired.properties as object | undefined) };
  }
  return merged;
}
