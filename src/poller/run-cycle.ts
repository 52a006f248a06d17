import { IncidentGoneError, errorMessage } from '../errors.js';
import type { FindingsSource } from '../regions/findings-source.js';
import { NoRegionMatchError, type DetectorTarget, type RegionDiscovery } from '../regions/region-discovery.js';
import type { RichText } from '../soar/case-system.js';
import { detectClosedIncidents, runArchiveOps } from '../sync/archive-on-close.js';
import { NOTE_OP, retryNote } from '../sync/durable-note.js';
import { runManualRefresh } from '../sync/manual-refresh.js';
import { finishInterruptedWork } from '../sync/interrupted-work.js';
import { verifyOpenLinks } from '../sync/verify-links.js';
import type { SyncDeps } from '../sync/sync-deps.js';
import { mapLimit } from '../util/concurrency.js';
import { describeSkips } from './criteria.js';
import { noteQualifyingSettings } from './filter-change.js';
import { reportProgress, type ProgressDeps } from './progress.js';
import { runRegionPass } from './region-pass.js';
import type { RegionReport } from './region-report.js';

export interface CycleDeps extends SyncDeps, ProgressDeps {
  discoveries: readonly RegionDiscovery[];
  /** Polling account → the source (credentials) that reads its detectors. */
  sources: ReadonlyMap<string, FindingsSource>;
  /** Regions polled at once (they share the SOAR concurrency limit). */
  regionConcurrency: number;
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
}

/**
 * One full cycle: (re)discover detectors, run every region's pass (bounded concurrency, one region's
 * failure never stops another), then the SOAR side (incidents closed in SOAR → archive, manual
 * refreshes, notes left pending). A plain async function: `once`, the scheduler and tests call it.
 */
export async function runCycle(deps: CycleDeps, signal: AbortSignal = new AbortController().signal): Promise<CycleReport> {
  const { store, clock, logger, metrics } = deps;
  const cycle = store.nextCycle();
  const startedAt = clock.now();
  noteQualifyingSettings(store, deps.config.polling, deps.discoveries[0]?.pattern, startedAt, logger);
  reportProgress(deps, { type: 'cycle-started', cycle });
  const { targets, errors } = await discover(deps);
  // Before the region passes, so that an incident found missing is recreated by this very cycle.
  await verifyOpenLinks(deps);
  reportProgress(deps, { type: 'regions', count: targets.length });
  const regions = await mapLimit(targets, deps.regionConcurrency, (t) => runRegionPass(deps, t, cycle, signal));
  const soar = signal.aborted ? emptySoarReport('aborted') : await runSoarPhase(deps, startedAt, regions);
  const durationMs = clock.now() - startedAt;
  const ok = errors.length === 0 && soar.error === undefined && regions.every((r) => r.error === undefined && r.outcomes.failed === 0);
  reportProgress(deps, { type: 'cycle-done', cycle, ok });
  for (const r of regions) logRegion(deps, r);
  const recreated = regions.reduce((n, r) => n + r.outcomes.recreated, 0);
  logger.info('Cycle finished', {
    cycle, ok, durationMs, regions: regions.length, closedInSoar: soar.closedInSoar, refreshed: soar.refreshed, ...(recreated > 0 ? { recreated } : {}),
    pending: store.ops.countByKind(), ...(soar.error ? { soarError: soar.error } : {}),
  });
  metrics.cycleFinished(ok, durationMs, clock.now());
  metrics.setPending(store.ops.countByKind());
  for (const c of store.cursors.all()) {
    if (c.cursorMs !== undefined) metrics.setCursorLag(c.account, c.region, (clock.now() - c.cursorMs) / 1000);
  }
  return { cycle, startedAt, durationMs, regions, soar, discoveryErrors: errors, ok };
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

async function runSoarPhase(deps: CycleDeps, cycleStart: number, regions: RegionReport[]): Promise<SoarPhaseReport> {
  const report = emptySoarReport(undefined);
  try {
    report.closedInSoar = await detectClosedIncidents(deps, cycleStart);
    const archived = await runArchiveOps(deps, deps.sources);
    for (const r of regions) r.archivedInGuardDuty += archived.get(r.region) ?? 0;
    report.refreshed = await runManualRefresh(deps, deps.sources);
    await finishInterruptedWork(deps);
    report.notesRetried = await retryPendingNotes(deps);
  } catch (err) {
    report.error = errorMessage(err);
    deps.logger.error('SOAR sync step failed; retrying next cycle', { error: err });
  }
  return report;
}

async function retryPendingNotes(deps: SyncDeps): Promise<number> {
  let done = 0;
  for (const op of deps.store.ops.due(NOTE_OP)) {
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

function logRegion(deps: CycleDeps, r: RegionReport): void {
  const o = r.outcomes;
  const line = {
    account: r.account, region: r.region, listed: r.listed, created: o.created, recreated: o.recreated, updated: o.updated + o.reopened,
    unchanged: o.unchanged, skipped: o.skipped, ...(o.skipped > 0 ? { skippedBy: describeSkips(r.skippedBy) } : {}), closed: o.closed, archived: r.archivedInGuardDuty, gone: o.gone,
    failed: o.failed, durationMs: r.durationMs, ...(r.error ? { error: r.error } : {}),
  };
  if (r.error) deps.logger.warn('Region summary', line);
  else deps.logger.info('Region summary', line);
}
