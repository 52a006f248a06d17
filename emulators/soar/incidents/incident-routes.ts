import { SoarError, badRequest, errorBody, notFound } from '../errors.js';
import type { RestRequest, RestResponse, RouteDef } from '../http/types.js';
import { ok, route } from '../http/types.js';
import { queryIncidents } from '../query/incident-query.js';
import { page, parseQueryBody } from '../query/query-body.js';
import type { IncidentRecord } from '../state/records.js';
import type { SoarState } from '../state/soar-state.js';
import { isRecord } from '../util.js';
import { createIncident } from './incident-create.js';
import { incidentOr404 } from './incident-lookup.js';
import { renderIncident, returnLevel } from './incident-dto.js';
import { readIncidentFields } from './incident-input.js';
import { parsePatch, patchIncident } from './incident-patch.js';
import { applyChanges } from './incident-update.js';

/** Literal paths (`query`, `patch`, `open`) come before `{id}`: the router takes the first match. */
export function incidentRoutes(state: SoarState): RouteDef[] {
  return [
    route('POST', '/incidents', (req) => {
      const record = createIncident(state, req.body, req.principal);
      return ok(renderIncident(state, record, req.out, 'full'));
    }),
    route('POST', '/incidents/query', (req) => ok(query(state, req).map((r) => renderIncident(state, r, req.out, returnLevel(req.query, 'partial')))), { read: true }),
    route('POST', '/incidents/query_paged', (req) => queryPaged(state, req), { read: true }),
    route('PUT', '/incidents/patch', (req) => bulkPatch(state, req)),
    route('PUT', '/incidents/delete', (req) => bulkDelete(state, req)),
    route('GET', '/incidents/open', (req) => {
      const open = [...state.incidents.values()].filter((r) => r.values.plan_status === 'A');
      return ok(open.map((r) => renderIncident(state, r, req.out, returnLevel(req.query, 'partial'))));
    }),
    route('GET', '/incidents/{id}', (req) => ok(renderIncident(state, incidentOr404(state, req), req.out, returnLevel(req.query, 'full')))),
    route('PUT', '/incidents/{id}', (req) => ok(renderIncident(state, put(state, req), req.out, 'full'))),
    // [R co3base.delete] DELETE may answer 204 without a body; the incident's children go with it.
    route('DELETE', '/incidents/{id}', (req) => {
      state.deleteIncident(incidentOr404(state, req).id);
      return { status: 204 };
    }),
    route('PATCH', '/incidents/{id}', (req) => {
      const { status } = patchIncident(state, incidentOr404(state, req), parsePatch(req.body), req.out);
      return ok(status);
    }),
  ];
}

function query(state: SoarState, req: RestRequest): IncidentRecord[] {
  return queryIncidents(state, parseQueryBody(req.body));
}

function queryPaged(state: SoarState, req: RestRequest): RestResponse {
  const body = parseQueryBody(req.body);
  const level = returnLevel(req.query, 'partial');
  // [I] DataTables semantics: recordsTotal counts every incident, recordsFiltered the matches.
  const result = page(queryIncidents(state, body), state.incidents.size, body.start, body.length);
  return ok({ ...result, data: result.data.map((r) => renderIncident(state, r, req.out, level)) });
}

/**
 * PUT of a whole IncidentDTO. A stale `vers` is a 409 (IBM's get_put loops on it). [I] A missing
 * `vers` is a 400; fields absent from the body keep their values.
 */
function put(state: SoarState, req: RestRequest): IncidentRecord {
  const record = incidentOr404(state, req);
  if (!isRecord(req.body)) throw badRequest('Bad Request: the body must be an incident object.');
  if (typeof req.body.vers !== 'number') throw badRequest("Bad Request: 'vers' is required to update an incident.");
  if (req.body.vers !== record.vers) {
    throw new SoarError(409, `Conflict: incident ${record.id} has been changed by another user (version ${req.body.vers} is not the current version ${record.vers}).`);
  }
  return applyChanges(state, record, readIncidentFields(state, req.body));
}

/**
 * PUT /incidents/patch `{patches: {"<id>": PatchDTO}}`: each patch stands alone; the ones that fail
 * (conflict, validation, missing incident) are reported in `failures` by incident id. [I] shape of
 * the entries: the PatchStatusDTO or the error body.
 */
function bulkPatch(state: SoarState, req: RestRequest): RestResponse {
  const patches = isRecord(req.body) ? req.body.patches : undefined;
  if (!isRecord(patches)) throw badRequest("Bad Request: expected {\"patches\": {\"<incident id>\": {\"changes\": [...]}}}.");
  const failures: Record<string, unknown> = {};
  for (const [id, raw] of Object.entries(patches)) {
    const record = /^\d+$/.test(id) ? state.incidents.get(Number(id)) : undefined;
    if (!record) {
      failures[id] = errorBody(notFound(id).message);
      continue;
    }
    try {
      const { status } = patchIncident(state, record, parsePatch(raw), req.out);
      if (!status.success) failures[id] = status;
    } catch (error) {
      if (!(error instanceof SoarError)) throw error;
      failures[id] = errorBody(error.message);
    }
  }
  return ok({ success: Object.keys(failures).length === 0, title: null, message: null, hints: [], failures });
}

/**
 * `PUT /incidents/delete` with a JSON array of incident ids (numbers or numeric strings): SOAR's bulk
 * delete, as XSOAR's IBM SOAR integration sends it (`client.put("/incidents/delete", payload=ids)`)
 * and reads its PatchStatusDTO-shaped answer. [I] All or nothing: an id that names no incident is
 * SOAR's 404 for it and nothing is deleted (the contract is silent on partial deletes).
 */
function bulkDelete(state: SoarState, req: RestRequest): RestResponse {
  const raw: unknown[] | undefined = Array.isArray(req.body) ? (req.body as unknown[]) : undefined;
  const ids = raw?.map((id) => (typeof id === 'number' || typeof id === 'string') && /^\d+$/.test(String(id)) ? Number(id) : NaN);
  if (!ids || ids.some(Number.isNaN)) throw badRequest('Bad Request: expected a JSON array of incident ids.');
  const missing = ids.find((id) => !state.incidents.has(id));
  if (missing !== undefined) throw notFound(missing);
  for (const id of ids) state.deleteIncident(id);
  return ok({ success: true, title: null, message: null, hints: [] });
}
