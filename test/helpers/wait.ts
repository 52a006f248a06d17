/** How long `until` polls, and how often. */
export interface WaitOptions {
  /** Fails after this many milliseconds without the probe holding (10 s unless told). */
  timeoutMs?: number;
  /** The pause between two probes, in milliseconds (25 unless told). */
  everyMs?: number;
}

type Reached<T> = Exclude<Awaited<T>, false | undefined | null>;

/**
 * Polls `probe` (sync or async) until it answers `true` or a value, and resolves with that answer;
 * `false`, `undefined` and `null` mean "not yet", and so does a probe that throws (a server not yet
 * listening). After `timeoutMs` it fails naming `label`, what was awaited, and the probe's last error.
 * For states the code under test reaches asynchronously; never a measure of how fast it gets there.
 */
export async function until<T>(probe: () => T, label: string, options: WaitOptions = {}): Promise<Reached<T>> {
  const { timeoutMs = 10_000, everyMs = 25 } = options;
  const deadline = performance.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const answer = await probe();
      if (answer !== false && answer !== undefined && answer !== null) return answer as Reached<T>;
    } catch (err) {
      lastError = err;
    }
    if (performance.now() >= deadline) {
      const why = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new Error(`never happened within ${timeoutMs} ms: ${label}${why}`);
    }
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
