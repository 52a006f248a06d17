import { htmlToText } from '../util/html-text.js';
import type { FieldChange, RichText } from './case-system.js';

/**
 * The PATCH request of an incident: each change as SOAR's PatchDTO takes it, and the re-plan after
 * a conflict (the changes still needed against the incident as it is now).
 */

type TypedValue = Record<string, unknown>;
type ValueKind = 'text' | 'boolean' | 'textarea' | 'id' | 'object';

/** One PatchDTO change (contract §2.3b): the bare field name, custom fields included. */
export function toPatchChange(change: FieldChange): { field: string; old_value: TypedValue; new_value: TypedValue } {
  return {
    field: change.field,
    old_value: typedValue(change.oldValue, change.newValue),
    new_value: typedValue(change.newValue, change.oldValue),
  };
}

/**
 * The FieldValueDTO of a value; SOAR takes exactly one key per value object. Strings → `{text}`
 * (fn_jira sends select names such as `resolution_id: "Resolved"` and `plan_status` this way),
 * booleans → `{boolean}`, RichText → `{textarea}`, an `{id}` handle → the select form `{id}`.
 * Everything else — numbers (as Kibana sends them), lists, `{name}` handles — goes as `{object}`,
 * the generic form IBM's own Python `Patch` uses for every field, so the server accepts it anywhere.
 * A null takes the form of its partner value, so old and new describe the same kind of field.
 */
export function typedValue(value: unknown, partner: unknown): TypedValue {
  const kind = kindOf(value);
  if (value === null || value === undefined) {
    const partnerKind = kindOf(partner);
    return { [partnerKind === 'text' || partnerKind === 'textarea' ? partnerKind : 'object']: null };
  }
  if (kind === 'text' && kindOf(partner) === 'textarea') {
    // SOAR returns rich text as HTML strings; keep the old value in the field's own form.
    return { textarea: { format: 'html', content: value } };
  }
  if (kind === 'textarea') {
    const rich = value as RichText;
    return { textarea: { format: rich.format, content: rich.content } };
  }
  if (kind === 'id') return { id: (value as { id: unknown }).id };
  return { [kind ?? 'object']: value };
}

function kindOf(value: unknown): ValueKind | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') return 'text';
  if (typeof value === 'boolean') return 'boolean';
  if (isRichText(value)) return 'textarea';
  if (isRecord(value) && Object.keys(value).length === 1 && typeof value['id'] === 'number') return 'id';
  return 'object';
}

function isRichText(value: unknown): value is RichText {
  return isRecord(value) && (value['format'] === 'text' || value['format'] === 'html') && typeof value['content'] === 'string';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * After a conflict: the changes still needed against the incident as it is now, with its actual
 * values as old values. A change whose field already holds the new value (our earlier attempt
 * landed, or a responder made the same edit) is dropped.
 */
export function replanChanges(changes: FieldChange[], incident: Record<string, unknown>): FieldChange[] {
  return changes.flatMap((c) => {
    const actual = currentValue(incident, c.field);
    return holds(actual, c.newValue) ? [] : [{ field: c.field, oldValue: actual ?? null, newValue: c.newValue }];
  });
}

function currentValue(incident: Record<string, unknown>, field: string): unknown {
  if (field !== 'properties' && field in incident) return incident[field];
  const props = incident['properties'];
  return isRecord(props) ? props[field] : undefined;
}

function holds(actual: unknown, wanted: unknown): boolean {
  if (isRichText(wanted)) {
    const text = isRecord(actual) ? actual['content'] : actual;
    return typeof text === 'string' && htmlToText(text) === htmlToText(wanted.content);
  }
  if (isRecord(wanted) && Object.keys(wanted).length === 1 && ('id' in wanted || 'name' in wanted)) {
    const handle = wanted['id'] ?? wanted['name'];
    return actual === handle || (isRecord(actual) && (actual['id'] === handle || actual['name'] === handle));
  }
  return JSON.stringify(actual ?? null) === JSON.stringify(wanted ?? null);
}
