import { describe, expect, it } from 'vitest';
import { mapLimit, orderedWindow, prefetchMap, Semaphore } from '../../../src/util/concurrency.js';

const tick = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function* items<T>(list: T[]): AsyncGenerator<T> {
  for (const item of list) {
    await tick(0);
    yield item;
  }
}

describe('orderedWindow', () => {
  it('runs up to `width` items at once and settles results in source order', async () => {
    let running = 0;
    let peak = 0;
    const settled: number[] = [];
    await orderedWindow(items([30, 5, 20, 1, 10]), 2, async (ms) => {
      running += 1;
      peak = Math.max(peak, running);
      await tick(ms);
      running -= 1;
      return ms;
    }, (r) => settled.push(r));
    expect(settled).toEqual([30, 5, 20, 1, 10]);
    expect(peak).toBe(2);
  });

  it('stops taking items when told, and lets the started ones finish', async () => {
    const started: number[] = [];
    const settled: number[] = [];
    await orderedWindow(items([1, 2, 3, 4, 5]), 2, async (n) => {
      started.push(n);
      await tick(5);
      return n;
    }, (r) => settled.push(r), () => started.length >= 3);
    expect(started).toEqual([1, 2, 3]);
    expect(settled).toEqual([1, 2, 3]);
  });

  it('throws the first failure without leaving the other one unhandled', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const run = orderedWindow(items([1, 2]), 2, async (n) => {
        await tick(n === 1 ? 5 : 1);
        throw new Error(`item ${n}`);
      }, () => undefined);
      await expect(run).rejects.toThrow('item 1');
      await tick(20);
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('throws only once every started item has settled: nothing it started runs after it returns (the caller closes the database next)', async () => {
    const finished: number[] = [];
    const run = orderedWindow(items([1, 2]), 2, async (n) => {
      if (n === 1) {
        await tick(1);
        throw new Error('item 1');
      }
      await tick(30);
      finished.push(n);
    }, () => undefined);
    await expect(run).rejects.toThrow('item 1');
    expect(finished).toEqual([2]);
  });
});

describe('prefetchMap', () => {
  it('maps one item ahead of the consumer, never calling the source concurrently', async () => {
    const mapped: number[] = [];
    const out: number[] = [];
    for await (const v of prefetchMap(items([1, 2, 3]), 1, async (n) => {
      mapped.push(n);
      await tick(1);
      return n * 10;
    })) {
      out.push(v);
      // While the consumer holds item n, item n + 1 is already being mapped.
      await tick(10);
      expect(mapped.length).toBe(Math.min(3, out.length + 1));
    }
    expect(out).toEqual([10, 20, 30]);
  });

  it('waits for the look-ahead item when the consumer leaves early, so nothing of it is still running afterwards', async () => {
    const done: number[] = [];
    for await (const v of prefetchMap(items([1, 2, 3]), 1, async (n) => {
      await tick(n === 1 ? 1 : 30);
      done.push(n);
      return n;
    })) {
      if (v === 1) break;
    }
    expect(done).toEqual([1, 2]);
  });
});

describe('Semaphore', () => {
  it('lets `limit` tasks run at once, in the order they asked', async () => {
    const slots = new Semaphore(2);
    const order: number[] = [];
    let running = 0;
    let peak = 0;
    await Promise.all([1, 2, 3, 4, 5].map((n) => slots.run(async () => {
      order.push(n);
      running += 1;
      peak = Math.max(peak, running);
      await tick(3);
      running -= 1;
    })));
    expect(order).toEqual([1, 2, 3, 4, 5]);
    expect(peak).toBe(2);
  });
});

describe('mapLimit', () => {
  it('runs up to `limit` at once and keeps the input order', async () => {
    let running = 0;
    let peak = 0;
    const out = await mapLimit([30, 5, 20, 1], 2, async (ms) => {
      running += 1;
      peak = Math.max(peak, running);
      await tick(ms);
      running -= 1;
      return ms * 2;
    });
    expect(out).toEqual([60, 10, 40, 2]);
    expect(peak).toBe(2);
  });

  it('after a failure starts nothing new, and throws it only once the ones running have finished', async () => {
    const finished: number[] = [];
    const started: number[] = [];
    const run = mapLimit([1, 2, 3, 4, 5], 2, async (n) => {
      started.push(n);
      if (n === 1) throw new Error('refused');
      await tick(20);
      finished.push(n);
      return n;
    });
    await expect(run).rejects.toThrow('refused');
    // Item 2 was in flight when 1 failed: it finished before the failure was thrown; no later one started.
    expect(finished).toEqual([2]);
    expect(started).toEqual([1, 2]);
  });
});
