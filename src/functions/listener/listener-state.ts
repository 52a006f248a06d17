import { errorMessage } from '../../core/errors.js';
import type { ListenerDeps, ListenerSnapshot, ListenerStatus } from './listener-types.js';

/** The facts of the connection kept in the snapshot, besides the status. */
export type ConnectionFacts = Partial<Pick<ListenerSnapshot, 'destination' | 'reconnects' | 'lastError' | 'refusal' | 'nextAttemptAt'>>;

/**
 * The listener's snapshot, what `/readyz`, `status` and the metrics show: the status with when it
 * began, the connection's facts, and the invocations in flight (counted when read).
 */
export class ListenerState {
  private readonly snapshot: ListenerSnapshot;

  constructor(
    private readonly deps: Pick<ListenerDeps, 'clock' | 'logger' | 'observer' | 'onStateChange'>,
    initial: ListenerStatus,
    private readonly inFlight: () => number,
  ) {
    this.snapshot = { status: initial, since: deps.clock.now(), destination: undefined, reconnects: 0, lastError: undefined, inFlight: 0 };
  }

  current(): ListenerSnapshot {
    return { ...this.snapshot, inFlight: this.inFlight() };
  }

  /** Records facts of the connection; they are reported with the next status. */
  note(facts: ConnectionFacts): void {
    Object.assign(this.snapshot, facts);
  }

  /** `since` is when the status began: an attempt refused again stays "refused since" the first refusal. */
  set(status: ListenerStatus): void {
    if (status !== this.snapshot.status) {
      this.snapshot.status = status;
      this.snapshot.since = this.deps.clock.now();
    }
    this.notify();
  }

  notify(): void {
    this.deps.observer?.listenerStatus(this.snapshot.status);
    try {
      this.deps.onStateChange?.(this.current());
    } catch (err) {
      this.deps.logger.debug('The listener state could not be recorded', { error: errorMessage(err) });
    }
  }
}
