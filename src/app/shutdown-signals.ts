import os from 'node:os';

/** Where a long-running command learns that it should stop. */
export interface ShutdownSignals {
  /** `handler` runs once, on the first stop request; a second request is not passed on. */
  onStop(handler: (signal: string) => void): void;
}

/**
 * SIGTERM/SIGINT: the first asks for a clean stop; the second exits at once (128 + the signal's
 * number, as a shell reports a process killed by it), for an operator who does not want to wait.
 */
export function processSignals(): ShutdownSignals {
  return {
    onStop(handler) {
      let stopping = false;
      const onSignal = (signal: NodeJS.Signals): void => {
        if (stopping) {
          process.stderr.write(`Received ${signal} again: exiting now.\n`);
          process.exit(128 + (os.constants.signals[signal] ?? 0));
        }
        stopping = true;
        handler(signal);
      };
      process.on('SIGTERM', onSignal);
      process.on('SIGINT', onSignal);
    },
  };
}
