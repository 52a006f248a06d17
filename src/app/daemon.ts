import { ConfigError, errorMessage, isAbandoned } from '../core/errors.js';
import type { FunctionsListener } from '../functions/listener/listener.js';
import { startHealthServer, type HealthServer } from '../health/health-server.js';
import { runCycle, type CycleDeps } from '../poller/run-cycle.js';
import { Scheduler } from '../poller/scheduler.js';
import type { App, Io } from './app.js';
import { EXIT_FAILURE, EXIT_USAGE } from './exit-codes.js';
import { functionsListener } from './functions-listener.js';
import { progressForApp } from './progress-for-app.js';
import type { ProgressDisplay } from './progress-display.js';
import { acquireLock, prepare, reportFatal } from './start.js';
import { ABANDON_GRACE_MS, logStopOutcome, stopWork } from './stop-work.js';
import { refusedDatabase, stopRequests } from './stop-requests.js';
import type { ShutdownSignals } from './shutdown-signals.js';

export interface DaemonOptions {
  config?: string | undefined;
  /** Host the health endpoints bind (0.0.0.0 in a container; tests use 127.0.0.1). */
  healthHost?: string | undefined;
  /** Where stop requests come from; SIGTERM/SIGINT by default. */
  signals?: ShutdownSignals;
  /** How often app.config is compared with what was read at start (tests shorten it). */
  configCheckMs?: number;
}

/** What the health endpoints read about the cycles. */
interface CycleTrack {
  lastCompletedAt: number | undefined;
  lastCompletedOk: boolean | undefined;
  stopping: boolean;
  /** Why polling cannot do anything until the operator acts (aws_gd_regions matches no region), for /readyz. */
  notReady: string | undefined;
}

/**
 * The daemon (`guardduty-soar run`) on a built app: the scheduler, the functions listener beside it,
 * the health endpoints and the stop requests. The first cycle starts at once, then one every polling
 * interval, until SIGTERM/SIGINT: scheduling stops, the cycle in flight finishes (or is abandoned at
 * a safe point after `aws_gd_shutdown_timeout`), SQLite closes, exit 0. A second signal exits at once.
 * A changed app.config stops it the same way, with exit code 3 so that any restart policy (even
 * on-failure) starts it again with the new file, as IBM's App Host entrypoint does. Losing the
 * database lock to another daemon: exit 1.
 */
export async function runDaemon(app: App, io: Io, options: DaemonOptions): Promise<number> {
  if (!acquireLock(app, io)) {
    app.close();
    return EXIT_FAILURE;
  }
  const { logger, clock, config } = app;
  const track: CycleTrack = { lastCompletedAt: undefined, lastCompletedOk: undefined, stopping: false, notReady: undefined };
  const refusal = refusedDatabase(app, io);
  const prepared = refusal.watch(sharedPreparation(app));
  const scheduler = new Scheduler({ intervalMinutes: config.polling.pollingIntervalMinutes, clock, logger, runCycle: cycleRunner(app, track, prepared, progressForApp(app, io)) });
  let listener: FunctionsListener;
  try {
    listener = functionsListener(app, prepared);
  } catch (err) {
    reportFatal(app, io, 'The SOAR functions listener cannot start', err);
    app.store.lock.release(app.lockOwner);
    app.close();
    return err instanceof ConfigError ? EXIT_USAGE : EXIT_FAILURE;
  }

  let health: HealthServer | undefined;
  try {
    health = await startHealth(app, scheduler, track, listener, options.healthHost ?? '0.0.0.0');
  } catch (err) {
    logger.error('The health endpoints could not start', { port: config.healthPort, error: errorMessage(err) });
    io.stderr.write(`Cannot listen on aws_gd_health_port ${config.healthPort ?? ''}: ${errorMessage(err)}\n`);
    app.store.lock.release(app.lockOwner);
    app.close();
    return EXIT_FAILURE;
  }

  const requests = stopRequests(app, io, options);
  scheduler.start();
  // Beside the scheduler, independent of it: a lost STOMP connection never stops polling, a failing cycle never stops functions.
  listener.start();
  logger.info('Daemon started', {
    pollingIntervalMinutes: config.polling.pollingIntervalMinutes, healthPort: health?.port, shutdownTimeoutSeconds: config.shutdownTimeoutMs / 1000,
  });

  const { reason, code } = await Promise.race([requests.stop, refusal.stop]);
  track.stopping = true;
  logger.info('Stopping', { reason, deadlineSeconds: config.shutdownTimeoutMs / 1000 });
  try {
    const [outcome, functions] = await stopWork(app, scheduler, listener);
    if (outcome === 'cut') {
      logger.warn('API calls still in flight after the shutdown deadline were cut (the next start completes anything half-done)', {
        graceSeconds: ABANDON_GRACE_MS / 1000,
      });
    }
    if (outcome === 'hung') {
      logger.warn('The cycle in flight did not reach a safe point in time; exiting anyway (the next start completes anything half-done)');
    }
    logStopOutcome(app, functions);
    logger.info('Stopped', { cycleInFlight: outcome, functionsInFlight: functions });
    return code;
  } catch (err) {
    logger.error('Error while stopping', { error: errorMessage(err) });
    return EXIT_FAILURE;
  } finally {
    requests.dispose();
    await health?.close();
    // Deletes the lock row only if it is still ours (after a takeover it belongs to the other daemon).
    app.store.lock.release(app.lockOwner);
    app.close();
  }
}

/**
 * `prepare` once, shared by the scheduler and the functions (the same store, SOAR client, sources and
 * per-finding locks, so a function never races a cycle on one finding). A failed preparation is
 * forgotten, so the next cycle or function tries again (an outage at boot is retried on schedule).
 */
function sharedPreparation(app: App): (stopping?: AbortSignal) => Promise<CycleDeps> {
  let pending: Promise<CycleDeps> | undefined;
  return (stopping) =>
    (pending ??= prepare(app, stopping).catch((err: unknown) => {
      pending = undefined;
      throw err;
    }));
}

/**
 * One scheduled cycle: prepares on first use (shared with the functions), then runs. `signal` is the
 * stop request: it ends the preparation's recovery and the cycle at their next safe point.
 */
function cycleRunner(app: App, track: CycleTrack, prepared: (stopping?: AbortSignal) => Promise<CycleDeps>, display: ProgressDisplay): (signal: AbortSignal) => Promise<void> {
  let deps: CycleDeps | undefined;
  return async (signal) => {
    const started = app.clock.now();
    try {
      deps ??= { ...(await prepared(signal)), progress: display.listener };
    } catch (err) {
      // Given up at the shutdown deadline: the stop, not a failure.
      if (isAbandoned(err)) return;
      // runCycle counts the cycles it runs; one that could not even start counts as failed too.
      app.metrics.cycleFinished(false, app.clock.now() - started, app.clock.now());
      throw err;
    }
    // Asked to stop during the start-up recovery: no cycle is begun.
    if (signal.aborted) return;
    const report = await runCycle(deps, signal).finally(() => display.stop());
    if (!signal.aborted) {
      track.lastCompletedAt = app.clock.now();
      track.lastCompletedOk = report.ok;
      track.notReady = nothingToPoll(deps);
    }
    if (!report.ok && !report.stopped) throw new Error('the cycle had failures (see the region summaries)');
  };
}

/** No account has a region aws_gd_regions matches: every cycle runs and polls nothing, so the daemon is not ready. */
function nothingToPoll(deps: CycleDeps): string | undefined {
  const unmatched = deps.discoveries.map((d) => d.unmatched);
  if (unmatched.length === 0 || unmatched.some((e) => e === undefined)) return undefined;
  return unmatched.map((e) => `${e?.message} Fix: ${e?.fix}`).join(' ');
}

async function startHealth(app: App, scheduler: Scheduler, track: CycleTrack, listener: FunctionsListener, host: string): Promise<HealthServer | undefined> {
  if (app.config.healthPort === undefined) return undefined;
  return startHealthServer({
    host, port: app.config.healthPort, metrics: app.metrics, logger: app.logger,
    state: {
      startedAt: app.clock.now(), intervalMs: scheduler.intervalMs, now: () => app.clock.now(),
      lastTickAt: () => scheduler.lastTickAt,
      lastCompletedAt: () => track.lastCompletedAt,
      lastCompletedOk: () => track.lastCompletedOk,
      stopping: () => track.stopping,
      notReadyReason: () => track.notReady,
      functions: () => listener.state(),
    },
  });
}
