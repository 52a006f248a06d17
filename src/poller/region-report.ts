import type { FindingOutcome } from '../health/metrics.js';
import type { SkipReason } from './criteria.js';

/** What one region's pass did in one cycle; one summary log line per region and cycle. */
export interface RegionReport {
  account: string;
  region: string;
  detectorId: string;
  listed: number;
  outcomes: Record<FindingOutcome, number>;
  /** The `skipped` outcomes by reason (they add up to it). */
  skippedBy: Partial<Record<SkipReason, number>>;
  /** Findings archived in GuardDuty because their incident closed (filled by the SOAR phase). */
  archivedInGuardDuty: number;
  durationMs: number;
  error: string | undefined;
}

export function emptyOutcomes(): Record<FindingOutcome, number> {
  return { created: 0, updated: 0, unchanged: 0, skipped: 0, closed: 0, archived: 0, reopened: 0, gone: 0, failed: 0, recreated: 0 };
}

export function newRegionReport(account: string, region: string, detectorId: string): RegionReport {
  return { account, region, detectorId, listed: 0, outcomes: emptyOutcomes(), skippedBy: {}, archivedInGuardDuty: 0, durationMs: 0, error: undefined };
}
