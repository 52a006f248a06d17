import { renderChangeNote } from '../incidents/change-note.js';
import { findingKeyString } from '../findings/finding-key.js';
import type { FieldChange } from '../soar/case-system.js';
import type { IncidentState, Link } from '../store/links-repo.js';
import { intendNote, postIntendedNote } from './durable-note.js';
import { applyChanges, diffFields } from './field-diff.js';
import { FIELD } from '../incidents/incident-fields.js';
import type { FindingContext } from './finding-context.js';
import { addNewArtifacts, clearContentMark, contentInterrupted, markContentWrites, plannedContent, readBack, writeRows } from './incident-content.js';
import { signalNews } from './sequence-changes.js';
import type { SyncDeps } from './sync-deps.js';

const NOT_NEWS = new Set<string>([FIELD.triggerRefresh, 'resolution_id', 'resolution_summary']);

export interface UpdateOptions {
  /** Why the incident is refreshed; names the note's heading. */
  reason: 'updated' | 'refresh' | 'reopened';
  /** Changes beyond the update template's (reopen, reset of the refresh trigger). */
  extraChanges?: FieldChange[];
  /** A note even when nothing changed (a responder asked for a refresh and should see an answer). */
  alwaysNote?: boolean;
  /**
   * Names the note for exactly-once posting. Default: one note per finding version, whatever the
   * reason, so a reopen whose record was cut short and the update that finishes it share one note.
   */
  noteKey?: string;
  /** The incident's state once updated (a reopen), recorded with the rest, never before. */
  incidentState?: IncidentState;
}

export interface UpdateResult {
  fieldsChanged: number;
  rowsWritten: number;
  artifactsAdded: number;
}

/**
 * Brings an incident up to date with a new version of its finding: PATCH only the fields that
 * changed, add a row to each table whose content changed, add artifacts not seen before, and add one
 * note listing what changed (old → new). Every step is safe to repeat after a crash: the note is
 * recorded as pending before the first write, the PATCH is checked against old values, rows and
 * artifacts are read back from SOAR when an earlier attempt stopped midway.
 */
export async function updateIncident(deps: SyncDeps, ctx: FindingContext, link: Link, options: UpdateOptions): Promise<UpdateResult> {
  const { store, soar, templates } = deps;
  const incidentId = link.incidentId as number;
  const desired = templates.renderUpdate(ctx.template);
  const changes = [...diffFields(link.applied, desired), ...(options.extraChanges ?? [])];
  if (link.state !== 'synced' || contentInterrupted(deps, incidentId)) await readBack(deps, incidentId, ctx.rows.map((r) => r.table));
  const planned = plannedContent(deps, incidentId, ctx.rows, ctx.template.artifactInputs);
  const plannedRows = Object.values(planned.rows).reduce((a, b) => a + b, 0);
  const noteKey = options.noteKey ?? `change:${findingKeyString(ctx.key)}@${ctx.snapshot.updatedAt}#${ctx.snapshot.count}`;
  const withNote = options.alwaysNote === true || changes.length > 0 || plannedRows > 0 || planned.artifacts.length > 0;
  const details = withNote ? await signalNews(deps, incidentId, ctx.rows) : [];
  const freshNote = store.transaction(() => {
    markContentWrites(deps, incidentId, ctx.rows.map((r) => r.table));
    if (!withNote) return false;
    const note = renderChangeNote({
      reason: options.reason,
      finding: ctx.finding,
      // The reset of the refresh trigger is bookkeeping, not news for the responder; a reopen's
      // cleared resolution is said by the heading (its old values are not known before the PATCH).
      changes: changes.filter((c) => !NOT_NEWS.has(c.field)),
      rowsWritten: planned.rows,
      artifactsAdded: planned.artifacts,
      details,
    });
    return intendNote(deps, incidentId, noteKey, note);
  });
  if (changes.length > 0) {
    await soar.patchIncident(incidentId, changes);
    store.links.setApplied(ctx.key, applyChanges(link.applied, desired));
  }
  const rows = await writeRows(deps, incidentId, ctx.rows);
  const artifacts = await addNewArtifacts(deps, incidentId, ctx.template.artifactInputs);
  // Also a note an interrupted attempt recorded, when this repeat finds nothing left to change.
  await postIntendedNote(deps, incidentId, noteKey, freshNote);
  store.transaction(() => {
    store.links.markSynced(ctx.key, ctx.snapshot);
    if (options.incidentState) store.links.setIncidentState(ctx.key, options.incidentState);
    clearContentMark(deps, incidentId);
  });
  return { fieldsChanged: changes.length, rowsWritten: Object.values(rows).reduce((a, b) => a + b, 0), artifactsAdded: artifacts.length };
}
