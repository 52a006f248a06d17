import type { FindingOutcome } from '../health/metrics.js';

/**
 * What a cycle says while it runs, so that a long one (a first cycle of thousands of findings) is not
 * minutes of silence. The poller only reports facts as they happen; it keeps no timers and logs
 * nothing here: the display decides how often to show them (src/app/progress-display.ts).
 */
export type CycleProgressEvent =
  | { type: 'cycle-started'; cycle: number }
  /** Discovery is done: this many detector regions will be polled. */
  | { type: 'regions'; count: number }
  /**
   * Work found in a region: `listed` finding ids the listing returned (0 for the retry and check
   * phases), `queued` findings that will now be synced (listed ones left to the check phase are
   * queued there, not twice).
   */
  | { type: 'queued'; account: string; region: string; listed: number; queued: number }
  | { type: 'handled'; account: string; region: string; outcome: FindingOutcome }
  | { type: 'region-done'; account: string; region: string; error: string | undefined }
  /** The findings are done and the summary lines follow. */
  | { type: 'cycle-done'; cycle: number; ok: boolean };

export type ProgressListener = (event: CycleProgressEvent) => void;

/** Part of the cycle's deps; absent, nothing is reported. */
export interface ProgressDeps {
  progress?: ProgressListener | undefined;
}

/** Reports one event; a failing display never fails the cycle (it is only a view). */
export function reportProgress(deps: ProgressDeps, event: CycleProgressEvent): void {
  try {
    deps.progress?.(event);
  } catch {
    // A broken terminal (closed pipe) must not cost a finding its sync.
  }
}
