import { errorMessage } from '../errors.js';
import { startHealthServer, type HealthServer } from '../health/health-server.js';
import type { Io } from '../main.js';
import { runCycle, type CycleDeps } from '../poller/run-cycle.js';
import { Scheduler } from '../poller/scheduler.js';
import { EXIT_FAILURE, EXIT_OK, LOCK_HEARTBEAT_MS, acquireLock, prepare, startApp } from './command-support.js';

/** How long SIGTERM waits for the cycle in flight before abandoning it at a safe point. */
export const SHUTDOWN_DEADLINE_MS = 25_000;

export interface RunOptions {
  config?: string | undefined;
  /** Host the health endpoints bind (0.0.0.0 in a container; tests use 127.0.0.1). */
  healthHost?: string | undefined;
  /** Resolves when the process is asked to stop; a second request means "exit now". */
  signals?: ShutdownSignals;
}

export interface ShutdownSignals {
  onStop(handler: (signal: string) => void): void;
}

/**
 * `guardduty-soar run`: the daemon. The first cycle starts at once, then one every polling interval,
 * until SIGTERM/SIGINT: scheduling stops, the cycle in flight finishes (or is abandoned at a safe
 * point after the deadline), SQLite closes, exit 0. A second signal exits at once.
 */
export async function runCommand(io: Io, options: RunOptions): Promise<number> {
  const app = startApp(io, options.config, 'run');
  if (typeof app === 'number') return app;
  if (!acquireLock(app, io)) {
    app.close();
    return EXIT_FAILURE;
  }
  const { logger, clock, config, metrics } = app;
  let deps: CycleDeps | undefined;
  const scheduler = new Scheduler({
    intervalMinutes: config.polling.pollingIntervalMinutes,
    clock,
    logger,
    // Preparation (SOAR org, AWS identities, recovery) happens inside the cycle, so a SOAR or AWS
    // outage at boot is retried on schedule while the health endpoints report it.
    runCycle: async (signal) => {
      deps ??= await prepare(app);
      const report = await runCycle(deps, signal);
      if (!report.ok) throw new Error('the cycle had failures (see the region summaries)');
    },
  });
  const startedAt = clock.now();
  let health: HealthServer | undefined;
  if (config.healthPort !== undefined) {
    health = await startHealthServer({
      host: options.healthHost ?? '0.0.0.0', port: config.healthPort, metrics, logger,
      state: {
        startedAt, intervalMs: scheduler.intervalMs, now: () => clock.now(),
        lastTickAt: () => scheduler.lastTickAt,
        lastSuccessAt: () => scheduler.lastSuccessAt,
      },
    });
  }
  const heartbeat = setInterval(() => {
    if (!app.store.lock.heartbeat(app.lockOwner)) logger.error('Lost the database lock: another daemon took it over');
  }, LOCK_HEARTBEAT_MS);
  heartbeat.unref();
  scheduler.start();
  logger.info('Daemon started', { pollingIntervalMinutes: config.polling.pollingIntervalMinutes, healthPort: health?.port });

  const signal = await new Promise<string>((resolve) => (options.signals ?? processSignals()).onStop(resolve));
  logger.info('Stopping', { signal, deadlineSeconds: SHUTDOWN_DEADLINE_MS / 1000 });
  try {
    const outcome = await scheduler.stop(SHUTDOWN_DEADLINE_MS);
    logger.info('Stopped', { cycleInFlight: outcome });
    return EXIT_OK;
  } catch (err) {
    logger.error('Error while stopping', { error: errorMessage(err) });
    return EXIT_FAILURE;
  } finally {
    clearInterval(heartbeat);
    await health?.close();
    app.store.lock.release(app.lockOwner);
    app.close();
  }
}

/** SIGTERM/SIGINT: the first asks for a clean stop, the second exits at once. */
export function processSignals(): ShutdownSignals {
  return {
    onStop(handler) {
      let stopping = false;
      const onSignal = (signal: NodeJS.Signals): void => {
        if (stopping) {
          process.stderr.write(`Received ${signal} again: exiting now.\n`);
          process.exit(130);
        }
        stopping = true;
        handler(signal);
      };
      process.on('SIGTERM', onSignal);
      process.on('SIGINT', onSignal);
    },
  };
}
