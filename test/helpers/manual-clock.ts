import type { Clock } from '../../src/core/clock.js';

interface Timer {
  at: number;
  ms: number;
  resolve: () => void;
}

/**
 * A Clock whose time moves only when the test fires its next sleep: code that waits minutes (a
 * reconnect backoff) runs in milliseconds, and "how many attempts in 50 s" is a count, not a race
 * against the wall clock. A sleep whose signal aborts is gone at once, as with the system clock.
 */
export class ManualClock implements Clock {
  private time: number;
  private timers: Timer[] = [];

  constructor(start = Date.UTC(2026, 0, 1)) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (signal?.aborted) return resolve();
      const timer: Timer = { at: this.time + ms, ms, resolve };
      this.timers.push(timer);
      signal?.addEventListener('abort', () => {
        this.timers = this.timers.filter((t) => t !== timer);
        resolve();
      }, { once: true });
    });
  }

  /** The sleeps waiting, soonest first (their lengths in ms). */
  pending(): number[] {
    return [...this.timers].sort((a, b) => a.at - b.at).map((t) => t.ms);
  }

  /** Moves time forward by `ms`, ending every sleep due by then, soonest first. */
  advance(ms: number): void {
    const target = this.time + ms;
    for (;;) {
      const next = [...this.timers].sort((a, b) => a.at - b.at)[0];
      if (!next || next.at > target) break;
      this.fireNext();
    }
    this.time = target;
  }

  /** Moves time to the soonest sleep's end and ends it; returns how long that sleep was. */
  fireNext(): number {
    const next = [...this.timers].sort((a, b) => a.at - b.at)[0];
    if (!next) throw new Error('no sleep is pending');
    this.timers = this.timers.filter((t) => t !== next);
    this.time = Math.max(this.time, next.at);
    next.resolve();
    return next.ms;
  }
}
