import type { ListenerStopOutcome, FunctionsListener } from '../functions/listener/listener.js';
import type { Scheduler } from '../poller/scheduler.js';
import type { App } from './app.js';

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
export type CycleStopOutcome = 'idle' | 'finished' | 'abandoned' | 'cut' | 'hung';

/**
 * Stops the cycle and the functions together, under one deadline (`aws_gd_shutdown_timeout`): the
 * cycle takes no new finding from now on and finishes the ones in flight; at the deadline the
 * CallGate closes (they stop between two calls), ABANDON_GRACE_MS later the calls still in flight are
 * cut. Resolves once both have settled, so that nothing they started runs after "Stopped" (the caller
 * then closes SQLite); only a cycle that does not settle even after the cut is left behind ('hung').
 */
export async function stopWork(app: App, scheduler: Scheduler, listener: FunctionsListener): Promise<[CycleStopOutcome, ListenerStopOutcome]> {
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

export function logStopOutcome(app: App, functions: ListenerStopOutcome): void {
  if (functions === 'abandoned') {
    app.logger.warn('SOAR functions still running at the deadline were abandoned un-ACKed; SOAR redelivers them to the next start');
  }
}
