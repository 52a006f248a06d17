import type { Clock } from '../core/clock.js';
import { errorMessage } from '../core/errors.js';
import type { Logger } from '../logging/logger.js';
import type { Store } from '../store/store.js';
import type { DetectorRow } from '../store/detectors-repo.js';
import { mapLimit } from '../util/concurrency.js';
import type { FindingsSource } from './findings-source.js';

/** One detector the daemon polls, with the source (credentials) that can read it. */
export interface DetectorTarget {
  account: string;
  region: string;
  detectorId: string;
  source: FindingsSource;
}

export interface DiscoveryOptions {
  source: FindingsSource;
  /** The account whose credentials `source` uses (from GetCallerIdentity). */
  account: string;
  regions: RegExp;
  /** Where DescribeRegions is called (`aws_gd_master_region`), for the message when nothing matches. */
  masterRegion: string;
  intervalMs: number;
  store: Store;
  clock: Clock;
  logger: Logger;
}

/**
 * `aws_gd_regions` selects none of the enabled regions: nothing can be polled until the regex (or the
 * account's enabled regions) changes. A configuration problem found at run time, with the fix.
 */
export class NoRegionMatchError extends Error {
  override readonly name = 'NoRegionMatchError';
  readonly fix =
    'Widen aws_gd_regions (an unanchored, case-insensitive regex such as ^us- or ^(us-east-1|eu-west-1)$), or enable the opt-in regions you want.';

  constructor(readonly pattern: string, readonly account: string, readonly enabled: readonly string[], masterRegion: string) {
    super(`aws_gd_regions /${pattern}/ matches none of the ${enabled.length} regions enabled for these credentials ` +
      `(account ${account}, DescribeRegions in ${masterRegion}): ${enabled.join(', ')}; nothing was polled.`);
  }
}

/**
 * Finds the regions whose names match the configured regex (DescribeRegions in the master region,
 * enabled regions only) and the GuardDuty detector of each. Rediscovers on its own interval; a region
 * without a detector, or whose ListDetectors fails (opt-in region not enabled, access denied), is
 * logged with the reason and skipped until the next rediscovery. A regex that matches no enabled
 * region fails every cycle (not only the one that rediscovered), so the operator cannot miss it.
 */
export class RegionDiscovery {
  private targets: DetectorTarget[] = [];
  private discoveredAt: number | undefined;
  private noMatch: NoRegionMatchError | undefined;

  constructor(private readonly options: DiscoveryOptions) {}

  /** The current detectors, rediscovering first when the interval has passed (or never ran). */
  async current(): Promise<DetectorTarget[]> {
    const { clock, intervalMs } = this.options;
    if (this.discoveredAt === undefined || clock.now() - this.discoveredAt >= intervalMs) await this.discover();
    if (this.noMatch) throw this.noMatch;
    return this.targets;
  }

  /** Set while the last discovery found no enabled region matching `aws_gd_regions`. */
  get unmatched(): NoRegionMatchError | undefined {
    return this.noMatch;
  }

  /** `aws_gd_regions`: which regions this discovery polls (one of the settings that decide what qualifies). */
  get pattern(): RegExp {
    return this.options.regions;
  }

  /** Forces a rediscovery at the next `current()` (e.g. a detector was deleted). */
  invalidate(): void {
    this.discoveredAt = undefined;
  }

  private async discover(): Promise<void> {
    const { source, account, regions, store, clock, logger } = this.options;
    const enabled = (await source.listRegions()).map((r) => r.name).sort();
    const names = enabled.filter((name) => regions.test(name));
    this.noMatch = names.length === 0 ? new NoRegionMatchError(regions.source, account, enabled, this.options.masterRegion) : undefined;
    const rows = await mapLimit(names, 4, async (region): Promise<Omit<DetectorRow, 'account'>> => {
      const discoveredAt = clock.now();
      try {
        const ids = await source.listDetectors(region);
        const detectorId = ids[0];
        if (!detectorId) return { region, detectorId: undefined, status: 'no-detector', reason: 'GuardDuty has no detector in this region', discoveredAt };
        return { region, detectorId, status: 'active', reason: undefined, discoveredAt };
      } catch (err) {
        return { region, detectorId: undefined, status: 'failed', reason: errorMessage(err), discoveredAt };
      }
    });
    for (const row of rows.filter((r) => r.status === 'failed')) {
      logger.warn('Region skipped until the next rediscovery: ListDetectors failed', { account, region: row.region, reason: row.reason });
    }
    store.detectors.replace(account, rows);
    this.targets = rows
      .filter((r) => r.status === 'active' && r.detectorId !== undefined)
      .map((r) => ({ account, region: r.region, detectorId: r.detectorId as string, source }));
    this.discoveredAt = clock.now();
    logger.info('Discovered GuardDuty detectors', {
      account,
      regions: this.targets.map((t) => t.region),
      withoutDetector: rows.filter((r) => r.status === 'no-detector').map((r) => r.region),
      failed: rows.filter((r) => r.status === 'failed').map((r) => r.region),
    });
  }
}
