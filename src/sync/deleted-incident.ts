import type { SyncOutcome } from '../health/metrics.js';
import { filteredOut, SKIP_REASONS } from './skip-reasons.js';
import { findingKeyString, type FindingKey } from '../findings/finding-key.js';
import type { RichText } from '../soar/case-system.js';
import type { IncidentState, Link } from '../store/links-repo.js';
import { createIncident } from './create-incident.js';
import { addNoteOnce, NOTE_OP } from './durable-note.js';
import type { FindingContext } from './finding-context.js';
import { clearContentMark } from './incident-content.js';
import type { SyncDeps } from './sync-deps.js';

/**
 * A new incident replacing one SOAR no longer holds, recorded (with the link marked orphaned) before
 * the create, and holding the note that names the lost incident. Finished once the link holds an
 * incident again: right after the create, or by the SOAR phase after a crash.
 */
export const RECREATE_OP = 'recreate';

interface RecreatePayload {
  previous: number;
  noteKey: string;
  note: RichText;
}

/**
 * The incident a link names no longer exists in SOAR: an administrator deleted it, or the org was
 * restored from an older backup. With `aws_gd_deleted_incident = recreate` and the finding still
 * active, a new incident is created in this same cycle, with a note naming the lost one; otherwise
 * (forget, or a finding archived or filtered out meanwhile) the link is marked orphaned and the
 * finding is no longer escalated. Called under the finding's lock, from the one place a finding's
 * sync ends (finding-sync.ts). `lost`: the incident SOAR no longer holds.
 */
export async function healDeletedIncident(deps: SyncDeps, ctx: FindingContext, link: Link, lost: number): Promise<SyncOutcome> {
  const { store, logger } = deps;
  const where = { findingId: ctx.key.findingId, region: ctx.key.region, deletedIncidentId: lost };
  const notRecreated = whyNotRecreated(deps, ctx);
  if (notRecreated) {
    const already = link.state === 'orphaned' && link.incidentState === 'closed';
    store.transaction(() => orphanLink(deps, ctx.key, lost, 'closed'));
    if (!already) logger.warn('Linked incident no longer exists in SOAR; the finding is not escalated again', { ...where, reason: notRecreated });
    return 'skipped';
  }
  const payload: RecreatePayload = {
    previous: lost,
    noteKey: `recreated:${findingKeyString(ctx.key)}@${lost}`,
    note: {
      format: 'text',
      content:
        `guardduty-soar opened this incident for GuardDuty finding ${ctx.key.findingId} (detector ${ctx.key.detectorId}, ` +
        `${ctx.key.region}) because its previous incident ${lost} no longer exists in SOAR: it was deleted, or the org was ` +
        'restored from an older backup. aws_gd_deleted_incident = recreate; set it to forget to stop escalating findings whose incident was deleted.',
    },
  };
  // One transaction: a crash before the create leaves an orphaned open link, which the next cycle
  // heals again; after it, the link holds the new incident and the operation posts the note.
  store.transaction(() => {
    orphanLink(deps, ctx.key, lost, 'open');
    store.ops.enqueue(RECREATE_OP, findingKeyString(ctx.key), { ...payload });
  });
  const incidentId = await createIncident(deps, ctx);
  await finishRecreate(deps, ctx.key);
  logger.warn('Linked incident no longer exists in SOAR; recreated it', { ...where, incidentId });
  return 'recreated';
}

/**
 * Marks a link whose incident SOAR no longer holds, and drops what was pending for that incident
 * (notes, a content read-back, row and artifact records): none of it can ever reach SOAR. The caller
 * holds a transaction. `incidentState` open: recreate it at the next sync; closed: forgotten.
 */
export function orphanLink(deps: SyncDeps, key: FindingKey, lost: number, incidentState: IncidentState): void {
  const { store } = deps;
  store.links.markOrphaned(key, lost, incidentState);
  store.fingerprints.forget(lost);
  clearContentMark(deps, lost);
  store.ops.completeForIncident(NOTE_OP, lost);
}

/**
 * Posts the note naming the lost incident once the link holds its new incident. The link was cleared
 * of any incident when the operation was recorded, so any incident it holds now is the new one (an
 * org restored from a backup may hand out the lost incident's id again: ids are not compared).
 */
export async function finishRecreate(deps: SyncDeps, key: FindingKey): Promise<void> {
  const op = deps.store.ops.get(RECREATE_OP, findingKeyString(key));
  if (!op) return;
  const payload = op.payload as unknown as RecreatePayload;
  const link = deps.store.links.get(key);
  if (link && (link.incidentId === null || link.state === 'creating' || link.state === 'orphaned')) return;
  if (link?.incidentId != null) await addNoteOnce(deps, link.incidentId, payload.noteKey, payload.note);
  deps.store.ops.complete(RECREATE_OP, op.key);
}

function whyNotRecreated(deps: SyncDeps, ctx: FindingContext): string | undefined {
  if (deps.config.sync.onDeletedIncident === 'forget') return 'aws_gd_deleted_incident = forget';
  if (ctx.snapshot.archived) return 'the finding is archived in GuardDuty';
  const filtered = filteredOut(deps.config.polling, ctx.finding);
  return filtered === undefined ? undefined : `the settings no longer escalate it: ${SKIP_REASONS[filtered]}`;
}
