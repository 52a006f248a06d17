import type { Clock } from '../core/clock.js';

interface Waiter {
  start: () => void;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
}

/**
 * Who goes next, and when: requests start while fewer than `capacity()` are in flight and no pause
 * is on (`pausedUntil()`, epoch ms: a Retry-After); waiting ones start urgent first, then in arrival
 * order. How large the capacity is, is AdaptiveLimit's business; it calls `drain()` when it grows
 * or a pause is set.
 */
export class SlotQueue {
  private running = 0;
  private readonly urgent: Waiter[] = [];
  private readonly normal: Waiter[] = [];
  private wake: AbortController | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly capacity: () => number,
    private readonly pausedUntil: () => number,
  ) {}

  get inFlight(): number {
    return this.running;
  }

  get waiting(): number {
    return this.urgent.length + this.normal.length;
  }

  /**
   * Resolves with `start()`'s result at the moment the request takes its slot (so that it sees the
   * state of that moment), or undefined when `signal` aborts first.
   */
  enter<T>(urgent: boolean, signal: AbortSignal | undefined, start: () => T): Promise<T | undefined> {
    if (signal?.aborted) return Promise.resolve(undefined);
    if (this.waiting === 0 && this.mayStart()) return Promise.resolve(this.take(start));
    return new Promise((resolve) => {
      const queue = urgent ? this.urgent : this.normal;
      const waiter: Waiter = { start: () => resolve(this.take(start)), signal, onAbort: undefined };
      if (signal) {
        waiter.onAbort = () => {
          queue.splice(queue.indexOf(waiter), 1);
          resolve(undefined);
          this.drain();
        };
        signal.addEventListener('abort', waiter.onAbort, { once: true });
      }
      queue.push(waiter);
      this.drain();
    });
  }

  /** A request is done: its slot goes to the next waiter (after the caller adjusted the capacity). */
  leave(): void {
    this.running -= 1;
  }

  drain(): void {
    while (this.waiting > 0 && this.mayStart()) {
      const waiter = (this.urgent.shift() ?? this.normal.shift()) as Waiter;
      if (waiter.onAbort) waiter.signal?.removeEventListener('abort', waiter.onAbort);
      waiter.start();
    }
    if (this.waiting === 0) {
      // Nobody waits: no timer may keep a finishing process alive.
      this.wake?.abort();
      this.wake = undefined;
    } else if (this.clock.now() < this.pausedUntil() && !this.wake) {
      // Woken when the pause ends (earlier if it was extended since: it then waits again).
      const wake = new AbortController();
      this.wake = wake;
      void this.clock.sleep(this.pausedUntil() - this.clock.now(), wake.signal).then(() => {
        if (wake.signal.aborted) return;
        this.wake = undefined;
        this.drain();
      });
    }
  }

  private mayStart(): boolean {
    return this.running < this.capacity() && this.clock.now() >= this.pausedUntil();
  }

  private take<T>(start: () => T): T {
    this.running += 1;
    return start();
  }
}
