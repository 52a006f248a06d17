import { ExternalServiceError } from '../core/errors.js';
import { findingKeyString, type FindingKey } from '../findings/finding-key.js';
import type { FindingsSource } from '../regions/findings-source.js';
import type { Link } from '../store/links-repo.js';
import { isMemberRefusal, recordArchived, sendFeedback } from './archive-on-close.js';
import { ARCHIVE_OP } from './archive-op.js';
import type { SyncDeps } from './sync-deps.js';

/** An archive a SOAR function asks for (`func_aws_guardduty_archive_finding`). */
export interface FunctionArchiveRequest {
  key: FindingKey;
  /** The source holding the credentials of the account that owns the detector. */
  source: FindingsSource;
  /** Ends the sentence of the note on the linked incident, e.g. "at the request of a SOAR playbook". */
  why: string;
  /** Told once GuardDuty is known to hold the finding, before anything is written (the function's interim status). */
  starting(): Promise<void>;
}

export type FunctionArchiveResult =
  /** GuardDuty does not hold the finding: nothing was done. */
  | { kind: 'unknown-finding' }
  /** Archived; a linked incident shows it (the archived field and a note). */
  | { kind: 'archived' }
  /** GuardDuty lets only the administrator account archive, and the detector belongs to a member. */
  | { kind: 'member-refused' }
  /** GuardDuty rejected the request (a 4xx): its error. */
  | { kind: 'rejected'; error: ExternalServiceError };

/**
 * The sync's one entry point for a function-driven archive: the daemon's archive path for one
 * finding, under its lock: feedback from the closed incident's resolution (`aws_gd_feedback_map`),
 * ArchiveFindings, then the archived field and a note on the linked incident.
 */
export function archiveFindingForFunction(deps: SyncDeps, request: FunctionArchiveRequest): Promise<FunctionArchiveResult> {
  const { key, source } = request;
  return deps.locks.run(findingKeyString(key), async () => {
    const [finding] = await source.getFindings(key.region, key.detectorId, [key.findingId]);
    if (!finding) return { kind: 'unknown-finding' };
    const link = deps.store.links.get(key);
    await request.starting();
    const refused = await archive(deps, source, key, link);
    if (refused) return refused;
    if (link?.incidentId != null) {
      deps.store.links.setArchived(link, true);
      await recordArchived(deps, { ...link, archived: true }, request.why);
    }
    return { kind: 'archived' };
  });
}

/**
 * Feedback (for a closed incident whose resolution maps to one), then ArchiveFindings. The archive
 * is queued first, as the cycle queues it, so a crash after the call still ends with the record on
 * the incident. Answers a result when GuardDuty refused; undefined when archived.
 */
async function archive(deps: SyncDeps, source: FindingsSource, key: FindingKey, link: Link | undefined): Promise<FunctionArchiveResult | undefined> {
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
    if (link && typeof resolution === 'string') await sendFeedback(deps, source, [link], new Map([[opKey, { resolution }]]));
    await source.archiveFindings(key.region, key.detectorId, [key.findingId]);
    return undefined;
  } catch (err) {
    if (queuedHere) deps.store.ops.complete(ARCHIVE_OP, opKey);
    if (isMemberRefusal(err)) return { kind: 'member-refused' };
    // IBM's app answers a rejected request (a validation error) in the content; anything else fails the function.
    if (err instanceof ExternalServiceError && err.status !== undefined && err.status >= 400 && err.status < 500) {
      return { kind: 'rejected', error: err };
    }
    throw err;
  }
}
