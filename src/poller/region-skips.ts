import type { DetectorKey } from '../store/cursors-repo.js';
import type { Store } from '../store/store.js';
import type { SkipReason } from '../sync/skip-reasons.js';

/** What a region's last pass skipped, by reason: `status` shows it from SQLite alone. */
export interface RegionSkips {
  /** When the pass finished (epoch ms). */
  at: number;
  skipped: Partial<Record<SkipReason, number>>;
}

const key = (target: DetectorKey): string => `region_skips:${target.account}/${target.region}/${target.detectorId}`;

export function recordSkips(store: Store, target: DetectorKey, skips: RegionSkips): void {
  store.setMeta(key(target), JSON.stringify(skips));
}

/** The skips of the region's last pass; undefined before its first pass. */
export function lastSkips(store: Store, target: DetectorKey): RegionSkips | undefined {
  const text = store.getMeta(key(target));
  return text === undefined ? undefined : (JSON.parse(text) as RegionSkips);
}
