import { badRequest } from '../errors.js';
import type { ResolvedUser } from '../options.js';
import type { FieldDef } from '../schema/field-def.js';
import { isRecord } from '../util.js';
import type { OutputOptions } from './output-options.js';
import { parseRichText, renderRichText, richTextEquals, type RichText } from './rich-text.js';

/**
 * Field values in and out. Stored ("canonical") forms: select → value id, multiselect → id list,
 * owner → user id, dates → epoch ms, textarea → RichText, the rest as JSON scalars.
 */

function invalid(def: FieldDef, raw: unknown): never {
  throw badRequest(`Invalid value for field '${def.name}' (${def.inputType}): ${JSON.stringify(raw) ?? 'undefined'}`);
}

/** A select handle: the value id, its label, `{id}` or `{name}`. */
export function resolveSelect(def: FieldDef, raw: unknown): number | string | undefined {
  if (isRecord(raw)) return resolveSelect(def, raw.id ?? raw.name);
  const exact = def.values.find((v) => v.value === raw || v.label === raw);
  if (exact) return exact.value;
  if (typeof raw !== 'string') return undefined;
  const lower = raw.toLowerCase();
  const byLabel = def.values.find((v) => v.label.toLowerCase() === lower);
  if (byLabel) return byLabel.value;
  return /^\d+$/.test(raw) ? def.values.find((v) => v.value === Number(raw))?.value : undefined;
}

/** [I] An owner handle: user id, email, `{id}` or `{name}` (group names are not emulated). */
export function resolveUser(users: readonly ResolvedUser[], raw: unknown): number | undefined {
  if (isRecord(raw)) return resolveUser(users, raw.id ?? raw.name);
  if (typeof raw === 'number') return users.find((u) => u.id === raw)?.id;
  if (typeof raw === 'string') return users.find((u) => u.email.toLowerCase() === raw.toLowerCase() || String(u.id) === raw)?.id;
  return undefined;
}

function normalizeDate(def: FieldDef, raw: unknown): number {
  if (typeof raw === 'number' && Number.isFinite(raw)) return Math.trunc(raw);
  if (typeof raw === 'string' && /^-?\d+$/.test(raw)) return Number(raw);
  // [I] IBM's GuardDuty app sends discovered_date as an ISO string; SOAR evidently parses it.
  const parsed = typeof raw === 'string' ? Date.parse(raw) : NaN;
  return Number.isNaN(parsed) ? invalid(def, raw) : parsed;
}

export function normalizeValue(def: FieldDef, raw: unknown, users: readonly ResolvedUser[]): unknown {
  if (raw === undefined) return null;
  switch (def.inputType) {
    case 'textarea':
      return parseRichText(raw, def.name);
    case 'multiselect':
    case 'multiselect_members': {
      if (raw === null) return [];
      // SOAR is strict here: a bare string for a multiselect is a 400 (resilient-python-api #28).
      if (!Array.isArray(raw)) return invalid(def, raw);
      const resolve = (h: unknown): unknown =>
        def.inputType === 'multiselect' ? resolveSelect(def, h) : resolveUser(users, h);
      return raw.map((h) => resolve(h) ?? invalid(def, h));
    }
    default:
      break;
  }
  if (raw === null) return null;
  switch (def.inputType) {
    case 'text':
      // [I] Jackson-style scalar coercion: IBM's app sends a float to the text field aws_guardduty_severity.
      if (typeof raw === 'string') return raw;
      return typeof raw === 'number' || typeof raw === 'boolean' ? String(raw) : invalid(def, raw);
    case 'number':
      if (typeof raw === 'number' && Number.isFinite(raw)) return raw;
      return typeof raw === 'string' && raw.trim() !== '' && Number.isFinite(Number(raw)) ? Number(raw) : invalid(def, raw);
    case 'boolean':
      if (typeof raw === 'boolean') return raw;
      // [I] Jackson also coerces the strings "true"/"false"; anything else is refused.
      return raw === 'true' || raw === 'false' ? raw === 'true' : invalid(def, raw);
    case 'select':
      return resolveSelect(def, raw) ?? invalid(def, raw);
    case 'select_owner':
      return resolveUser(users, raw) ?? invalid(def, raw);
    case 'datepicker':
    case 'datetimepicker':
      return normalizeDate(def, raw);
  }
  return invalid(def, raw);
}

function renderHandle(def: FieldDef, id: unknown, out: OutputOptions, users: readonly ResolvedUser[]): unknown {
  if (id === null || id === undefined) return null;
  // plan_status is always "A"/"C", whatever handle_format says.
  if (def.name === 'plan_status' || out.handleFormat === 'ids') return id;
  const name =
    def.inputType === 'select_owner' || def.inputType === 'multiselect_members'
      ? users.find((u) => u.id === id)?.email
      : def.values.find((v) => v.value === id)?.label;
  return out.handleFormat === 'names' ? (name ?? id) : { id, name: name ?? null };
}

export function renderValue(def: FieldDef, value: unknown, out: OutputOptions, users: readonly ResolvedUser[]): unknown {
  switch (def.inputType) {
    case 'textarea':
      return renderRichText((value ?? null) as RichText | null, out.textFormat);
    case 'select':
    case 'select_owner':
      return renderHandle(def, value, out, users);
    case 'multiselect':
    case 'multiselect_members':
      return Array.isArray(value) ? value.map((id) => renderHandle(def, id, out, users)) : [];
    default:
      return value ?? null;
  }
}

/** Equality of two stored values; null ≡ missing, and an empty list ≡ null. */
export function valuesEqual(def: FieldDef, a: unknown, b: unknown): boolean {
  const blankA = a === null || a === undefined || (Array.isArray(a) && a.length === 0);
  const blankB = b === null || b === undefined || (Array.isArray(b) && b.length === 0);
  if (blankA || blankB) return blankA && blankB;
  if (def.inputType === 'textarea') return richTextEquals(a as RichText, b as RichText);
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((x) => b.includes(x));
  }
  return a === b;
}

/** Like normalizeValue, for values that are only compared (old values): never throws. */
export function tryNormalize(def: FieldDef, raw: unknown, users: readonly ResolvedUser[]): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: normalizeValue(def, raw, users) };
  } catch {
    return { ok: false };
  }
}
