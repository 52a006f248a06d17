import { readSoarLimit, type MetaStore } from '../soar/soar-limit.js';

/** The adaptive SOAR concurrency in `status`: what `run` or `once` last wrote. */
export interface SoarConcurrencyStatus {
  limit: number;
  floor: number;
  ceiling: number;
  /** When the state was written (it is written at every change and throttle). */
  at: string;
  /** Since when the counts run: the start of the daemon (or `once`) that wrote them. */
  since: string;
  lowest: number;
  highest: number;
  raises: number;
  cuts: number;
  /** Requests SOAR answered 429 or 503. */
  throttled: number;
  lastCut: { at: string; from: number; to: number; reason: 'throttled' | 'latency'; retryAfterSeconds: number | null } | null;
  latency: { recentMs: number; baselineMs: number } | null;
}

const iso = (ms: number): string => new Date(ms).toISOString();

export function readSoarConcurrency(store: MetaStore): SoarConcurrencyStatus | null {
  const r = readSoarLimit(store);
  if (!r) return null;
  const cut = r.lastCut;
  return {
    limit: r.limit, floor: r.min, ceiling: r.max, at: iso(r.at), since: iso(r.since), lowest: r.lowest, highest: r.highest,
    raises: r.raises, cuts: r.cuts, throttled: r.throttled, latency: r.latency,
    lastCut: cut
      ? { at: iso(cut.at), from: cut.from, to: cut.to, reason: cut.reason === 'latency' ? 'latency' : 'throttled', retryAfterSeconds: cut.retryAfterMs === undefined ? null : cut.retryAfterMs / 1000 }
      : null,
  };
}

export function formatSoarConcurrency(s: SoarConcurrencyStatus): string[] {
  const range = s.floor === s.ceiling
    ? 'fixed: aws_gd_soar_concurrency_min = aws_gd_soar_concurrency'
    : `adapts from ${s.floor} to ${s.ceiling}`;
  const lines = [
    '',
    `SOAR concurrency: ${s.limit} requests at once (${range}), as of ${s.at}`,
    `  since ${s.since}: ${s.raises} raises, ${s.cuts} cuts, lowest ${s.lowest}, highest ${s.highest}; ${s.throttled} requests throttled by SOAR (429/503)`,
  ];
  const cut = s.lastCut;
  if (cut) {
    const why = cut.reason === 'latency'
      ? 'SOAR answered much slower than its recent baseline'
      : `SOAR throttled${cut.retryAfterSeconds === null ? '' : ` (Retry-After ${cut.retryAfterSeconds} s)`}`;
    lines.push(`  last cut: ${cut.from} → ${cut.to} at ${cut.at}: ${why}`);
  }
  if (s.latency) lines.push(`  SOAR latency: ${s.latency.recentMs} ms recently, ${s.latency.baselineMs} ms baseline`);
  return lines;
}
