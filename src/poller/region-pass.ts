import { errorMessage, isRetryable } from '../errors.js';
import type { FindingOutcome } from '../health/metrics.js';
import { assertWellFormed, findingKeyString, type Finding, type FindingKey } from '../regions/finding.js';
import type { DetectorTarget } from '../regions/region-discovery.js';
import type { Link } from '../store/links-repo.js';
import { nextAttemptAt } from '../sync/backoff.js';
import { syncFinding } from '../sync/finding-sync.js';
import { markGone } from '../sync/gone-finding.js';
import type { SyncDeps } from '../sync/sync-deps.js';
import { chunk, orderedWindow, prefetchMap } from '../util/concurrency.js';
import { buildListingCriteria, filteredOut, type SkipReason } from './criteria.js';
import { owedRescan, rescanDone } from './filter-change.js';
import { reportProgress, type ProgressDeps } from './progress.js';
import { newRegionReport, type RegionReport } from './region-report.js';
import { recordSkips } from './region-skips.js';

export const SYNC_FINDING_OP = 'sync-finding';
const PAGE_SIZE = 50;
/** Pages whose findings are being synced at once; the cursor still advances in page order. */
const PAGES_IN_FLIGHT = 2;
/** Consecutive transient failures after which SOAR (or AWS) is taken to be down for this pass. */
const OUTAGE_THRESHOLD = 20;

class OutageError extends Error {}

/**
 * One region's share of a cycle: retry the findings that failed before, list what changed since the
 * cursor, then check the open linked findings the listing did not return (archived in GuardDuty,
 * vanished, or changed below the threshold). A finding that fails is recorded as a pending
 * operation and retried with backoff, so it never holds back the cursor or the other findings.
 */
export async function runRegionPass(deps: SyncDeps & ProgressDeps, target: DetectorTarget, cycle: number, signal: AbortSignal): Promise<RegionReport> {
  const report = newRegionReport(target.account, target.region, target.detectorId);
  const started = deps.clock.now();
  const pass = new RegionPass(deps, target, cycle, signal, report);
  deps.store.cursors.recordAttempt(target);
  try {
    await pass.retryFailed();
    await pass.list();
    await pass.check();
    deps.store.cursors.recordSuccess(target);
  } catch (err) {
    report.error = errorMessage(err);
    deps.store.cursors.recordError(target, report.error);
  }
  report.durationMs = deps.clock.now() - started;
  recordSkips(deps.store, target, { at: deps.clock.now(), skipped: report.skippedBy });
  reportProgress(deps, { type: 'region-done', account: target.account, region: target.region, error: report.error });
  return report;
}

class RegionPass {
  private consecutiveTransient = 0;
  private readonly log;
  /**
   * Listed findings whose incident is open: the check phase fetches every open linked finding anyway,
   * so the listing leaves them to it (one GetFindings per 50 open links per cycle, not two).
   */
  private readonly deferred = new Set<string>();
  private deferredNewest: number | undefined;
  /**
   * Findings of this detector whose last sync failed and whose retry is not due yet: read once per
   * pass and kept current by `guard`, rather than asked of SQLite for every finding listed or checked.
   */
  private readonly waitingIds: Set<string>;

  constructor(
    private readonly deps: SyncDeps & ProgressDeps,
    private readonly target: DetectorTarget,
    private readonly cycle: number,
    private readonly signal: AbortSignal,
    private readonly report: RegionReport,
  ) {
    this.log = deps.logger.child({ region: target.region, account: target.account });
    const prefix = this.opKey('');
    this.waitingIds = new Set(deps.store.ops.waitingKeys(SYNC_FINDING_OP).filter((k) => k.startsWith(prefix)).map((k) => k.slice(prefix.length)));
  }

  async retryFailed(): Promise<void> {
    const prefix = this.opKey('');
    const due = this.deps.store.ops.due(SYNC_FINDING_OP).filter((op) => op.key.startsWith(prefix));
    for (const batch of chunk(due.map((op) => op.key.slice(prefix.length)), PAGE_SIZE)) {
      if (this.signal.aborted) return;
      this.queued(0, batch.length);
      const findings = await this.getFindings(batch);
      const found = new Set(findings.map((f) => f.Id));
      for (const id of batch.filter((i) => !found.has(i))) {
        const link = this.deps.store.links.get(this.key(id));
        if (link) await this.guard(id, () => this.gone(link));
        else this.deps.store.ops.complete(SYNC_FINDING_OP, prefix + id);
      }
      await Promise.all(findings.map((f) => this.syncOne(f)));
      // Retried above: the check phase must not try them a second time in this cycle.
      this.deps.store.links.markSeen(findings.map((f) => this.key(f.Id)), this.cycle);
    }
  }

  /**
   * Lists what changed since the cursor (or, when the settings that decide which findings qualify
   * changed, re-reads from further back: filter-change.ts) and syncs it page by page.
   */
  async list(): Promise<void> {
    const { deps, target } = this;
    const rescan = owedRescan(deps.store, target);
    const criteria = buildListingCriteria(deps.config.polling, { cursorMs: deps.store.cursors.get(target)?.cursorMs, nowMs: deps.clock.now(), rescan });
    const pages = target.source.listFindingIds(target.region, target.detectorId, { criteria, sortBy: 'updatedAt', order: 'ASC', pageSize: PAGE_SIZE });
    const fetched = prefetchMap(pages, 1, (ids) => {
      this.report.listed += ids.length;
      const kept = ids.filter((id) => !this.defer(id));
      this.queued(ids.length, kept.length);
      return this.getFindings(kept);
    });
    await orderedWindow(fetched, PAGES_IN_FLIGHT, (findings) => this.syncPage(findings), (newest) => this.commit(newest), () => this.signal.aborted);
    if (rescan && !this.signal.aborted) rescanDone(deps.store, target);
  }

  /**
   * Fetches the open linked findings the listing did not sync (50 per GetFindings) and syncs them,
   * pipelined like the listing: the next batch is fetched while up to PAGES_IN_FLIGHT batches sync,
   * so neither AWS latency nor one slow incident idles the SOAR slots.
   */
  async check(): Promise<void> {
    const fetched = prefetchMap(this.openLinkBatches(), 1, async (links) => ({ links, findings: await this.getFindings(links.map((l) => l.findingId)) }));
    await orderedWindow(fetched, PAGES_IN_FLIGHT, (batch) => this.checkBatch(batch.links, batch.findings), () => undefined, () => this.signal.aborted);
    if (this.signal.aborted) return;
    // Every finding the listing returned has now been handled: the cursor may pass the deferred ones.
    this.commit(this.deferredNewest);
  }

  /**
   * Open links not yet seen this cycle, 50 at a time (keyset paging by finding id), read as they are
   * pulled. A finding whose last sync failed and is waiting out its backoff is left to `retryFailed`
   * when it is due: checking it every cycle would repeat a refused close at full rate.
   */
  private *openLinkBatches(): Generator<Link[]> {
    const { store } = this.deps;
    const { account, region, detectorId } = this.target;
    let after = '';
    for (;;) {
      const links = store.links.unseenOpen(account, region, detectorId, this.cycle, after, PAGE_SIZE);
      if (links.length === 0) return;
      after = links[links.length - 1]?.findingId ?? after;
      const ready = links.filter((link) => !this.waiting(link.findingId));
      if (ready.length > 0) this.queued(0, ready.length);
      if (ready.length > 0) yield ready;
    }
  }

  /** Listed again (the cursor's overlap) with nothing new since its failed sync: it waits for its retry. */
  private waitingUnchanged(finding: Finding): boolean {
    if (!this.waiting(finding.Id)) return false;
    return this.deps.store.links.get(this.key(finding.Id))?.updatedAt === finding.UpdatedAt;
  }

  private waiting(findingId: string): boolean {
    return this.waitingIds.has(findingId);
  }

  private async checkBatch(links: Link[], findings: Finding[]): Promise<void> {
    const byId = new Map(findings.map((f) => [f.Id, f]));
    const newest = this.newestUpdate(findings.filter((f) => this.deferred.has(f.Id)));
    if (newest !== undefined) this.deferredNewest = Math.max(this.deferredNewest ?? 0, newest);
    await Promise.all(
      links.map((link) => {
        const finding = byId.get(link.findingId);
        return finding ? this.syncOne(finding) : this.guard(link.findingId, () => this.gone(link));
      }),
    );
    this.deps.store.links.markSeen(links, this.cycle);
  }

  /**
   * Whether a listed finding is left to the check phase. Not one the check phase will pass over: one
   * waiting out a backoff (it changed, so it is tried now) or one already retried this cycle.
   */
  private defer(findingId: string): boolean {
    const link = this.deps.store.links.get(this.key(findingId));
    const open = link !== undefined && link.incidentState === 'open' && link.state !== 'gone' && link.state !== 'orphaned'
      && link.seenCycle < this.cycle && !this.waiting(findingId);
    if (open) this.deferred.add(findingId);
    return open;
  }

  /** Syncs one page; resolves to the newest updatedAt on it, the cursor candidate. */
  private async syncPage(findings: Finding[]): Promise<number | undefined> {
    await Promise.all(findings.filter((f) => !this.waitingUnchanged(f)).map((f) => this.syncOne(f)));
    this.deps.store.links.markSeen(findings.map((f) => this.key(f.Id)), this.cycle);
    return this.newestUpdate(findings);
  }

  /**
   * The newest updatedAt among findings, the cursor candidate. A finding dated more than the overlap
   * ahead of this machine's clock (a broken clock, a parser bug, a forged finding) is logged as
   * suspect once per version; `commit` keeps it from dragging the cursor into the future.
   */
  private newestUpdate(findings: readonly Finding[]): number | undefined {
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

  private suspect(finding: Finding): void {
    const key = `suspect_future:${this.opKey(finding.Id)}`;
    if (this.deps.store.getMeta(key) === finding.UpdatedAt) return;
    this.deps.store.setMeta(key, finding.UpdatedAt);
    this.log.warn('Suspect finding: its updatedAt lies in the future; it is synced, but the region cursor stays at the present minus the overlap so later findings are still listed', {
      findingId: finding.Id, updatedAt: finding.UpdatedAt, now: new Date(this.deps.clock.now()).toISOString(),
    });
  }

  /** Advances the cursor, never past now minus the overlap (a finding from the future must not skip the present). */
  private commit(cursorMs: number | undefined): void {
    if (cursorMs === undefined) return;
    this.deps.store.cursors.advance(this.target, Math.min(cursorMs, this.deps.clock.now() - this.overlapMs));
  }

  private get overlapMs(): number {
    return this.deps.config.polling.cursorOverlapMinutes * 60_000;
  }

  /** A finding the model cannot read (a number sent as text) fails alone, recorded and retried like any other failure. */
  private async syncOne(finding: Finding): Promise<void> {
    await this.guard(finding.Id, async () => {
      assertWellFormed(finding);
      const before = this.deps.store.links.get(this.key(finding.Id));
      const outcome = await syncFinding(this.deps, finding, this.key(finding.Id));
      if (outcome === 'skipped') this.skipped(skipReason(this.deps, finding, before, this.deps.store.links.get(this.key(finding.Id))));
      return outcome;
    });
  }

  private async gone(link: Link): Promise<FindingOutcome> {
    // Under the finding's lock, like every other write to its incident (a SOAR function may be refreshing it).
    const outcome = await this.deps.locks.run(findingKeyString(link), () => markGone(this.deps, link));
    if (outcome === 'skipped') this.skipped('vanished');
    return outcome;
  }

  private skipped(reason: SkipReason): void {
    this.report.skippedBy[reason] = (this.report.skippedBy[reason] ?? 0) + 1;
  }

  /** Runs one finding's work; a failure is recorded for retry and affects that finding alone. */
  private async guard(findingId: string, work: () => Promise<FindingOutcome>): Promise<void> {
    const opKey = this.opKey(findingId);
    const { store, clock } = this.deps;
    try {
      const outcome = await work();
      this.count(outcome);
      this.consecutiveTransient = 0;
      if (store.ops.get(SYNC_FINDING_OP, opKey)) store.ops.complete(SYNC_FINDING_OP, opKey);
      this.waitingIds.delete(findingId);
    } catch (err) {
      this.count('failed');
      const retryable = isRetryable(err);
      const previous = store.ops.get(SYNC_FINDING_OP, opKey);
      store.ops.enqueue(SYNC_FINDING_OP, opKey, {});
      const retryAt = nextAttemptAt(clock.now(), (previous?.attempts ?? 0) + 1, retryable);
      store.ops.fail(SYNC_FINDING_OP, opKey, errorMessage(err), retryAt);
      if (retryAt > clock.now()) this.waitingIds.add(findingId);
      else this.waitingIds.delete(findingId);
      this.log.warn('Finding not synced; it will be retried', { findingId, error: err, retryable });
      this.consecutiveTransient = retryable ? this.consecutiveTransient + 1 : 0;
      if (this.consecutiveTransient >= OUTAGE_THRESHOLD) {
        throw new OutageError(`${OUTAGE_THRESHOLD} findings in a row failed with transient errors; stopping this region's pass (last: ${errorMessage(err)})`);
      }
    }
  }

  private count(outcome: FindingOutcome): void {
    this.report.outcomes[outcome] += 1;
    this.deps.metrics.finding(outcome, this.target.region);
    reportProgress(this.deps, { type: 'handled', account: this.target.account, region: this.target.region, outcome });
  }

  private queued(listed: number, queued: number): void {
    reportProgress(this.deps, { type: 'queued', account: this.target.account, region: this.target.region, listed, queued });
  }

  private getFindings(ids: string[]): Promise<Finding[]> {
    return ids.length === 0 ? Promise.resolve([]) : this.target.source.getFindings(this.target.region, this.target.detectorId, ids);
  }

  private opKey(findingId: string): string {
    return findingKeyString(this.key(findingId));
  }

  private key(findingId: string): FindingKey {
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
