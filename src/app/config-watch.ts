import { createHash } from 'node:crypto';
import fs from 'node:fs';

/** IBM's App Host entrypoint compares the configuration's hash every 60 seconds; so does the daemon. */
export const CONFIG_CHECK_MS = 60_000;

/**
 * Calls `onChange` once when the file's content differs from what it was at start. The daemon reads
 * its configuration once, so a changed file means "restart me": App Host rewrites app.config when an
 * operator saves it in SOAR, and a Kubernetes ConfigMap update swaps the file. A file that cannot be
 * read for a moment (mid-swap) is not a change. Returns the function that stops watching.
 */
export function watchConfigFile(path: string, intervalMs: number, onChange: () => void): () => void {
  const digest = (): string | undefined => {
    try {
      return createHash('sha256').update(fs.readFileSync(path)).digest('hex');
    } catch {
      return undefined;
    }
  };
  const initial = digest();
  const timer = setInterval(() => {
    const now = digest();
    if (initial === undefined || now === undefined || now === initial) return;
    clearInterval(timer);
    onChange();
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
