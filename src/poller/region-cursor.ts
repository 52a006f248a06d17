import type { Finding } from '../findings/finding.js';
import { findingKeyString } from '../findings/finding-key.js';
import type { Logger } from '../logging/logger.js';
import type { DetectorTarget } from '../regions/region-discovery.js';
import type { SyncDeps } from '../sync/sync-deps.js';

/**
 * One detector's cursor as a region pass moves it: to the newest updatedAt the pass handled, never
 * past now minus the overlap, so that a finding dated in the future cannot make the listing skip
 * the present.
 */
export class RegionCursor {
  constructor(private readonly deps: SyncDeps, private readonly target: DetectorTarget, private readonly log: Logger) {}

  /**
   * The newest updatedAt among findings, the cursor candidate. A finding dated more than the overlap
   * ahead of this machine's clock (a broken clock, a parser bug, a forged finding) is logged as
   * suspect once per version; `advance` keeps it from dragging the cursor into the future.
   */
  newestUpdate(findings: readonly Finding[]): number | undefined {
    const now = this.deps.clock.now();
    let newest: number | undefined;
    for (const f of findings) {
      const t = Date.parse(f.UpdatedAt);
      if (!Number.isFinite(t)) continue;
      if (t > now + this.overlapMs) this.suspect(f);
      newest = Math.max(newest ?? t, t);
    }
    return newest;
  }

  /** Advances the cursor, never past now minus the overlap (a finding from the future must not skip the present). */
  advance(cursorMs: number): void {
    this.deps.store.cursors.advance(this.target, Math.min(cursorMs, this.deps.clock.now() - this.overlapMs));
  }

  private suspect(finding: Finding): void {
    const { account, region, detectorId } = this.target;
    const key = `suspect_future:${findingKeyString({ account, region, detectorId, findingId: finding.Id })}`;
    if (this.deps.store.getMeta(key) === finding.UpdatedAt) return;
    this.deps.store.setMeta(key, finding.UpdatedAt);
    this.log.warn('Suspect finding: its updatedAt lies in the future; it is synced, but the region cursor stays at the present minus the overlap so later findings are still listed', {
      findingId: finding.Id, updatedAt: finding.UpdatedAt, now: new Date(this.deps.clock.now()).toISOString(),
    });
  }

  private get overlapMs(): number {
    return this.deps.config.polling.cursorOverlapMinutes * 60_000;
  }
}
