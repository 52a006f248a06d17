import { errorMessage } from '../../core/errors.js';
import { InvocationRunner } from './invocation-runner.js';
import { ListenerConnection } from './listener-connection.js';
import { ListenerState } from './listener-state.js';
import type { FunctionsListener, ListenerDeps, ListenerSnapshot, ListenerStopOutcome } from './listener-types.js';
import { stompTlsOptions } from './stomp-socket.js';

export type { Refusal, RefusalStage } from '../../health/listener-state.js';
export type {
  FunctionsListener, ListenerDeps, ListenerObserver, ListenerSnapshot, ListenerStatus, ListenerStopOutcome, OrgDiscovery,
} from './listener-types.js';

/** After the deadline, aborted functions get this long to reach a safe point before the listener disconnects anyway. */
const ABORT_GRACE_MS = 1_000;

/**
 * Builds the listener; with `aws_gd_functions = false` it never connects and reports `disabled`.
 * Throws ConfigError at once for an unreadable stomp_cafile, so `run` fails at start, not later.
 */
export function createFunctionsListener(deps: ListenerDeps): FunctionsListener {
  return new StompFunctionsListener(deps);
}

/**
 * The SOAR functions listener: the connection (`listener-connection.ts`: broker connection,
 * subscription, reconnect and backoff) feeding the invocations (`invocation-runner.ts`: run a
 * function, reply, ACK, the redelivery record), with one state and one stop for both.
 */
class StompFunctionsListener implements FunctionsListener {
  private readonly listenerState: ListenerState;
  private readonly runner: InvocationRunner;
  private readonly connection: ListenerConnection;
  private readonly stopSignal = new AbortController();
  private loop: Promise<void> | undefined;

  constructor(private readonly deps: ListenerDeps) {
    const c = deps.config;
    const target = { host: c.host, port: c.port, tls: c.enabled ? stompTlsOptions(c.cafile) : {}, timeoutMs: c.timeoutMs };
    this.runner = new InvocationRunner(deps, this.stopSignal.signal);
    this.listenerState = new ListenerState(deps, c.enabled ? 'starting' : 'disabled', () => this.runner.inFlight);
    this.connection = new ListenerConnection(deps, target, this.listenerState, this.runner, this.stopSignal.signal);
  }

  state(): ListenerSnapshot {
    return this.listenerState.current();
  }

  start(): void {
    this.listenerState.notify();
    if (!this.deps.config.enabled) {
      this.deps.logger.info('SOAR functions are off (aws_gd_functions = false): the daemon only polls');
      return;
    }
    this.runner.pruneRecords();
    this.loop ??= this.connection.run().catch((err: unknown) => {
      this.deps.logger.error('The SOAR functions listener stopped unexpectedly; polling continues', { error: errorMessage(err) });
    });
  }

  async stop(deadlineMs: number): Promise<ListenerStopOutcome> {
    if (this.stopSignal.signal.aborted) return 'idle';
    this.stopSignal.abort();
    const running = this.runner.pending();
    let outcome: ListenerStopOutcome = running.length === 0 ? 'idle' : 'finished';
    if (running.length > 0) {
      const all = Promise.allSettled(running.map((r) => r.done));
      const finished = await this.within(all, deadlineMs);
      if (!finished) {
        outcome = 'abandoned';
        for (const r of running) r.abort();
        await this.within(all, ABORT_GRACE_MS);
      }
    }
    // Bounded: a broker that does not answer DISCONNECT, or a REST call that hangs, must not hold the exit.
    await this.within(this.connection.disconnect(), ABORT_GRACE_MS);
    await this.within(this.loop ?? Promise.resolve(), ABORT_GRACE_MS);
    if (this.deps.config.enabled) this.listenerState.set('stopped');
    return outcome;
  }

  /** True when `work` settled within `ms`. */
  private async within(work: Promise<unknown>, ms: number): Promise<boolean> {
    const timer = new AbortController();
    try {
      return await Promise.race([work.then(() => true), this.deps.clock.sleep(ms, timer.signal).then(() => false)]);
    } finally {
      timer.abort();
    }
  }
}
