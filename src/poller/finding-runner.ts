import { errorMessage, isAbandoned, isRetryable } from '../core/errors.js';
import { assertWellFormed } from '../findings/clean-finding.js';
import type { Finding } from '../findings/finding.js';
import { findingKeyString, type FindingKey } from '../findings/finding-key.js';
import type { Logger } from '../logging/logger.js';
import type { DetectorTarget } from '../regions/region-discovery.js';
import type { Link } from '../store/links-repo.js';
import { nextAttemptAt } from '../sync/backoff.js';
import { syncFinding } from '../sync/finding-sync.js';
import { markGone } from '../sync/gone-finding.js';
import { filteredOut, type SkipReason } from '../sync/skip-reasons.js';
import type { SyncDeps } from '../sync/sync-deps.js';
import type { Semaphore } from '../util/concurrency.js';
import { reportProgress, type ProgressDeps } from './progress.js';
import type { PassOutcome, RegionReport } from './region-report.js';

export const SYNC_FINDING_OP = 'sync-finding';
/** Consecutive transient failures after which SOAR (or AWS) is taken to be down for this pass. */
const OUTAGE_THRESHOLD = 20;

class OutageError extends Error {}

/**
 * How a region pass runs each finding's work: in one of the cycle's finding slots, counted in the
 * region's report, a failure recorded as a pending operation with its backoff (and remembered as
 * waiting), and enough transient failures in a row taken as an outage that ends the pass.
 */
export class FindingRunner {
  private consecutiveTransient = 0;
  private outage: OutageError | undefined;
  /**
   * Findings of this detector whose last sync failed and whose retry is not due yet: read once per
   * pass and kept current by `guard`, rather than asked of SQLite for every finding listed or checked.
   */
  private readonly waitingIds: Set<string>;

  constructor(
    private readonly deps: SyncDeps & ProgressDeps,
    private readonly target: DetectorTarget,
    private readonly signal: AbortSignal,
    private readonly slots: Semaphore,
    private readonly report: RegionReport,
    private readonly log: Logger,
  ) {
    const prefix = this.opKey('');
    this.waitingIds = new Set(deps.store.ops.waitingKeys(SYNC_FINDING_OP).filter((k) => k.startsWith(prefix)).map((k) => k.slice(prefix.length)));
  }

  /** No new finding is started: the daemon is stopping, or SOAR (or AWS) looks down. */
  get stopping(): boolean {
    return this.signal.aborted || this.outage !== undefined;
  }

  throwIfOutage(): void {
    if (this.outage) throw this.outage;
  }

  /** Its last sync failed and its retry is not due yet. */
  waiting(findingId: string): boolean {
    return this.waitingIds.has(findingId);
  }

  /** A finding the model cannot read (a number sent as text) fails alone, recorded and retried like any other failure. */
  sync(finding: Finding): Promise<boolean> {
    return this.guard(finding.Id, finding.UpdatedAt, async () => {
      assertWellFormed(finding);
      const before = this.deps.store.links.get(this.key(finding.Id));
      const outcome = await syncFinding(this.deps, finding, this.key(finding.Id));
      if (outcome === 'skipped') this.skipped(skipReason(this.deps, finding, before, this.deps.store.links.get(this.key(finding.Id))));
      return outcome;
    });
  }

  /** A linked finding GuardDuty no longer returns. */
  gone(link: Link): Promise<boolean> {
    return this.guard(link.findingId, undefined, () => this.handleGone(link));
  }

  private async handleGone(link: Link): Promise<PassOutcome> {
    // Under the finding's lock, like every other write to its incident (a SOAR function may be refreshing it).
    const outcome = await this.deps.locks.run(findingKeyString(link), () => markGone(this.deps, link));
    if (outcome === 'skipped') this.skipped('vanished');
    return outcome;
  }

  skipped(reason: SkipReason): void {
    this.report.skippedBy[reason] = (this.report.skippedBy[reason] ?? 0) + 1;
  }

  /**
   * Runs one finding's work in one of the cycle's finding slots; resolves to whether it was handled
   * (an outcome counted). Not started once the pass is stopping; abandoned (not counted, nothing
   * recorded: the next start finishes it as a crash would be finished) when an API call was refused
   * because the daemon's deadline passed. A failure is recorded for retry and affects that finding alone.
   */
  private guard(findingId: string, updatedAt: string | undefined, work: () => Promise<PassOutcome>): Promise<boolean> {
    return this.slots.run(async () => {
      if (this.stopping) return false;
      try {
        const outcome = await work();
        this.handled(findingId, outcome);
        if (this.signal.aborted) this.report.finishedAfterStop += 1;
        return true;
      } catch (err) {
        if (isAbandoned(err)) {
          this.report.abandoned += 1;
          return false;
        }
        this.failed(findingId, updatedAt, err);
        return true;
      }
    });
  }

  private handled(findingId: string, outcome: PassOutcome): void {
    const { store } = this.deps;
    const opKey = this.opKey(findingId);
    this.count(outcome);
    this.consecutiveTransient = 0;
    if (store.ops.get(SYNC_FINDING_OP, opKey)) store.ops.complete(SYNC_FINDING_OP, opKey);
    this.waitingIds.delete(findingId);
  }

  private failed(findingId: string, updatedAt: string | undefined, err: unknown): void {
    const { store, clock } = this.deps;
    const opKey = this.opKey(findingId);
    this.count('failed');
    const retryable = isRetryable(err);
    const previous = store.ops.get(SYNC_FINDING_OP, opKey);
    store.ops.enqueue(SYNC_FINDING_OP, opKey, updatedAt === undefined ? {} : { updatedAt });
    const retryAt = nextAttemptAt(clock.now(), (previous?.attempts ?? 0) + 1, retryable);
    store.ops.fail(SYNC_FINDING_OP, opKey, errorMessage(err), retryAt);
    if (retryAt > clock.now()) this.waitingIds.add(findingId);
    else this.waitingIds.delete(findingId);
    this.log.warn('Finding not synced; it will be retried', { findingId, error: err, retryable });
    this.consecutiveTransient = retryable ? this.consecutiveTransient + 1 : 0;
    if (this.consecutiveTransient >= OUTAGE_THRESHOLD) {
      // No new finding is started; the pass ends, with this error, once the ones in flight are done.
      this.outage ??= new OutageError(`${OUTAGE_THRESHOLD} findings in a row failed with transient errors; stopping this region's pass (last: ${errorMessage(err)})`);
    }
  }

  count(outcome: PassOutcome): void {
    this.report.outcomes[outcome] += 1;
    this.deps.metrics.finding(outcome, this.target.region);
    reportProgress(this.deps, { type: 'handled', account: this.target.account, region: this.target.region, outcome });
  }

  queued(listed: number, queued: number): void {
    reportProgress(this.deps, { type: 'queued', account: this.target.account, region: this.target.region, listed, queued });
  }

  opKey(findingId: string): string {
    return findingKeyString(this.key(findingId));
  }

  key(findingId: string): FindingKey {
    return { account: this.target.account, region: this.target.region, detectorId: this.target.detectorId, findingId };
  }
}

/** Why `syncFinding` skipped a finding, from the finding and its link as it was before and is now. */
function skipReason(deps: SyncDeps, finding: Finding, before: Link | undefined, after: Link | undefined): SkipReason {
  if (!before) return filteredOut(deps.config.polling, finding) ?? 'archived';
  if (before.state === 'orphaned' || after?.state === 'orphaned') return 'incident-deleted';
  if (before.state === 'creating') return 'archived';
  return 'recurrence-ignored';
}
