import type { SyncOutcome } from '../health/metrics.js';
import { findingKeyString, type FindingKey } from '../findings/finding-key.js';
import type { FieldChange, IncidentView } from '../soar/case-system.js';
import type { Link } from '../store/links-repo.js';
import { ARCHIVE_OP } from './archive-op.js';
import { createIncident } from './create-incident.js';
import { addNoteOnce } from './durable-note.js';
import { hasChanged, type FindingContext } from './finding-context.js';
import { RECUR_NEW_OP, REOPEN_OP, type RecurNewPayload } from './recurrence-op.js';
import { updateIncident } from './update-incident.js';
import type { SyncDeps } from './sync-deps.js';

/**
 * A reopened incident is open again, with no resolution: the old one (a responder's "Not an Issue",
 * or the close template's) described the close, and an open case showing "open (Not an Issue)" with
 * the old summary misleads whoever picks it up. The old values are read first (a responder chose
 * them), so that SOAR applies the PATCH at once instead of answering a conflict.
 */
export function reopenChanges(current: IncidentView | undefined): FieldChange[] {
  const changes: FieldChange[] = [{ field: 'plan_status', oldValue: 'C', newValue: 'A' }];
  if (current?.resolutionId !== undefined && current.resolutionId !== null) changes.push({ field: 'resolution_id', oldValue: current.resolutionId, newValue: null });
  const summary = current?.resolutionSummary;
  if (summary !== undefined && summary !== null && summary !== '') changes.push({ field: 'resolution_summary', oldValue: summary, newValue: null });
  return changes;
}

/** A finding updated after its incident was closed (and not archived). */
export async function recur(deps: SyncDeps, ctx: FindingContext, link: Link): Promise<SyncOutcome> {
  const policy = deps.config.sync.onRecurrence;
  if (policy === 'ignore') {
    deps.store.links.markSynced(ctx.key, ctx.snapshot);
    return 'skipped';
  }
  if (policy === 'reopen') {
    const key = findingKeyString(ctx.key);
    deps.store.ops.enqueue(REOPEN_OP, key, { incidentId: link.incidentId });
    // The incident may already show this version: applied by the region pass before the close was
    // known. Its update note is posted; the reopen gets a note of its own.
    const shown = !hasChanged(link, ctx.snapshot);
    await updateIncident(deps, ctx, link, {
      reason: 'reopened',
      extraChanges: reopenChanges(await deps.soar.getIncident(link.incidentId as number)),
      incidentState: 'open',
      ...(shown ? { noteKey: `reopen:${key}@${ctx.snapshot.updatedAt}#${ctx.snapshot.count}`, alwaysNote: true } : {}),
    });
    // An archive the close queued is dropped only now: left pending by a reopen cut short, it reads the
    // finding again, sees the activity after the close and reopens, never archives it unseen.
    deps.store.transaction(() => {
      deps.store.ops.complete(REOPEN_OP, key);
      deps.store.ops.complete(ARCHIVE_OP, key);
    });
    return 'reopened';
  }
  const previous = link.incidentId as number;
  const payload: RecurNewPayload = {
    previous,
    noteKey: `recurrence:${findingKeyString(ctx.key)}@${ctx.snapshot.updatedAt}`,
    note: {
      format: 'text',
      content:
        `This GuardDuty finding recurred after incident ${previous} was closed (count ${link.count} → ${ctx.snapshot.count}, ` +
        `updated ${ctx.snapshot.updatedAt}). aws_gd_on_recurrence = new opened this incident; the history is in incident ${previous}.`,
    },
  };
  deps.store.ops.enqueue(RECUR_NEW_OP, findingKeyString(ctx.key), { ...payload });
  await createIncident(deps, ctx);
  await finishRecurrence(deps, ctx.key);
  return 'created';
}

/**
 * Once the link holds the new incident, posts the note pointing to the old one and clears the
 * operation. Called right after the create, and for every pending recurrence by the SOAR phase of
 * each cycle, so a crash anywhere in between is finished.
 */
export async function finishRecurrence(deps: SyncDeps, key: FindingKey): Promise<void> {
  const op = deps.store.ops.get(RECUR_NEW_OP, findingKeyString(key));
  if (!op) return;
  const payload = op.payload as unknown as RecurNewPayload;
  const link = deps.store.links.get(key);
  if (!link || link.state === 'creating' || link.incidentId === null || link.incidentId <= payload.previous) return;
  await addNoteOnce(deps, link.incidentId, payload.noteKey, payload.note);
  deps.store.ops.complete(RECUR_NEW_OP, op.key);
}
