import type { App, Io } from './app.js';
import { chooseProgressOutput, createProgressDisplay, type ProgressDisplay, type ProgressFields } from './progress-display.js';

/**
 * The progress display of `once` and `run`: a bar on stderr when it is a terminal and the logs are
 * text, else a `Cycle progress` log line every few seconds (JSON lines stay machine-readable).
 */
export function progressForApp(app: App, io: Io, line?: (fields: ProgressFields, text: string) => void): ProgressDisplay {
  const log = line ?? ((fields: ProgressFields, text: string) => app.logger.info('Cycle progress', { ...fields, summary: text }));
  return createProgressDisplay(chooseProgressOutput(io.stderr, app.config.logFormat, io.stdout, log), app.clock);
}
