import { badRequest, notFound } from '../errors.js';
import type { RestRequest, RouteDef } from '../http/types.js';
import { idParam, ok, route } from '../http/types.js';
import { incidentOr404 } from '../incidents/incident-lookup.js';
import { compileCondition, compileSort, type QueryField } from '../query/condition.js';
import { page, parseQueryBody, type QueryCondition } from '../query/query-body.js';
import { artifactFieldDefs } from '../schema/artifact-fields.js';
import type { ArtifactRecord, IncidentRecord } from '../state/records.js';
import type { SoarState } from '../state/soar-state.js';
import type { OutputOptions } from '../values/output-options.js';
import { renderRichText } from '../values/rich-text.js';
import { readArtifactInput } from './artifact-input.js';
import { authorOf } from './principal-names.js';

const GETTERS: Record<string, (a: ArtifactRecord) => unknown> = {
  id: (a) => a.id,
  type: (a) => a.typeId,
  value: (a) => a.value,
  description: (a) => a.description,
  created: (a) => a.created,
};

/** Artifacts: POST answers a JSON array (apps use `[0]`); a duplicate (type, value) is not created twice. */
export function artifactRoutes(state: SoarState): RouteDef[] {
  return [
    route('POST', '/incidents/{id}/artifacts', (req) => {
      const incident = incidentOr404(state, req);
      const artifact = state.artifacts.add(incident.id, readArtifactInput(state, req.body), req.principal, state.now());
      return ok([renderArtifact(state, incident, artifact, req.out)]);
    }),
    route('GET', '/incidents/{id}/artifacts', (req) => {
      const incident = incidentOr404(state, req);
      return ok(state.artifacts.list(incident.id).map((a) => renderArtifact(state, incident, a, req.out)));
    }),
    route('POST', '/incidents/{id}/artifacts/query_paged', (req) => queryArtifacts(state, req), { read: true }),
    route('GET', '/incidents/{id}/artifacts/{aid}', (req) => {
      const incident = incidentOr404(state, req);
      const artifact = state.artifacts.get(incident.id, idParam(req, 'aid'));
      if (!artifact) throw notFound(req.params.aid ?? '');
      return ok(renderArtifact(state, incident, artifact, req.out));
    }),
  ];
}

function queryArtifacts(state: SoarState, req: RestRequest): ReturnType<typeof ok> {
  const incident = incidentOr404(state, req);
  const body = parseQueryBody(req.body);
  const defs = artifactFieldDefs(state.schema);
  const field = (name: string): QueryField<ArtifactRecord> => {
    const def = defs.find((d) => d.name === name);
    if (!def) throw badRequest(`Bad Request: unknown artifact query field '${name}'.`);
    return { def, get: GETTERS[name] ?? (() => null) };
  };
  // Artifact types are named by programmatic or display name; resolve them before comparing.
  const typeOperand = (c: QueryCondition): QueryCondition => {
    if (c.field_name !== 'type') return c;
    const resolve = (v: unknown): unknown => state.schema.artifactTypes.resolve(v)?.id ?? v;
    return { ...c, value: Array.isArray(c.value) ? c.value.map(resolve) : resolve(c.value) };
  };
  const filters = body.filters.map((f) => f.conditions.map((c) => compileCondition(field(c.field_name), typeOperand(c), state.users)));
  const all = state.artifacts.list(incident.id);
  const matched = filters.length === 0 ? [...all] : all.filter((a) => filters.some((preds) => preds.every((p) => p(a))));
  const sorts = body.sorts.map((s) => compileSort(field(s.field_name), s.type.toLowerCase() === 'desc' ? 'desc' : 'asc'));
  matched.sort((a, b) => sorts.reduce((acc, sort) => acc || sort(a, b), 0) || a.id - b.id);
  const result = page(matched, all.length, body.start, body.length);
  return ok({ ...result, data: result.data.map((a) => renderArtifact(state, incident, a, req.out)) });
}

export function renderArtifact(state: SoarState, incident: IncidentRecord, a: ArtifactRecord, out: OutputOptions): Record<string, unknown> {
  const type = state.schema.artifactTypes.resolve(a.typeId);
  const author = authorOf(state, a.creator);
  return {
    id: a.id,
    type: out.handleFormat === 'ids' ? a.typeId : out.handleFormat === 'names' ? (type?.apiName ?? a.typeId) : { id: a.typeId, name: type?.apiName ?? null },
    value: a.value,
    description: renderRichText(a.description, out.textFormat),
    attachment: null,
    parent_id: null,
    creator: { id: author.id, fname: author.fname, lname: author.lname, display_name: `${author.fname} ${author.lname}`.trim() },
    inc_id: incident.id,
    inc_name: incident.values.name ?? null,
    inc_owner: incident.values.owner_id ?? null,
    created: a.created,
    last_modified_time: a.created,
    hits: [],
    pending_sources: [],
    perms: { read: true, write: true, delete: true },
    properties: a.properties,
    actions: [],
    relating: null,
    related_incident_count: null,
    location: null,
    whois: null,
  };
}
