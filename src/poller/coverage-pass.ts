import { errorMessage, isAbandoned } from '../core/errors.js';
import { checkCoverage, coverageProblems, type CoverageReport } from '../regions/coverage-check.js';
import type { FindingsSource } from '../regions/findings-source.js';
import type { SyncDeps } from '../sync/sync-deps.js';

/** What the coverage check needs of the cycle's deps (not the cycle itself: run-cycle.ts imports this file). */
export type CoverageDeps = Pick<SyncDeps, 'store' | 'clock' | 'logger' | 'metrics' | 'config' | 'stopping'> & {
  sources: ReadonlyMap<string, FindingsSource>;
};

/**
 * The daemon's coverage check: per account and region it polls (or found without a detector), what
 * GuardDuty cannot see, read again every `aws_gd_regions_interval` minutes like the detectors
 * themselves (a few calls per region and hour: GetDetector, GetCoverageStatistics, ListCoverage,
 * ListMembers), stored for `status` and exported on `/metrics`. A blind spot is logged once per
 * check as a warning; a part the credentials may not read is logged with the permission to grant.
 * Never a failure of the cycle: coverage is about GuardDuty, not about guardduty-soar.
 */
export async function refreshCoverage(deps: CoverageDeps): Promise<void> {
  const { store, clock, logger, metrics } = deps;
  const intervalMs = deps.config.polling.regionsIntervalMinutes * 60_000;
  const known = new Map(store.coverage.all<CoverageReport>().map((c) => [`${c.account}/${c.region}`, c]));
  for (const row of store.detectors.list()) {
    if (deps.stopping?.aborted) return;
    if (row.status === 'failed') continue;
    const source = deps.sources.get(row.account);
    const last = known.get(`${row.account}/${row.region}`);
    const detectorId = row.status === 'active' ? row.detectorId : undefined;
    const stale = !last || last.report.detectorId !== (detectorId ?? null) || clock.now() - last.checkedAt >= intervalMs;
    if (!source || !stale) continue;
    try {
      const report = await checkCoverage(source, row.region, detectorId);
      store.coverage.save(row.account, row.region, clock.now(), report);
      known.set(`${row.account}/${row.region}`, { account: row.account, region: row.region, checkedAt: clock.now(), report });
      const problems = coverageProblems(report);
      if (problems.length > 0 && detectorId) logger.warn('GuardDuty coverage: where GuardDuty is blind', { account: row.account, region: row.region, problems });
      if (report.unreadable.length > 0) {
        logger.warn('GuardDuty coverage check incomplete: grant these permissions to see all of it', {
          account: row.account, region: row.region, permissions: report.unreadable.map((u) => u.permission), errors: report.unreadable.map((u) => u.error),
        });
      }
    } catch (err) {
      if (isAbandoned(err)) return;
      logger.warn('GuardDuty coverage check failed; trying again next cycle', { account: row.account, region: row.region, error: errorMessage(err) });
    }
  }
  for (const c of known.values()) metrics.setCoverage(c.account, c.region, c.report);
}
