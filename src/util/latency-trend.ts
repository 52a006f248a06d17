/**
 * How fast a service answers now (`recent`) against how fast it answered over about the last minute
 * (`baseline`), from the latencies the client measures.
 *
 * `recent` is the fastest of the last answers (about two rounds of requests), not their average:
 * the service's own slowness delays every answer, whereas a busy client (its event loop, a garbage
 * collection, a loaded machine) delays only some of them, so the fastest answer still shows the
 * service. The baseline follows `recent` slowly, upward more slowly still: a sudden climb stands out
 * against it, and a service that is slower for good becomes the new normal after a minute or so.
 */
export class LatencyTrend {
  private readonly samples: number[];
  private next = 0;
  private count = 0;
  private recentMs: number | undefined;
  private baselineMs: number | undefined;
  private lastAt = 0;

  constructor(
    capacity: number,
    private readonly settings: { baselineWindowMs: number; baselineDownWindowMs: number },
  ) {
    this.samples = new Array<number>(Math.max(1, capacity)).fill(0);
  }

  /** One answer's latency; `window`: how many of the last answers `recent` looks at (at most the capacity). */
  add(latencyMs: number, now: number, window: number): void {
    this.samples[this.next] = Math.max(0, latencyMs);
    this.next = (this.next + 1) % this.samples.length;
    this.count = Math.min(this.count + 1, this.samples.length);
    const k = Math.min(this.count, Math.max(1, window));
    let fastest = Infinity;
    for (let i = 1; i <= k; i++) fastest = Math.min(fastest, this.samples[(this.next - i + this.samples.length) % this.samples.length] ?? Infinity);
    this.recentMs = fastest;
    if (this.baselineMs === undefined) {
      this.baselineMs = fastest;
    } else {
      const span = fastest < this.baselineMs ? this.settings.baselineDownWindowMs : this.settings.baselineWindowMs;
      this.baselineMs += (fastest - this.baselineMs) * (1 - Math.exp(-Math.max(0, now - this.lastAt) / span));
    }
    this.lastAt = now;
  }

  /** Recent answers take more than `tolerance` × the baseline, and at least `minRiseMs` longer. */
  high(tolerance: number, minRiseMs: number): boolean {
    if (this.recentMs === undefined || this.baselineMs === undefined) return false;
    return this.recentMs > tolerance * this.baselineMs && this.recentMs - this.baselineMs >= minRiseMs;
  }

  view(): { recentMs: number; baselineMs: number } | undefined {
    if (this.recentMs === undefined || this.baselineMs === undefined) return undefined;
    return { recentMs: Math.round(this.recentMs), baselineMs: Math.round(this.baselineMs) };
  }
}
