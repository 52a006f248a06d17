import type { PollingConfig } from '../config/app-config.js';
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
