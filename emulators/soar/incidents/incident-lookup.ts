import { notFound } from '../errors.js';
import type { RestRequest } from '../http/types.js';
import { idParam } from '../http/types.js';
import type { IncidentRecord } from '../state/records.js';
import type { SoarState } from '../state/soar-state.js';

/** The incident named by a path parameter, or SOAR's 404 "Unable to find object with ID n". */
export function incidentOr404(state: SoarState, req: RestRequest, param = 'id'): IncidentRecord {
  const record = state.incidents.get(idParam(req, param));
  if (!record) throw notFound(req.params[param] ?? '');
  return record;
}
