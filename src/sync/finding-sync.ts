import type { FindingOutcome } from '../health/metrics.js';
import { isSampleFinding, type Finding, type FindingKey } from '../regions/finding.js';
import type { Link } from '../store/links-repo.js';
import { closeForArchivedFinding } from './close-incident.js';
import { completeIncident, createIncident } from './create-incident.js';
import { addNoteOnce } from './durable-note.js';
import { findingContext, hasChanged, snapshotOf, type FindingContext } from './finding-context.js';
import { keyString, updateIncident } from './update-incident.js';
import type { SyncDeps } from './sync-deps.js';

/**
 * Brings SOAR in line with one finding, whatever state the link is in: create the incident, finish
 * an interrupted create, close it for an archived finding, update it for a new version (reopening or
 * opening a new one after a close, per `aws_gd_on_recurrence`), or nothing at all for a re-read
 * finding (recognised by its stored updatedAt/count: no SOAR call).
 */
export async function syncFinding(deps: SyncDeps, finding: Finding, key: FindingKey): Promise<FindingOutcome> {
  const link = deps.store.links.get(key);
  const snapshot = snapshotOf(finding);
  if (!link || link.state === 'creating') {
    if (snapshot.archived && !link) return 'skipped';
    if (!link && !shouldEscalate(deps, finding)) return 'skipped';
    const ctx = findingContext(deps, finding, key);
    await createIncident(deps, ctx, link);
    const created = deps.store.links.get(key);
    if (snapshot.archived && created) return closeForArchivedFinding(deps, ctx, created);
    return 'created';
  }
  if (link.state === 'orphaned') return 'skipped';
  if (link.state === 'synced' && !hasChanged(link, snapshot) && snapshot.archived === link.archived) return 'unchanged';
  const ctx = findingContext(deps, finding, key);
  if (link.state === 'partial') {
    await completeIncident(deps, ctx, link.incidentId as number);
    return afterCompletion(deps, ctx);
  }
  if (snapshot.archived && !link.archived) return closeForArchivedFinding(deps, ctx, link);
  if (!hasChanged(link, snapshot) && link.state !== 'gone') return 'unchanged';
  if (link.incidentState === 'closed' && !snapshot.archived) return recur(deps, ctx, link);
  await updateIncident(deps, ctx, link, { reason: 'updated' });
  return 'updated';
}

async function afterCompletion(deps: SyncDeps, ctx: FindingContext): Promise<FindingOutcome> {
  const link = deps.store.links.get(ctx.key);
  if (link && ctx.snapshot.archived && link.incidentState === 'open') return closeForArchivedFinding(deps, ctx, link);
  return 'created';
}

/** A finding updated after its incident was closed (and not archived). */
async function recur(deps: SyncDeps, ctx: FindingContext, link: Link): Promise<FindingOutcome> {
  const policy = deps.config.sync.onRecurrence;
  if (policy === 'ignore') {
    deps.store.links.markSynced(ctx.key, ctx.snapshot);
    return 'skipped';
  }
  if (policy === 'reopen') {
    await updateIncident(deps, ctx, link, {
      reason: 'reopened',
      extraChanges: [{ field: 'plan_status', oldValue: 'C', newValue: 'A' }],
    });
    deps.store.links.setIncidentState(ctx.key, 'open');
    return 'reopened';
  }
  const previous = link.incidentId as number;
  const incidentId = await createIncident(deps, ctx, undefined);
  await addNoteOnce(deps, incidentId, `recurrence:${keyString(ctx)}@${ctx.snapshot.updatedAt}`, {
    format: 'text',
    content:
      `This GuardDuty finding recurred after incident ${previous} was closed (count ${link.count} → ${ctx.snapshot.count}, ` +
      `updated ${ctx.snapshot.updatedAt}). aws_gd_on_recurrence = new opened this incident; the history is in incident ${previous}.`,
  });
  return 'created';
}

/** Noise control: sample findings and finding-type filters decide only whether an incident is created. */
function shouldEscalate(deps: SyncDeps, finding: Finding): boolean {
  const { includeSampleFindings, findingTypesInclude, findingTypesExclude } = deps.config.polling;
  if (!includeSampleFindings && isSampleFinding(finding)) return false;
  if (findingTypesInclude && !findingTypesInclude.test(finding.Type)) return false;
  if (findingTypesExclude && findingTypesExclude.test(finding.Type)) return false;
  return true;
}
