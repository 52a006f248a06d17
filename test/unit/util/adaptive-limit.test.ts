import { describe, expect, it } from 'vitest';
import { AdaptiveLimit, type LimitChange, type Permit } from '../../../src/util/adaptive-limit.js';
import { ManualClock } from '../../helpers/manual-clock.js';

const flush = async (): Promise<void> => {
  for (let i = 0; i < 5; i++) await Promise.resolve();
};

/** A limiter with a manual clock, recording its changes. */
function limiter(settings: { min?: number; max?: number; initial?: number } = {}): { limit: AdaptiveLimit; clock: ManualClock; changes: LimitChange[] } {
  const clock = new ManualClock();
  const changes: LimitChange[] = [];
  const limit = new AdaptiveLimit({ min: settings.min ?? 1, max: settings.max ?? 16, initial: settings.initial }, clock, { limitChanged: (c) => changes.push(c) });
  return { limit, clock, changes };
}

/** Asks for `n` slots; returns the promises (granted or waiting). */
function ask(limit: AdaptiveLimit, n: number, urgent = false): Promise<Permit | undefined>[] {
  return Array.from({ length: n }, () => limit.acquire(urgent));
}

async function granted(requests: Promise<Permit | undefined>[]): Promise<Permit[]> {
  await flush();
  const settled = await Promise.all(requests.map((p) => Promise.race([p, Promise.resolve('waiting' as const)])));
  return settled.filter((p): p is Permit => p !== 'waiting' && p !== undefined);
}

/**
 * Keeps the limiter saturated (more requests waiting than it allows) for `answers` answers of
 * `latencyMs`, one round after another; returns the limit after each round.
 */
async function busy(limit: AdaptiveLimit, clock: ManualClock, answers: number, latencyMs = 20): Promise<number[]> {
  const queue = ask(limit, answers);
  const rounds: number[] = [];
  let done = 0;
  while (done < answers) {
    const running = await granted(queue.splice(0, limit.limit));
    clock.advance(latencyMs);
    for (const p of running) p.release({ kind: 'answered', latencyMs });
    done += running.length;
    rounds.push(limit.limit);
  }
  return rounds;
}

describe('AdaptiveLimit', () => {
  it('starts at 4 concurrent requests and makes the fifth wait for a slot', async () => {
    const { limit } = limiter();
    const requests = ask(limit, 5);
    const first = await granted(requests);
    expect(limit.limit).toBe(4);
    expect(first).toHaveLength(4);
    first[0]?.release({ kind: 'answered', latencyMs: 20 });
    expect(await granted(requests)).toHaveLength(5);
  });

  it('starts within its floor and ceiling', () => {
    expect(limiter({ min: 6, max: 10 }).limit.limit).toBe(6);
    expect(limiter({ min: 1, max: 2 }).limit.limit).toBe(2);
  });

  it('grows by one slot per round while answers are prompt and every slot is in use, up to the ceiling', async () => {
    const { limit, clock, changes } = limiter({ max: 16 });
    const rounds = await busy(limit, clock, 400);
    expect(rounds.slice(0, 4)).toEqual([5, 6, 7, 8]);
    expect(Math.max(...rounds)).toBe(16);
    expect(rounds.at(-1)).toBe(16);
    expect(changes.every((c) => c.reason === 'prompt' && c.to === c.from + 1)).toBe(true);
    expect(limit.state()).toMatchObject({ limit: 16, raises: 12, cuts: 0, throttled: 0, lowest: 4, highest: 16 });
  });

  it('does not grow while the slots it has are not all in use', async () => {
    const { limit, clock } = limiter();
    for (let i = 0; i < 100; i++) {
      const [permit] = await granted(ask(limit, 1));
      clock.advance(20);
      permit?.release({ kind: 'answered', latencyMs: 20 });
    }
    expect(limit.limit).toBe(4);
  });

  it('halves at once on a throttling answer, once per round, and counts every throttled request', async () => {
    const { limit, clock, changes } = limiter({ initial: 12 });
    const running = await granted(ask(limit, 12));
    clock.advance(5);
    running[11]?.release({ kind: 'throttled' });
    expect(limit.limit).toBe(6);
    // Sent at the old limit: they say nothing new, so no second cut.
    running[10]?.release({ kind: 'throttled' });
    running[9]?.release({ kind: 'throttled' });
    expect(limit.limit).toBe(6);
    expect(changes).toEqual([{ at: clock.now(), from: 12, to: 6, reason: 'throttled' }]);
    expect(limit.state()).toMatchObject({ cuts: 1, throttled: 3 });
  });

  it('never goes below its floor', async () => {
    const { limit } = limiter({ min: 3, initial: 4 });
    for (let i = 0; i < 5; i++) {
      const [permit] = await granted(ask(limit, 1));
      permit?.release({ kind: 'throttled' });
    }
    expect(limit.limit).toBe(3);
  });

  it('starts no request before a Retry-After has passed', async () => {
    const { limit, clock } = limiter({ initial: 8 });
    const running = await granted(ask(limit, 3));
    running[0]?.release({ kind: 'throttled', retryAfterMs: 2_000 });
    for (const p of running.slice(1)) p.release({ kind: 'answered', latencyMs: 20 });
    // Slots are free, but SOAR asked for a pause.
    const waiting = ask(limit, 2);
    expect(await granted(waiting)).toHaveLength(0);
    expect(limit.state().heldUntil).toBe(clock.now() + 2_000);
    clock.advance(1_999);
    expect(await granted(waiting)).toHaveLength(0);
    clock.advance(1);
    expect(await granted(waiting)).toHaveLength(2);
  });

  it('stays below the level SOAR refused until it probes it again, half a minute later', async () => {
    const { limit, clock } = limiter({ initial: 7 });
    // Seven in flight: the seventh is refused.
    const running = await granted(ask(limit, 7));
    running[6]?.release({ kind: 'throttled' });
    for (const p of running.slice(0, 6)) p.release({ kind: 'answered', latencyMs: 20 });
    expect(limit.limit).toBe(3);
    // Back up quickly, but not past 6.
    expect(Math.max(...(await busy(limit, clock, 300)))).toBe(6);
    clock.advance(30_000);
    expect((await busy(limit, clock, 100)).at(-1)).toBeGreaterThan(6);
  });

  it('cuts when latency climbs well above its baseline, and rises again once it recovers', async () => {
    const { limit, clock, changes } = limiter({ initial: 16 });
    await busy(limit, clock, 200, 20);
    expect(limit.limit).toBe(16);
    const slow = await busy(limit, clock, 150, 200);
    expect(slow.at(-1)).toBeLessThanOrEqual(2);
    expect(changes.some((c) => c.reason === 'latency')).toBe(true);
    const recovered = await busy(limit, clock, 400, 20);
    expect(recovered.at(-1)).toBe(16);
    expect(limit.state().lowest).toBeLessThanOrEqual(2);
  });

  it('takes a few milliseconds of jitter on a fast service for no alarm', async () => {
    const { limit, clock } = limiter({ initial: 8 });
    await busy(limit, clock, 50, 2);
    await busy(limit, clock, 100, 12);
    expect(limit.state().cuts).toBe(0);
  });

  it('takes answers a busy client delayed (event loop, garbage collection) for no alarm: the fastest shows SOAR\'s pace', async () => {
    const { limit, clock } = limiter({ initial: 8 });
    await busy(limit, clock, 50, 5);
    for (let round = 0; round < 30; round++) {
      const running = await granted(ask(limit, limit.limit));
      clock.advance(100);
      // Most answers sat in the client's queue for 100 ms; one came through at SOAR's pace.
      running.forEach((p, i) => p.release({ kind: 'answered', latencyMs: i === 0 ? 6 : 105 }));
    }
    expect(limit.state().cuts).toBe(0);
    expect(limit.limit).toBeGreaterThanOrEqual(8);
  });

  it('accepts a SOAR that stays slower as the new normal after about a minute', async () => {
    const { limit, clock } = limiter({ initial: 8 });
    await busy(limit, clock, 50, 20);
    await busy(limit, clock, 200, 200);
    const low = limit.limit;
    clock.advance(120_000);
    await busy(limit, clock, 100, 200);
    expect(limit.limit).toBeGreaterThan(low);
  });

  it('serves urgent waiters (SOAR functions) before the others, whatever their order', async () => {
    const { limit } = limiter({ min: 1, max: 1 });
    const [first] = await granted(ask(limit, 1));
    const order: string[] = [];
    const track = (name: string, urgent: boolean): Promise<void> => limit.acquire(urgent).then((p) => {
      order.push(name);
      p?.release({ kind: 'answered', latencyMs: 1 });
    });
    const all = [track('cycle-1', false), track('cycle-2', false), track('function-1', true), track('cycle-3', false), track('function-2', true)];
    first?.release({ kind: 'answered', latencyMs: 1 });
    await Promise.all(all);
    expect(order).toEqual(['function-1', 'function-2', 'cycle-1', 'cycle-2', 'cycle-3']);
  });

  it('min = max pins the concurrency: no raise, no cut, but Retry-After is still honoured', async () => {
    const { limit, clock } = limiter({ min: 5, max: 5 });
    await busy(limit, clock, 100);
    const running = await granted(ask(limit, 5));
    for (const p of running) p.release({ kind: 'throttled', retryAfterMs: 1_000 });
    expect(limit.state()).toMatchObject({ limit: 5, raises: 0, cuts: 0, throttled: 5 });
    expect(await granted(ask(limit, 1))).toHaveLength(0);
  });

  it('gives up a wait when its signal aborts (a stopping daemon), without taking a slot', async () => {
    const { limit } = limiter({ min: 1, max: 1 });
    const [first] = await granted(ask(limit, 1));
    const stop = new AbortController();
    const waiting = limit.acquire(false, stop.signal);
    const next = limit.acquire(false);
    stop.abort();
    expect(await waiting).toBeUndefined();
    first?.release({ kind: 'answered', latencyMs: 1 });
    expect(await next).toBeDefined();
    expect(limit.state()).toMatchObject({ inFlight: 1, waiting: 0 });
  });

  it('reports what changed since a mark: one cycle\'s share', async () => {
    const { limit, clock } = limiter();
    await busy(limit, clock, 40);
    const mark = limit.mark();
    const start = limit.limit;
    const running = await granted(ask(limit, start));
    running[0]?.release({ kind: 'throttled' });
    expect(limit.since(mark)).toEqual({ limit: Math.floor(start / 2), lowest: Math.floor(start / 2), highest: start, raises: 0, cuts: 1, throttled: 1 });
  });

  it('a permit released twice counts once', async () => {
    const { limit } = limiter();
    const [permit] = await granted(ask(limit, 1));
    permit?.release({ kind: 'throttled' });
    permit?.release({ kind: 'throttled' });
    expect(limit.state()).toMatchObject({ inFlight: 0, throttled: 1 });
  });
});
