import { badRequest } from '../errors.js';
import type { IncidentRecord } from '../state/records.js';
import type { SoarState } from '../state/soar-state.js';
import { isBlank } from '../util.js';
import type { FieldChanges } from './incident-input.js';
import { currentValue, fieldLabel } from './incident-input.js';

/**
 * Applies field changes to an incident as one edit: close rules are checked against the state
 * after the whole edit (a close PATCH carries its resolution fields), and nothing is stored when
 * they fail. Every applied edit bumps `vers` and `inc_last_modified_date`.
 */
export function applyChanges(state: SoarState, record: IncidentRecord, changes: FieldChanges, options: { enforceClose?: boolean } = {}): IncidentRecord {
  const next: IncidentRecord = {
    ...record,
    values: { ...record.values, ...changes.values },
    properties: { ...record.properties, ...changes.properties },
  };
  const wasClosed = record.values.plan_status === 'C';
  const isClosed = next.values.plan_status === 'C';
  if (isClosed && !wasClosed && options.enforceClose !== false) assertClosable(state, next);
  checkDates(next);
  const now = state.now();
  // [I] SOAR stamps end_date on close; on reopen it is cleared.
  if (isClosed && !wasClosed) next.values.end_date = now;
  if (!isClosed && wasClosed) next.values.end_date = null;
  next.values.inc_last_modified_date = now;
  next.vers = record.vers + 1;
  state.commit(next, record.properties);
  return next;
}

/**
 * [I] SOAR's answer to a close without its required fields is not documented: a 400 with the generic
 * body whose message names every missing field by label and api name.
 */
export function assertClosable(state: SoarState, record: IncidentRecord): void {
  const missing = state.schema.requiredOnCloseFields().filter((def) => isBlank(currentValue(record, def)));
  if (missing.length === 0) return;
  throw badRequest(
    `The incident cannot be closed because the following required field(s) have no value: ${missing.map(fieldLabel).join(', ')}.`,
  );
}

/** SOAR refuses a start date later than the discovered date (noted in IBM's SDK templates). */
function checkDates(record: IncidentRecord): void {
  const start = record.values.start_date;
  const discovered = record.values.discovered_date;
  if (typeof start === 'number' && typeof discovered === 'number' && start > discovered) {
    throw badRequest('Date Occurred (start_date) cannot be later than Date Discovered (discovered_date).');
  }
}
