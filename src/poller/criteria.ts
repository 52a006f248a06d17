import type { PollingConfig } from '../config/app-config.js';
import { isSampleFinding, type Finding } from '../findings/finding.js';
import type { Criteria } from '../findings/criteria.js';

/**
 * The FindingCriteria of one listing. Built once per (detector, cycle) and frozen for every page:
 * GuardDuty rejects a nextToken whose criteria changed (a `now`-based bound re-evaluated per page is
 * the classic way to break pagination).
 */
export interface ListingWindow {
  /** The detector's durable cursor (updatedAt, epoch ms), undefined before its first listing. */
  cursorMs: number | undefined;
  /** Start of the cycle (epoch ms), for the first-run lookback. */
  nowMs: number;
  /**
   * A re-read owed since the settings that decide which findings qualify changed (`fromMs`
   * undefined: every finding GuardDuty retains); see filter-change.ts.
   */
  rescan?: { fromMs: number | undefined } | undefined;
}

export function buildListingCriteria(polling: PollingConfig, window: ListingWindow): Criteria {
  const criteria: Criteria = { ...polling.extraCriteria };
  criteria['service.archived'] = { Equals: ['false'] };
  if (polling.severityThreshold !== undefined && polling.severityThreshold > 0) {
    criteria.severity = { ...criteria.severity, GreaterThanOrEqual: polling.severityThreshold };
  }
  const since = listingStart(polling, window);
  if (since !== undefined) criteria.updatedAt = { ...criteria.updatedAt, GreaterThanOrEqual: since };
  if (polling.accountsInclude.length > 0) criteria.accountId = { ...criteria.accountId, Equals: polling.accountsInclude };
  if (polling.accountsExclude.length > 0) criteria.accountId = { ...criteria.accountId, NotEquals: polling.accountsExclude };
  return criteria;
}

/**
 * Where a listing starts: the cursor minus the overlap (GuardDuty's updatedAt has one-second
 * granularity and late writes land behind the newest value seen; re-read findings are recognised by
 * their stored updatedAt/count and cost nothing in SOAR), or on a first run the lookback window, or
 * nothing at all (every finding GuardDuty retains). An owed re-read starts wherever is older.
 */
export function listingStart(polling: PollingConfig, window: ListingWindow): number | undefined {
  const usual = window.cursorMs !== undefined
    ? Math.max(0, window.cursorMs - polling.cursorOverlapMinutes * 60_000)
    : polling.lookbackMinutes !== undefined ? window.nowMs - polling.lookbackMinutes * 60_000 : undefined;
  if (!window.rescan) return usual;
  const { fromMs } = window.rescan;
  return fromMs === undefined || usual === undefined ? undefined : Math.min(fromMs, usual);
}

/** Why a listed finding got no incident; each names what the operator can change. */
export type SkipReason = 'sample' | 'type-not-included' | 'type-excluded' | 'archived' | 'recurrence-ignored' | 'incident-deleted' | 'vanished';

export const SKIP_REASONS: Record<SkipReason, string> = {
  sample: 'sample findings (set aws_gd_include_sample_findings = true)',
  'type-not-included': 'of a type aws_gd_finding_types_include does not match (widen it)',
  'type-excluded': 'of a type aws_gd_finding_types_exclude matches (narrow it)',
  archived: 'archived in GuardDuty before they were escalated (unarchive to escalate)',
  'recurrence-ignored': 'updated after their incident closed (aws_gd_on_recurrence = ignore)',
  'incident-deleted': 'whose incident no longer exists in SOAR, not recreated (aws_gd_deleted_incident = forget, or archived meanwhile)',
  vanished: 'no longer in GuardDuty',
};

/**
 * Noise control: sample findings and the finding-type filters decide only whether an incident is
 * created (the severity threshold and account filters are criteria of the listing itself).
 */
export function filteredOut(polling: PollingConfig, finding: Finding): SkipReason | undefined {
  if (!polling.includeSampleFindings && isSampleFinding(finding)) return 'sample';
  if (polling.findingTypesInclude && !polling.findingTypesInclude.test(finding.Type)) return 'type-not-included';
  if (polling.findingTypesExclude && polling.findingTypesExclude.test(finding.Type)) return 'type-excluded';
  return undefined;
}

/** `10 sample findings (set aws_gd_include_sample_findings = true); 2 of a type …`, most first. */
export function describeSkips(counts: Partial<Record<SkipReason, number>>): string {
  return (Object.entries(counts) as [SkipReason, number][])
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1])
    .map(([reason, n]) => `${n} ${SKIP_REASONS[reason]}`)
    .join('; ');
}
