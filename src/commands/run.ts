import { ConfigError, errorMessage, isAbandoned } from '../errors.js';
import { startHealthServer, type HealthServer } from '../health/health-server.js';
import type { App, Io } from '../main.js';
import { runCycle, type CycleDeps } from '../poller/run-cycle.js';
import { createFunctionHandlers } from '../functions/handlers/index.js';
import { createFunctionsListener, type FunctionsListener, type ListenerStopOutcome } from '../functions/listener/listener.js';
import { packageMeta } from '../package-meta.js';
import { Scheduler } from '../poller/scheduler.js';
import { locateConfigFile } from '../config/load-config.js';
import { EXIT_FAILURE, EXIT_OK, EXIT_RESTART, EXIT_USAGE, LOCK_HEARTBEAT_MS, acquireLock, prepare, reportFatal, startApp } from './command-support.js';
import { CONFIG_CHECK_MS, watchConfigFile } from './config-watch.js';
import { processSignals, type ShutdownSignals } from './shutdown-signals.js';
import { progressForApp } from './progress-for-app.js';
import type { ProgressDisplay } from './progress.js';
import { LISTENER_STATE_META } from './status.js';
import { ForeignDatabaseError } from '../sync/verify-links.js';
import { urgently } from '../util/urgency.js';

/**
 * At the shutdown deadline the CallGate closes: no API call starts any more, so the findings still in
 * flight stop between two calls, normally within the one call each is waiting for. Calls still in
 * flight this much later are cut: every write is crash-safe (a half-done create is resolved at the
 * next start), so waiting on a hung SOAR or AWS buys nothing.
 */
export const ABANDON_GRACE_MS = 2_000;
/** After the cut, what the cycle may take to unwind; past it the daemon exits anyway (a bug: something not cut). */
const CUT_GRACE_MS = 1_000;

/**
 * How the cycle in flight ended when the daemon stopped: none ran (`idle`); its findings in flight
 * finished before the deadline (`finished`); some were abandoned between two calls at the deadline
 * (`abandoned`); calls still in flight after the grace were cut (`cut`); it did not even then settle (`hung`).
 */
type CycleStopOutcome = 'idle' | 'finished' | 'abandoned' | 'cut' | 'hung';

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
  /** Why polling cannot do anything until the operator acts (aws_gd_regions matches no region), for /readyz. */
  notReady: string | undefined;
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

/**
 * A state database that belongs to another org is no outage to retry on schedule: the daemon says
 * so (stderr and the log) and stops with exit 1, like `once`.
 */
type Preparation = (stopping?: AbortSignal) => Promise<CycleDeps>;

function refusedDatabase(app: App, io: Io): { watch: (prepared: Preparation) => Preparation; stop: Promise<{ reason: string; code: number }> } {
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
 * The SOAR functions listener on the shared preparation; `aws_gd_functions = false` makes it a
 * disabled one. Exported so that `demo` serves functions exactly as `run` does.
 */
export function functionsListener(app: App, prepared: () => Promise<CycleDeps>): FunctionsListener {
  const { auth } = app.config.soar;
  return createFunctionsListener({
    config: app.config.functions,
    credentials: auth.kind === 'apikey' ? { login: auth.id, passcode: auth.secret } : { login: auth.email, passcode: auth.password },
    org: app.soarClient,
    // A responder is waiting on a function: its SOAR calls go before the cycle's (one limit for both).
    handlers: new Map([...createFunctionHandlers({ cycleDeps: prepared })].map(([name, handler]) => [name, urgently(handler)])),
    invocations: app.store.invocations,
    logger: app.logger.child({ component: 'functions' }),
    clock: app.clock,
    observer: app.metrics,
    package: { name: packageMeta().name, version: packageMeta().version },
    onStateChange: (s) => app.store.setMeta(LISTENER_STATE_META, JSON.stringify({ status: s.status, since: s.since, reconnects: s.reconnects, lastError: s.lastError, fix: s.refusal?.fix })),
  });
}

function logStopOutcome(app: App, functions: ListenerStopOutcome): void {
  if (functions === 'abandoned') {
    app.logger.warn('SOAR functions still running at the deadline were abandoned un-ACKed; SOAR redelivers them to the next start');
  }
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

/**
 * Stops the cycle and the functions together, under one deadline (`aws_gd_shutdown_timeout`): the
 * cycle takes no new finding from now on and finishes the ones in flight; at the deadline the
 * CallGate closes (they stop between two calls), ABANDON_GRACE_MS later the calls still in flight are
 * cut. Resolves once both have settled, so that nothing they started runs after "Stopped" (the caller
 * then closes SQLite); only a cycle that does not settle even after the cut is left behind ('hung').
 */
async function stopWork(app: App, scheduler: Scheduler, listener: FunctionsListener): Promise<[CycleStopOutcome, ListenerStopOutcome]> {
  const { clock, gate } = app;
  const deadlineMs = app.config.shutdownTimeoutMs;
  // Cancelled once both have settled, or the timers would keep the process alive.
  const timers = new AbortController();
  let phase: 'running' | 'halted' | 'cut' = 'running';
  const closing = (async () => {
    await clock.sleep(deadlineMs, timers.signal);
    if (timers.signal.aborted) return;
    phase = 'halted';
    gate.halt();
    await clock.sleep(ABANDON_GRACE_MS, timers.signal);
    if (timers.signal.aborted) return;
    phase = 'cut';
    gate.cut();
  })();
  const cycle = scheduler.stop().then((settled): CycleStopOutcome => {
    if (settled === 'idle') return 'idle';
    return phase === 'running' ? 'finished' : phase === 'halted' ? 'abandoned' : 'cut';
  });
  const hung = clock.sleep(deadlineMs + ABANDON_GRACE_MS + CUT_GRACE_MS, timers.signal).then(() => 'hung' as const);
  try {
    return await Promise.all([Promise.race([cycle, hung]), listener.stop(deadlineMs)]);
  } finally {
    timers.abort();
    await closing;
  }
}
