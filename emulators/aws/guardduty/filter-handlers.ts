import { compileCriteria } from './criteria.js';
import type { Detector } from '../state/detector.js';
import type { Filter } from '../state/filter-store.js';
import { maxResults } from './guardduty-input.js';
import { detectorOf, type GuardDutyRequest } from './guardduty-request.js';
import type { FilterOperation } from './guardduty-routes.js';
import { offsetToken, parseOffsetToken } from '../protocol/paging.js';
import { badRequest, invalidParameter } from '../protocol/service-error.js';
import type { EmulatorState } from '../state/state.js';
import { optionalTagMap } from './tags.js';
import type { JsonObject } from '../protocol/wire.js';

/**
 * Saved finding filters (CreateFilter, GetFilter, ListFilters, UpdateFilter, DeleteFilter), per
 * detector, up to 100 (GuardDuty's quota), so that filters can be listed and tagged.
 *
 * [I] where the model is silent: the criteria are checked like ListFindings' (so `matches` and
 * `notMatches` are refused here too); an ARCHIVE filter is stored but not applied to findings; a
 * name that exists is a 400; the rank defaults to the next free position; ClientToken is not
 * remembered (a name is unique, so a retried create fails with "already exists").
 */

const NAME = /^[A-Za-z0-9._-]{3,64}$/;
const QUOTA = 100;

type Handler = (state: EmulatorState, req: GuardDutyRequest) => JsonObject;

export const FILTER_HANDLERS: Record<FilterOperation, Handler> = {
  CreateFilter: (state, req) => {
    const filters = state.filters.of(detectorOf(state, req).id);
    const name = filterName(req.body.name);
    if (filters.has(name)) throw badRequest(`The request is rejected because a filter named ${name} already exists.`);
    if (filters.size >= QUOTA) throw badRequest(`The request is rejected because the detector already has ${QUOTA} filters, the quota.`);
    if (req.body.findingCriteria === undefined) throw invalidParameter('findingCriteria', 'It is required.');
    filters.set(name, {
      name,
      description: undefined,
      action: 'NOOP',
      rank: filters.size + 1,
      findingCriteria: {},
      tags: optionalTagMap(req.body.tags, 'tags'),
      ...changes(req.body),
    });
    return { name };
  },
  GetFilter: (state, req) => {
    const { tags, ...filter } = existing(state, req);
    return { ...filter, tags };
  },
  ListFilters: (state, req) => {
    const names = [...state.filters.of(detectorOf(state, req).id).keys()];
    const size = maxResults(req.query.get('maxResults') ?? undefined, 50, 50);
    const token = req.query.get('nextToken');
    const offset = token ? parseOffsetToken(token) : 0;
    const page = names.slice(offset, offset + size);
    return offset + size < names.length ? { filterNames: page, nextToken: offsetToken(offset + size) } : { filterNames: page };
  },
  UpdateFilter: (state, req) => {
    const filter = existing(state, req);
    Object.assign(filter, changes(req.body));
    return { name: filter.name };
  },
  DeleteFilter: (state, req) => {
    const filter = existing(state, req);
    state.filters.of(req.detectorId ?? '').delete(filter.name);
    return {};
  },
};

function existing(state: EmulatorState, req: GuardDutyRequest): Filter {
  const detector: Detector = detectorOf(state, req);
  const filter = state.filters.get(detector.id, req.resourceId ?? '');
  if (!filter) throw badRequest(`The request is rejected because the filter ${req.resourceId ?? ''} does not exist.`);
  return filter;
}

/** The members a create or update sets, validated before anything changes. */
function changes(body: JsonObject): Partial<Filter> {
  const out: Partial<Filter> = {};
  if (body.description !== undefined && body.description !== null) {
    if (typeof body.description !== 'string' || body.description.length > 512) throw invalidParameter('description', 'It must be at most 512 characters.');
    out.description = body.description;
  }
  if (body.action !== undefined && body.action !== null) {
    if (body.action !== 'NOOP' && body.action !== 'ARCHIVE') throw invalidParameter('action', 'It must be NOOP or ARCHIVE.');
    out.action = body.action;
  }
  if (body.rank !== undefined && body.rank !== null) {
    if (typeof body.rank !== 'number' || !Number.isInteger(body.rank) || body.rank < 1 || body.rank > 100) throw invalidParameter('rank', 'It must be an integer from 1 to 100.');
    out.rank = body.rank;
  }
  if (body.findingCriteria !== undefined && body.findingCriteria !== null) {
    compileCriteria(body.findingCriteria);
    out.findingCriteria = body.findingCriteria as JsonObject;
  }
  return out;
}

function filterName(value: unknown): string {
  if (typeof value !== 'string' || !NAME.test(value)) {
    throw invalidParameter('name', 'It must be 3-64 characters of letters, digits, period (.), underscore (_) and dash (-).');
  }
  return value;
}
