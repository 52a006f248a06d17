import { errorMessage, isAbandoned } from '../core/errors.js';
import type { Finding } from '../findings/finding.js';
import type { DetectorTarget } from '../regions/region-discovery.js';
import type { Link } from '../store/links-repo.js';
import type { SyncDeps } from '../sync/sync-deps.js';
import { Semaphore, chunk, orderedWindow, prefetchMap } from '../util/concurrency.js';
import { buildListingCriteria } from './criteria.js';
import { owedRescan, rescanDone } from './filter-change.js';
import { FindingRunner, SYNC_FINDING_OP } from './finding-runner.js';
import { reportProgress, type ProgressDeps } from './progress.js';
import { RegionCursor } from './region-cursor.js';
import { newRegionReport, outcomesTotal, type RegionReport } from './region-report.js';
import { recordSkips } from './region-skips.js';
import { sequencesFirst } from './sequences-first.js';

const PAGE_SIZE = 50;
/** Pages whose findings are being synced at once; the cursor still advances in page order. */
const PAGES_IN_FLIGHT = 2;

/**
 * One region's share of a cycle: retry the findings that failed before, list what changed since the
 * cursor, then check the open linked findings the listing did not return (archived in GuardDuty,
 * vanished, or changed below the threshold). A finding that fails is recorded as a pending
 * operation and retried with backoff, so it never holds back the cursor or the other findings.
 *
 * Each finding is a safe point. Findings are handled at most `findingSlots` at a time (shared by the
 * regions of the cycle), so that they finish one after another rather than all advancing together;
 * once `signal` is aborted (the daemon is stopping) no finding is started, the ones in flight finish
 * (or are abandoned between two calls when the daemon's deadline closes its CallGate), and the
 * cursor stays before the first page not fully handled. The pass returns only once nothing it
 * started is still running.
 */
export async function runRegionPass(
  deps: SyncDeps & ProgressDeps, target: DetectorTarget, cycle: number, signal: AbortSignal, findingSlots = new Semaphore(8),
): Promise<RegionReport> {
  const report = newRegionReport(target.account, target.region, target.detectorId);
  const started = deps.clock.now();
  const pass = new RegionPass(deps, target, cycle, signal, findingSlots, report);
  deps.store.cursors.recordAttempt(target);
  try {
    await pass.retryFailed();
    await pass.list();
    await pass.check();
    pass.throwIfOutage();
    if (!signal.aborted) deps.store.cursors.recordSuccess(target);
  } catch (err) {
    // An AWS call given up because the daemon is stopping is not the region's failure.
    if (!isAbandoned(err)) {
      report.error = errorMessage(err);
      deps.store.cursors.recordError(target, report.error);
    }
  }
  report.left = report.listed + report.checked - outcomesTotal(report.outcomes);
  report.durationMs = deps.clock.now() - started;
  recordSkips(deps.store, target, { at: deps.clock.now(), skipped: report.skippedBy });
  reportProgress(deps, { type: 'region-done', account: target.account, region: target.region, error: report.error });
  return report;
}

class RegionPass {
  private readonly run: FindingRunner;
  private readonly cursor: RegionCursor;
  /**
   * Listed findings whose incident is open: the check phase fetches every open linked finding anyway,
   * so the listing leaves them to it (one GetFindings per 50 open links per cycle, not two). They
   * count as listed, not as checked.
   */
  private readonly leftToCheck = new Set<string>();
  private leftToCheckNewest: number | undefined;
  /** Findings the retry phase took up (counted as checked until the listing returns them too). */
  private readonly retried = new Set<string>();
  /** A page or batch was not fully handled (the pass is stopping): the cursor must not pass it. */
  private incomplete = false;

  constructor(
    private readonly deps: SyncDeps & ProgressDeps,
    private readonly target: DetectorTarget,
    private readonly cycle: number,
    signal: AbortSignal,
    slots: Semaphore,
    private readonly report: RegionReport,
  ) {
    const log = deps.logger.child({ region: target.region, account: target.account });
    this.run = new FindingRunner(deps, target, signal, slots, report, log);
    this.cursor = new RegionCursor(deps, target, log);
  }

  /** No new finding is started: the daemon is stopping, or SOAR (or AWS) looks down. */
  private get stopping(): boolean {
    return this.run.stopping;
  }

  throwIfOutage(): void {
    this.run.throwIfOutage();
  }

  async retryFailed(): Promise<void> {
    const prefix = this.run.opKey('');
    const due = this.deps.store.ops.due(SYNC_FINDING_OP).filter((op) => op.key.startsWith(prefix));
    for (const batch of chunk(due.map((op) => op.key.slice(prefix.length)), PAGE_SIZE)) {
      if (this.stopping) return;
      this.report.checked += batch.length;
      for (const id of batch) this.retried.add(id);
      this.run.queued(0, batch.length);
      const findings = await this.getFindings(batch);
      const found = new Set(findings.map((f) => f.Id));
      const handled: Promise<boolean>[] = [];
      for (const id of batch.filter((i) => !found.has(i))) {
        const link = this.deps.store.links.get(this.run.key(id));
        if (link) {
          handled.push(this.run.gone(link));
        } else {
          // Never escalated, and GuardDuty no longer has it: nothing is left to do.
          this.deps.store.ops.complete(SYNC_FINDING_OP, prefix + id);
          this.run.skipped('vanished');
          this.run.count('skipped');
        }
      }
      await Promise.all([...handled, ...findings.map((f) => this.run.sync(f))]);
      // Retried above: the check phase must not try them a second time in this cycle.
      this.deps.store.links.markSeen(findings.map((f) => this.run.key(f.Id)), this.cycle);
    }
  }

  /**
   * Lists what changed since the cursor (or, when the settings that decide which findings qualify
   * changed, re-reads from further back: filter-change.ts) and syncs it page by page.
   */
  async list(): Promise<void> {
    const { deps, target } = this;
    if (this.stopping) return;
    const rescan = owedRescan(deps.store, target);
    const criteria = buildListingCriteria(deps.config.polling, { cursorMs: deps.store.cursors.get(target)?.cursorMs, nowMs: deps.clock.now(), rescan });
    const pages = target.source.listFindingIds(target.region, target.detectorId, { criteria, sortBy: 'updatedAt', order: 'ASC', pageSize: PAGE_SIZE });
    const fetched = prefetchMap(pages, 1, async (ids) => {
      this.report.listed += ids.length;
      const now = ids.filter((id) => this.fetchNow(id));
      this.run.queued(ids.length, now.length);
      const findings = await this.getFindings(now);
      this.notReturned(now, findings);
      return findings;
    });
    await orderedWindow(fetched, PAGES_IN_FLIGHT, (findings) => this.syncPage(findings), (newest) => this.commit(newest), () => this.stopping);
    if (rescan && !this.stopping && !this.incomplete) rescanDone(deps.store, target);
  }

  /**
   * Fetches the open linked findings the listing did not sync (50 per GetFindings) and syncs them,
   * pipelined like the listing: the next batch is fetched while up to PAGES_IN_FLIGHT batches sync,
   * so neither AWS latency nor one slow incident idles the SOAR slots.
   */
  async check(): Promise<void> {
    if (this.stopping) return;
    const fetched = prefetchMap(this.openLinkBatches(), 1, async (links) => ({ links, findings: await this.getFindings(links.map((l) => l.findingId)) }));
    await orderedWindow(fetched, PAGES_IN_FLIGHT, (batch) => this.checkBatch(batch.links, batch.findings), () => undefined, () => this.stopping);
    if (this.stopping || this.incomplete) return;
    // Every finding the listing returned has now been handled: the cursor may pass the ones left to this phase.
    this.commit(this.leftToCheckNewest);
  }

  /**
   * Open links not yet seen this cycle, 50 at a time (keyset paging by finding id), read as they are
   * pulled. A finding whose last sync failed and is waiting out its backoff is left to `retryFailed`
   * when it is due (checking it every cycle would repeat a refused close at full rate): it is
   * counted as deferred.
   */
  private *openLinkBatches(): Generator<Link[]> {
    const { store } = this.deps;
    const { account, region, detectorId } = this.target;
    let after = '';
    while (!this.stopping) {
      const links = store.links.unseenOpen(account, region, detectorId, this.cycle, after, PAGE_SIZE);
      if (links.length === 0) return;
      after = links[links.length - 1]?.findingId ?? after;
      this.run.queued(0, links.length);
      const ready: Link[] = [];
      for (const link of links) {
        if (!this.run.waiting(link.findingId)) {
          ready.push(link);
        } else {
          this.takeUpChecked(link.findingId);
          this.run.count('deferred');
        }
      }
      if (ready.length > 0) yield ready;
    }
  }

  /**
   * Listed again (the cursor's overlap) with nothing new since its failed sync: it waits for its
   * retry. The version that failed is recorded with the failure (a finding refused before its link
   * was written has no link to compare with); older records fall back on the link.
   */
  private waitingUnchanged(finding: Finding): boolean {
    if (!this.run.waiting(finding.Id)) return false;
    const failedOn = this.deps.store.ops.get(SYNC_FINDING_OP, this.run.opKey(finding.Id))?.payload.updatedAt;
    const known = typeof failedOn === 'string' ? failedOn : this.deps.store.links.get(this.run.key(finding.Id))?.updatedAt;
    return known === finding.UpdatedAt;
  }

  private async checkBatch(links: Link[], findings: Finding[]): Promise<void> {
    const byId = new Map(findings.map((f) => [f.Id, f]));
    const newest = this.cursor.newestUpdate(findings.filter((f) => this.leftToCheck.has(f.Id)));
    if (newest !== undefined) this.leftToCheckNewest = Math.max(this.leftToCheckNewest ?? 0, newest);
    const handled = await Promise.all(
      links.map((link) => {
        this.takeUpChecked(link.findingId);
        const finding = byId.get(link.findingId);
        return finding ? this.run.sync(finding) : this.run.gone(link);
      }),
    );
    if (handled.includes(false)) this.incomplete = true;
    this.deps.store.links.markSeen(links.filter((_, i) => handled[i]), this.cycle);
  }

  /** A finding the check phase takes up: counted as checked unless the listing returned it. */
  private takeUpChecked(findingId: string): void {
    if (!this.leftToCheck.has(findingId)) this.report.checked += 1;
  }

  /**
   * Whether a listed finding is fetched now. Not one the retry phase already handled (it now counts
   * as listed), nor one whose incident is open: the check phase handles those. Not left to the check
   * phase either: one waiting out a backoff (it changed, so it is tried now) or one already seen.
   */
  private fetchNow(findingId: string): boolean {
    if (this.retried.delete(findingId)) {
      this.report.checked -= 1;
      return false;
    }
    if (this.leftToCheck.has(findingId)) {
      // Listed twice (GuardDuty updated it while the listing paged): one handling serves both.
      this.run.count('unchanged');
      return false;
    }
    const open = this.openForCheck(findingId) && !this.run.waiting(findingId);
    if (open) this.leftToCheck.add(findingId);
    return !open;
  }

  /** Listed, fetched, but not returned: the check phase marks an open incident's finding gone; otherwise nothing is left to do. */
  private notReturned(ids: readonly string[], findings: readonly Finding[]): void {
    const found = new Set(findings.map((f) => f.Id));
    for (const id of ids) {
      if (found.has(id)) continue;
      if (this.openForCheck(id)) {
        this.leftToCheck.add(id);
      } else {
        this.run.skipped('vanished');
        this.run.count('skipped');
      }
    }
  }

  /** A link the check phase of this cycle will take up: open incident, followed, not seen yet. */
  private openForCheck(findingId: string): boolean {
    const link = this.deps.store.links.get(this.run.key(findingId));
    return link !== undefined && link.incidentState === 'open' && link.state !== 'gone' && link.state !== 'orphaned' && link.seenCycle < this.cycle;
  }

  /**
   * Syncs one page; resolves to the newest updatedAt on it, the cursor candidate, or undefined when
   * the pass stopped before every finding on it was handled (the cursor then stays before it).
   */
  private async syncPage(findings: Finding[]): Promise<number | undefined> {
    const fold = this.deps.config.sync.sequenceMembers === 'fold';
    const handled = await sequencesFirst(findings, fold, (f) => (this.waitingUnchanged(f) ? this.deferred() : this.run.sync(f)));
    this.deps.store.links.markSeen(findings.filter((_, i) => handled[i]).map((f) => this.run.key(f.Id)), this.cycle);
    if (handled.includes(false)) this.incomplete = true;
    return this.cursor.newestUpdate(findings);
  }

  /** Advances the cursor unless a page or batch before it was not fully handled. */
  private commit(cursorMs: number | undefined): void {
    if (cursorMs === undefined || this.incomplete) return;
    this.cursor.advance(cursorMs);
  }

  private deferred(): Promise<boolean> {
    this.run.count('deferred');
    return Promise.resolve(true);
  }

  private getFindings(ids: string[]): Promise<Finding[]> {
    return ids.length === 0 ? Promise.resolve([]) : this.target.source.getFindings(this.target.region, this.target.detectorId, ids);
  }
}
