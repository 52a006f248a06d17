import type { Clock } from '../core/clock.js';
import { errorMessage } from '../core/errors.js';
import type { Logger } from '../logging/logger.js';
import { AdaptiveLimit, type LimitChange, type LimitObserver, type LimitState } from '../util/adaptive-limit.js';

/**
 * The SOAR org's adaptive concurrency (one per org, shared by the cycle and the SOAR functions) and
 * what it tells operators: metrics, a log line per cut, and its latest state in SQLite for `status`.
 */

/** What the metrics keep of it (health/metrics.ts). */
export interface SoarLimitMetrics {
  soarLimit(state: LimitState): void;
  soarLimitChanged(change: LimitChange): void;
  soarThrottled(): void;
}

/** The store's meta table: `status` reads SQLite only, so the daemon writes the state there. */
export interface MetaStore {
  setMeta(key: string, value: string): void;
  getMeta(key: string): string | undefined;
}

export const SOAR_LIMIT_META = 'soar_concurrency';

/** What `status` shows: the state when it last changed, counted since the daemon started. */
export interface SoarLimitRecord {
  limit: number;
  min: number;
  max: number;
  lowest: number;
  highest: number;
  raises: number;
  cuts: number;
  throttled: number;
  /** Epoch ms: when the daemon started counting, and when this was written. */
  since: number;
  at: number;
  lastCut: LimitChange | null;
  latency: { recentMs: number; baselineMs: number } | null;
}

export interface SoarLimit {
  readonly limit: AdaptiveLimit;
  /** From now on, every change and throttle is written to `store` (`run` and `once`, not `check`). */
  recordIn(store: MetaStore): void;
}

export function createSoarLimit(range: { min: number; max: number }, deps: { clock: Clock; logger: Logger; metrics?: SoarLimitMetrics | undefined }): SoarLimit {
  const { clock, logger, metrics } = deps;
  let store: MetaStore | undefined;
  let since = clock.now();
  const record = (state: LimitState): void => {
    if (!store) return;
    const { limit: current, min, max, lowest, highest, raises, cuts, throttled, lastCut, latency } = state;
    const value: SoarLimitRecord = { limit: current, min, max, lowest, highest, raises, cuts, throttled, since, at: clock.now(), lastCut: lastCut ?? null, latency: latency ?? null };
    try {
      store.setMeta(SOAR_LIMIT_META, JSON.stringify(value));
    } catch (err) {
      // A request answered after the database closed (a stop): the state is only for display.
      logger.debug('The SOAR concurrency state could not be written', { error: errorMessage(err) });
    }
  };
  const observer: LimitObserver = {
    limitChanged: (change, state) => {
      metrics?.soarLimitChanged(change);
      metrics?.soarLimit(state);
      if (change.reason === 'prompt') logger.debug('SOAR concurrency raised', { from: change.from, to: change.to });
      else logger.info(change.reason === 'throttled' ? 'SOAR is throttling: concurrency cut' : 'SOAR answers slowly: concurrency cut', cutFacts(change, state));
      record(state);
    },
    throttled: (state) => {
      metrics?.soarThrottled();
      record(state);
    },
  };
  const limit = new AdaptiveLimit(range, clock, observer);
  metrics?.soarLimit(limit.state());
  return {
    limit,
    recordIn: (target) => {
      store = target;
      since = clock.now();
      record(limit.state());
    },
  };
}

function cutFacts(change: LimitChange, state: LimitState): Record<string, unknown> {
  return {
    from: change.from, to: change.to, floor: state.min, ceiling: state.max,
    ...(change.retryAfterMs !== undefined ? { retryAfterMs: change.retryAfterMs } : {}),
    ...(state.latency ? { recentLatencyMs: state.latency.recentMs, baselineLatencyMs: state.latency.baselineMs } : {}),
  };
}

/** The state `run` or `once` last wrote; undefined before either ran with this version. */
export function readSoarLimit(store: MetaStore): SoarLimitRecord | undefined {
  const text = store.getMeta(SOAR_LIMIT_META);
  if (!text) return undefined;
  try {
    return JSON.parse(text) as SoarLimitRecord;
  } catch {
    return undefined;
  }
}
