import type { Link } from '../store/links-repo.js';
import { applyChanges, diffFields } from './field-diff.js';
import { appliedFromIncident, findIncidentForFinding, incidentLookup } from './find-incident.js';
import { hasChanged, type FindingContext } from './finding-context.js';
import { addNewArtifacts, clearContentMark, payloadArtifacts, readBack, writeRows } from './incident-content.js';
import { replacedIncident } from './recurrence-op.js';
import type { SyncDeps } from './sync-deps.js';
import { updateIncident } from './update-incident.js';

/**
 * Creates the incident for a finding, exactly once.
 *
 * The link is written `creating` before the SOAR create and completed after it. A create whose answer
 * was lost (429, 5xx, timeout, reset: SOAR may have acted) is looked up by finding id before it is
 * sent again, at once by the SOAR client and, if the call still fails, by the next attempt, which
 * finds the link `creating`. The incident found is the one this create made (same payload: its note
 * and artifacts inline). Artifacts and the note go inline with the create (one call); data-table rows
 * follow, one call each.
 */
export async function createIncident(deps: SyncDeps, ctx: FindingContext): Promise<number> {
  const { store, soar, templates } = deps;
  const payload = templates.renderCreate(ctx.template);
  const applied = templates.renderUpdate(ctx.template);
  store.links.beginCreate(ctx.key, ctx.snapshot);
  const incident = await soar.createIncident(payload, incidentLookup(ctx.key, replacedIncident(deps, ctx.key)));
  store.transaction(() => {
    store.links.attachIncident(ctx.key, incident.id, 'partial', applied);
    // A new incident has no rows yet, whatever the store remembers under its id: an org restored
    // from a backup hands out ids again that a lost incident had.
    store.fingerprints.forget(incident.id);
    store.fingerprints.addArtifacts(incident.id, payloadArtifacts(payload));
  });
  await writeRows(deps, incident.id, ctx.rows);
  store.links.markSynced(ctx.key, ctx.snapshot);
  return incident.id;
}

/**
 * A `creating` link: the create may have reached SOAR before its answer was lost. Looks the incident
 * up by finding id and, when found, adopts and finishes it; resolves to its id, or undefined when the
 * create never happened.
 */
export async function resumeCreate(deps: SyncDeps, ctx: FindingContext, link: Link): Promise<number | undefined> {
  const { store } = deps;
  const existing = await findIncidentForFinding(deps, ctx.key, replacedIncident(deps, ctx.key));
  if (!existing) return undefined;
  deps.logger.info('Found the incident of an interrupted create', { findingId: ctx.key.findingId, incidentId: existing.id });
  // Open even if a responder closed it meanwhile: the closed-incident query then sees the close and archives.
  store.links.attachIncident(ctx.key, existing.id, 'partial', appliedFromIncident(existing));
  const attached = store.links.get(ctx.key);
  // Made from the version the link recorded; a newer one since is an update, with its note.
  if (attached && hasChanged(link, ctx.snapshot)) {
    await updateIncident(deps, ctx, attached, { reason: 'updated' });
  } else {
    await completeIncident(deps, ctx, existing.id);
  }
  return existing.id;
}

/**
 * Finishes an incident whose fields, rows or artifacts may be missing or stale (`partial`): patches
 * the fields that differ, reads what SOAR holds, then adds only the rows and artifacts missing.
 */
export async function completeIncident(deps: SyncDeps, ctx: FindingContext, incidentId: number): Promise<void> {
  const { store, soar, templates } = deps;
  const link = store.links.get(ctx.key);
  const desired = templates.renderUpdate(ctx.template);
  const changes = diffFields(link?.applied ?? {}, desired);
  if (changes.length > 0) {
    await soar.patchIncident(incidentId, changes);
    store.links.setApplied(ctx.key, applyChanges(link?.applied ?? {}, desired));
  }
  await readBack(deps, incidentId, ctx.rows.map((r) => r.table));
  await addNewArtifacts(deps, incidentId, ctx.template.artifactInputs);
  await writeRows(deps, incidentId, ctx.rows);
  deps.store.transaction(() => {
    deps.store.links.markSynced(ctx.key, ctx.snapshot);
    clearContentMark(deps, incidentId);
  });
}
