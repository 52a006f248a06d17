import { mapRows, type TableRow } from '../datatables/map-rows.js';
import { buildTemplateContext, type TemplateContext } from '../incidents/template-context.js';
import type { Finding } from '../findings/finding.js';
import type { FindingKey } from '../findings/finding-key.js';
import type { FindingSnapshot } from '../store/links-repo.js';
import { withMemberIncidents } from './sequence-record.js';
import type { SyncDeps } from './sync-deps.js';

/** What one finding maps to, computed once per finding and handed to every sync path. */
export interface FindingContext {
  finding: Finding;
  key: FindingKey;
  template: TemplateContext;
  rows: TableRow[];
  snapshot: FindingSnapshot;
}

export function findingContext(deps: SyncDeps, finding: Finding, key: FindingKey, extra: Record<string, unknown> = {}): FindingContext {
  const template = buildTemplateContext(finding, {
    region: key.region,
    detectorId: key.detectorId,
    severityMap: deps.config.severityMap,
    now: deps.clock.now(),
    ...extra,
  });
  return { finding, key, template, rows: withMemberIncidents(deps, finding, key, mapRows(finding)), snapshot: snapshotOf(finding) };
}

export function snapshotOf(finding: Finding): FindingSnapshot {
  const count = finding.Service?.Count;
  const severity = finding.Severity;
  return {
    findingAccount: finding.AccountId,
    updatedAt: finding.UpdatedAt,
    count: typeof count === 'number' && Number.isFinite(count) ? count : 0,
    severity: typeof severity === 'number' && Number.isFinite(severity) ? severity : null,
    archived: finding.Service?.Archived === true,
  };
}

/** True when the finding is a new version of what the link last recorded. */
export function hasChanged(link: { updatedAt: string; count: number }, snapshot: FindingSnapshot): boolean {
  return link.updatedAt !== snapshot.updatedAt || link.count !== snapshot.count;
}

/**
 * True when a version of the finding is activity after its incident was closed (`closedAt`: SOAR's
 * close time, epoch ms), judged by time and not by the version the link records: the region pass may
 * have applied a version to the incident before the daemon learnt of the close.
 *
 * GuardDuty's `updatedAt` counts in whole seconds, so activity a few hundred milliseconds after the
 * close may carry the close's own second. A version stamped in that second (or later) is counted as
 * after the close: reopening a case a responder has just closed costs them a click, archiving
 * activity nobody saw costs far more. An `updatedAt` that cannot be read counts as after, too. (The
 * follow-up of a close exempts the version the incident showed when it was closed: see `closedOn`.)
 */
export function updatedAfterClose(updatedAt: string, closedAt: number): boolean {
  const updated = Date.parse(updatedAt);
  return !(updated < Math.floor(closedAt / 1000) * 1000);
}
