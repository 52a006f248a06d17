import { compileCriteria } from './criteria.js';
import { idList, maxResults, optionalString } from './guardduty-input.js';
import { archive, createSampleFindings, updateFeedback } from './guardduty-mutations.js';
import { detectorOf, type GuardDutyRequest } from './guardduty-request.js';
import type { GuardDutyOperation } from './guardduty-routes.js';
import { getFindingsStatistics } from './guardduty-statistics.js';
import { offsetToken, parseOffsetToken, queryHash, type Page } from '../protocol/paging.js';
import { sortFindings } from './sorting.js';
import { detectorBody, updateDetectorConfig } from './detector-config.js';
import { FILTER_HANDLERS } from './filter-handlers.js';
import { TAG_HANDLERS } from './tag-handlers.js';
import { THREAT_LIST_HANDLERS } from './threat-list-handlers.js';
import type { EmulatorState } from '../state/state.js';
import type { JsonObject } from '../protocol/wire.js';

/** The GuardDuty operations, each taking the parsed request and answering the JSON body of a 200. */

type Handler = (state: EmulatorState, req: GuardDutyRequest) => JsonObject;

const HANDLERS: Record<GuardDutyOperation, Handler> = {
  ListDetectors: listDetectors,
  GetDetector: (state, req) => detectorBody(detectorOf(state, req)),
  ListFindings: listFindings,
  GetFindings: getFindings,
  ArchiveFindings: (state, req) => archive(state, req, true),
  UnarchiveFindings: (state, req) => archive(state, req, false),
  CreateSampleFindings: createSampleFindings,
  UpdateFindingsFeedback: updateFeedback,
  GetFindingsStatistics: getFindingsStatistics,
  GetAdministratorAccount: getAdministratorAccount,
  UpdateDetector: (state, req) => (updateDetectorConfig(detectorOf(state, req), req.body, state.now()), {}),
  ...TAG_HANDLERS,
  ...FILTER_HANDLERS,
  ...THREAT_LIST_HANDLERS,
};

export function handleGuardDuty(state: EmulatorState, req: GuardDutyRequest): JsonObject {
  return HANDLERS[req.operation](state, req);
}

function listDetectors(state: EmulatorState, req: GuardDutyRequest): JsonObject {
  const size = maxResults(req.query.get('maxResults') ?? undefined, 50, 50);
  const token = req.query.get('nextToken');
  const offset = token ? parseOffsetToken(token) : 0;
  const detector = state.store.detectorFor(req.caller.account.id, req.region);
  const all = detector ? [detector.id] : [];
  const ids = all.slice(offset, offset + size);
  return offset + size < all.length ? { detectorIds: ids, nextToken: offsetToken(offset + size) } : { detectorIds: ids };
}

function listFindings(state: EmulatorState, req: GuardDutyRequest): JsonObject {
  const detector = detectorOf(state, req);
  const size = maxResults(req.body.maxResults, 50, 50);
  // Compiled on every page, so a malformed criterion is rejected even with a nextToken.
  const predicate = compileCriteria(req.body.findingCriteria);
  const hash = queryHash({ criteria: req.body.findingCriteria ?? null, sort: req.body.sortCriteria ?? null, maxResults: size });
  const scope = `${detector.id}/${req.caller.account.id}`;
  const token = optionalString(req.body, 'nextToken');
  if (token) return pageBody(state.snapshots.nextPage(token, hash, scope, size));
  const matching = sortFindings(state.visibleFindings(detector).filter(predicate), req.body.sortCriteria);
  return pageBody(state.snapshots.firstPage(matching.map((f) => f.id), hash, scope, size));
}

function pageBody(page: Page): JsonObject {
  return page.nextToken ? { findingIds: page.ids, nextToken: page.nextToken } : { findingIds: page.ids };
}

function getFindings(state: EmulatorState, req: GuardDutyRequest): JsonObject {
  const detector = detectorOf(state, req);
  const ids = [...new Set(idList(req.body, 'findingIds'))];
  // Ids the detector does not see (deleted, another account's) are simply absent, as in GuardDuty.
  const found = ids.map((id) => state.findVisible(detector, id)).filter((f) => f !== undefined);
  const findings = req.body.sortCriteria ? sortFindings(found, req.body.sortCriteria) : found;
  return { findings };
}

function getAdministratorAccount(state: EmulatorState, req: GuardDutyRequest): JsonObject {
  const detector = detectorOf(state, req);
  const administrator = req.caller.account.administrator;
  // [I] An account without an administrator gets an empty body (the SDK then yields no Administrator).
  if (!administrator) return {};
  return {
    administrator: {
      accountId: administrator,
      invitationId: queryHash({ administrator, member: detector.accountId }).padEnd(32, '0'),
      relationshipStatus: 'Enabled',
      invitedAt: detector.createdAt,
    },
  };
}
