import { setMaxListeners } from 'node:events';
import { abandonedCall, type ServiceName } from '../core/errors.js';

/**
 * Where a stopping daemon closes the door on API calls, in two steps, for the SOAR and AWS adapters
 * of the whole process (the cycle and the SOAR functions share them):
 * - `halt()` at the shutdown deadline: no call starts any more, and a retry waiting out its backoff
 *   ends without sending again. Calls already in flight may still answer: work stops *between*
 *   calls, where every write has been recorded (a half-written incident is finished at the next start).
 * - `cut()` a little later: calls still in flight are given up (their sockets are left to the exit),
 *   so that nothing waits on a hung SOAR or AWS once the daemon says "Stopped".
 * Either way the caller gets `abandonedCall`, which the sync code does not count as a failure.
 */
export class CallGate {
  private readonly halting = new AbortController();
  private readonly cutting = new AbortController();

  constructor() {
    // Every request in flight and every retry backoff listens to these two, by design: no limit
    // (Node warns past 10 listeners, taking it for a leak).
    setMaxListeners(0, this.halting.signal, this.cutting.signal);
  }

  get halted(): boolean {
    return this.halting.signal.aborted;
  }

  /** Aborted by `halt()`: backoff sleeps end on it. */
  get haltSignal(): AbortSignal {
    return this.halting.signal;
  }

  /** Aborted by `cut()`: requests in flight listen to it. */
  get cutSignal(): AbortSignal {
    return this.cutting.signal;
  }

  halt(): void {
    this.halting.abort();
  }

  cut(): void {
    this.halting.abort();
    this.cutting.abort();
  }

  /** Throws the abandoned-call error once halted: called before every attempt. */
  check(service: ServiceName, operation: string): void {
    if (this.halted) throw abandonedCall(service, operation);
  }

  /**
   * `call`, given up when the gate is cut: its promise is left to settle unobserved (what it would
   * have done is redone by the next start).
   */
  async race<T>(service: ServiceName, operation: string, call: Promise<T>): Promise<T> {
    if (this.cutting.signal.aborted) {
      call.catch(() => undefined);
      throw abandonedCall(service, operation);
    }
    let onCut: (() => void) | undefined;
    const cut = new Promise<never>((_resolve, reject) => {
      onCut = () => reject(abandonedCall(service, operation));
      this.cutting.signal.addEventListener('abort', onCut, { once: true });
    });
    try {
      return await Promise.race([call, cut]);
    } finally {
      if (onCut) this.cutting.signal.removeEventListener('abort', onCut);
      call.catch(() => undefined);
      cut.catch(() => undefined);
    }
  }
}
