import { IncidentGoneError } from '../core/errors.js';
import type { SyncOutcome } from '../health/metrics.js';
import { filteredOut } from './skip-reasons.js';
import type { Finding } from '../findings/finding.js';
import { findingKeyString, type FindingKey } from '../findings/finding-key.js';
import type { FindingSnapshot, Link } from '../store/links-repo.js';
import { closeForArchivedFinding } from './close-incident.js';
import { completeIncident, createIncident, resumeCreate } from './create-incident.js';
import { healDeletedIncident } from './deleted-incident.js';
import { findingContext, hasChanged, snapshotOf, updatedAfterClose, type FindingContext } from './finding-context.js';
import { recur } from './recurrence.js';
import { foldMember } from './sequence-fold.js';
import { recordSequenceMembers } from './sequence-record.js';
import { updateIncident } from './update-incident.js';
import type { SyncDeps } from './sync-deps.js';

/**
 * Brings SOAR in line with one finding, whatever state the link is in: create the incident, finish
 * an interrupted create, close it for an archived finding, update it for a new version (reopening or
 * opening a new one after a close, per `aws_gd_on_recurrence`), or nothing at all for a re-read
 * finding (recognised by its stored updatedAt/count: no SOAR call).
 *
 * The one place where a linked incident found missing in SOAR is healed, whichever write met the
 * 404 (a PATCH, a note, an artifact, a row): in the same cycle, per `aws_gd_deleted_incident`.
 */
export function syncFinding(deps: SyncDeps, finding: Finding, key: FindingKey): Promise<SyncOutcome> {
  return deps.locks.run(findingKeyString(key), async () => {
    try {
      return await syncLocked(deps, finding, key);
    } catch (err) {
      const link = deps.store.links.get(key);
      if (!(err instanceof IncidentGoneError) || !link || link.incidentId !== err.incidentId) throw err;
      return healDeletedIncident(deps, findingContext(deps, finding, key), link, err.incidentId);
    }
  });
}

/**
 * Under the finding's lock. The link is read here, after any SOAR function that held the lock, and a
 * finding older than the version the link records (read before a function's refresh wrote a newer
 * one) is not written back over it.
 */
async function syncLocked(deps: SyncDeps, finding: Finding, key: FindingKey): Promise<SyncOutcome> {
  const link = deps.store.links.get(key);
  if (link && Date.parse(link.updatedAt) > Date.parse(finding.UpdatedAt)) return 'unchanged';
  recordSequenceMembers(deps, finding, key);
  const snapshot = snapshotOf(finding);
  if (!link) {
    if (snapshot.archived || !shouldEscalate(deps, finding)) return 'skipped';
    // aws_gd_sequence_members = fold: a member of a sequence whose incident is open gets none of its own.
    const folded = await foldMember(deps, finding, key);
    if (folded !== undefined) return folded;
    await createIncident(deps, findingContext(deps, finding, key));
    return 'created';
  }
  if (link.state === 'creating') return finishCreate(deps, findingContext(deps, finding, key), link);
  // Its incident is known to be gone (found so by a check, or a 404 an earlier pass could not heal).
  if (link.state === 'orphaned') {
    return link.deletedIncidentId === null ? 'skipped' : healDeletedIncident(deps, findingContext(deps, finding, key), link, link.deletedIncidentId);
  }
  const close = needsClose(deps, link, snapshot);
  if (link.state === 'synced' && !hasChanged(link, snapshot) && snapshot.archived === link.archived && !close) return 'unchanged';
  const ctx = findingContext(deps, finding, key);
  if (link.state === 'partial') {
    // A create cut short. If the finding has changed since that create, finishing it is an update
    // the responder should read about (the link still holds the version the create was made from).
    if (hasChanged(link, snapshot) && link.incidentState === 'open') await updateIncident(deps, ctx, link, { reason: 'updated' });
    else await completeIncident(deps, ctx, link.incidentId as number);
    return afterCompletion(deps, ctx, 'resumed');
  }
  if (close) return closeForArchivedFinding(deps, ctx, link);
  if (!hasChanged(link, snapshot) && link.state !== 'gone') return 'unchanged';
  if (link.incidentState === 'closed' && !snapshot.archived) return followClosed(deps, ctx, link);
  await updateIncident(deps, ctx, link, { reason: 'updated' });
  return 'updated';
}

/**
 * A finding whose incident a responder closed, read by the SOAR phase when it learns of the close:
 * the region pass may already have applied this very version to the incident (as an update, the close
 * unknown), so the version the link records says nothing; the time of the close decides.
 */
export function syncClosedFinding(deps: SyncDeps, finding: Finding, key: FindingKey): Promise<SyncOutcome> {
  return deps.locks.run(findingKeyString(key), async () => {
    const link = deps.store.links.get(key);
    const snapshot = snapshotOf(finding);
    if (!link || link.incidentState !== 'closed' || link.incidentId === null || snapshot.archived) return 'unchanged';
    if (link.state === 'creating' || link.state === 'gone' || link.state === 'orphaned') return 'unchanged';
    return followClosed(deps, findingContext(deps, finding, key), link);
  });
}

/**
 * A version of a finding whose incident is closed. Activity after the close (see `updatedAfterClose`)
 * is a recurrence (`aws_gd_on_recurrence`), also when the incident already shows it; a version from
 * before the close that the incident does not show yet is added to it, and it stays closed. When the
 * close time is unknown (closed by the daemon, or before it was recorded), any new version recurs.
 */
async function followClosed(deps: SyncDeps, ctx: FindingContext, link: Link): Promise<SyncOutcome> {
  const changed = hasChanged(link, ctx.snapshot);
  if (link.closedAt === null ? changed : updatedAfterClose(ctx.snapshot.updatedAt, link.closedAt)) return recur(deps, ctx, link);
  if (!changed) return 'unchanged';
  await updateIncident(deps, ctx, link, { reason: 'updated' });
  return 'updated';
}

/**
 * A create interrupted before its answer: adopt the incident if it reached SOAR (`resumed`: it was
 * created by an earlier run), else create it — unless the finding has been archived meanwhile, when
 * nothing was escalated and nothing will be.
 */
async function finishCreate(deps: SyncDeps, ctx: FindingContext, link: Link): Promise<SyncOutcome> {
  const resumed = await resumeCreate(deps, ctx, link);
  if (resumed === undefined) {
    if (ctx.snapshot.archived) {
      deps.store.links.remove(ctx.key);
      return 'skipped';
    }
    await createIncident(deps, ctx);
  }
  return afterCompletion(deps, ctx, resumed === undefined ? 'created' : 'resumed');
}

/** `resumed`, not `created`, when the incident already existed: what an earlier run began was finished. */
async function afterCompletion(deps: SyncDeps, ctx: FindingContext, outcome: 'created' | 'resumed'): Promise<SyncOutcome> {
  const link = deps.store.links.get(ctx.key);
  if (link && ctx.snapshot.archived && link.incidentState === 'open') return closeForArchivedFinding(deps, ctx, link);
  return outcome;
}

/**
 * An archived finding whose link is not (yet) archived. Also, with `aws_gd_close_on_archive`, one
 * whose link records it as archived while its incident is open: the close did not happen (it failed
 * after finishing an interrupted create had recorded the finding, or an archive raced with a reopen).
 */
function needsClose(deps: SyncDeps, link: Link, snapshot: FindingSnapshot): boolean {
  return snapshot.archived && (!link.archived || (link.incidentState === 'open' && deps.config.sync.closeOnArchive));
}

/** Noise control: sample findings and finding-type filters decide only whether an incident is created. */
function shouldEscalate(deps: SyncDeps, finding: Finding): boolean {
  return filteredOut(deps.config.polling, finding) === undefined;
}
