/**
 * Two running averages of answer latency: `recent` (the last ten answers or so) and `baseline` (what
 * the service answered in over about the last minute). The baseline follows a faster service at once
 * but a slower one only over its time window, so a sudden climb stands out against it, and a service
 * that is slower for good becomes the new normal after a minute or so.
 */
export class LatencyTrend {
  private recentMs: number | undefined;
  private baselineMs: number | undefined;
  private lastAt = 0;

  constructor(private readonly settings: { recentWeight: number; baselineWindowMs: number }) {}

  add(latencyMs: number, now: number): void {
    const ms = Math.max(0, latencyMs);
    if (this.recentMs === undefined || this.baselineMs === undefined) {
      this.recentMs = ms;
      this.baselineMs = ms;
      this.lastAt = now;
      return;
    }
    this.recentMs += (ms - this.recentMs) * this.settings.recentWeight;
    // Time-weighted upward: at 800 answers a second a per-answer weight would absorb a climb in a
    // fraction of a second; at 5 a second it would take minutes.
    const weight = ms < this.baselineMs ? this.settings.recentWeight : 1 - Math.exp(-Math.max(0, now - this.lastAt) / this.settings.baselineWindowMs);
    this.baselineMs += (ms - this.baselineMs) * weight;
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
