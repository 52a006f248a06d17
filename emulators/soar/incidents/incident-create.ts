import { badRequest } from '../errors.js';
import { readArtifactInput } from '../children/artifact-input.js';
import type { IncidentRecord, Principal } from '../state/records.js';
import type { SoarState } from '../state/soar-state.js';
import { isBlank, isRecord } from '../util.js';
import { parseRichText, type RichText } from '../values/rich-text.js';
import { readIncidentFields, fieldLabel } from './incident-input.js';
import { assertClosable } from './incident-update.js';

/**
 * POST /incidents: everything is validated before anything is stored, so a 400 leaves no partial
 * incident, note or artifact behind.
 */
export function createIncident(state: SoarState, body: unknown, principal: Principal): IncidentRecord {
  if (!isRecord(body)) throw badRequest('Bad Request: the body must be an incident object.');
  const missing = state.schema
    .incidentFields()
    .filter((def) => def.requiredAlways && isBlank(def.prefix ? (isRecord(body.properties) ? body.properties[def.name] : undefined) : body[def.name]));
  if (missing.length > 0) {
    throw badRequest(`The following required field(s) are missing: ${missing.map(fieldLabel).join(', ')}.`);
  }
  const changes = readIncidentFields(state, body);
  const notes = readInlineComments(body.comments);
  const artifacts = readInlineList(body.artifacts, 'artifacts').map((a) => readArtifactInput(state, a));

  const id = state.allocateIncidentId();
  const now = state.now();
  const user = state.userOf(principal);
  const record: IncidentRecord = {
    id,
    vers: 1,
    values: {
      ...defaults(state),
      ...changes.values,
      create_date: now,
      inc_last_modified_date: now,
      creator_id: user?.id ?? null,
      sequence_code: `I-${id}`,
      end_date: null,
    },
    properties: changes.properties,
    creator: principal,
  };
  if (record.values.plan_status === 'C') {
    assertClosable(state, record);
    record.values.end_date = now;
  }
  state.commit(record, undefined);
  for (const text of notes) state.comments.add(id, text, null, principal, now);
  for (const artifact of artifacts) state.artifacts.add(id, artifact, principal, now);
  return record;
}

/** The values a fresh incident has: select defaults (plan_status A, phase…), empty lists, false flags. */
function defaults(state: SoarState): Record<string, unknown> {
  const values: Record<string, unknown> = { inc_training: false, confirmed: false };
  for (const def of state.schema.incidentFields()) {
    if (def.prefix !== null) continue;
    const preset = def.values.find((v) => v.default);
    if (preset) values[def.name] = preset.value;
    if (def.inputType === 'multiselect') values[def.name] = [];
  }
  return values;
}

function readInlineList(raw: unknown, name: string): unknown[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw badRequest(`Invalid value for '${name}': expected a list.`);
  return raw;
}

function readInlineComments(raw: unknown): RichText[] {
  return readInlineList(raw, 'comments').map((c) => {
    const text = isRecord(c) ? parseRichText(c.text, 'comments.text') : null;
    if (!text) throw badRequest('Every inline comment needs a text.');
    return text;
  });
}
