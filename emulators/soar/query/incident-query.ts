import { badRequest } from '../errors.js';
import { currentValue } from '../incidents/incident-input.js';
import type { IncidentRecord } from '../state/records.js';
import type { SoarState } from '../state/soar-state.js';
import { compileCondition, compileSort, type QueryField } from './condition.js';
import type { QueryBody, QueryFilter } from './query-body.js';

/**
 * Evaluates `/incidents/query` and `query_paged`: conditions are ANDed within a filter, filters
 * are ORed [I]. Custom fields are `properties.<name>`, built-ins bare; an unknown field is a 400.
 */
export function queryIncidents(state: SoarState, body: QueryBody): IncidentRecord[] {
  const filters: QueryFilter[] = body.filters.length > 0 ? body.filters : [{ conditions: [] }];
  const matched = new Set<IncidentRecord>();
  for (const filter of filters) {
    const predicates = filter.conditions.map((c) => compileCondition(incidentField(state, c.field_name), c, state.users));
    const any = filter.logic_type?.toUpperCase() === 'ANY';
    for (const record of candidates(state, filter, any)) {
      if (predicates.length === 0 || (any ? predicates.some((p) => p(record)) : predicates.every((p) => p(record)))) {
        matched.add(record);
      }
    }
  }
  const sorts = body.sorts.map((s) => compileSort(incidentField(state, s.field_name), s.type.toLowerCase() === 'desc' ? 'desc' : 'asc'));
  return [...matched].sort((a, b) => {
    for (const sort of sorts) {
      const diff = sort(a, b);
      if (diff !== 0) return diff;
    }
    return a.id - b.id;
  });
}

export function incidentField(state: SoarState, name: string): QueryField<IncidentRecord> {
  const custom = name.startsWith('properties.');
  const def = custom ? state.schema.customField(name.slice('properties.'.length)) : state.schema.incidentField(name);
  if (!def || (!custom && def.prefix !== null)) throw badRequest(`Bad Request: unknown query field '${name}'.`);
  return { def, get: (record) => currentValue(record, def) };
}

/** An `equals` on a text custom field narrows the scan to the indexed incidents. */
function candidates(state: SoarState, filter: QueryFilter, any: boolean): Iterable<IncidentRecord> {
  if (any) return state.incidents.values();
  for (const c of filter.conditions) {
    if (c.method !== 'equals' || !c.field_name.startsWith('properties.')) continue;
    if (typeof c.value !== 'string' && typeof c.value !== 'number') continue;
    const name = c.field_name.slice('properties.'.length);
    if (state.schema.customField(name)?.inputType !== 'text') continue;
    const ids = state.index.lookup(name, String(c.value));
    return [...ids].flatMap((id) => state.incidents.get(id) ?? []);
  }
  return state.incidents.values();
}
