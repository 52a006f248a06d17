/**
 * An in-process async mutex per key: work on one key runs one at a time, in the order it asked;
 * work on different keys never waits. The cycle and the SOAR functions take it per finding, so a
 * function's refresh never interleaves its SOAR writes with a cycle's on the same incident. In
 * process is enough: the database lock keeps a second daemon off the same state.
 */
export class KeyedLock {
  /** The tail of each key's queue; removed when the last holder releases, so idle keys cost nothing. */
  private readonly tails = new Map<string, Promise<void>>();

  async run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    let release: () => void = () => undefined;
    const mine = new Promise<void>((resolve) => (release = resolve));
    const tail = previous.then(() => mine);
    this.tails.set(key, tail);
    await previous;
    try {
      return await task();
    } finally {
      release();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }

  /** Keys held or waited for now (for tests and diagnostics). */
  get size(): number {
    return this.tails.size;
  }
}
