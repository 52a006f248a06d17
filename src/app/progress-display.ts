import cliProgress from 'cli-progress';
import type { Writable } from 'node:stream';
import type { Clock } from '../core/clock.js';
import type { FindingOutcome } from '../health/metrics.js';
import type { CycleProgressEvent, ProgressListener } from '../poller/progress.js';

/**
 * Shows a running cycle's progress: on a terminal (text logs) a progress bar, elsewhere (a pipe, a
 * container's log, JSON lines) a plain progress line at most every `everyMs` of the injected clock.
 * The poller only reports events (src/poller/progress.ts); all throttling happens here, so a short
 * cycle says nothing beyond its summary lines.
 */

export const PROGRESS_EVERY_MS = 5_000;

export interface ProgressDisplay {
  listener: ProgressListener;
  /** Takes a bar off the terminal if a cycle ended without its `cycle-done` (an exception). */
  stop(): void;
}

export type ProgressOutput =
  | { kind: 'bar'; stream: Writable }
  | { kind: 'lines'; line: (fields: ProgressFields, text: string) => void };

export interface ProgressFields {
  cycle: number;
  regions: number;
  regionsDone: number;
  listed: number;
  handled: number;
  /** What the cycle knows it has to handle so far (it grows while pages are listed). */
  of: number;
  created: number;
  /** Incidents an earlier run left half-written, finished now: they existed already. */
  resumed: number;
  updated: number;
  unchanged: number;
  skipped: number;
  closed: number;
  failed: number;
  /** Waiting out the backoff of an earlier failure: not tried in this cycle. */
  deferred: number;
}

/** Bar on a terminal with text logs; lines when output is not a TTY or the logs are JSON. */
export function chooseProgressOutput(
  stream: Writable, logFormat: 'json' | 'text' | undefined, logStream: Writable, line: (fields: ProgressFields, text: string) => void,
): ProgressOutput {
  const tty = (s: Writable): boolean => (s as { isTTY?: boolean }).isTTY === true;
  const textLogs = logFormat ? logFormat === 'text' : tty(logStream);
  return tty(stream) && textLogs ? { kind: 'bar', stream } : { kind: 'lines', line };
}

export function createProgressDisplay(output: ProgressOutput, clock: Clock, everyMs = PROGRESS_EVERY_MS): ProgressDisplay {
  const tally = new Tally();
  const bar = output.kind === 'bar' ? new Bar(output.stream) : undefined;
  let lastShown = 0;
  let beat: AbortController | undefined;
  const lineIfDue = (): void => {
    if (output.kind !== 'lines' || clock.now() - lastShown < everyMs) return;
    lastShown = clock.now();
    output.line(tally.fields(), describeProgress(tally.fields()));
  };
  const end = (): void => {
    beat?.abort();
    beat = undefined;
    bar?.stop(tally.fields());
  };
  const listener: ProgressListener = (event) => {
    tally.add(event);
    if (event.type === 'cycle-started') {
      end();
      lastShown = clock.now();
      beat = new AbortController();
      if (output.kind === 'lines') void heartbeat(clock, everyMs, beat.signal, lineIfDue);
    }
    if (!beat) return;
    if (event.type === 'cycle-done') return end();
    // An idle cycle (nothing to handle) draws no bar at all.
    if (bar && tally.fields().of > 0) bar.show(tally.fields());
    lineIfDue();
  };
  return { listener, stop: end };
}

/**
 * Findings complete in bursts (a page's creates all queue for the SOAR slots before its rows do), so
 * events alone can leave seconds of silence: the display also looks at the clock between them.
 */
async function heartbeat(clock: Clock, everyMs: number, signal: AbortSignal, lineIfDue: () => void): Promise<void> {
  try {
    while (!signal.aborted) {
      await clock.sleep(everyMs, signal);
      if (!signal.aborted) lineIfDue();
    }
  } catch {
    // Only a view: a failing sink must not surface as an unhandled rejection.
  }
}

/** One line a person reads: how far the cycle is, and what it did so far. */
export function describeProgress(f: ProgressFields): string {
  return (
    `cycle ${f.cycle}: ${f.handled} of ${f.of} finding(s) handled, ${f.listed} listed; created ${f.created}, resumed ${f.resumed}, ` +
    `updated ${f.updated}, unchanged ${f.unchanged}, skipped ${f.skipped}, closed ${f.closed}, failed ${f.failed}, deferred ${f.deferred}; ` +
    `regions done ${f.regionsDone} of ${f.regions}`
  );
}

/** The running totals of one cycle, rebuilt from the events. */
class Tally {
  private f: ProgressFields = emptyFields(0);
  /** Per region: queued minus handled, so a finished region's leftovers (never synced) leave the total. */
  private readonly open = new Map<string, number>();

  add(event: CycleProgressEvent): void {
    switch (event.type) {
      case 'cycle-started':
        this.f = emptyFields(event.cycle);
        this.open.clear();
        return;
      case 'regions':
        this.f.regions = event.count;
        return;
      case 'queued':
        this.f.listed += event.listed;
        this.f.of += event.queued;
        this.bump(event, event.queued);
        return;
      case 'handled':
        this.f.handled += 1;
        this.count(event.outcome);
        // A finding handled beyond what was queued (one found gone) still counts towards the total.
        if (this.f.handled > this.f.of) this.f.of = this.f.handled;
        this.bump(event, -1);
        return;
      case 'region-done': {
        const left = this.open.get(regionKey(event)) ?? 0;
        if (left > 0) this.f.of -= left;
        this.open.delete(regionKey(event));
        this.f.regionsDone += 1;
        return;
      }
      case 'cycle-done':
        return;
    }
  }

  fields(): ProgressFields {
    return { ...this.f };
  }

  private bump(event: { account: string; region: string }, n: number): void {
    this.open.set(regionKey(event), (this.open.get(regionKey(event)) ?? 0) + n);
  }

  private count(outcome: FindingOutcome): void {
    this.f[SHOWN_AS[outcome]] += 1;
  }
}

/** Where each outcome is counted on the display; typed by the outcomes, so a new one cannot be missed. */
const SHOWN_AS: Record<FindingOutcome, 'created' | 'resumed' | 'updated' | 'unchanged' | 'skipped' | 'closed' | 'failed' | 'deferred'> = {
  created: 'created', recreated: 'created', resumed: 'resumed', updated: 'updated', reopened: 'updated', unchanged: 'unchanged', skipped: 'skipped',
  closed: 'closed', archived: 'closed', gone: 'closed', failed: 'failed', deferred: 'deferred',
};

function regionKey(e: { account: string; region: string }): string {
  return `${e.account}/${e.region}`;
}

function emptyFields(cycle: number): ProgressFields {
  return {
    cycle, regions: 0, regionsDone: 0, listed: 0, handled: 0, of: 0, created: 0, resumed: 0, updated: 0, unchanged: 0, skipped: 0, closed: 0, failed: 0, deferred: 0,
  };
}

/** cli-progress, started at a cycle's first event; it redraws on its own throttle while it runs. */
class Bar {
  private bar: cliProgress.SingleBar | undefined;

  constructor(private readonly stream: Writable) {}

  show(f: ProgressFields): void {
    if (!this.bar) {
      this.bar = new cliProgress.SingleBar({
        stream: this.stream,
        format: 'cycle {cycle} {bar} {value}/{total} handled | listed {listed} | created {created} resumed {resumed} updated {updated} unchanged {unchanged} failed {failed} | regions {regionsDone}/{regions}',
        hideCursor: true,
        // The daemon handles SIGINT and SIGTERM itself (finish the cycle, then stop).
        gracefulExit: false,
      }, cliProgress.Presets.shades_classic);
      this.bar.start(Math.max(f.of, 1), f.handled, f);
    }
    this.bar.setTotal(Math.max(f.of, 1));
    this.bar.update(f.handled, f);
  }

  stop(f: ProgressFields): void {
    if (!this.bar) return;
    this.bar.setTotal(Math.max(f.of, 1));
    this.bar.update(f.handled, f);
    this.bar.stop();
    this.bar = undefined;
  }
}
