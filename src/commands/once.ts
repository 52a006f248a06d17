import type { Io } from '../app/app.js';
import { runCycle } from '../poller/run-cycle.js';
import type { NoRegionMatchError } from '../regions/region-discovery.js';
import { acquireLock, prepare, reportFatal, startApp } from '../app/start.js';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from '../app/exit-codes.js';
import { describePendingWork } from './pending-work.js';
import { progressForApp } from '../app/progress-for-app.js';

/**
 * `guardduty-soar once`: one full cycle, then exit. Exit code 1 when anything failed, and also while
 * work is left pending (findings that failed or wait out a backoff, archives, notes …): a script that
 * runs `once` must not read "0" as "everything is in SOAR". What is left, and when it is retried, is
 * printed and logged.
 */
export async function onceCommand(io: Io, options: { config?: string | undefined }): Promise<number> {
  const app = startApp(io, options.config, 'once');
  if (typeof app === 'number') return app;
  try {
    if (!acquireLock(app, io)) return EXIT_FAILURE;
    const display = progressForApp(app, io);
    try {
      const deps = await prepare(app);
      const report = await runCycle({ ...deps, progress: display.listener });
      // No account has a region aws_gd_regions matches: the regex is wrong, not the cycle.
      const unmatched = deps.discoveries.map((d) => d.unmatched);
      if (unmatched.length > 0 && unmatched.every((e) => e !== undefined)) return noRegionMatches(io, unmatched);
      const pending = describePendingWork(app.store.ops.all(), app.clock.now());
      if (pending) {
        app.logger.warn('Work left pending; it is retried when due', { total: pending.total, byKind: pending.byKind });
        io.stderr.write(`${pending.text}\n`);
      }
      return report.ok && !pending ? EXIT_OK : EXIT_FAILURE;
    } finally {
      display.stop();
      app.store.lock.release(app.lockOwner);
    }
  } catch (err) {
    reportFatal(app, io, 'The cycle could not run', err);
    return EXIT_FAILURE;
  } finally {
    app.close();
  }
}

/** aws_gd_regions selects none of the enabled regions: a configuration problem, named with the regions it was matched against. */
function noRegionMatches(io: Io, errors: NoRegionMatchError[]): number {
  for (const err of errors) io.stderr.write(`${err.message} Fix: ${err.fix}\n`);
  return EXIT_USAGE;
}
