import { detectorOf, type GuardDutyRequest } from './guardduty-request.js';
import { idList, optionalString, optionalStringList } from './guardduty-input.js';
import { buildFinding } from './samples/sample-findings.js';
import { bindBatch } from './samples/sample-sequences.js';
import { SAMPLE_FINDING_TYPES } from './samples/sample-finding-types.js';
import { badRequest, invalidParameter } from '../protocol/service-error.js';
import type { EmulatorState } from '../state/state.js';
import type { JsonObject } from '../protocol/wire.js';
import { applySuppressionRules } from './suppression.js';

/** GuardDuty calls that change findings: archive/unarchive, feedback, sample findings. */

/**
 * [I] Members are refused with a 400 BadRequestException (the model documents that only the
 * administrator may archive, not the error). [I] Archiving does not change updatedAt (it is not a new
 * occurrence), so a cursor on updatedAt does not see archive changes: they must be polled by id.
 * Unknown or invisible ids are ignored.
 */
export function archive(state: EmulatorState, req: GuardDutyRequest, archived: boolean): JsonObject {
  const detector = detectorOf(state, req);
  const ids = idList(req.body, 'findingIds');
  if (state.isMember(req.caller.account.id)) {
    const verb = archived ? 'archive' : 'unarchive';
    throw badRequest(
      `The request is rejected because account ${req.caller.account.id} is a GuardDuty member account. Only the administrator account can ${verb} findings.`,
    );
  }
  for (const id of ids) {
    const finding = state.findVisible(detector, id);
    if (finding) finding.service.archived = archived;
  }
  return {};
}

export function updateFeedback(state: EmulatorState, req: GuardDutyRequest): JsonObject {
  const detector = detectorOf(state, req);
  const ids = idList(req.body, 'findingIds');
  const feedback = req.body.feedback;
  if (feedback !== 'USEFUL' && feedback !== 'NOT_USEFUL') throw invalidParameter('feedback', 'It must be USEFUL or NOT_USEFUL.');
  optionalString(req.body, 'comments');
  for (const id of ids) {
    const finding = state.findVisible(detector, id);
    if (finding) finding.service.userFeedback = feedback;
  }
  return {};
}

/** One new finding per requested type (all known types when the list is empty or absent). */
export function createSampleFindings(state: EmulatorState, req: GuardDutyRequest): JsonObject {
  const detector = detectorOf(state, req);
  const requested = optionalStringList(req.body, 'findingTypes', 50) ?? [];
  const unknown = requested.filter((t) => !SAMPLE_FINDING_TYPES.includes(t));
  if (unknown.length > 0) throw invalidParameter('findingTypes', `Unsupported finding types: ${unknown.join(', ')}.`);
  const types = requested.length > 0 ? requested : SAMPLE_FINDING_TYPES;
  const now = state.now();
  const batch = types.map((type) => buildFinding(state.prng, type, detector.accountId, detector.region, detector.id, now, { count: 1, createdAt: now }));
  for (const finding of batch) {
    state.store.put(detector, finding);
    applySuppressionRules(state, detector, finding);
  }
  bindBatch(batch, [...detector.findings.values()]);
  return {};
}
