import { locateConfigFile } from '../config/load-config.js';
import type { CycleDeps } from '../poller/run-cycle.js';
import { ForeignDatabaseError } from '../sync/verify-links.js';
import type { App, Io } from './app.js';
import { CONFIG_CHECK_MS, watchConfigFile } from './config-watch.js';
import { EXIT_FAILURE, EXIT_OK, EXIT_RESTART } from './exit-codes.js';
import { processSignals, type ShutdownSignals } from './shutdown-signals.js';
import { LOCK_HEARTBEAT_MS, reportFatal } from './start.js';

/** What `stopRequests` listens to: the signals, and the app.config file the daemon was started with. */
export interface StopOptions {
  config?: string | undefined;
  signals?: ShutdownSignals | undefined;
  configCheckMs?: number | undefined;
}

export interface StopRequests {
  /** The first reason to stop: a signal, a changed app.config, or the lock lost to another daemon. */
  stop: Promise<{ reason: string; code: number }>;
  dispose(): void;
}

export function stopRequests(app: App, io: Io, options: StopOptions): StopRequests {
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

/**
 * A state database that belongs to another org is no outage to retry on schedule: the daemon says
 * so (stderr and the log) and stops with exit 1, like `once`.
 */
type Preparation = (stopping?: AbortSignal) => Promise<CycleDeps>;

export function refusedDatabase(app: App, io: Io): { watch: (prepared: Preparation) => Preparation; stop: Promise<{ reason: string; code: number }> } {
  let refuse: (err: Error) => void = () => undefined;
  const stop = new Promise<{ reason: string; code: number }>((resolve) => {
    refuse = (err) => {
      reportFatal(app, io, 'Refusing the state database', err);
      resolve({ reason: 'the state database does not belong to this SOAR org', code: EXIT_FAILURE });
    };
  });
  const watch = (prepared: Preparation): Preparation => (stopping) =>
    prepared(stopping).catch((err: unknown) => {
      if (err instanceof ForeignDatabaseError) refuse(err);
      throw err;
    });
  return { watch, stop };
}
