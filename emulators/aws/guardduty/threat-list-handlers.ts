import type { Detector } from '../state/detector.js';
import { maxResults } from './guardduty-input.js';
import { detectorOf, type GuardDutyRequest } from './guardduty-request.js';
import type { ThreatListOperation } from './guardduty-routes.js';
import { offsetToken, parseOffsetToken, queryHash } from '../protocol/paging.js';
import { AwsServiceError, badRequest } from '../protocol/service-error.js';
import type { EmulatorState } from '../state/state.js';
import { clientToken, parseCreateInput, parseUpdateChanges, type ThreatListInput } from './threat-list-input.js';
import { reloadThreatList } from './threat-list-load.js';
import { KINDS, threatListArn, type ThreatList, type ThreatListKind } from '../state/threat-list-store.js';
import type { JsonObject } from '../protocol/wire.js';

/**
 * Create/Get/List/Update/Delete of IPSets and ThreatIntelSets, from the service model: the same five
 * operations for both kinds, which differ only in names and quota.
 *
 * [I] where the model is silent:
 * - Only the administrator manages lists ("Only users from the administrator account can use this
 *   operation"): a member's Create/Update is 403 AccessDeniedException (the model lists it for
 *   both), its Delete 400 BadRequestException (Delete's only client error); its List and Get see
 *   the administrator's lists in the same region, as the model documents for List.
 * - A quota overrun, an unknown id and a ClientToken reused with other parameters are 400s.
 * - A ClientToken is remembered per detector and kind while its list exists.
 * - Deleting removes the list at once (no DELETE_PENDING/DELETED phase).
 */

type Verb = 'Create' | 'Get' | 'List' | 'Update' | 'Delete';
type Handler = (state: EmulatorState, req: GuardDutyRequest) => JsonObject;

const VERBS: Record<Verb, (state: EmulatorState, req: GuardDutyRequest, kind: ThreatListKind) => JsonObject> = {
  Create: create,
  Get: get,
  List: list,
  Update: update,
  Delete: remove,
};

/** The ten handlers, keyed by operation name (`CreateIPSet`, …, `DeleteThreatIntelSet`). */
export const THREAT_LIST_HANDLERS = Object.fromEntries(
  (['ipset', 'threatintelset'] as const).flatMap((kind) =>
    (Object.keys(VERBS) as Verb[]).map((verb): [ThreatListOperation, Handler] => [
      `${verb}${KINDS[kind].label}${verb === 'List' ? 's' : ''}` as ThreatListOperation,
      (state, req) => VERBS[verb](state, req, kind),
    ])),
) as Record<ThreatListOperation, Handler>;

function create(state: EmulatorState, req: GuardDutyRequest, kind: ThreatListKind): JsonObject {
  const detector = detectorOf(state, req);
  refuseMember(state, req, `create ${KINDS[kind].label}s`);
  const input = parseCreateInput(req.body);
  const token = clientToken(req.body.clientToken);
  const requestHash = queryHash({ kind, ...input });
  const { idMember } = KINDS[kind];
  const prior = token ? state.threatLists.priorCreate(detector.id, kind, token) : undefined;
  if (prior) {
    if (prior.requestHash !== requestHash) throw badRequest('The request is rejected because the clientToken was already used with different parameters.');
    return { [idMember]: prior.id };
  }
  const id = addThreatList(state, detector, kind, input).id;
  if (token) state.threatLists.rememberCreate(detector.id, kind, token, { id, requestHash });
  return { [idMember]: id };
}

/** Adds a list within the quota and loads it: CreateIPSet/CreateThreatIntelSet and the admin seed. */
export function addThreatList(state: EmulatorState, detector: Detector, kind: ThreatListKind, input: ThreatListInput): ThreatList {
  const { label, quota } = KINDS[kind];
  if (state.threatLists.of(detector.id, kind).length >= quota) {
    throw badRequest(`The request is rejected because account ${detector.accountId} already has ${quota} ${label}${quota > 1 ? 's' : ''} in ${detector.region}, the quota.`);
  }
  const id = state.prng.hex(32);
  const created: ThreatList = {
    kind, id, arn: threatListArn(kind, detector.region, detector.accountId, detector.id, id),
    detectorId: detector.id, accountId: detector.accountId, region: detector.region,
    ...input, status: 'INACTIVE', loads: 0, lastLoad: undefined,
  };
  reloadThreatList(state, created);
  state.threatLists.add(created);
  return created;
}

function get(state: EmulatorState, req: GuardDutyRequest, kind: ThreatListKind): JsonObject {
  const found = visibleList(state, req, kind);
  return {
    name: found.name,
    format: found.format,
    location: found.location,
    status: found.status,
    tags: found.tags,
    ...(found.expectedBucketOwner ? { expectedBucketOwner: found.expectedBucketOwner } : {}),
  };
}

/** Paged like ListDetectors (an offset token); a member lists its administrator's lists. */
function list(state: EmulatorState, req: GuardDutyRequest, kind: ThreatListKind): JsonObject {
  const detector = viewingDetector(state, req);
  const size = maxResults(req.query.get('maxResults') ?? undefined, 50, 50);
  const token = req.query.get('nextToken');
  const offset = token ? parseOffsetToken(token) : 0;
  const ids = detector ? state.threatLists.of(detector.id, kind).map((l) => l.id) : [];
  const page = ids.slice(offset, offset + size);
  const { listMember } = KINDS[kind];
  return offset + size < ids.length ? { [listMember]: page, nextToken: offsetToken(offset + size) } : { [listMember]: page };
}

function update(state: EmulatorState, req: GuardDutyRequest, kind: ThreatListKind): JsonObject {
  refuseMember(state, req, `update ${KINDS[kind].label}s`);
  const found = ownList(state, req, kind);
  // Everything is validated before anything changes: a rejected update changes nothing.
  Object.assign(found, parseUpdateChanges(req.body));
  // Every update makes GuardDuty read the list again: how a changed S3 object is picked up.
  reloadThreatList(state, found);
  return {};
}

function remove(state: EmulatorState, req: GuardDutyRequest, kind: ThreatListKind): JsonObject {
  if (state.isMember(req.caller.account.id)) {
    throw badRequest(`The request is rejected because account ${req.caller.account.id} is a GuardDuty member account. Only the administrator account can delete ${KINDS[kind].label}s.`);
  }
  const found = ownList(state, req, kind);
  state.threatLists.delete(found.id);
  return {};
}

/** The detector whose lists the caller sees: its own, or a member's administrator's in the region. */
function viewingDetector(state: EmulatorState, req: GuardDutyRequest): Detector | undefined {
  const own = detectorOf(state, req);
  const administrator = req.caller.account.administrator;
  return administrator ? state.store.detectorFor(administrator, own.region) : own;
}

function visibleList(state: EmulatorState, req: GuardDutyRequest, kind: ThreatListKind): ThreatList {
  const detector = viewingDetector(state, req);
  return listIn(state, detector, req.resourceId, kind);
}

function ownList(state: EmulatorState, req: GuardDutyRequest, kind: ThreatListKind): ThreatList {
  return listIn(state, detectorOf(state, req), req.resourceId, kind);
}

function listIn(state: EmulatorState, detector: Detector | undefined, id: string | undefined, kind: ThreatListKind): ThreatList {
  const found = id ? state.threatLists.get(id) : undefined;
  if (!found || !detector || found.detectorId !== detector.id || found.kind !== kind) {
    throw badRequest(`The request is rejected because the input ${KINDS[kind].idMember} ${id ?? ''} is not owned by the current account.`);
  }
  return found;
}

function refuseMember(state: EmulatorState, req: GuardDutyRequest, action: string): void {
  if (!state.isMember(req.caller.account.id)) return;
  throw new AwsServiceError(
    403,
    'AccessDeniedException',
    `The request is rejected because account ${req.caller.account.id} is a GuardDuty member account. Only the administrator account can ${action}.`,
  );
}
