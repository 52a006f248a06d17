import { renderChangeNote } from '../incidents/change-note.js';
import type { FieldChange } from '../soar/case-system.js';
import type { Link } from '../store/links-repo.js';
import { addNoteOnce } from './durable-note.js';
import { applyChanges, diffFields } from './field-diff.js';
import { FIELD } from './incident-fields.js';
import type { FindingContext } from './finding-context.js';
import { addNewArtifacts, readBack, writeRows } from './incident-content.js';
import type { SyncDeps } from './sync-deps.js';

export interface UpdateOptions {
  /** Why the incident is refreshed; names the note's heading. */
  reason: 'updated' | 'refresh' | 'reopened';
  /** Changes beyond the update template's (reopen, reset of the refresh trigger). */
  extraChanges?: FieldChange[];
  /** A note even when nothing changed (a responder asked for a refresh and should see an answer). */
  alwaysNote?: boolean;
  /** Names the note for exactly-once posting; default: one note per finding version and reason. */
  noteKey?: string;
}

export interface UpdateResult {
  fieldsChanged: number;
  rowsWritten: number;
  artifactsAdded: number;
}

/**
 * Brings an incident up to date with a new version of its finding: PATCH only the fields that
 * changed, add a row to each table whose content changed, add artifacts not seen before, and add one
 * note listing what changed (old → new). Every step is safe to repeat after a crash: the PATCH is
 * checked against old values, rows and artifacts are recorded as they are written, the note once.
 */
export async function updateIncident(deps: SyncDeps, ctx: FindingContext, link: Link, options: UpdateOptions): Promise<UpdateResult> {
  const { store, soar, templates } = deps;
  const incidentId = link.incidentId as number;
  const desired = templates.renderUpdate(ctx.template);
  const changes = [...diffFields(link.applied, desired), ...(options.extraChanges ?? [])];
  if (link.state !== 'synced') await readBack(deps, incidentId, ctx.rows.map((r) => r.table));
  if (changes.length > 0) {
    await soar.patchIncident(incidentId, changes);
    store.links.setApplied(ctx.key, applyChanges(link.applied, desired));
  }
  const rows = await writeRows(deps, incidentId, ctx.rows);
  const artifacts = await addNewArtifacts(deps, incidentId, ctx.template.artifactInputs);
  const rowsWritten = Object.values(rows).reduce((a, b) => a + b, 0);
  if (options.alwaysNote || changes.length > 0 || rowsWritten > 0 || artifacts.length > 0) {
    const note = renderChangeNote({
      reason: options.reason,
      finding: ctx.finding,
      // The reset of the refresh trigger is bookkeeping, not news for the responder.
      changes: changes.filter((c) => c.field !== FIELD.triggerRefresh),
      rowsWritten: rows,
      artifactsAdded: artifacts,
    });
    const noteKey = options.noteKey ?? `${options.reason}:${keyString(ctx)}@${ctx.snapshot.updatedAt}#${ctx.snapshot.count}`;
    await addNoteOnce(deps, incidentId, noteKey, note);
  }
  store.links.markSynced(ctx.key, ctx.snapshot);
  return { fieldsChanged: changes.length, rowsWritten, artifactsAdded: artifacts.length };
}

export function keyString(ctx: Pick<FindingContext, 'key'>): string {
  const k = ctx.key;
  return `${k.account}/${k.region}/${k.detectorId}/${k.findingId}`;
}
