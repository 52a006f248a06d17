import type { Io } from '../main.js';
import { runCycle } from '../poller/run-cycle.js';
import { EXIT_FAILURE, EXIT_OK, acquireLock, prepare, reportFatal, startApp } from './command-support.js';
import { progressForApp } from './progress-for-app.js';

/** `guardduty-soar once`: one full cycle, then exit; the exit code says whether anything failed. */
export async function onceCommand(io: Io, options: { config?: string | undefined }): Promise<number> {
  const app = startApp(io, options.config, 'once');
  if (typeof app === 'number') return app;
  try {
    if (!acquireLock(app, io)) return EXIT_FAILURE;
    const display = progressForApp(app, io);
    try {
      const deps = await prepare(app);
      const report = await runCycle({ ...deps, progress: display.listener });
      return report.ok ? EXIT_OK : EXIT_FAILURE;
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
