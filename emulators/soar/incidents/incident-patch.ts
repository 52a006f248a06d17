import { z } from 'zod';
import { badRequest } from '../errors.js';
import type { FieldDef } from '../schema/field-def.js';
import type { IncidentRecord } from '../state/records.js';
import type { SoarState } from '../state/soar-state.js';
import { isRecord } from '../util.js';
import { normalizeValue, renderValue, tryNormalize, valuesEqual } from '../values/field-values.js';
import type { OutputOptions } from '../values/output-options.js';
import { currentValue, type FieldChanges } from './incident-input.js';
import { applyChanges } from './incident-update.js';

const ChangeSchema = z.object({
  field: z.union([z.string(), z.number(), z.object({ name: z.string().optional(), id: z.union([z.number(), z.string()]).optional() })]),
  old_value: z.unknown().optional(),
  new_value: z.unknown().optional(),
});

export const PatchSchema = z.object({
  version: z.number().int().nullish(),
  changes: z.array(ChangeSchema),
});

export type PatchBody = z.infer<typeof PatchSchema>;

/** PatchStatusDTO: 200 both on success and on a field conflict. */
export interface PatchStatus {
  success: boolean;
  title: null;
  message: string | null;
  hints: string[];
  field_failures?: { field: string; your_original_value: unknown; actual_current_value: unknown }[];
}

export const PATCH_OK: PatchStatus = { success: true, title: null, message: null, hints: [] };

export function parsePatch(body: unknown): PatchBody {
  const parsed = PatchSchema.safeParse(body);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ');
    throw badRequest(`Bad Request: invalid patch (${issues}).`);
  }
  return parsed.data;
}

/**
 * PATCH semantics read from IBM's live tests: a `version` equal to the current `vers` applies the
 * changes without looking at old values; a stale or missing version compares every old value with
 * the current one (null ≡ missing) and, on any mismatch, applies nothing and answers 200 with
 * `success:false` and `field_failures`. [I] `vers + 1` also counts as current: SOARCommon and
 * fn_jira send it. [I] With `version` omitted the old values are checked too.
 */
export function patchIncident(state: SoarState, record: IncidentRecord, patch: PatchBody, out: OutputOptions): { status: PatchStatus; record: IncidentRecord } {
  const changes = patch.changes.map((c) => {
    const def = resolveField(state, c.field);
    return { def, oldRaw: unwrapTyped(c.old_value, def), next: normalizeValue(def, unwrapTyped(c.new_value, def), state.users) };
  });
  const current = patch.version === record.vers || patch.version === record.vers + 1;
  if (!current) {
    const failures = changes.filter(({ def, oldRaw }) => {
      const old = tryNormalize(def, oldRaw, state.users);
      return !old.ok || !valuesEqual(def, old.value, currentValue(record, def));
    });
    if (failures.length > 0) {
      const names = failures.map((f) => f.def.name).join(', ');
      const status: PatchStatus = {
        success: false,
        title: null,
        // The double spaces are SOAR's own.
        message: `Patch could not be applied due to a conflicting edit by another user.  The following field(s) were in conflict:  ${names}.`,
        hints: [],
        field_failures: failures.map(({ def, oldRaw }) => ({
          field: def.name,
          your_original_value: oldRaw,
          actual_current_value: renderValue(def, currentValue(record, def), out, state.users),
        })),
      };
      return { status, record };
    }
  }
  const fieldChanges: FieldChanges = { values: {}, properties: {} };
  for (const { def, next } of changes) (def.prefix === 'properties' ? fieldChanges.properties : fieldChanges.values)[def.name] = next;
  if (changes.length === 0) return { status: PATCH_OK, record };
  return { status: PATCH_OK, record: applyChanges(state, record, fieldChanges) };
}

/**
 * `field` as a bare name, `{name}`, `{id}` or an id. Custom fields go by their bare api name;
 * [I] `properties.x` is refused, as the contract says clients must not send it.
 */
function resolveField(state: SoarState, handle: PatchBody['changes'][number]['field']): FieldDef {
  const key = isRecord(handle) ? (handle.name ?? handle.id) : handle;
  const def = key === undefined ? undefined : state.schema.incidentField(key);
  if (!def) throw badRequest(`Unknown incident field in patch: ${JSON.stringify(handle)}.`);
  if (def.readOnly) throw badRequest(`The field '${def.name}' is read-only and cannot be patched.`);
  return def;
}

/** A FieldValueDTO carries one typed key (object, text, textarea, id, ids, date, boolean…). */
function unwrapTyped(raw: unknown, def: FieldDef): unknown {
  if (raw === undefined || raw === null) return null;
  if (!isRecord(raw)) throw badRequest(`Invalid value for '${def.name}': a patch value must be an object such as {"object": …}.`);
  const keys = Object.keys(raw);
  if (keys.length > 1) throw badRequest(`Invalid value for '${def.name}': a patch value has exactly one typed key, got ${keys.join(', ')}.`);
  return keys.length === 0 ? null : raw[keys[0]];
}
