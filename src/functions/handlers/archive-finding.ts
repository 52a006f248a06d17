import { ExternalServiceError, errorMessage } from '../../core/errors.js';
import type { CycleDeps } from '../../poller/run-cycle.js';
import { findingKeyString, type FindingKey } from '../../findings/finding-key.js';
import type { Link } from '../../store/links-repo.js';
import { ARCHIVE_OP, isMemberRefusal, recordArchived, sendFeedback } from '../../sync/archive-on-close.js';
import { INPUT } from '../definitions.js';
import { FunctionInputError, type FunctionHandler, type FunctionOutcome } from '../function-types.js';
import { detectorInput, findingIdInput, type DetectorTarget } from '../inputs.js';
import type { FunctionDeps } from './index.js';

/**
 * `func_aws_guardduty_archive_finding`: the daemon's archive path for one finding, under its lock:
 * feedback from the closed incident's resolution (`aws_gd_feedback_map`), ArchiveFindings, then the
 * archived field and a note on the linked incident. IBM's content: `{"status":"ok"}`, or
 * `{"status":"error","msg":…}` when GuardDuty rejects the request. A member account, which GuardDuty
 * never lets archive, gets a failed result saying which account must do it.
 */
export function archiveFindingHandler(deps: FunctionDeps): FunctionHandler {
  return async (call) => {
    const cycle = await deps.cycleDeps();
    const findingId = findingIdInput(call.inputs);
    const target = await detectorInput(cycle, call.inputs);
    const key: FindingKey = { account: target.account, region: target.region, detectorId: target.detectorId, findingId };
    return cycle.locks.run(findingKeyString(key), async () => {
      const [finding] = await target.source.getFindings(target.region, target.detectorId, [findingId]);
      if (!finding) {
        throw new FunctionInputError(INPUT.findingId, `a finding GuardDuty holds in detector ${target.detectorId} (${target.region})`, findingId);
      }
      const link = cycle.store.links.get(key);
      await call.status(`Archiving GuardDuty finding ${findingId}`);
      const refused = await archive(cycle, target, key, link);
      if (refused) return refused;
      if (link?.incidentId != null) {
        cycle.store.links.setArchived(link, true);
        await recordArchived(cycle, { ...link, archived: true }, 'at the request of a SOAR playbook or rule (function func_aws_guardduty_archive_finding)');
      }
      return { success: true, reason: null, content: { status: 'ok' } };
    });
  };
}

/**
 * Feedback (for a closed incident whose resolution maps to one), then ArchiveFindings. The archive
 * is queued first, as the cycle queues it, so a crash after the call still ends with the record on
 * the incident. Answers a result when GuardDuty refused; undefined when archived.
 */
async function archive(deps: CycleDeps, target: DetectorTarget, key: FindingKey, link: Link | undefined): Promise<FunctionOutcome | undefined> {
  const opKey = findingKeyString(key);
  let resolution: unknown = null;
  // One the cycle queued (an incident closed in SOAR) stays the cycle's, whatever happens here.
  const queuedHere = link?.incidentId != null && !deps.store.ops.get(ARCHIVE_OP, opKey);
  if (link?.incidentId != null) {
    const incident = await deps.soar.getIncident(link.incidentId);
    resolution = incident?.planStatus === 'C' ? (incident.resolutionId ?? null) : null;
    if (queuedHere) deps.store.ops.enqueue(ARCHIVE_OP, opKey, { incidentId: link.incidentId, resolution });
  }
  try {
    if (link && typeof resolution === 'string') await sendFeedback(deps, target.source, [link], new Map([[opKey, { resolution }]]));
    await target.source.archiveFindings(target.region, target.detectorId, [key.findingId]);
    return undefined;
  } catch (err) {
    if (queuedHere) deps.store.ops.complete(ARCHIVE_OP, opKey);
    if (isMemberRefusal(err)) {
      const msg =
        `GuardDuty lets only the administrator account archive findings, and detector ${target.detectorId} (${target.region}) ` +
        `belongs to member account ${target.account}. Archive the finding from the administrator account, or configure guardduty-soar with it.`;
      return { success: false, reason: msg, content: { status: 'error', msg } };
    }
    // IBM's app answers a rejected request (a validation error) in the content; anything else fails the function.
    if (err instanceof ExternalServiceError && err.status !== undefined && err.status >= 400 && err.status < 500) {
      return { success: true, reason: null, content: { status: 'error', msg: errorMessage(err) } };
    }
    throw err;
  }
}
