import type { SyncOutcome } from '../health/metrics.js';
import { filteredOut } from '../poller/criteria.js';
import { findingKeyString, type Finding, type FindingKey } from '../regions/finding.js';
import type { FindingSnapshot, Link } from '../store/links-repo.js';
import { closeForArchivedFinding } from './close-incident.js';
import { completeIncident, createIncident, resumeCreate } from './create-incident.js';
import { findingContext, hasChanged, snapshotOf, type FindingContext } from './finding-context.js';
import { recur } from './recurrence.js';
import { updateIncident } from './update-incident.js';
import type { SyncDeps } from './sync-deps.js';

/**
 * Brings SOAR in line with one finding, whatever state the link is in: create the incident, finish
 * an interrupted create, close it for an archived finding, update it for a new version (reopening or
 * opening a new one after a close, per `aws_gd_on_recurrence`), or nothing at all for a re-read
 * finding (recognised by its stored updatedAt/count: no SOAR call).
 */
export function syncFinding(deps: SyncDeps, finding: Finding, key: FindingKey): Promise<SyncOutcome> {
  return deps.locks.run(findingKeyString(key), () => syncLocked(deps, finding, key));
}

/**
 * Under the finding's lock. The link is read here, after any SOAR function that held the lock, and a
 * finding older than the version the link records (read before a function's refresh wrote a newer
 * one) is not written back over it.
 */
async function syncLocked(deps: SyncDeps, finding: Finding, key: FindingKey): Promise<SyncOutcome> {
  const link = deps.store.links.get(key);
  if (link && Date.parse(link.updatedAt) > Date.parse(finding.UpdatedAt)) return 'unchanged';
  const snapshot = snapshotOf(finding);
  if (!link) {
    if (snapshot.archived || !shouldEscalate(deps, finding)) return 'skipped';
    await createIncident(deps, findingContext(deps, finding, key));
    return 'created';
  }
  if (link.state === 'creating') return finishCreate(deps, findingContext(deps, finding, key), link);
  if (link.state === 'orphaned') return 'skipped';
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
  if (link.incidentState === 'closed' && !snapshot.archived) return recur(deps, ctx, link);
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
