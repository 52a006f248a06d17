import { errorMessage } from '../errors.js';
import { findingKeyString } from '../regions/finding.js';
import type { FindingsSource } from '../regions/findings-source.js';
import type { IncidentView } from '../soar/case-system.js';
import type { Link } from '../store/links-repo.js';
import { chunk } from '../util/concurrency.js';
import { closeForArchivedFinding } from './close-incident.js';
import { addNoteOnce } from './durable-note.js';
import { findingContext } from './finding-context.js';
import { markGone } from './gone-finding.js';
import { FIELD, queryField } from './incident-fields.js';
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
      const findings = await source.getFindings(first.region, first.detectorId, batch.map((i) => i.link.findingId));
      const byId = new Map(findings.map((f) => [f.Id, f]));
      for (const { link, incident } of batch) {
        try {
          await refreshOne(deps, link, incident, byId.get(link.findingId));
          refreshed += 1;
        } catch (err) {
          deps.logger.warn('Manual refresh failed; it will be retried next cycle', { incidentId: incident.id, error: errorMessage(err) });
        }
      }
    }
  }
  return refreshed;
}

async function refreshOne(deps: SyncDeps, link: Link, incident: IncidentView, finding: Parameters<typeof findingContext>[1] | undefined): Promise<void> {
  const incidentId = incident.id;
  if (!finding) {
    await markGone(deps, link);
    await deps.soar.patchIncident(incidentId, [RESET]);
    return;
  }
  const ctx = findingContext(deps, finding, link);
  if (ctx.snapshot.archived && !link.archived) {
    await closeForArchivedFinding(deps, ctx, link);
    await deps.soar.patchIncident(incidentId, [RESET]);
    return;
  }
  await updateIncident(deps, ctx, link, {
    reason: 'refresh',
    alwaysNote: true,
    extraChanges: [RESET],
    noteKey: `refresh:${findingKeyString(ctx.key)}@${incident.lastModified}`,
  });
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
