import type { SyncOutcome } from '../health/metrics.js';
import type { SkipReason } from '../sync/skip-reasons.js';

/**
 * What a finding taken up by a region pass came to. Not `archived`: findings are archived in
 * GuardDuty by the SOAR phase, for incidents closed in SOAR (`archivedInGuardDuty`).
 */
export type PassOutcome = SyncOutcome;

/**
 * What one region's pass did in one cycle; one summary log line per region and cycle.
 *
 * The arithmetic, which holds for every pass (docs/operations.md, "Region summary"):
 *
 *     listed + checked = created + recreated + resumed + updated + reopened + unchanged + skipped + closed
 *                        + gone + failed + deferred + left
 *
 * i.e. every finding the pass took up, listed or not, is counted exactly once: by the outcome of its
 * handling, or in `left` when the pass stopped before handling it. A new outcome joins the sum by
 * being added to `FindingOutcome` in src/health/metrics.ts (the sum runs over `outcomes`).
 */
export interface RegionReport {
  account: string;
  region: string;
  detectorId: string;
  /** Finding ids the listing returned (updated since the cursor). */
  listed: number;
  /**
   * Findings the pass took up that the listing did not return: failed ones retried, and the findings
   * of open incidents checked for an archive, a deletion or a change below the threshold.
   */
  checked: number;
  outcomes: Record<PassOutcome, number>;
  /**
   * Taken up but not handled, because the pass stopped early (the daemon is stopping, or the region
   * failed): the cursor did not pass them, so the next cycle takes them up again.
   */
  left: number;
  /** Of `left`: in flight when the daemon stopped at its deadline, abandoned between two API calls. */
  abandoned: number;
  /** Findings that were in flight when the daemon was asked to stop, and were finished. */
  finishedAfterStop: number;
  /** The `skipped` outcomes by reason (they add up to it). */
  skippedBy: Partial<Record<SkipReason, number>>;
  /** Findings archived in GuardDuty because their incident closed (filled by the SOAR phase). */
  archivedInGuardDuty: number;
  durationMs: number;
  error: string | undefined;
}

export function emptyOutcomes(): Record<PassOutcome, number> {
  return { created: 0, resumed: 0, updated: 0, reopened: 0, unchanged: 0, skipped: 0, closed: 0, gone: 0, failed: 0, deferred: 0, recreated: 0 };
}

/** The findings whose handling came to an outcome (every outcome, so a new one is counted too). */
export function outcomesTotal(outcomes: Record<PassOutcome, number>): number {
  return Object.values(outcomes).reduce((sum, n) => sum + n, 0);
}

export function newRegionReport(account: string, region: string, detectorId: string): RegionReport {
  return {
    account, region, detectorId, listed: 0, checked: 0, outcomes: emptyOutcomes(), left: 0, abandoned: 0, finishedAfterStop: 0,
    skippedBy: {}, archivedInGuardDuty: 0, durationMs: 0, error: undefined,
  };
}
