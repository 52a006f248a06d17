import { errorMessage } from '../errors.js';
import { startHealthServer, type HealthServer } from '../health/health-server.js';
import type { App, Io } from '../main.js';
import { runCycle, type CycleDeps } from '../poller/run-cycle.js';
import { Scheduler } from '../poller/scheduler.js';
import { locateConfigFile } from '../config/load-config.js';
import { EXIT_FAILURE, EXIT_OK, EXIT_RESTART, LOCK_HEARTBEAT_MS, acquireLock, prepare, startApp } from './command-support.js';
import { CONFIG_CHECK_MS, watchConfigFile } from './config-watch.js';
import { processSignals, type ShutdownSignals } from './shutdown-signals.js';
import { progressForApp } from './progress-for-app.js';
import type { ProgressDisplay } from './progress.js';

/**
 * After the shutdown deadline the cycle is aborted; it stops at its next safe point, which normally
 * comes within one API call. If that call hangs longer than this, the daemon exits anyway: every
 * write is crash-safe (a half-done create is resolved at the next start), so waiting buys nothing.
 */
export const ABANDON_GRACE_MS = 2_000;

export interface RunOptions {
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
}

/**
 * `guardduty-soar run`: the daemon. The first cycle starts at once, then one every polling interval,
 * until SIGTERM/SIGINT: scheduling stops, the cycle in flight finishes (or is abandoned at a safe
 * point after `aws_gd_shutdown_timeout`), SQLite closes, exit 0. A second signal exits at once.
 * A changed app.config stops it the same way, with exit code 3 so that any restart policy (even
 * on-failure) starts it again with the new file, as IBM's App Host entrypoint does. Losing the database lock to another daemon: exit 1.
 */
export async function runCommand(io: Io, options: RunOptions): Promise<number> {
  const app = startApp(io, options.config, 'run');
  if (typeof app === 'number') return app;
  if (!acquireLock(app, io)) {
    app.close();
    return EXIT_FAILURE;
  }
  const { logger, clock, config } = app;
  const track: CycleTrack = { lastCompletedAt: undefined, lastCompletedOk: undefined, stopping: false };
  const scheduler = new Scheduler({ intervalMinutes: config.polling.pollingIntervalMinutes, clock, logger, runCycle: cycleRunner(app, track, progressForApp(app, io)) });

  let health: HealthServer | undefined;
  try {
    health = await startHealth(app, scheduler, track, options.healthHost ?? '0.0.0.0');
  } catch (err) {
    logger.error('The health endpoints could not start', { port: config.healthPort, error: errorMessage(err) });
    io.stderr.write(`Cannot listen on aws_gd_health_port ${config.healthPort ?? ''}: ${errorMessage(err)}\n`);
    app.store.lock.release(app.lockOwner);
    app.close();
    return EXIT_FAILURE;
  }

  const requests = stopRequests(app, io, options);
  scheduler.start();
  logger.info('Daemon started', {
    pollingIntervalMinutes: config.polling.pollingIntervalMinutes, healthPort: health?.port, shutdownTimeoutSeconds: config.shutdownTimeoutMs / 1000,
  });

  const { reason, code } = await requests.stop;
  track.stopping = true;
  logger.info('Stopping', { reason, deadlineSeconds: config.shutdownTimeoutMs / 1000 });
  try {
    const outcome = await stopScheduler(scheduler, config.shutdownTimeoutMs, (ms, signal) => clock.sleep(ms, signal));
    if (outcome === 'hung') {
      logger.warn('The cycle in flight did not reach a safe point in time; exiting anyway (the next start completes anything half-done)');
    }
    logger.info('Stopped', { cycleInFlight: outcome });
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

interface StopRequests {
  /** The first reason to stop: a signal, a changed app.config, or the lock lost to another daemon. */
  stop: Promise<{ reason: string; code: number }>;
  dispose(): void;
}

function stopRequests(app: App, io: Io, options: RunOptions): StopRequests {
  const { logger, config } = app;
  let resolveStop: (value: { reason: string; code: number }) => void = () => undefined;
  const stop = new Promise<{ reason: string; code: number }>((resolve) => (resolveStop = resolve));
  (options.signals ?? processSignals()).onStop((signal) => resolveStop({ reason: signal, code: EXIT_OK }));
  const configPath = locateConfigFile({ cliPath: options.config, env: io.env, cwd: io.cwd });
  const unwatch = watchConfigFile(configPath, options.configCheckMs ?? CONFIG_CHECK_MS, () => {
    logger.info('app.config changed: stopping so that the orchestrator restarts the daemon with the new configuration', { path: configPath });
    resolveStop({ reason: 'app.config changed', code: EXIT_RESTART });
  });
  const heartbeat = setInterval(() => {
    if (app.store.lock.heartbeat(app.lockOwner)) return;
    logger.error('Lost the database lock: another daemon took it over; stopping so that findings are not escalated twice', { db: config.dbPath });
    resolveStop({ reason: 'lost the database lock', code: EXIT_FAILURE });
  }, LOCK_HEARTBEAT_MS);
  heartbeat.unref();
  return {
    stop,
    dispose: () => {
      clearInterval(heartbeat);
      unwatch();
    },
  };
}

/** One scheduled cycle: prepares on first use (so an outage at boot is retried on schedule), then runs. */
function cycleRunner(app: App, track: CycleTrack, display: ProgressDisplay): (signal: AbortSignal) => Promise<void> {
  let deps: CycleDeps | undefined;
  return async (signal) => {
    const started = app.clock.now();
    try {
      deps ??= { ...(await prepare(app)), progress: display.listener };
    } catch (err) {
      // runCycle counts the cycles it runs; one that could not even start counts as failed too.
      app.metrics.cycleFinished(false, app.clock.now() - started, app.clock.now());
      throw err;
    }
    const report = await runCycle(deps, signal).finally(() => display.stop());
    if (!signal.aborted) {
      track.lastCompletedAt = app.clock.now();
      track.lastCompletedOk = report.ok;
    }
    if (!report.ok) throw new Error('the cycle had failures (see the region summaries)');
  };
}

async function startHealth(app: App, scheduler: Scheduler, track: CycleTrack, host: string): Promise<HealthServer | undefined> {
  if (app.config.healthPort === undefined) return undefined;
  return startHealthServer({
    host, port: app.config.healthPort, metrics: app.metrics, logger: app.logger,
    state: {
      startedAt: app.clock.now(), intervalMs: scheduler.intervalMs, now: () => app.clock.now(),
      lastTickAt: () => scheduler.lastTickAt,
      lastCompletedAt: () => track.lastCompletedAt,
      lastCompletedOk: () => track.lastCompletedOk,
      stopping: () => track.stopping,
    },
  });
}

/** The scheduler's own stop (finish, or abort at the deadline), bounded by a grace period after the abort. */
async function stopScheduler(
  scheduler: Scheduler, deadlineMs: number, sleep: (ms: number, signal: AbortSignal) => Promise<void>,
): Promise<'idle' | 'finished' | 'abandoned' | 'hung'> {
  // The timer is cancelled once the race is decided, or it would keep the process alive.
  const timer = new AbortController();
  try {
    return await Promise.race([scheduler.stop(deadlineMs), sleep(deadlineMs + ABANDON_GRACE_MS, timer.signal).then(() => 'hung' as const)]);
  } finally {
    timer.abort();
  }
}
