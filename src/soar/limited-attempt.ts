import type { Clock } from '../core/clock.js';
import { abandonedCall } from '../core/errors.js';
import type { AdaptiveLimit, LimitOutcome } from '../util/adaptive-limit.js';
import { isUrgent } from '../util/urgency.js';
import { parseRetryAfter } from './soar-errors.js';

/** One attempt's result as SoarHttp sees it: an HTTP answer, or none. */
export type AttemptResult =
  | { kind: 'response' | 'status'; status: number; retryAfter: string | undefined }
  | { kind: 'network'; code: string };

/** Statuses by which SOAR (or the gateway in front of it) says it has too much to do. */
const THROTTLING = new Set([429, 503]);
/** No answer in time: the slowest answer of all. */
const TIMEOUTS = new Set(['ETIMEDOUT', 'ECONNABORTED', 'ESOCKETTIMEDOUT']);

/**
 * One HTTP attempt inside a slot of the org's adaptive limit, so that the limit counts requests on
 * the wire (a retry waiting out its backoff holds no slot). Urgent (SOAR function) attempts go first.
 * A stopping daemon's waiters give up at the halt, like a retry's backoff.
 */
export async function inSlot<T extends AttemptResult>(
  limit: AdaptiveLimit, clock: Clock, operation: string, halt: AbortSignal | undefined, attempt: () => Promise<T>,
): Promise<T> {
  const permit = await limit.acquire(isUrgent(), halt);
  if (!permit) throw abandonedCall('soar', operation);
  const started = clock.now();
  let outcome: LimitOutcome = { kind: 'failed' };
  try {
    const result = await attempt();
    outcome = outcomeOf(result, clock.now() - started, clock.now());
    return result;
  } finally {
    permit.release(outcome);
  }
}

export function outcomeOf(result: AttemptResult, latencyMs: number, now: number): LimitOutcome {
  if (result.kind !== 'network') {
    if (THROTTLING.has(result.status)) return { kind: 'throttled', retryAfterMs: parseRetryAfter(result.retryAfter, now) };
    return { kind: 'answered', latencyMs };
  }
  return TIMEOUTS.has(result.code) ? { kind: 'answered', latencyMs } : { kind: 'failed' };
}
