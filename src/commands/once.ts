import { errorMessage } from '../errors.js';
import type { App, Io } from '../main.js';
import { runCycle } from '../poller/run-cycle.js';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, acquireLock, prepare, reportFatal, startApp } from './command-support.js';
import { describePendingWork } from './pending-work.js';
import { progressForApp } from './progress-for-app.js';

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
      // Discovery succeeded and kept no region at all: the regex is wrong, not the cycle.
      if (report.discoveryErrors.length === 0 && report.regions.length === 0 && app.store.detectors.list().length === 0) return await noRegionMatches(app, io);
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
async function noRegionMatches(app: App, io: Io): Promise<number> {
  const { aws } = app.config;
  let against: string;
  try {
    const names = (await app.aws[0]?.source.listRegions() ?? []).map((r) => r.name).sort();
    against = `the ${names.length} regions enabled for these credentials (DescribeRegions in ${aws.masterRegion}): ${names.join(', ')}`;
  } catch (err) {
    against = `the regions enabled for these credentials (listing them again failed: ${errorMessage(err)})`;
  }
  const message = `aws_gd_regions /${aws.regions.source}/ matches none of ${against}; nothing was polled. ` +
    'Fix: widen aws_gd_regions (an unanchored, case-insensitive regex such as ^us- or ^(us-east-1|eu-west-1)$), or enable the opt-in regions you want.';
  app.logger.error('No enabled AWS region matches aws_gd_regions', { pattern: aws.regions.source });
  io.stderr.write(`${message}\n`);
  return EXIT_USAGE;
}
