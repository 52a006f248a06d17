/**
 * When to retry a failed sync action. A transient failure (5xx, throttling, network) is retried at
 * the next cycle for its first few attempts; anything else — and a transient failure that keeps
 * coming back — waits exponentially longer, so a permanent refusal (a member account asked to
 * archive, a close the org's required fields reject) never turns into a tight loop.
 */
export function nextAttemptAt(now: number, attempts: number, retryable: boolean, baseMs = 60_000, capMs = 6 * 3_600_000): number {
  if (retryable && attempts < 3) return now;
  const exponent = retryable ? attempts - 3 : attempts;
  const delay = Math.min(capMs, baseMs * 2 ** Math.min(exponent, 20));
  // Up to 10% jitter so many operations that failed together do not all come back together.
  return now + Math.round(delay * (0.9 + Math.random() * 0.1));
}
