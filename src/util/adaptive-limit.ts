import type { Clock } from '../core/clock.js';
import { LatencyTrend } from './latency-trend.js';
import { SlotQueue } from './slot-queue.js';

/**
 * A concurrency limit that adapts to how the service answers: AIMD, as TCP's congestion avoidance
 * and Netflix's concurrency-limits `AIMDLimit`.
 * - Additive increase: while answers are prompt and every slot is in use, one more slot per round
 *   (+1 ÷ limit per answer), up to `max`.
 * - Multiplicative decrease, at once: on a throttling answer (429/503) the limit halves, and when
 *   even the fastest of the last two rounds of answers took well over the recent baseline
 *   (LatencyTrend) it drops by a quarter. Once per round: answers to requests sent before a cut say
 *   nothing about the new limit, so they do not cut again.
 * - A throttle also marks the level the service refused: the limit stays below it for `capHoldMs` before it
 *   probes that level again (each probe costs a refusal and a Retry-After pause).
 * - Retry-After: no request starts until it has passed.
 * Waiters are served urgent first (a responder is waiting on a SOAR function), then in arrival order.
 */

export type LimitOutcome =
  /** An answer (any status but a throttle, or a timeout): its latency is a sample. */
  | { kind: 'answered'; latencyMs: number }
  | { kind: 'throttled'; retryAfterMs?: number | undefined }
  /** Nothing learnt about the service's load (connection refused, request cut at shutdown). */
  | { kind: 'failed' };

/** `prompt`: a raise; `throttled` and `latency`: a cut. */
export type LimitReason = 'prompt' | 'throttled' | 'latency';

export interface LimitChange {
  at: number;
  from: number;
  to: number;
  reason: LimitReason;
  retryAfterMs?: number | undefined;
}

export interface LimitCounts {
  limit: number;
  lowest: number;
  highest: number;
  raises: number;
  cuts: number;
  /** Throttling answers (429/503). */
  throttled: number;
}

export interface LimitState extends LimitCounts {
  min: number;
  max: number;
  inFlight: number;
  waiting: number;
  /** Epoch ms until which no request starts (Retry-After). */
  heldUntil: number | undefined;
  lastCut: LimitChange | undefined;
  latency: { recentMs: number; baselineMs: number } | undefined;
}

export interface LimitObserver {
  limitChanged?(change: LimitChange, state: LimitState): void;
  throttled?(state: LimitState): void;
}

export interface LimitTuning {
  throttleBackoff: number;
  latencyBackoff: number;
  /** Recent latency above this × the baseline (and `minLatencyRiseMs` above it) is a cut. */
  latencyTolerance: number;
  /**
   * So that a fast service's jitter is no alarm, nor a busy client: a daemon whose event loop is
   * saturated sees even its fastest answers late by tens of milliseconds.
   */
  minLatencyRiseMs: number;
  /** `recent` latency: the fastest answer of the last this many rounds (at least 8 answers). */
  latencyRounds: number;
  baselineWindowMs: number;
  baselineDownWindowMs: number;
  capHoldMs: number;
  /** The longest Retry-After honoured as a pause of every request. */
  maxHoldMs: number;
}

export const DEFAULT_TUNING: LimitTuning = {
  throttleBackoff: 0.5, latencyBackoff: 0.75, latencyTolerance: 2, minLatencyRiseMs: 100,
  latencyRounds: 2, baselineWindowMs: 60_000, baselineDownWindowMs: 5_000, capHoldMs: 30_000, maxHoldMs: 60_000,
};

/** The starting limit when none is given: the fixed default of earlier versions. */
export const INITIAL_LIMIT = 4;

export interface Permit {
  /** Gives the slot back and reports how the request went; a second call does nothing. */
  release(outcome: LimitOutcome): void;
}

/** Counts at a point in time, to report what changed since (one cycle's share). */
export interface LimitMark {
  readonly raises: number;
  readonly cuts: number;
  readonly throttled: number;
  readonly range: number;
}

interface Grant {
  epoch: number;
  /** Requests in flight with this one when it started. */
  level: number;
  released: boolean;
}

export class AdaptiveLimit {
  readonly min: number;
  readonly max: number;
  private readonly tuning: LimitTuning;
  private value: number;
  private readonly queue: SlotQueue;
  private epoch = 0;
  private holdUntil = 0;
  private cap = Infinity;
  private capUntil = 0;
  private readonly latency: LatencyTrend;
  private readonly counts = { raises: 0, cuts: 0, throttled: 0, lowest: 0, highest: 0 };
  private range = { id: 0, lowest: 0, highest: 0 };
  private lastCut: LimitChange | undefined;

  constructor(
    settings: { min: number; max: number; initial?: number; tuning?: Partial<LimitTuning> },
    private readonly clock: Clock,
    private readonly observer: LimitObserver = {},
  ) {
    const { min, max } = settings;
    if (!Number.isInteger(min) || !Number.isInteger(max) || min < 1 || max < min) throw new RangeError(`limits must be whole numbers with 1 ≤ min ≤ max, got ${min}–${max}`);
    this.min = min;
    this.max = max;
    this.tuning = { ...DEFAULT_TUNING, ...settings.tuning };
    this.value = Math.min(max, Math.max(min, settings.initial ?? INITIAL_LIMIT));
    this.counts.lowest = this.counts.highest = this.limit;
    this.range = { id: 0, lowest: this.limit, highest: this.limit };
    this.latency = new LatencyTrend(this.latencyWindow(max), this.tuning);
    this.queue = new SlotQueue(clock, () => this.limit, () => this.holdUntil);
  }

  get limit(): number {
    return Math.floor(this.value);
  }

  /**
   * A slot, when the limit allows and no Retry-After pause is on; undefined when `signal` aborts
   * first (a stopping daemon). `urgent` waiters go before all others.
   */
  acquire(urgent = false, signal?: AbortSignal): Promise<Permit | undefined> {
    return this.queue.enter(urgent, signal, () => {
      const grant: Grant = { epoch: this.epoch, level: this.queue.inFlight, released: false };
      return { release: (outcome: LimitOutcome) => this.release(grant, outcome) };
    });
  }

  state(): LimitState {
    const now = this.clock.now();
    return {
      limit: this.limit, min: this.min, max: this.max, lowest: this.counts.lowest, highest: this.counts.highest,
      raises: this.counts.raises, cuts: this.counts.cuts, throttled: this.counts.throttled,
      inFlight: this.queue.inFlight, waiting: this.queue.waiting, heldUntil: this.holdUntil > now ? this.holdUntil : undefined,
      lastCut: this.lastCut, latency: this.latency.view(),
    };
  }

  /** Starts a new range of lowest/highest (one consumer: the cycle, and cycles never overlap). */
  mark(): LimitMark {
    this.range = { id: this.range.id + 1, lowest: this.limit, highest: this.limit };
    return { raises: this.counts.raises, cuts: this.counts.cuts, throttled: this.counts.throttled, range: this.range.id };
  }

  /** What happened since `mark`: lowest and highest over that time, and the changes and throttles. */
  since(mark: LimitMark): LimitCounts {
    const current = this.range.id === mark.range ? this.range : { lowest: this.counts.lowest, highest: this.counts.highest };
    return {
      limit: this.limit, lowest: current.lowest, highest: current.highest,
      raises: this.counts.raises - mark.raises, cuts: this.counts.cuts - mark.cuts, throttled: this.counts.throttled - mark.throttled,
    };
  }

  private latencyWindow(limit: number): number {
    return Math.max(8, this.tuning.latencyRounds * limit);
  }

  private release(grant: Grant, outcome: LimitOutcome): void {
    if (grant.released) return;
    grant.released = true;
    const saturated = this.queue.inFlight >= this.limit || this.queue.waiting > 0;
    // What SOAR saw: the requests in flight with this one, including those started after it.
    const level = Math.max(grant.level, this.queue.inFlight);
    this.queue.leave();
    const now = this.clock.now();
    if (outcome.kind === 'throttled') this.onThrottled(grant, level, outcome.retryAfterMs, now);
    else if (outcome.kind === 'answered') this.onAnswered(grant, outcome.latencyMs, saturated, now);
    this.queue.drain();
  }

  private onThrottled(grant: Grant, level: number, retryAfterMs: number | undefined, now: number): void {
    this.counts.throttled += 1;
    if (retryAfterMs !== undefined && retryAfterMs > 0) this.holdUntil = Math.max(this.holdUntil, now + Math.min(retryAfterMs, this.tuning.maxHoldMs));
    const refused = Math.max(this.min, level - 1);
    this.cap = now < this.capUntil ? Math.min(this.cap, refused) : refused;
    this.capUntil = now + this.tuning.capHoldMs;
    const target = grant.epoch === this.epoch ? Math.floor(this.value * this.tuning.throttleBackoff) : this.limit;
    if (grant.epoch === this.epoch) this.epoch += 1;
    this.lower(Math.min(target, this.cap), 'throttled', now, retryAfterMs);
    this.observer.throttled?.(this.state());
  }

  private onAnswered(grant: Grant, latencyMs: number, saturated: boolean, now: number): void {
    this.latency.add(latencyMs, now, this.latencyWindow(this.limit));
    const fresh = grant.epoch === this.epoch;
    if (this.latency.high(this.tuning.latencyTolerance, this.tuning.minLatencyRiseMs)) {
      if (!fresh) return;
      this.epoch += 1;
      this.lower(Math.floor(this.value * this.tuning.latencyBackoff), 'latency', now, undefined);
      return;
    }
    // Only an answer to a request sent at the current limit, with every slot in use, says that limit is fine.
    if (!fresh || !saturated || now < this.holdUntil) return;
    const ceiling = now < this.capUntil ? Math.min(this.cap, this.max) : this.max;
    if (this.value >= ceiling) return;
    const from = this.limit;
    this.value = Math.min(ceiling, this.value + 1 / from);
    if (this.limit > from) this.changed({ at: now, from, to: this.limit, reason: 'prompt' });
  }

  private lower(target: number, reason: LimitReason, now: number, retryAfterMs: number | undefined): void {
    const from = this.limit;
    const to = Math.max(this.min, target);
    if (to >= from) return;
    this.value = to;
    this.changed({ at: now, from, to, reason, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) });
  }

  private changed(change: LimitChange): void {
    if (change.to > change.from) this.counts.raises += 1;
    else {
      this.counts.cuts += 1;
      this.lastCut = change;
    }
    this.counts.lowest = Math.min(this.counts.lowest, change.to);
    this.counts.highest = Math.max(this.counts.highest, change.to);
    this.range.lowest = Math.min(this.range.lowest, change.to);
    this.range.highest = Math.max(this.range.highest, change.to);
    this.observer.limitChanged?.(change, this.state());
  }
}
