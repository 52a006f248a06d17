import { errorMessage } from '../core/errors.js';
import type { Finding } from '../findings/finding.js';
import { findingKeyString } from '../findings/finding-key.js';
import type { FindingsSource } from '../regions/findings-source.js';
import type { FieldChange, IncidentView } from '../soar/case-system.js';
import type { Link } from '../store/links-repo.js';
import { chunk } from '../util/concurrency.js';
import { closeForArchivedFinding } from './close-incident.js';
import { addNoteOnce } from './durable-note.js';
import { findingContext, type FindingContext } from './finding-context.js';
import { markGone } from './gone-finding.js';
import { FIELD, queryField } from '../incidents/incident-fields.js';
import { updateIncident } from './update-incident.js';
import type { SyncDeps } from './sync-deps.js';

const RESET = { field: FIELD.triggerRefresh, oldValue: true, newValue: false };

/**
 * Incidents whose `aws_guardduty_trigger_refresh` a responder set: refresh each from GetFindings at
 * once (always with a note, so the responder sees an answer) and set the flag back to false. Only a
 * responder sets the flag to true, so the daemon's own writes never trigger a refresh.
 */
export async function runManualRefresh(deps: SyncDeps, sources: ReadonlyMap<string, FindingsSource>): Promise<number> {
  const requested: IncidentView[] = [];
  const pages = deps.soar.queryIncidents({ conditions: [{ field: queryField(FIELD.triggerRefresh), method: 'equals', value: true }] });
  for await (const page of pages) requested.push(...page);
  const groups = new Map<string, { link: Link; incident: IncidentView }[]>();
  for (const incident of requested) {
    const link = deps.store.links.byIncident(incident.id);
    if (!link) {
      await resetUnlinked(deps, incident);
      continue;
    }
    const group = `${link.account}/${link.region}/${link.detectorId}`;
    groups.set(group, [...(groups.get(group) ?? []), { link, incident }]);
  }
  let refreshed = 0;
  for (const items of groups.values()) {
    const { link: first } = items[0] as { link: Link };
    const source = sources.get(first.account);
    if (!source) continue;
    for (const batch of chunk(items, 50)) {
      // A stopping daemon starts no new batch; the flags stay set, so the next start refreshes them.
      if (deps.stopping?.aborted) return refreshed;
      const findings = await source.getFindings(first.region, first.detectorId, batch.map((i) => i.link.findingId));
      const byId = new Map(findings.map((f) => [f.Id, f]));
      for (const { link, incident } of batch) {
        try {
          await deps.locks.run(findingKeyString(link), () => refreshRequested(deps, link, incident, byId.get(link.findingId)));
          refreshed += 1;
        } catch (err) {
          deps.logger.warn('Manual refresh failed; it will be retried next cycle', { incidentId: incident.id, error: errorMessage(err) });
        }
      }
    }
  }
  return refreshed;
}

/** Under the finding's lock: the link is read again, as a SOAR function may have refreshed it meanwhile. */
async function refreshRequested(deps: SyncDeps, stale: Link, incident: IncidentView, finding: Finding | undefined): Promise<void> {
  const link = deps.store.links.get(stale) ?? stale;
  // A function refreshed it to a newer version than this cycle read (and said so in its note).
  if (finding && Date.parse(link.updatedAt) > Date.parse(finding.UpdatedAt)) {
    await deps.soar.patchIncident(incident.id, [RESET]);
    return;
  }
  await refreshIncident(deps, link, finding, {
    noteKey: `refresh:${findingKeyString(link)}@${incident.lastModified}`,
    extraChanges: [RESET],
  });
}

/** What a refresh did: the finding is gone, its incident was closed (archived finding), or updated. */
export type RefreshOutcome = 'gone' | 'closed' | 'updated';

/**
 * The daemon's refresh of one linked incident from GetFindings' answer (`undefined`: GuardDuty no
 * longer returns the finding), always with a note under `noteKey`, so a repeat after a crash adds
 * none. `extraChanges` go with the refresh (the reset of the trigger field). The caller holds the
 * finding's lock and passes the link as read under it.
 */
export async function refreshIncident(
  deps: SyncDeps, link: Link, finding: Finding | undefined,
  options: { noteKey: string; extraChanges: FieldChange[]; context?: FindingContext },
): Promise<RefreshOutcome> {
  const incidentId = link.incidentId as number;
  const resetAfter = async (): Promise<void> => {
    if (options.extraChanges.length > 0) await deps.soar.patchIncident(incidentId, options.extraChanges);
  };
  if (!finding) {
    await markGone(deps, link);
    await resetAfter();
    return 'gone';
  }
  // A caller that already mapped the finding (the refresh function, for its result) passes its context.
  const ctx = options.context ?? findingContext(deps, finding, link);
  if (ctx.snapshot.archived && !link.archived) {
    await closeForArchivedFinding(deps, ctx, link);
    await resetAfter();
    return 'closed';
  }
  await updateIncident(deps, ctx, link, { reason: 'refresh', alwaysNote: true, extraChanges: options.extraChanges, noteKey: options.noteKey });
  return 'updated';
}

async function resetUnlinked(deps: SyncDeps, incident: IncidentView): Promise<void> {
  await addNoteOnce(deps, incident.id, `refresh-unlinked:${incident.id}@${incident.lastModified}`, {
    format: 'text',
    content:
      'guardduty-soar cannot refresh this incident: it is not linked to a GuardDuty finding that guardduty-soar knows ' +
      `(finding id ${JSON.stringify(incident.properties[FIELD.findingId] ?? null)}). Check the AWS GuardDuty fields of the incident.`,
  });
  await deps.soar.patchIncident(incident.id, [RESET]);
}
