import { IncidentGoneError, errorMessage, isAbandoned } from '../core/errors.js';
import type { FindingsSource } from '../regions/findings-source.js';
import { NoRegionMatchError, type DetectorTarget, type RegionDiscovery } from '../regions/region-discovery.js';
import type { RichText } from '../soar/case-system.js';
import { detectClosedIncidents, runArchiveOps } from '../sync/archive-on-close.js';
import { NOTE_OP, retryNote } from '../sync/durable-note.js';
import { runManualRefresh } from '../sync/manual-refresh.js';
import { finishInterruptedWork } from '../sync/interrupted-work.js';
import { followMalwareScans } from '../sync/malware-scans.js';
import { runSuppressOps } from '../sync/suppress-on-close.js';
import { archiveFoldedMembers } from '../sync/sequence-archive.js';
import { linkSequenceMembers } from '../sync/sequence-links.js';
import { verifyOpenLinks } from '../sync/verify-links.js';
import type { SyncDeps } from '../sync/sync-deps.js';
import type { AdaptiveLimit } from '../util/adaptive-limit.js';
import { Semaphore, mapLimit } from '../util/concurrency.js';
import { refreshCoverage } from './coverage-pass.js';
import { describeSkips } from '../sync/skip-reasons.js';
import { noteQualifyingSettings } from './filter-change.js';
import { reportProgress, type ProgressDeps } from './progress.js';
import { runRegionPass } from './region-pass.js';
import { outcomesTotal, type PassOutcome, type RegionReport } from './region-report.js';

export interface CycleDeps extends SyncDeps, ProgressDeps {
  discoveries: readonly RegionDiscovery[];
  /** Polling account → the source (credentials) that reads its detectors. */
  sources: ReadonlyMap<string, FindingsSource>;
  /** Regions polled at once (they share the SOAR concurrency limit). */
  regionConcurrency: number;
  /**
   * Findings handled at once, all regions together. A few more than the SOAR slots, so the slots
   * stay busy while a finding does its local work between two calls; few enough that findings
   * finish one after another (progress moves, and a stop waits only for these).
   */
  findingsInFlight?: number | undefined;
  /** The adaptive SOAR concurrency: what it did during the cycle goes into the cycle's line. */
  soarLimit?: Pick<AdaptiveLimit, 'mark' | 'since'> | undefined;
}

export interface SoarPhaseReport {
  closedInSoar: number;
  refreshed: number;
  notesRetried: number;
  error: string | undefined;
}

export interface CycleReport {
  cycle: number;
  startedAt: number;
  durationMs: number;
  regions: RegionReport[];
  soar: SoarPhaseReport;
  discoveryErrors: string[];
  ok: boolean;
  /** The daemon was asked to stop during the cycle: it took no new work from then on. */
  stopped: boolean;
}

const DEFAULT_FINDINGS_IN_FLIGHT = 8;

/**
 * One full cycle: (re)discover detectors, run every region's pass (bounded concurrency, one region's
 * failure never stops another), then the SOAR side (incidents closed in SOAR → archive, manual
 * refreshes, notes left pending). A plain async function: `once`, the scheduler and tests call it.
 *
 * `signal` is aborted when the daemon is asked to stop: from then on no finding and no other piece
 * of work is started; the ones in flight finish, what is done is saved, and the cycle returns once
 * nothing it started is still running (the caller closes the database next).
 */
export async function runCycle(cycleDeps: CycleDeps, signal: AbortSignal = new AbortController().signal): Promise<CycleReport> {
  const deps: CycleDeps = { ...cycleDeps, stopping: signal };
  const { store, clock, logger, metrics } = deps;
  const cycle = store.nextCycle();
  const startedAt = clock.now();
  const limitMark = deps.soarLimit?.mark();
  noteQualifyingSettings(store, deps.config.polling, deps.discoveries[0]?.pattern, startedAt, logger);
  reportProgress(deps, { type: 'cycle-started', cycle });
  const { targets, errors } = signal.aborted ? { targets: [], errors: [] } : await discover(deps);
  // Before the region passes, so that an incident found missing is recreated by this very cycle.
  if (!signal.aborted) await verifyOpenLinks(deps);
  reportProgress(deps, { type: 'regions', count: targets.length });
  const slots = new Semaphore(deps.findingsInFlight ?? DEFAULT_FINDINGS_IN_FLIGHT);
  // A region whose pass had not begun when the stop request came is not polled (and not summarised).
  const passes = await mapLimit(targets, deps.regionConcurrency, (t) => (signal.aborted ? Promise.resolve(undefined) : runRegionPass(deps, t, cycle, signal, slots)));
  const regions = passes.filter((r): r is RegionReport => r !== undefined);
  // Where GuardDuty is blind, checked again with each rediscovery (after the findings, which matter more).
  if (!signal.aborted) await refreshCoverage(deps);
  const soar = signal.aborted ? emptySoarReport(undefined) : await runSoarPhase(deps, startedAt, regions);
  const durationMs = clock.now() - startedAt;
  const stopped = signal.aborted;
  const ok = !stopped && errors.length === 0 && soar.error === undefined && regions.every((r) => r.error === undefined && r.outcomes.failed === 0);
  reportProgress(deps, { type: 'cycle-done', cycle, ok });
  for (const r of regions) logRegion(deps, r);
  const recreated = regions.reduce((n, r) => n + r.outcomes.recreated, 0);
  const facts = {
    cycle, ok, durationMs, regions: regions.length, closedInSoar: soar.closedInSoar, refreshed: soar.refreshed, ...(recreated > 0 ? { recreated } : {}),
    pending: store.ops.countByKind(), ...(soar.error ? { soarError: soar.error } : {}),
    ...(limitMark && deps.soarLimit ? { soarConcurrency: deps.soarLimit.since(limitMark) } : {}),
  };
  if (stopped) logStopped(deps, facts, regions);
  else logger.info('Cycle finished', facts);
  metrics.cycleFinished(ok, durationMs, clock.now());
  metrics.setPending(store.ops.countByKind());
  for (const c of store.cursors.all()) {
    if (c.cursorMs !== undefined) metrics.setCursorLag(c.account, c.region, (clock.now() - c.cursorMs) / 1000);
  }
  return { cycle, startedAt, durationMs, regions, soar, discoveryErrors: errors, ok, stopped };
}

/**
 * The cycle's line when the daemon was asked to stop in it: what was handled, what was in flight
 * and finished or abandoned, and what is left for the next start.
 */
function logStopped(deps: CycleDeps, facts: Record<string, unknown>, regions: readonly RegionReport[]): void {
  const sum = (f: (r: RegionReport) => number): number => regions.reduce((n, r) => n + f(r), 0);
  const handled = sum((r) => outcomesTotal(r.outcomes) - r.outcomes.deferred);
  const finished = sum((r) => r.finishedAfterStop);
  const abandoned = sum((r) => r.abandoned);
  const left = sum((r) => r.left);
  deps.logger.info('Cycle stopped at a safe point: no new finding was taken after the stop request', {
    ...facts, handled, finishedAfterStop: finished, abandoned, left,
    summary: `${handled} finding(s) handled, of which ${finished} were in flight at the stop request and finished; ` +
      `${abandoned} abandoned between two calls; ${left} left for the next start`,
  });
}

async function discover(deps: CycleDeps): Promise<{ targets: DetectorTarget[]; errors: string[] }> {
  const targets: DetectorTarget[] = [];
  const errors: string[] = [];
  for (const discovery of deps.discoveries) {
    try {
      targets.push(...(await discovery.current()));
    } catch (err) {
      errors.push(errorMessage(err));
      if (err instanceof NoRegionMatchError) {
        deps.logger.error('No enabled AWS region matches aws_gd_regions; nothing is polled', {
          account: err.account, pattern: err.pattern, enabledRegions: err.enabled, fix: err.fix,
        });
      } else {
        deps.logger.error('Region discovery failed; retrying next cycle', { error: err });
      }
    }
  }
  return { targets, errors };
}

/** Each step is a safe point: one not started when the stop request comes is left to the next start. */
async function runSoarPhase(deps: CycleDeps, cycleStart: number, regions: RegionReport[]): Promise<SoarPhaseReport> {
  const report = emptySoarReport(undefined);
  const stopping = (): boolean => deps.stopping?.aborted === true;
  try {
    report.closedInSoar = await detectClosedIncidents(deps, cycleStart);
    if (stopping()) return report;
    const archived = await runArchiveOps(deps, deps.sources);
    for (const r of regions) r.archivedInGuardDuty += archived.get(r.region) ?? 0;
    for (const [region, n] of archived) deps.metrics.finding('archived', region, n);
    if (stopping()) return report;
    await runSuppressOps(deps, deps.sources);
    await archiveFoldedMembers(deps, deps.sources);
    if (stopping()) return report;
    report.refreshed = await runManualRefresh(deps, deps.sources);
    if (stopping()) return report;
    // Scans started from incidents: a verdict that has arrived is written into its incident.
    await followMalwareScans(deps, deps.sources);
    if (stopping()) return report;
    await finishInterruptedWork(deps);
    if (stopping()) return report;
    // After the region passes: the incidents of the sequences and members they created are linked.
    await linkSequenceMembers(deps, deps.findingsInFlight ?? DEFAULT_FINDINGS_IN_FLIGHT);
    if (stopping()) return report;
    report.notesRetried = await retryPendingNotes(deps);
  } catch (err) {
    // A call given up because the daemon is stopping is redone by the next start, not a failure.
    if (isAbandoned(err)) return report;
    report.error = errorMessage(err);
    deps.logger.error('SOAR sync step failed; retrying next cycle', { error: err });
  }
  return report;
}

async function retryPendingNotes(deps: SyncDeps): Promise<number> {
  let done = 0;
  for (const op of deps.store.ops.due(NOTE_OP)) {
    if (deps.stopping?.aborted) break;
    const { incidentId, note } = op.payload as { incidentId: number; note: RichText };
    if (!deps.store.ops.get(NOTE_OP, op.key)) continue;
    try {
      await retryNote(deps, incidentId, op.key, note);
    } catch (err) {
      if (!(err instanceof IncidentGoneError)) throw err;
      // A note for an incident SOAR no longer holds can never be posted; its finding is healed by its sync.
      deps.store.ops.completeForIncident(NOTE_OP, incidentId);
      deps.logger.warn('Dropped notes for an incident that no longer exists in SOAR', { incidentId });
      continue;
    }
    done += 1;
  }
  return done;
}

function emptySoarReport(error: string | undefined): SoarPhaseReport {
  return { closedInSoar: 0, refreshed: 0, notesRetried: 0, error };
}

/**
 * Where each outcome shows in the summary line. Typed by the outcomes, so a new outcome cannot be
 * left out of the line (and the line always adds up: see RegionReport).
 */
const SUMMARY_FIELD: Record<PassOutcome, SummaryField> = {
  created: 'created', recreated: 'recreated', resumed: 'resumed', updated: 'updated', reopened: 'updated', unchanged: 'unchanged',
  skipped: 'skipped', closed: 'closed', gone: 'gone', failed: 'failed', deferred: 'deferred',
};
type SummaryField = 'created' | 'recreated' | 'resumed' | 'updated' | 'unchanged' | 'skipped' | 'closed' | 'gone' | 'failed' | 'deferred';

/**
 * One line per region: `listed + checked = created + recreated + resumed + updated + unchanged + skipped + closed
 * + gone + failed + deferred + left` (RegionReport). `archived` (findings archived in GuardDuty
 * because their incident closed in SOAR) is the SOAR phase's, outside that sum.
 */
function logRegion(deps: CycleDeps, r: RegionReport): void {
  const counts: Record<SummaryField, number> = { created: 0, recreated: 0, resumed: 0, updated: 0, unchanged: 0, skipped: 0, closed: 0, gone: 0, failed: 0, deferred: 0 };
  for (const [outcome, n] of Object.entries(r.outcomes) as [PassOutcome, number][]) counts[SUMMARY_FIELD[outcome]] += n;
  const line = {
    account: r.account, region: r.region, listed: r.listed, checked: r.checked, ...counts,
    ...(r.outcomes.skipped > 0 ? { skippedBy: describeSkips(r.skippedBy) } : {}), left: r.left, archived: r.archivedInGuardDuty,
    durationMs: r.durationMs, ...(r.error ? { error: r.error } : {}),
  };
  if (r.error) deps.logger.warn('Region summary', line);
  else deps.logger.info('Region summary', line);
}
