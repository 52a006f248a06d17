/**
 * A counting semaphore: at most `limit` tasks run at once, in the order they asked.
 * Used to bound parallel SOAR writes across findings and regions.
 */
export class Semaphore {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`limit must be a positive integer, got ${limit}`);
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    await this.acquire();
    try {
      return await task();
    } finally {
      this.release();
    }
  }

  private acquire(): Promise<void> {
    if (this.active < this.limit) {
      this.active += 1;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.active -= 1;
  }
}

/**
 * Runs `fn` over `items` with at most `limit` at once; resolves with results in input order. After a
 * failure no new item is started, and the first failure is thrown once the ones running have settled:
 * nothing started here is still running when it returns or throws.
 */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failure: { error: unknown } | undefined;
  async function worker(): Promise<void> {
    while (next < items.length && failure === undefined) {
      const index = next++;
      try {
        results[index] = await fn(items[index], index);
      } catch (error) {
        failure ??= { error };
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, () => worker()));
  if (failure !== undefined) throw failure.error;
  return results;
}

/** Splits `items` into arrays of at most `size`. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Maps an async iterable with `fn`, running up to `depth` calls ahead of the consumer: the next
 * page is fetched while the current one is being processed, so AWS latency hides behind SOAR work.
 * Memory stays bounded by `depth` results.
 */
export async function* prefetchMap<T, R>(source: AsyncIterable<T> | Iterable<T>, depth: number, fn: (item: T) => Promise<R>): AsyncGenerator<R> {
  const iterator: AsyncIterator<T> | Iterator<T> = Symbol.asyncIterator in source ? source[Symbol.asyncIterator]() : source[Symbol.iterator]();
  const queue: Promise<IteratorResult<R>>[] = [];
  const pull = async (): Promise<IteratorResult<R>> => {
    const next = await iterator.next();
    if (next.done) return { done: true, value: undefined };
    return { done: false, value: await fn(next.value) };
  };
  // Pulls are chained so the source iterator is never called concurrently.
  let chain: Promise<unknown> = Promise.resolve();
  const enqueue = (): void => {
    const p = chain.then(pull);
    chain = p.catch(() => undefined);
    queue.push(p);
  };
  for (let i = 0; i < Math.max(1, depth); i++) enqueue();
  try {
    for (;;) {
      const head = queue.shift() as Promise<IteratorResult<R>>;
      const result = await head;
      if (result.done) return;
      enqueue();
      yield result.value;
    }
  } finally {
    // Look-ahead pulls the consumer will never see: their rejections are swallowed, and they are
    // waited for, so that nothing of this map is still running once it is left (a stopping daemon
    // closes the database right after).
    await Promise.allSettled(queue);
    await chain;
    await iterator.return?.();
  }
}

/**
 * Runs `fn` on the items of `source` with up to `width` running at once, and hands each result to
 * `settle` in source order (a cursor may only move past a page once every page before it is done).
 * Stops taking items once `stop()` says so, but lets the ones already started finish. The first
 * failure (in source order) is thrown once every item started has settled: nothing started here is
 * still running when it returns or throws (its caller may close the database next).
 */
export async function orderedWindow<T, R>(
  source: AsyncIterable<T>,
  width: number,
  fn: (item: T) => Promise<R>,
  settle: (result: R) => void,
  stop: () => boolean = () => false,
): Promise<void> {
  const running: Promise<R>[] = [];
  try {
    for await (const item of source) {
      if (stop()) break;
      const task = fn(item);
      // Marked handled at once: a later item may fail while an earlier one is awaited (its failure
      // then surfaces when its turn comes, or not at all if an earlier one failed first).
      task.catch(() => undefined);
      running.push(task);
      if (running.length >= Math.max(1, width)) settle(await (running.shift() as Promise<R>));
    }
    while (running.length > 0) settle(await (running.shift() as Promise<R>));
  } finally {
    await Promise.allSettled(running);
  }
}
