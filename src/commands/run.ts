import type { Io } from '../app/app.js';
import { runDaemon, type DaemonOptions } from '../app/daemon.js';
import { startApp } from '../app/start.js';

/**
 * `guardduty-soar run`: the daemon. The first cycle starts at once, then one every polling interval,
 * until SIGTERM/SIGINT: scheduling stops, the cycle in flight finishes (or is abandoned at a safe
 * point after `aws_gd_shutdown_timeout`), SQLite closes, exit 0. A second signal exits at once.
 * A changed app.config stops it the same way, with exit code 3 so that any restart policy (even
 * on-failure) starts it again with the new file, as IBM's App Host entrypoint does. Losing the database lock to another daemon: exit 1.
 */
export async function runCommand(io: Io, options: DaemonOptions): Promise<number> {
  const app = startApp(io, options.config, 'run');
  if (typeof app === 'number') return app;
  return runDaemon(app, io, options);
}
